//! Hand-made exports, one per kernel rule not pinned by the bundled arena
//! files, with an accept and a reject (or decline) case each. They are built
//! here in code and stored under `tests/data/kernel-rules/` as
//! `<rule>.<verdict>.ndjson`; the stored files must match what this code
//! builds (run with `IX_REGENERATE=1` to rewrite them), and every stored file
//! must get the verdict its name says.

mod support;

use ix_kernel::{check_environment, CheckOptions, KernelError};
use ix_lean::*;
use ix_testkit::terms::*;
use num_bigint::BigUint;
use std::path::PathBuf;
use std::sync::Arc;
use support::{accept, decline, env, nat_prelude, reject, verdict};

fn rules_dir() -> PathBuf {
    ix_testkit::data_dir().join("kernel-rules")
}

// ------------------------------------------------------------ term builders

/// The literal `v : Nat`.
fn nat(v: BigUint) -> ExprRef {
    Arc::new(Expr::Lit(Literal::Nat(Arc::new(v))))
}
fn unsafe_axiom(name: &str, ty: ExprRef) -> Declaration {
    Declaration::Axiom(AxiomVal {
        cval: cval(name, &[], ty),
        is_unsafe: true,
    })
}

fn with_prelude(extra: Vec<Declaration>) -> Environment {
    let mut decls = nat_prelude();
    decls.extend(extra);
    env(decls)
}

fn nat_ty() -> ExprRef {
    c("Nat")
}

fn add(a: ExprRef, b: ExprRef) -> ExprRef {
    app(c("Nat.add"), &[a, b])
}

fn big(s: &str) -> BigUint {
    s.parse().expect("decimal")
}

/// Eq, the four quotient constants and their users, from a real export.
fn quot_export() -> Vec<Declaration> {
    read_export("vow-lean-kernel/tests/good/tutorial/114_quotMkType.ndjson").decls
}

/// The quotient export with `Quot.mk` given `Quot`'s type.
fn quot_with_wrong_mk_type() -> Vec<Declaration> {
    let mut decls = quot_export();
    let quot_ty = decls.iter().find_map(|d| match d {
        Declaration::Quot(q) if q.kind == QuotKind::Type => Some(q.cval.ty.clone()),
        _ => None,
    });
    for d in &mut decls {
        if let (Declaration::Quot(q), Some(t)) = (&mut *d, &quot_ty) {
            if q.kind == QuotKind::Ctor {
                q.cval.ty = t.clone();
            }
        }
    }
    decls
}

/// The quotient export without the `Eq` inductive.
fn quot_without_eq() -> Vec<Declaration> {
    quot_export()
        .into_iter()
        .filter(|d| !matches!(d, Declaration::Inductive(b) if b.types.iter().any(|t| t.cval.name == n("Eq"))))
        .collect()
}

/// The quotient export with the `Eq` block replaced by an axiom of `Eq`'s
/// type: the name and type are right, the shape (an inductive with
/// `Eq.refl`) is not.
fn quot_with_axiom_eq() -> Vec<Declaration> {
    quot_export()
        .into_iter()
        .map(|d| match d {
            Declaration::Inductive(b) if b.types.iter().any(|t| t.cval.name == n("Eq")) => {
                Declaration::Axiom(AxiomVal {
                    cval: b.types[0].cval.clone(),
                    is_unsafe: false,
                })
            }
            other => other,
        })
        .collect()
}

/// Bool as axioms, `Lean.reduceBool` as an opaque, and a theorem whose check
/// needs `Lean.reduceBool Bool.true` reduced (or not, for `native = false`).
fn native_case(native: bool) -> Environment {
    let bool_ty = c("Bool");
    let lhs = if native {
        app(c("Lean.reduceBool"), &[c("Bool.true")])
    } else {
        c("Bool.true")
    };
    with_prelude(vec![
        axiom("Bool", &[], ty0()),
        axiom("Bool.true", &[], bool_ty.clone()),
        Declaration::Opaque(OpaqueVal {
            cval: cval("Lean.reduceBool", &[], pi(bool_ty.clone(), bool_ty.clone())),
            value: lam(bool_ty.clone(), bv(0)),
            is_unsafe: false,
            all: vec![n("Lean.reduceBool")],
        }),
        thm(
            "by_native",
            eq(bool_ty.clone(), lhs, c("Bool.true")),
            refl(bool_ty, c("Bool.true")),
        ),
    ])
}

// ------------------------------------------------- primitive Nat operations

