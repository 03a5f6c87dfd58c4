//! The prelude every synthetic library starts with: Nat, Bool, Eq, Prod and
//! List with their recursors, Nat arithmetic by recursion, projections.

use crate::inductive::*;
use crate::term::*;
use ix_lean::*;

pub use ix_lean::build::{l1 as level_one, n};

pub fn nat() -> Term {
    cnst(&n("Nat"), &[])
}

pub fn bool_ty() -> Term {
    cnst(&n("Bool"), &[])
}

pub fn succ(t: Term) -> Term {
    app(cnst(&n("Nat.succ"), &[]), &[t])
}

pub fn nat_add(a: Term, b: Term) -> Term {
    app(cnst(&n("Nat.add"), &[]), &[a, b])
}

/// `@Eq.{1} Nat a b`.
pub fn nat_eq(a: Term, b: Term) -> Term {
    eq_at(level_one(), nat(), a, b)
}

/// `@Eq.{level} alpha lhs rhs`.
pub(crate) fn eq_at(level: LevelRef, alpha: Term, lhs: Term, rhs: Term) -> Term {
    app(cnst(&n("Eq"), &[level]), &[alpha, lhs, rhs])
}

/// `@Eq.refl.{level} alpha value`.
pub(crate) fn refl_at(level: LevelRef, alpha: Term, value: Term) -> Term {
    app(cnst(&n("Eq.refl"), &[level]), &[alpha, value])
}

/// `@Eq.refl.{1} Nat a`.
pub fn nat_refl(a: Term) -> Term {
    refl_at(level_one(), nat(), a)
}

/// `Nat.rec.{1} (motive := fun _ => Nat) zero_case succ_case major`.
pub fn nat_rec_to_nat(zero_case: Term, succ_case: Term, major: Term) -> Term {
    let motive = lam("t", nat(), |_| nat());
    app(
        cnst(&n("Nat.rec"), &[level_one()]),
        &[motive, zero_case, succ_case, major],
    )
}

/// A safe definition with no universe parameters and a regular hint.
pub(crate) fn definition(
    name: Name,
    ty: Term,
    value: Term,
    height: u32,
    interner: &mut Interner,
) -> Declaration {
    definition_with(
        name,
        Vec::new(),
        &ty,
        &value,
        ReducibilityHints::Regular(height),
        interner,
    )
}

/// A safe definition with its own level parameters and hints.
pub(crate) fn definition_with(
    name: Name,
    level_params: Vec<Name>,
    ty: &Term,
    value: &Term,
    hints: ReducibilityHints,
    interner: &mut Interner,
) -> Declaration {
    Declaration::Definition(DefinitionVal {
        cval: ConstantVal {
            name: name.clone(),
            level_params,
            ty: interner.expr(ty),
        },
        value: interner.expr(value),
        hints,
        safety: DefinitionSafety::Safe,
        all: vec![name],
    })
}

fn simple_type(name: &str, ctors: Vec<CtorSpec>) -> BlockSpec {
    BlockSpec {
        level_params: Vec::new(),
        params: Vec::new(),
        sort_level: level_one(),
        types: vec![TypeSpec {
            name: n(name),
            ctors,
        }],
    }
}

fn ctor(name: &str, fields: Vec<(&str, FieldType)>) -> CtorSpec {
    CtorSpec {
        name: n(name),
        fields: fields
            .into_iter()
            .map(|(f, t)| (f.to_string(), t))
            .collect(),
    }
}

