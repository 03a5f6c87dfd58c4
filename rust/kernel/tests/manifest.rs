//! Every bundled real export gets the verdict MANIFEST.tsv expects.

mod support;

use ix_kernel::{check_environment, CheckOptions};
use ix_lean::ndjson;

#[test]
fn every_export_gets_its_expected_verdict() {
    ix_testkit::assert_manifest_verdicts(|export| {
        let (got, why) = support::file_verdict(&export.file());
        let got = ix_testkit::Verdict::parse(&got).unwrap_or_else(|| panic!("verdict {got}"));
        (got, why)
    });
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
