//! What the end-to-end tests share: running the built `ix`, paths as text,
//! and a small bundled export.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn ix(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(args)
        .output()
        .expect("run ix")
}

pub fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// `Nat.add_succ`, a real lean4export file.
pub fn export() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/lean-exports/lean4export/Nat.add_succ.ndjson")
}
