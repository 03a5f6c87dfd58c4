//! Kernel expressions: an `Arc` DAG whose nodes cache a structural hash, the
//! loose-bound-variable range and flags (free variables, level parameters).
//! Binders are opened with free variables (`FVar`), locally nameless style.
//!
//! Every traversal here is memoized per (node, binder offset) and skips
//! subterms its flags prove untouched, so a DAG-shared term costs time linear
//! in its number of distinct nodes, never in its tree size.

use crate::binder_name::BinderName;
use crate::level::{Level, Levels};
use ix_lean::{BinderInfo, Name};
use num_bigint::BigUint;
use rustc_hash::{FxHashMap, FxHasher};
use std::borrow::Borrow;
use std::hash::{Hash, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A free variable: an opened binder, unique for the process lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FVarId(pub u64);

static NEXT_FVAR: AtomicU64 = AtomicU64::new(0);

impl FVarId {
    pub fn fresh() -> FVarId {
        FVarId(NEXT_FVAR.fetch_add(1, Ordering::Relaxed))
    }
}

/// A literal; each kind behind one thin pointer (see [`ExprData`]).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Literal {
    Nat(Arc<BigUint>),
    Str(Arc<String>),
}

/// The node kinds, each in 24 bytes: two pointers and what fits beside
/// the tag (a binder's name number, a projection's index). Binder names
/// and infos are kept for messages only: they take part in neither
/// hashing nor equality.
pub enum ExprData {
    BVar(u64),
    FVar(FVarId),
    Sort(Level),
    Const(Name, Levels),
    App(Expr, Expr),
    /// The binder's info is kept in the node (see [`Expr::binder_info`]).
    Lam(BinderName, Expr, Expr),
    Pi(BinderName, Expr, Expr),
    /// Boxed: the only kind with three children.
    Let(Box<LetData>),
    Lit(Literal),
    /// Field `idx` (0-based) of a value of structure type `struct_name`.
    Proj(Name, u32, Expr),
}

const _: () = assert!(std::mem::size_of::<ExprData>() == 24);

/// The parts of a `let`.
pub struct LetData {
    pub name: BinderName,
    pub ty: Expr,
    pub value: Expr,
    pub body: Expr,
    pub non_dep: bool,
}

const HAS_FVAR: u8 = 1;
const HAS_LEVEL_PARAM: u8 = 2;

/// A node's cached facts, packed in one word so that a node with its count
/// is 40 bytes: from the low bits up, the flags (2 bits), the binder info
/// (2), the loose-bound-variable range (14) and the structural hash (46).
///
/// The hash keeps 46 bits: iterating a hash on `b` bits falls into a cycle
/// after about 2^(b/2) steps, and a deep chain `f (f (… x))` is such an
/// iteration; at 46 bits that is millions of steps (32 bits cycled within
/// ~65k and made hash tables of the chain quadratic).
#[derive(Clone, Copy)]
struct Head(u64);

const FLAG_BITS: u32 = 2;
const INFO_BITS: u32 = 2;
const RANGE_BITS: u32 = 14;
const RANGE_SHIFT: u32 = FLAG_BITS + INFO_BITS;
const HASH_SHIFT: u32 = RANGE_SHIFT + RANGE_BITS;
/// The stored range that stands for "this or more": a node whose range
/// does not fit is never taken to be closed at any offset.
const RANGE_SATURATED: u32 = (1 << RANGE_BITS) - 1;

impl Head {
    fn new(hash: u64, range: u32, flags: u8, info: BinderInfo) -> Head {
        let info = match info {
            BinderInfo::Default => 0u64,
            BinderInfo::Implicit => 1,
            BinderInfo::StrictImplicit => 2,
            BinderInfo::InstImplicit => 3,
        };
        let range = u64::from(range.min(RANGE_SATURATED));
        Head(
            (hash >> HASH_SHIFT << HASH_SHIFT)
                | range << RANGE_SHIFT
                | info << FLAG_BITS
                | u64::from(flags),
        )
    }
    fn hash(self) -> u64 {
        self.0 >> HASH_SHIFT
    }
    fn flags(self) -> u8 {
        (self.0 & ((1 << FLAG_BITS) - 1)) as u8
    }
    fn info(self) -> BinderInfo {
        match (self.0 >> FLAG_BITS) & ((1 << INFO_BITS) - 1) {
            0 => BinderInfo::Default,
            1 => BinderInfo::Implicit,
            2 => BinderInfo::StrictImplicit,
            _ => BinderInfo::InstImplicit,
        }
    }
    /// One more than the largest loose bound variable (0 = closed);
    /// `u32::MAX` when that did not fit.
    fn range(self) -> u32 {
        match ((self.0 >> RANGE_SHIFT) & u64::from(RANGE_SATURATED)) as u32 {
            RANGE_SATURATED => u32::MAX,
            r => r,
        }
    }
}

pub struct ExprNode {
    data: ExprData,
    head: Head,
}

const _: () = assert!(std::mem::size_of::<ExprNode>() == 32);

/// A shared expression. Equality is structural (pointer and hash fast paths).
/// The count has no weak half: a node is 40 bytes with it, 48 with std's.
#[derive(Clone)]
pub struct Expr(triomphe::Arc<ExprNode>);

impl PartialEq for Expr {
    fn eq(&self, other: &Expr) -> bool {
        if triomphe::Arc::ptr_eq(&self.0, &other.0) {
            return true;
        }
        if self.0.head.hash() != other.0.head.hash() {
            return false;
        }
        // Iterative: two separately built 10^6-deep terms compare without
        // recursion. Past a few nodes, pairs already compared are skipped, so
        // two copies of a DAG compare in time linear in their distinct nodes
        // (a pair seen twice needs no second look: the first look decides).
        // Only pairs whose left node has several owners are remembered: one
        // with a single owner is reached once per visit of that owner.
        const MEMO_AFTER: usize = 64;
        let mut pending: Pairs = smallvec::smallvec![(self, other)];
        let mut compared = rustc_hash::FxHashSet::default();
        let mut steps = 0usize;
        while let Some((a, b)) = pending.pop() {
            if triomphe::Arc::ptr_eq(&a.0, &b.0) {
                continue;
            }
            steps += 1;
            if steps > MEMO_AFTER && a.is_shared() && !compared.insert((a.ptr(), b.ptr())) {
                continue;
            }
            if a.0.head.hash() != b.0.head.hash() || !shallow_eq(&a.0.data, &b.0.data, &mut pending)
            {
                return false;
            }
        }
        true
    }
}
impl Eq for Expr {}

