//! End-to-end: `ix compile` and `ix info` on real exports and on bad input.
//! Bad input must give one line naming the file and the line or byte, a
//! non-zero exit, and no output file.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn ix(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(args)
        .output()
        .expect("run ix")
}

fn exports() -> PathBuf {
    ix_testkit::exports_dir()
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf-8 path")
}

fn stderr_line(out: &Output) -> String {
    let text = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(text.trim_end().lines().count(), 1, "one line: {text}");
    text.trim_end().to_string()
}

const META: &str = r#"{"meta":{"exporter":{"name":"lean4export","version":"3.1.0"},"format":{"version":"3.1.0"},"lean":{"githash":"","version":"4"}}}"#;

#[test]
fn every_bundled_export_compiles_and_reads_back() {
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<String> = ix_testkit::exports().into_iter().map(|e| e.path).collect();
    assert_eq!(paths.len(), 136);
    for (i, rel) in paths.iter().enumerate() {
        let out_path = dir.path().join(format!("{i}.ixe"));
        let out = ix(&["compile", s(&exports().join(rel)), "-o", s(&out_path)]);
        assert!(
            out.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let info = ix(&["info", s(&out_path), "--json"]);
        assert!(
            info.status.success(),
            "{rel}: {}",
            String::from_utf8_lossy(&info.stderr)
        );
        let v: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
        assert_eq!(
            v["bytes"].as_u64(),
            Some(std::fs::metadata(&out_path).unwrap().len()),
            "{rel}"
        );
    }
}

#[test]
fn compiling_twice_is_byte_identical_and_info_is_pinned() {
    let dir = tempfile::tempdir().unwrap();
    let input = exports().join("lean4export/Nat.add_succ.ndjson");
    let (a, b) = (dir.path().join("a.ixe"), dir.path().join("b.ixe"));
    assert!(ix(&["compile", s(&input), "-o", s(&a)]).status.success());
    assert!(ix(&["compile", s(&input), "-o", s(&b)]).status.success());
    assert_eq!(std::fs::read(&a).unwrap(), std::fs::read(&b).unwrap());
    let info = ix(&["info", s(&a), "--json"]);
    assert!(info.status.success());
    insta::assert_snapshot!("info_nat_add_succ", String::from_utf8_lossy(&info.stdout));
    let text = ix(&["info", s(&a)]);
    assert!(String::from_utf8_lossy(&text.stdout).contains("blocks        25 (12 mutual)"));
}

/// Compiles NDJSON text; returns the error line (asserting failure, no output).
fn compile_error(ndjson: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.ndjson");
    std::fs::write(&input, ndjson).unwrap();
    let output = dir.path().join("out.ixe");
    let out = ix(&["compile", s(&input), "-o", s(&output)]);
    assert_eq!(out.status.code(), Some(3));
    assert!(!output.exists(), "no partial output");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "no temp files left"
    );
    stderr_line(&out)
}

#[test]
fn bad_ndjson_is_one_line_with_file_and_line() {
    let e = compile_error(&format!(
        "{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{oops\n"
    ));
    assert!(e.contains("in.ndjson:3: malformed JSON"), "{e}");
    let e = compile_error(&format!("{META}\n{{\"ie\":0,\"sort\":0}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":9,\"type\":0}}}}\n"));
    assert!(e.contains("in.ndjson:3: undefined name index 9"), "{e}");
    let e = compile_error(&format!("{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"ie\":0,\"sort\":4}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":0}}}}\n"));
    assert!(e.contains("in.ndjson:3: undefined level index 4"), "{e}");
    let e = compile_error(&format!("{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":7}}}}\n"));
    assert!(
        e.contains("in.ndjson:3: undefined expression index 7"),
        "{e}"
    );
}

#[test]
fn reference_to_a_later_name_is_a_compile_error() {
    // A : B, where B is declared after A.
    let text = format!(
        "{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"in\":2,\"str\":{{\"pre\":0,\"str\":\"B\"}}}}\n{{\"ie\":0,\"const\":{{\"name\":2,\"us\":[]}}}}\n{{\"ie\":1,\"sort\":0}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":0}}}}\n{{\"axiom\":{{\"isUnsafe\":false,\"levelParams\":[],\"name\":2,\"type\":1}}}}\n"
    );
    let e = compile_error(&text);
    assert!(
        e.ends_with("A refers to B, which is not declared before it"),
        "{e}"
    );
    assert!(e.contains("in.ndjson"), "{e}");
}