/// The real-Lean prelude up to (without) its `Nat.add`, then `Bool` (from the
/// arena's `boolType` export): Nat, Eq and friends, but no operations.
fn prelude_without_ops() -> Vec<Declaration> {
    let mut decls: Vec<Declaration> = nat_prelude()
        .into_iter()
        .take_while(|d| !d.names().contains(&&n("Nat.add")))
        .collect();
    let bools = read_export("vow-lean-kernel/tests/good/tutorial/030_boolType.ndjson").decls;
    decls.extend(
        bools
            .into_iter()
            .filter(|d| matches!(d, Declaration::Inductive(_))),
    );
    decls
}

fn nat2() -> ExprRef {
    pi(nat_ty(), pi(nat_ty(), nat_ty()))
}

/// `fun n m => Nat.rec (motive := fun _ => Nat) base (fun _ ih => step) m`,
/// where `base` sees `n` as `#1` and `step` sees `ih` as `#0`, `n` as `#3`.
fn by_rec(base: ExprRef, step: ExprRef) -> ExprRef {
    let rec = cl("Nat.rec", &[l1()]);
    let motive = lam(nat_ty(), nat_ty());
    lam(
        nat_ty(),
        lam(
            nat_ty(),
            app(
                rec,
                &[motive, base, lam(nat_ty(), lam(nat_ty(), step)), bv(0)],
            ),
        ),
    )
}

fn rec_add() -> Declaration {
    def(
        "Nat.add",
        &[],
        nat2(),
        by_rec(bv(1), app(c("Nat.succ"), &[bv(0)])),
    )
}
fn rec_mul() -> Declaration {
    def(
        "Nat.mul",
        &[],
        nat2(),
        by_rec(c("Nat.zero"), add(bv(0), bv(3))),
    )
}
fn rec_pow() -> Declaration {
    let one = app(c("Nat.succ"), &[c("Nat.zero")]);
    def(
        "Nat.pow",
        &[],
        nat2(),
        by_rec(one, app(c("Nat.mul"), &[bv(0), bv(3)])),
    )
}
fn nat_op(op: &str, a: ExprRef, b: ExprRef) -> ExprRef {
    app(c(op), &[a, b])
}
fn lit(v: u64) -> ExprRef {
    nat(BigUint::from(v))
}
fn pow2(e: u32) -> BigUint {
    BigUint::from(1u8) << e
}
fn nat_thm(lhs: ExprRef, rhs: ExprRef) -> Declaration {
    named_nat_thm("claim", lhs, rhs)
}
/// `theorem name : lhs = rhs := rfl` over Nat.
fn named_nat_thm(name: &str, lhs: ExprRef, rhs: ExprRef) -> Declaration {
    thm(name, eq(nat_ty(), lhs, rhs.clone()), refl(nat_ty(), rhs))
}
/// The Nat prelude and `theorem name : lhs = rhs := rfl`.
fn nat_claim(name: &str, lhs: ExprRef, rhs: ExprRef) -> Environment {
    with_prelude(vec![named_nat_thm(name, lhs, rhs)])
}
/// `Nat.succ n`, on a literal.
fn succ_of(n: u64) -> ExprRef {
    app(c("Nat.succ"), &[lit(n)])
}
fn ops_then(ops: Vec<Declaration>, claim: Declaration) -> Environment {
    let mut decls = prelude_without_ops();
    decls.extend(ops);
    decls.push(claim);
    env(decls)
}
fn bool_thm(lhs: ExprRef, rhs: &str) -> Declaration {
    let b = c("Bool");
    thm("claim", eq(b.clone(), lhs, c(rhs)), refl(b, c(rhs)))
}

