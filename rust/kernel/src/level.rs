//! Kernel universe levels: construction with light simplification,
//! instantiation of parameters, and a complete decision procedure for `≤`
//! (imax is eliminated by case splits on the parameter it depends on).

use ix_lean::Name;
use std::sync::Arc;

/// Levels deeper than this are declined where they enter the kernel (the
/// exported declarations, and the levels inference builds), so that the
/// recursive operations below stay shallow. Lean's own levels are a few
/// nodes deep.
pub const MAX_DEPTH: u32 = 1 << 12;

/// A universe level. Cloning is cheap (an `Arc`); equality is structural,
/// with the hash (cached, like the depth) as a fast path.
#[derive(Clone)]
pub struct Level(triomphe::Arc<LevelNode>);

pub struct LevelNode {
    data: LevelData,
    hash: u64,
    depth: u32,
    has_param: bool,
}

pub enum LevelData {
    Zero,
    Succ(Level),
    Max(Level, Level),
    IMax(Level, Level),
    Param(Name),
}

impl PartialEq for Level {
    /// Iterative, with the cached hash and depth as fast exits.
    fn eq(&self, other: &Level) -> bool {
        let mut pending: smallvec::SmallVec<[(&Level, &Level); 8]> =
            smallvec::smallvec![(self, other)];
        while let Some((a, b)) = pending.pop() {
            if triomphe::Arc::ptr_eq(&a.0, &b.0) {
                continue;
            }
            if a.0.hash != b.0.hash || a.0.depth != b.0.depth {
                return false;
            }
            match (a.data(), b.data()) {
                (LevelData::Zero, LevelData::Zero) => {}
                (LevelData::Param(m), LevelData::Param(n)) if m == n => {}
                (LevelData::Succ(x), LevelData::Succ(y)) => pending.push((x, y)),
                (LevelData::Max(x1, x2), LevelData::Max(y1, y2))
                | (LevelData::IMax(x1, x2), LevelData::IMax(y1, y2)) => {
                    pending.extend([(x1, y1), (x2, y2)])
                }
                _ => return false,
            }
        }
        true
    }
}
impl Eq for Level {}

impl std::hash::Hash for Level {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        state.write_u64(self.0.hash);
    }
}

/// A constant's universe arguments: one thin pointer (see [`ThinSlice`]).
pub type Levels = ThinSlice<Level>;
/// A constant's universe parameters, likewise.
pub type LevelParams = ThinSlice<Name>;

/// A shared slice behind one thin pointer (none when empty), so that a
/// `Const` node stays within the 24 bytes every node kind fits in and an
/// environment entry keeps its universe parameters in 8 bytes. Cloning is
/// cheap; equality and hashing are those of the slice.
pub struct ThinSlice<T>(Option<triomphe::ThinArc<(), T>>);

impl<T> Clone for ThinSlice<T> {
    fn clone(&self) -> Self {
        ThinSlice(self.0.clone())
    }
}

impl<T> Default for ThinSlice<T> {
    fn default() -> Self {
        ThinSlice(None)
    }
}

impl<T> std::ops::Deref for ThinSlice<T> {
    type Target = [T];
    fn deref(&self) -> &[T] {
        self.0.as_ref().map_or(&[], |a| &a.slice)
    }
}

impl<T> From<Vec<T>> for ThinSlice<T> {
    fn from(items: Vec<T>) -> ThinSlice<T> {
        if items.is_empty() {
            return ThinSlice(None);
        }
        ThinSlice(Some(triomphe::ThinArc::from_header_and_iter(
            (),
            items.into_iter(),
        )))
    }
}

impl<T> FromIterator<T> for ThinSlice<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> ThinSlice<T> {
        ThinSlice::from(items.into_iter().collect::<Vec<T>>())
    }
}

impl<T, const N: usize> From<[T; N]> for ThinSlice<T> {
    fn from(items: [T; N]) -> ThinSlice<T> {
        ThinSlice::from(Vec::from(items))
    }
}

impl<T: Clone> From<&[T]> for ThinSlice<T> {
    fn from(items: &[T]) -> ThinSlice<T> {
        ThinSlice::from(items.to_vec())
    }
}

