//! Libraries whose terms are small as DAGs and exponential as trees: the
//! shapes that make a checker's cost follow either its distinct nodes or its
//! tree size (the Lean Kernel Arena's `perf/app-lam` and let-chain tests).
//!
//! At depth `n` every declaration below has O(n) distinct expression nodes
//! and a tree size of about 2^n:
//! - `Dag.binder`: `fun x : Nat => t n` with `t 0 = x`,
//!   `t (k+1) = Nat.add (t k) (t k)`: the doubling under a binder, in a value;
//! - `Dag.type`: `∀ x : Nat, t n = t n`, proved by `Eq.refl`: the doubling in
//!   a type, so inference and conversion both meet it;
//! - `Dag.appLam`: `l n : Nat → Nat` with `l 0 = fun x => x`,
//!   `l (k+1) = (fun f g x => f (g x)) (l k) (l k)`: a closed lambda passed
//!   twice at every level;
//! - `Dag.nestedLam`: `l 0` with `l k = fun x => compose (l (k+1)) (l (k+1))
//!   (x + y)`, `y` the binder of `l (k-1)`: each lambda is open in its
//!   parent's variable, so a checker that instantiates every body it enters
//!   pays O(n^2), one with NbE O(n);
//! - `Dag.letChain`: `let x1 := 1 + 1; let x2 := x1 + x1; …; x_n` stated equal
//!   to the literal 2^n: zeta-reducing it unfolds a 2^n tree.

use crate::library::Generator;
use crate::Files;
use ix_lean::build::{app, bv, c, def, eq, n, refl, thm};
use ix_lean::ndjson_write::NdjsonWriter;
use ix_lean::*;
use num_bigint::BigUint;
use std::io::{self, Write};
use std::sync::Arc;

fn binder(pi: bool, name: &str, ty: ExprRef, body: ExprRef) -> ExprRef {
    Arc::new(Expr::binder(pi, n(name), BinderInfo::Default, ty, body))
}

fn nat() -> ExprRef {
    c("Nat")
}

fn nat_to_nat() -> ExprRef {
    binder(true, "x", nat(), nat())
}

fn add(a: &ExprRef, b: &ExprRef) -> ExprRef {
    app(c("Nat.add"), &[a.clone(), b.clone()])
}

fn nat_lit(v: BigUint) -> ExprRef {
    Arc::new(Expr::Lit(Literal::Nat(Arc::new(v))))
}

/// `t n` over the loose variable `#0`: each level is one node referring
/// twice to the level below.
fn doubling(depth: u32) -> ExprRef {
    let mut t = bv(0);
    for _ in 0..depth {
        t = add(&t, &t);
    }
    t
}

fn binder_shape(depth: u32) -> Declaration {
    let value = binder(false, "x", nat(), doubling(depth));
    def("Dag.binder", &[], nat_to_nat(), value)
}

fn type_shape(depth: u32) -> Declaration {
    let t = doubling(depth);
    let ty = binder(true, "x", nat(), eq(nat(), t.clone(), t.clone()));
    let value = binder(false, "x", nat(), refl(nat(), t));
    thm("Dag.type", ty, value)
}

fn app_lam_shape(depth: u32) -> Declaration {
    let compose = compose();
    let mut l = binder(false, "x", nat(), bv(0));
    for _ in 0..depth {
        l = app(compose.clone(), &[l.clone(), l]);
    }
    def("Dag.appLam", &[], nat_to_nat(), l)
}

fn compose() -> ExprRef {
    // fun f g x => f (g x), with f = #2, g = #1, x = #0.
    let body = app(bv(2), &[app(bv(1), &[bv(0)])]);
    binder(
        false,
        "f",
        nat_to_nat(),
        binder(false, "g", nat_to_nat(), binder(false, "x", nat(), body)),
    )
}

fn nested_lam_shape(depth: u32) -> Declaration {
    let x = bv(0);
    let deepest = if depth == 0 {
        x.clone()
    } else {
        add(&x, &bv(1))
    };
    let mut l = binder(false, "x", nat(), deepest);
    for k in (0..depth).rev() {
        let arg = if k == 0 { x.clone() } else { add(&x, &bv(1)) };
        l = binder(false, "x", nat(), app(compose(), &[l.clone(), l, arg]));
    }
    def("Dag.nestedLam", &[], nat_to_nat(), l)
}

fn let_chain_shape(depth: u32) -> Declaration {
    // let x1 := 1 + 1; let x2 := x1 + x1; …; x_depth (x_0 = 1).
    let one = nat_lit(1u32.into());
    let mut body = if depth == 0 { one.clone() } else { bv(0) };
    for k in (1..=depth).rev() {
        let prev = if k == 1 { one.clone() } else { bv(0) };
        body = Arc::new(Expr::Let {
            name: n(&format!("x{k}")),
            ty: nat(),
            value: add(&prev, &prev),
            body,
            non_dep: false,
        });
    }
    let value = nat_lit(BigUint::from(1u32) << depth);
    thm(
        "Dag.letChain",
        eq(nat(), body, value.clone()),
        refl(nat(), value),
    )
}

/// The five shapes at `depth`, after the prelude they need.
pub fn declarations(depth: u32) -> Vec<Declaration> {
    let mut out = Generator::new(0, 0, false).opening();
    out.extend([
        binder_shape(depth),
        type_shape(depth),
        app_lam_shape(depth),
        nested_lam_shape(depth),
        let_chain_shape(depth),
    ]);
    out
}

/// Streams the library of [`declarations`] as NDJSON.
pub fn generate(depth: u32, meta: &ExportMeta, out: impl Write) -> io::Result<()> {
    let mut writer = NdjsonWriter::new(out, meta)?;
    for d in declarations(depth) {
        writer.declaration(&d)?;
    }
    writer.into_inner().flush()
}