/// Primitive trust: an operation is computed on literals only when its
/// definition meets its defining equations, so a verdict never differs from
/// what unfolding the definitions gives.
fn primitive_cases() -> Vec<support::Case> {
    let bogus_add = || def("Nat.add", &[], nat2(), lam(nat_ty(), lam(nat_ty(), bv(1))));
    let bogus_mul = || {
        def(
            "Nat.mul",
            &[],
            nat2(),
            lam(nat_ty(), lam(nat_ty(), add(bv(1), bv(0)))),
        )
    };
    let bool2 = pi(nat_ty(), pi(nat_ty(), c("Bool")));
    let bogus_beq = || {
        def(
            "Nat.beq",
            &[],
            bool2.clone(),
            lam(nat_ty(), lam(nat_ty(), c("Bool.true"))),
        )
    };
    let mut cases = vec![
        // Lean's own `Nat.add` (structural recursion through `Nat.brecOn`)
        // meets its equations: 2^200 + 2^200 is computed.
        accept(
            "nat-add-lean-accelerated",
            with_prelude(vec![nat_thm(
                add(nat(pow2(200)), nat(pow2(200))),
                nat(pow2(201)),
            )]),
        ),
    ];
    // `Nat.add := fun n m => n`: 2 + 2 unfolds to 2, never 4.
    let two_plus_two = |rhs| nat_thm(add(lit(2), lit(2)), rhs);
    let bogus = || vec![bogus_add()];
    cases.extend(claims_after(
        "nat-add-unverified",
        bogus,
        two_plus_two,
        lit(2),
        lit(4),
    ));
    // `Nat.mul n m := n + m` over a verified `Nat.add`: 3 * 3 unfolds to 6.
    let three_times_three = |rhs| nat_thm(nat_op("Nat.mul", lit(3), lit(3)), rhs);
    let bogus = || vec![rec_add(), bogus_mul()];
    cases.extend(claims_after(
        "nat-mul-unverified",
        bogus,
        three_times_three,
        lit(6),
        lit(9),
    ));
    // `Nat.beq _ _ := true`: `Nat.beq 1 2` unfolds to `true`.
    let beq = |rhs| bool_thm(nat_op("Nat.beq", lit(1), lit(2)), rhs);
    let bogus = || vec![bogus_beq()];
    cases.extend(claims_after(
        "nat-beq-unverified",
        bogus,
        beq,
        "Bool.true",
        "Bool.false",
    ));
    // Defined by `Nat.rec` (as `ix synth` does), the operations meet their
    // equations and are accelerated: 2^200 + 2^200 and 2^100000 are out
    // of reach of unfolding.
    let doubled = |rhs| nat_thm(add(nat(pow2(200)), nat(pow2(200))), rhs);
    let (holds, fails) = (nat(pow2(201)), nat(pow2(201) + 1u8));
    cases.extend(claims_after(
        "nat-add-rec-accelerated",
        || vec![rec_add()],
        doubled,
        holds,
        fails,
    ));
    let power = |rhs| nat_thm(nat_op("Nat.pow", lit(2), lit(100_000)), rhs);
    let ops = || vec![rec_add(), rec_mul(), rec_pow()];
    let (holds, fails) = (nat(pow2(100_000)), nat(pow2(100_000) + 1u8));
    cases.extend(claims_after(
        "nat-pow-rec-accelerated",
        ops,
        power,
        holds,
        fails,
    ));
    cases
}

/// `rule`'s two cases over the prelude without its Nat operations, `ops`
/// and a claim: accepted as `claim(holds)`, rejected as `claim(fails)`.
fn claims_after<R>(
    rule: &'static str,
    ops: impl Fn() -> Vec<Declaration>,
    claim: impl Fn(R) -> Declaration,
    holds: R,
    fails: R,
) -> [support::Case; 2] {
    [
        accept(rule, ops_then(ops(), claim(holds))),
        reject(rule, "", ops_then(ops(), claim(fails))),
    ]
}

// ---------------------------------------------------------- string literals

/// Nat and Eq, the real `List`, and `Char`, `Char.ofNat`, `String`,
/// `String.ofList` as axioms of the types the literal expansion needs.
fn string_prelude() -> Vec<Declaration> {
    let list = read_export("vow-lean-kernel/tests/good/tutorial/072_listRecReduction.ndjson")
        .decls
        .into_iter()
        .find(|d| d.names().contains(&&n("List")))
        .expect("List block");
    let mut decls = nat_prelude();
    decls.push(list);
    let list_char = app(cl("List", &[l0()]), &[c("Char")]);
    decls.extend([
        axiom("Char", &[], ty0()),
        axiom("Char.ofNat", &[], pi(nat_ty(), c("Char"))),
        axiom("String", &[], ty0()),
        axiom("String.ofList", &[], pi(list_char, c("String"))),
    ]);
    decls
}

/// `"ab" = String.ofList [Char.ofNat 97, Char.ofNat second]` by `rfl`.
fn string_literal_case(second: u64) -> Environment {
    let ch = |v: u64| app(c("Char.ofNat"), &[lit(v)]);
    let nil = app(cl("List.nil", &[l0()]), &[c("Char")]);
    let cons = |h: ExprRef, t: ExprRef| app(cl("List.cons", &[l0()]), &[c("Char"), h, t]);
    let expanded = app(c("String.ofList"), &[cons(ch(97), cons(ch(second), nil))]);
    let literal = Arc::new(Expr::Lit(Literal::Str(Arc::from("ab"))));
    let s = c("String");
    let mut decls = string_prelude();
    decls.push(thm(
        "expands",
        eq(s.clone(), literal.clone(), expanded),
        refl(s, literal),
    ));
    env(decls)
}

// ------------------------------------------------ more core rules, by rule

