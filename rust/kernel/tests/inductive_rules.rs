//! Hand-made exports for the inductive rules that no bundled arena file
//! pins. Most are one-field tampers of a real export (the arena's `nRec`:
//! `N` with `zero`/`succ` and its recursor), each of which Lean's kernel
//! would never have produced; the rest are built in code. They are stored
//! under `tests/data/kernel-rules/inductive/` as `<rule>.<verdict>.ndjson`;
//! the stored files must equal what this code builds (`IX_REGENERATE=1`
//! rewrites them), and each must get its verdict, for the expected reason.

mod support;

use ix_lean::*;
use ix_testkit::terms::*;
use std::path::PathBuf;
use std::sync::Arc;
use support::{accept, reject};

fn rules_dir() -> PathBuf {
    ix_testkit::data_dir().join("kernel-rules/inductive")
}

fn base_export() -> Environment {
    read_export("vow-lean-kernel/tests/good/tutorial/063_nRec.ndjson")
}

/// The export with its (only) inductive block changed by `f`.
fn tamper(f: impl FnOnce(&mut InductiveBlock)) -> Environment {
    let mut env = base_export();
    for d in &mut env.decls {
        if let Declaration::Inductive(b) = d {
            f(b);
            return env;
        }
    }
    panic!("base export has an inductive block")
}

/// `axiom F : Type` and `inductive W | mk : F → W` with its exact recursor.
fn wrapper(field_type: &str) -> Environment {
    let ty1 = ty0();
    let u = sort(lp("u"));
    let motive_ty = pi(c("W"), u);
    let minor_ty = pi(c(field_type), app(bv(1), &[app(c("W.mk"), &[bv(0)])]));
    let rec_ty = pi(
        motive_ty.clone(),
        pi(minor_ty.clone(), pi(c("W"), app(bv(2), &[bv(0)]))),
    );
    let rhs = lam(
        motive_ty,
        lam(minor_ty, lam(c(field_type), app(bv(1), &[bv(0)]))),
    );
    let block = InductiveBlock {
        types: vec![inductive("W", &[], ty1.clone(), 0, 0, &["W.mk"])],
        ctors: vec![constructor(
            "W.mk",
            &[],
            pi(c(field_type), c("W")),
            "W",
            0,
            0,
            1,
        )],
        recs: vec![recursor(
            "W.rec",
            &["u"],
            rec_ty,
            "W",
            0,
            0,
            vec![rule("W.mk", 1, rhs)],
        )],
    };
    Environment {
        meta: base_export().meta,
        decls: vec![axiom(field_type, &[], ty1), Declaration::Inductive(block)],
    }
}

/// `e` with the type of its `depth`-th binder (counting from 0) replaced by
/// `f(old type)` and, when `body` is given, the body under `depth + 1`
/// binders replaced too.
fn rewrite_binders(
    e: &ExprRef,
    depth: usize,
    f: &dyn Fn(&ExprRef) -> ExprRef,
    body: Option<&dyn Fn(&ExprRef) -> ExprRef>,
) -> ExprRef {
    let (is_lam, name, info, ty, inner) = match &**e {
        Expr::Pi {
            name,
            info,
            ty,
            body,
        } => (false, name, info, ty, body),
        Expr::Lam {
            name,
            info,
            ty,
            body,
        } => (true, name, info, ty, body),
        _ => panic!("expected a binder at depth {depth}"),
    };
    let (ty, inner) = if depth == 0 {
        (f(ty), body.map_or_else(|| inner.clone(), |b| b(inner)))
    } else {
        (ty.clone(), rewrite_binders(inner, depth - 1, f, body))
    };
    Arc::new(Expr::binder(!is_lam, name.clone(), *info, ty, inner))
}

/// `N.rec` as if `N.succ` had no induction hypothesis: the minor premise
/// `(a : N) → motive (N.succ a)` in the type and in the `succ` rule, whose
/// right-hand side becomes `fun motive zero succ a => succ a`.
fn drop_succ_ih(b: &mut InductiveBlock) {
    // Under `motive` and `zero`, then the bound `a`: motive is #2.
    let minor = pi(c("N"), app(bv(2), &[app(c("N.succ"), &[bv(0)])]));
    let set_minor = |_: &ExprRef| minor.clone();
    let rec = &mut b.recs[0];
    rec.cval.ty = rewrite_binders(&rec.cval.ty, 2, &set_minor, None);
    let rule = &mut rec.rules[1];
    let call_minor = |_: &ExprRef| lam(c("N"), app(bv(1), &[bv(0)]));
    rule.rhs = rewrite_binders(&rule.rhs, 2, &set_minor, Some(&call_minor));
}