impl Hash for Expr {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.head.hash());
    }
}

/// Compares the non-`Expr` parts of two nodes and queues their children.
/// The arguments of an application spine, borrowed (inline while few).
pub type AppArgs<'a> = smallvec::SmallVec<[&'a Expr; 8]>;

/// Pairs of terms still to compare (inline while few: most comparisons are
/// of small terms, and allocating cost more than comparing).
type Pairs<'a> = smallvec::SmallVec<[(&'a Expr, &'a Expr); 16]>;

fn shallow_eq<'a>(a: &'a ExprData, b: &'a ExprData, pending: &mut Pairs<'a>) -> bool {
    use ExprData::*;
    match (a, b) {
        (BVar(i), BVar(j)) => i == j,
        (FVar(x), FVar(y)) => x == y,
        (Sort(l), Sort(m)) => l == m,
        (Const(n, ls), Const(m, ms)) => n == m && ls == ms,
        (App(f, a), App(g, b)) => {
            pending.extend([(f, g), (a, b)]);
            true
        }
        (Lam(_, t, b), Lam(_, u, c)) | (Pi(_, t, b), Pi(_, u, c)) => {
            pending.extend([(t, u), (b, c)]);
            true
        }
        (Let(x), Let(y)) => {
            pending.extend([(&x.ty, &y.ty), (&x.value, &y.value), (&x.body, &y.body)]);
            true
        }
        (Lit(x), Lit(y)) => x == y,
        (Proj(s, i, e), Proj(t, j, f)) => {
            pending.push((e, f));
            s == t && i == j
        }
        _ => false,
    }
}

fn hash_of(tag: u8, f: impl FnOnce(&mut FxHasher)) -> u64 {
    let mut h = FxHasher::default();
    tag.hash(&mut h);
    f(&mut h);
    h.finish()
}

impl Expr {
    fn new(data: ExprData) -> Expr {
        Expr::new_binder(data, BinderInfo::Default)
    }