/// The real prelude with `Nat.rec` claiming the K rule when `k_lie`.
fn nat_rec_k(k_lie: bool) -> Environment {
    let mut decls = nat_prelude();
    for d in &mut decls {
        if let Declaration::Inductive(b) = d {
            for r in &mut b.recs {
                if r.cval.name == n("Nat.rec") {
                    r.k = k_lie;
                }
            }
        }
    }
    env(decls)
}

/// `T U : Type`, `t : T`, `u : U`, `f : T → T` and `applied : T := f arg`.
fn applied_to(arg: &str) -> Environment {
    env(vec![
        axiom("T", &[], ty0()),
        axiom("U", &[], ty0()),
        axiom("t", &[], c("T")),
        axiom("u", &[], c("U")),
        axiom("f", &[], pi(c("T"), c("T"))),
        def("applied", &[], c("T"), app(c("f"), &[c(arg)])),
    ])
}

/// `T : Type`, `t : T` and `ident : T → T := fun (x : binder) => x`.
fn lambda_over(binder: &str) -> Environment {
    env(vec![
        axiom("T", &[], ty0()),
        axiom("t", &[], c("T")),
        def("ident", &[], pi(c("T"), c("T")), lam(c(binder), bv(0))),
    ])
}

/// Over the prelude: `Other : Type` and `five : ty := 5`.
fn literal_of_type(ty: &str) -> Environment {
    with_prelude(vec![
        axiom("Other", &[], ty0()),
        def("five", &[], c(ty), lit(5)),
    ])
}

/// `T : Type`, `t : T` and `a : T := let y : T := value; y`.
fn let_value_type(value: ExprRef) -> Environment {
    env(vec![
        axiom("T", &[], ty0()),
        axiom("t", &[], c("T")),
        def("a", &[], c("T"), let_in(c("T"), value, bv(0))),
    ])
}

/// Over Eq: `T : Type`, `a b : T`, `idd : T → T := fun x => let y := x; y`
/// and `idd a = rhs` by `rfl`: delta, beta and zeta reduce `idd a` to `a`.
fn whnf_core(rhs: &str) -> Environment {
    let let_body = let_in(c("T"), bv(0), bv(0));
    with_prelude(vec![
        axiom("T", &[], ty0()),
        axiom("a", &[], c("T")),
        axiom("b", &[], c("T")),
        def("idd", &[], pi(c("T"), c("T")), lam(c("T"), let_body)),
        thm(
            "reduces",
            eq(c("T"), app(c("idd"), &[c("a")]), c(rhs)),
            refl(c("T"), c(rhs)),
        ),
    ])
}

/// Over the quotient export: `A B : Type`, `r : A → A → Prop`, `f : A →
/// B`, `h : ∀ x y, r x y → f x = f y`, `a a' : A`, and `Quot.lift f h
/// (Quot.mk r a) = f rhs` by `rfl`: the lift reduces to `f a`.
fn quot_lift(rhs: &str) -> Environment {
    let f_of = |x: ExprRef| app(c("f"), &[x]);
    let respects = pi(
        c("A"),
        pi(
            c("A"),
            pi(
                app(c("r"), &[bv(1), bv(0)]),
                eq(c("B"), f_of(bv(2)), f_of(bv(1))),
            ),
        ),
    );
    let mk = app(cl("Quot.mk", &[l1()]), &[c("A"), c("r"), c("a")]);
    let lifted = app(
        cl("Quot.lift", &[l1(), l1()]),
        &[c("A"), c("r"), c("B"), c("f"), c("h"), mk],
    );
    let mut decls = quot_export();
    decls.extend([
        axiom("A", &[], ty0()),
        axiom("B", &[], ty0()),
        axiom("r", &[], pi(c("A"), pi(c("A"), prop()))),
        axiom("f", &[], pi(c("A"), c("B"))),
        axiom("h", &[], respects),
        axiom("a", &[], c("A")),
        axiom("a'", &[], c("A")),
        thm(
            "lift_mk",
            eq(c("B"), lifted, f_of(c(rhs))),
            refl(c("B"), f_of(c(rhs))),
        ),
    ]);
    env(decls)
}

/// `T : Type`, `t : T` and the mutual block `f.{f_params} := g`, `g := t`
/// (both listing `[f, g]`) with the given safeties: a block's bodies may
/// refer to one another only if they share safety and universe parameters.
fn mutual_pair(
    f_safety: DefinitionSafety,
    g_safety: DefinitionSafety,
    f_params: &[&str],
) -> Environment {
    let block = || vec![n("f"), n("g")];
    let mutual = |name: &str, params: &[&str], value: ExprRef, safety| {
        Declaration::Definition(DefinitionVal {
            cval: cval(name, params, c("T")),
            value,
            hints: ReducibilityHints::Opaque,
            safety,
            all: block(),
        })
    };
    env(vec![
        axiom("T", &[], ty0()),
        axiom("t", &[], c("T")),
        mutual("f", f_params, c("g"), f_safety),
        mutual("g", &[], c("t"), g_safety),
    ])
}

