//! An inductive family for the Mathlib-like files: length-indexed vectors
//! `V.{u} (α : Type u) : Nat → Type u` (Mathlib's `Vector`, `Fin n → α`,
//! and the many `Nat`-indexed types), written out by hand with the
//! recursor Lean exports, as the prelude does for `Eq`.

use crate::prelude::{n, nat, succ};
use crate::term::*;
use ix_lean::*;

fn level_u() -> LevelRef {
    Level::param(n("u"))
}

fn type_u() -> Term {
    sort(Level::succ(level_u()))
}

/// `{n : Nat} → (a : α) → (v : V α n) → body n a v` as Pi or Lam binders.
fn cons_fields(
    kind: BindKind,
    family: &Name,
    alpha: &Term,
    body: impl FnOnce(Term, Term, Term) -> Term,
) -> Term {
    let (alpha, family) = (alpha.clone(), family.clone());
    bind(kind, "n", BinderInfo::Implicit, nat(), move |len| {
        bind(kind, "a", BinderInfo::Default, alpha.clone(), move |a| {
            let tail_ty = app(cnst(&family, &[level_u()]), &[alpha, len.clone()]);
            bind(kind, "v", BinderInfo::Default, tail_ty, move |v| {
                body(len, a, v)
            })
        })
    })
}