impl<T: PartialEq> PartialEq for ThinSlice<T> {
    fn eq(&self, other: &ThinSlice<T>) -> bool {
        **self == **other
    }
}
impl<T: Eq> Eq for ThinSlice<T> {}

impl<T: std::hash::Hash> std::hash::Hash for ThinSlice<T> {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        (**self).hash(state)
    }
}

impl<T> std::borrow::Borrow<[T]> for ThinSlice<T> {
    fn borrow(&self) -> &[T] {
        self
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for ThinSlice<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl crate::teardown::Teardown for LevelNode {
    type Child = Level;

    fn take_inner(&mut self, out: &mut Vec<Level>) -> Option<Level> {
        let take = |l: &mut Level| std::mem::replace(l, Level::zero());
        match &mut self.data {
            LevelData::Zero | LevelData::Param(_) => None,
            LevelData::Succ(l) => Some(take(l)),
            LevelData::Max(a, b) | LevelData::IMax(a, b) => {
                out.push(take(a));
                Some(take(b))
            }
        }
    }

    fn last_owner(child: Level) -> Option<LevelNode> {
        triomphe::Arc::try_unwrap(child.0).ok()
    }
}

/// Iterative drop: a level built by inference may be deep.
impl Drop for LevelNode {
    fn drop(&mut self) {
        if !matches!(self.data, LevelData::Zero | LevelData::Param(_)) {
            crate::teardown::tear_down(self);
        }
    }
}

/// Printing is bounded: error messages may mention a deep level.
impl std::fmt::Debug for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        fmt_level(self, f, 0)
    }
}