// ------------------------------------------------------ the export format

fn format_dir() -> PathBuf {
    rules_dir().join("format")
}

/// Keys whose integer values (or arrays of integers) are name indices.
const NAME_KEYS: &[&str] = &[
    "in",
    "pre",
    "param",
    "name",
    "typeName",
    "levelParams",
    "all",
    "ctors",
    "induct",
    "ctor",
];

/// Name index `i` moved to `10 i + 3` (0, the anonymous name, stays).
fn spread_index(x: &mut serde_json::Value) {
    match x {
        serde_json::Value::Number(k) => {
            if let Some(i) = k.as_u64().filter(|i| *i > 0) {
                *x = serde_json::Value::from(10 * i + 3);
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(spread_index),
        other => spread_names(other),
    }
}

fn spread_names(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, x) in m.iter_mut() {
                if NAME_KEYS.contains(&k.as_str()) {
                    spread_index(x);
                } else {
                    spread_names(x);
                }
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(spread_names),
        _ => {}
    }
}

fn lines_of(e: &Environment) -> Vec<String> {
    let bytes = ndjson_write::write_environment(Vec::new(), e).expect("write to memory");
    String::from_utf8(bytes)
        .expect("utf-8")
        .lines()
        .map(str::to_string)
        .collect()
}

/// The export with every name index made sparse (`10 i + 3`).
fn sparse_names(e: &Environment) -> Vec<String> {
    lines_of(e)
        .into_iter()
        .map(|line| {
            let mut v: serde_json::Value = serde_json::from_str(&line).expect("json line");
            spread_names(&mut v);
            v.to_string()
        })
        .collect()
}

/// The export with the names first, then the levels in decreasing index
/// order (each pointing forwards), then the rest.
fn levels_reversed(e: &Environment) -> Vec<String> {
    let lines = lines_of(e);
    let kind = |l: &String, key: &str| l.contains(&format!("\"{key}\":"));
    let names = lines.iter().skip(1).filter(|l| kind(l, "in"));
    let levels = lines.iter().filter(|l| kind(l, "il")).rev();
    let rest = lines
        .iter()
        .skip(1)
        .filter(|l| !kind(l, "in") && !kind(l, "il"));
    lines[..1]
        .iter()
        .chain(names)
        .chain(levels)
        .chain(rest)
        .cloned()
        .collect()
}

/// The lines without the last one that starts with `{"<key>":`, so that
/// something refers to an index no line defines.
fn without_last(mut lines: Vec<String>, key: &str) -> Vec<String> {
    let prefix = format!("{{\"{key}\":");
    let last = lines
        .iter()
        .rposition(|l| l.starts_with(&prefix))
        .expect("a line of that kind");
    lines.remove(last);
    lines
}

/// The export with the last declaration's type and value each wrapped in
/// an `mdata` node (with some data), which the reader must strip.
fn with_mdata(e: &Environment) -> Vec<String> {
    let mut lines = lines_of(e);
    let first_free = lines
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("ie").and_then(serde_json::Value::as_u64))
        .max()
        .expect("expression lines")
        + 1;
    let last = lines.pop().expect("a declaration line");
    let mut decl: serde_json::Value = serde_json::from_str(&last).expect("json line");
    let body = decl
        .as_object_mut()
        .and_then(|m| m.values_mut().next())
        .and_then(serde_json::Value::as_object_mut)
        .expect("a declaration record");
    for (next, key) in (first_free..).zip(["type", "value"]) {
        let inner = body[key].clone();
        lines.push(
            serde_json::json!({"ie": next, "mdata": {"expr": inner, "data": {"note": {"bool": true}}}})
                .to_string(),
        );
        body.insert(key.into(), serde_json::Value::from(next));
    }
    lines.push(decl.to_string());
    lines
}

fn text(lines: Vec<String>) -> String {
    lines.into_iter().map(|l| l + "\n").collect()
}

