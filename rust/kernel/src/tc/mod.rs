//! The type checker: inference (infer-only and check modes), weak head
//! normalisation and definitional equality, over one `Env`, for one
//! declaration at a time.
//!
//! Fuel: every whnf and def-eq call that gets past its O(1) exits and cache
//! probes spends one heartbeat; inference alone spends none. Running out of
//! heartbeats, or nesting deeper than the recursion guard, is a decline.

use crate::binder_name::BinderName;
use crate::env::{ConstantInfo, Env, InductiveVal, RecursorVal};
use crate::error::{KResult, KernelError};
use crate::expr::{Expr, ExprData, FVarId, Literal};
use crate::level::Level;
use crate::nat;
use ix_lean::{BinderInfo, DefinitionSafety, Name, QuotKind, ReducibilityHints};
use num_bigint::BigUint;
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

mod def_eq;
mod infer;
mod whnf;

pub use whnf::beta_spine;

/// Default heartbeat budget per constant.
pub const DEFAULT_BUDGET: u64 = 20_000_000;

/// Nesting limit of the mutually recursive core (infer/whnf/def-eq); the
/// checker threads' stacks are sized so that this is reached first.
pub const MAX_DEPTH: u32 = 400_000;

/// An opened binder: its type and, for `let`, its value.
#[derive(Clone, Debug)]
pub struct LocalDecl {
    pub name: BinderName,
    pub ty: Expr,
    pub value: Option<Expr>,
}

/// The locals opened by one checker, in the order they were opened. Fresh
/// ids only grow, so the list is sorted by id and a lookup is a binary
/// search: cheaper than hashing for the few dozen locals a body opens.
#[derive(Default)]
struct LocalContext(Vec<(FVarId, LocalDecl)>);

impl LocalContext {
    fn push(&mut self, id: FVarId, local: LocalDecl) {
        debug_assert!(self.0.last().is_none_or(|(last, _)| last.0 < id.0));
        self.0.push((id, local));
    }

    fn get(&self, id: &FVarId) -> Option<&LocalDecl> {
        let at = self.0.binary_search_by_key(&id.0, |(k, _)| k.0).ok()?;
        Some(&self.0[at].1)
    }
}

/// A leading telescope of locals, abstracted once (see
/// [`TypeChecker::telescope`]).
#[derive(Default)]
pub struct Telescope {
    ids: Vec<FVarId>,
    /// Name, abstracted type and value of each local (`None`: not in the
    /// context, so not bound, as in `mk_binding`).
    binders: Vec<Option<(BinderName, Expr, Option<Expr>)>>,
}

/// Every reduction memo, in one place. All but `instances` hold for one
/// constant only (profiling isolates constants, and fuel must not depend on
/// what was checked before); see [`Caches::next_constant`].
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
    pub instances: Instances,
}

/// Tables past this many buckets are given back to the allocator between
/// constants rather than kept for the next one: clearing sweeps every
/// bucket, and one big declaration must not make every later clear slow.
const KEPT_CAPACITY: usize = 1 << 12;

/// Instantiations kept past this many source terms are dropped between
/// constants: the memo is a working set, not an archive.
const KEPT_INSTANCES: usize = 1 << 14;

impl Caches {
    /// Readies the memos for another constant checked by the same worker:
    /// the per-constant tables are emptied (keeping their allocations), the
    /// universe instantiations kept, since they are pure.
    pub fn next_constant(&mut self) {
        clear_keeping(&mut self.infer_only);
        clear_keeping(&mut self.infer_checked);
        clear_keeping(&mut self.whnf_core);
        clear_keeping(&mut self.whnf);
        clear_keeping_set(&mut self.eq_ok);
        clear_keeping_set(&mut self.eq_fail);
        clear_keeping_set(&mut self.lazy_fail);
        if self.instances.0.len() > KEPT_INSTANCES {
            self.instances = Instances::default();
        }
    }
}

fn clear_keeping<K, V>(map: &mut FxHashMap<K, V>) {
    if map.capacity() > KEPT_CAPACITY {
        *map = FxHashMap::default();
    } else {
        map.clear();
    }
}

