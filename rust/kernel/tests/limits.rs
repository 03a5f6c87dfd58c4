//! Inputs that stress the checker's limits: deep terms are checked without
//! overflowing the stack, and an exhausted heartbeat budget declines.

use ix_kernel::{check_environment, CheckOptions, KernelError, TcOptions};
use ix_lean::*;
use std::sync::Arc;

fn n(s: &str) -> Name {
    Name::from_dotted(s)
}
fn c(s: &str) -> ExprRef {
    Arc::new(Expr::Const(n(s), Vec::new()))
}
fn ty0() -> ExprRef {
    Arc::new(Expr::Sort(Level::succ(Level::zero())))
}
fn axiom(name: &str, ty: ExprRef) -> Declaration {
    Declaration::Axiom(AxiomVal {
        cval: ConstantVal {
            name: n(name),
            level_params: Vec::new(),
            ty,
        },
        is_unsafe: false,
    })
}
fn def(name: &str, ty: ExprRef, value: ExprRef) -> Declaration {
    Declaration::Definition(DefinitionVal {
        cval: ConstantVal {
            name: n(name),
            level_params: Vec::new(),
            ty,
        },
        value,
        hints: ReducibilityHints::Regular(1),
        safety: DefinitionSafety::Safe,
        all: vec![n(name)],
    })
}
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
    };
    check_environment(&env, &options).result
}

const DEPTH: usize = 100_000;

#[test]
fn hundred_thousand_nested_applications() {
    let mut value = c("x");
    for _ in 0..DEPTH {
        value = Arc::new(Expr::App(c("f"), value));
    }
    let decls = vec![
        axiom("T", ty0()),
        axiom(
            "f",
            Arc::new(Expr::Pi {
                name: n("a"),
                info: BinderInfo::Default,
                ty: c("T"),
                body: c("T"),
            }),
        ),
        axiom("x", c("T")),
        def("deep", c("T"), value),
    ];
    assert_eq!(check(decls, 1_000_000), Ok(()));
}

#[test]
fn hundred_thousand_nested_binders() {
    // fun (x₁ … xₙ : T) => x₁ : T → … → T → T
    let mut value = Arc::new(Expr::BVar(DEPTH as u64 - 1));
    let mut ty = c("T");
    for _ in 0..DEPTH {
        value = Arc::new(Expr::Lam {
            name: n("x"),
            info: BinderInfo::Default,
            ty: c("T"),
            body: value,
        });
        ty = Arc::new(Expr::Pi {
            name: n("x"),
            info: BinderInfo::Default,
            ty: c("T"),
            body: ty,
        });
    }
    let decls = vec![axiom("T", ty0()), def("deep", ty, value)];
    assert_eq!(check(decls, 1_000_000), Ok(()));
}

#[test]
fn wrong_deep_term_is_still_rejected() {
    let mut value = c("T");
    for _ in 0..DEPTH {
        value = Arc::new(Expr::App(c("f"), value));
    }
    let decls = vec![
        axiom("T", ty0()),
        axiom(
            "f",
            Arc::new(Expr::Pi {
                name: n("a"),
                info: BinderInfo::Default,
                ty: c("T"),
                body: c("T"),
            }),
        ),
        def("deep", c("T"), value),
    ];
    assert!(matches!(
        check(decls, 1_000_000),
        Err(KernelError::Reject { .. })
    ));
}

#[test]
fn exhausted_budget_declines() {
    // The declared type is `(fun A => A) (… ((fun A => A) T))`: checking
    // `x` against it takes one whnf step per redex.
    let id = Arc::new(Expr::Lam {
        name: n("A"),
        info: BinderInfo::Default,
        ty: ty0(),
        body: Arc::new(Expr::BVar(0)),
    });
    let mut ty = c("T");
    for _ in 0..50 {
        ty = Arc::new(Expr::App(id.clone(), ty));
    }
    let decls = || {
        vec![
            axiom("T", ty0()),
            axiom("x", c("T")),
            def("v", ty.clone(), c("x")),
        ]
    };
    assert_eq!(check(decls(), 1_000_000), Ok(()));
    assert!(matches!(
        check(decls(), 3),
        Err(KernelError::Decline { .. })
    ));
}