/// (file name, text): exports whose indices are sparse or out of order
/// (accepted), and the same with one definition line missing (rejected:
/// the reader finds an undefined index); `whnf-core` with `mdata` around
/// the theorem's type and value (the verdict is unchanged).
fn format_cases() -> Vec<(String, String)> {
    let base = with_prelude(vec![nat_thm(add(lit(2), lit(2)), lit(4))]);
    vec![
        (
            "mdata-stripped.accept.ndjson".into(),
            text(with_mdata(&whnf_core("a"))),
        ),
        (
            "mdata-stripped.reject.ndjson".into(),
            text(with_mdata(&whnf_core("b"))),
        ),
        (
            "sparse-name-index.accept.ndjson".into(),
            text(sparse_names(&base)),
        ),
        (
            "sparse-name-index.reject.ndjson".into(),
            text(without_last(sparse_names(&base), "in")),
        ),
        (
            "level-index-out-of-order.accept.ndjson".into(),
            text(levels_reversed(&base)),
        ),
        (
            "level-index-out-of-order.reject.ndjson".into(),
            text(without_last(levels_reversed(&base), "il")),
        ),
    ]
}

#[test]
fn format_rule_files_are_current() {
    let cases = format_cases();
    support::assert_text_files_current(
        &format_dir(),
        cases.iter().map(|(f, t)| (f.as_str(), t.as_str())),
    );
}

/// The reordered exports, and the one with `mdata`, read back to the very
/// environment they came from, and every stored format file gets the
/// verdict in its name.
#[test]
fn format_cases_read_back_and_get_their_verdicts() {
    let base = with_prelude(vec![nat_thm(add(lit(2), lit(2)), lit(4))]);
    let written = |e: &Environment| ndjson_write::write_environment(Vec::new(), e).expect("write");
    for lines in [sparse_names(&base), levels_reversed(&base)] {
        let back = ndjson::read(text(lines).as_bytes(), "reordered").expect("reads");
        assert!(written(&back) == written(&base));
    }
    let plain = whnf_core("a");
    let lines = with_mdata(&plain);
    assert!(lines.iter().any(|l| l.contains("\"mdata\"")));
    let back = ndjson::read(text(lines).as_bytes(), "with mdata").expect("reads");
    assert!(written(&back) == written(&plain));
    for (file, _) in format_cases() {
        let expected = file.split('.').nth(1).expect("verdict in the name");
        let (got, why) = support::file_verdict(&format_dir().join(&file));
        assert_eq!(got, expected, "{file}: {why}");
    }
}

/// Every hand-made case, each stored as `<rule>.<verdict>.ndjson`.
/// A partial `f : Prop → Prop` and a `g := f` of the given safety.
fn partial_user(safety: DefinitionSafety) -> Environment {
    let prop_to_prop = || pi(prop(), prop());
    env(vec![
        def_with(
            "f",
            &[],
            prop_to_prop(),
            lam(prop(), bv(0)),
            DefinitionSafety::Partial,
        ),
        def_with("g", &[], prop_to_prop(), c("f"), safety),
    ])
}

