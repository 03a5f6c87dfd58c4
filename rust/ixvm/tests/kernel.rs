//! The in-circuit kernel: CheckEnv verdicts on every bundled export compared
//! with the expected (`ix check`) verdict of the manifest, and unit cases.

use ix_ixvm::{check_env, name_of, ClaimSpec, IxvmError, Variant, Verdict};
use ixon::IxonEnv;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// (path relative to the data dir, expected verdict) rows of the manifest.
fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(data().join("lean-exports/MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            let path = format!("lean-exports/{}", cols.next()?);
            Some((path, cols.next()?.to_string()))
        })
        .collect()
}

/// The kernel-rule exports, `NAME.{accept,reject,decline}.ndjson`, with the
/// verdict their name gives, sorted.
fn kernel_rules() -> Vec<(String, String)> {
    fn walk(dir: &Path, out: &mut Vec<(String, String)>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            let Some(stem) = name.strip_suffix(".ndjson") else {
                continue;
            };
            let Some((_, expected)) = stem.rsplit_once('.') else {
                continue;
            };
            let rel = path
                .strip_prefix(data())
                .unwrap()
                .to_string_lossy()
                .to_string();
            out.push((rel, expected.to_string()));
        }
    }
    let mut out = Vec::new();
    walk(&data().join("kernel-rules"), &mut out);
    out.sort();
    out
}

/// One export compiled as `ix compile` does (with its metadata).
fn compile_export(rel: &str) -> Result<IxonEnv, String> {
    let lean = ix_lean::ndjson::read_file(&data().join(rel)).map_err(|e| e.to_string())?;
    Ok(ix_import::compile(&lean).map_err(|e| e.to_string())?.env)
}

/// The in-circuit verdict of CheckEnv on one export, in one word (plus detail).
fn in_circuit(rel: &str, max_steps: u64) -> (String, String) {
    let env = match compile_export(rel) {
        Ok(env) => env,
        // The compiler refuses it before any circuit runs.
        Err(e) => return ("compile-reject".into(), e),
    };
    let report = match check_env(&env, &ClaimSpec::CheckEnv, Variant::NEW, max_steps) {
        Ok(report) => report,
        Err(IxvmError::EmptyEnv) => return ("empty".into(), String::new()),
        Err(e) => panic!("{rel}: {e}"),
    };
    match report.verdict {
        Verdict::Accept => ("accept".into(), String::new()),
        Verdict::IngressOnly => unreachable!("the kernel is on"),
        Verdict::Reject { error, constant } => {
            let name = constant.and_then(|c| name_of(&env, &c)).unwrap_or_default();
            ("reject".into(), format!("{name}: {error}"))
        }
        Verdict::Decline { reason } => ("decline".into(), reason),
        Verdict::ResourceLimit(e) => ("resource".into(), e.to_string()),
    }
}

const EXPORT_STEPS: u64 = 400_000_000;

/// Runs every row, asserts that no in-circuit accept or reject contradicts
/// the expected verdict, and returns the verdict table with its tally.
fn verdict_table(rows: &[(String, String)]) -> String {
    let mut table = String::new();
    let mut contradictions = Vec::new();
    let mut tally = std::collections::BTreeMap::<(String, String), usize>::new();
    for (rel, expected) in rows {
        let (got, detail) = in_circuit(rel, EXPORT_STEPS);
        let contradicts =
            (got == "accept" && expected != "accept") || (got == "reject" && expected != "reject");
        if contradicts {
            contradictions.push(format!("{rel}: expected {expected}, got {got} {detail}"));
        }
        *tally.entry((expected.clone(), got.clone())).or_default() += 1;
        table.push_str(&format!("{rel}\t{expected}\t{got}\t{detail}\n"));
    }
    println!("{table}");
    assert!(contradictions.is_empty(), "{contradictions:#?}");
    let mut summary = String::from("expected -> in-circuit: exports\n");
    for ((expected, got), n) in tally {
        summary.push_str(&format!("{expected} -> {got}: {n}\n"));
    }
    summary + &table
}

#[test]
#[ignore = "CheckEnv in-circuit on every bundled export (release mode: seconds)"]
fn ixvm_kernel_verdicts_agree_with_ix_check() {
    let table = verdict_table(&manifest());
    insta::assert_snapshot!("kernel_verdicts", table);
}

#[test]
#[ignore = "CheckEnv in-circuit on every kernel-rule export (release mode: seconds)"]
fn ixvm_kernel_rule_verdicts_agree_with_ix_check() {
    let table = verdict_table(&kernel_rules());
    insta::assert_snapshot!("kernel_rule_verdicts", table);
}

/// The tutorial exports the in-circuit kernel accepts, merged by address.
fn accepted_tutorial_env() -> (usize, ixon::IxonEnv) {
    let accepted: Vec<PathBuf> = manifest()
        .into_iter()
        .filter(|(rel, e)| e == "accept" && rel.contains("/good/tutorial/"))
        .filter(|(rel, _)| in_circuit(rel, EXPORT_STEPS).0 == "accept")
        .map(|(rel, _)| data().join(rel))
        .collect();
    let refs: Vec<&Path> = accepted.iter().map(PathBuf::as_path).collect();
    (accepted.len(), ix_ixvm::merged_env(&refs).unwrap())
}