fn eq_block(interner: &mut Interner) -> InductiveBlock {
    let u1 = n("u_1");
    let u = n("u");
    let lu1 = Level::param(u1.clone());
    let eq = |args: &[Term]| app(cnst(&n("Eq"), std::slice::from_ref(&lu1)), args);
    let refl_of = |alpha: &Term, a: &Term| {
        app(
            cnst(&n("Eq.refl"), std::slice::from_ref(&lu1)),
            &[alpha.clone(), a.clone()],
        )
    };
    let eq_type = pi_implicit("α", sort(lu1.clone()), |alpha| {
        pi("a", alpha.clone(), |_| pi("b", alpha, |_| prop()))
    });
    let refl_type = pi_implicit("α", sort(lu1.clone()), |alpha| {
        pi("a", alpha.clone(), |a| eq(&[alpha, a.clone(), a]))
    });
    let motive_type = |alpha: &Term, a: &Term| {
        let (alpha, a) = (alpha.clone(), a.clone());
        pi("b", alpha.clone(), move |b| {
            pi("t", eq(&[alpha, a, b]), |_| sort(Level::param(n("u"))))
        })
    };
    let rec_type = pi_implicit("α", sort(lu1.clone()), |alpha| {
        pi_implicit("a", alpha.clone(), |a| {
            pi_implicit("motive", motive_type(&alpha, &a), |motive| {
                pi(
                    "refl",
                    app(motive.clone(), &[a.clone(), refl_of(&alpha, &a)]),
                    |_| {
                        pi_implicit("b", alpha.clone(), |b| {
                            pi("t", eq(&[alpha.clone(), a.clone(), b.clone()]), |t| {
                                app(motive, &[b, t])
                            })
                        })
                    },
                )
            })
        })
    });
    let rhs = lam_implicit("α", sort(lu1.clone()), |alpha| {
        lam("a", alpha.clone(), |a| {
            lam("motive", motive_type(&alpha, &a), |motive| {
                lam(
                    "refl",
                    app(motive, &[a.clone(), refl_of(&alpha, &a)]),
                    |refl| refl,
                )
            })
        })
    });
    let cval = |name: &str, levels: Vec<Name>, ty: &Term, interner: &mut Interner| ConstantVal {
        name: n(name),
        level_params: levels,
        ty: interner.expr(ty),
    };
    InductiveBlock {
        types: vec![InductiveVal {
            cval: cval("Eq", vec![u1.clone()], &eq_type, interner),
            num_params: 2,
            num_indices: 1,
            all: vec![n("Eq")],
            ctors: vec![n("Eq.refl")],
            num_nested: 0,
            is_rec: false,
            is_unsafe: false,
            is_reflexive: false,
        }],
        ctors: vec![ConstructorVal {
            cval: cval("Eq.refl", vec![u1.clone()], &refl_type, interner),
            induct: n("Eq"),
            cidx: 0,
            num_params: 2,
            num_fields: 0,
            is_unsafe: false,
        }],
        recs: vec![RecursorVal {
            cval: cval("Eq.rec", vec![u, u1], &rec_type, interner),
            all: vec![n("Eq")],
            num_params: 2,
            num_indices: 1,
            num_motives: 1,
            num_minors: 1,
            rules: vec![RecursorRule {
                ctor: n("Eq.refl"),
                num_fields: 0,
                rhs: interner.expr(&rhs),
            }],
            k: true,
            is_unsafe: false,
        }],
    }
}

fn prod_block() -> BlockSpec {
    let (u, v) = (n("u"), n("v"));
    let (lu, lv) = (Level::param(u.clone()), Level::param(v.clone()));
    let param = |name: &str, l: LevelRef| ParamSpec {
        name: name.to_string(),
        ty: Box::new(move |_| sort(Level::succ(l.clone()))),
    };
    BlockSpec {
        level_params: vec![u, v],
        params: vec![param("α", lu.clone()), param("β", lv.clone())],
        sort_level: Level::succ(Level::max(lu, lv)),
        types: vec![TypeSpec {
            name: n("Prod"),
            ctors: vec![ctor(
                "Prod.mk",
                vec![
                    ("fst", FieldType::External(Box::new(|ps| ps[0].clone()))),
                    ("snd", FieldType::External(Box::new(|ps| ps[1].clone()))),
                ],
            )],
        }],
    }
}

