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

/// A check's outcome: `None` for accept, else reject or decline; and the
/// heartbeats spent on all checked constants.
type Outcome = (Option<ix_kernel::Verdict>, u64);

/// The named and the anonymous check of a kernel rule file through `.ixe`
/// bytes.
fn named_and_anonymous(rule: &str) -> [Outcome; 2] {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/kernel-rules")
        .join(rule);
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

/// Every Nat rule gets the same verdict anonymously, an accept with the same
/// heartbeats: an operation defined as Lean or `ix synth` defines it is
/// named by its address and accelerated; any other definition keeps its
/// synthetic name and is unfolded, as the named check unfolds one whose
/// equations fail (`Nat.add := fun n m => n` in nat-add-unverified: 2 + 2 =
/// 4 is rejected both ways).
#[test]
fn nat_rules_get_the_same_verdict_anonymously() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/kernel-rules");
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
        // A rejection's heartbeats count what was checked before the
        // failure, which depends on the declaration order.
        let beats_differ = named.0.is_none() && anonymous.1 != named.1;
        if anonymous.0 != named.0 || beats_differ {
            mismatches.push(format!("{rule}: named {named:?}, anonymous {anonymous:?}"));
        }
    }
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}

fn synth_library(blocks: usize) -> ix_lean::Environment {
    let opts = ix_synth::SynthOptions {
        blocks,
        seed: 7,
        plant_error: false,
    };
    let mut text = Vec::new();
    ix_synth::generate(&opts, &mut text).unwrap();
    ix_lean::ndjson::read(text.as_slice(), "synth.ndjson").unwrap()
}

fn anonymous_env(env: &ix_lean::Environment) -> ix_lean::Environment {
    let bytes = ix_import::compile(env).unwrap().env.to_bytes();
    let (anon, _) = IxonEnv::from_bytes(&bytes, ReadMode::Anonymous).unwrap();
    ix_import::decompile_anonymous(&anon).unwrap()
}

fn outcome(env: &ix_lean::Environment) -> Outcome {
    let report = ix_kernel::check_environment(env, &ix_kernel::CheckOptions::default());
    let beats = report.constants.iter().map(|c| c.heartbeats).sum();
    (report.result.err().map(|e| e.verdict()), beats)
}

/// `ix synth`'s `Nat.add` and `Nat.mul` are named by their addresses, so a
/// generated library's literal arithmetic is accelerated anonymously too:
/// same verdict, about the same heartbeats (3.4 times as many before).
#[test]
fn synth_library_checks_alike_anonymously() {
    let library = synth_library(300);
    let named = outcome(&library);
    assert_eq!(named.0, None);
    let anonymous = outcome(&anonymous_env(&library));
    assert_eq!(anonymous.0, None);
    // Fewer, if anything: declarations equal up to names are one constant.
    assert!(anonymous.1 <= named.1, "{anonymous:?} vs {named:?}");
    assert!(
        anonymous.1 * 10 >= named.1 * 9,
        "{anonymous:?} vs {named:?}"
    );
}

/// Two definitions an address names `Nat.mul` in one environment (synth's
/// and the rule files') are both left unnamed rather than clash as a
/// duplicate declaration: the environment is still accepted anonymously.
#[test]
fn two_definitions_of_one_operation_are_neither_named() {
    let rule = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/kernel-rules/nat-pow-rec-accelerated.accept.ndjson");
    let mul = ix_lean::Name::from_dotted("Nat.mul");
    let other_mul = ix_lean::ndjson::read_file(&rule)
        .unwrap()
        .decls
        .into_iter()
        .find_map(|d| match d {
            ix_lean::Declaration::Definition(mut def) if def.cval.name == mul => {
                def.cval.name = ix_lean::Name::from_dotted("Rule.mul");
                def.all = vec![def.cval.name.clone()];
                Some(ix_lean::Declaration::Definition(def))
            }
            _ => None,
        })
        .unwrap();
    let mut library = synth_library(1);
    library.decls.push(other_mul);
    assert_eq!(outcome(&library).0, None);
    let anonymous = anonymous_env(&library);
    let names: Vec<String> = anonymous
        .decls
        .iter()
        .flat_map(|d| d.names())
        .map(|n| n.to_string())
        .collect();
    assert!(names.contains(&"Nat.add".to_string()), "{names:?}");
    assert!(!names.contains(&"Nat.mul".to_string()), "{names:?}");
    assert_eq!(outcome(&anonymous).0, None);
}
