//! Shards check on their own: on every bundled export, for several N, every
//! shard of an accepted environment accepts and together they check each
//! constant exactly once; in a rejected environment the shard that owns the
//! bad declaration rejects. Tampered manifests fail with clear errors.

use ix_commands::check::check_input;
use ix_commands::profile::{profile_env, ProfileOptions};
use ix_commands::shard_check::{load_shard, load_sharded, read_claims, verify_claims, ShardedEnv};
use ix_commands::Verdict;
use ix_kernel::CheckOptions;
use ix_shard::command::{shard_profile, ShardOptions};
use ix_shard::manifest::Manifest;
use std::path::{Path, PathBuf};

/// The bundled exports Lean gives `verdict`.
fn exports_expecting(verdict: Verdict) -> Vec<PathBuf> {
    ix_testkit::exports()
        .into_iter()
        .filter(|e| e.expected == verdict)
        .map(|e| e.file())
        .collect()
}

fn single() -> CheckOptions {
    CheckOptions {
        threads: 1,
        ..Default::default()
    }
}

/// Profiles `input` (even when rejected) and shards it into `n`; returns the manifest path.
fn shard(input: &Path, dir: &Path, n: u32) -> PathBuf {
    let profile = dir.join("p.ixesp");
    let options = ProfileOptions {
        threads: 1,
        allow_rejected: true,
        ..Default::default()
    };
    profile_env(input, &profile, &options).unwrap_or_else(|e| panic!("{e}"));
    let manifest = dir.join(format!("m{n}.ixes"));
    let opts = ShardOptions {
        parts: n,
        epsilon: 0.05,
        seed: 0,
        progress: &ix_base::progress::Silent,
    };
    shard_profile(&profile, &manifest, opts).unwrap_or_else(|e| panic!("{}: {e}", input.display()));
    manifest
}

fn block_count(input: &Path) -> u32 {
    let indexed = ix_commands::input::load_indexed(input).expect("load");
    indexed.compiled.block_sizes.len() as u32
}

fn shard_counts(blocks: u32) -> Vec<u32> {
    let mut ns: Vec<u32> = [1, 2, 4, blocks]
        .into_iter()
        .filter(|&n| n >= 1 && n <= blocks)
        .collect();
    ns.dedup();
    ns
}

fn check_all(sharded: &ShardedEnv) -> Vec<ix_commands::shard_check::ShardClaim> {
    (0..sharded.shard_count())
        .map(|k| sharded.check_shard(k, &single()).expect("shard exists"))
        .collect()
}

#[test]
fn accepted_exports_accept_in_every_shard_and_cover_each_constant_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    for input in exports_expecting(Verdict::Accept) {
        let blocks = block_count(&input);
        for n in shard_counts(blocks) {
            let m = shard(&input, dir.path(), n);
            let sharded = load_sharded(&input, &m).expect("manifest belongs");
            let claims = check_all(&sharded);
            for c in &claims {
                assert_eq!(
                    c.verdict,
                    Verdict::Accept,
                    "{} N={n}: {}",
                    input.display(),
                    c.message
                );
            }
            let (names, constants) = sharded.totals();
            let checked: usize = claims.iter().map(|c| c.checked_names).sum();
            let owned: usize = claims.iter().map(|c| c.owned_constants).sum();
            assert_eq!(
                (checked, owned),
                (names, constants),
                "{} N={n}",
                input.display()
            );
        }
    }
}

