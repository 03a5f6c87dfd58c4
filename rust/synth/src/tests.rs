//! The output is a strict lean4export, as nanoda reads it, however much the
//! writer forgets; and what it remembers stays flat in the size.

use super::*;

/// Reads an export as nanoda does: every name, level and expression record
/// distinct and each kind's indices dense (names and levels from 1, index 0
/// being the implicit anonymous name and zero level; expressions from 0).
fn assert_strict_export(bytes: &[u8]) {
    use std::collections::HashSet;
    let text = std::str::from_utf8(bytes).expect("UTF-8");
    let mut seen: [HashSet<String>; 3] = Default::default();
    let mut next = [1u64, 1, 0];
    for (n, line) in text.lines().enumerate().skip(1) {
        let mut v: serde_json::Value = serde_json::from_str(line).expect("JSON");
        let obj = v.as_object_mut().expect("object");
        let Some((kind, idx)) = ["in", "il", "ie"]
            .iter()
            .enumerate()
            .find_map(|(k, key)| obj.remove(*key).map(|i| (k, i)))
        else {
            continue;
        };
        let idx = idx.as_u64().expect("index");
        assert_eq!(idx, next[kind], "line {}: index gap or reuse", n + 1);
        next[kind] += 1;
        let body = serde_json::to_string(obj).expect("re-serialize");
        assert!(
            seen[kind].insert(body),
            "line {}: duplicate record {line}",
            n + 1
        );
    }
    assert!(next[2] > 0, "no expressions");
}

#[test]
fn strict_reader_refuses_duplicates_and_gaps() {
    let header = r#"{"meta":{"exporter":{"name":"t","version":"0"},"format":{"version":"3.1.0"},"lean":{"githash":"","version":""}}}"#;
    let ok = format!("{header}\n{{\"bvar\":0,\"ie\":0}}\n{{\"bvar\":1,\"ie\":1}}\n");
    assert_strict_export(ok.as_bytes());
    for bad in [
        format!("{header}\n{{\"bvar\":0,\"ie\":0}}\n{{\"bvar\":0,\"ie\":1}}\n"),
        format!("{header}\n{{\"bvar\":0,\"ie\":0}}\n{{\"bvar\":1,\"ie\":2}}\n"),
    ] {
        let refused = std::panic::catch_unwind(|| assert_strict_export(bad.as_bytes()));
        assert!(refused.is_err(), "accepted {bad}");
    }
}

/// A library of `blocks` blocks that `write` streams into memory, and its
/// summary.
fn in_memory(
    blocks: usize,
    seed: u64,
    plant_error: bool,
    write: impl FnOnce(&SynthOptions, &mut Vec<u8>) -> io::Result<SynthSummary>,
) -> (Vec<u8>, SynthSummary) {
    let opts = SynthOptions {
        blocks,
        seed,
        plant_error,
    };
    let mut out = Vec::new();
    let summary = write(&opts, &mut out).expect("generate");
    (out, summary)
}

fn light(blocks: usize, plant_error: bool) -> (Vec<u8>, SynthSummary) {
    in_memory(blocks, 11, plant_error, |opts, out| generate(opts, out))
}

fn mathlib_like(blocks: usize, plant_error: bool, horizon: usize) -> (Vec<u8>, SynthSummary) {
    in_memory(blocks, 13, plant_error, |opts, out| {
        generate_mathlib(opts, horizon, out)
    })
}

/// Light files reach back a few files and to the hubs: the writer forgets
/// all but a bounded set of global records (the hubs' values).
#[test]
fn light_is_strict_and_forgets_old_files() {
    for (blocks, plant) in [(MIN_BLOCKS, false), (3_000, true)] {
        assert_strict_export(&light(blocks, plant).0);
    }
    let (long_bytes, long) = light(6_000, false);
    assert_strict_export(&long_bytes);
    let (short_bytes, short) = light(2_000, false);
    let records = |bytes: &[u8]| bytes.split(|&b| b == b'\n').count();
    let written = records(&long_bytes) - records(&short_bytes);
    let kept = long.peak_remembered - short.peak_remembered;
    assert!(
        kept * 10 < written,
        "{kept} more records remembered for {written} more written"
    );
}

#[test]
fn mathlib_like_is_strict() {
    for plant in [false, true] {
        assert_strict_export(&mathlib_like(1_200, plant, mathlib::HORIZON).0);
    }
}

/// Past the horizon whole classes are forgotten, retiring, narrowing and
/// file scopes all at work, and the output is still strict.
#[test]
fn mathlib_like_forgets_past_the_horizon_and_stays_strict() {
    let horizon = mathlib::MIN_HORIZON;
    let (bytes, long) = mathlib_like(100 * 3 * horizon, true, horizon);
    assert_strict_export(&bytes);
    assert!(long.classes_retired * 4 > long.classes, "{long:?}");
    let (_, short) = mathlib_like(100 * 2 * horizon, false, horizon);
    assert!(
        long.peak_remembered <= short.peak_remembered + short.peak_remembered / 10,
        "{} records remembered at {} files, {} at {}",
        long.peak_remembered,
        3 * horizon,
        short.peak_remembered,
        2 * horizon
    );
}
