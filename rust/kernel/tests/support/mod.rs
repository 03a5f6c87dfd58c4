//! What the hand-made rule tests share: the export header, a prelude from a
//! real export, the verdict of an environment, and keeping the stored rule files equal to the
//! environments the tests build (`IX_REGENERATE=1` rewrites them).
//! Each test binary uses a part of it.
#![allow(dead_code)]

use ix_kernel::{check_environment, CheckOptions, KernelError};
use ix_lean::{ndjson, ndjson_write, Declaration, Environment, ExportMeta};
use std::path::Path;

fn meta() -> ExportMeta {
    ExportMeta {
        exporter_name: "ix-kernel tests".into(),
        exporter_version: "3.1.0".into(),
        format_version: "3.1.0".into(),
        lean_version: "hand-made".into(),
        lean_githash: String::new(),
    }
}

pub fn env(decls: Vec<Declaration>) -> Environment {
    Environment {
        meta: meta(),
        decls,
    }
}

/// Nat (with `Nat.add` defined by structural recursion), Eq and their
/// friends from a real export, less its theorems.
pub fn nat_prelude() -> Vec<Declaration> {
    ix_testkit::terms::read_export("lean4export/Nat.add_succ.ndjson")
        .decls
        .into_iter()
        .filter(|d| !matches!(d, Declaration::Theorem(_)))
        .collect()
}

/// `("accept" | "reject" | "decline", the kernel's message)`.
pub fn verdict(e: &Environment) -> (String, String) {
    match check_environment(e, &CheckOptions::default()).result {
        Ok(()) => ("accept".into(), String::new()),
        Err(e @ KernelError::Reject { .. }) => ("reject".into(), e.to_string()),
        Err(e @ KernelError::Decline { .. }) => ("decline".into(), e.to_string()),
    }
}

/// The verdict of a stored export. One that does not read is rejected, as
/// `ix check` and the arena protocol (exit 1) do.
pub fn file_verdict(path: &Path) -> (String, String) {
    match ndjson::read_file(path) {
        Ok(e) => verdict(&e),
        Err(e) => ("reject".into(), e.to_string()),
    }
}

/// Asserts that every `NAME.VERDICT.ndjson` directly in `dir` parses and
/// gets the verdict its name ends in; returns how many files there are.
pub fn assert_stored_verdicts(dir: &Path) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).expect("rules dir") {
        let path = entry.expect("dir entry").path();
        let file = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .to_string();
        let Some(stem) = file.strip_suffix(".ndjson") else {
            continue;
        };
        let expected = stem.rsplit('.').next().unwrap_or_default();
        let e = ndjson::read_file(&path).expect("stored file parses");
        let (got, why) = verdict(&e);
        assert_eq!(got, expected, "{file}: {why}");
        count += 1;
    }
    count
}

/// Asserts that `dir/NAME` holds each text exactly (`IX_REGENERATE=1`
/// rewrites them).
pub fn assert_text_files_current<'a>(
    dir: &Path,
    files: impl IntoIterator<Item = (&'a str, &'a str)>,
) {
    let regenerate = std::env::var_os("IX_REGENERATE").is_some();
    if regenerate {
        std::fs::create_dir_all(dir).expect("create the rules dir");
    }
    for (name, text) in files {
        let path = dir.join(name);
        if regenerate {
            std::fs::write(&path, text).expect("write rule file");
        }
        let stored = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            stored == text,
            "{} is stale or missing: run with IX_REGENERATE=1",
            path.display()
        );
    }
}

/// A hand-made case: the rule it pins, the verdict it must get, a piece of
/// the kernel's reason (empty for an accept), and the export.
pub type Case = (&'static str, &'static str, &'static str, Environment);

/// A case the kernel must accept.
pub fn accept(rule: &'static str, e: Environment) -> Case {
    (rule, "accept", "", e)
}

/// A case the kernel must reject, for a reason that contains `reason`.
pub fn reject(rule: &'static str, reason: &'static str, e: Environment) -> Case {
    (rule, "reject", reason, e)
}

/// A case the kernel must decline, for a reason that contains `reason`.
pub fn decline(rule: &'static str, reason: &'static str, e: Environment) -> Case {
    (rule, "decline", reason, e)
}

/// Asserts that `dir/RULE.EXPECTED.ndjson` holds each case's export
/// exactly and `dir` no other rule file, and that every case (and stored
/// file) gets its verdict, for the case's reason.
pub fn assert_cases(dir: &Path, cases: &[Case]) {
    assert_rule_files_current(
        dir,
        cases
            .iter()
            .map(|(rule, expected, _, e)| (*rule, *expected, e)),
    );
    assert_eq!(assert_stored_verdicts(dir), cases.len());
    let mut wrong = Vec::new();
    for (rule, expected, reason, e) in cases {
        let (got, why) = verdict(e);
        if got != *expected || !why.contains(reason) {
            wrong.push(format!("{rule}.{expected}: got {got}: {why}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Asserts that `dir/RULE.EXPECTED.ndjson` holds each environment exactly.
pub fn assert_rule_files_current<'a>(
    dir: &Path,
    rules: impl IntoIterator<Item = (&'a str, &'a str, &'a Environment)>,
) {
    let regenerate = std::env::var_os("IX_REGENERATE").is_some();
    if regenerate {
        std::fs::create_dir_all(dir).expect("create the rules dir");
    }
    for (rule, expected, e) in rules {
        let path = dir.join(format!("{rule}.{expected}.ndjson"));
        let bytes = ndjson_write::write_environment(Vec::new(), e).expect("write to memory");
        if regenerate {
            std::fs::write(&path, &bytes).expect("write rule file");
        }
        let stored = std::fs::read(&path).unwrap_or_default();
        assert!(
            stored == bytes,
            "{} is stale or missing: run with IX_REGENERATE=1",
            path.display()
        );
    }
}
