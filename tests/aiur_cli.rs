//! End-to-end: `ix aiur run` on the RB-tree program, and on a malformed source.

use std::path::PathBuf;
use std::process::Command;

fn ix() -> Command {
    Command::new(env!("CARGO_BIN_EXE_ix"))
}

fn program(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("rust/aiur/programs")
        .join(name)
}

#[test]
fn run_with_stats_as_json() {
    let out = ix()
        .args(["aiur", "run"])
        .arg(program("rbtree_one_cmp.aiur"))
        .args(["--entry", "rbtree_map_test", "--stats", "--json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let output: Vec<u64> = serde_json::from_value(report["output"].clone()).unwrap();
    assert_eq!(output[..5], [42, 50, 100, 200, 999]);
    assert_eq!(output[15..], [200, 300, 400, 500, 600, 700, 800]);
    let stats = &report["stats"];
    let rows = stats["rows"].as_array().unwrap();
    assert_eq!(stats["circuits"].as_u64().unwrap() as usize, rows.len());
    let ins = rows
        .iter()
        .find(|r| r["name"] == "rbtree_map_ins<G>")
        .unwrap();
    assert_eq!(ins["width"], 75);
    let total: f64 = rows.iter().map(|r| r["fft_cost"].as_f64().unwrap()).sum();
    assert!((total - stats["total_fft_cost"].as_f64().unwrap()).abs() < 1e-6);
}

#[test]
fn run_with_args_as_text() {
    let out = ix()
        .args(["aiur", "run"])
        .arg(program("rbtree_two_cmp.aiur"))
        .args([
            "--entry",
            "rbtree_map_default_test",
            "--args",
            "25",
            "--stats",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("output: [7]\n=== Circuit Statistics ===\n"),
        "{text}"
    );
    assert!(text.contains("rbtree_map_lookup_or_default<G>"), "{text}");
}

#[test]
fn malformed_source_is_a_positioned_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("bad.aiur");
    std::fs::write(&file, "pub fn main() -> G {\n    undefined(1)\n}\n").unwrap();
    let out = ix()
        .args(["aiur", "run"])
        .arg(&file)
        .args(["--entry", "main"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let err = String::from_utf8(out.stderr).unwrap();
    let expected = format!(
        "ix: error: {}:2:5: unknown function `undefined`\n",
        file.display()
    );
    assert_eq!(err, expected);
    assert!(out.stdout.is_empty());
}

#[test]
fn runtime_failure_is_an_error() {
    let out = ix()
        .args(["aiur", "run"])
        .arg(program("rbtree_one_cmp.aiur"))
        .args([
            "--entry",
            "rbtree_map_default_test",
            "--args",
            "0x100000000",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("out of range"));
}

#[test]
fn a_long_operator_chain_is_an_error_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("chain.aiur");
    let chain = vec!["1"; 30_000].join(" + ");
    std::fs::write(&file, format!("pub fn main() -> G {{\n    {chain}\n}}\n")).unwrap();
    let out = ix()
        .args(["aiur", "run"])
        .arg(&file)
        .args(["--entry", "main"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("chain.aiur:2:") && err.contains("nesting too deep"),
        "{err}"
    );
}
