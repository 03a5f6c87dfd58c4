//! Generates one ignored test per bundled export (`tests/kernel.rs`
//! includes them): the rows of `tests/data/lean-exports/MANIFEST.tsv` and
//! every `tests/data/kernel-rules/**/NAME.{accept,reject,decline}.ndjson`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let data = Path::new(&env("CARGO_MANIFEST_DIR")).join("../../tests/data");
    let manifest = data.join("lean-exports/MANIFEST.tsv");
    let rules = data.join("kernel-rules");
    println!("cargo:rerun-if-changed={}", manifest.display());
    println!("cargo:rerun-if-changed={}", rules.display());
    let mut exports = manifest_rows(&manifest);
    let mut rule_files = Vec::new();
    walk(&rules, &mut rule_files);
    rule_files.sort();
    for path in rule_files {
        let rel = path.strip_prefix(&data).unwrap_or(&path);
        exports.push(rel.to_string_lossy().replace('\\', "/"));
    }
    let mut out = String::new();
    let mut names = std::collections::HashSet::new();
    for rel in &exports {
        let mut name = format!("ixvm_export_{}", identifier(rel));
        while !names.insert(name.clone()) {
            name.push('_');
        }
        let _ = writeln!(
            out,
            "#[test]\n#[ignore = \"in-circuit CheckEnv on one bundled export (release mode)\"]\n\
             fn {name}() {{\n    export_verdict_is_pinned_and_agrees({rel:?});\n}}\n"
        );
    }
    let dest = Path::new(&env("OUT_DIR")).join("export_tests.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("writing {}: {e}", dest.display());
    }
}

fn env(key: &str) -> String {
    std::env::var(key).unwrap_or_else(|_| panic!("cargo sets {key}"))
}

/// `lean-exports/<path>` for every manifest row after the header.
fn manifest_rows(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest)
        .unwrap_or_else(|e| panic!("reading {}: {e}", manifest.display()));
    text.lines()
        .skip(1)
        .filter_map(|l| l.split('\t').next())
        .filter(|p| !p.is_empty())
        .map(|p| format!("lean-exports/{p}"))
        .collect()
}

/// The `NAME.VERDICT.ndjson` files under `dir`.
fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()));
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out);
        } else if path
            .file_name()
            .and_then(|n| n.to_str())
            .and_then(|n| n.strip_suffix(".ndjson"))
            .is_some_and(|stem| stem.contains('.'))
        {
            out.push(path);
        }
    }
}

/// A Rust identifier from a path: lowercase alphanumerics, `_` elsewhere.
fn identifier(rel: &str) -> String {
    let stem = rel.strip_suffix(".ndjson").unwrap_or(rel);
    stem.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect()
}
