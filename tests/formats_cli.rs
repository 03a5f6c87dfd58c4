//! Inputs are told apart by their first bytes, and a file of the wrong kind
//! is refused saying what it is (one line, exit 3), the path named once.

mod support;

use std::path::Path;
use std::process::Output;
use support::{export, ix, s};

/// Exit 3 and one stderr line that names `path` once and contains `needle`.
fn refused(out: &Output, path: &Path, needle: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.matches(s(path)).count(), 1, "path named once: {err}");
    assert!(err.contains(needle), "{err}");
}

#[test]
fn shard_says_what_a_non_profile_input_is() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ixe = dir.path().join("a.ixe");
    let ixesp = dir.path().join("a.ixesp");
    let ixes = dir.path().join("a.ixes");
    assert!(ix(&["compile", s(&export()), "-o", s(&ixe)])
        .status
        .success());
    assert!(ix(&["profile", s(&ixe), "-o", s(&ixesp), "-q"])
        .status
        .success());
    let made = ix(&["shard", s(&ixesp), "-n", "2", "-o", s(&ixes)]);
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let empty = dir.path().join("empty");
    std::fs::write(&empty, "").expect("write");
    let out = dir.path().join("out");
    let cases: [(&Path, &str); 5] = [
        (&empty, "empty file"),
        (&ixe, "Ixon environment (.ixe)"),
        (&ixes, "shard manifest (.ixes)"),
        (&export(), "is JSON"),
        (dir.path(), "is a directory"),
    ];
    for (input, needle) in cases {
        let run = ix(&["shard", s(input), "-n", "2", "--part-out", s(&out)]);
        refused(&run, input, needle);
    }
    let truncated = dir.path().join("t.ixesp");
    let bytes = std::fs::read(&ixesp).expect("read");
    std::fs::write(&truncated, &bytes[..bytes.len() / 2]).expect("write");
    let run = ix(&["shard", s(&truncated), "-n", "2", "-o", s(&out)]);
    refused(&run, &truncated, "file ends inside");
}

#[test]
fn ixe_readers_name_the_path_once_and_know_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.ixe");
    refused(
        &ix(&["ixvm", "check", s(&missing)]),
        &missing,
        "cannot open",
    );
    refused(
        &ix(&["ixvm", "check", s(dir.path())]),
        dir.path(),
        "is a directory",
    );
    refused(&ix(&["info", s(dir.path())]), dir.path(), "is a directory");
}