fn fmt_level(l: &Level, f: &mut std::fmt::Formatter<'_>, depth: u32) -> std::fmt::Result {
    if depth > 8 {
        return f.write_str("…");
    }
    match l.data() {
        LevelData::Zero => write!(f, "0"),
        LevelData::Succ(_) => {
            let (base, k) = l.to_offset();
            if base.is_zero() {
                return write!(f, "{k}");
            }
            fmt_level(base, f, depth + 1)?;
            write!(f, "+{k}")
        }
        LevelData::Max(a, b) | LevelData::IMax(a, b) => {
            let op = if matches!(l.data(), LevelData::Max(..)) {
                "max"
            } else {
                "imax"
            };
            write!(f, "{op}(")?;
            fmt_level(a, f, depth + 1)?;
            f.write_str(", ")?;
            fmt_level(b, f, depth + 1)?;
            f.write_str(")")
        }
        LevelData::Param(n) => write!(f, "{n}"),
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl Level {
    pub fn data(&self) -> &LevelData {
        &self.0.data
    }

    /// Nodes on the longest path to a leaf (a leaf has depth 1).
    pub fn depth(&self) -> u32 {
        self.0.depth
    }

    fn new(data: LevelData) -> Level {
        use std::hash::{Hash, Hasher};
        let mut h = rustc_hash::FxHasher::default();
        let (tag, depth, has_param) = match &data {
            LevelData::Zero => (0u8, 1, false),
            LevelData::Param(n) => {
                n.hash(&mut h);
                (1, 1, true)
            }
            LevelData::Succ(l) => {
                h.write_u64(l.0.hash);
                (2, l.0.depth.saturating_add(1), l.0.has_param)
            }
            LevelData::Max(a, b) | LevelData::IMax(a, b) => {
                h.write_u64(a.0.hash);
                h.write_u64(b.0.hash);
                let tag = if matches!(data, LevelData::Max(..)) {
                    3
                } else {
                    4
                };
                let depth = a.0.depth.max(b.0.depth).saturating_add(1);
                (tag, depth, a.0.has_param || b.0.has_param)
            }
        };
        tag.hash(&mut h);
        Level(triomphe::Arc::new(LevelNode {
            data,
            hash: h.finish(),
            depth,
            has_param,
        }))
    }

    pub fn zero() -> Level {
        Level::new(LevelData::Zero)
    }

    pub fn one() -> Level {
        Level::succ(Level::zero())
    }

    pub fn succ(l: Level) -> Level {
        Level::new(LevelData::Succ(l))
    }

    pub fn max(a: Level, b: Level) -> Level {
        Level::new(LevelData::Max(a, b))
    }

    pub fn imax(a: Level, b: Level) -> Level {
        Level::new(LevelData::IMax(a, b))
    }

    pub fn param(n: Name) -> Level {
        Level::new(LevelData::Param(n))
    }

    pub fn is_zero(&self) -> bool {
        matches!(self.data(), LevelData::Zero)
    }

    /// `max` with the obvious simplifications (zero, equal sides, constants).
    pub fn mk_max(a: Level, b: Level) -> Level {
        if a.is_zero() || a == b {
            return b;
        }
        if b.is_zero() {
            return a;
        }
        if let (Some((x, 0)), Some((y, 0))) = (a.to_nat(), b.to_nat()) {
            return if x >= y { a } else { b };
        }
        Level::max(a, b)
    }

    /// `imax` simplified: `imax a 0 = 0`, `imax a (succ b) = max a (succ b)`,
    /// `imax 0 b = b`, `imax a a = a`.
    pub fn mk_imax(a: Level, b: Level) -> Level {
        if b.is_never_zero() {
            return Level::mk_max(a, b);
        }
        if b.is_zero() {
            return b;
        }
        if a.is_zero() || a == b {
            return b;
        }
        Level::imax(a, b)
    }

    /// `Some((n, 0))` when this is the literal `n` (succ^n 0).
    fn to_nat(&self) -> Option<(u64, u8)> {
        let (base, k) = self.to_offset();
        base.is_zero().then_some((k, 0))
    }

    /// Splits `succ^k l` into `(l, k)`.
    pub fn to_offset(&self) -> (&Level, u64) {
        let mut cur = self;
        let mut k = 0;
        while let LevelData::Succ(l) = cur.data() {
            cur = l;
            k += 1;
        }
        (cur, k)
    }

    /// True when the level is positive for every assignment of its parameters.
    pub fn is_never_zero(&self) -> bool {
        match self.data() {
            LevelData::Zero | LevelData::Param(_) => false,
            LevelData::Succ(_) => true,
            LevelData::Max(a, b) => a.is_never_zero() || b.is_never_zero(),
            LevelData::IMax(_, b) => b.is_never_zero(),
        }
    }

    /// Whether any parameter occurs (cached).
    pub fn has_param(&self) -> bool {
        self.0.has_param
    }

    /// The first parameter not in `declared`, if any.
    pub fn undeclared_param<'a>(&'a self, declared: &[Name]) -> Option<&'a Name> {
        match self.data() {
            LevelData::Zero => None,
            LevelData::Param(n) => (!declared.contains(n)).then_some(n),
            LevelData::Succ(l) => l.undeclared_param(declared),
            LevelData::Max(a, b) | LevelData::IMax(a, b) => a
                .undeclared_param(declared)
                .or_else(|| b.undeclared_param(declared)),
        }
    }

    /// Substitutes `params[i] := levels[i]` (parameters not listed stay).
    pub fn instantiate(&self, params: &[Name], levels: &[Level]) -> Level {
        if !self.has_param() {
            return self.clone();
        }
        match self.data() {
            LevelData::Zero => self.clone(),
            LevelData::Param(n) => match params.iter().position(|p| p == n) {
                Some(i) => levels.get(i).cloned().unwrap_or_else(|| self.clone()),
                None => self.clone(),
            },
            LevelData::Succ(l) => Level::succ(l.instantiate(params, levels)),
            LevelData::Max(a, b) => {
                Level::mk_max(a.instantiate(params, levels), b.instantiate(params, levels))
            }
            LevelData::IMax(a, b) => {
                Level::mk_imax(a.instantiate(params, levels), b.instantiate(params, levels))
            }
        }
    }

    /// `self ≤ other` for every assignment of the parameters.
    pub fn leq(&self, other: &Level) -> bool {
        leq_core(self, other, &mut Vec::new())
    }

    /// Equivalence: equal for every assignment.
    pub fn equiv(&self, other: &Level) -> bool {
        self == other || (self.leq(other) && other.leq(self))
    }
}

/// One summand of an imax-free level: `param + k`, or the constant `k`.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Summand {
    Const(u64),
    Param(Name, u64),
}

