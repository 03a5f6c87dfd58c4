//! The in-circuit kernel: CheckEnv verdicts on every bundled export compared
//! with the expected (`ix check`) verdict of the manifest, and unit cases.

use ix_ixvm::{check_env, name_of, ClaimSpec, IxvmError, Variant, Verdict};
use ixon::IxonEnv;
use std::path::{Path, PathBuf};

fn data() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lean-exports")
}

/// (path relative to the data dir, expected verdict) rows of the manifest.
fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(data().join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let mut cols = l.split('\t');
            Some((cols.next()?.to_string(), cols.next()?.to_string()))
        })
        .collect()
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

#[test]
#[ignore = "CheckEnv in-circuit on every bundled export (release mode: minutes)"]
fn ixvm_kernel_verdicts_agree_with_ix_check() {
    let mut table = String::new();
    let mut unsound = Vec::new();
    let mut false_rejects = Vec::new();
    for (rel, expected) in manifest() {
        let (got, detail) = in_circuit(&rel, EXPORT_STEPS);
        if got == "accept" && expected != "accept" {
            unsound.push(rel.clone());
        }
        if got == "reject" && expected == "accept" {
            false_rejects.push(format!("{rel}: {detail}"));
        }
        table.push_str(&format!("{rel}\t{expected}\t{got}\t{detail}\n"));
    }
    println!("{table}");
    assert!(unsound.is_empty(), "accepted what ix check rejects: {unsound:?}");
    assert!(false_rejects.is_empty(), "rejected what ix check accepts: {false_rejects:#?}");
    insta::assert_snapshot!("kernel_verdicts", table);
}

