//! End-to-end tests of `ix shard`: both modes, the report, and refusals of
//! impossible requests and malformed files (one-line error, exit 3, nothing
//! written).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ix(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(args)
        .output()
        .expect("run ix")
}

fn profile(dir: &Path, blocks: usize) -> PathBuf {
    let path = dir.join("env.ixesp");
    let profile = ixesp::synth::generate(&ixesp::synth::Params {
        blocks,
        ..Default::default()
    });
    profile.write_file(&path).unwrap();
    path
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

/// Exit 3 (error), exactly one stderr line containing every `needles`, no output file.
fn assert_refused(output: &Output, needles: &[&str], not_written: &Path) {
    assert_eq!(
        output.status.code(),
        Some(3),
        "stdout: {}",
        String::from_utf8_lossy(&output.stdout)
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "stderr: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "stderr {stderr:?} lacks {needle:?}"
        );
    }
    assert!(
        !not_written.exists(),
        "{} was written",
        not_written.display()
    );
}

#[test]
fn shards_a_profile_and_prints_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let input = profile(dir.path(), 1500);
    let out = dir.path().join("env.ixes");
    let output = ix(&["shard", s(&input), "-n", "7", "-o", s(&out)]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains("shards                 7 (0 empty)"),
        "{stdout}"
    );
    let manifest = ix_shard::manifest::Manifest::read_file(&out).unwrap();
    assert_eq!(manifest.shards.len(), 7);
    assert_eq!(
        manifest
            .shards
            .iter()
            .map(|s| s.members.len())
            .sum::<usize>(),
        1500
    );
    // Only the manifest: no temporary file left behind.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
}

#[test]
fn json_report_and_thread_count_independence() {
    let dir = tempfile::tempdir().unwrap();
    let input = profile(dir.path(), 2000);
    let (a, b) = (dir.path().join("a.ixes"), dir.path().join("b.ixes"));
    let one = ix(&[
        "shard",
        s(&input),
        "-n",
        "12",
        "-o",
        s(&a),
        "--json",
        "-j",
        "1",
    ]);
    let two = ix(&[
        "shard",
        s(&input),
        "-n",
        "12",
        "-o",
        s(&b),
        "--json",
        "-j",
        "2",
    ]);
    assert!(one.status.success() && two.status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    assert_eq!(one.stdout, two.stdout);
    let report: serde_json::Value = serde_json::from_slice(&one.stdout).unwrap();
    assert_eq!(report["shards"], 12);
    assert_eq!(report["empty_shards"], 0);
    assert_eq!(report["blocks"], 2000);
}

#[test]
fn refuses_impossible_requests() {
    let dir = tempfile::tempdir().unwrap();
    let input = profile(dir.path(), 50);
    let out = dir.path().join("out.ixes");
    assert_refused(
        &ix(&["shard", s(&input), "-n", "0", "-o", s(&out)]),
        &["at least 1"],
        &out,
    );
    assert_refused(
        &ix(&["shard", s(&input), "-n", "51", "-o", s(&out)]),
        &["51", "50"],
        &out,
    );
    assert_refused(
        &ix(&[
            "shard",
            s(&input),
            "-n",
            "2",
            "--balance",
            "-0.1",
            "-o",
            s(&out),
        ]),
        &["-0.1"],
        &out,
    );
    assert_refused(&ix(&["shard", s(&input), "-n", "2"]), &["-o"], &out);
}

#[test]
fn rejects_malformed_profiles_with_the_file_and_offset() {
    let dir = tempfile::tempdir().unwrap();
    let input = profile(dir.path(), 50);
    let mut bytes = std::fs::read(&input).unwrap();
    bytes.truncate(bytes.len() - 3);
    std::fs::write(&input, &bytes).unwrap();
    let out = dir.path().join("out.ixes");
    assert_refused(
        &ix(&["shard", s(&input), "-n", "2", "-o", s(&out)]),
        &["env.ixesp", "byte "],
        &out,
    );
    let missing = dir.path().join("missing.ixesp");
    assert_refused(
        &ix(&["shard", s(&missing), "-n", "2", "-o", s(&out)]),
        &["missing.ixesp"],
        &out,
    );
}

#[test]
fn partitions_hmetis_files() {
    let dir = tempfile::tempdir().unwrap();
    let hgr = dir.path().join("g.hgr");
    std::fs::write(
        &hgr,
        "% two triangles and a bridge\n7 6\n1 2\n2 3\n1 3\n4 5\n5 6\n4 6\n3 4\n",
    )
    .unwrap();
    let parts = dir.path().join("g.part");
    let output = ix(&[
        "shard",
        s(&hgr),
        "-n",
        "2",
        "--part-out",
        s(&parts),
        "--json",
    ]);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["km1"], 1);
    assert_eq!(report["empty_parts"], 0);
    let lines: Vec<String> = std::fs::read_to_string(&parts)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0], lines[1]);
    assert_eq!(lines[3], lines[5]);
    assert_ne!(lines[0], lines[3]);
}

#[test]
fn rejects_malformed_hmetis_with_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let hgr = dir.path().join("bad.hgr");
    std::fs::write(&hgr, "2 3\n1 2\n1 9\n").unwrap();
    let parts = dir.path().join("bad.part");
    assert_refused(
        &ix(&["shard", s(&hgr), "-n", "2", "--part-out", s(&parts)]),
        &["bad.hgr", "line 3", "pin 9"],
        &parts,
    );
    std::fs::write(&hgr, "1 3\n1 2\n").unwrap();
    assert_refused(
        &ix(&["shard", s(&hgr), "-n", "4", "--part-out", s(&parts)]),
        &["4 non-empty parts"],
        &parts,
    );
    assert_refused(&ix(&["shard", s(&hgr), "-n", "2"]), &["--part-out"], &parts);
}