/// `N.rec`'s conclusion `(t : N) → motive t` made `(t : N) → motive
/// N.zero`: a recursor that proves anything about `zero` from any `t`.
fn bogus_conclusion(b: &mut InductiveBlock) {
    let rec = &mut b.recs[0];
    let conclusion = |_: &ExprRef| app(bv(3), &[c("N.zero")]);
    rec.cval.ty = rewrite_binders(&rec.cval.ty, 3, &|t| t.clone(), Some(&conclusion));
}

/// `e` with every `N.rec` renamed `N.recursor`.
fn rename_rec(e: &ExprRef) -> ExprRef {
    rename_consts(e, &|m| {
        if *m == n("N.rec") {
            n("N.recursor")
        } else {
            m.clone()
        }
    })
}

/// The export with its recursor called `N.recursor` throughout (its own
/// rules and the definition `nRec` that uses it), so that nothing but the
/// name is wrong.
fn misnamed_rec() -> Environment {
    let mut env = base_export();
    for d in &mut env.decls {
        match d {
            Declaration::Inductive(b) => {
                let rec = &mut b.recs[0];
                rec.cval.name = n("N.recursor");
                for rule in &mut rec.rules {
                    rule.rhs = rename_rec(&rule.rhs);
                }
            }
            Declaration::Definition(def) => def.value = rename_rec(&def.value),
            _ => {}
        }
    }
    env
}

/// Exported data that lies about the block: the rule, the reason the
/// kernel gives, and the lie told in the base export.
type Lie = (&'static str, &'static str, fn(&mut InductiveBlock));
const LIES: &[Lie] = &[
    ("rec-k-flag-lie", "K flag", |b| b.recs[0].k = true),
    ("rec-rules-swapped", "rule", |b| b.recs[0].rules.swap(0, 1)),
    ("rec-rule-rhs-swapped", "right-hand side", |b| {
        let zero = b.recs[0].rules[0].rhs.clone();
        b.recs[0].rules[1].rhs = zero;
    }),
    ("rec-num-motives-lie", "counts", |b| {
        b.recs[0].num_motives = 2
    }),
    ("rec-elim-universe-dropped", "universe parameters", |b| {
        b.recs[0].cval.level_params.clear()
    }),
    ("rec-extra", "does not belong", |b| {
        let mut extra = b.recs[0].clone();
        extra.cval.name = n("N.rec2");
        b.recs.push(extra);
    }),
    ("rec-missing", "missing", |b| b.recs.clear()),
    ("ctor-orphan", "belongs to no type", |b| {
        let mut orphan = b.ctors[0].clone();
        orphan.cval.name = n("N.other");
        b.ctors.push(orphan);
    }),
    ("ctor-cidx-lie", "constructor index", |b| {
        b.ctors[1].cidx = 0
    }),
    ("ctor-num-fields-lie", "number of fields", |b| {
        b.ctors[1].num_fields = 0
    }),
    ("ctor-unsafe-in-safe-block", "safety", |b| {
        b.ctors[1].is_unsafe = true
    }),
    ("type-is-rec-lie", "isRec", |b| b.types[0].is_rec = false),
    ("type-is-reflexive-lie", "isReflexive", |b| {
        b.types[0].is_reflexive = true
    }),
    ("type-num-nested-lie", "numNested", |b| {
        b.types[0].num_nested = 1
    }),
    ("type-num-indices-lie", "numIndices", |b| {
        b.types[0].num_indices = 1
    }),
    ("type-all-lie", "`all`", |b| b.types[0].all.push(n("N"))),
];

/// The cases, each stored as `<rule>.<verdict>.ndjson`.
fn cases() -> Vec<support::Case> {
    let lies = LIES
        .iter()
        .map(|&(rule, reason, lie)| reject(rule, reason, tamper(lie)));
    let mut cases = vec![accept("exported-data-matches", base_export())];
    cases.extend(lies);
    cases.extend([
        // A recursor whose minor for `succ` lacks the induction hypothesis
        // (arena `rec-missing-ih`), with its rule to match.
        reject("rec-missing-ih", "differs", tamper(drop_succ_ih)),
        // A recursor whose type concludes about `N.zero` whatever the major
        // premise (arena `BogusRecursor`).
        reject("BogusRecursor", "differs", tamper(bogus_conclusion)),
        // The recursor must be named `N.rec` (arena `misnamed_rec`).
        reject("misnamed_rec", "does not belong", misnamed_rec()),
        accept("reserved-nested-prefix", wrapper("Foo_1")),
        reject(
            "reserved-nested-prefix",
            "reserved prefix",
            wrapper("_nested.Foo_1"),
        ),
    ]);
    cases
}

#[test]
fn inductive_cases_are_stored_and_get_their_verdicts_for_the_right_reason() {
    support::assert_cases(&rules_dir(), &cases());
}