fn cases() -> Vec<support::Case> {
    let p_to_p = pi(prop(), bv(0));
    vec![
        // Quotients need Eq declared first...
        reject("quot-needs-eq", "", env(quot_without_eq())),
        accept("quot-needs-eq", env(quot_export())),
        // ...and each quotient constant has its built-in type.
        reject("quot-builtin-type", "", env(quot_with_wrong_mk_type())),
        accept("quot-builtin-type", env(quot_export())),
        // `Lean.reduceBool` needs native code: decline, never accept.
        decline("native-reduce-bool", "", native_case(true)),
        accept("native-reduce-bool", native_case(false)),
        // Every universe parameter used must be declared.
        reject(
            "undeclared-level-param",
            "",
            env(vec![axiom("A", &["u"], sort(lp("v")))]),
        ),
        accept(
            "undeclared-level-param",
            env(vec![axiom("A", &["u"], sort(lp("u")))]),
        ),
        // The type of a declaration has no loose bound variables.
        reject(
            "loose-bvar-in-type",
            "",
            env(vec![axiom("A", &[], pi(prop(), bv(1)))]),
        ),
        accept(
            "loose-bvar-in-type",
            env(vec![axiom("A", &[], pi(prop(), bv(0)))]),
        ),
        // Constants must exist...
        reject(
            "unknown-constant",
            "",
            env(vec![axiom("a", &[], c("Missing"))]),
        ),
        accept(
            "unknown-constant",
            env(vec![axiom("T", &[], ty0()), axiom("a", &[], c("T"))]),
        ),
        // ...before the declaration that mentions them.
        reject(
            "forward-reference",
            "",
            env(vec![
                axiom("T", &[], ty0()),
                def("a", &[], c("T"), c("b")),
                axiom("b", &[], c("T")),
            ]),
        ),
        accept(
            "forward-reference",
            env(vec![
                axiom("T", &[], ty0()),
                axiom("b", &[], c("T")),
                def("a", &[], c("T"), c("b")),
            ]),
        ),
        // A constant takes exactly as many universe arguments as it declares.
        reject(
            "const-level-count",
            "",
            env(vec![
                axiom("A", &["u"], sort(lp("u"))),
                axiom("b", &[], c("A")),
            ]),
        ),
        accept(
            "const-level-count",
            env(vec![
                axiom("A", &["u"], sort(lp("u"))),
                axiom("b", &[], cl("A", &[l1()])),
            ]),
        ),
        // Safe declarations may not use unsafe constants.
        reject(
            "safe-uses-unsafe",
            "",
            env(vec![
                unsafe_axiom("boom", p_to_p.clone()),
                thm("anything", p_to_p.clone(), c("boom")),
            ]),
        ),
        accept(
            "safe-uses-unsafe",
            env(vec![
                unsafe_axiom("boom", p_to_p.clone()),
                def_with(
                    "anything",
                    &[],
                    p_to_p.clone(),
                    c("boom"),
                    DefinitionSafety::Unsafe,
                ),
            ]),
        ),
        // Safe declarations may not use partial ones either.
        reject(
            "safe-uses-partial",
            "",
            partial_user(DefinitionSafety::Safe),
        ),
        accept("safe-uses-partial", partial_user(DefinitionSafety::Partial)),
        // A let's value must have the let's declared type.
        reject("let-value-type", "", let_value_type(c("T"))),
        accept("let-value-type", let_value_type(c("t"))),
        // Nat literals: kernel arithmetic on bignums.
        accept(
            "nat-literal-add",
            nat_claim(
                "sum",
                add(nat(big("100000000000000000000000000000")), nat(big("23"))),
                nat(big("100000000000000000000000000023")),
            ),
        ),
        reject(
            "nat-literal-add",
            "",
            nat_claim("sum", add(lit(2), lit(2)), lit(5)),
        ),
        // Nat.succ against a literal (offsets).
        accept(
            "nat-succ-offset",
            nat_claim("succ_lit", succ_of(41), lit(42)),
        ),
        reject(
            "nat-succ-offset",
            "",
            nat_claim("succ_lit", succ_of(41), lit(41)),
        ),
        // A string literal is its `String.ofList` expansion.
        accept("string-literal-expansion", string_literal_case(98)),
        reject("string-literal-expansion", "", string_literal_case(99)),
    ]
    .into_iter()
    .chain(primitive_cases())
    .chain(more_cases())
    .collect()
}

/// Cases added to give every rule of docs/KERNEL.md an accept and a reject
/// (see `rule_coverage.rs`).
fn more_cases() -> Vec<support::Case> {
    use DefinitionSafety::{Partial, Unsafe};
    vec![
        // Quotients need `Eq` to be the inductive type, not just a
        // constant of its type.
        accept("quot-eq-shape", env(quot_export())),
        reject("quot-eq-shape", "", env(quot_with_axiom_eq())),
        // `Nat.rec` is not K-like: an exported `k = true` is a lie (arena
        // `nat-rec-k-lie`).
        accept("nat-rec-k-lie", nat_rec_k(false)),
        reject("nat-rec-k-lie", "", nat_rec_k(true)),
        // An argument's type must be the function's domain.
        accept("app-argument-type", applied_to("t")),
        reject("app-argument-type", "", applied_to("u")),
        // A lambda's binder type must be a type.
        accept("lambda-binder-sort", lambda_over("T")),
        reject("lambda-binder-sort", "", lambda_over("t")),
        // A Nat literal has type `Nat`, not any other type.
        accept("nat-literal-type", literal_of_type("Nat")),
        reject("nat-literal-type", "", literal_of_type("Other")),
        // Delta, beta and zeta: `idd a` is `a`, not `b`.
        accept("whnf-core", whnf_core("a")),
        reject("whnf-core", "", whnf_core("b")),
        // `Quot.lift f h (Quot.mk r a)` is `f a`, not `f a'`.
        accept("quot-lift-reduction", quot_lift("a")),
        reject("quot-lift-reduction", "", quot_lift("a'")),
        // A mutual block of unsafe bodies shares safety and universe
        // parameters (lean4#14608).
        accept("mutual-same-safety", mutual_pair(Unsafe, Unsafe, &[])),
        reject("mutual-same-safety", "", mutual_pair(Unsafe, Partial, &[])),
        accept("mutual-same-levels", mutual_pair(Partial, Partial, &[])),
        reject(
            "mutual-same-levels",
            "",
            mutual_pair(Partial, Partial, &["u"]),
        ),
    ]
}