#[test]
fn in_rejected_exports_the_owner_of_the_bad_declaration_rejects() {
    let dir = tempfile::tempdir().expect("tempdir");
    for input in exports_expecting(Verdict::Reject) {
        let whole = check_input(&input, &single()).expect("readable input");
        let Some(bad) = whole.report.as_ref().and_then(|r| r.failed_declaration) else {
            panic!(
                "{}: rejected without a failing declaration: {}",
                input.display(),
                whole.message
            );
        };
        let blocks = block_count(&input);
        for n in shard_counts(blocks) {
            let m = shard(&input, dir.path(), n);
            let sharded = load_sharded(&input, &m).expect("manifest belongs");
            let owners = sharded.owners_of(bad);
            assert!(
                !owners.is_empty(),
                "{}: declaration {bad} has no owner",
                input.display()
            );
            for owner in owners {
                let claim = sharded.check_shard(owner, &single()).expect("shard exists");
                assert_ne!(
                    claim.verdict,
                    Verdict::Accept,
                    "{} N={n}: shard {owner} owns the bad declaration {bad} but accepts",
                    input.display()
                );
            }
        }
    }
}

/// A synthetic library of `blocks` blocks in `dir`.
fn synth_lib(dir: &Path, blocks: usize, seed: u64) -> PathBuf {
    let path = dir.join("lib.ndjson");
    let opts = ix_synth::SynthOptions {
        blocks,
        seed,
        plant_error: false,
    };
    ix_synth::write_file(&opts, &path).expect("synth");
    path
}

#[test]
fn a_withheld_body_fails_with_a_clear_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = synth_lib(dir.path(), 600, 9);
    let m = shard(&input, dir.path(), 4);
    let mut manifest = Manifest::read_file(&m).expect("manifest");
    let victim = manifest
        .shards
        .iter()
        .position(|s| !s.foreign.is_empty())
        .expect("a shard with assumptions");
    // Drop every assumption of one shard, keeping the manifest self-consistent.
    manifest.shards[victim].foreign.clear();
    manifest.shards[victim].assumption_root = None;
    let tampered = dir.path().join("tampered.ixes");
    std::fs::write(&tampered, manifest.to_bytes()).expect("write");
    let sharded = load_sharded(&input, &tampered).expect("still a valid manifest");
    let claim = sharded
        .check_shard(victim as u32, &single())
        .expect("shard exists");
    assert_eq!(claim.verdict, Verdict::Reject, "{}", claim.message);
    assert!(
        claim.message.contains("neither owns nor lists as foreign"),
        "{}",
        claim.message
    );
}

#[test]
fn tampered_roots_and_foreign_manifests_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = synth_lib(dir.path(), 600, 9);
    let m = shard(&input, dir.path(), 4);
    let mut bytes = std::fs::read(&m).expect("read");
    let manifest = Manifest::read_file(&m).expect("manifest");
    let root = manifest
        .shards
        .iter()
        .find_map(|s| s.assumption_root)
        .expect("some root");
    let at = bytes
        .windows(32)
        .position(|w| w == root)
        .expect("root in the file");
    bytes[at] ^= 1;
    let tampered = dir.path().join("root.ixes");
    std::fs::write(&tampered, &bytes).expect("write");
    let err = load_sharded(&input, &tampered)
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("root.ixes") && err.contains("byte"), "{err}");

    // A manifest of another environment does not belong.
    let other = dir.path().join("other.ndjson");
    ix_synth::write_file(
        &ix_synth::SynthOptions {
            blocks: 300,
            seed: 1,
            plant_error: false,
        },
        &other,
    )
    .expect("synth");
    let other_dir = dir.path().join("o");
    std::fs::create_dir(&other_dir).expect("mkdir");
    let other_manifest = shard(&other, &other_dir, 2);
    let err = load_sharded(&input, &other_manifest)
        .err()
        .expect("refused")
        .to_string();
    assert!(err.contains("does not belong"), "{err}");
}

/// Why the claims now in `claims_dir` do not verify.
fn refusal(sharded: &ShardedEnv, claims_dir: &Path) -> String {
    let claims = read_claims(claims_dir).expect("read");
    verify_claims(sharded, claims_dir, &claims)
        .unwrap_err()
        .to_string()
}

