//! The checking pipeline through Ixon: NDJSON → compile → `.ixe` bytes →
//! decompile → kernel gives the verdict the manifest expects: always with
//! metadata, and without it except for the listed, explained exceptions.

use ixon::{IxonEnv, ReadMode};
use std::path::Path;

fn verdict(env: &ix_lean::Environment) -> bool {
    ix_kernel::check_environment(env, &ix_kernel::CheckOptions::default())
        .result
        .is_ok()
}

/// Exports whose anonymous verdict differs from the manifest, and why.
/// Anonymous checking sees only hashed content under synthetic names.
const ANONYMOUS_EXCEPTIONS: &[(&str, &str)] = &[
    // Errors that exist only in names: duplicate declarations or universe
    // parameter names. Names are metadata, so anonymous checking accepts.
    (
        "tutorial/016_tut06_bad01.ndjson",
        "duplicate universe parameter name",
    ),
    ("tutorial/120_dup_defs.ndjson", "duplicate declaration name"),
    (
        "tutorial/121_dup_ind_def.ndjson",
        "duplicate declaration name",
    ),
    (
        "tutorial/122_dup_ctor_def.ndjson",
        "duplicate declaration name",
    ),
    (
        "tutorial/123_dup_rec_def.ndjson",
        "duplicate declaration name",
    ),
    (
        "tutorial/124_dup_rec_def2.ndjson",
        "duplicate declaration name",
    ),
];

#[test]
fn verdicts_survive_the_ixe_round_trip() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lean-exports");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    let mut mismatches = Vec::new();
    let mut exceptions_seen = 0;
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (path, expected) = (cols[0], cols[1] == "accept");
        let input = ix_lean::ndjson::read_file(&dir.join(path)).unwrap();
        let bytes = ix_import::compile(&input).unwrap().env.to_bytes();
        let (full, _) = IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
        if verdict(&ix_import::decompile(&full).unwrap()) != expected {
            mismatches.push(format!("{path}: with metadata"));
        }
        let (anon, _) = IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).unwrap();
        let anonymous = verdict(&ix_import::decompile_anonymous(&anon).unwrap());
        let excepted = ANONYMOUS_EXCEPTIONS.iter().any(|(p, _)| path.ends_with(p));
        match (anonymous == expected, excepted) {
            (true, false) => {}
            (false, true) => exceptions_seen += 1,
            (false, false) => mismatches.push(format!("{path}: anonymous")),
            (true, true) => {
                mismatches.push(format!("{path}: anonymous now agrees; drop the exception"))
            }
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
    assert_eq!(exceptions_seen, ANONYMOUS_EXCEPTIONS.len());
}

#[test]
#[ignore = "diagnostic: prints why anonymous decompiles are rejected"]
fn anonymous_rejections() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/lean-exports");
    let manifest = std::fs::read_to_string(dir.join("MANIFEST.tsv")).unwrap();
    for line in manifest.lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        if cols[1] != "accept" {
            continue;
        }
        let input = ix_lean::ndjson::read_file(&dir.join(cols[0])).unwrap();
        let bytes = ix_import::compile(&input).unwrap().env.to_bytes();
        let (anon, _) = IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).unwrap();
        let report = ix_kernel::check_environment(
            &ix_import::decompile_anonymous(&anon).unwrap(),
            &Default::default(),
        );
        if let Err(e) = report.result {
            println!("{}: {e}", cols[0]);
        }
    }
}