/// A parameter that some unresolved `imax` (whose right side may or may not
/// be zero) depends on, excluding those already split on. Once a parameter is
/// split it occurs only as `succ p` or not at all, so every split terminates.
fn imax_split_param(l: &Level, done: &[Name]) -> Option<Name> {
    match l.data() {
        LevelData::Zero | LevelData::Param(_) => None,
        LevelData::Succ(x) => imax_split_param(x, done),
        LevelData::Max(a, b) => imax_split_param(a, done).or_else(|| imax_split_param(b, done)),
        LevelData::IMax(a, b) => imax_split_param(a, done)
            .or_else(|| imax_split_param(b, done))
            .or_else(|| {
                if b.is_never_zero() || is_always_zero(b) {
                    None
                } else {
                    first_param(b, done)
                }
            }),
    }
}

fn first_param(l: &Level, done: &[Name]) -> Option<Name> {
    match l.data() {
        LevelData::Zero => None,
        LevelData::Param(n) => (!done.contains(n)).then(|| n.clone()),
        LevelData::Succ(x) => first_param(x, done),
        LevelData::Max(a, b) | LevelData::IMax(a, b) => {
            first_param(a, done).or_else(|| first_param(b, done))
        }
    }
}

/// Flattens an imax-free level (imax with a never-zero or zero right side is
/// resolved here) into summands; `None` when an imax still depends on a param.
fn summands(l: &Level, k: u64, out: &mut Vec<Summand>) -> Option<()> {
    match l.data() {
        LevelData::Zero => out.push(Summand::Const(k)),
        LevelData::Param(n) => out.push(Summand::Param(n.clone(), k)),
        LevelData::Succ(x) => summands(x, k + 1, out)?,
        LevelData::Max(a, b) => {
            summands(a, k, out)?;
            summands(b, k, out)?;
        }
        LevelData::IMax(a, b) => {
            if b.is_never_zero() {
                summands(a, k, out)?;
                summands(b, k, out)?;
            } else if is_always_zero(b) {
                out.push(Summand::Const(k));
            } else {
                return None;
            }
        }
    }
    Some(())
}

/// Zero for every assignment (only when no parameter can make it positive).
fn is_always_zero(l: &Level) -> bool {
    match l.data() {
        LevelData::Zero => true,
        LevelData::Param(_) | LevelData::Succ(_) => false,
        LevelData::Max(a, b) => is_always_zero(a) && is_always_zero(b),
        LevelData::IMax(_, b) => is_always_zero(b),
    }
}

fn substitute(l: &Level, p: &Name, v: &Level) -> Level {
    l.instantiate(std::slice::from_ref(p), std::slice::from_ref(v))
}

fn leq_core(a: &Level, b: &Level, done: &mut Vec<Name>) -> bool {
    if a == b {
        return true;
    }
    if let Some(p) = imax_split_param(a, done).or_else(|| imax_split_param(b, done)) {
        // p = 0, or p = succ p (p ranges over all naturals either way).
        let zero = Level::zero();
        let succ = Level::succ(Level::param(p.clone()));
        done.push(p.clone());
        let ok = leq_core(&substitute(a, &p, &zero), &substitute(b, &p, &zero), done)
            && leq_core(&substitute(a, &p, &succ), &substitute(b, &p, &succ), done);
        done.pop();
        return ok;
    }
    let (mut xs, mut ys) = (Vec::new(), Vec::new());
    if summands(a, 0, &mut xs).is_none() || summands(b, 0, &mut ys).is_none() {
        return false;
    }
    xs.iter().all(|x| match x {
        Summand::Const(k) => {
            *k == 0
                || ys.iter().any(|y| match y {
                    Summand::Const(c) => c >= k,
                    Summand::Param(_, c) => c >= k,
                })
        }
        Summand::Param(p, k) => ys
            .iter()
            .any(|y| matches!(y, Summand::Param(q, c) if q == p && c >= k)),
    })
}