    fn new_binder(data: ExprData, info: BinderInfo) -> Expr {
        use ExprData::*;
        let (hash, range, flags) = match &data {
            BVar(i) => (
                hash_of(0, |h| i.hash(h)),
                u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX),
                0,
            ),
            FVar(id) => (hash_of(1, |h| id.hash(h)), 0, HAS_FVAR),
            Sort(l) => (
                hash_of(2, |h| l.hash(h)),
                0,
                if l.has_param() { HAS_LEVEL_PARAM } else { 0 },
            ),
            Const(n, ls) => (
                hash_of(3, |h| {
                    n.hash(h);
                    ls.hash(h)
                }),
                0,
                if ls.iter().any(Level::has_param) {
                    HAS_LEVEL_PARAM
                } else {
                    0
                },
            ),
            App(f, a) => (
                hash_of(4, |h| {
                    h.write_u64(f.0.head.hash());
                    h.write_u64(a.0.head.hash())
                }),
                f.0.head.range().max(a.0.head.range()),
                f.0.head.flags() | a.0.head.flags(),
            ),
            Lam(_, t, b) | Pi(_, t, b) => (
                hash_of(if matches!(data, Lam(..)) { 5 } else { 6 }, |h| {
                    h.write_u64(t.0.head.hash());
                    h.write_u64(b.0.head.hash())
                }),
                t.0.head.range().max(b.0.head.range().saturating_sub(1)),
                t.0.head.flags() | b.0.head.flags(),
            ),
            Let(l) => (
                hash_of(7, |h| {
                    h.write_u64(l.ty.0.head.hash());
                    h.write_u64(l.value.0.head.hash());
                    h.write_u64(l.body.0.head.hash())
                }),
                l.ty.0
                    .head
                    .range()
                    .max(l.value.0.head.range())
                    .max(l.body.0.head.range().saturating_sub(1)),
                l.ty.0.head.flags() | l.value.0.head.flags() | l.body.0.head.flags(),
            ),
            Lit(l) => (hash_of(8, |h| l.hash(h)), 0, 0),
            Proj(s, i, e) => (
                hash_of(9, |h| {
                    s.hash(h);
                    i.hash(h);
                    h.write_u64(e.0.head.hash())
                }),
                e.0.head.range(),
                e.0.head.flags(),
            ),
        };
        Expr(triomphe::Arc::new(ExprNode {
            data,
            head: Head::new(hash, range, flags, info),
        }))
    }

    pub fn data(&self) -> &ExprData {
        &self.0.data
    }
    /// One more than the largest loose bound variable (0 = closed). Past
    /// the packed width a node's range reads as `u32::MAX`, except a bound
    /// variable's, which is read off its index: traversals skip by the
    /// range and then take a variable they reach to be loose at their
    /// offset, so a variable's own range must be exact.
    pub fn loose_bvar_range(&self) -> u32 {
        match (self.0.head.range(), &self.0.data) {
            (u32::MAX, ExprData::BVar(i)) => u32::try_from(i.saturating_add(1)).unwrap_or(u32::MAX),
            (range, _) => range,
        }
    }
    pub fn has_loose_bvars(&self) -> bool {
        self.0.head.range() > 0
    }
    pub fn has_fvar(&self) -> bool {
        self.0.head.flags() & HAS_FVAR != 0
    }
    pub fn has_level_param(&self) -> bool {
        self.0.head.flags() & HAS_LEVEL_PARAM != 0
    }
    /// Identity of the node (for memo tables keyed by sharing).
    pub fn ptr(&self) -> *const ExprNode {
        triomphe::Arc::as_ptr(&self.0)
    }
    /// Whether this node has more than one owner (so may be reached along
    /// several paths).
    pub fn is_shared(&self) -> bool {
        !triomphe::Arc::is_unique(&self.0)
    }
    pub fn ptr_eq(&self, other: &Expr) -> bool {
        triomphe::Arc::ptr_eq(&self.0, &other.0)
    }

    pub fn bvar(i: u64) -> Expr {
        Expr::new(ExprData::BVar(i))
    }
    pub fn fvar(id: FVarId) -> Expr {
        Expr::new(ExprData::FVar(id))
    }
    pub fn sort(l: Level) -> Expr {
        Expr::new(ExprData::Sort(l))
    }
    pub fn cnst(n: Name, ls: impl Into<Levels>) -> Expr {
        Expr::new(ExprData::Const(n, ls.into()))
    }
    pub fn app(f: Expr, a: Expr) -> Expr {
        Expr::new(ExprData::App(f, a))
    }
    pub fn lam(name: impl Into<BinderName>, info: BinderInfo, ty: Expr, body: Expr) -> Expr {
        Expr::new_binder(ExprData::Lam(name.into(), ty, body), info)
    }
    pub fn pi(name: impl Into<BinderName>, info: BinderInfo, ty: Expr, body: Expr) -> Expr {
        Expr::new_binder(ExprData::Pi(name.into(), ty, body), info)
    }
    /// A `Lam` or `Pi`'s binder info (`Default` for any other node).
    pub fn binder_info(&self) -> BinderInfo {
        self.0.head.info()
    }
    pub fn let_(
        name: impl Into<BinderName>,
        ty: Expr,
        value: Expr,
        body: Expr,
        non_dep: bool,
    ) -> Expr {
        Expr::new(ExprData::Let(Box::new(LetData {
            name: name.into(),
            ty,
            value,
            body,
            non_dep,
        })))
    }
    pub fn lit(l: Literal) -> Expr {
        Expr::new(ExprData::Lit(l))
    }
    pub fn nat_lit(n: BigUint) -> Expr {
        Expr::new(ExprData::Lit(Literal::Nat(Arc::new(n))))
    }
    pub fn str_lit(s: &str) -> Expr {
        Expr::new(ExprData::Lit(Literal::Str(Arc::new(s.to_owned()))))
    }
    /// Field `i` of `e`. An index past `u32::MAX` is kept as `u32::MAX`:
    /// no structure has that many fields, so the projection is rejected
    /// either way.
    pub fn proj(s: Name, i: u64, e: Expr) -> Expr {
        Expr::new(ExprData::Proj(s, u32::try_from(i).unwrap_or(u32::MAX), e))
    }
    pub fn mk_app<T: Borrow<Expr>>(f: Expr, args: &[T]) -> Expr {
        args.iter()
            .fold(f, |acc, a| Expr::app(acc, a.borrow().clone()))
    }

    /// Rebuilds a binder node of the same kind with new children.
    fn with_binder(&self, ty: Expr, body: Expr) -> Expr {
        match self.data() {
            ExprData::Lam(_, t, e) | ExprData::Pi(_, t, e) if t.ptr_eq(&ty) && e.ptr_eq(&body) => {
                self.clone()
            }
            ExprData::Lam(b, ..) => {
                Expr::new_binder(ExprData::Lam(*b, ty, body), self.0.head.info())
            }
            ExprData::Pi(b, ..) => Expr::new_binder(ExprData::Pi(*b, ty, body), self.0.head.info()),
            _ => self.clone(),
        }
    }

    pub fn is_sort(&self) -> bool {
        matches!(self.data(), ExprData::Sort(_))
    }
    pub fn is_pi(&self) -> bool {
        matches!(self.data(), ExprData::Pi(..))
    }
    pub fn is_lambda(&self) -> bool {
        matches!(self.data(), ExprData::Lam(..))
    }
    pub fn is_app(&self) -> bool {
        matches!(self.data(), ExprData::App(..))
    }

    /// The head of an application spine.
    pub fn get_app_fn(&self) -> &Expr {
        let mut e = self;
        while let ExprData::App(f, _) = e.data() {
            e = f;
        }
        e
    }

    /// The head and the arguments of an application spine, in order.
    pub fn get_app_args(&self) -> (Expr, Vec<Expr>) {
        let mut args = Vec::with_capacity(self.app_num_args());
        let mut e = self;
        while let ExprData::App(f, a) = e.data() {
            args.push(a.clone());
            e = f;
        }
        args.reverse();
        (e.clone(), args)
    }

    /// The head and the arguments of an application spine, borrowed: no
    /// owner count changes (shared nodes are touched by every worker, and
    /// each count change moves their cache line between cores).
    pub fn app_args(&self) -> (&Expr, AppArgs<'_>) {
        // Filled from the end, so no reversal: the spine is walked twice,
        // its nodes still in cache the second time.
        let mut args = AppArgs::from_elem(self, self.app_num_args());
        let mut e = self;
        for slot in args.iter_mut().rev() {
            if let ExprData::App(f, a) = e.data() {
                *slot = a;
                e = f;
            }
        }
        (e, args)
    }

    pub fn app_num_args(&self) -> usize {
        let mut n = 0;
        let mut e = self;
        while let ExprData::App(f, _) = e.data() {
            n += 1;
            e = f;
        }
        n
    }

    /// The constant at the head of the spine, with its levels.
    pub fn const_head(&self) -> Option<(&Name, &Levels)> {
        match self.get_app_fn().data() {
            ExprData::Const(n, ls) => Some((n, ls)),
            _ => None,
        }
    }

    pub fn const_name(&self) -> Option<&Name> {
        match self.data() {
            ExprData::Const(n, _) => Some(n),
            _ => None,
        }
    }

    pub fn is_const_of(&self, name: &Name) -> bool {
        self.const_name() == Some(name)
    }

    /// Substitutes `subst[i]` for loose bound variable `i` (bound variables
    /// past the substitution are lowered by its length).
    pub fn instantiate<T: Borrow<Expr>>(&self, subst: &[T]) -> Expr {
        if subst.is_empty() || !self.has_loose_bvars() {
            return self.clone();
        }
        subst_go(self, subst, false)
    }

    /// Like `instantiate`, with `subst` listed outermost binder first
    /// (loose variable `i` gets `subst[len - 1 - i]`).
    pub fn instantiate_rev<T: Borrow<Expr>>(&self, subst: &[T]) -> Expr {
        if subst.is_empty() || !self.has_loose_bvars() {
            return self.clone();
        }
        subst_go(self, subst, true)
    }

    pub fn instantiate1(&self, v: &Expr) -> Expr {
        self.instantiate(std::slice::from_ref(v))
    }

    /// Replaces free variable `fvars[i]` by the bound variable that makes
    /// `fvars` a telescope (the last becomes `#0`).
    pub fn abstract_fvars(&self, fvars: &[FVarId]) -> Expr {
        if fvars.is_empty() || !self.has_fvar() {
            return self.clone();
        }
        abstract_go(self, &FVarPositions::new(fvars), fvars.len())
    }

    /// `abstract_fvars(&fvars[..len])`, for the `fvars` that `positions` was
    /// built from (binding a telescope abstracts each binder type over the
    /// ones before it: one shared table keeps that linear).
    pub fn abstract_prefix(&self, positions: &FVarPositions, len: usize) -> Expr {
        if len == 0 || !self.has_fvar() {
            return self.clone();
        }
        abstract_go(self, positions, len)
    }

    /// Adds `d` to every loose bound variable `≥ s`.
    pub fn lift_loose_bvars(&self, s: u32, d: u64) -> Expr {
        if d == 0 || self.loose_bvar_range() <= s {
            return self.clone();
        }
        shift_go(self, s, d as i128)
    }

    /// Subtracts `d` from every loose bound variable `≥ s` (callers make sure
    /// none in `[s - d, s)` would be captured).
    pub fn lower_loose_bvars(&self, s: u32, d: u64) -> Expr {
        if d == 0 || self.loose_bvar_range() <= s {
            return self.clone();
        }
        shift_go(self, s, -(d as i128))
    }

    /// Whether loose bound variable `i` occurs.
    pub fn has_loose_bvar(&self, i: u64) -> bool {
        has_bvar_go(self, i)
    }

    /// Substitutes universe parameters.
    pub fn instantiate_level_params(&self, params: &[Name], levels: &[Level]) -> Expr {
        if params.is_empty() || !self.has_level_param() {
            return self.clone();
        }
        level_go(self, params, levels)
    }

    /// Rebuilds this node with every child mapped by `f(child, binder_depth_increment)`.
    pub fn map_children(&self, mut f: impl FnMut(&Expr, u32) -> Expr) -> Expr {
        use ExprData::*;
        match self.data() {
            BVar(_) | FVar(_) | Sort(_) | Const(..) | Lit(_) => self.clone(),
            App(a, b) => {
                let (x, y) = (f(a, 0), f(b, 0));
                if x.ptr_eq(a) && y.ptr_eq(b) {
                    self.clone()
                } else {
                    Expr::app(x, y)
                }
            }
            Lam(_, t, b) | Pi(_, t, b) => {
                let (x, y) = (f(t, 0), f(b, 1));
                self.with_binder(x, y)
            }
            Let(l) => {
                let (x, y, z) = (f(&l.ty, 0), f(&l.value, 0), f(&l.body, 1));
                if x.ptr_eq(&l.ty) && y.ptr_eq(&l.value) && z.ptr_eq(&l.body) {
                    self.clone()
                } else {
                    Expr::let_(l.name, x, y, z, l.non_dep)
                }
            }
            Proj(s, i, e) => {
                let x = f(e, 0);
                if x.ptr_eq(e) {
                    self.clone()
                } else {
                    Expr::proj(s.clone(), u64::from(*i), x)
                }
            }
        }
    }

    /// Visits every distinct node once (memoized by pointer) until `f` returns
    /// `Some`; `f` returning `None` continues into the children.
    pub fn find<T>(&self, mut f: impl FnMut(&Expr) -> Option<T>) -> Option<T> {
        let mut seen = rustc_hash::FxHashSet::default();
        let mut stack = vec![self.clone()];
        while let Some(e) = stack.pop() {
            if !seen.insert(e.ptr()) {
                continue;
            }
            if let Some(t) = f(&e) {
                return Some(t);
            }
            e.map_children(|c, _| {
                stack.push(c.clone());
                c.clone()
            });
        }
        None
    }
}

