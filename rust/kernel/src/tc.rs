//! The type checker: inference (infer-only and check modes), weak head
//! normalisation and definitional equality, over one `Env`, for one
//! declaration at a time.
//!
//! Fuel: every whnf and def-eq call that gets past its O(1) exits and cache
//! probes spends one heartbeat; inference alone spends none. Running out of
//! heartbeats, or nesting deeper than the recursion guard, is a decline.

use crate::env::{ConstantInfo, Env};
use crate::error::{KResult, KernelError};
use crate::expr::{Expr, ExprData, FVarId, Literal};
use crate::level::Level;
use crate::nat;
use ix_lean::{BinderInfo, DefinitionSafety, Name, QuotKind, ReducibilityHints};
use num_bigint::BigUint;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

/// Default heartbeat budget per constant.
pub const DEFAULT_BUDGET: u64 = 20_000_000;

/// Nesting limit of the mutually recursive core (infer/whnf/def-eq); the
/// checker threads' stacks are sized so that this is reached first.
pub const MAX_DEPTH: u32 = 400_000;

/// An opened binder: its type and, for `let`, its value.
#[derive(Clone, Debug)]
pub struct LocalDecl {
    pub name: Name,
    pub ty: Expr,
    pub value: Option<Expr>,
}

/// A leading telescope of locals, abstracted once (see
/// [`TypeChecker::telescope`]).
#[derive(Default)]
pub struct Telescope {
    ids: Vec<FVarId>,
    /// Name, abstracted type and value of each local (`None`: not in the
    /// context, so not bound, as in `mk_binding`).
    binders: Vec<Option<(Name, Expr, Option<Expr>)>>,
}

/// Every reduction memo, in one place so that it can be cleared at a
/// constant boundary (profiling isolates constants this way).
#[derive(Default)]
pub struct Caches {
    pub infer_only: FxHashMap<Expr, Expr>,
    pub infer_checked: FxHashMap<Expr, Expr>,
    pub whnf_core: FxHashMap<Expr, Expr>,
    pub whnf: FxHashMap<Expr, Expr>,
    pub eq_ok: FxHashSet<(Expr, Expr)>,
    pub eq_fail: FxHashSet<(Expr, Expr)>,
    /// Failed argument congruences in lazy delta (same head on both sides).
    pub lazy_fail: FxHashSet<(Expr, Expr)>,
}

impl Caches {
    pub fn clear(&mut self) {
        *self = Caches::default();
    }
}

/// Settings of a checker for one declaration.
#[derive(Clone, Debug)]
pub struct TcOptions {
    pub budget: u64,
    /// Record which constants' bodies each declaration unfolds (the
    /// profiler's delta edges). Off, the hook is one branch on `None`.
    pub profile: bool,
    /// When set, every checker made with these options adds its heartbeats
    /// (and recorded unfolds) here when dropped: how work spread over many
    /// checkers, as in an inductive block, is metered as one.
    pub meter: Option<Arc<Meter>>,
}

/// Heartbeats and unfolds summed over several checkers.
#[derive(Debug, Default)]
pub struct Meter {
    heartbeats: std::sync::atomic::AtomicU64,
    unfolded: std::sync::Mutex<FxHashSet<Name>>,
}

impl Meter {
    pub fn heartbeats(&self) -> u64 {
        self.heartbeats.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The unfolded constants, sorted.
    pub fn unfolded(&self) -> Vec<Name> {
        let set = self.unfolded.lock().map(|s| s.clone()).unwrap_or_default();
        let mut names: Vec<Name> = set.into_iter().collect();
        names.sort_unstable();
        names
    }

    fn add(&self, heartbeats: u64, unfolded: Option<FxHashSet<Name>>) {
        self.heartbeats
            .fetch_add(heartbeats, std::sync::atomic::Ordering::Relaxed);
        if let (Some(names), Ok(mut set)) = (unfolded, self.unfolded.lock()) {
            set.extend(names);
        }
    }
}

impl Default for TcOptions {
    fn default() -> TcOptions {
        TcOptions {
            budget: DEFAULT_BUDGET,
            profile: false,
            meter: None,
        }
    }
}

/// Result of one lazy-delta step.
enum LazyStep {
    Done(bool),
    Continue(Expr, Expr),
}

pub struct TypeChecker<'env> {
    env: &'env Env,
    /// The declaration being checked (named in every error).
    decl: Name,
    /// Constants must come from declarations strictly before this index...
    decl_index: usize,
    /// ...unless listed here (a mutual unsafe/partial block, or the inductive
    /// block being added).
    same_block: FxHashSet<Name>,
    level_params: Arc<[Name]>,
    safety: DefinitionSafety,
    lctx: FxHashMap<FVarId, LocalDecl>,
    pub caches: Caches,
    heartbeats: u64,
    budget: u64,
    depth: u32,
    /// The profile sink: constants whose bodies this declaration unfolded.
    unfolded: Option<FxHashSet<Name>>,
    meter: Option<Arc<Meter>>,
    /// Withheld definitions this checker would have unfolded (shard checks).
    withheld_needed: std::cell::RefCell<FxHashSet<Name>>,
}