/// The block of `V`: its type, `V.nil : V α 0`, `V.cons : {n} → α → V α n
/// → V α (n + 1)` and `V.rec`.
pub fn vector_block(family: &Name, interner: &mut Interner) -> InductiveBlock {
    let lu = level_u();
    let v_of = |alpha: &Term, len: Term| {
        app(
            cnst(family, std::slice::from_ref(&lu)),
            &[alpha.clone(), len],
        )
    };
    let nil_of = |alpha: &Term| {
        app(
            cnst(&family.str("nil"), std::slice::from_ref(&lu)),
            std::slice::from_ref(alpha),
        )
    };
    let cons_of = |alpha: &Term, len: Term, a: Term, v: Term| {
        app(
            cnst(&family.str("cons"), std::slice::from_ref(&lu)),
            &[alpha.clone(), len, a, v],
        )
    };
    let family_ty = pi("α", type_u(), |_| pi("a", nat(), |_| type_u()));
    let nil_ty = pi_implicit("α", type_u(), |alpha| v_of(&alpha, nat_lit(0u32)));
    let cons_ty = pi_implicit("α", type_u(), |alpha| {
        cons_fields(BindKind::Pi, family, &alpha, |len, _, _| {
            v_of(&alpha, succ(len))
        })
    });
    let elim = Level::param(n("u_1"));
    let motive_ty = |alpha: &Term| {
        let alpha = alpha.clone();
        pi("a", nat(), |len| {
            pi("t", v_of(&alpha, len), |_| sort(elim.clone()))
        })
    };
    let rec_const = cnst(&family.str("rec"), &[elim.clone(), lu.clone()]);
    // `(nil : motive 0 V.nil) → (cons : {n} → (a) → (v) → motive n v →
    // motive (n+1) (V.cons a v)) → body`, shared by the type and the rules.
    let minors =
        |kind: BindKind, alpha: &Term, motive: &Term, body: &dyn Fn(Term, Term) -> Term| -> Term {
            let nil_minor_ty = app(motive.clone(), &[nat_lit(0u32), nil_of(alpha)]);
            let cons_minor_ty = cons_fields(BindKind::Pi, family, alpha, |len, a, v| {
                let ih = app(motive.clone(), &[len.clone(), v.clone()]);
                pi("v_ih", ih, |_| {
                    let whole = cons_of(alpha, len.clone(), a, v);
                    app(motive.clone(), &[succ(len), whole])
                })
            });
            bind(kind, "nil", BinderInfo::Default, nil_minor_ty, |nil| {
                bind(kind, "cons", BinderInfo::Default, cons_minor_ty, |cons| {
                    body(nil, cons)
                })
            })
        };
    let rec_ty = pi_implicit("α", type_u(), |alpha| {
        pi_implicit("motive", motive_ty(&alpha), |motive| {
            minors(BindKind::Pi, &alpha, &motive, &|_, _| {
                pi_implicit("a", nat(), |len| {
                    pi("t", v_of(&alpha, len.clone()), |t| {
                        app(motive.clone(), &[len, t])
                    })
                })
            })
        })
    });
    let rule_prefix = |body: &dyn Fn(&Term, &Term, Term, Term) -> Term| {
        lam("α", type_u(), |alpha| {
            lam("motive", motive_ty(&alpha), |motive| {
                minors(BindKind::Lam, &alpha, &motive, &|nil, cons| {
                    body(&alpha, &motive, nil, cons)
                })
            })
        })
    };
    let nil_rhs = rule_prefix(&|_, _, nil, _| nil);
    let cons_rhs = rule_prefix(&|alpha, motive, nil, cons| {
        cons_fields(BindKind::Lam, family, alpha, |len, a, v| {
            let ih = app(
                rec_const.clone(),
                &[
                    alpha.clone(),
                    motive.clone(),
                    nil,
                    cons.clone(),
                    len.clone(),
                    v.clone(),
                ],
            );
            app(cons, &[len, a, v, ih])
        })
    });
    let cval = |name: Name, levels: Vec<Name>, ty: &Term, interner: &mut Interner| ConstantVal {
        name,
        level_params: levels,
        ty: interner.expr(ty),
    };
    let (nil_name, cons_name) = (family.str("nil"), family.str("cons"));
    InductiveBlock {
        types: vec![InductiveVal {
            cval: cval(family.clone(), vec![n("u")], &family_ty, interner),
            num_params: 1,
            num_indices: 1,
            all: vec![family.clone()],
            ctors: vec![nil_name.clone(), cons_name.clone()],
            num_nested: 0,
            is_rec: true,
            is_unsafe: false,
            is_reflexive: false,
        }],
        ctors: vec![
            ConstructorVal {
                cval: cval(nil_name.clone(), vec![n("u")], &nil_ty, interner),
                induct: family.clone(),
                cidx: 0,
                num_params: 1,
                num_fields: 0,
                is_unsafe: false,
            },
            ConstructorVal {
                cval: cval(cons_name.clone(), vec![n("u")], &cons_ty, interner),
                induct: family.clone(),
                cidx: 1,
                num_params: 1,
                num_fields: 3,
                is_unsafe: false,
            },
        ],
        recs: vec![RecursorVal {
            cval: cval(family.str("rec"), vec![n("u_1"), n("u")], &rec_ty, interner),
            all: vec![family.clone()],
            num_params: 1,
            num_indices: 1,
            num_motives: 1,
            num_minors: 2,
            rules: vec![
                RecursorRule {
                    ctor: nil_name,
                    num_fields: 0,
                    rhs: interner.expr(&nil_rhs),
                },
                RecursorRule {
                    ctor: cons_name,
                    num_fields: 3,
                    rhs: interner.expr(&cons_rhs),
                },
            ],
            k: false,
            is_unsafe: false,
        }],
    }
}

/// `@V.cons.{0} α (k-1) p0 (… (@V.nil.{0} α))`: a vector of `items` at
/// universe 0, and its length as the type's index.
pub fn vector_literal(family: &Name, alpha: &Term, items: &[Term]) -> Term {
    let zero = [Level::zero()];
    let nil = app(cnst(&family.str("nil"), &zero), std::slice::from_ref(alpha));
    items.iter().enumerate().rev().fold(nil, |tail, (i, item)| {
        let len = nat_lit((items.len() - 1 - i) as u64);
        app(
            cnst(&family.str("cons"), &zero),
            &[alpha.clone(), len, item.clone(), tail],
        )
    })
}