/// Bottom-up rewrite without recursion (terms may be 10^6 deep). `leaf(e,
/// offset)` decides a node outright (`Some`); any other node is rebuilt from
/// its rewritten children. Results are memoized per (node, binder offset);
/// with `track_offset` false every node is visited at offset 0.
fn rewrite(
    root: &Expr,
    track_offset: bool,
    mut leaf: impl FnMut(&Expr, u32) -> Option<Expr>,
) -> Expr {
    if let Some(r) = leaf(root, 0) {
        return r;
    }
    // A rewrite nested in `leaf` finds the table taken and makes its own.
    let mut memo = REWRITE_MEMO.try_with(|m| m.take()).unwrap_or_default();
    let r = rewrite_with(root, track_offset, &mut memo, leaf);
    if memo.capacity() <= KEPT_MEMO {
        memo.clear();
        let _ = REWRITE_MEMO.try_with(|m| m.replace(memo));
    }
    r
}

/// Buckets of a rewrite memo kept for the thread's next rewrite: most
/// rewrites memoize a few shared nodes, and allocating the table each time
/// cost more than clearing it.
const KEPT_MEMO: usize = 1 << 10;

thread_local! {
    static REWRITE_MEMO: std::cell::RefCell<FxHashMap<(*const ExprNode, u32), Expr>> =
        std::cell::RefCell::new(FxHashMap::default());
}

