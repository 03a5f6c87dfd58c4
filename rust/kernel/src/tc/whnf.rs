//! Weak head normalisation: `whnf_core` (beta, zeta, projections, iota,
//! quotients, K and structure eta for majors) and `whnf` (plus delta and the
//! Nat and String extensions).

use super::*;
use smallvec::SmallVec;
use std::borrow::Borrow;

/// What one head reduction gives.
enum Step {
    /// The weak head normal form.
    Done(Expr),
    /// A term to reduce further.
    Next(Expr),
}

impl TypeChecker<'_> {
    /// Beta, zeta, projections, iota and quotients; no delta.
    pub fn whnf_core(&mut self, e: &Expr) -> KResult<Expr> {
        self.whnf_core_with(e, false)
    }

    /// Reduces step by step in a loop, not by recursion: a chain of a
    /// million iota steps (`Nat.rec` on a large literal) takes no stack.
    /// Every term passed through is cached with the final form, as if each
    /// step had been its own call.
    pub(super) fn whnf_core_with(&mut self, e: &Expr, cheap_proj: bool) -> KResult<Expr> {
        let mut passed: SmallVec<[Expr; 4]> = SmallVec::new();
        let mut current = e.clone();
        let result = loop {
            match current.data() {
                ExprData::BVar(_)
                | ExprData::Sort(_)
                | ExprData::Pi(..)
                | ExprData::Lam(..)
                | ExprData::Lit(_)
                | ExprData::Const(..) => break current,
                ExprData::FVar(id) => match self.lctx.get(id).and_then(|d| d.value.clone()) {
                    Some(v) => {
                        current = v;
                        continue;
                    }
                    None => break current,
                },
                _ => {}
            }
            if !cheap_proj {
                if let Some(r) = self.caches.whnf_core.get(&current) {
                    break r.clone();
                }
            }
            self.heartbeat()?;
            self.enter()?;
            let step = self.whnf_core_step(&current, cheap_proj);
            self.leave();
            match step? {
                Step::Done(r) => {
                    passed.push(current);
                    break r;
                }
                Step::Next(next) => passed.push(std::mem::replace(&mut current, next)),
            }
        };
        if !cheap_proj {
            for term in passed.into_iter().rev() {
                self.caches.whnf_core.insert(term, result.clone());
            }
        }
        Ok(result)
    }

    /// One reduction at the head of `e`: its weak head normal form, or the
    /// term it reduces to, to be reduced further.
    fn whnf_core_step(&mut self, e: &Expr, cheap_proj: bool) -> KResult<Step> {
        match e.data() {
            ExprData::App(..) => {
                let (f, args) = e.app_args();
                let f2 = self.whnf_core_with(f, cheap_proj)?;
                if f2.is_lambda() {
                    return Ok(Step::Next(beta_spine(&f2, &args)));
                }
                let app = if f2.ptr_eq(f) {
                    e.clone()
                } else {
                    Expr::mk_app(f2.clone(), &args)
                };
                if let ExprData::Const(n, ls) = f2.data() {
                    if let Some(r) = self.reduce_iota(n, ls, &args)? {
                        return Ok(Step::Next(r));
                    }
                }
                Ok(Step::Done(app))
            }
            ExprData::Let(l) => Ok(Step::Next(l.body.instantiate1(&l.value))),
            ExprData::Proj(_, idx, x) => {
                let c = if cheap_proj {
                    self.whnf_core_with(x, true)?
                } else {
                    self.whnf(x)?
                };
                match self.project(&c, u64::from(*idx))? {
                    Some(r) => Ok(Step::Next(r)),
                    None => Ok(Step::Done(e.clone())),
                }
            }
            _ => Ok(Step::Done(e.clone())),
        }
    }

    /// Field `idx` of a constructor application (string literals expanded).
    pub(super) fn project(&mut self, c: &Expr, idx: u64) -> KResult<Option<Expr>> {
        let c = match c.data() {
            ExprData::Lit(Literal::Str(s)) if self.env.prims.string(self.decl_index) => {
                let expanded = self.string_lit_expand(s);
                self.whnf(&expanded)?
            }
            _ => c.clone(),
        };
        let (head, args) = c.app_args();
        let Some(ConstantInfo::Constructor { num_params, .. }) =
            head.const_name().and_then(|n| self.env.get(n))
        else {
            return Ok(None);
        };
        Ok(args
            .get(*num_params as usize + idx as usize)
            .map(|a| (*a).clone()))
    }

    /// Recursor and quotient reduction of `n.{ls} args`.
    pub(super) fn reduce_iota(
        &mut self,
        n: &Name,
        ls: &[Level],
        args: &[&Expr],
    ) -> KResult<Option<Expr>> {
        match self.env.get(n) {
            Some(ConstantInfo::Recursor(rec)) => {
                let RecursorVal {
                    val,
                    num_params,
                    num_indices,
                    num_motives,
                    num_minors,
                    rules,
                    k,
                    ..
                } = &**rec;
                let np = (*num_params + *num_motives + *num_minors) as usize;
                let major_idx = np + *num_indices as usize;
                let Some(major) = args.get(major_idx) else {
                    return Ok(None);
                };
                let mut major = (*major).clone();
                if *k {
                    major = self.k_major_as_ctor(*num_params as usize, &major, rules)?;
                }
                let mut major = self.whnf(&major)?;
                match major.data() {
                    ExprData::Lit(Literal::Nat(v)) if self.nat_available() => {
                        major = self.nat_lit_to_ctor(v)
                    }
                    ExprData::Lit(Literal::Str(s)) if self.env.prims.string(self.decl_index) => {
                        major = self.string_lit_expand(s)
                    }
                    _ => {}
                }
                let major = match self.struct_major_as_ctor(&major, rules)? {
                    Some(m) => m,
                    None => major,
                };
                let (ctor, cargs) = major.app_args();
                let Some(cname) = ctor.const_name() else {
                    return Ok(None);
                };
                let Some(rule) = rules.iter().find(|r| &r.ctor == cname) else {
                    return Ok(None);
                };
                let nf = rule.num_fields as usize;
                if cargs.len() < nf {
                    return Ok(None);
                }
                if ls.len() != val.level_params.len() {
                    return Ok(None);
                }
                let rhs = self
                    .caches
                    .instances
                    .instantiate(&rule.rhs, &val.level_params, ls);
                let rhs = Expr::mk_app(rhs, &args[..np]);
                let rhs = Expr::mk_app(rhs, &cargs[cargs.len() - nf..]);
                Ok(Some(Expr::mk_app(rhs, &args[major_idx + 1..])))
            }
            // A quotient constant is in the environment only with its
            // built-in type (`quot::check_quot`), which is all its reduction
            // needs: `Quot.lift` and `Quot.ind` reduce on `Quot.mk` whatever
            // other quotient constants are declared.
            Some(ConstantInfo::Quot { kind, .. }) => {
                let (mk_pos, f_pos) = match kind {
                    QuotKind::Lift => (5, 3),
                    QuotKind::Ind => (4, 3),
                    _ => return Ok(None),
                };
                let Some(mk) = args.get(mk_pos) else {
                    return Ok(None);
                };
                let mk = self.whnf(mk)?;
                let (mk_head, mk_args) = mk.get_app_args();
                let is_mk = matches!(
                    mk_head.const_name().and_then(|n| self.env.get(n)),
                    Some(ConstantInfo::Quot {
                        kind: QuotKind::Ctor,
                        ..
                    })
                );
                if !is_mk || mk_args.len() != 3 {
                    return Ok(None);
                }
                let r = Expr::app(args[f_pos].clone(), mk_args[2].clone());
                Ok(Some(Expr::mk_app(r, &args[mk_pos + 1..])))
            }
            _ => Ok(None),
        }
    }

    /// For K-like recursors: a major premise of the right type reduces as if
    /// it were the (only, nullary) constructor.
    pub(super) fn k_major_as_ctor(
        &mut self,
        num_params: usize,
        major: &Expr,
        rules: &[crate::env::RecRule],
    ) -> KResult<Expr> {
        let Some(rule) = rules.first() else {
            return Ok(major.clone());
        };
        let ty = self.infer(major)?;
        let ty = self.whnf(&ty)?;
        let (head, targs) = ty.get_app_args();
        let Some((iname, ls)) = head.const_name().zip(match head.data() {
            ExprData::Const(_, ls) => Some(ls.clone()),
            _ => None,
        }) else {
            return Ok(major.clone());
        };
        let Some(ConstantInfo::Constructor { induct, .. }) = self.env.get(&rule.ctor) else {
            return Ok(major.clone());
        };
        if induct != iname || targs.len() < num_params {
            return Ok(major.clone());
        }
        let ctor_app = Expr::mk_app(Expr::cnst(rule.ctor.clone(), ls), &targs[..num_params]);
        let ctor_ty = self.infer(&ctor_app)?;
        if self.is_def_eq(&ty, &ctor_ty)? {
            Ok(ctor_app)
        } else {
            Ok(major.clone())
        }
    }

    /// Structure eta for iota: `major` of a structure type that is not a
    /// constructor application becomes `mk params (proj 0 major) ...`.
    pub(super) fn struct_major_as_ctor(
        &mut self,
        major: &Expr,
        rules: &[crate::env::RecRule],
    ) -> KResult<Option<Expr>> {
        let Some(rule) = rules.first() else {
            return Ok(None);
        };
        if rules.len() != 1 {
            return Ok(None);
        }
        let Some(ConstantInfo::Constructor { induct, .. }) = self.env.get(&rule.ctor) else {
            return Ok(None);
        };
        if !self.is_structure_like(induct) {
            return Ok(None);
        }
        if let Some(n) = major.get_app_fn().const_name() {
            if matches!(self.env.get(n), Some(ConstantInfo::Constructor { .. })) {
                return Ok(None);
            }
        }
        let ty = self.infer(major)?;
        let ty = self.whnf(&ty)?;
        let (head, targs) = ty.get_app_args();
        let ExprData::Const(tn, ls) = head.data() else {
            return Ok(None);
        };
        if tn != induct {
            return Ok(None);
        }
        if self.is_proof_type(&ty)? {
            return Ok(None);
        }
        // Not surely a proposition is not surely data: the sort may be stuck
        // (rule rec-of-subst-prop: `Owner w : Prop` by its declaration, yet
        // the sort of `Owner w` does not reduce). Expanding a proof projects
        // its fields, which `infer_proj` refuses for data fields, and makes
        // the reduct depend on which proof it was given. Without fields
        // there is nothing to project.
        if rule.num_fields > 0 && self.is_maybe_prop_type(&ty)? {
            return Ok(None);
        }
        Ok(Some(self.eta_expand_struct(induct, ls, &targs, major)))
    }

    /// `mk params (proj 0 e) … (proj (n-1) e)`.
    pub(super) fn eta_expand_struct(
        &self,
        induct: &Name,
        ls: &crate::level::Levels,
        targs: &[Expr],
        e: &Expr,
    ) -> Expr {
        let Some(InductiveVal {
            ctors, num_params, ..
        }) = self.env.inductive(induct)
        else {
            return e.clone();
        };
        let Some(ConstantInfo::Constructor { num_fields, .. }) =
            ctors.first().and_then(|c| self.env.get(c))
        else {
            return e.clone();
        };
        let np = (*num_params as usize).min(targs.len());
        let mut r = Expr::mk_app(Expr::cnst(ctors[0].clone(), ls.clone()), &targs[..np]);
        for i in 0..*num_fields as u64 {
            r = Expr::app(r, Expr::proj(induct.clone(), i, e.clone()));
        }
        r
    }

    /// One constructor, no indices, not recursive.
    pub fn is_structure_like(&self, induct: &Name) -> bool {
        matches!(
            self.env.inductive(induct),
            Some(InductiveVal { ctors, num_indices: 0, is_rec: false, .. }) if ctors.len() == 1
        )
    }

    pub(super) fn nat_lit_to_ctor(&self, v: &BigUint) -> Expr {
        if v == &BigUint::from(0u8) {
            Expr::cnst(HOT.nat_zero.clone(), Vec::new())
        } else {
            Expr::app(
                Expr::cnst(HOT.nat_succ.clone(), Vec::new()),
                Expr::nat_lit(v - 1u8),
            )
        }
    }

    /// `"ab"` as `String.ofList [Char.ofNat 97, Char.ofNat 98]`.
    pub fn string_lit_expand(&self, s: &str) -> Expr {
        let char_ty = Expr::cnst(name("Char"), Vec::new());
        let zero = [Level::zero()];
        let mut list = Expr::app(Expr::cnst(name("List.nil"), zero.clone()), char_ty.clone());
        let cons = Expr::app(Expr::cnst(name("List.cons"), zero), char_ty);
        let of_nat = Expr::cnst(name("Char.ofNat"), Vec::new());
        for c in s.chars().rev() {
            let ch = Expr::app(of_nat.clone(), Expr::nat_lit(BigUint::from(c as u32)));
            list = Expr::mk_app(cons.clone(), &[ch, list]);
        }
        Expr::app(Expr::cnst(name("String.ofList"), Vec::new()), list)
    }

    /// Weak head normal form (with delta and Nat acceleration).
    pub fn whnf(&mut self, e: &Expr) -> KResult<Expr> {
        match e.data() {
            ExprData::BVar(_)
            | ExprData::Sort(_)
            | ExprData::Pi(..)
            | ExprData::Lam(..)
            | ExprData::Lit(_) => return Ok(e.clone()),
            ExprData::FVar(id) if self.lctx.get(id).is_none_or(|d| d.value.is_none()) => {
                return Ok(e.clone())
            }
            _ => {}
        }
        if let Some(r) = self.caches.whnf.get(e) {
            return Ok(r.clone());
        }
        self.heartbeat()?;
        self.enter()?;
        let r = self.whnf_loop(e);
        self.leave();
        let r = r?;
        self.caches.whnf.insert(e.clone(), r.clone());
        Ok(r)
    }

    pub(super) fn whnf_loop(&mut self, e: &Expr) -> KResult<Expr> {
        let mut t = e.clone();
        loop {
            t = self.whnf_core(&t)?;
            self.decline_native(&t)?;
            if let Some(v) = self.reduce_nat(&t)? {
                return Ok(v);
            }
            match self.unfold_definition(&t)? {
                Some(u) => t = u,
                None => return Ok(t),
            }
        }
    }

    /// `Lean.reduceBool`/`Lean.reduceNat` need the compiler: decline.
    pub(super) fn decline_native(&self, e: &Expr) -> KResult<()> {
        if let Some(n) = e.get_app_fn().const_name() {
            if *n == HOT.reduce_bool || *n == HOT.reduce_nat {
                return Err(self.decline(format!("native reduction ({n}) is not supported")));
            }
        }
        Ok(())
    }

    /// The reducibility hints of the definition heading `e`, if it unfolds.
    pub(super) fn delta_hints(&self, e: &Expr) -> Option<ReducibilityHints> {
        let (n, ls) = e.const_head()?;
        let entry = self.env.entry(n)?;
        entry.info.unfoldable_value()?;
        if self.env.is_withheld(n) {
            self.withheld_needed.borrow_mut().insert(n.clone());
            return None;
        }
        if entry.info.level_params().len() != ls.len() {
            return None;
        }
        if entry.decl_index >= self.decl_index && !self.same_block.contains(n) {
            return None;
        }
        Some(entry.info.hints())
    }

    /// Delta: unfolds the definition at the head of `e` and beta-reduces its
    /// spine. Every delta step of whnf and of lazy delta goes through here
    /// (the single point for a future profiling hook).
    pub(super) fn unfold_definition(&mut self, e: &Expr) -> KResult<Option<Expr>> {
        if self.delta_hints(e).is_none() {
            return Ok(None);
        }
        let (head, args) = e.app_args();
        let ExprData::Const(n, ls) = head.data() else {
            return Ok(None);
        };
        let Some(info) = self.env.get(n) else {
            return Ok(None);
        };
        let Some(value) = info.unfoldable_value() else {
            return Ok(None);
        };
        if let Some(sink) = &mut self.unfolded {
            sink.insert(n.clone());
        }
        let body = self
            .caches
            .instances
            .instantiate(value, info.level_params(), ls);
        Ok(Some(beta_spine(&body, &args)))
    }

    /// Kernel Nat acceleration on literals (and `Nat.zero`).
    pub(super) fn reduce_nat(&mut self, e: &Expr) -> KResult<Option<Expr>> {
        let arity = e.app_num_args();
        if arity == 0 || arity > 2 {
            return Ok(None);
        }
        let Some(op) = e.get_app_fn().const_name().and_then(nat::op_of) else {
            return Ok(None);
        };
        if op.arity() != arity
            || !self.nat_available()
            || !self.env.prims.accelerates(op, self.decl_index)
        {
            return Ok(None);
        }
        let (_, args) = e.app_args();
        let mut vals = Vec::with_capacity(arity);
        for a in args {
            let w = self.whnf(a)?;
            match self.nat_value(&w) {
                Some(v) => vals.push(v),
                None => return Ok(None),
            }
        }
        Ok(nat::apply(op, &vals))
    }

    /// `Nat` is exactly the expected inductive (see `primitive`).
    pub(super) fn nat_available(&self) -> bool {
        self.env.prims.nat(self.decl_index)
    }

    pub(super) fn nat_value(&self, e: &Expr) -> Option<BigUint> {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) => Some((**v).clone()),
            ExprData::Const(n, _) if *n == HOT.nat_zero => Some(BigUint::from(0u8)),
            _ => None,
        }
    }
}

/// `(fun xs => b) args`, substituting as many arguments as there are lambdas.
pub fn beta_spine<T: Borrow<Expr>>(f: &Expr, args: &[T]) -> Expr {
    let mut body = f;
    let mut used = 0;
    while let (ExprData::Lam(_, _, b), true) = (body.data(), used < args.len()) {
        body = b;
        used += 1;
    }
    Expr::mk_app(body.instantiate_rev(&args[..used]), &args[used..])
}
