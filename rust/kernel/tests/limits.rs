//! Inputs that stress the checker's limits: deep terms are checked without
//! overflowing the stack, and an exhausted heartbeat budget declines.

use ix_kernel::{check_environment, CheckOptions, KernelError, TcOptions};
use ix_lean::*;
use ix_testkit::terms::*;

fn check(decls: Vec<Declaration>, budget: u64) -> Result<(), KernelError> {
    let env = Environment {
        meta: ExportMeta::default(),
        decls,
    };
    let options = CheckOptions {
        tc: TcOptions {
            budget,
            ..Default::default()
        },
        threads: 2,
        ..Default::default()
    };
    check_environment(&env, &options).result
}

const DEPTH: usize = 100_000;

#[test]
fn hundred_thousand_nested_applications() {
    let mut decls = chain_prelude();
    decls.push(def("deep", &[], c("T"), chain(c("x"), DEPTH)));
    assert_eq!(check(decls, 1_000_000), Ok(()));
}

/// `fun (x₁ … xₙ : T) => x₁` and its type `T → … → T → T`, for n = `depth`.
fn first_of(depth: usize) -> (ExprRef, ExprRef) {
    let mut value = bv(depth as u64 - 1);
    let mut ty = c("T");
    for _ in 0..depth {
        value = lam(c("T"), value);
        ty = pi(c("T"), ty);
    }
    (value, ty)
}

#[test]
fn hundred_thousand_nested_binders() {
    let (value, ty) = first_of(DEPTH);
    let decls = vec![axiom("T", &[], ty0()), def("deep", &[], ty, value)];
    assert_eq!(check(decls, 1_000_000), Ok(()));
}

#[test]
fn wrong_deep_term_is_still_rejected() {
    let mut decls = chain_prelude();
    decls.push(def("deep", &[], c("T"), chain(c("T"), DEPTH)));
    assert!(matches!(
        check(decls, 1_000_000),
        Err(KernelError::Reject { .. })
    ));
}

#[test]
fn exhausted_budget_declines() {
    // The declared type is `(fun A => A) (… ((fun A => A) T))`: checking
    // `x` against it takes one whnf step per redex.
    let id = lam(ty0(), bv(0));
    let mut ty = c("T");
    for _ in 0..50 {
        ty = app(id.clone(), &[ty]);
    }
    let decls = || {
        vec![
            axiom("T", &[], ty0()),
            axiom("x", &[], c("T")),
            def("v", &[], ty.clone(), c("x")),
        ]
    };
    assert_eq!(check(decls(), 1_000_000), Ok(()));
    assert!(matches!(
        check(decls(), 3),
        Err(KernelError::Decline { .. })
    ));
}

// ------------------------------------------- 10^6-deep inputs and huge literals
//
// Each must end in a verdict within seconds: a well-typed input is never
// rejected (accept, or decline when it is deeper than the recursion guard) and
// an ill-typed one is never accepted. Rejections print the deep terms.

const MILLION: usize = 1_000_000;

/// `f (f (… (f base)))`, `depth` applications.
fn chain(base: ExprRef, depth: usize) -> ExprRef {
    (0..depth).fold(base, |e, _| app(c("f"), &[e]))
}
/// `T : Type`, `f : T → T`, `x y : T`, `P : T → Prop`.
fn chain_prelude() -> Vec<Declaration> {
    vec![
        axiom("T", &[], ty0()),
        axiom("f", &[], pi(c("T"), c("T"))),
        axiom("x", &[], c("T")),
        axiom("y", &[], c("T")),
        axiom("P", &[], pi(c("T"), prop())),
    ]
}

fn not_rejected(r: Result<(), KernelError>) {
    assert!(!matches!(r, Err(KernelError::Reject { .. })), "{r:?}");
}
fn not_accepted(r: Result<(), KernelError>) {
    assert!(r.is_err(), "accepted");
}

#[test]
fn million_nested_applications_end_in_a_verdict() {
    let mut good = chain_prelude();
    good.push(def("deep", &[], c("T"), chain(c("x"), MILLION)));
    not_rejected(check(good, 10_000_000));
    let mut bad = chain_prelude();
    bad.push(def("deep", &[], c("T"), chain(c("T"), MILLION)));
    not_accepted(check(bad, 10_000_000));
}

#[test]
fn million_nested_binders_end_in_a_verdict() {
    let (value, ty) = first_of(MILLION);
    not_rejected(check(
        vec![
            axiom("T", &[], ty0()),
            def("deep", &[], ty.clone(), value.clone()),
        ],
        10_000_000,
    ));
    // The same value against a type one binder short.
    let Expr::Pi { body, .. } = &*ty else {
        unreachable!("built as a Pi")
    };
    not_accepted(check(
        vec![
            axiom("T", &[], ty0()),
            def("deep", &[], body.clone(), value),
        ],
        10_000_000,
    ));
}

/// Separately built (not shared) equal terms, deep but under the recursion
/// guard, so that structural equality and the printing of a rejection run.
#[test]
fn deep_terms_built_apart_compare_and_print() {
    const DEEP: usize = 150_000;
    let good = |arg: &str| {
        let mut decls = chain_prelude();
        decls.push(axiom("h", &[], app(c("P"), &[chain(c("x"), DEEP)])));
        decls.push(thm("t", app(c("P"), &[chain(c(arg), DEEP)]), c("h")));
        decls
    };
    assert_eq!(check(good("x"), 10_000_000), Ok(()));
    let r = check(good("y"), 10_000_000);
    let Err(KernelError::Reject { reason, .. }) = &r else {
        panic!("expected a rejection, got {r:?}")
    };
    assert!(
        reason.len() < 2_000,
        "message not bounded: {} bytes",
        reason.len()
    );
}

fn succ_chain(depth: usize) -> LevelRef {
    (0..depth).fold(Level::zero(), |l, _| Level::succ(l))
}

#[test]
fn million_deep_universe_level_declines() {
    let deep = sort(succ_chain(MILLION));
    let r = check(vec![axiom("A", &[], deep.clone())], 1_000_000);
    assert!(matches!(r, Err(KernelError::Decline { .. })), "{r:?}");
    // Wrongly typed too: still never accepted.
    not_accepted(check(vec![def("A", &[], deep, prop())], 1_000_000));
}

#[test]
fn binder_chain_building_a_deep_level_declines() {
    // (a : Sort u) → (b : Sort v) → (c : Sort u) → … → Prop: inference builds
    // max (u+1) (max (v+1) …), one node per binder.
    let params = ["u", "v"];
    let mut ty = prop();
    for i in 0..20_000 {
        ty = pi(sort(lp(params[i % 2])), ty);
    }
    let r = check(vec![axiom("A", &params, ty)], 1_000_000);
    assert!(matches!(r, Err(KernelError::Decline { .. })), "{r:?}");
}

#[test]
fn million_nested_projections_are_not_accepted() {
    let mut value = c("x");
    for _ in 0..MILLION {
        value = proj("T", 0, value);
    }
    let mut decls = chain_prelude();
    decls.push(def("deep", &[], c("T"), value));
    not_accepted(check(decls, 10_000_000));
}

#[test]
fn million_component_name_is_checked() {
    let mut name = n("T");
    for i in 0..MILLION as u64 {
        name = name.num(i);
    }
    let decls = vec![
        axiom("T", &[], ty0()),
        Declaration::Axiom(AxiomVal {
            cval: ConstantVal {
                name,
                level_params: Vec::new(),
                ty: c("T"),
            },
            is_unsafe: false,
        }),
    ];
    assert_eq!(check(decls, 1_000_000), Ok(()));
}