fn rewrite_with<'a>(
    root: &'a Expr,
    track_offset: bool,
    memo: &mut FxHashMap<(*const ExprNode, u32), Expr>,
    mut leaf: impl FnMut(&Expr, u32) -> Option<Expr>,
) -> Expr {
    // Nodes to visit are borrowed from `root`, which keeps them all alive:
    // walking takes no reference counts.
    let mut todo: smallvec::SmallVec<[(&'a Expr, u32, bool); 16]> =
        smallvec::smallvec![(root, 0, false)];
    let mut done: smallvec::SmallVec<[Expr; 16]> = smallvec::SmallVec::new();
    while let Some((e, offset, expanded)) = todo.pop() {
        // A node with one owner is reached once per visit of that owner, so
        // only nodes with several are memoized: most calls rebuild a few
        // unshared nodes and fill no table.
        let shared = e.is_shared();
        if expanded {
            let first = done.len().saturating_sub(e.num_children());
            let r = e.with_children(done.drain(first..));
            if shared {
                if memo.capacity() == 0 {
                    // Skips the first doublings of a table that fills.
                    memo.reserve(32);
                }
                memo.insert((e.ptr(), offset), r.clone());
            }
            done.push(r);
            continue;
        }
        if let Some(r) = leaf(e, offset) {
            done.push(r);
            continue;
        }
        if let Some(r) = memo.get(&(e.ptr(), offset)).filter(|_| shared) {
            done.push(r.clone());
            continue;
        }
        todo.push((e, offset, true));
        for (c, d) in e.children().into_iter().rev().flatten() {
            let child_offset = if track_offset {
                offset.saturating_add(d)
            } else {
                0
            };
            todo.push((c, child_offset, false));
        }
    }
    done.pop().unwrap_or_else(|| root.clone())
}

impl Expr {
    /// The children, in `map_children` order, with the number of binders
    /// each sits under relative to this node.
    fn children(&self) -> [Option<(&Expr, u32)>; 3] {
        use ExprData::*;
        match self.data() {
            BVar(_) | FVar(_) | Sort(_) | Const(..) | Lit(_) => [None, None, None],
            App(f, a) => [Some((f, 0)), Some((a, 0)), None],
            Lam(_, t, b) | Pi(_, t, b) => [Some((t, 0)), Some((b, 1)), None],
            Let(l) => [Some((&l.ty, 0)), Some((&l.value, 0)), Some((&l.body, 1))],
            Proj(_, _, e) => [Some((e, 0)), None, None],
        }
    }

    fn num_children(&self) -> usize {
        self.children().iter().flatten().count()
    }

    /// This node with its children replaced, in `children` order.
    fn with_children(&self, mut kids: impl Iterator<Item = Expr>) -> Expr {
        self.map_children(|c, _| kids.next().unwrap_or_else(|| c.clone()))
    }
}

/// Hash-consing for the terms the kernel makes itself (generated
/// recursors): one node per structure among everything passed through it,
/// so repeated subterms are stored once however they were built.
#[derive(Default)]
pub struct Interner {
    nodes: rustc_hash::FxHashSet<Canonical>,
}

/// A node in an [`Interner`]: its children are canonical, so two such
/// nodes are equal exactly when their own fields are and their children
/// are the same nodes (no walk, no allocation).
struct Canonical(Expr);

impl PartialEq for Canonical {
    fn eq(&self, other: &Canonical) -> bool {
        let (a, b) = (&self.0, &other.0);
        if a.0.head.hash() != b.0.head.hash() {
            return false;
        }
        let same = |x: &Expr, y: &Expr| triomphe::Arc::ptr_eq(&x.0, &y.0);
        use ExprData::*;
        match (&a.0.data, &b.0.data) {
            (BVar(i), BVar(j)) => i == j,
            (FVar(x), FVar(y)) => x == y,
            (Sort(l), Sort(m)) => l == m,
            (Const(n, ls), Const(m, ms)) => n == m && ls == ms,
            (App(f, x), App(g, y)) => same(f, g) && same(x, y),
            (Lam(_, t, x), Lam(_, u, y)) | (Pi(_, t, x), Pi(_, u, y)) => same(t, u) && same(x, y),
            (Let(x), Let(y)) => {
                same(&x.ty, &y.ty) && same(&x.value, &y.value) && same(&x.body, &y.body)
            }
            (Lit(x), Lit(y)) => x == y,
            (Proj(s, i, x), Proj(t, j, y)) => s == t && i == j && same(x, y),
            _ => false,
        }
    }
}
impl Eq for Canonical {}

impl Hash for Canonical {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.0 .0.head.hash());
    }
}

impl Interner {
    /// The canonical copy of `root`, built bottom-up without recursion. Its
    /// children are canonical before a node is looked up, so each lookup
    /// compares children by pointer.
    pub fn intern(&mut self, root: &Expr) -> Expr {
        let mut memo: FxHashMap<*const ExprNode, Expr> = FxHashMap::default();
        let mut todo: Vec<(Expr, bool)> = vec![(root.clone(), false)];
        while let Some((e, expanded)) = todo.pop() {
            if memo.contains_key(&e.ptr()) {
                continue;
            }
            if !expanded {
                todo.push((e.clone(), true));
                let kids = e.children();
                todo.extend(kids.iter().flatten().map(|(c, _)| ((*c).clone(), false)));
                continue;
            }
            let kids: Vec<Expr> = e
                .children()
                .iter()
                .flatten()
                .map(|(c, _)| memo.get(&c.ptr()).cloned().unwrap_or_else(|| (*c).clone()))
                .collect();
            let canonical = self.canonical(e.with_children(kids.into_iter()));
            memo.insert(e.ptr(), canonical);
        }
        memo.get(&root.ptr())
            .cloned()
            .unwrap_or_else(|| root.clone())
    }

    /// The known node equal to `e` (whose children are canonical), or `e`.
    fn canonical(&mut self, e: Expr) -> Expr {
        let e = Canonical(e);
        match self.nodes.get(&e) {
            Some(known) => known.0.clone(),
            None => {
                self.nodes.insert(Canonical(e.0.clone()));
                e.0
            }
        }
    }
}

fn subst_go<T: Borrow<Expr>>(e: &Expr, subst: &[T], reverse: bool) -> Expr {
    let n = subst.len() as u64;
    rewrite(e, true, |e, offset| {
        if e.loose_bvar_range() <= offset {
            return Some(e.clone());
        }
        let ExprData::BVar(i) = e.data() else {
            return None;
        };
        let rel = i - offset as u64;
        Some(if rel < n {
            let k = if reverse { n - 1 - rel } else { rel };
            subst[k as usize]
                .borrow()
                .lift_loose_bvars(0, offset as u64)
        } else {
            Expr::bvar(i - n)
        })
    })
}

/// Where each free variable of a telescope sits (the last occurrence wins),
/// so that abstracting many binders costs one probe per occurrence instead of
/// a scan of the telescope.
pub struct FVarPositions {
    fvars: Vec<FVarId>,
    /// Built only for long telescopes (short ones are scanned).
    table: FxHashMap<FVarId, usize>,
}

impl FVarPositions {
    pub fn new(fvars: &[FVarId]) -> FVarPositions {
        let table = if fvars.len() > 8 {
            fvars.iter().enumerate().map(|(i, f)| (*f, i)).collect()
        } else {
            FxHashMap::default()
        };
        FVarPositions {
            fvars: fvars.to_vec(),
            table,
        }
    }