#[test]
fn claims_cover_the_env_and_missing_or_duplicate_claims_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = synth_lib(dir.path(), 600, 9);
    let m = shard(&input, dir.path(), 3);
    let sharded = load_sharded(&input, &m).expect("load");
    let claims_dir = dir.path().join("claims");
    std::fs::create_dir(&claims_dir).expect("mkdir");
    for c in check_all(&sharded) {
        std::fs::write(
            claims_dir.join(format!("shard-{}.json", c.shard)),
            c.to_json().to_string(),
        )
        .expect("write");
    }
    let claims = read_claims(&claims_dir).expect("read");
    verify_claims(&sharded, &claims_dir, &claims).expect("the claims cover the env");

    std::fs::copy(
        claims_dir.join("shard-0.json"),
        claims_dir.join("shard-0-again.json"),
    )
    .expect("copy");
    let err = refusal(&sharded, &claims_dir);
    assert!(err.contains("claimed twice"), "{err}");
    std::fs::remove_file(claims_dir.join("shard-0-again.json")).expect("rm");
    std::fs::remove_file(claims_dir.join("shard-1.json")).expect("rm");
    let err = refusal(&sharded, &claims_dir);
    assert!(err.contains("no claim for shard 1"), "{err}");
    // A claim about other names for the same constants does not verify.
    let mut renamed = claims[1].1.to_json();
    renamed["named_root"] = serde_json::json!("ab".repeat(32));
    std::fs::write(claims_dir.join("shard-1.json"), renamed.to_string()).expect("write");
    let err = refusal(&sharded, &claims_dir);
    assert!(err.contains("named_root differs"), "{err}");
    let expected = claims_dir.join("shard-1.json");
    assert!(err.starts_with(&expected.display().to_string()), "{err}");
}

/// The same shards give the same claims whether the environment comes as
/// NDJSON, as an `.ixe` (declarations decompiled on demand) or as an
/// anonymous `.ixe` (named again before sharding).
#[test]
fn claims_do_not_depend_on_the_input_form() {
    let dir = tempfile::tempdir().expect("tempdir");
    let rows: Vec<PathBuf> = exports_expecting(Verdict::Accept)
        .into_iter()
        .step_by(7)
        .collect();
    assert!(rows.len() >= 10);
    for input in rows {
        let exported = ix_lean::ndjson::read_file(&input).expect("parses");
        let compiled = ix_import::compile(&exported).expect("compiles");
        let named = dir.path().join("named.ixe");
        compiled.env.write_file(&named).expect("write");
        let mut bare = compiled.env.clone();
        bare.meta = Default::default();
        let anonymous = dir.path().join("anonymous.ixe");
        bare.write_file(&anonymous).expect("write");
        let m = shard(&input, dir.path(), 2.min(block_count(&input)));
        let claims = |env: &Path| {
            let sharded = load_sharded(env, &m).expect("manifest belongs");
            check_all(&sharded)
                .into_iter()
                .map(|c| (c.verdict, c.owned_root, c.assumption_root, c.env_root))
                .collect::<Vec<_>>()
        };
        let from_ndjson = claims(&input);
        assert_eq!(claims(&named), from_ndjson, "{}", input.display());
        assert_eq!(claims(&anonymous), from_ndjson, "{}", input.display());
    }
}

/// `lib`, compiled to an `.ixe` next to it.
fn compile_ixe(lib: &Path) -> PathBuf {
    let exported = ix_lean::ndjson::read_file(lib).expect("parses");
    let compiled = ix_import::compile(&exported).expect("compiles");
    let ixe = lib.with_extension("ixe");
    compiled.env.write_file(&ixe).expect("write");
    ixe
}

/// Where the body of constant `address` sits in an `.ixe` image: the item
/// whose address is followed by a length and bytes that hash to it.
fn body_of(image: &[u8], address: &[u8; 32]) -> std::ops::Range<usize> {
    image
        .windows(32)
        .enumerate()
        .filter(|(_, w)| *w == address)
        .find_map(|(at, _)| {
            let mut c = ixon::tag::Cursor::new(&image[at + 32..], at + 32);
            let len = c.tag0().ok()? as usize;
            let start = c.offset();
            let body = image.get(start..start + len)?;
            (ixon::Address::hash(body).0 == *address).then_some(start..start + len)
        })
        .expect("the constant's item is in the file")
}

