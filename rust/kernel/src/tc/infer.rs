//! Type inference: `check` (check mode) and `infer` (infer-only mode),
//! with the `ensure_sort`/`ensure_pi` views it needs.

use super::*;

impl TypeChecker<'_> {
    /// Infers the type of `e`, checking it (check mode).
    pub fn check(&mut self, e: &Expr) -> KResult<Expr> {
        self.infer_type(e, false)
    }

    /// Infers the type of `e`, assuming it is well typed (infer-only mode).
    pub fn infer(&mut self, e: &Expr) -> KResult<Expr> {
        self.infer_type(e, true)
    }

    pub fn infer_type(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        if let Some(t) = self.caches.infer_checked.get(e) {
            return Ok(t.clone());
        }
        if infer_only {
            if let Some(t) = self.caches.infer_only.get(e) {
                return Ok(t.clone());
            }
        }
        self.enter()?;
        let r = self.infer_core(e, infer_only);
        self.leave();
        let t = r?;
        let cache = if infer_only {
            &mut self.caches.infer_only
        } else {
            &mut self.caches.infer_checked
        };
        cache.insert(e.clone(), t.clone());
        Ok(t)
    }

    pub(super) fn infer_core(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        match e.data() {
            ExprData::BVar(i) => Err(self.reject(format!("loose bound variable #{i}"))),
            ExprData::FVar(id) => match self.lctx.get(id) {
                Some(d) => Ok(d.ty.clone()),
                None => Err(self.reject("unknown free variable")),
            },
            ExprData::Sort(l) => {
                if !infer_only {
                    self.check_level(l)?;
                }
                Ok(Expr::sort(Level::succ(l.clone())))
            }
            ExprData::Const(n, ls) => self.infer_const(n, ls, infer_only),
            ExprData::App(..) => self.infer_app(e, infer_only),
            ExprData::Lam(..) => self.infer_lambda(e, infer_only),
            ExprData::Pi(..) => self.infer_pi(e, infer_only),
            ExprData::Let(l) => {
                let (name, ty, value, body) = (&l.name, &l.ty, &l.value, &l.body);
                if !infer_only {
                    let s = self.infer_type(ty, false)?;
                    self.ensure_sort(&s)?;
                    let vt = self.infer_type(value, false)?;
                    if !self.is_def_eq(&vt, ty)? {
                        return Err(
                            self.reject(format!("let value type mismatch: {vt} is not {ty}"))
                        );
                    }
                }
                let x = self.push_let(*name, ty.clone(), value.clone());
                let body_ty = self.infer_type(&body.instantiate1(&x), infer_only)?;
                // Replace the let-variable by its value in the type.
                let ids = fvar_id(&x).into_iter().collect::<Vec<_>>();
                Ok(body_ty.abstract_fvars(&ids).instantiate1(value))
            }
            ExprData::Lit(Literal::Nat(_)) => self.literal_type("Nat", infer_only),
            ExprData::Lit(Literal::Str(_)) => self.literal_type("String", infer_only),
            ExprData::Proj(s, i, x) => self.infer_proj(s, u64::from(*i), x, infer_only),
        }
    }

    pub(super) fn literal_type(&self, ty: &str, infer_only: bool) -> KResult<Expr> {
        let n = name(ty);
        if !infer_only && !self.env.contains(&n) {
            return Err(self.reject(format!("literal used without `{ty}` declared")));
        }
        Ok(Expr::cnst(n, Vec::new()))
    }

    pub(super) fn infer_const(
        &mut self,
        n: &Name,
        ls: &[Level],
        infer_only: bool,
    ) -> KResult<Expr> {
        let info = self.get_const(n)?;
        if info.level_params().len() != ls.len() {
            return Err(self.reject(format!(
                "constant {n} expects {} universe arguments, got {}",
                info.level_params().len(),
                ls.len()
            )));
        }
        if !infer_only {
            for l in ls {
                self.check_level(l)?;
            }
            match self.safety {
                DefinitionSafety::Safe if info.is_unsafe() => {
                    return Err(self.reject(format!("safe declaration uses unsafe {n}")))
                }
                DefinitionSafety::Safe if info.is_partial() => {
                    return Err(self.reject(format!("safe declaration uses partial {n}")))
                }
                DefinitionSafety::Partial if info.is_unsafe() => {
                    return Err(self.reject(format!("partial declaration uses unsafe {n}")))
                }
                _ => {}
            }
        }
        Ok(self
            .caches
            .instances
            .instantiate(info.ty(), info.level_params(), ls))
    }

    pub(super) fn infer_app(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        let (f, args) = e.app_args();
        let mut fty = self.infer_type(f, infer_only)?;
        // Pending arguments not yet substituted into `fty` (for linear cost).
        let mut pending = crate::expr::AppArgs::new();
        for &a in &args {
            let (dom, body) = match fty.data() {
                ExprData::Pi(_, d, b) => (d.clone(), b.clone()),
                _ => {
                    let t = fty.instantiate_rev(&pending);
                    pending.clear();
                    let t = self.ensure_pi(&t)?;
                    match t.data() {
                        ExprData::Pi(_, d, b) => (d.clone(), b.clone()),
                        _ => return Err(self.reject("function expected")),
                    }
                }
            };
            if !infer_only {
                let dom = dom.instantiate_rev(&pending);
                let at = self.infer_type(a, false)?;
                if !self.is_def_eq(&at, &dom)? {
                    return Err(self.reject(format!(
                        "application type mismatch: argument {a} has type {at}, expected {dom}"
                    )));
                }
            }
            pending.push(a);
            fty = body;
        }
        Ok(fty.instantiate_rev(&pending))
    }

    pub(super) fn infer_lambda(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        let mut fvars = Vec::new();
        let mut cur = e.clone();
        while let ExprData::Lam(b, ty, body) = cur.data() {
            let d = ty.instantiate_rev(&fvars);
            if !infer_only {
                let s = self.infer_type(&d, false)?;
                self.ensure_sort(&s)?;
            }
            fvars.push(self.push_local(*b, d));
            cur = body.clone();
        }
        let body = cur.instantiate_rev(&fvars);
        let r = self.infer_type(&body, infer_only)?;
        Ok(self.mk_binding(false, &fvars, &r))
    }

    pub(super) fn infer_pi(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        let mut fvars = Vec::new();
        let mut levels = Vec::new();
        let mut cur = e.clone();
        while let ExprData::Pi(b, ty, body) = cur.data() {
            let d = ty.instantiate_rev(&fvars);
            let s = self.infer_type(&d, infer_only)?;
            levels.push(self.ensure_sort(&s)?);
            fvars.push(self.push_local(*b, d));
            cur = body.clone();
        }
        let body = cur.instantiate_rev(&fvars);
        let s = self.infer_type(&body, infer_only)?;
        let mut l = self.ensure_sort(&s)?;
        for dl in levels.into_iter().rev() {
            l = Level::mk_imax(dl, l);
            if l.depth() > crate::level::MAX_DEPTH {
                return Err(self.decline("the universe level of a binder chain is too deep"));
            }
        }
        Ok(Expr::sort(l))
    }

    pub(super) fn infer_proj(
        &mut self,
        s: &Name,
        idx: u64,
        x: &Expr,
        infer_only: bool,
    ) -> KResult<Expr> {
        let xt = self.infer_type(x, infer_only)?;
        let xt = self.whnf(&xt)?;
        let (head, args) = xt.get_app_args();
        let bad = |tc: &Self, why: &str| tc.reject(format!("invalid projection {s}.{idx}: {why}"));
        let ExprData::Const(iname, ls) = head.data() else {
            return Err(bad(self, "the value's type is not an inductive type"));
        };
        if iname != s {
            return Err(bad(self, "the value's type is not the projected structure"));
        }
        let Some(InductiveVal {
            num_params,
            num_indices,
            ctors,
            ..
        }) = self.env.inductive(iname)
        else {
            return Err(bad(self, "not an inductive type"));
        };
        if ctors.len() != 1 || *num_indices != 0 || args.len() != *num_params as usize {
            return Err(bad(self, "not a structure"));
        }
        let Some(ctor) = self.env.get(&ctors[0]) else {
            return Err(bad(self, "missing constructor"));
        };
        let ConstantInfo::Constructor { num_fields, .. } = ctor else {
            return Err(bad(self, "missing constructor"));
        };
        if idx >= *num_fields as u64 {
            return Err(bad(self, "field index out of range"));
        }
        let is_prop_struct = self.is_maybe_prop_type(&xt)?;
        let mut t = self
            .caches
            .instances
            .instantiate(ctor.ty(), ctor.level_params(), ls);
        for a in &args {
            t = self.ensure_pi(&t)?;
            let ExprData::Pi(_, _, body) = t.data() else {
                return Err(bad(self, "constructor type"));
            };
            t = body.instantiate1(a);
        }
        for i in 0..idx {
            t = self.ensure_pi(&t)?;
            let ExprData::Pi(_, dom, body) = t.data() else {
                return Err(bad(self, "constructor type"));
            };
            if body.has_loose_bvar(0) {
                if is_prop_struct && !self.is_proof_type(dom)? {
                    return Err(bad(self, "a data field of a proposition is depended on"));
                }
                t = body.instantiate1(&Expr::proj(s.clone(), i, x.clone()));
            } else {
                t = body.lower_loose_bvars(1, 1);
            }
        }
        t = self.ensure_pi(&t)?;
        let ExprData::Pi(_, dom, _) = t.data() else {
            return Err(bad(self, "constructor type"));
        };
        let dom = dom.clone();
        if is_prop_struct && !self.is_proof_type(&dom)? {
            return Err(bad(self, "projecting data out of a proposition"));
        }
        Ok(dom)
    }

    /// Whether `ty` (a type) may live in `Prop`: its sort is not surely positive.
    pub(super) fn is_maybe_prop_type(&mut self, ty: &Expr) -> KResult<bool> {
        let s = self.infer(ty)?;
        let s = self.whnf(&s)?;
        Ok(match s.data() {
            ExprData::Sort(l) => !l.is_never_zero(),
            _ => true,
        })
    }

    /// Whether `ty` is a proposition (its sort is surely zero).
    pub fn is_proof_type(&mut self, ty: &Expr) -> KResult<bool> {
        let s = self.infer(ty)?;
        let s = self.whnf(&s)?;
        Ok(matches!(s.data(), ExprData::Sort(l) if l.leq(&Level::zero())))
    }

    /// The level of a sort, reducing `e` to one if needed.
    pub fn ensure_sort(&mut self, e: &Expr) -> KResult<Level> {
        if let ExprData::Sort(l) = e.data() {
            return Ok(l.clone());
        }
        let w = self.whnf(e)?;
        match w.data() {
            ExprData::Sort(l) => Ok(l.clone()),
            _ => Err(self.reject(format!("type expected, got {e}"))),
        }
    }

    /// `e` reduced to a Pi.
    pub fn ensure_pi(&mut self, e: &Expr) -> KResult<Expr> {
        if e.is_pi() {
            return Ok(e.clone());
        }
        let w = self.whnf(e)?;
        if w.is_pi() {
            Ok(w)
        } else {
            Err(self.reject(format!("function type expected, got {e}")))
        }
    }
}