    fn position(&self, id: &FVarId) -> Option<usize> {
        if self.table.is_empty() {
            self.fvars.iter().rposition(|f| f == id)
        } else {
            self.table.get(id).copied()
        }
    }
}

/// Abstracts the first `len` variables of the telescope `positions` describes.
fn abstract_go(e: &Expr, positions: &FVarPositions, len: usize) -> Expr {
    rewrite(e, true, |e, offset| {
        if !e.has_fvar() {
            return Some(e.clone());
        }
        let ExprData::FVar(id) = e.data() else {
            return None;
        };
        Some(match positions.position(id).filter(|i| *i < len) {
            Some(i) => Expr::bvar(offset as u64 + (len - 1 - i) as u64),
            None => e.clone(),
        })
    })
}

fn shift_go(e: &Expr, s: u32, d: i128) -> Expr {
    rewrite(e, true, |e, offset| {
        let start = s.saturating_add(offset);
        if e.loose_bvar_range() <= start {
            return Some(e.clone());
        }
        let ExprData::BVar(i) = e.data() else {
            return None;
        };
        let shifted = (*i as i128 + d).clamp(0, u64::MAX as i128);
        Some(Expr::bvar(shifted as u64))
    })
}

fn has_bvar_go(root: &Expr, i: u64) -> bool {
    let mut seen = rustc_hash::FxHashSet::default();
    let mut todo = vec![(root, i)];
    while let Some((e, i)) = todo.pop() {
        if (e.loose_bvar_range() as u64) <= i {
            continue;
        }
        if let ExprData::BVar(j) = e.data() {
            if *j == i {
                return true;
            }
            continue;
        }
        if !seen.insert((e.ptr(), i)) {
            continue;
        }
        for (c, d) in e.children().into_iter().flatten() {
            todo.push((c, i + d as u64));
        }
    }
    false
}

fn level_go(e: &Expr, params: &[Name], levels: &[Level]) -> Expr {
    rewrite(e, false, |e, _| {
        if !e.has_level_param() {
            return Some(e.clone());
        }
        match e.data() {
            ExprData::Sort(l) => Some(Expr::sort(l.instantiate(params, levels))),
            ExprData::Const(n, ls) => Some(Expr::cnst(
                n.clone(),
                ls.iter()
                    .map(|l| l.instantiate(params, levels))
                    .collect::<Vec<_>>(),
            )),
            _ => None,
        }
    })
}

impl ExprData {
    /// Moves out the children that have children of their own and no other
    /// owner: the last one is returned, the others pushed to `out` (a spine
    /// is freed with no stack at all). The others are released with the
    /// node: a leaf's drop never recurses, and a shared child's count only
    /// falls (should another thread free it meanwhile, its own drop is
    /// iterative again).
    fn take_inner_children(&mut self, out: &mut Vec<Expr>) -> Option<Expr> {
        let mut last = None;
        let mut take = |e: &mut Expr| {
            if !e.0.data.is_leaf() && !e.is_shared() {
                let child = std::mem::replace(e, placeholder());
                if let Some(before) = last.replace(child) {
                    out.push(before);
                }
            }
        };
        match self {
            ExprData::App(f, a) => {
                take(f);
                take(a)
            }
            ExprData::Lam(_, t, b) | ExprData::Pi(_, t, b) => {
                take(t);
                take(b)
            }
            ExprData::Let(l) => {
                take(&mut l.ty);
                take(&mut l.value);
                take(&mut l.body)
            }
            ExprData::Proj(_, _, e) => take(e),
            _ => {}
        }
        last
    }
}

thread_local! {
    static PLACEHOLDER: Expr = Expr::new(ExprData::BVar(0));
}

fn placeholder() -> Expr {
    PLACEHOLDER.with(Expr::clone)
}

impl ExprData {
    fn is_leaf(&self) -> bool {
        matches!(
            self,
            ExprData::BVar(_)
                | ExprData::FVar(_)
                | ExprData::Sort(_)
                | ExprData::Const(..)
                | ExprData::Lit(_)
        )
    }
}

impl crate::teardown::Teardown for ExprNode {
    type Child = Expr;

    fn take_inner(&mut self, out: &mut Vec<Expr>) -> Option<Expr> {
        self.data.take_inner_children(out)
    }

    fn last_owner(child: Expr) -> Option<ExprNode> {
        triomphe::Arc::try_unwrap(child.0).ok()
    }
}

/// Iterative drop: a 10^5-deep term must not overflow the stack when freed.
impl Drop for ExprNode {
    fn drop(&mut self) {
        if !self.data.is_leaf() {
            crate::teardown::tear_down(self);
        }
    }
}

impl std::fmt::Debug for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_expr(self, f, 0)
    }
}

impl std::fmt::Display for Expr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_expr(self, f, 0)
    }
}

/// A bounded printer for error messages (deep terms are elided).
fn fmt_expr(e: &Expr, f: &mut std::fmt::Formatter<'_>, depth: u32) -> std::fmt::Result {
    if depth > 6 {
        return f.write_str("…");
    }
    match e.data() {
        ExprData::BVar(i) => write!(f, "#{i}"),
        // Ids depend on thread scheduling; messages must not.
        ExprData::FVar(_) => f.write_str("_local"),
        ExprData::Sort(l) => write!(f, "Sort {l}"),
        ExprData::Const(n, _) => write!(f, "{n}"),
        ExprData::App(..) => {
            let (h, args) = e.app_args();
            f.write_str("(")?;
            fmt_expr(h, f, depth + 1)?;
            for a in args.iter().take(8) {
                f.write_str(" ")?;
                fmt_expr(a, f, depth + 1)?;
            }
            f.write_str(")")
        }
        ExprData::Lam(b, t, body) | ExprData::Pi(b, t, body) => {
            // `(fun x : T => b)` and `((x) : T) → b`.
            let (open, mid, close) = if e.is_lambda() {
                ("(fun ", " : ", " => ")
            } else {
                ("((", ") : ", ") → ")
            };
            write!(f, "{open}{b}{mid}")?;
            fmt_expr(t, f, depth + 1)?;
            f.write_str(close)?;
            fmt_expr(body, f, depth + 1)?;
            f.write_str(if e.is_lambda() { ")" } else { "" })
        }
        ExprData::Let(l) => {
            write!(f, "(let {} := ", l.name)?;
            fmt_expr(&l.value, f, depth + 1)?;
            f.write_str("; ")?;
            fmt_expr(&l.body, f, depth + 1)?;
            f.write_str(")")
        }
        ExprData::Lit(Literal::Nat(n)) => {
            let s = n.to_string();
            if s.len() > 40 {
                write!(f, "<{}-digit nat>", s.len())
            } else {
                f.write_str(&s)
            }
        }
        ExprData::Lit(Literal::Str(s)) => write!(f, "{:?}", s.chars().take(40).collect::<String>()),
        ExprData::Proj(s, i, x) => {
            fmt_expr(x, f, depth + 1)?;
            write!(f, ".{s}.{i}")
        }
    }
}

