use ix_synth::{
    generate, generate_like, write_file, write_file_like, Like, SynthOptions, MIN_BLOCKS,
};

fn library(blocks: usize, seed: u64, plant_error: bool) -> (Vec<u8>, ix_synth::SynthSummary) {
    let opts = SynthOptions {
        blocks,
        seed,
        plant_error,
    };
    let mut out = Vec::new();
    let summary = generate(&opts, &mut out).expect("generate");
    (out, summary)
}

fn mathlib_like(blocks: usize, seed: u64, plant_error: bool) -> (Vec<u8>, ix_synth::SynthSummary) {
    let opts = SynthOptions {
        blocks,
        seed,
        plant_error,
    };
    let mut out = Vec::new();
    let summary = generate_like(&opts, Like::Mathlib, &mut out).expect("generate");
    (out, summary)
}

#[test]
fn block_count_is_exact_and_output_reads_back() {
    for blocks in [MIN_BLOCKS, 100, 1_000] {
        let (bytes, summary) = library(blocks, 7, false);
        assert_eq!(summary.stats.blocks, blocks);
        let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
        assert_eq!(env.decls.len(), blocks);
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let (a, _) = library(500, 1, false);
    let (b, _) = library(500, 1, false);
    let (c, _) = library(500, 2, false);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

#[test]
fn library_has_the_promised_shape() {
    let (_, summary) = library(5_000, 3, false);
    let s = summary.stats;
    assert!(s.inductive_blocks > 100, "{s:?}");
    assert!(s.mutual_blocks > 10, "{s:?}");
    assert!(s.definitions > 1_000 && s.theorems > 1_000, "{s:?}");
    assert_eq!(s.heavy, 3);
    assert!(summary.planted.is_none());
}

#[test]
fn reject_mode_plants_one_named_theorem() {
    let (bytes, summary) = library(1_000, 3, true);
    let planted = summary.planted.expect("a planted theorem");
    let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
    let names: Vec<String> = env
        .decls
        .iter()
        .flat_map(|d| d.names())
        .map(|n| n.to_string())
        .collect();
    assert!(names.contains(&planted));
    let (good, _) = library(1_000, 3, false);
    assert_ne!(good, bytes);
}

#[test]
fn too_few_blocks_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lib.ndjson");
    let opts = SynthOptions {
        blocks: 3,
        seed: 0,
        plant_error: false,
    };
    let err = write_file(&opts, &path).unwrap_err().to_string();
    assert!(err.contains("at least"), "{err}");
    assert!(!path.exists());
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn mathlib_like_block_count_is_exact_and_reads_back() {
    for blocks in [Like::Mathlib.min_blocks(), 250, 1_000] {
        let (bytes, summary) = mathlib_like(blocks, 5, false);
        assert_eq!(summary.stats.blocks, blocks);
        let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
        assert_eq!(env.decls.len(), blocks);
    }
}

#[test]
fn mathlib_like_is_deterministic_per_seed() {
    let (a, _) = mathlib_like(600, 1, false);
    let (b, _) = mathlib_like(600, 1, false);
    let (c, _) = mathlib_like(600, 2, false);
    assert_eq!(a, b);
    assert_ne!(a, c);
}

/// Classes with projections and instances, indexed families,
/// universe-polymorphic lemmas, instance-implicit binders, and the NDJSON weight per declaration that
/// the shape is fitted to (Mathlib's ~7.5 KB; well above the light ~0.7 KB).
#[test]
fn mathlib_like_has_the_promised_shape() {
    let blocks = 2_000;
    let (bytes, summary) = mathlib_like(blocks, 3, false);
    assert_eq!(summary.classes, blocks / ix_synth::mathlib::FILE_SIZE + 1);
    assert_eq!(
        summary.instances,
        summary.classes * ix_synth::mathlib::CARRIERS
    );
    let per_decl = bytes.len() / blocks;
    assert!(
        (5_000..10_000).contains(&per_decl),
        "{per_decl} bytes per declaration"
    );
    let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
    let polymorphic = env
        .decls
        .iter()
        .filter(
            |d| matches!(d, ix_lean::Declaration::Theorem(t) if !t.cval.level_params.is_empty()),
        )
        .count();
    let theorems = summary.stats.theorems;
    assert!(
        polymorphic * 3 > theorems,
        "{polymorphic} of {theorems} theorems polymorphic"
    );
    let families = env
        .decls
        .iter()
        .filter(|d| match d {
            ix_lean::Declaration::Inductive(b) => b
                .types
                .iter()
                .any(|t| t.num_indices > 0 && t.cval.name.to_string() != "Eq"),
            _ => false,
        })
        .count();
    assert_eq!(families, summary.classes - 1, "one indexed family per file");
    let text = String::from_utf8(bytes).expect("UTF-8");
    assert!(text.contains("\"instImplicit\""));
    assert!(text.contains("\"proj\""));
    assert!(text.contains("toParent"));
}

#[test]
fn mathlib_like_plants_one_named_theorem() {
    let (bytes, summary) = mathlib_like(1_000, 3, true);
    let planted = summary.planted.expect("a planted theorem");
    let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
    let theorem = env.decls.iter().find_map(|d| match d {
        ix_lean::Declaration::Theorem(t) if t.cval.name.to_string() == planted => Some(t),
        _ => None,
    });
    assert!(
        theorem.is_some(),
        "{planted} is not a theorem of the library"
    );
    let (good, _) = mathlib_like(1_000, 3, false);
    assert_ne!(good, bytes);
}

#[test]
fn mathlib_like_below_its_opening_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("lib.ndjson");
    let opts = SynthOptions {
        blocks: Like::Mathlib.min_blocks() - 1,
        seed: 0,
        plant_error: false,
    };
    let err = write_file_like(&opts, Like::Mathlib, &path)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(&Like::Mathlib.min_blocks().to_string()),
        "{err}"
    );
    assert!(!path.exists());
}
