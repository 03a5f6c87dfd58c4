//! The in-circuit kernel on synthetic libraries (`ix synth --blocks 2000`):
//! a library is well typed by construction, and `--reject` plants one
//! ill-typed theorem whose name the generator reports.

use ix_ixvm::{check_env, name_of, ClaimSpec, Outcome, Variant};
use ixon::IxonEnv;

const BLOCKS: usize = 2000;
const STEPS: u64 = 2_000_000_000;

fn library(seed: u64, plant_error: bool) -> (IxonEnv, Option<String>) {
    let opts = ix_synth::SynthOptions {
        blocks: BLOCKS,
        seed,
        plant_error,
    };
    let mut ndjson = Vec::new();
    let summary = ix_synth::generate(&opts, &mut ndjson).unwrap();
    let lean = ix_lean::ndjson::read(ndjson.as_slice(), "synth").unwrap();
    (ix_import::compile(&lean).unwrap().env, summary.planted)
}

/// The verdict with the names (as `ix ixvm check` gives it) and the
/// kernel's own verdict on the anonymous content.
fn verdicts(env: &IxonEnv) -> (Outcome, Outcome) {
    let named = check_env(env, &ClaimSpec::CheckEnv, Variant::NEW, STEPS).unwrap();
    let mut anonymous = env.clone();
    anonymous.meta = Default::default();
    let kernel = check_env(&anonymous, &ClaimSpec::CheckEnv, Variant::NEW, STEPS).unwrap();
    (named.outcome, kernel.outcome)
}

#[test]
#[ignore = "in-circuit CheckEnv on synthetic libraries of 2000 blocks (release mode: a minute)"]
fn ixvm_synth_libraries_agree_with_their_construction() {
    for seed in [0, 1] {
        let (env, _) = library(seed, false);
        let (named, kernel) = verdicts(&env);
        // Structurally equal types of other names collapse anonymously, so
        // the named verdict may decline; it never rejects.
        assert!(
            matches!(named, Outcome::Accept | Outcome::Decline { .. }),
            "seed {seed}: {named:?}"
        );
        assert_eq!(kernel, Outcome::Accept, "seed {seed}");
    }
    let (env, planted) = library(0, true);
    let (named, _) = verdicts(&env);
    let Outcome::Reject {
        constant: Some(c), ..
    } = named
    else {
        panic!("planted error not rejected: {named:?}");
    };
    assert_eq!(name_of(&env, &c), planted);
}