fn clear_keeping_set<K>(set: &mut FxHashSet<K>) {
    if set.capacity() > KEPT_CAPACITY {
        *set = FxHashSet::default();
    } else {
        set.clear();
    }
}

/// Terms of the environment (constants' types and values, recursor rules'
/// right-hand sides) at the universe levels they were used at: one
/// constant is used at one list of levels many times, within a declaration
/// and across the declarations a worker checks. Instantiation spends no
/// fuel and records no unfold, so a hit changes nothing but the time.
#[derive(Default)]
pub struct Instances(FxHashMap<Expr, Vec<Instance>>);

/// One instantiation of a source term.
struct Instance {
    params: Box<[Name]>,
    levels: Box<[Level]>,
    result: Expr,
}

impl Instances {
    /// `source` with `params` replaced by `levels`.
    pub fn instantiate(&mut self, source: &Expr, params: &[Name], levels: &[Level]) -> Expr {
        if params.is_empty() || !source.has_level_param() {
            return source.clone();
        }
        let known = match self.0.get_mut(source) {
            Some(known) => known,
            None => self.0.entry(source.clone()).or_default(),
        };
        let hit = known
            .iter()
            .find(|i| &*i.levels == levels && &*i.params == params);
        if let Some(i) = hit {
            return i.result.clone();
        }
        let result = source.instantiate_level_params(params, levels);
        known.push(Instance {
            params: params.into(),
            levels: levels.into(),
            result: result.clone(),
        });
        result
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
    level_params: crate::level::LevelParams,
    safety: DefinitionSafety,
    lctx: LocalContext,
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

/// Names compared against on every whnf and def-eq step, built once rather
/// than parsed from text at each comparison.
struct HotNames {
    nat_zero: Name,
    nat_succ: Name,
    bool_true: Name,
    reduce_bool: Name,
    reduce_nat: Name,
}

static HOT: std::sync::LazyLock<HotNames> = std::sync::LazyLock::new(|| HotNames {
    nat_zero: name("Nat.zero"),
    nat_succ: name("Nat.succ"),
    bool_true: name("Bool.true"),
    reduce_bool: name("Lean.reduceBool"),
    reduce_nat: name("Lean.reduceNat"),
});

impl<'env> TypeChecker<'env> {
    /// A checker for the declaration `decl`, the `decl_index`-th of the
    /// environment, with universe parameters `level_params`.
    pub fn new(
        env: &'env Env,
        decl: Name,
        decl_index: usize,
        level_params: crate::level::LevelParams,
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
            lctx: LocalContext::default(),
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
    pub fn push_local(&mut self, name: impl Into<BinderName>, ty: Expr) -> Expr {
        self.push(LocalDecl {
            name: name.into(),
            ty,
            value: None,
        })
    }

    /// Opens a `let`: a fresh free variable that reduces to `value`.
    pub fn push_let(&mut self, name: impl Into<BinderName>, ty: Expr, value: Expr) -> Expr {
        self.push(LocalDecl {
            name: name.into(),
            ty,
            value: Some(value),
        })
    }

    fn push(&mut self, local: LocalDecl) -> Expr {
        let id = FVarId::fresh();
        self.lctx.push(id, local);
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
                        d.name,
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
        let wrap = |name: BinderName, ty: Expr, value: Option<Expr>, r: Expr| match value {
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
            r = wrap(decl.name, ty, value, r);
        }
        for (name, ty, value) in telescope.binders.iter().rev().flatten() {
            r = wrap(*name, ty.clone(), value.clone(), r);
        }
        r
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
        // One message whether `n` is declared later or not at all: what a
        // body sees of later declarations depends on how far the sequential
        // pass got (see `check::ROUND`), and the report must not.
        let undeclared = || self.reject(format!("refers to {n}, which is not declared before it"));
        let entry = self.env.entry(n).ok_or_else(undeclared)?;
        if entry.decl_index >= self.decl_index {
            if !self.same_block.contains(n) {
                return Err(undeclared());
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
            ConstantInfo::Inductive(_)
            | ConstantInfo::Constructor { .. }
            | ConstantInfo::Recursor(_) => return Ok(()),
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
}

fn fvar_id(e: &Expr) -> Option<FVarId> {
    match e.data() {
        ExprData::FVar(id) => Some(*id),
        _ => None,
    }
}
