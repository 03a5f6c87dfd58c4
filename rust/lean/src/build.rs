//! Short builders for hand-made Lean terms and declarations, so that code
//! that writes terms by hand (tests, the importer's canonical primitives,
//! the synthetic libraries) reads like the Lean it stands for:
//! `pi(c("Nat"), app(bv(1), &[bv(0)]))`. Binders are named `x`;
//! declarations are safe with no reducibility hint beyond `Regular(1)`.

use crate::*;
use std::sync::Arc;

/// A name from its dotted spelling.
pub fn n(s: &str) -> Name {
    Name::from_dotted(s)
}

/// The universe parameter `s`.
pub fn lp(s: &str) -> LevelRef {
    Level::param(n(s))
}
/// Universe 0.
pub fn l0() -> LevelRef {
    Level::zero()
}
/// Universe 1.
pub fn l1() -> LevelRef {
    Level::succ(Level::zero())
}
pub fn succ(a: LevelRef) -> LevelRef {
    Level::succ(a)
}
pub fn max(a: LevelRef, b: LevelRef) -> LevelRef {
    Level::max(a, b)
}
pub fn imax(a: LevelRef, b: LevelRef) -> LevelRef {
    Level::imax(a, b)
}

pub fn sort(l: LevelRef) -> ExprRef {
    Arc::new(Expr::Sort(l))
}
/// `Prop`.
pub fn prop() -> ExprRef {
    sort(l0())
}
/// `Type`.
pub fn ty0() -> ExprRef {
    sort(l1())
}
/// The constant `s` with no universe arguments.
pub fn c(s: &str) -> ExprRef {
    cl(s, &[])
}
/// The constant `s` at universe arguments `ls`.
pub fn cl(s: &str, ls: &[LevelRef]) -> ExprRef {
    Arc::new(Expr::Const(n(s), ls.to_vec()))
}
/// Bound variable `i` (de Bruijn index).
pub fn bv(i: u64) -> ExprRef {
    Arc::new(Expr::BVar(i))
}
/// `f args…`.
pub fn app(f: ExprRef, args: &[ExprRef]) -> ExprRef {
    args.iter()
        .fold(f, |acc, a| Arc::new(Expr::App(acc, a.clone())))
}
/// A `fun` (`lam`) or `Pi` binding `x : ty`.
pub fn binder(lam: bool, info: BinderInfo, ty: ExprRef, body: ExprRef) -> ExprRef {
    Arc::new(Expr::binder(!lam, n("x"), info, ty, body))
}
/// `(x : ty) → body`.
pub fn pi(ty: ExprRef, body: ExprRef) -> ExprRef {
    binder(false, BinderInfo::Default, ty, body)
}
/// `{x : ty} → body`.
pub fn pi_implicit(ty: ExprRef, body: ExprRef) -> ExprRef {
    binder(false, BinderInfo::Implicit, ty, body)
}
/// `fun (x : ty) => body`.
pub fn lam(ty: ExprRef, body: ExprRef) -> ExprRef {
    binder(true, BinderInfo::Default, ty, body)
}
/// `fun`s (`lam`) or `∀`s over `binders`, outermost first, around `body`.
pub fn telescope(lam: bool, binders: &[(BinderInfo, ExprRef)], body: ExprRef) -> ExprRef {
    binders.iter().rev().fold(body, |body, (info, ty)| {
        binder(lam, *info, ty.clone(), body)
    })
}
/// `let y : ty := value; body`.
pub fn let_in(ty: ExprRef, value: ExprRef, body: ExprRef) -> ExprRef {
    Arc::new(Expr::Let {
        name: n("y"),
        ty,
        value,
        body,
        non_dep: false,
    })
}
/// Field `i` of `e`, a value of the structure `s`.
pub fn proj(s: &str, i: u64, e: ExprRef) -> ExprRef {
    Arc::new(Expr::Proj(n(s), i, e))
}
/// `@Eq.{1} ty a b`.
pub fn eq(ty: ExprRef, a: ExprRef, b: ExprRef) -> ExprRef {
    app(cl("Eq", &[l1()]), &[ty, a, b])
}
/// `@Eq.refl.{1} ty a`.
pub fn refl(ty: ExprRef, a: ExprRef) -> ExprRef {
    app(cl("Eq.refl", &[l1()]), &[ty, a])
}

/// The name, universe parameters and type every declaration has.
pub fn cval(name: &str, params: &[&str], ty: ExprRef) -> ConstantVal {
    ConstantVal {
        name: n(name),
        level_params: params.iter().map(|p| n(p)).collect(),
        ty,
    }
}
/// `axiom name.{params} : ty`.
pub fn axiom(name: &str, params: &[&str], ty: ExprRef) -> Declaration {
    Declaration::Axiom(AxiomVal {
        cval: cval(name, params, ty),
        is_unsafe: false,
    })
}
/// A definition of the given safety.
pub fn def_with(
    name: &str,
    params: &[&str],
    ty: ExprRef,
    value: ExprRef,
    safety: DefinitionSafety,
) -> Declaration {
    Declaration::Definition(DefinitionVal {
        cval: cval(name, params, ty),
        value,
        hints: ReducibilityHints::Regular(1),
        safety,
        all: vec![n(name)],
    })
}
/// `def name.{params} : ty := value`.
pub fn def(name: &str, params: &[&str], ty: ExprRef, value: ExprRef) -> Declaration {
    def_with(name, params, ty, value, DefinitionSafety::Safe)
}
/// `theorem name : ty := value`.
pub fn thm(name: &str, ty: ExprRef, value: ExprRef) -> Declaration {
    Declaration::Theorem(TheoremVal {
        cval: cval(name, &[], ty),
        value,
        all: vec![n(name)],
    })
}

/// The inductive type `name.{params} : ty`, alone in its block and safe,
/// with constructors `ctors`; not recursive, nested or reflexive (set those
/// fields where they are).
pub fn inductive(
    name: &str,
    params: &[&str],
    ty: ExprRef,
    num_params: u32,
    num_indices: u32,
    ctors: &[&str],
) -> InductiveVal {
    InductiveVal {
        cval: cval(name, params, ty),
        num_params,
        num_indices,
        all: vec![n(name)],
        ctors: ctors.iter().map(|c| n(c)).collect(),
        num_nested: 0,
        is_rec: false,
        is_unsafe: false,
        is_reflexive: false,
    }
}
/// Constructor number `cidx` of `induct`, safe.
pub fn constructor(
    name: &str,
    params: &[&str],
    ty: ExprRef,
    induct: &str,
    cidx: u32,
    num_params: u32,
    num_fields: u32,
) -> ConstructorVal {
    ConstructorVal {
        cval: cval(name, params, ty),
        induct: n(induct),
        cidx,
        num_params,
        num_fields,
        is_unsafe: false,
    }
}
/// The safe recursor of the one type `all` (one motive, no K), with a
/// minor premise per rule.
pub fn recursor(
    name: &str,
    params: &[&str],
    ty: ExprRef,
    all: &str,
    num_params: u32,
    num_indices: u32,
    rules: Vec<RecursorRule>,
) -> RecursorVal {
    RecursorVal {
        cval: cval(name, params, ty),
        all: vec![n(all)],
        num_params,
        num_indices,
        num_motives: 1,
        num_minors: rules.len() as u32,
        rules,
        k: false,
        is_unsafe: false,
    }
}
/// The rule of `recursor` for constructor `ctor`.
pub fn rule(ctor: &str, num_fields: u32, rhs: ExprRef) -> RecursorRule {
    RecursorRule {
        ctor: n(ctor),
        num_fields,
        rhs,
    }
}
