//! Every bundled real export gets the verdict MANIFEST.tsv expects.

mod support;

use ix_kernel::{check_environment, CheckOptions};
use ix_lean::ndjson;
use std::path::{Path, PathBuf};

fn exports_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lean-exports")
}

fn manifest() -> Vec<(String, String)> {
    let text = std::fs::read_to_string(exports_dir().join("MANIFEST.tsv")).expect("MANIFEST.tsv");
    text.lines()
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (cols[0].to_string(), cols[1].to_string())
        })
        .collect()
}

#[test]
fn every_export_gets_its_expected_verdict() {
    let entries = manifest();
    assert_eq!(entries.len(), 136);
    let mut wrong = Vec::new();
    for (path, expected) in &entries {
        let (got, why) = support::file_verdict(&exports_dir().join(path));
        if &got != expected {
            wrong.push(format!("{path}: expected {expected}, got {got} {why}"));
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
    for (path, _) in manifest() {
        let Ok(env) = ndjson::read_file(&exports_dir().join(&path)) else {
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
        assert_eq!(run(1), run(4), "{path}");
    }
}
