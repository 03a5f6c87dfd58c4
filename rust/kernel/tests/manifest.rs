//! Every bundled real export gets the verdict MANIFEST.tsv expects.

mod support;

use ix_kernel::{check_environment, CheckOptions};
use ix_lean::ndjson;

#[test]
fn every_export_gets_its_expected_verdict() {
    let entries = ix_testkit::exports();
    assert_eq!(entries.len(), 136);
    let mut wrong = Vec::new();
    for export in &entries {
        let expected = export.expected.as_str();
        let (got, why) = support::file_verdict(&export.file());
        if got != expected {
            wrong.push(format!(
                "{}: expected {expected}, got {got} {why}",
                export.path
            ));
        }
    }
    let passed = entries.len() - wrong.len();
    eprintln!("manifest: {passed}/{} pass", entries.len());
    assert!(
        wrong.is_empty(),
        "{} wrong verdicts:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[test]
fn verdicts_and_heartbeats_do_not_depend_on_thread_count() {
    for export in ix_testkit::exports() {
        let Ok(env) = ndjson::read_file(&export.file()) else {
            continue;
        };
        let run = |threads| {
            let options = CheckOptions {
                threads,
                ..CheckOptions::default()
            };
            let report = check_environment(&env, &options);
            (report.result, report.constants)
        };
        assert_eq!(run(1), run(4), "{}", export.path);
    }
}