/// Converts exported expressions, preserving their sharing (memo by pointer).
#[derive(Default)]
pub struct Converter {
    /// Nodes with more than one owner, kept alive here: their pointers stay
    /// valid keys even after the declarations that held them are freed.
    shared: FxHashMap<*const ix_lean::Expr, (ix_lean::ExprRef, Expr)>,
    /// The other nodes of the term being converted: one owner, so reached
    /// once per conversion of it; forgotten when the call returns, so a
    /// caller may free each declaration once converted.
    scratch: FxHashMap<*const ix_lean::Expr, Expr>,
    levels: FxHashMap<*const ix_lean::Level, (ix_lean::LevelRef, Level)>,
    /// Set when a converted level was deeper than `level::MAX_DEPTH`; the
    /// caller declines the declaration (see `take_too_deep`).
    too_deep: bool,
    /// Where every built node is made canonical, when converting
    /// separately built terms that should share (see [`Converter::interning`]).
    interner: Option<Interner>,
}

impl Converter {
    /// A converter that makes each node it builds canonical in `interner`
    /// as it goes (its children already are, so each lookup compares
    /// them by pointer): terms converted from separately built sources
    /// share all they have in common.
    pub fn interning(interner: Interner) -> Converter {
        Converter {
            interner: Some(interner),
            ..Converter::default()
        }
    }

    /// The interner given to [`Converter::interning`], with what it gained.
    pub fn into_interner(self) -> Interner {
        self.interner.unwrap_or_default()
    }

    pub fn level(&mut self, l: &ix_lean::LevelRef) -> Level {
        let key = Arc::as_ptr(l);
        if let Some((_, r)) = self.levels.get(&key) {
            return r.clone();
        }
        let mut r = crate::level::from_lean(l);
        if r.depth() > crate::level::MAX_DEPTH {
            // Nothing downstream sees the deep level: the declaration is
            // declined once converted.
            self.too_deep = true;
            r = Level::zero();
        }
        self.levels.insert(key, (l.clone(), r.clone()));
        r
    }

    /// Whether a level deeper than `level::MAX_DEPTH` was converted since the
    /// last call (the flag is cleared).
    pub fn take_too_deep(&mut self) -> bool {
        std::mem::take(&mut self.too_deep)
    }

    /// Converts without recursion (post-order over an explicit stack).
    pub fn expr(&mut self, root: &ix_lean::ExprRef) -> Expr {
        let mut todo: Vec<(&ix_lean::ExprRef, bool)> = vec![(root, false)];
        while let Some((e, expanded)) = todo.pop() {
            let key = Arc::as_ptr(e);
            if self.shared.contains_key(&key) || self.scratch.contains_key(&key) {
                continue;
            }
            if !expanded {
                todo.push((e, true));
                todo.extend(e.children().into_iter().map(|c| (c, false)));
                continue;
            }
            let mut r = self.node(e);
            if let Some(interner) = &mut self.interner {
                r = interner.canonical(r);
            }
            if Arc::strong_count(e) > 1 {
                self.shared.insert(key, (e.clone(), r));
            } else {
                self.scratch.insert(key, r);
            }
        }
        let r = self.converted(root);
        self.scratch.clear();
        r
    }

    /// A node whose children are already converted.
    fn node(&mut self, e: &ix_lean::ExprRef) -> Expr {
        match &**e {
            ix_lean::Expr::BVar(i) => Expr::bvar(*i),
            ix_lean::Expr::Sort(l) => Expr::sort(self.level(l)),
            ix_lean::Expr::Const(n, ls) => Expr::cnst(
                n.clone(),
                ls.iter().map(|l| self.level(l)).collect::<Vec<_>>(),
            ),
            ix_lean::Expr::App(f, a) => Expr::app(self.converted(f), self.converted(a)),
            ix_lean::Expr::Lam {
                name,
                info,
                ty,
                body,
            }
            | ix_lean::Expr::Pi {
                name,
                info,
                ty,
                body,
            } => {
                let binder = match &**e {
                    ix_lean::Expr::Lam { .. } => Expr::lam,
                    _ => Expr::pi,
                };
                binder(
                    name.clone(),
                    *info,
                    self.converted(ty),
                    self.converted(body),
                )
            }
            ix_lean::Expr::Let {
                name,
                ty,
                value,
                body,
                non_dep,
            } => Expr::let_(
                name.clone(),
                self.converted(ty),
                self.converted(value),
                self.converted(body),
                *non_dep,
            ),
            ix_lean::Expr::Lit(ix_lean::Literal::Nat(n)) => {
                Expr::new(ExprData::Lit(Literal::Nat(n.clone())))
            }
            ix_lean::Expr::Lit(ix_lean::Literal::Str(s)) => Expr::str_lit(s),
            ix_lean::Expr::Proj(s, i, x) => Expr::proj(s.clone(), *i, self.converted(x)),
        }
    }

