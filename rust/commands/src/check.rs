//! `ix check`: load, check, and describe the verdict with the
//! arena's exit codes (0 accept, 1 reject, 2 decline).

use crate::input::{invalid, load_checkable, Checkable, InputError};
use ix_base::Verdict;
use ix_kernel::{check_owned_environment, check_stream, CheckOptions, CheckReport, KernelError};
use std::path::Path;

/// The verdict, a one-line message naming the first failing declaration,
/// and the kernel's report (absent when the input did not load).
#[derive(Debug)]
pub struct CheckOutcome {
    pub verdict: Verdict,
    pub message: String,
    pub report: Option<CheckReport>,
}

/// Checks the environment in `path` (`.ndjson` or `.ixe`). Malformed input
/// is a reject, as the arena protocol wants; input that cannot be read at all
/// (missing, a directory, no permission, not a file) gets no verdict: it is
/// the error.
pub fn check_input(path: &Path, options: &CheckOptions) -> Result<CheckOutcome, InputError> {
    ensure_readable(path)?;
    let malformed = |e: InputError| CheckOutcome {
        verdict: Verdict::Reject,
        message: format!("reject: malformed input: {e}"),
        report: None,
    };
    let checked = load_checkable(path).and_then(|checkable| match checkable {
        Checkable::Export(stream) => Ok(check_stream(stream, options)?),
        Checkable::Decompiled(env) => Ok(check_owned_environment(env, options)),
    });
    let report = match checked {
        Ok(report) => report,
        Err(e) => return Ok(malformed(e)),
    };
    let (verdict, message) = match &report.result {
        Ok(()) => (
            Verdict::Accept,
            format!("accept: {} declarations checked", report.declarations),
        ),
        Err(e @ KernelError::Reject { .. }) => (Verdict::Reject, format!("reject: {e}")),
        Err(e @ KernelError::Decline { .. }) => (Verdict::Decline, format!("decline: {e}")),
    };
    Ok(CheckOutcome {
        verdict,
        message,
        report: Some(report),
    })
}

/// Opens `path` for reading: a file, a pipe or a character device (such as
/// `/dev/stdin`); anything else, or a failure to open, is the error.
fn ensure_readable(path: &Path) -> Result<(), InputError> {
    let unreadable = |e: std::io::Error| invalid(path, format!("cannot read: {e}"));
    let kind = std::fs::metadata(path).map_err(unreadable)?.file_type();
    if kind.is_dir() {
        return Err(invalid(path, "is a directory, not an .ixe or .ndjson file"));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if !(kind.is_file() || kind.is_fifo() || kind.is_char_device()) {
            return Err(invalid(path, "is not a regular file"));
        }
    }
    std::fs::File::open(path).map_err(unreadable)?;
    Ok(())
}

/// The machine-readable report: verdict, first failure, per-constant heartbeats.
pub fn outcome_json(outcome: &CheckOutcome) -> serde_json::Value {
    let mut v = serde_json::json!({
        "verdict": outcome.verdict.as_str(),
        "message": outcome.message,
    });
    let Some(report) = &outcome.report else {
        return v;
    };
    if let Err(e) = &report.result {
        v["failure"] = serde_json::json!({
            "declaration": e.decl().to_string(),
            "reason": e.reason(),
        });
    }
    v["declarations"] = report.declarations.into();
    v["total_heartbeats"] = report
        .constants
        .iter()
        .map(|c| c.heartbeats)
        .sum::<u64>()
        .into();
    v["constants"] = report
        .constants
        .iter()
        .map(|c| serde_json::json!({"name": c.name.to_string(), "heartbeats": c.heartbeats}))
        .collect::<Vec<_>>()
        .into();
    v
}
