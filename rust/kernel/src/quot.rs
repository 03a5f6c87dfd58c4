//! The four quotient constants: `Eq` must already exist with its expected
//! shape, and each constant's type must be exactly the built-in one.

use crate::env::{ConstantInfo, Env, InductiveVal};
use crate::error::{KResult, KernelError};
use crate::expr::Expr;
use crate::level::Level;
use ix_lean::{BinderInfo, Name, QuotKind};

fn c(n: &str, ls: &[Level]) -> Expr {
    Expr::cnst(Name::from_dotted(n), ls.to_vec())
}
fn pi(ty: Expr, body: Expr) -> Expr {
    Expr::pi(Name::anonymous(), BinderInfo::Default, ty, body)
}
fn v(i: u64) -> Expr {
    Expr::bvar(i)
}
fn app(f: Expr, args: &[Expr]) -> Expr {
    Expr::mk_app(f, args)
}
fn sort(l: &Level) -> Expr {
    Expr::sort(l.clone())
}
/// `α → α → Prop` where `α` is `#i`.
fn relation(i: u64) -> Expr {
    pi(v(i), pi(v(i + 1), Expr::sort(Level::zero())))
}

/// `Eq.{u} : {α : Sort u} → α → α → Prop` with the single constructor
/// `Eq.refl.{u} : ∀ {α : Sort u} (a : α), @Eq α a a`.
fn check_eq(env: &Env, decl: &Name) -> KResult<()> {
    let bad = |why: &str| KernelError::reject(decl, format!("quotients need Eq: {why}"));
    let Some(InductiveVal {
        val,
        num_params,
        num_indices,
        ctors,
        ..
    }) = env.inductive(&Name::from_dotted("Eq"))
    else {
        return Err(bad("Eq is not declared as an inductive type"));
    };
    if val.level_params.len() != 1 || *num_params != 2 || *num_indices != 1 || ctors.len() != 1 {
        return Err(bad("Eq has the wrong shape"));
    }
    let u = Level::param(val.level_params[0].clone());
    let eq_ty = pi(sort(&u), pi(v(0), pi(v(1), Expr::sort(Level::zero()))));
    if val.ty != eq_ty {
        return Err(bad("Eq has the wrong type"));
    }
    let Some(ConstantInfo::Constructor { val: refl, .. }) = env.get(&ctors[0]) else {
        return Err(bad("Eq.refl is missing"));
    };
    if refl.level_params.len() != 1 {
        return Err(bad("Eq.refl has the wrong universe parameters"));
    }
    let w = Level::param(refl.level_params[0].clone());
    let refl_ty = pi(
        sort(&w),
        pi(
            v(0),
            app(c("Eq", std::slice::from_ref(&w)), &[v(1), v(0), v(0)]),
        ),
    );
    if refl.ty != refl_ty || ctors[0] != Name::from_dotted("Eq.refl") {
        return Err(bad("Eq.refl has the wrong type"));
    }
    Ok(())
}

/// The built-in type of a quotient constant, over the declaration's own
/// universe parameter names.
fn expected_type(kind: QuotKind, params: &[Name]) -> Option<Expr> {
    let u = Level::param(params.first()?.clone());
    let quot = |a: u64, r: u64| app(c("Quot", std::slice::from_ref(&u)), &[v(a), v(r)]);
    Some(match kind {
        QuotKind::Type => {
            if params.len() != 1 {
                return None;
            }
            // {α : Sort u} → (α → α → Prop) → Sort u
            pi(sort(&u), pi(relation(0), sort(&u)))
        }
        QuotKind::Ctor => {
            if params.len() != 1 {
                return None;
            }
            // {α : Sort u} → (r : α → α → Prop) → α → @Quot α r
            pi(sort(&u), pi(relation(0), pi(v(1), quot(2, 1))))
        }
        QuotKind::Lift => {
            if params.len() != 2 {
                return None;
            }
            let w = Level::param(params[1].clone());
            // {α : Sort u} {r : α → α → Prop} {β : Sort v} (f : α → β)
            //   → (∀ a b : α, r a b → f a = f b) → @Quot α r → β
            let respects = pi(
                v(3),
                pi(
                    v(4),
                    pi(
                        app(v(4), &[v(1), v(0)]),
                        app(
                            c("Eq", std::slice::from_ref(&w)),
                            &[v(4), app(v(3), &[v(2)]), app(v(3), &[v(1)])],
                        ),
                    ),
                ),
            );
            pi(
                sort(&u),
                pi(
                    relation(0),
                    pi(
                        sort(&w),
                        pi(pi(v(2), v(1)), pi(respects, pi(quot(4, 3), v(3)))),
                    ),
                ),
            )
        }
        QuotKind::Ind => {
            if params.len() != 1 {
                return None;
            }
            // {α : Sort u} {r : α → α → Prop} {β : @Quot α r → Prop}
            //   → (∀ a : α, β (@Quot.mk α r a)) → ∀ q : @Quot α r, β q
            let mk = app(c("Quot.mk", std::slice::from_ref(&u)), &[v(3), v(2), v(0)]);
            pi(
                sort(&u),
                pi(
                    relation(0),
                    pi(
                        pi(quot(1, 0), Expr::sort(Level::zero())),
                        pi(
                            pi(v(2), app(v(1), &[mk])),
                            pi(quot(3, 2), app(v(2), &[v(0)])),
                        ),
                    ),
                ),
            )
        }
    })
}

const NAMES: [(QuotKind, &str); 4] = [
    (QuotKind::Type, "Quot"),
    (QuotKind::Ctor, "Quot.mk"),
    (QuotKind::Lift, "Quot.lift"),
    (QuotKind::Ind, "Quot.ind"),
];

/// Checks one `quot` record against the built-in declaration.
pub fn check_quot(
    env: &Env,
    name: &Name,
    kind: QuotKind,
    params: &[Name],
    ty: &Expr,
) -> KResult<()> {
    check_eq(env, name)?;
    let expected_name = NAMES.iter().find(|(k, _)| *k == kind).map(|(_, n)| *n);
    if expected_name.map(Name::from_dotted).as_ref() != Some(name) {
        return Err(KernelError::reject(
            name,
            "quotient constant has an unexpected name",
        ));
    }
    match expected_type(kind, params) {
        Some(t) if t == *ty => Ok(()),
        _ => Err(KernelError::reject(
            name,
            "quotient constant does not have the built-in type",
        )),
    }
}