#[test]
#[ignore = "CheckEnv with the kernel, ingest-once vs per-leaf, cost per stage (release mode)"]
fn ixvm_kernel_cost_per_stage_and_env_variant() {
    use ix_ixvm::command::{program, run_claim};
    use ix_ixvm::source::stage_costs;
    let (exports, env) = accepted_tutorial_env();
    let (claim, input) = ix_ixvm::prover::check_env_input(&env, None).unwrap();
    let variants = [
        ("ingest-once", Variant::NEW),
        ("per-leaf", Variant::NEW.with_old("env").unwrap()),
    ];
    let mut table = format!(
        "{exports} accepted tutorial exports: {} constants, {} blobs\n",
        env.consts.len(),
        env.blobs.len()
    );
    let mut totals = Vec::new();
    for (name, v) in variants {
        let report = run_claim(&program(v).unwrap(), &claim, &input, v);
        assert_eq!(report.verdict, Verdict::Accept, "{name}");
        let out = report.output.unwrap();
        let stats = report.stats.unwrap();
        table.push_str(&format!(
            "{name}: total {:.0}, type-checked {}, kernel constants {}\n",
            stats.total_cost, out[3], out[1]
        ));
        let stages = stage_costs(&stats);
        for (stage, cost) in &stages {
            table.push_str(&format!("  {stage:<12} {cost:>14.0}\n"));
        }
        let kernel = stages
            .iter()
            .find(|(s, _)| *s == "kernel")
            .map_or(0.0, |s| s.1);
        totals.push((stats.total_cost, kernel, out[3]));
        if v == Variant::NEW {
            insta::assert_snapshot!("kernel_accepted_env_stats", stats.render());
        }
    }
    let ((once, k_once, checked), (leaf, k_leaf, _)) = (totals[0], totals[1]);
    table.push_str(&format!(
        "ingest-once / per-leaf: total {:.3}, kernel {:.3}; kernel cost per checked constant {:.0}\n",
        once / leaf,
        k_once / k_leaf,
        k_once / checked as f64
    ));
    println!("{table}");
    insta::assert_snapshot!("kernel_cost_per_stage", table);
    assert!(once < leaf, "ingest-once {once} vs per-leaf {leaf}");
}

#[test]
fn universe_levels_in_circuit() {
    let exec = ix_aiur::execute(
        &test_program(),
        "test_univ_leq",
        &[],
        &ix_aiur::IoBuffer::default(),
    )
    .unwrap();
    // The pairs of circuits/testing.aiur; the zeros fail for some values:
    // u+1 ≤ u never, max u v ≤ imax u v at v = 0, imax v u ≤ u at u = 1, v = 2.
    assert_eq!(exec.output, [1, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1]);
}

fn test_program() -> ix_aiur::Program {
    ix_aiur::compile(&ix_ixvm::program_source(Variant::NEW, true)).unwrap()
}

#[test]
fn nat_primitives_are_found_at_leans_addresses() {
    let lean =
        ix_lean::ndjson::read_file(&data().join("lean-exports/lean4export/Nat.add_succ.ndjson"))
            .unwrap();
    let compiled = ix_import::compile(&lean).unwrap();
    let address_of = |name: &str| {
        let (_, a) = compiled
            .addresses
            .iter()
            .find(|(n, _)| n.to_string() == name)
            .unwrap();
        a.0.iter().map(|&b| u64::from(b)).collect::<Vec<_>>()
    };
    let exec = ix_aiur::execute(
        &test_program(),
        "test_nat_prim_addrs",
        &[],
        &ix_aiur::IoBuffer::default(),
    )
    .unwrap();
    assert_eq!(exec.output[..32], address_of("Nat")[..]);
    assert_eq!(exec.output[32..], address_of("Nat.add")[..]);
}

/// `test_nat_bytes` on m and n: (m + n, m + 1, m - 1) as u128, m == n, m == 0.
fn nat_bytes_in_circuit(program: &ix_aiur::Program, m: &[u8], n: &[u8]) -> ([u128; 3], u64, u64) {
    let mut io = ix_aiur::IoBuffer::default();
    io.insert(
        9,
        vec![1],
        &m.iter().map(|&b| u64::from(b)).collect::<Vec<_>>(),
    );
    io.insert(
        9,
        vec![2],
        &n.iter().map(|&b| u64::from(b)).collect::<Vec<_>>(),
    );
    let out = ix_aiur::execute(program, "test_nat_bytes", &[], &io)
        .unwrap()
        .output;
    let value = |bytes: &[u64]| {
        bytes
            .iter()
            .rev()
            .fold(0u128, |acc, &b| acc * 256 + u128::from(b))
    };
    (
        [value(&out[0..9]), value(&out[9..18]), value(&out[18..27])],
        out[27],
        out[28],
    )
}