/// Writes a good `.ixe`, lets `corrupt` change its bytes, returns `ix info`'s error.
fn info_error(corrupt: impl FnOnce(&mut Vec<u8>)) -> String {
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ixe");
    let input = exports().join("lean4export/Nat.add_succ.ndjson");
    assert!(ix(&["compile", s(&input), "-o", s(&good)]).status.success());
    let mut bytes = std::fs::read(&good).unwrap();
    corrupt(&mut bytes);
    let bad = dir.path().join("bad.ixe");
    std::fs::write(&bad, &bytes).unwrap();
    let out = ix(&["info", s(&bad)]);
    assert_eq!(out.status.code(), Some(3));
    let line = stderr_line(&out);
    assert!(line.contains("bad.ixe: byte "), "{line}");
    line
}

#[test]
fn bad_ixe_files_are_one_line_with_file_and_byte() {
    let e = info_error(|b| b.truncate(b.len() / 2));
    assert!(
        e.contains("end of data") || e.contains("exceeds") || e.contains("runs past"),
        "{e}"
    );
    // A byte inside the first constant's body (after header, root, main, assumptions, blobs).
    let e = info_error(|b| {
        let at = b.len() / 3;
        b[at] ^= 0x40;
    });
    assert!(!e.is_empty());
    // A version 2 file, as written before node tables carried their length.
    let e = info_error(|b| b[0] = 0xE2);
    assert!(e.contains("byte 0: unsupported .ixe version 2"), "{e}");
    let e = info_error(|b| b.push(0));
    assert!(e.contains("trailing"), "{e}");
}

#[test]
fn flipped_constant_byte_is_a_hash_mismatch() {
    // The last byte of the constants section is the last byte of the last
    // constant's body: flipping it keeps the framing and breaks the hash.
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good.ixe");
    let input = exports().join("lean4export/Nat.add_succ.ndjson");
    assert!(ix(&["compile", s(&input), "-o", s(&good)]).status.success());
    let info = ix(&["info", s(&good), "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&info.stdout).unwrap();
    let sec = &v["section_bytes"];
    let end: u64 = [
        "header",
        "root",
        "main",
        "assumptions",
        "blobs",
        "constants",
    ]
    .iter()
    .map(|k| sec[*k].as_u64().unwrap())
    .sum();
    let mut bytes = std::fs::read(&good).unwrap();
    bytes[end as usize - 1] ^= 0x01;
    let bad = dir.path().join("bad.ixe");
    std::fs::write(&bad, &bytes).unwrap();
    let out = ix(&["info", s(&bad)]);
    assert_eq!(out.status.code(), Some(3));
    let line = stderr_line(&out);
    assert!(
        line.contains("bad.ixe: byte ") && line.contains("hash mismatch"),
        "{line}"
    );
    // A check reads the file entry by entry, and still refuses it whole.
    let out = ix(&["check", "-q", s(&bad)]);
    assert_eq!(out.status.code(), Some(1));
    let line = String::from_utf8_lossy(&out.stdout);
    assert!(
        line.contains("reject: malformed input") && line.contains("hash mismatch"),
        "{line}"
    );
}

#[test]
fn missing_input_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = ix(&[
        "compile",
        s(&dir.path().join("nope.ndjson")),
        "-o",
        s(&dir.path().join("o.ixe")),
    ]);
    assert_eq!(out.status.code(), Some(3));
    assert!(stderr_line(&out).contains("nope.ndjson"));
    let out = ix(&["info", s(&dir.path().join("nope.ixe"))]);
    assert_eq!(out.status.code(), Some(3));
}

#[test]
fn deep_application_chain_compiles_through_the_cli() {
    let mut text = format!(
        "{META}\n{{\"in\":1,\"str\":{{\"pre\":0,\"str\":\"A\"}}}}\n{{\"ie\":0,\"sort\":0}}\n"
    );
    for i in 1..100_000 {
        text.push_str(&format!(
            "{{\"ie\":{i},\"app\":{{\"fn\":{},\"arg\":0}}}}\n",
            i - 1
        ));
    }
    text.push_str(
        "{\"axiom\":{\"isUnsafe\":false,\"levelParams\":[],\"name\":1,\"type\":99999}}\n",
    );
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("deep.ndjson");
    std::fs::write(&input, text).unwrap();
    let output = dir.path().join("deep.ixe");
    let out = ix(&["compile", s(&input), "-o", s(&output)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(ix(&["info", s(&output)]).status.success());
}