#[test]
fn hand_made_cases_are_stored_and_get_their_verdicts() {
    support::assert_cases(&rules_dir(), &cases());
}

// ------------------------------------- huge literals and symbolic operations

fn verdict_with_budget(e: &Environment, budget: u64) -> (String, String) {
    let options = CheckOptions {
        tc: ix_kernel::TcOptions {
            budget,
            ..Default::default()
        },
        ..Default::default()
    };
    match check_environment(e, &options).result {
        Ok(()) => ("accept".into(), String::new()),
        Err(e @ KernelError::Reject { .. }) => ("reject".into(), e.to_string()),
        Err(e @ KernelError::Decline { .. }) => ("decline".into(), e.to_string()),
    }
}

/// `fun n m => Nat.rec (motive := fun _ => Nat → Nat) (fun a => a)
/// (fun _ ih a => ih (2 * a)) m n`: `n <<< (m+1) = (2 * n) <<< m`.
fn rec_shift_left() -> Declaration {
    let rec = cl("Nat.rec", &[l1()]);
    let motive = lam(nat_ty(), pi(nat_ty(), nat_ty()));
    let step = lam(
        nat_ty(),
        lam(
            pi(nat_ty(), nat_ty()),
            lam(nat_ty(), app(bv(1), &[nat_op("Nat.mul", lit(2), bv(0))])),
        ),
    );
    let body = app(rec, &[motive, lam(nat_ty(), bv(0)), step, bv(0), bv(1)]);
    def(
        "Nat.shiftLeft",
        &[],
        nat2(),
        lam(nat_ty(), lam(nat_ty(), body)),
    )
}

#[test]
fn million_bit_literals_compare() {
    let big = || nat(pow2(1_000_000));
    let (got, why) = verdict(&ops_then(vec![], nat_thm(big(), big())));
    assert_eq!(got, "accept", "{why}");
    let (got, why) = verdict(&ops_then(
        vec![],
        nat_thm(big(), nat(pow2(1_000_000) + 1u8)),
    ));
    assert_eq!(got, "reject", "{why}");
}

#[test]
fn operations_beyond_the_limit_stay_symbolic() {
    let start = std::time::Instant::now();
    let ops = || vec![rec_add(), rec_mul(), rec_pow(), rec_shift_left()];
    let huge_pow = || nat_op("Nat.pow", lit(2), nat(pow2(25)));
    let (got, why) =
        verdict_with_budget(&ops_then(ops(), nat_thm(huge_pow(), huge_pow())), 200_000);
    assert_eq!(got, "accept", "{why}");
    // Deciding `2^(2^25) = 0` would need 2^25 unfoldings: out of budget.
    let (got, why) = verdict_with_budget(&ops_then(ops(), nat_thm(huge_pow(), lit(0))), 200_000);
    assert_eq!(got, "decline", "{why}");
    let huge_shift = nat_op("Nat.shiftLeft", lit(1), nat(pow2(40)));
    let (got, why) = verdict_with_budget(&ops_then(ops(), nat_thm(huge_shift, lit(0))), 200_000);
    assert_eq!(got, "decline", "{why}");
    // Within the limit, the verified `Nat.shiftLeft` is computed.
    let shift = nat_op("Nat.shiftLeft", lit(1), lit(100_000));
    let (got, why) = verdict_with_budget(
        &ops_then(ops(), nat_thm(shift, nat(pow2(100_000)))),
        200_000,
    );
    assert_eq!(got, "accept", "{why}");
    assert!(start.elapsed().as_secs() < 60, "took {:?}", start.elapsed());
}

/// `fun n m => Nat.rec (motive := fun _ => Nat) n (fun _ ih => ih) m`:
/// `drain n m = n`, one iota step per unit of `m`, each step's result the
/// next term to reduce (no nesting).
fn rec_drain() -> Declaration {
    def("drain", &[], nat2(), by_rec(bv(1), bv(0)))
}

#[test]
fn head_reduction_chains_longer_than_the_depth_limit_are_checked() {
    // Two reductions (iota, then beta) per unit: a chain of 600,000, past
    // the recursion limit of 400,000, which a reduction loop never nears.
    let steps = 300_000;
    let claim = |rhs| nat_thm(nat_op("drain", lit(7), lit(steps)), rhs);
    let (got, why) = verdict_with_budget(&ops_then(vec![rec_drain()], claim(lit(7))), 10_000_000);
    assert_eq!(got, "accept", "{why}");
    let (got, why) = verdict_with_budget(&ops_then(vec![rec_drain()], claim(lit(8))), 10_000_000);
    assert_eq!(got, "reject", "{why}");
}
