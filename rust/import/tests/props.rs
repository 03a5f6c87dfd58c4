//! Property test: random declarations (binder names and infos, universe
//! parameters, literals, lets, projections, references to earlier
//! constants) compile, survive the bytes, and decompile exactly.

mod common;

use common::*;
use ix_lean::*;
use ixon::{IxonEnv, ReadMode};
use num_bigint::BigUint;
use proptest::prelude::*;
use std::sync::Arc;

fn level() -> impl Strategy<Value = LevelRef> {
    let leaf = prop_oneof![
        Just(Level::zero()),
        prop::sample::select(vec!["u", "v", "w"]).prop_map(|n| Level::param(Name::from_dotted(n)))
    ];
    leaf.prop_recursive(3, 10, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(Level::succ),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Level::max(a, b)),
            (inner.clone(), inner).prop_map(|(a, b)| Level::imax(a, b)),
        ]
    })
}

fn binder_name() -> impl Strategy<Value = Name> {
    prop::sample::select(vec!["", "x", "y", "h.1", "_inst"]).prop_map(|s| {
        if s.is_empty() {
            Name::anonymous()
        } else {
            Name::from_dotted(s)
        }
    })
}

fn info() -> impl Strategy<Value = BinderInfo> {
    prop::sample::select(vec![
        BinderInfo::Default,
        BinderInfo::Implicit,
        BinderInfo::StrictImplicit,
        BinderInfo::InstImplicit,
    ])
}

/// Expressions over the constants in `consts` (declared earlier by the test).
fn expr(consts: Vec<&'static str>) -> impl Strategy<Value = ExprRef> {
    let leaf = prop_oneof![
        (0u64..6).prop_map(Expr::BVar),
        level().prop_map(Expr::Sort),
        (
            prop::sample::select(consts),
            prop::collection::vec(level(), 0..2)
        )
            .prop_map(|(n, ls)| Expr::Const(Name::from_dotted(n), ls)),
        any::<u64>().prop_map(|n| Expr::Lit(Literal::Nat(Arc::new(BigUint::from(n))))),
        "[a-zé]{0,6}".prop_map(|s| Expr::Lit(Literal::Str(Arc::from(s.as_str())))),
    ]
    .prop_map(Arc::new);
    leaf.prop_recursive(5, 40, 3, |inner| {
        prop_oneof![
            (inner.clone(), inner.clone()).prop_map(|(f, a)| Arc::new(Expr::App(f, a))),
            (
                any::<bool>(),
                binder_name(),
                info(),
                inner.clone(),
                inner.clone()
            )
                .prop_map(|(is_pi, name, info, ty, body)| Arc::new(Expr::binder(
                    is_pi, name, info, ty, body
                ))),
            (
                binder_name(),
                inner.clone(),
                inner.clone(),
                inner.clone(),
                any::<bool>()
            )
                .prop_map(|(name, ty, value, body, non_dep)| Arc::new(Expr::Let {
                    name,
                    ty,
                    value,
                    body,
                    non_dep
                })),
            (0u64..3, inner.clone()).prop_map(|(i, e)| Arc::new(Expr::Proj(
                Name::from_dotted("S"),
                i,
                e
            ))),
            // Sharing: the same subterm twice.
            inner.prop_map(|e| Arc::new(Expr::App(e.clone(), e))),
        ]
    })
}

/// `name.{u, v, w} : ty`.
fn cval(name: &str, ty: ExprRef) -> ConstantVal {
    ix_lean::build::cval(name, &["u", "v", "w"], ty)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn random_declarations_round_trip(
        t0 in expr(vec!["S"]),
        t1 in expr(vec!["S", "K0"]),
        ty in expr(vec!["S", "K0", "K1"]),
        value in expr(vec!["S", "K0", "K1"]),
        self_ref in any::<bool>(),
    ) {
        let sort = Arc::new(Expr::Sort(Level::zero()));
        let value = if self_ref {
            Arc::new(Expr::App(Arc::new(Expr::Const(Name::from_dotted("D"), vec![])), value))
        } else {
            value
        };
        let env = Environment {
            meta: ExportMeta::default(),
            decls: vec![
                Declaration::Axiom(AxiomVal { cval: cval("S", sort), is_unsafe: false }),
                Declaration::Axiom(AxiomVal { cval: cval("K0", t0), is_unsafe: true }),
                Declaration::Theorem(TheoremVal { cval: cval("K1", t1.clone()), value: t1, all: vec![Name::from_dotted("K1")] }),
                Declaration::Definition(DefinitionVal {
                    cval: cval("D", ty),
                    value,
                    hints: ReducibilityHints::Regular(3),
                    safety: DefinitionSafety::Partial,
                    all: vec![Name::from_dotted("D")],
                }),
            ],
        };
        let compiled = ix_import::compile(&env).unwrap();
        let bytes = compiled.env.to_bytes();
        let (read, _) = IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
        prop_assert_eq!(read.to_bytes(), bytes);
        let back = ix_import::decompile(&read).unwrap();
        if let Err(e) = env_eq(&env, &back) {
            prop_assert!(false, "{}", e);
        }
        ix_import::decompile_anonymous(&read).unwrap();
    }
}
