//! Output paths are checked before any work: an output that is (or links to)
//! an input or another output, or that cannot be written, is refused with
//! one line naming the user's path, exit 3, and every file left as it was.

mod support;

use std::path::{Path, PathBuf};
use std::process::Output;
use support::{export, ix, s};

/// Exit 3, one stderr line naming `named`, containing `needle`.
fn assert_refused(out: &Output, named: &Path, needle: &str) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(
        stderr.starts_with(&format!("ix: error: {}: ", named.display())),
        "{stderr}"
    );
    assert!(stderr.contains(needle), "{stderr}");
}

/// A folder with the export, its `.ixe`, `.ixesp` and an `.hgr`.
fn inputs(dir: &Path) -> (PathBuf, PathBuf, PathBuf, PathBuf) {
    let ndjson = dir.join("a.ndjson");
    std::fs::copy(export(), &ndjson).expect("copy");
    let ixe = dir.join("a.ixe");
    let ixesp = dir.join("a.ixesp");
    assert!(ix(&["compile", s(&ndjson), "-o", s(&ixe)]).status.success());
    let out = ix(&["profile", s(&ixe), "-o", s(&ixesp), "-q"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let hgr = dir.join("g.hgr");
    std::fs::write(&hgr, "2 3\n1 2\n2 3\n").expect("write");
    (ndjson, ixe, ixesp, hgr)
}

#[test]
fn an_output_over_an_input_or_another_output_is_refused_before_any_work() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (ndjson, ixe, ixesp, hgr) = inputs(dir.path());
    let before: Vec<Vec<u8>> = [&ndjson, &ixe, &ixesp, &hgr]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    let b_ixes = dir.path().join("b.ixes");
    let p_ixesp = dir.path().join("p.ixesp");
    let cases: Vec<(Vec<&str>, &Path, &str)> = vec![
        (
            vec!["compile", s(&ndjson), "-o", s(&ndjson)],
            &ndjson,
            "is the input",
        ),
        (
            vec!["profile", s(&ixe), "-o", s(&ixe)],
            &ixe,
            "is the input",
        ),
        (
            vec!["profile", s(&ixe), "-o", s(&p_ixesp), "--plot", s(&ixe)],
            &ixe,
            "is the input",
        ),
        (
            vec!["shard", s(&ixesp), "-n", "2", "-o", s(&ixesp)],
            &ixesp,
            "is the input",
        ),
        (
            vec!["shard", s(&hgr), "-n", "2", "--part-out", s(&hgr)],
            &hgr,
            "is the input",
        ),
        (
            vec![
                "shard",
                s(&ixesp),
                "-n",
                "2",
                "-o",
                s(&b_ixes),
                "--plot",
                s(&b_ixes),
            ],
            &b_ixes,
            "is also the output",
        ),
    ];
    for (args, named, needle) in &cases {
        let out = ix(args);
        assert_refused(&out, named, needle);
    }
    let after: Vec<Vec<u8>> = [&ndjson, &ixe, &ixesp, &hgr]
        .iter()
        .map(|p| std::fs::read(p).expect("read"))
        .collect();
    assert!(before == after, "an input was changed");
    assert!(!b_ixes.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("ls").count(), 4);
}

#[cfg(unix)]
#[test]
fn a_link_to_the_input_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ndjson = dir.path().join("a.ndjson");
    std::fs::copy(export(), &ndjson).expect("copy");
    let link = dir.path().join("link.ixe");
    std::os::unix::fs::symlink(&ndjson, &link).expect("symlink");
    let out = ix(&["compile", s(&ndjson), "-o", s(&link)]);
    assert_refused(&out, &link, "is the input");
    assert_eq!(std::fs::read(&ndjson).ok(), std::fs::read(export()).ok());
}

#[test]
fn an_unwritable_output_is_refused_first_naming_the_users_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("no-such-folder").join("lib.ndjson");
    let out = ix(&["synth", "--blocks", "100000", "-o", s(&missing)]);
    assert_refused(&out, &missing, "cannot write in");
    let plot = dir.path().join("no-such-folder").join("p.svg");
    let ixesp = dir.path().join("p.ixesp");
    let out = ix(&["profile", s(&export()), "-o", s(&ixesp), "--plot", s(&plot)]);
    assert_refused(&out, &plot, "cannot write in");
    assert!(!ixesp.exists(), "the main output is not written either");
}
