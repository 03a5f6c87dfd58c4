//! Kernel universe levels: construction with light simplification,
//! instantiation of parameters, and a complete decision procedure for `≤`
//! (imax is eliminated by case splits on the parameter it depends on).

use ix_lean::Name;
use std::sync::Arc;

/// A universe level. Cloning is cheap (an `Arc`); equality is structural.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Level(Arc<LevelData>);

#[derive(PartialEq, Eq, Hash)]
pub enum LevelData {
    Zero,
    Succ(Level),
    Max(Level, Level),
    IMax(Level, Level),
    Param(Name),
}

impl std::fmt::Debug for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.data() {
            LevelData::Zero => write!(f, "0"),
            LevelData::Succ(l) => write!(f, "succ({l:?})"),
            LevelData::Max(a, b) => write!(f, "max({a:?}, {b:?})"),
            LevelData::IMax(a, b) => write!(f, "imax({a:?}, {b:?})"),
            LevelData::Param(n) => write!(f, "{n}"),
        }
    }
}

impl std::fmt::Display for Level {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl Level {
    pub fn data(&self) -> &LevelData {
        &self.0
    }

    pub fn zero() -> Level {
        Level(Arc::new(LevelData::Zero))
    }

    pub fn one() -> Level {
        Level::succ(Level::zero())
    }

    pub fn succ(l: Level) -> Level {
        Level(Arc::new(LevelData::Succ(l)))
    }

    pub fn max(a: Level, b: Level) -> Level {
        Level(Arc::new(LevelData::Max(a, b)))
    }

    pub fn imax(a: Level, b: Level) -> Level {
        Level(Arc::new(LevelData::IMax(a, b)))
    }

    pub fn param(n: Name) -> Level {
        Level(Arc::new(LevelData::Param(n)))
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

    /// Whether any parameter occurs.
    pub fn has_param(&self) -> bool {
        match self.data() {
            LevelData::Zero => false,
            LevelData::Param(_) => true,
            LevelData::Succ(l) => l.has_param(),
            LevelData::Max(a, b) | LevelData::IMax(a, b) => a.has_param() || b.has_param(),
        }
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

/// Converts an exported level.
pub fn from_lean(l: &ix_lean::Level) -> Level {
    match l {
        ix_lean::Level::Zero => Level::zero(),
        ix_lean::Level::Succ(x) => Level::succ(from_lean(x)),
        ix_lean::Level::Max(a, b) => Level::max(from_lean(a), from_lean(b)),
        ix_lean::Level::IMax(a, b) => Level::imax(from_lean(a), from_lean(b)),
        ix_lean::Level::Param(n) => Level::param(n.clone()),
    }
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