#[test]
fn a_job_refuses_damaged_blocks_in_its_closure_and_ignores_the_rest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ixe = compile_ixe(&synth_lib(dir.path(), 600, 9));
    let m = shard(&ixe, dir.path(), 8);
    let k = 3;
    let claim = |env: &Path| {
        let sharded = load_sharded(env, &m)?;
        let mut c = sharded.check_shard(k, &single())?;
        c.seconds = 0.0;
        Ok::<_, ix_commands::shard_check::ShardCheckError>(c)
    };
    let clean = claim(&ixe).expect("clean file");
    let manifest = Manifest::read_file(&m).expect("manifest");
    let image = std::fs::read(&ixe).expect("read");
    let damaged = dir.path().join("damaged.ixe");
    let (mut refused, mut ignored) = (0, 0);
    // Every member of the shard, and every 4th block of the environment.
    let members = manifest.shards[k as usize].members.iter();
    let others = manifest.shards.iter().flat_map(|s| &s.members).step_by(4);
    for block in members.clone().chain(others) {
        let mut bytes = image.clone();
        let body = body_of(&bytes, block);
        bytes[body.end - 1] ^= 0x40;
        std::fs::write(&damaged, &bytes).expect("write");
        match claim(&damaged) {
            Ok(c) => {
                assert!(
                    !manifest.shards[k as usize].members.contains(block),
                    "a damaged member was not noticed"
                );
                assert_eq!(
                    c, clean,
                    "a damaged block outside the closure changed the claim"
                );
                ignored += 1;
            }
            Err(e) => {
                let e = e.to_string();
                assert!(
                    e.contains("damaged.ixe") && e.contains("hash mismatch"),
                    "{e}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        refused >= members.len() && ignored > 0,
        "{refused} refused, {ignored} ignored"
    );
}

#[test]
fn a_job_decompiles_its_closure_not_the_environment() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ixe = compile_ixe(&synth_lib(dir.path(), 3000, 4));
    let m = shard(&ixe, dir.path(), 16);
    for k in [0, 7, 15] {
        let sharded = load_sharded(&ixe, &m).expect("load");
        let claim = sharded.check_shard(k, &single()).expect("shard exists");
        assert_eq!(claim.verdict, Verdict::Accept, "{}", claim.message);
        let (done, total) = sharded.decompiled();
        assert!(
            done >= claim.checked_names / 2 && done * 4 < total,
            "shard {k} of 16 decompiled {done} of {total} declarations"
        );
    }
}

#[test]
fn a_job_loaded_for_one_shard_claims_the_same_and_refuses_the_others() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ixe = compile_ixe(&synth_lib(dir.path(), 800, 5));
    let m = shard(&ixe, dir.path(), 8);
    let all = load_sharded(&ixe, &m).expect("load");
    for k in [0, 5] {
        let one = load_shard(&ixe, &m, k).expect("load one");
        let (alone, beside) = (
            one.check_shard(k, &single()).expect("kept"),
            all.check_shard(k, &single()).expect("shard exists"),
        );
        assert_eq!(alone.verdict, Verdict::Accept, "{}", alone.message);
        assert_eq!(
            (alone.owned_root, alone.assumption_root, alone.checked_names),
            (
                beside.owned_root,
                beside.assumption_root,
                beside.checked_names
            )
        );
        let other = one.check_shard(k + 1, &single()).map(|c| c.message);
        assert!(
            other
                .as_ref()
                .is_err_and(|e| e.to_string().contains("alone")),
            "shard {} of a job for shard {k}: {other:?}",
            k + 1
        );
    }
    assert!(load_shard(&ixe, &m, 8).is_err_and(|e| e.to_string().contains("does not exist")));
}