#[test]
fn nat_literal_bytes_add_and_compare_by_value() {
    let program = test_program();
    let le = |v: u64| v.to_le_bytes().to_vec();
    let cases: [(Vec<u8>, Vec<u8>); 6] = [
        (le(u64::MAX), le(1)),
        (vec![0xff, 0xff], vec![1]),
        (vec![0, 1], vec![0xff]),
        (vec![5, 0, 0], vec![5]),
        (le(0x0123_4567_89ab_cdef), le(0xfedc_ba98_7654_3210)),
        (vec![1], vec![]),
    ];
    for (m, n) in cases {
        let value = |b: &[u8]| {
            b.iter()
                .rev()
                .fold(0u128, |acc, &x| acc * 256 + u128::from(x))
        };
        let (mv, nv) = (value(&m), value(&n));
        let (got, eq, zero) = nat_bytes_in_circuit(&program, &m, &n);
        assert_eq!(got, [mv + nv, mv + 1, mv - 1], "{m:?} {n:?}");
        assert_eq!(
            (eq, zero),
            (u64::from(mv == nv), u64::from(mv == 0)),
            "{m:?} {n:?}"
        );
    }
    // Zero (no bytes, or zero bytes) has no predecessor: no valid execution.
    let mut io = ix_aiur::IoBuffer::default();
    io.insert(9, vec![1], &[0, 0]);
    io.insert(9, vec![2], &[]);
    assert!(ix_aiur::execute(&program, "test_nat_bytes", &[], &io).is_err());
}

fn tutorial(name: &str) -> String {
    let good = format!("lean-exports/vow-lean-kernel/tests/good/tutorial/{name}.ndjson");
    if data().join(&good).exists() {
        good
    } else {
        format!("lean-exports/vow-lean-kernel/tests/bad/tutorial/{name}.ndjson")
    }
}

#[test]
fn ixvm_rule_k_bad_is_rejected_naming_the_constant() {
    let (got, detail) = in_circuit(&tutorial("091_ruleKbad"), u64::MAX);
    assert_eq!(got, "reject");
    assert!(detail.starts_with("ruleKbad: "), "{detail}");
    assert!(detail.contains("reject_type_mismatch"), "{detail}");
}

#[test]
fn ixvm_check_claim_on_one_constant() {
    let env = compile_export(&tutorial("023_peano1")).unwrap();
    let spec = ClaimSpec::Check("peano1".into());
    let report = check_env(&env, &spec, Variant::NEW, u64::MAX).unwrap();
    assert_eq!(report.verdict, Verdict::Accept);
    let env = compile_export(&tutorial("002_badDef")).unwrap();
    let report = check_env(
        &env,
        &ClaimSpec::Check("badDef".into()),
        Variant::NEW,
        u64::MAX,
    );
    assert!(matches!(report.unwrap().verdict, Verdict::Reject { .. }));
}

#[test]
fn ixvm_step_budget_is_a_resource_limit_not_a_reject() {
    let (got, detail) = in_circuit(&tutorial("023_peano1"), 10_000);
    assert_eq!(got, "resource", "{detail}");
    assert!(detail.contains("step budget of 10000"), "{detail}");
}

#[test]
fn ixvm_unsupported_constants_decline_never_accept() {
    // Mutual blocks are counted unsupported; String literals stop the kernel.
    let (got, detail) = in_circuit(
        "kernel-rules/arena/mutual-same-sort.accept.ndjson",
        u64::MAX,
    );
    assert_eq!(got, "decline", "{detail}");
    assert!(detail.contains("not yet checked in-circuit"), "{detail}");
    let (got, detail) = in_circuit(
        "kernel-rules/string-literal-expansion.accept.ndjson",
        u64::MAX,
    );
    assert_eq!(
        (got.as_str(), detail.as_str()),
        ("decline", "needs literal")
    );
}

#[test]
fn ixvm_inductive_with_recursor_and_quotients_are_accepted() {
    for name in ["056_boolRec", "118_quotLiftReduction"] {
        let (got, detail) = in_circuit(&tutorial(name), u64::MAX);
        assert_eq!(got, "accept", "{name}: {detail}");
    }
}

#[test]
fn ixvm_assumed_constants_are_not_checked() {
    use ix_ixvm::command::{program, run_claim};
    use ix_ixvm::prover::{check_env_input, Tree};
    let env = compile_export(&tutorial("091_ruleKbad")).unwrap();
    let bad = ix_ixvm::command::resolve(&env, "ruleKbad").unwrap();
    let asm = Tree::canonical(&[bad]).unwrap();
    let (claim, input) = check_env_input(&env, Some(&asm)).unwrap();
    let report = run_claim(
        &program(Variant::NEW).unwrap(),
        &claim,
        &input,
        Variant::NEW,
    );
    assert_eq!(report.verdict, Verdict::Accept);
    let out = report.output.unwrap();
    // One assumption; type-checked: Eq and its constructor, Bool and its
    // two, and both recursors.
    assert_eq!((out[2], out[3]), (1, 7));
}
