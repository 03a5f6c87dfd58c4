//! Definitional equality: quick checks, proof irrelevance, lazy delta by
//! reducibility hints, eta, structure eta, unit-like types, and Nat and
//! String literals.

use super::*;

impl TypeChecker<'_> {
    /// Definitional equality.
    pub fn is_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        if let Some(r) = self.quick_is_def_eq(t, s)? {
            return Ok(r);
        }
        let key = (t.clone(), s.clone());
        if self.caches.eq_ok.contains(&key) {
            return Ok(true);
        }
        if self.caches.eq_fail.contains(&key) {
            return Ok(false);
        }
        self.heartbeat()?;
        self.enter()?;
        let r = self.is_def_eq_core(t, s);
        self.leave();
        let r = r?;
        if r {
            self.caches.eq_ok.insert(key);
        } else {
            self.caches.eq_fail.insert(key);
        }
        Ok(r)
    }

    /// The O(1)-ish checks: identity, sorts, binders, literals.
    pub(super) fn quick_is_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        if t == s {
            return Ok(Some(true));
        }
        match (t.data(), s.data()) {
            (ExprData::Sort(a), ExprData::Sort(b)) => Ok(Some(a.equiv(b))),
            (ExprData::Lam(..), ExprData::Lam(..)) | (ExprData::Pi(..), ExprData::Pi(..)) => {
                self.is_def_eq_binding(t, s).map(Some)
            }
            (ExprData::Lit(a), ExprData::Lit(b)) => Ok(Some(a == b)),
            _ => Ok(None),
        }
    }

    pub(super) fn is_def_eq_binding(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        let mut fvars = Vec::new();
        let (mut a, mut b) = (t.clone(), s.clone());
        while let Some((da, ba, db, bb)) = binder_pair(&a, &b) {
            let var_ty = da.instantiate_rev(&fvars);
            if !da.ptr_eq(&db) {
                let other = db.instantiate_rev(&fvars);
                if !self.is_def_eq(&var_ty, &other)? {
                    return Ok(false);
                }
            }
            fvars.push(self.push_local(Name::anonymous(), var_ty));
            a = ba;
            b = bb;
        }
        let (a, b) = (a.instantiate_rev(&fvars), b.instantiate_rev(&fvars));
        self.is_def_eq(&a, &b)
    }

    pub(super) fn is_def_eq_core(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        // The `decide` fast path.
        if s.is_const_of(&HOT.bool_true) && !t.has_fvar() {
            let w = self.whnf(t)?;
            if w.is_const_of(&HOT.bool_true) {
                return Ok(true);
            }
        }
        let t1 = self.whnf_core_with(t, true)?;
        let s1 = self.whnf_core_with(s, true)?;
        if !t1.ptr_eq(t) || !s1.ptr_eq(s) {
            if let Some(r) = self.quick_is_def_eq(&t1, &s1)? {
                return Ok(r);
            }
        }
        if let Some(r) = self.is_def_eq_proof_irrel(&t1, &s1)? {
            return Ok(r);
        }
        let (t2, s2) = match self.lazy_delta(t1, s1)? {
            LazyStep::Done(r) => return Ok(r),
            LazyStep::Continue(a, b) => (a, b),
        };
        match (t2.data(), s2.data()) {
            (ExprData::Const(a, la), ExprData::Const(b, lb)) if a == b && levels_equiv(la, lb) => {
                return Ok(true)
            }
            (ExprData::FVar(a), ExprData::FVar(b)) if a == b => return Ok(true),
            (ExprData::Proj(_, i, x), ExprData::Proj(_, j, y))
                if i == j && self.is_def_eq(x, y)? =>
            {
                return Ok(true)
            }
            _ => {}
        }
        let t3 = self.whnf_core(&t2)?;
        let s3 = self.whnf_core(&s2)?;
        if !t3.ptr_eq(&t2) || !s3.ptr_eq(&s2) {
            return self.is_def_eq(&t3, &s3);
        }
        if self.is_def_eq_app(&t3, &s3)? {
            return Ok(true);
        }
        if self.try_eta_expansion(&t3, &s3)? || self.try_eta_expansion(&s3, &t3)? {
            return Ok(true);
        }
        if self.try_eta_struct(&t3, &s3)? || self.try_eta_struct(&s3, &t3)? {
            return Ok(true);
        }
        if let Some(r) = self.try_string_lit(&t3, &s3)? {
            return Ok(r);
        }
        self.is_def_eq_unit_like(&t3, &s3)
    }

    pub(super) fn is_def_eq_proof_irrel(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        let tt = self.infer(t)?;
        if !self.is_proof_type(&tt)? {
            return Ok(None);
        }
        let st = self.infer(s)?;
        self.is_def_eq(&tt, &st).map(Some)
    }

    pub(super) fn lazy_delta(&mut self, mut t: Expr, mut s: Expr) -> KResult<LazyStep> {
        loop {
            self.heartbeat()?;
            if let Some(r) = self.is_def_eq_offset(&t, &s)? {
                return Ok(LazyStep::Done(r));
            }
            if !t.has_fvar() && !s.has_fvar() {
                if let Some(tv) = self.reduce_nat(&t)? {
                    return self.is_def_eq(&tv, &s).map(LazyStep::Done);
                }
                if let Some(sv) = self.reduce_nat(&s)? {
                    return self.is_def_eq(&t, &sv).map(LazyStep::Done);
                }
            }
            self.decline_native(&t)?;
            self.decline_native(&s)?;
            let ht = self.delta_hints(&t);
            let hs = self.delta_hints(&s);
            match (ht, hs) {
                (None, None) => return Ok(LazyStep::Continue(t, s)),
                (Some(_), None) => t = self.unfold_then_core(&t)?,
                (None, Some(_)) => s = self.unfold_then_core(&s)?,
                (Some(a), Some(b)) => match compare_hints(a, b) {
                    std::cmp::Ordering::Less => s = self.unfold_then_core(&s)?,
                    std::cmp::Ordering::Greater => t = self.unfold_then_core(&t)?,
                    std::cmp::Ordering::Equal => {
                        if matches!(a, ReducibilityHints::Regular(_))
                            && self.same_head_args_def_eq(&t, &s)?
                        {
                            return Ok(LazyStep::Done(true));
                        }
                        t = self.unfold_then_core(&t)?;
                        s = self.unfold_then_core(&s)?;
                    }
                },
            }
            if let Some(r) = self.quick_is_def_eq(&t, &s)? {
                return Ok(LazyStep::Done(r));
            }
        }
    }

    pub(super) fn unfold_then_core(&mut self, e: &Expr) -> KResult<Expr> {
        match self.unfold_definition(e)? {
            Some(u) => self.whnf_core_with(&u, true),
            None => Ok(e.clone()),
        }
    }

    /// Same constant head on both sides: compare levels and arguments, with
    /// a failure cache.
    pub(super) fn same_head_args_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        if !t.is_app() || !s.is_app() {
            return Ok(false);
        }
        let (Some((a, la)), Some((b, lb))) = (t.const_head(), s.const_head()) else {
            return Ok(false);
        };
        if a != b || !levels_equiv(la, lb) {
            return Ok(false);
        }
        let key = (t.clone(), s.clone());
        if self.caches.lazy_fail.contains(&key) {
            return Ok(false);
        }
        if self.args_def_eq(t, s)? {
            return Ok(true);
        }
        self.caches.lazy_fail.insert(key);
        Ok(false)
    }

    pub(super) fn args_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        let (_, ta) = t.app_args();
        let (_, sa) = s.app_args();
        if ta.len() != sa.len() {
            return Ok(false);
        }
        for (x, y) in ta.into_iter().zip(sa) {
            if !self.is_def_eq(x, y)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `n+1` literals and `Nat.succ` compare by predecessor.
    pub(super) fn is_def_eq_offset(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        if self.is_nat_zero(t) && self.is_nat_zero(s) {
            return Ok(Some(true));
        }
        match (self.nat_pred(t), self.nat_pred(s)) {
            (Some(a), Some(b)) => self.is_def_eq(&a, &b).map(Some),
            _ => Ok(None),
        }
    }

    pub(super) fn is_nat_zero(&self, e: &Expr) -> bool {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) => **v == BigUint::from(0u8),
            ExprData::Const(n, _) => *n == HOT.nat_zero && self.nat_available(),
            _ => false,
        }
    }

    pub(super) fn nat_pred(&self, e: &Expr) -> Option<Expr> {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) if **v > BigUint::from(0u8) => {
                self.nat_available().then(|| Expr::nat_lit(&**v - 1u8))
            }
            ExprData::App(f, a) if f.is_const_of(&HOT.nat_succ) && self.nat_available() => {
                Some(a.clone())
            }
            _ => None,
        }
    }

    pub(super) fn is_def_eq_app(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        if !t.is_app() || !s.is_app() || t.app_num_args() != s.app_num_args() {
            return Ok(false);
        }
        if !self.is_def_eq(t.get_app_fn(), s.get_app_fn())? {
            return Ok(false);
        }
        self.args_def_eq(t, s)
    }

    /// `fun x => t x` against `s` when `s` has a function type.
    pub(super) fn try_eta_expansion(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        if !t.is_lambda() || s.is_lambda() {
            return Ok(false);
        }
        let st = self.infer(s)?;
        let st = self.whnf(&st)?;
        let ExprData::Pi(b, dom, _) = st.data() else {
            return Ok(false);
        };
        let expanded = Expr::lam(
            *b,
            st.binder_info(),
            dom.clone(),
            Expr::app(s.lift_loose_bvars(0, 1), Expr::bvar(0)),
        );
        self.is_def_eq(t, &expanded)
    }

    /// Structure eta: `s = mk a₁ … aₙ` and `t.i ≡ aᵢ` for every field.
    pub(super) fn try_eta_struct(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        let (head, args) = s.get_app_args();
        let Some(ConstantInfo::Constructor {
            induct,
            num_params,
            num_fields,
            ..
        }) = head.const_name().and_then(|n| self.env.get(n))
        else {
            return Ok(false);
        };
        if args.len() != (*num_params + *num_fields) as usize || !self.is_structure_like(induct) {
            return Ok(false);
        }
        let tt = self.infer(t)?;
        let st = self.infer(s)?;
        if !self.is_def_eq(&tt, &st)? {
            return Ok(false);
        }
        for i in 0..*num_fields as usize {
            let p = Expr::proj(induct.clone(), i as u64, t.clone());
            if !self.is_def_eq(&p, &args[*num_params as usize + i])? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    pub(super) fn try_string_lit(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        if !self.env.prims.string(self.decl_index) {
            return Ok(None);
        }
        match (t.data(), s.data()) {
            (ExprData::Lit(Literal::Str(a)), _) if s.is_app() => {
                let e = self.string_lit_expand(a);
                self.is_def_eq(&e, s).map(Some)
            }
            (_, ExprData::Lit(Literal::Str(b))) if t.is_app() => {
                let e = self.string_lit_expand(b);
                self.is_def_eq(t, &e).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// Two inhabitants of a type with one field-less constructor (no
    /// indices, not recursive) are equal.
    pub(super) fn is_def_eq_unit_like(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        let tt = self.infer(t)?;
        let tt = self.whnf(&tt)?;
        let Some(iname) = tt.get_app_fn().const_name() else {
            return Ok(false);
        };
        let Some(InductiveVal {
            ctors,
            num_indices: 0,
            is_rec: false,
            ..
        }) = self.env.inductive(iname)
        else {
            return Ok(false);
        };
        if ctors.len() != 1 {
            return Ok(false);
        }
        let Some(ConstantInfo::Constructor { num_fields: 0, .. }) = self.env.get(&ctors[0]) else {
            return Ok(false);
        };
        let st = self.infer(s)?;
        self.is_def_eq(&tt, &st)
    }
}

/// Domains and bodies of two binders of the same kind.
fn binder_pair(a: &Expr, b: &Expr) -> Option<(Expr, Expr, Expr, Expr)> {
    match (a.data(), b.data()) {
        (ExprData::Lam(_, da, ba), ExprData::Lam(_, db, bb))
        | (ExprData::Pi(_, da, ba), ExprData::Pi(_, db, bb)) => {
            Some((da.clone(), ba.clone(), db.clone(), bb.clone()))
        }
        _ => None,
    }
}

fn levels_equiv(a: &[Level], b: &[Level]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x.equiv(y))
}

/// Which side lazy delta unfolds: `Greater` unfolds the left one (it has the
/// larger height, or is an abbreviation), `Less` the right one.
fn compare_hints(a: ReducibilityHints, b: ReducibilityHints) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    use ReducibilityHints::*;
    match (a, b) {
        (Regular(x), Regular(y)) => x.cmp(&y),
        (Opaque, Opaque) | (Abbrev, Abbrev) => Equal,
        (Opaque, _) => Less,
        (_, Opaque) => Greater,
        (Abbrev, _) => Greater,
        (_, Abbrev) => Less,
    }
}
