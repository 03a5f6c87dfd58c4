//! `ix check` end to end: exit codes 0 accept / 1 reject / 2 decline, the
//! failing declaration named, the JSON report, malformed input rejected,
//! unreadable input and bad usage an error (exit 3).

use std::path::{Path, PathBuf};
use std::process::Command;

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

fn ix_check(args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ix"))
        .arg("check")
        .args(args)
        .output()
        .expect("run ix");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
    )
}

#[test]
fn accept_exits_zero() {
    let f = data("lean-exports/vow-lean-kernel/tests/good/tutorial/073_RBTree.id_spec.ndjson");
    let (code, out) = ix_check(&[f.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("accept"));
}

#[test]
fn reject_exits_one_and_names_the_declaration() {
    let f = data("kernel-rules/nat-literal-add.reject.ndjson");
    let (code, out) = ix_check(&["-j", "2", f.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("reject: sum:"), "{out}");
}

#[test]
fn decline_exits_two() {
    let f = data("kernel-rules/native-reduce-bool.decline.ndjson");
    let (code, out) = ix_check(&[f.to_str().unwrap()]);
    assert_eq!(code, 2, "{out}");
}

#[test]
fn tiny_budget_declines() {
    let f = data("kernel-rules/nat-literal-add.accept.ndjson");
    let (code, _) = ix_check(&["--budget", "1", f.to_str().unwrap()]);
    assert_eq!(code, 2);
}

#[test]
fn malformed_input_is_a_reject() {
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("bad.ndjson");
    std::fs::write(&f, "{\"meta\": 3}\nnot json\n").unwrap();
    let (code, out) = ix_check(&[f.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(out.contains("malformed input"), "{out}");
}

#[test]
fn json_report_lists_heartbeats() {
    let f = data("kernel-rules/nat-literal-add.accept.ndjson");
    let (code, out) = ix_check(&["--json", f.to_str().unwrap()]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).expect("json");
    assert_eq!(v["verdict"], "accept");
    let constants = v["constants"].as_array().expect("constants");
    let sum = constants
        .iter()
        .find(|c| c["name"] == "sum")
        .expect("sum listed");
    assert!(sum["heartbeats"].as_u64().unwrap() > 0);
}

/// Runs `ix ARGS`; returns the exit code, stdout and stderr.
fn ix_run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(args)
        .output()
        .expect("run ix");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

#[test]
fn unreadable_input_is_an_error_with_its_own_exit_code() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("typo.ndjson");
    let folder = dir.path().display().to_string();
    for path in [missing.to_str().unwrap(), folder.as_str()] {
        let (code, out, err) = ix_run(&["check", path]);
        assert_eq!(code, 3, "{path}: {out}{err}");
        assert!(out.is_empty(), "no verdict on stdout: {out}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with(&format!("ix: error: {path}: ")), "{err}");
    }
}

#[test]
fn usage_errors_are_not_the_decline_code() {
    for args in [
        &["check"][..],
        &["check", "--no-such-flag", "x"],
        &["frobnicate"],
    ] {
        let (code, _, err) = ix_run(args);
        assert_eq!(code, 3, "{args:?}: {err}");
    }
    let (code, out, _) = ix_run(&["check", "--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("3 error"), "{out}");
    assert_eq!(ix_run(&["--version"]).0, 0);
}

#[test]
fn an_export_piped_to_dev_stdin_is_checked() {
    use std::io::Write;
    let f = data("lean-exports/vow-lean-kernel/tests/good/tutorial/073_RBTree.id_spec.ndjson");
    let bytes = std::fs::read(&f).expect("read the export");
    // A pipe, not a file: it can be read only once.
    let mut child = Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(["check", "/dev/stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("run ix");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&bytes)
        .expect("write the export");
    let out = child.wait_with_output().expect("wait for ix");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("accept"), "{stdout}");
}
