use ix_synth::{generate_like, write_file_like, Like, SynthOptions, SynthSummary};

const LIKES: [Like; 2] = [Like::Light, Like::Mathlib];

fn synth(like: Like, blocks: usize, seed: u64, plant_error: bool) -> (Vec<u8>, SynthSummary) {
    let opts = SynthOptions {
        blocks,
        seed,
        plant_error,
    };
    let mut out = Vec::new();
    let summary = generate_like(&opts, like, &mut out).expect("generate");
    (out, summary)
}

#[test]
fn block_count_is_exact_and_output_reads_back() {
    for (like, middle) in [(Like::Light, 100), (Like::Mathlib, 250)] {
        for blocks in [like.min_blocks(), middle, 1_000] {
            let (bytes, summary) = synth(like, blocks, 7, false);
            assert_eq!(summary.stats.blocks, blocks, "{like:?}");
            let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
            assert_eq!(env.decls.len(), blocks, "{like:?}");
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    for like in LIKES {
        let (a, _) = synth(like, 600, 1, false);
        let (b, _) = synth(like, 600, 1, false);
        let (c, _) = synth(like, 600, 2, false);
        assert_eq!(a, b, "{like:?}");
        assert_ne!(a, c, "{like:?}");
    }
}

#[test]
fn library_has_the_promised_shape() {
    let (_, summary) = synth(Like::Light, 5_000, 3, false);
    let s = summary.stats;
    assert!(s.inductive_blocks > 100, "{s:?}");
    assert!(s.mutual_blocks > 10, "{s:?}");
    assert!(s.definitions > 1_000 && s.theorems > 1_000, "{s:?}");
    assert_eq!(s.heavy, 3);
    assert!(summary.planted.is_none());
}

/// Classes with projections and instances, indexed families,
/// universe-polymorphic lemmas, instance-implicit binders, and the NDJSON weight per declaration that
/// the shape is fitted to (Mathlib's ~7.5 KB; well above the light ~0.7 KB).
#[test]
fn mathlib_like_has_the_promised_shape() {
    let blocks = 2_000;
    let (bytes, summary) = synth(Like::Mathlib, blocks, 3, false);
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
fn reject_mode_plants_one_named_theorem() {
    for like in LIKES {
        let (bytes, summary) = synth(like, 1_000, 3, true);
        let planted = summary.planted.expect("a planted theorem");
        let env = ix_lean::ndjson::read(bytes.as_slice(), "synth").expect("reads back");
        let theorem = env.decls.iter().find_map(|d| match d {
            ix_lean::Declaration::Theorem(t) if t.cval.name.to_string() == planted => Some(t),
            _ => None,
        });
        assert!(theorem.is_some(), "{like:?}: {planted} is not a theorem");
        let (good, _) = synth(like, 1_000, 3, false);
        assert_ne!(good, bytes, "{like:?}");
    }
}

#[test]
fn too_few_blocks_is_refused_and_writes_nothing() {
    for like in LIKES {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("lib.ndjson");
        let min = like.min_blocks();
        let opts = SynthOptions {
            blocks: min - 1,
            seed: 0,
            plant_error: false,
        };
        let err = write_file_like(&opts, like, &path).unwrap_err().to_string();
        assert!(err.contains(&format!("at least {min}")), "{err}");
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
    }
}
