//! `ix profile`: exact edges and heartbeats on a small hand-made library,
//! byte-identical files at any thread count, and edges that only point at
//! definition or theorem blocks.

use ix_commands::input::load_indexed;
use ix_commands::profile::{profile_env, ProfileOptions};
use ixesp::Profile;
use std::path::{Path, PathBuf};

fn export(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/lean-exports")
        .join(rel)
}

fn synth(dir: &Path, blocks: usize) -> PathBuf {
    let path = dir.join("lib.ndjson");
    let opts = ix_synth_options(blocks);
    ix_synth::write_file(&opts, &path).expect("synth");
    path
}

fn ix_synth_options(blocks: usize) -> ix_synth::SynthOptions {
    ix_synth::SynthOptions {
        blocks,
        seed: 5,
        plant_error: false,
    }
}

fn profile_with(input: &Path, out: &Path, threads: usize) -> ix_commands::ProfileSummary {
    let options = ProfileOptions {
        threads,
        ..Default::default()
    };
    profile_env(input, out, &options).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn one_and_two_threads_write_identical_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = synth(dir.path(), 1500);
    let (a, b) = (dir.path().join("a.ixesp"), dir.path().join("b.ixesp"));
    let sa = profile_with(&input, &a, 1);
    let sb = profile_with(&input, &b, 2);
    assert_eq!(std::fs::read(&a).expect("a"), std::fs::read(&b).expect("b"));
    assert_eq!(sa, sb);
    assert!(sa.edges > 500, "{sa:?}");
}

/// Decodes a profile into lines `consumer  heartbeats  constants  -> producers`, by name.
fn describe(profile: &Profile, input: &Path) -> String {
    let indexed = load_indexed(input).expect("load");
    let mut names = std::collections::BTreeMap::new();
    for decl in &indexed.decls.decls {
        for n in decl.names() {
            let home = indexed.compiled.homes[n];
            names.entry(home.0).or_insert_with(|| n.to_string());
        }
    }
    let label = |i: u32| names[&profile.blocks()[i as usize].address].clone();
    let mut out = String::new();
    for (i, b) in profile.blocks().iter().enumerate() {
        let producers: Vec<String> = profile.producers_of(i).iter().map(|&p| label(p)).collect();
        out.push_str(&format!(
            "{:<28} hb={:<6} constants={} size={} -> [{}]\n",
            label(i as u32),
            b.heartbeats,
            b.constants,
            b.size,
            producers.join(", ")
        ));
    }
    out
}

#[test]
fn hand_made_library_has_the_known_edges() {
    // listRecReduction: the theorem unfolds `myListApped` and `List.recOn`
    // to see both equations hold by iota; `id` is only instantiated, never
    // unfolded; the inductive blocks unfold nothing. Pinned as a snapshot.
    let dir = tempfile::tempdir().expect("tempdir");
    let input = export("vow-lean-kernel/tests/good/tutorial/072_listRecReduction.ndjson");
    let out = dir.path().join("p.ixesp");
    profile_with(&input, &out, 1);
    let profile = Profile::read_file(&out).expect("valid profile");
    insta::assert_snapshot!(describe(&profile, &input));
}

#[test]
fn edges_point_at_definition_or_theorem_blocks() {
    let dir = tempfile::tempdir().expect("tempdir");
    let input = synth(dir.path(), 2000);
    let out = dir.path().join("p.ixesp");
    profile_with(&input, &out, 2);
    let profile = Profile::read_file(&out).expect("valid profile");
    let indexed = load_indexed(&input).expect("load");
    let mut unfoldable = std::collections::HashSet::new();
    for decl in &indexed.decls.decls {
        if matches!(
            decl,
            ix_lean::Declaration::Definition(_) | ix_lean::Declaration::Theorem(_)
        ) {
            for n in decl.names() {
                unfoldable.insert(indexed.compiled.homes[n].0);
            }
        }
    }
    for &p in profile.producers() {
        let address = profile.blocks()[p as usize].address;
        assert!(
            unfoldable.contains(&address),
            "edge to a block that is no definition or theorem"
        );
    }
    let total: u64 = profile.blocks().iter().map(|b| b.heartbeats).sum();
    assert!(total > 0);
}

#[test]
fn a_rejected_environment_is_not_profiled() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("p.ixesp");
    let err = profile_env(
        &export("vow-lean-kernel/tests/bad/tutorial/002_badDef.ndjson"),
        &out,
        &ProfileOptions::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("does not accept"), "{err}");
    assert!(!out.exists());
}

#[test]
fn maps_read_off_an_ixe_equal_the_compiler_maps() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut inputs = vec![synth(dir.path(), 800)];
    for rel in [
        "lean4export/Nat.add_succ.ndjson",
        "vow-lean-kernel/tests/good/tutorial/072_listRecReduction.ndjson",
        "vow-lean-kernel/tests/bad/tutorial/120_dup_defs.ndjson",
    ] {
        inputs.push(export(rel));
    }
    for input in inputs {
        let from_ndjson = load_indexed(&input).expect("ndjson");
        let ixe = dir.path().join("env.ixe");
        ix_import::compile_file(&input, &ixe).expect("compile");
        let from_ixe = load_indexed(&ixe).expect("ixe");
        let a = &from_ndjson.compiled;
        let b = &from_ixe.compiled;
        assert_eq!(a.addresses, b.addresses, "{}", input.display());
        assert_eq!(a.homes, b.homes, "{}", input.display());
        assert_eq!(a.block_sizes, b.block_sizes, "{}", input.display());
        assert_eq!(from_ndjson.decls.decls.len(), from_ixe.decls.decls.len());
    }
}
