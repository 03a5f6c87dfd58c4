//! `ix check` of an `.ixe`: every bundled export, compiled to an `.ixe` and
//! checked entry by entry from the mapped file, gets the verdict
//! MANIFEST.tsv gives; and checking the `.ixe` file gives the same verdict
//! as checking the NDJSON.

use ix_commands::check::check_input;
use ix_commands::Verdict;
use ix_kernel::CheckOptions;

#[test]
fn every_export_gets_its_manifest_verdict_from_its_ixe() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = CheckOptions {
        threads: 2,
        ..Default::default()
    };
    ix_testkit::assert_manifest_verdicts(|export| {
        let ixe = dir.path().join("env.ixe");
        ix_import::compile_file(&export.file(), &ixe).expect("compiles");
        let outcome = check_input(&ixe, &options).expect("readable input");
        (outcome.verdict, outcome.message)
    });
}

#[test]
fn ixe_and_ndjson_give_the_same_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let options = CheckOptions::default();
    for export in ix_testkit::exports().iter().step_by(7) {
        let ndjson = export.file();
        let ixe = dir.path().join("env.ixe");
        ix_import::compile_file(&ndjson, &ixe).expect("compiles");
        let a = check_input(&ndjson, &options).expect("readable input");
        let b = check_input(&ixe, &options).expect("readable input");
        assert_eq!(
            a.verdict, b.verdict,
            "{}: {} vs {}",
            export.path, a.message, b.message
        );
    }
}

#[test]
fn malformed_input_is_a_reject_naming_the_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.ndjson");
    std::fs::write(&bad, "{\"meta\": 1}\n").expect("write");
    let outcome = check_input(&bad, &CheckOptions::default()).expect("readable input");
    assert_eq!(outcome.verdict, Verdict::Reject);
    assert!(
        outcome.message.contains("bad.ndjson"),
        "{}",
        outcome.message
    );
    let truncated = dir.path().join("t.ixe");
    std::fs::write(&truncated, [0xE1u8, 1, 2, 3]).expect("write");
    let outcome = check_input(&truncated, &CheckOptions::default()).expect("readable input");
    assert_eq!(outcome.verdict, Verdict::Reject);
    assert!(outcome.message.contains("t.ixe"), "{}", outcome.message);
}

#[test]
fn unreadable_input_is_an_error_not_a_verdict() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.ixe");
    for path in [missing.as_path(), dir.path()] {
        let err = check_input(path, &CheckOptions::default()).unwrap_err();
        assert!(
            err.to_string().starts_with(&path.display().to_string()),
            "{err}"
        );
    }
}