fn list_block() -> BlockSpec {
    let u = n("u");
    let lu = Level::param(u.clone());
    BlockSpec {
        level_params: vec![u],
        params: vec![ParamSpec {
            name: "α".to_string(),
            ty: Box::new(move |_| sort(Level::succ(lu.clone()))),
        }],
        sort_level: Level::succ(Level::param(n("u"))),
        types: vec![TypeSpec {
            name: n("List"),
            ctors: vec![
                ctor("List.nil", vec![]),
                ctor(
                    "List.cons",
                    vec![
                        ("head", FieldType::External(Box::new(|ps| ps[0].clone()))),
                        ("tail", FieldType::Member(0)),
                    ],
                ),
            ],
        }],
    }
}

/// `Prod.fst`/`Prod.snd` as primitive projections.
fn prod_projection(name: &str, idx: u64, interner: &mut Interner) -> Declaration {
    let (u, v) = (n("u"), n("v"));
    let (lu, lv) = (Level::param(u.clone()), Level::param(v.clone()));
    let levels = [lu.clone(), lv.clone()];
    let pick = move |a: Term, b: Term| if idx == 0 { a } else { b };
    let ty = pi_implicit("α", sort(Level::succ(lu.clone())), |a| {
        pi_implicit("β", sort(Level::succ(lv.clone())), |b| {
            pi(
                "self",
                app(cnst(&n("Prod"), &levels), &[a.clone(), b.clone()]),
                |_| pick(a, b),
            )
        })
    });
    let value = lam_implicit("α", sort(Level::succ(lu.clone())), |a| {
        lam_implicit("β", sort(Level::succ(lv.clone())), |b| {
            lam("self", app(cnst(&n("Prod"), &levels), &[a, b]), |s| {
                proj(&n("Prod"), idx, s)
            })
        })
    });
    let name = n(name);
    Declaration::Definition(DefinitionVal {
        cval: ConstantVal {
            name: name.clone(),
            level_params: vec![u, v],
            ty: interner.expr(&ty),
        },
        value: interner.expr(&value),
        hints: ReducibilityHints::Abbrev,
        safety: DefinitionSafety::Safe,
        all: vec![name],
    })
}

/// The prelude's declarations in dependency order.
pub fn prelude(interner: &mut Interner) -> Vec<Declaration> {
    let nat_block = simple_type(
        "Nat",
        vec![
            ctor("Nat.zero", vec![]),
            ctor("Nat.succ", vec![("n", FieldType::Member(0))]),
        ],
    );
    let bool_block = simple_type(
        "Bool",
        vec![ctor("Bool.false", vec![]), ctor("Bool.true", vec![])],
    );
    let nat2 = || pi("n", nat(), |_| pi("m", nat(), |_| nat()));
    // n + m by recursion on m; n * m likewise on top of it.
    let add = lam("n", nat(), |x| {
        lam("m", nat(), |y| {
            nat_rec_to_nat(x, lam("k", nat(), |_| lam("ih", nat(), succ)), y)
        })
    });
    let mul = lam("n", nat(), |x| {
        lam("m", nat(), |y| {
            nat_rec_to_nat(
                nat_lit(0u32),
                lam("k", nat(), |_| lam("ih", nat(), |ih| nat_add(ih, x))),
                y,
            )
        })
    });
    // `drain z n = z`, by recursion on `n` that passes the result through:
    // whnf takes one iota step per unit of `n` without nesting (the heavy
    // workload); distinct `z` keep separate calls from sharing a cache entry.
    let drain = lam("z", nat(), |z| {
        lam("n", nat(), |x| {
            nat_rec_to_nat(z, lam("k", nat(), |_| lam("ih", nat(), |ih| ih)), x)
        })
    });
    vec![
        Declaration::Inductive(nat_block.build(interner)),
        Declaration::Inductive(bool_block.build(interner)),
        Declaration::Inductive(eq_block(interner)),
        Declaration::Inductive(prod_block().build(interner)),
        prod_projection("Prod.fst", 0, interner),
        prod_projection("Prod.snd", 1, interner),
        Declaration::Inductive(list_block().build(interner)),
        definition(n("Nat.add"), nat2(), add, 1, interner),
        definition(n("Nat.mul"), nat2(), mul, 2, interner),
        definition(
            n("Syn.drain"),
            pi("z", nat(), |_| pi("n", nat(), |_| nat())),
            drain,
            1,
            interner,
        ),
    ]
}
