//! The kernel's fuzz target bodies, shared by the libFuzzer targets (nightly,
//! cargo fuzz) and by the root `tests/fuzz_bodies.rs` (stable, a corpus plus
//! bounded random mutations). A body fails by panicking.

use ix_kernel::{check_environment, CheckOptions, TcOptions};

/// Any bytes: the NDJSON reader returns an error or an environment, and the
/// checker returns a verdict (accept, reject or decline) without panicking,
/// overflowing its stack or running past the fuzzer's time limit.
pub fn check_bytes(data: &[u8]) {
    check(data, "fuzz.ndjson");
}

/// Small mutations of real exports (a number changed, two numbers swapped, a
/// line dropped or repeated), so that most inputs still parse and reach the
/// deeper checks (inductive blocks, recursors, reduction) with an index,
/// level or field slightly wrong. The first byte picks the export, each
/// following four bytes one mutation (at most eight). The checker must
/// return a verdict without panicking or hanging.
pub fn mutate_exports(data: &[u8]) {
    let Some((&which, ops)) = data.split_first() else {
        return;
    };
    let mut text = EXPORTS[usize::from(which) % EXPORTS.len()].to_string();
    for chunk in ops.chunks_exact(4).take(8) {
        text = mutate(&text, chunk);
    }
    check(text.as_bytes(), "mutated.ndjson");
}

/// Reads `data` as an export and checks it on one thread with a small
/// heartbeat budget, so every input ends quickly with some verdict.
fn check(data: &[u8], name: &str) {
    let Ok(env) = ix_lean::ndjson::read(data, name) else {
        return;
    };
    let options = CheckOptions {
        tc: TcOptions {
            budget: 50_000,
            ..Default::default()
        },
        threads: 1,
        ..Default::default()
    };
    let _ = check_environment(&env, &options).result;
}

macro_rules! export {
    ($path:literal) => {
        include_str!(concat!("../../../tests/data/lean-exports/", $path))
    };
}

const EXPORTS: [&str; 16] = [
    export!("vow-lean-kernel/tests/good/tutorial/063_nRec.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/066_existsRec.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/072_listRecReduction.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/075_Prod.snd.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/080_projProp1.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/090_ruleK.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/094_natLitEq.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/099_structEta.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/109_rTreeRec.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/112_accRecReduction.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/118_quotLiftReduction.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/027_letTypeDep.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/101_funEtaDep.ndjson"),
    export!("vow-lean-kernel/tests/good/tutorial/086_projDataIndexRec.ndjson"),
    export!("vow-lean-kernel/tests/good/context-cache-distinct-binders.ndjson"),
    export!("lean4export/Nat.add_succ.ndjson"),
];

/// Byte offsets and lengths of the decimal numbers in `text`.
fn numbers(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i].is_ascii_digit() {
            let start = i;
            while i < bytes.len() && bytes[i].is_ascii_digit() {
                i += 1;
            }
            out.push((start, i - start));
        } else {
            i += 1;
        }
    }
    out
}

/// Applies the mutation the next four bytes of `ops` describe.
fn mutate(text: &str, ops: &[u8]) -> String {
    let [kind, a, b, c] = [ops[0], ops[1], ops[2], ops[3]];
    let pick = |hi: u8, lo: u8, len: usize| (usize::from(hi) << 8 | usize::from(lo)) % len.max(1);
    match kind % 4 {
        // Replace one number by a small value or a neighbour of it.
        0 | 1 => {
            let nums = numbers(text);
            let Some(&(start, len)) = nums.get(pick(a, b, nums.len())) else {
                return text.to_string();
            };
            let old: u64 = text[start..start + len].parse().unwrap_or(0);
            let new = match c % 4 {
                0 => old.wrapping_add(1),
                1 => old.saturating_sub(1),
                2 => u64::from(c >> 2),
                _ => old.wrapping_mul(u64::from(c) + 2),
            };
            format!("{}{}{}", &text[..start], new, &text[start + len..])
        }
        // Swap two numbers (two indices, usually).
        2 => {
            let nums = numbers(text);
            let i = pick(a, b, nums.len());
            let j = pick(b, c, nums.len());
            let (Some(&x), Some(&y)) = (nums.get(i.min(j)), nums.get(i.max(j))) else {
                return text.to_string();
            };
            if x == y {
                return text.to_string();
            }
            format!(
                "{}{}{}{}{}",
                &text[..x.0],
                &text[y.0..y.0 + y.1],
                &text[x.0 + x.1..y.0],
                &text[x.0..x.0 + x.1],
                &text[y.0 + y.1..]
            )
        }
        // Drop or repeat a line.
        _ => {
            let lines: Vec<&str> = text.lines().collect();
            let i = pick(a, b, lines.len());
            let mut out = Vec::with_capacity(lines.len() + 1);
            for (k, l) in lines.iter().enumerate() {
                if k != i || c % 2 == 1 {
                    out.push(*l);
                }
                if k == i && c % 2 == 1 {
                    out.push(*l);
                }
            }
            out.join("\n")
        }
    }
}
