//! Every bundled real export gets the verdict MANIFEST.tsv expects.

mod support;

use ix_kernel::{check_environment, CheckOptions};
use ix_lean::{ndjson, Declaration};

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

/// Checking in parallel rounds while declarations are still being added
/// (one declaration per round at the extreme, so mutual blocks and
/// primitives straddle rounds) gives the report of one single round, on
/// every bundled export and every hand-made kernel rule.
#[test]
fn reports_do_not_depend_on_round_size() {
    let mut files: Vec<_> = ix_testkit::exports().iter().map(|e| e.file()).collect();
    files.extend(ndjson_files(&ix_testkit::data_dir().join("kernel-rules")));
    assert!(files.len() > 250, "only {} files", files.len());
    for file in files {
        let Ok(env) = ndjson::read_file(&file) else {
            continue;
        };
        let whole = check_in_rounds(&env, usize::MAX);
        assert_eq!(
            check_in_rounds(&env, 1),
            whole,
            "{} in rounds of 1",
            file.display()
        );
        assert_eq!(
            check_in_rounds(&env, 3),
            whole,
            "{} in rounds of 3",
            file.display()
        );
    }
}

fn ndjson_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|x| x == "ndjson") {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// An inductive block whose check fails after its constants were added
/// (its exported recursor's K flag flipped) ends the check there, as if it
/// had failed when added: it is the failure, no constant after it is
/// reported, and the report is the same in rounds of any size.
#[test]
fn a_block_failing_in_a_round_ends_the_check_there() {
    let mut tried = 0;
    let accepted = ix_testkit::exports()
        .into_iter()
        .filter(|e| e.expected == ix_testkit::Verdict::Accept);
    for export in accepted {
        let Ok(mut env) = ndjson::read_file(&export.file()) else {
            continue;
        };
        let found = env.decls.iter().enumerate().find_map(|(i, d)| match d {
            Declaration::Inductive(b) if !b.recs.is_empty() && i + 1 < env.decls.len() => Some(i),
            _ => None,
        });
        let Some(at) = found else {
            continue;
        };
        let Declaration::Inductive(block) = &mut env.decls[at] else {
            continue;
        };
        block.recs[0].k = !block.recs[0].k;
        let first_type = block.types[0].cval.name.clone();
        let whole = check_in_rounds(&env, usize::MAX);
        let (result, constants, failed) = &whole;
        assert!(result.is_err(), "{}: accepted", export.path);
        assert_eq!(*failed, Some(at), "{}", export.path);
        let last = constants.last().map(|c| &c.name);
        assert_eq!(
            last,
            Some(&first_type),
            "{}: reported past the block",
            export.path
        );
        assert_eq!(
            check_in_rounds(&env, 1),
            whole,
            "{} in rounds of 1",
            export.path
        );
        assert_eq!(
            check_in_rounds(&env, 3),
            whole,
            "{} in rounds of 3",
            export.path
        );
        tried += 1;
    }
    assert!(tried > 20, "only {tried} exports with an inductive block");
}

/// The verdict, reports and failing declaration of `env` checked on two
/// threads in rounds of `round` declarations.
fn check_in_rounds(
    env: &ix_lean::Environment,
    round: usize,
) -> (
    ix_kernel::KResult<()>,
    Vec<ix_kernel::ConstantReport>,
    Option<usize>,
) {
    let options = CheckOptions {
        threads: 2,
        round,
        ..CheckOptions::default()
    };
    let report = check_environment(env, &options);
    (report.result, report.constants, report.failed_declaration)
}
