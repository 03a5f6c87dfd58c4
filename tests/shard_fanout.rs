//! The local fan-out of the README: N `ix check-shard` processes (through
//! `xargs -P`) write N claims, and `ix verify-claims` accepts them; it
//! refuses a missing or a duplicated claim. The batch-engine variables stand
//! in for `--shard`.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const IX: &str = env!("CARGO_BIN_EXE_ix");

fn ix(args: &[&str]) -> Output {
    Command::new(IX).args(args).output().expect("run ix")
}

fn ok(out: &Output) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "ix failed: {stderr}");
    String::from_utf8_lossy(&out.stdout).to_string()
}

fn export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/lean-exports/lean4export/Nat.add_succ.ndjson")
}

/// compile → profile → shard into 4.
fn prepare(dir: &Path) -> (String, String) {
    let ixe = dir.join("env.ixe").display().to_string();
    let esp = dir.join("env.ixesp").display().to_string();
    let ixes = dir.join("env.ixes").display().to_string();
    ok(&ix(&[
        "compile",
        &export().display().to_string(),
        "-o",
        &ixe,
    ]));
    ok(&ix(&["profile", &ixe, "-o", &esp, "-q"]));
    ok(&ix(&["shard", &esp, "-n", "4", "-o", &ixes]));
    (ixe, ixes)
}

#[test]
fn xargs_fan_out_then_verify_claims() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ixe, ixes) = prepare(dir.path());
    let claims = dir.path().join("claims");
    std::fs::create_dir(&claims).expect("mkdir");
    let script = format!(
        "seq 0 3 | xargs -P 4 -I{{}} '{IX}' check-shard '{ixe}' '{ixes}' --shard {{}} --claim-dir '{}' -j 1",
        claims.display()
    );
    let out = Command::new("sh")
        .args(["-c", &script])
        .output()
        .expect("sh");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read_dir(&claims).expect("claims").count(), 4);
    let claims_dir = claims.display().to_string();
    let verified = ok(&ix(&["verify-claims", &ixe, &ixes, &claims_dir]));
    assert!(verified.starts_with("verified: 4 claims"), "{verified}");

    std::fs::copy(claims.join("shard-2.json"), claims.join("copy.json")).expect("copy");
    let dup = ix(&["verify-claims", &ixe, &ixes, &claims_dir]);
    assert_eq!(dup.status.code(), Some(1), "refused, not an error");
    assert!(String::from_utf8_lossy(&dup.stderr).contains("claimed twice"));

    std::fs::remove_file(claims.join("copy.json")).expect("rm");
    std::fs::remove_file(claims.join("shard-0.json")).expect("rm");
    let missing = ix(&["verify-claims", &ixe, &ixes, &claims_dir]);
    assert_eq!(missing.status.code(), Some(1), "refused, not an error");
    assert!(String::from_utf8_lossy(&missing.stderr).contains("no claim for shard 0"));
}

#[test]
fn shard_index_comes_from_the_batch_engine() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ixe, ixes) = prepare(dir.path());
    let claims = dir.path().join("claims");
    std::fs::create_dir(&claims).expect("mkdir");
    let claims_dir = claims.display().to_string();
    for (var, k) in [("JOB_COMPLETION_INDEX", "1"), ("SLURM_ARRAY_TASK_ID", "3")] {
        let out = Command::new(IX)
            .args([
                "check-shard",
                &ixe,
                &ixes,
                "--claim-dir",
                &claims_dir,
                "--json",
            ])
            .env_remove("JOB_COMPLETION_INDEX")
            .env_remove("SLURM_ARRAY_TASK_ID")
            .env(var, k)
            .output()
            .expect("run");
        let json: serde_json::Value = serde_json::from_str(&ok(&out)).expect("json claim");
        assert_eq!(json["shard"].to_string(), k);
        assert_eq!(json["verdict"], "accept");
        assert!(claims.join(format!("shard-{k}.json")).exists());
    }
    let none = Command::new(IX)
        .args(["check-shard", &ixe, &ixes])
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .output()
        .expect("run");
    assert_eq!(none.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&none.stderr).contains("no shard given"));
    let bad = ix(&["check-shard", &ixe, &ixes, "--shard", "9"]);
    assert_eq!(bad.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("shard 9 does not exist"));
}

#[test]
fn check_shards_runs_all_and_counts_every_constant_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ixe, ixes) = prepare(dir.path());
    let table = ok(&ix(&["check-shards", &ixe, &ixes, "-j", "2", "-q"]));
    assert!(
        table.contains("checked 32 of 32 declared constants"),
        "{table}"
    );
    assert_eq!(table.matches("accept:").count(), 4, "{table}");
    assert!(table.ends_with("verdict: accept (4 shards)\n"), "{table}");
}

/// The README's step by step: `--claim-dir` names a folder not made yet;
/// each verb creates it, prints its verdict, and `verify-claims` accepts the
/// claims `check-shards` wrote.
#[test]
fn claim_dir_is_created_and_the_readme_steps_verify() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ixe, ixes) = prepare(dir.path());
    let one = dir.path().join("one").display().to_string();
    let out = ok(&ix(&[
        "check-shard",
        &ixe,
        &ixes,
        "--shard",
        "1",
        "--claim-dir",
        &one,
    ]));
    assert!(out.starts_with("shard 1: accept"), "{out}");
    assert!(Path::new(&one).join("shard-1.json").exists());
    let all = dir.path().join("claims").display().to_string();
    ok(&ix(&[
        "check-shards",
        &ixe,
        &ixes,
        "--claim-dir",
        &all,
        "-q",
    ]));
    let verified = ok(&ix(&["verify-claims", &ixe, &ixes, &all]));
    assert!(verified.starts_with("verified: 4 claims"), "{verified}");
}

/// A shard job reads only its closure of the `.ixe`, but still refuses a
/// file whose root or metadata was changed: one line naming the file, exit 3.
#[test]
fn check_shard_refuses_a_tampered_root_or_metadata() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ixe, ixes) = prepare(dir.path());
    let bytes = std::fs::read(&ixe).expect("read");
    // Byte 1 is in the content root; the last byte before the named root
    // is in the comments (the export's header).
    for (at, why) in [
        (1, "root mismatch"),
        (bytes.len() - 33, "named root mismatch"),
    ] {
        let mut tampered = bytes.clone();
        tampered[at] ^= 1;
        let path = dir.path().join("tampered.ixe");
        std::fs::write(&path, &tampered).expect("write");
        let out = ix(&[
            "check-shard",
            &path.display().to_string(),
            &ixes,
            "--shard",
            "0",
            "-q",
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(3), "{stderr}");
        assert!(
            stderr.contains("tampered.ixe") && stderr.contains(why),
            "{stderr}"
        );
        assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    }
}