    /// An already converted node (children are converted before parents).
    fn converted(&self, e: &ix_lean::ExprRef) -> Expr {
        let key = Arc::as_ptr(e);
        self.shared
            .get(&key)
            .map(|(_, r)| r)
            .or_else(|| self.scratch.get(&key))
            .cloned()
            .unwrap_or_else(|| Expr::bvar(u64::MAX))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> Expr {
        Expr::cnst(Name::from_dotted(s), Vec::new())
    }

    #[test]
    fn interning_stores_each_structure_once() {
        // Built apart, with different binder names: equal as kernel terms.
        let build = |binder: &str| {
            let f0 = || Expr::app(c("f"), Expr::bvar(0));
            Expr::lam(
                Name::from_dotted(binder),
                BinderInfo::Default,
                c("T"),
                Expr::app(f0(), f0()),
            )
        };
        let (a, b) = (build("x"), build("y"));
        assert!(!a.ptr_eq(&b));
        let mut interner = Interner::default();
        let (a, b) = (interner.intern(&a), interner.intern(&b));
        assert!(a.ptr_eq(&b));
        // Inside one term, the two copies of `f #0` are one node now.
        let ExprData::Lam(_, _, body) = a.data() else {
            panic!("a lambda")
        };
        let ExprData::App(x, y) = body.data() else {
            panic!("an application")
        };
        assert!(x.ptr_eq(y));
    }

    /// A chain `f (f (… x))` a million deep: the structural hash must not
    /// fall into a cycle (a 32-bit one did, within ~65k steps, and hash
    /// tables of the chain's nodes turned quadratic).
    #[test]
    fn a_deep_chain_keeps_distinct_hashes() {
        let mut e = c("x");
        let mut hashes = rustc_hash::FxHashSet::default();
        for _ in 0..1_000_000 {
            e = Expr::app(c("f"), e);
            hashes.insert(e.0.head.hash());
        }
        assert!(hashes.len() > 999_990, "{} distinct hashes", hashes.len());
    }

    /// Ranges past the 14 packed bits are "this or more": a traversal
    /// never skips such a node, and the exact ones below still skip.
    #[test]
    fn a_range_past_the_packed_width_is_never_taken_for_closed() {
        let far = Expr::bvar(20_000);
        assert_eq!(far.loose_bvar_range(), 20_001);
        assert_eq!(far.lift_loose_bvars(19_999, 2), Expr::bvar(20_002));
        let under = Expr::lam(Name::anonymous(), BinderInfo::Implicit, c("T"), far);
        assert!(under.has_loose_bvar(19_999) && !under.has_loose_bvar(19_998));
        assert_eq!(under.binder_info(), BinderInfo::Implicit);
        let near = Expr::bvar(16_381);
        assert_eq!(near.loose_bvar_range(), 16_382);
        assert!(near.lift_loose_bvars(16_382, 1).ptr_eq(&near));
        // A variable bound 20,000 binders up is no loose variable there.
        let mut deep = Expr::app(Expr::bvar(19_999), Expr::bvar(20_000));
        for _ in 0..20_000 {
            deep = Expr::lam(Name::anonymous(), BinderInfo::Default, c("T"), deep);
        }
        assert_eq!(deep.loose_bvar_range(), u32::MAX);
        assert!(deep.has_loose_bvar(0) && !deep.has_loose_bvar(1));
        let opened = deep.instantiate1(&c("a"));
        let mut expect = Expr::app(Expr::bvar(19_999), c("a"));
        for _ in 0..20_000 {
            expect = Expr::lam(Name::anonymous(), BinderInfo::Default, c("T"), expect);
        }
        assert_eq!(opened, expect);
        assert_eq!(deep.lift_loose_bvars(0, 1).instantiate1(&c("a")), deep);
    }

    #[test]
    fn instantiate_and_abstract_round_trip() {
        let body = Expr::app(Expr::app(c("f"), Expr::bvar(0)), Expr::bvar(1));
        assert_eq!(body.loose_bvar_range(), 2);
        let x = FVarId::fresh();
        let y = FVarId::fresh();
        let opened = body.instantiate(&[Expr::fvar(y), Expr::fvar(x)]);
        assert!(!opened.has_loose_bvars());
        assert_eq!(opened.abstract_fvars(&[x, y]), body);
        assert_eq!(
            body.instantiate_rev(&[Expr::fvar(x), Expr::fvar(y)]),
            opened
        );
    }

    #[test]
    fn instantiate_under_binder_lifts_and_lowers() {
        // fun _ => #1 #2 ; instantiate #0 := c  gives fun _ => c #1
        let e = Expr::lam(
            Name::anonymous(),
            BinderInfo::Default,
            c("T"),
            Expr::app(Expr::bvar(1), Expr::bvar(2)),
        );
        let r = e.instantiate1(&c("a"));
        let expect = Expr::lam(
            Name::anonymous(),
            BinderInfo::Default,
            c("T"),
            Expr::app(c("a"), Expr::bvar(1)),
        );
        assert_eq!(r, expect);
    }

    #[test]
    fn dag_instantiate_is_linear() {
        // e_{k+1} = e_k e_k : a tree of size 2^60 that is a DAG of 60 nodes.
        let mut e = Expr::bvar(0);
        for _ in 0..60 {
            e = Expr::app(e.clone(), e);
        }
        let r = e.instantiate1(&c("a"));
        assert!(!r.has_loose_bvars());
    }

    /// Equality, substitution, abstraction, shifting, level instantiation
    /// and conversion of 10^6-deep terms run on a 1 MiB stack: none recurses.
    #[test]
    fn deep_terms_need_no_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                let u = Name::from_dotted("u");
                let sort_u = Expr::sort(Level::param(u.clone()));
                // `#1000000` under 10^6 binders: loose variable 0.
                let (mut a, mut b) = (Expr::bvar(1_000_000), Expr::bvar(1_000_000));
                for _ in 0..1_000_000 {
                    a = Expr::lam(Name::anonymous(), BinderInfo::Default, sort_u.clone(), a);
                    b = Expr::lam(Name::anonymous(), BinderInfo::Default, sort_u.clone(), b);
                    a = Expr::app(c("s"), a);
                    b = Expr::app(c("s"), b);
                }
                assert!(a == b);
                let x = FVarId::fresh();
                let opened = a.instantiate1(&Expr::fvar(x));
                assert_eq!(opened.abstract_fvars(&[x]), a);
                assert!(!a.lift_loose_bvars(0, 3).ptr_eq(&a));
                assert!(a.has_loose_bvar(0) && !a.has_loose_bvar(1));
                let zero = a.instantiate_level_params(&[u], &[Level::zero()]);
                assert!(!zero.has_level_param());
                let mut src = Arc::new(ix_lean::Expr::BVar(0));
                for _ in 0..1_000_000 {
                    src = Arc::new(ix_lean::Expr::App(src, Arc::new(ix_lean::Expr::BVar(1))));
                }
                let converted = Converter::default().expr(&src);
                assert_eq!(converted.app_num_args(), 1_000_000);
            })
            .unwrap();
        handle.join().unwrap();
    }
}
