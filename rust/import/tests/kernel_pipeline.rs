//! The checking pipeline through Ixon: NDJSON → compile → `.ixe` bytes →
//! decompile → kernel gives the verdict the manifest expects: always with
//! metadata, and without it except for the listed, explained exceptions.

use ix_testkit::Verdict;
use ixon::{IxonEnv, ReadMode};

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
    let mut mismatches = Vec::new();
    let mut exceptions_seen = 0;
    for export in ix_testkit::exports() {
        let (path, expected) = (&export.path, export.expected == Verdict::Accept);
        let input = ix_lean::ndjson::read_file(&export.file()).unwrap();
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
    for export in ix_testkit::exports() {
        if export.expected != Verdict::Accept {
            continue;
        }
        let input = ix_lean::ndjson::read_file(&export.file()).unwrap();
        let bytes = ix_import::compile(&input).unwrap().env.to_bytes();
        let (anon, _) = IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).unwrap();
        let report = ix_kernel::check_environment(
            &ix_import::decompile_anonymous(&anon).unwrap(),
            &Default::default(),
        );
        if let Err(e) = report.result {
            println!("{}: {e}", export.path);
        }
    }
}

/// A check's outcome: `None` for accept, else reject or decline; and the
/// heartbeats spent on all checked constants.
type Outcome = (Option<Verdict>, u64);

/// The named and the anonymous check of a kernel rule file through `.ixe`
/// bytes.
fn named_and_anonymous(rule: &str) -> [Outcome; 2] {
    let path = ix_testkit::data_dir().join("kernel-rules").join(rule);
    let input = ix_lean::ndjson::read_file(&path).unwrap();
    let bytes = ix_import::compile(&input).unwrap().env.to_bytes();
    let (full, _) = IxonEnv::from_bytes(&bytes, ReadMode::Full).unwrap();
    let (anon, _) = IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).unwrap();
    let run = |env: ix_lean::Environment| {
        let report = ix_kernel::check_environment(&env, &ix_kernel::CheckOptions::default());
        let beats = report.constants.iter().map(|c| c.heartbeats).sum();
        (report.result.err().map(|e| e.verdict()), beats)
    };
    [
        run(ix_import::decompile(&full).unwrap()),
        run(ix_import::decompile_anonymous(&anon).unwrap()),
    ]
}

/// Lean's `Nat.add` is named by its address in an anonymous decompile, so
/// 2^200 + 2^200 = 2^201 is computed there too (it used to run out of
/// heartbeats unfolding `Nat.brecOn`).
#[test]
fn lean_nat_add_is_accelerated_anonymously() {
    let [named, anonymous] = named_and_anonymous("nat-add-lean-accelerated.accept.ndjson");
    assert_eq!(named.0, None, "the named check accepts");
    assert_eq!(anonymous, named);
}

/// Nat rules whose anonymous verdict differs: their operations are defined
/// by `Nat.rec`, not as Lean defines them, so anonymously they keep
/// synthetic names and are unfolded, which runs out of heartbeats.
const NAT_RULE_EXCEPTIONS: [&str; 4] = [
    "nat-add-rec-accelerated.accept.ndjson",
    "nat-add-rec-accelerated.reject.ndjson",
    "nat-pow-rec-accelerated.accept.ndjson",
    "nat-pow-rec-accelerated.reject.ndjson",
];

/// Every Nat rule gets the same verdict anonymously: a definition that is
/// not Lean's keeps its synthetic name there, so it is unfolded (the named
/// check unfolds it too when its equations fail, as `fun n m => n` for
/// `Nat.add` does in nat-add-unverified: 2 + 2 = 4 is rejected both ways).
#[test]
fn nat_rules_get_the_same_verdict_anonymously() {
    let dir = ix_testkit::data_dir().join("kernel-rules");
    let mut rules: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("nat-") && f.ends_with(".ndjson"))
        .collect();
    rules.sort();
    assert_eq!(rules.len(), 19, "{rules:?}");
    let mut mismatches = Vec::new();
    for rule in &rules {
        let [named, anonymous] = named_and_anonymous(rule);
        assert_eq!(named.0.is_none(), rule.contains(".accept."), "{rule}");
        if anonymous.0 != named.0 {
            mismatches.push(rule.as_str());
        }
    }
    assert_eq!(mismatches, NAT_RULE_EXCEPTIONS);
}
