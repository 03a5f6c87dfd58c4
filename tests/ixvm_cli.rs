//! End-to-end: `ix ixvm check` says what a claim trusts, since a verifier
//! must read that as part of the claim.

use std::path::Path;
use std::process::{Command, Output};

fn ix(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(args)
        .output()
        .expect("run ix")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

/// Compiles the export `ndjson` into `dir`.
fn compiled(dir: &Path, ndjson: &Path) -> std::path::PathBuf {
    let ixe = dir.join("env.ixe");
    assert!(ix(&["compile", "-q", s(ndjson), "-o", s(&ixe)])
        .status
        .success());
    ixe
}

#[test]
fn a_claim_trusting_nat_division_says_so() {
    let dir = tempfile::tempdir().expect("tempdir");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("rust/ixvm/tests/data/nat-division.accept.ndjson");
    let ixe = compiled(dir.path(), &fixture);
    let out = ix(&["ixvm", "check", s(&ixe)]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    for op in ["Nat.div", "Nat.mod", "Nat.gcd"] {
        assert!(text.contains(&format!("trusts {op} = ")), "{text}");
    }
    let json = ix(&["ixvm", "check", s(&ixe), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("json");
    let ops: Vec<&str> = v["trusted"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|t| t["operation"].as_str())
        .collect();
    assert_eq!(ops, ["Nat.div", "Nat.mod", "Nat.gcd"]);
}

#[test]
fn a_claim_trusting_nothing_lists_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let export = ix_testkit::exports_dir().join("lean4export/Nat.add_succ.ndjson");
    let ixe = compiled(dir.path(), &export);
    let out = ix(&["ixvm", "check", s(&ixe), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["trusted"], serde_json::json!([]));
}