/// Converts an exported level without recursion (an export may nest `succ`
/// 10^6 deep; the caller declines levels deeper than `MAX_DEPTH`).
pub fn from_lean(root: &ix_lean::LevelRef) -> Level {
    let mut done: rustc_hash::FxHashMap<*const ix_lean::Level, Level> = Default::default();
    let mut todo = vec![(root, false)];
    let get = |done: &rustc_hash::FxHashMap<_, Level>, l: &ix_lean::LevelRef| {
        done.get(&Arc::as_ptr(l))
            .cloned()
            .unwrap_or_else(Level::zero)
    };
    while let Some((l, expanded)) = todo.pop() {
        if done.contains_key(&Arc::as_ptr(l)) {
            continue;
        }
        let kids: Vec<&ix_lean::LevelRef> = match &**l {
            ix_lean::Level::Zero | ix_lean::Level::Param(_) => Vec::new(),
            ix_lean::Level::Succ(x) => vec![x],
            ix_lean::Level::Max(a, b) | ix_lean::Level::IMax(a, b) => vec![a, b],
        };
        if !expanded && !kids.is_empty() {
            todo.push((l, true));
            todo.extend(kids.into_iter().map(|k| (k, false)));
            continue;
        }
        let r = match &**l {
            ix_lean::Level::Zero => Level::zero(),
            ix_lean::Level::Succ(x) => Level::succ(get(&done, x)),
            ix_lean::Level::Max(a, b) => Level::max(get(&done, a), get(&done, b)),
            ix_lean::Level::IMax(a, b) => Level::imax(get(&done, a), get(&done, b)),
            ix_lean::Level::Param(n) => Level::param(n.clone()),
        };
        done.insert(Arc::as_ptr(l), r);
    }
    get(&done, root)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Level {
        Level::param(Name::from_dotted(s))
    }
    fn n(k: u64) -> Level {
        (0..k).fold(Level::zero(), |l, _| Level::succ(l))
    }

    #[test]
    fn constants_and_params() {
        assert!(n(1).leq(&n(2)));
        assert!(!n(2).leq(&n(1)));
        assert!(p("u").leq(&Level::max(p("u"), p("v"))));
        assert!(!p("u").leq(&p("v")));
        assert!(n(1).leq(&Level::succ(p("u"))));
        assert!(!n(1).leq(&p("u")));
        assert!(Level::max(p("u"), p("v")).equiv(&Level::max(p("v"), p("u"))));
        assert!(Level::max(p("u"), p("u")).equiv(&p("u")));
        assert!(Level::max(p("u"), Level::max(p("v"), p("w")))
            .equiv(&Level::max(Level::max(p("u"), p("v")), p("w"))));
        assert!(Level::max(Level::succ(p("u")), p("u")).equiv(&Level::succ(p("u"))));
    }

    #[test]
    fn deep_levels_convert_print_and_drop_on_a_small_stack() {
        let handle = std::thread::Builder::new()
            .stack_size(1 << 20)
            .spawn(|| {
                let mut src = ix_lean::Level::param(Name::from_dotted("u"));
                for _ in 0..1_000_000 {
                    src = ix_lean::Level::succ(src);
                }
                let l = from_lean(&src);
                assert_eq!(l.depth(), 1_000_001);
                assert_eq!(l.to_string(), "u+1000000");
                let m = from_lean(&src);
                assert!(l == m);
                let mut h = std::collections::hash_map::DefaultHasher::new();
                std::hash::Hash::hash(&l, &mut h);
            })
            .unwrap();
        handle.join().unwrap();
    }

    #[test]
    fn imax_cases() {
        assert!(Level::imax(n(1), n(0)).equiv(&n(0)));
        assert!(Level::imax(n(0), n(1)).equiv(&n(1)));
        assert!(Level::imax(n(2), n(1)).equiv(&n(2)));
        assert!(Level::imax(p("u"), n(0)).equiv(&n(0)));
        assert!(Level::imax(p("u"), p("u")).equiv(&p("u")));
        // imax u v ≤ max u v, but not conversely (v = 0).
        assert!(Level::imax(p("u"), p("v")).leq(&Level::max(p("u"), p("v"))));
        assert!(!Level::max(p("u"), p("v")).leq(&Level::imax(p("u"), p("v"))));
        // succ (imax u v) with an offset: not ≤ max u v + 0 at v = 0, u = 0.
        assert!(!Level::succ(Level::imax(p("u"), p("v"))).leq(&Level::max(p("u"), p("v"))));
        assert!(
            Level::succ(Level::imax(p("u"), p("v"))).leq(&Level::succ(Level::max(p("u"), p("v"))))
        );
        assert!(!Level::imax(p("u"), p("v")).is_never_zero());
        assert!(!p("u").is_never_zero());
    }
}