impl Drop for TypeChecker<'_> {
    fn drop(&mut self) {
        if let Some(meter) = &self.meter {
            meter.add(self.heartbeats, self.unfolded.take());
        }
    }
}

fn name(s: &str) -> Name {
    Name::from_dotted(s)
}

impl<'env> TypeChecker<'env> {
    /// A checker for the declaration `decl`, the `decl_index`-th of the
    /// environment, with universe parameters `level_params`.
    pub fn new(
        env: &'env Env,
        decl: Name,
        decl_index: usize,
        level_params: Arc<[Name]>,
        safety: DefinitionSafety,
        options: &TcOptions,
    ) -> TypeChecker<'env> {
        TypeChecker {
            env,
            decl,
            decl_index,
            same_block: FxHashSet::default(),
            level_params,
            safety,
            lctx: FxHashMap::default(),
            caches: Caches::default(),
            heartbeats: 0,
            budget: options.budget,
            depth: 0,
            unfolded: options.profile.then(FxHashSet::default),
            meter: options.meter.clone(),
            withheld_needed: Default::default(),
        }
    }

    /// Lets terms mention these constants even though they belong to the
    /// declaration being checked (mutual unsafe/partial bodies, inductive
    /// blocks checking their own constructors).
    pub fn allow_same_block(&mut self, names: impl IntoIterator<Item = Name>) {
        self.same_block.extend(names);
    }

    pub fn env(&self) -> &'env Env {
        self.env
    }

    pub fn decl_name(&self) -> &Name {
        &self.decl
    }

    pub fn heartbeats(&self) -> u64 {
        self.heartbeats
    }

    /// Withheld definitions whose bodies this checker tried to unfold, sorted.
    pub fn withheld_needed(&self) -> Vec<Name> {
        let mut names: Vec<Name> = self.withheld_needed.borrow().iter().cloned().collect();
        names.sort_unstable();
        names
    }

    /// What the profile sink recorded (sorted; empty when not profiling).
    pub fn take_unfolded(&mut self) -> Vec<Name> {
        let mut names: Vec<Name> = self
            .unfolded
            .take()
            .unwrap_or_default()
            .into_iter()
            .collect();
        names.sort_unstable();
        names
    }

    pub fn level_params(&self) -> &[Name] {
        &self.level_params
    }

    /// A rejection naming the declaration being checked.
    pub fn reject(&self, reason: impl Into<String>) -> KernelError {
        KernelError::reject(&self.decl, reason)
    }

    fn decline(&self, reason: impl Into<String>) -> KernelError {
        KernelError::decline(&self.decl, reason)
    }

    fn heartbeat(&mut self) -> KResult<()> {
        self.heartbeats += 1;
        if self.heartbeats > self.budget {
            return Err(self.decline(format!("heartbeat budget of {} exhausted", self.budget)));
        }
        Ok(())
    }

    fn enter(&mut self) -> KResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            self.depth -= 1;
            return Err(self.decline("recursion too deep"));
        }
        Ok(())
    }

    fn leave(&mut self) {
        self.depth -= 1;
    }

    // ---------------------------------------------------------------- locals

    /// Opens a binder: a fresh free variable of type `ty`.
    pub fn push_local(&mut self, name: Name, ty: Expr) -> Expr {
        let id = FVarId::fresh();
        self.lctx.insert(
            id,
            LocalDecl {
                name,
                ty,
                value: None,
            },
        );
        Expr::fvar(id)
    }

    /// Opens a `let`: a fresh free variable that reduces to `value`.
    pub fn push_let(&mut self, name: Name, ty: Expr, value: Expr) -> Expr {
        let id = FVarId::fresh();
        self.lctx.insert(
            id,
            LocalDecl {
                name,
                ty,
                value: Some(value),
            },
        );
        Expr::fvar(id)
    }

    pub fn local(&self, id: FVarId) -> Option<&LocalDecl> {
        self.lctx.get(&id)
    }

    /// `Π (fvars), body`: abstracts the free variables (which must have been
    /// pushed with `push_local`) into a telescope of kind `lambda` or pi.
    pub fn mk_binding(&self, lambda: bool, fvars: &[Expr], body: &Expr) -> Expr {
        self.mk_binding_under(lambda, &Telescope::default(), fvars, body)
    }

    /// The binders of `prefix`, each type abstracted over the ones before
    /// it, for binding many bodies under the same leading telescope (the n
    /// rules of a recursor all bind the same n minor premises: abstracting
    /// them once per rule made n constructors cost n² abstractions).
    pub fn telescope(&self, prefix: &[Expr]) -> Telescope {
        let ids: Vec<FVarId> = prefix.iter().filter_map(fvar_id).collect();
        let positions = crate::expr::FVarPositions::new(&ids);
        let binders = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                self.lctx.get(id).map(|d| {
                    (
                        d.name.clone(),
                        d.ty.abstract_prefix(&positions, i),
                        d.value.as_ref().map(|v| v.abstract_prefix(&positions, i)),
                    )
                })
            })
            .collect();
        Telescope { ids, binders }
    }

    /// `mk_binding(lambda, prefix ++ rest, body)` for the `prefix` that
    /// `telescope` was built from.
    pub fn mk_binding_under(
        &self,
        lambda: bool,
        telescope: &Telescope,
        rest: &[Expr],
        body: &Expr,
    ) -> Expr {
        let ids: Vec<FVarId> = telescope
            .ids
            .iter()
            .copied()
            .chain(rest.iter().filter_map(fvar_id))
            .collect();
        let positions = crate::expr::FVarPositions::new(&ids);
        let mut r = body.abstract_prefix(&positions, ids.len());
        let wrap = |name: Name, ty: Expr, value: Option<Expr>, r: Expr| match value {
            Some(v) => Expr::let_(name, ty, v, r, false),
            None if lambda => Expr::lam(name, BinderInfo::Default, ty, r),
            None => Expr::pi(name, BinderInfo::Default, ty, r),
        };
        for (i, id) in ids.iter().enumerate().skip(telescope.ids.len()).rev() {
            let Some(decl) = self.lctx.get(id) else {
                continue;
            };
            let ty = decl.ty.abstract_prefix(&positions, i);
            let value = decl
                .value
                .as_ref()
                .map(|v| v.abstract_prefix(&positions, i));
            r = wrap(decl.name.clone(), ty, value, r);
        }
        for (name, ty, value) in telescope.binders.iter().rev().flatten() {
            r = wrap(name.clone(), ty.clone(), value.clone(), r);
        }
        r
    }

    // ------------------------------------------------------------- inference

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

    fn infer_core(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
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
            ExprData::Let {
                name,
                ty,
                value,
                body,
                ..
            } => {
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
                let x = self.push_let(name.clone(), ty.clone(), value.clone());
                let body_ty = self.infer_type(&body.instantiate1(&x), infer_only)?;
                // Replace the let-variable by its value in the type.
                let ids = fvar_id(&x).into_iter().collect::<Vec<_>>();
                Ok(body_ty.abstract_fvars(&ids).instantiate1(value))
            }
            ExprData::Lit(Literal::Nat(_)) => self.literal_type("Nat", infer_only),
            ExprData::Lit(Literal::Str(_)) => self.literal_type("String", infer_only),
            ExprData::Proj(s, i, x) => self.infer_proj(s, *i, x, infer_only),
        }
    }

    fn literal_type(&self, ty: &str, infer_only: bool) -> KResult<Expr> {
        let n = name(ty);
        if !infer_only && !self.env.contains(&n) {
            return Err(self.reject(format!("literal used without `{ty}` declared")));
        }
        Ok(Expr::cnst(n, Vec::new()))
    }

    /// Every universe parameter must be one of the declaration's.
    pub fn check_level(&self, l: &Level) -> KResult<()> {
        match l.undeclared_param(&self.level_params) {
            Some(p) => Err(self.reject(format!("undeclared universe parameter {p}"))),
            None => Ok(()),
        }
    }

    /// Looks a constant up for use in a term: it must exist, come earlier
    /// (or from the same block), take as many universes as given, and be
    /// allowed by the safety of the declaration being checked.
    pub fn get_const(&self, n: &Name) -> KResult<&'env ConstantInfo> {
        let Some(entry) = self.env.entry(n) else {
            return Err(self.reject(format!("unknown constant {n}")));
        };
        if entry.decl_index >= self.decl_index {
            if !self.same_block.contains(n) {
                return Err(self.reject(format!("refers to {n}, which is not declared before it")));
            }
            self.check_mutual_member(&entry.info)?;
        }
        Ok(&entry.info)
    }

    /// A body may mention a later constant of its mutual block only if that
    /// constant is a definition of the same safety and universe parameters
    /// (as Lean's kernel requires of a mutual block, lean4#14608): otherwise
    /// an unsafe body could lean on a partial one (or a later axiom) as if
    /// they had been checked together. Types of an inductive block being
    /// declared are not bodies and are exempt.
    fn check_mutual_member(&self, info: &ConstantInfo) -> KResult<()> {
        let safety = match info {
            ConstantInfo::Inductive { .. }
            | ConstantInfo::Constructor { .. }
            | ConstantInfo::Recursor { .. } => return Ok(()),
            ConstantInfo::Definition { safety, .. } => Some(*safety),
            ConstantInfo::Opaque {
                is_unsafe: true, ..
            } => Some(DefinitionSafety::Unsafe),
            ConstantInfo::Opaque { .. } => Some(DefinitionSafety::Safe),
            _ => None,
        };
        if safety != Some(self.safety) || info.level_params() != &self.level_params[..] {
            return Err(self.reject(format!(
                "refers to {}, a member of its mutual block that is not a definition of the same safety and universe parameters",
                info.name()
            )));
        }
        Ok(())
    }

    fn infer_const(&mut self, n: &Name, ls: &[Level], infer_only: bool) -> KResult<Expr> {
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
        Ok(self.env.instantiate_type(info, ls))
    }

    fn infer_app(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        let (f, args) = e.get_app_args();
        let mut fty = self.infer_type(&f, infer_only)?;
        // Pending arguments not yet substituted into `fty` (for linear cost).
        let mut pending: Vec<Expr> = Vec::new();
        for a in &args {
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
            pending.push(a.clone());
            fty = body;
        }
        Ok(fty.instantiate_rev(&pending))
    }

    fn infer_lambda(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        let mut fvars = Vec::new();
        let mut cur = e.clone();
        while let ExprData::Lam(b, ty, body) = cur.data() {
            let d = ty.instantiate_rev(&fvars);
            if !infer_only {
                let s = self.infer_type(&d, false)?;
                self.ensure_sort(&s)?;
            }
            fvars.push(self.push_local(b.name.clone(), d));
            cur = body.clone();
        }
        let body = cur.instantiate_rev(&fvars);
        let r = self.infer_type(&body, infer_only)?;
        Ok(self.mk_binding(false, &fvars, &r))
    }

    fn infer_pi(&mut self, e: &Expr, infer_only: bool) -> KResult<Expr> {
        let mut fvars = Vec::new();
        let mut levels = Vec::new();
        let mut cur = e.clone();
        while let ExprData::Pi(b, ty, body) = cur.data() {
            let d = ty.instantiate_rev(&fvars);
            let s = self.infer_type(&d, infer_only)?;
            levels.push(self.ensure_sort(&s)?);
            fvars.push(self.push_local(b.name.clone(), d));
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

    fn infer_proj(&mut self, s: &Name, idx: u64, x: &Expr, infer_only: bool) -> KResult<Expr> {
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
        let Some(ConstantInfo::Inductive {
            num_params,
            num_indices,
            ctors,
            ..
        }) = self.env.get(iname)
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
        let mut t = self.env.instantiate_type(ctor, ls);
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
    fn is_maybe_prop_type(&mut self, ty: &Expr) -> KResult<bool> {
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

    // ----------------------------------------------------------------- whnf

    /// Beta, zeta, projections, iota and quotients; no delta.
    pub fn whnf_core(&mut self, e: &Expr) -> KResult<Expr> {
        self.whnf_core_with(e, false)
    }

    fn whnf_core_with(&mut self, e: &Expr, cheap_proj: bool) -> KResult<Expr> {
        match e.data() {
            ExprData::BVar(_)
            | ExprData::Sort(_)
            | ExprData::Pi(..)
            | ExprData::Lam(..)
            | ExprData::Lit(_)
            | ExprData::Const(..) => return Ok(e.clone()),
            ExprData::FVar(id) => {
                let Some(v) = self.lctx.get(id).and_then(|d| d.value.clone()) else {
                    return Ok(e.clone());
                };
                return self.whnf_core_with(&v, cheap_proj);
            }
            _ => {}
        }
        if !cheap_proj {
            if let Some(r) = self.caches.whnf_core.get(e) {
                return Ok(r.clone());
            }
        }
        self.heartbeat()?;
        self.enter()?;
        let r = self.whnf_core_step(e, cheap_proj);
        self.leave();
        let r = r?;
        if !cheap_proj {
            self.caches.whnf_core.insert(e.clone(), r.clone());
        }
        Ok(r)
    }

    fn whnf_core_step(&mut self, e: &Expr, cheap_proj: bool) -> KResult<Expr> {
        match e.data() {
            ExprData::App(..) => {
                let (f, args) = e.get_app_args();
                let f2 = self.whnf_core_with(&f, cheap_proj)?;
                if f2.is_lambda() {
                    let mut body = f2;
                    let mut used = 0;
                    while let (ExprData::Lam(_, _, b), true) = (body.data(), used < args.len()) {
                        body = b.clone();
                        used += 1;
                    }
                    let r = Expr::mk_app(body.instantiate_rev(&args[..used]), &args[used..]);
                    return self.whnf_core_with(&r, cheap_proj);
                }
                let app = if f2.ptr_eq(&f) {
                    e.clone()
                } else {
                    Expr::mk_app(f2.clone(), &args)
                };
                if let ExprData::Const(n, ls) = f2.data() {
                    if let Some(r) = self.reduce_iota(n, ls, &args)? {
                        return self.whnf_core_with(&r, cheap_proj);
                    }
                }
                Ok(app)
            }
            ExprData::Let { value, body, .. } => {
                self.whnf_core_with(&body.instantiate1(value), cheap_proj)
            }
            ExprData::Proj(_, idx, x) => {
                let c = if cheap_proj {
                    self.whnf_core_with(x, true)?
                } else {
                    self.whnf(x)?
                };
                match self.project(&c, *idx)? {
                    Some(r) => self.whnf_core_with(&r, cheap_proj),
                    None => Ok(e.clone()),
                }
            }
            _ => Ok(e.clone()),
        }
    }

    /// Field `idx` of a constructor application (string literals expanded).
    fn project(&mut self, c: &Expr, idx: u64) -> KResult<Option<Expr>> {
        let c = match c.data() {
            ExprData::Lit(Literal::Str(s)) if self.env.prims.string => {
                let expanded = self.string_lit_expand(s);
                self.whnf(&expanded)?
            }
            _ => c.clone(),
        };
        let (head, args) = c.get_app_args();
        let Some(ConstantInfo::Constructor { num_params, .. }) =
            head.const_name().and_then(|n| self.env.get(n))
        else {
            return Ok(None);
        };
        Ok(args.get(*num_params as usize + idx as usize).cloned())
    }

    /// Recursor and quotient reduction of `n.{ls} args`.
    fn reduce_iota(&mut self, n: &Name, ls: &[Level], args: &[Expr]) -> KResult<Option<Expr>> {
        match self.env.get(n) {
            Some(ConstantInfo::Recursor {
                val,
                num_params,
                num_indices,
                num_motives,
                num_minors,
                rules,
                k,
                ..
            }) => {
                let np = (*num_params + *num_motives + *num_minors) as usize;
                let major_idx = np + *num_indices as usize;
                let Some(major) = args.get(major_idx) else {
                    return Ok(None);
                };
                let mut major = major.clone();
                if *k {
                    major = self.k_major_as_ctor(*num_params as usize, &major, rules)?;
                }
                let mut major = self.whnf(&major)?;
                match major.data() {
                    ExprData::Lit(Literal::Nat(v)) if self.nat_available() => {
                        major = self.nat_lit_to_ctor(v)
                    }
                    ExprData::Lit(Literal::Str(s)) if self.env.prims.string => {
                        major = self.string_lit_expand(s)
                    }
                    _ => {}
                }
                let major = match self.struct_major_as_ctor(&major, rules)? {
                    Some(m) => m,
                    None => major,
                };
                let (ctor, cargs) = major.get_app_args();
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
                let rhs = rule.rhs.instantiate_level_params(&val.level_params, ls);
                let rhs = Expr::mk_app(rhs, &args[..np]);
                let rhs = Expr::mk_app(rhs, &cargs[cargs.len() - nf..]);
                Ok(Some(Expr::mk_app(rhs, &args[major_idx + 1..])))
            }
            Some(ConstantInfo::Quot { kind, .. }) if self.env.quot_initialized => {
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
    fn k_major_as_ctor(
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
    fn struct_major_as_ctor(
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
    fn eta_expand_struct(
        &self,
        induct: &Name,
        ls: &Arc<[Level]>,
        targs: &[Expr],
        e: &Expr,
    ) -> Expr {
        let Some(ConstantInfo::Inductive {
            ctors, num_params, ..
        }) = self.env.get(induct)
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
            self.env.get(induct),
            Some(ConstantInfo::Inductive { ctors, num_indices: 0, is_rec: false, .. }) if ctors.len() == 1
        )
    }

    fn nat_lit_to_ctor(&self, v: &BigUint) -> Expr {
        if v == &BigUint::from(0u8) {
            Expr::cnst(name("Nat.zero"), Vec::new())
        } else {
            Expr::app(
                Expr::cnst(name("Nat.succ"), Vec::new()),
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

    fn whnf_loop(&mut self, e: &Expr) -> KResult<Expr> {
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
    fn decline_native(&self, e: &Expr) -> KResult<()> {
        if let Some(n) = e.get_app_fn().const_name() {
            if *n == name("Lean.reduceBool") || *n == name("Lean.reduceNat") {
                return Err(self.decline(format!("native reduction ({n}) is not supported")));
            }
        }
        Ok(())
    }

    /// The reducibility hints of the definition heading `e`, if it unfolds.
    fn delta_hints(&self, e: &Expr) -> Option<ReducibilityHints> {
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
    fn unfold_definition(&mut self, e: &Expr) -> KResult<Option<Expr>> {
        if self.delta_hints(e).is_none() {
            return Ok(None);
        }
        let (head, args) = e.get_app_args();
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
        let body = value.instantiate_level_params(info.level_params(), ls);
        Ok(Some(beta_spine(&body, &args)))
    }

    /// Kernel Nat acceleration on literals (and `Nat.zero`).
    fn reduce_nat(&mut self, e: &Expr) -> KResult<Option<Expr>> {
        let (head, args) = match e.data() {
            ExprData::App(..) => e.get_app_args(),
            _ => return Ok(None),
        };
        let Some(op) = head.const_name() else {
            return Ok(None);
        };
        if args.is_empty() || args.len() > 2 || !self.nat_available() {
            return Ok(None);
        }
        let Some(op) = nat::op_of(op) else {
            return Ok(None);
        };
        if op.arity() != args.len() || !self.env.prims.accelerates(op) {
            return Ok(None);
        }
        let mut vals = Vec::new();
        for a in &args {
            let w = self.whnf(a)?;
            match self.nat_value(&w) {
                Some(v) => vals.push(v),
                None => return Ok(None),
            }
        }
        Ok(nat::apply(op, &vals))
    }

    /// `Nat` is exactly the expected inductive (see `primitive`).
    fn nat_available(&self) -> bool {
        self.env.prims.nat
    }

    fn nat_value(&self, e: &Expr) -> Option<BigUint> {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) => Some((**v).clone()),
            ExprData::Const(n, _) if *n == name("Nat.zero") => Some(BigUint::from(0u8)),
            _ => None,
        }
    }

    // ---------------------------------------------------------------- def-eq

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
    fn quick_is_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
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

    fn is_def_eq_binding(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
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

    fn is_def_eq_core(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        // The `decide` fast path.
        let bool_true = name("Bool.true");
        if s.is_const_of(&bool_true) && !t.has_fvar() {
            let w = self.whnf(t)?;
            if w.is_const_of(&bool_true) {
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

    fn is_def_eq_proof_irrel(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        let tt = self.infer(t)?;
        if !self.is_proof_type(&tt)? {
            return Ok(None);
        }
        let st = self.infer(s)?;
        self.is_def_eq(&tt, &st).map(Some)
    }

    fn lazy_delta(&mut self, mut t: Expr, mut s: Expr) -> KResult<LazyStep> {
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

    fn unfold_then_core(&mut self, e: &Expr) -> KResult<Expr> {
        match self.unfold_definition(e)? {
            Some(u) => self.whnf_core_with(&u, true),
            None => Ok(e.clone()),
        }
    }

    /// Same constant head on both sides: compare levels and arguments, with
    /// a failure cache.
    fn same_head_args_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
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

    fn args_def_eq(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        let (_, ta) = t.get_app_args();
        let (_, sa) = s.get_app_args();
        if ta.len() != sa.len() {
            return Ok(false);
        }
        for (x, y) in ta.iter().zip(&sa) {
            if !self.is_def_eq(x, y)? {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// `n+1` literals and `Nat.succ` compare by predecessor.
    fn is_def_eq_offset(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        if self.is_nat_zero(t) && self.is_nat_zero(s) {
            return Ok(Some(true));
        }
        match (self.nat_pred(t), self.nat_pred(s)) {
            (Some(a), Some(b)) => self.is_def_eq(&a, &b).map(Some),
            _ => Ok(None),
        }
    }

    fn is_nat_zero(&self, e: &Expr) -> bool {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) => **v == BigUint::from(0u8),
            ExprData::Const(n, _) => *n == name("Nat.zero") && self.nat_available(),
            _ => false,
        }
    }

    fn nat_pred(&self, e: &Expr) -> Option<Expr> {
        match e.data() {
            ExprData::Lit(Literal::Nat(v)) if **v > BigUint::from(0u8) => {
                self.nat_available().then(|| Expr::nat_lit(&**v - 1u8))
            }
            ExprData::App(f, a) if f.is_const_of(&name("Nat.succ")) && self.nat_available() => {
                Some(a.clone())
            }
            _ => None,
        }
    }

    fn is_def_eq_app(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        if !t.is_app() || !s.is_app() || t.app_num_args() != s.app_num_args() {
            return Ok(false);
        }
        if !self.is_def_eq(t.get_app_fn(), s.get_app_fn())? {
            return Ok(false);
        }
        self.args_def_eq(t, s)
    }

    /// `fun x => t x` against `s` when `s` has a function type.
    fn try_eta_expansion(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        if !t.is_lambda() || s.is_lambda() {
            return Ok(false);
        }
        let st = self.infer(s)?;
        let st = self.whnf(&st)?;
        let ExprData::Pi(b, dom, _) = st.data() else {
            return Ok(false);
        };
        let expanded = Expr::lam(
            b.name.clone(),
            b.info,
            dom.clone(),
            Expr::app(s.lift_loose_bvars(0, 1), Expr::bvar(0)),
        );
        self.is_def_eq(t, &expanded)
    }

    /// Structure eta: `s = mk a₁ … aₙ` and `t.i ≡ aᵢ` for every field.
    fn try_eta_struct(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
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

    fn try_string_lit(&mut self, t: &Expr, s: &Expr) -> KResult<Option<bool>> {
        if !self.env.prims.string {
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
    fn is_def_eq_unit_like(&mut self, t: &Expr, s: &Expr) -> KResult<bool> {
        let tt = self.infer(t)?;
        let tt = self.whnf(&tt)?;
        let Some(iname) = tt.get_app_fn().const_name() else {
            return Ok(false);
        };
        let Some(ConstantInfo::Inductive {
            ctors,
            num_indices: 0,
            is_rec: false,
            ..
        }) = self.env.get(iname)
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

fn fvar_id(e: &Expr) -> Option<FVarId> {
    match e.data() {
        ExprData::FVar(id) => Some(*id),
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

/// `(fun xs => b) args`, substituting as many arguments as there are lambdas.
pub fn beta_spine(f: &Expr, args: &[Expr]) -> Expr {
    let mut body = f.clone();
    let mut used = 0;
    while used < args.len() {
        match body.data() {
            ExprData::Lam(_, _, b) => {
                body = b.clone();
                used += 1;
            }
            _ => break,
        }
    }
    Expr::mk_app(body.instantiate_rev(&args[..used]), &args[used..])
}
