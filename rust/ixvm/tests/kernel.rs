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
            let rel = path.strip_prefix(data()).unwrap().to_string_lossy().to_string();
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
    match report.outcome {
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
        let contradicts = (got == "accept" && expected != "accept")
            || (got == "reject" && expected != "reject");
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

