//! What the ix crates' tests share, written once: where the repository's
//! test data is, the bundled lean4export files with the verdicts
//! `tests/data/lean-exports/MANIFEST.tsv` expects of them, and builders for
//! hand-made terms ([`terms`], over `ix_lean::build`). A dev-dependency only.

pub mod terms;

pub use ix_base::Verdict;
use std::path::{Path, PathBuf};

/// `tests/data` at the repository's root.
pub fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data")
}

/// The bundled exports' folder, `tests/data/lean-exports`.
pub fn exports_dir() -> PathBuf {
    data_dir().join("lean-exports")
}

/// One bundled export, as its manifest row describes it.
#[derive(Clone, Debug)]
pub struct Export {
    /// The path relative to [`exports_dir`].
    pub path: String,
    /// Lean's verdict (accept or reject).
    pub expected: Verdict,
    /// The number of declaration lines in the file.
    pub decl_lines: usize,
}

impl Export {
    /// The file's full path.
    pub fn file(&self) -> PathBuf {
        exports_dir().join(&self.path)
    }
}

/// Every bundled export, in manifest order (panics on a malformed manifest:
/// the tests need it whole).
pub fn exports() -> Vec<Export> {
    let manifest = exports_dir().join("MANIFEST.tsv");
    let text = std::fs::read_to_string(&manifest)
        .unwrap_or_else(|e| panic!("{}: {e}", manifest.display()));
    text.lines()
        .skip(1)
        .enumerate()
        .map(|(i, line)| {
            let row = |what: &str| panic!("{} row {}: {what}: {line}", manifest.display(), i + 2);
            let cols: Vec<&str> = line.split('\t').collect();
            let [path, expected, _, _, _, decl_lines, ..] = cols[..] else {
                row("too few columns")
            };
            Export {
                path: path.to_string(),
                expected: Verdict::parse(expected).unwrap_or_else(|| row("no verdict")),
                decl_lines: decl_lines.parse().unwrap_or_else(|_| row("no line count")),
            }
        })
        .collect()
}

/// Runs `check` (the verdict and its message) on every bundled export, and
/// fails, listing them all, if any verdict differs from the manifest's.
pub fn assert_manifest_verdicts(mut check: impl FnMut(&Export) -> (Verdict, String)) {
    let exports = exports();
    let wrong: Vec<String> = exports
        .iter()
        .filter_map(|e| {
            let (got, message) = check(e);
            (got != e.expected).then(|| {
                let (expected, got) = (e.expected.as_str(), got.as_str());
                format!("{}: expected {expected}, got {got} {message}", e.path)
            })
        })
        .collect();
    let passed = exports.len() - wrong.len();
    eprintln!("manifest: {passed}/{} pass", exports.len());
    assert!(
        wrong.is_empty(),
        "{} wrong verdicts:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_manifest_lists_every_bundled_export() {
        let exports = super::exports();
        assert_eq!(exports.len(), 136);
        assert!(exports.iter().all(|e| e.file().is_file()));
    }
}
