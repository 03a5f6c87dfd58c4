//! Every fuzz target's body, run on stable as an ordinary test: over a corpus
//! of valid inputs, then over a bounded number of seeded random mutations of
//! each (bit flips, byte overwrites, truncations, duplicated and dropped
//! ranges). A body fails by panicking, exactly as under libFuzzer. The
//! kernel's bodies check whole environments, so they get fewer inputs here
//! than the readers; `cargo fuzz` runs them for as long as one likes.

use ix_base::rng::Rng;
use std::path::{Path, PathBuf};

#[path = "../rust/aiur/fuzz/bodies.rs"]
mod aiur_bodies;
#[path = "../rust/ixesp/fuzz/bodies.rs"]
mod ixesp_bodies;
#[path = "../rust/ixon/fuzz/bodies.rs"]
mod ixon_bodies;
#[path = "../rust/kernel/fuzz/bodies.rs"]
mod kernel_bodies;
#[path = "../rust/shard/fuzz/bodies.rs"]
mod shard_bodies;

/// One random edit of `bytes`.
fn mutate(bytes: &mut Vec<u8>, rng: &mut Rng) {
    let len = bytes.len();
    match rng.below(6) {
        0 if len > 0 => {
            let at = rng.below(len);
            bytes[at] ^= 1 << rng.below(8);
        }
        1 if len > 0 => {
            let at = rng.below(len);
            bytes[at] = rng.next_u64() as u8;
        }
        2 => bytes.truncate(rng.below(len + 1)),
        3 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(16)).min(len);
            let copy = bytes[start..end].to_vec();
            let at = rng.below(len + 1);
            bytes.splice(at..at, copy);
        }
        4 if len > 0 => {
            let start = rng.below(len);
            let end = (start + 1 + rng.below(16)).min(len);
            bytes.drain(start..end);
        }
        _ => {
            let at = rng.below(len + 1);
            let byte = [b'0', b' ', b'\n', b'{', b'}', b'"', b'-', 0xFF][rng.below(8)];
            bytes.insert(at, byte);
        }
    }
}

/// Runs `body` on every corpus entry and on `mutations` mutants of each
/// (one to four edits apiece), with a fixed seed so a failure repeats.
fn exercise(corpus: &[Vec<u8>], mutations: usize, body: fn(&[u8])) {
    assert!(!corpus.is_empty());
    let mut rng = Rng::new(0);
    for seed in corpus {
        body(seed);
        for _ in 0..mutations {
            let mut mutant = seed.clone();
            for _ in 0..=rng.below(4) {
                mutate(&mut mutant, &mut rng);
            }
            body(&mutant);
        }
    }
}

fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

fn exports() -> Vec<Vec<u8>> {
    [
        "tests/data/lean-exports/lean4export/Nat.add_succ.ndjson",
        "tests/data/kernel-rules/nat-literal-add.accept.ndjson",
        "tests/data/kernel-rules/app-argument-type.accept.ndjson",
    ]
    .iter()
    .map(|rel| std::fs::read(repo(rel)).expect("bundled export"))
    .collect()
}

fn profiles() -> Vec<Vec<u8>> {
    [3, 12, 40]
        .into_iter()
        .map(|blocks| {
            ixesp::synth::generate(&ixesp::synth::Params {
                blocks,
                ..ixesp::synth::Params::default()
            })
        })
        .map(|p| p.to_bytes())
        .collect()
}

#[test]
fn read_profile_body() {
    exercise(&profiles(), 400, ixesp_bodies::read_profile);
}

#[test]
fn read_manifest_body() {
    let corpus: Vec<Vec<u8>> = [2u32, 3]
        .into_iter()
        .map(|k| {
            let profile = ixesp::synth::generate(&ixesp::synth::Params {
                blocks: 30,
                ..ixesp::synth::Params::default()
            });
            let parts: Vec<u32> = (0..30).map(|b| b % k).collect();
            ix_shard::manifest::Manifest::build(&profile, &parts, k, None).to_bytes()
        })
        .collect();
    exercise(&corpus, 400, shard_bodies::read_manifest);
}

#[test]
fn read_hgr_body() {
    let corpus = vec![
        b"2 3\n1 2\n2 3\n".to_vec(),
        b"% a comment\n3 4 11\n5 1 2\n7 2 3 4\n1 1 4\n2\n1\n3\n4\n".to_vec(),
    ];
    exercise(&corpus, 600, shard_bodies::read_hgr);
}

#[test]
fn ixe_reader_body() {
    let corpus: Vec<Vec<u8>> = exports()
        .iter()
        .map(|text| {
            let lean = ix_lean::ndjson::read(text.as_slice(), "corpus").expect("export reads");
            ix_import::compile(&lean)
                .expect("export compiles")
                .env
                .to_bytes()
        })
        .collect();
    exercise(&corpus, 300, ixon_bodies::ixe_reader);
}

#[test]
fn ndjson_reader_body() {
    exercise(&exports(), 150, ixon_bodies::ndjson_reader);
}

#[test]
fn aiur_compile_body() {
    let corpus: Vec<Vec<u8>> = ["rbtree_one_cmp.aiur", "rbtree_two_cmp.aiur"]
        .iter()
        .map(|name| std::fs::read(repo("rust/aiur/programs").join(name)).expect("program"))
        .collect();
    exercise(&corpus, 300, aiur_bodies::compile);
}

#[test]
fn kernel_check_bytes_body() {
    exercise(&exports(), 150, kernel_bodies::check_bytes);
}

/// `mutate_exports` reads its input as a choice of export followed by up to
/// eight four-byte mutations: every export gets random mutation programs.
#[test]
fn kernel_mutate_exports_body() {
    let mut rng = Rng::new(1);
    for run in 0..1024u32 {
        let mut input = vec![run as u8];
        let mutations = 1 + rng.below(8);
        input.extend((0..4 * mutations).map(|_| rng.next_u64() as u8));
        kernel_bodies::mutate_exports(&input);
    }
}
