//! The `ix check` command: load an environment, check it, and describe the
//! verdict (exit 0 accept, 1 reject, 2 decline).

use crate::check::{check_environment, CheckOptions, CheckReport};
use crate::error::KernelError;
use std::path::Path;

/// Exit codes of the arena checker protocol.
pub const EXIT_ACCEPT: u8 = 0;
pub const EXIT_REJECT: u8 = 1;
pub const EXIT_DECLINE: u8 = 2;

/// What `ix check` prints and returns.
#[derive(Debug)]
pub struct CheckOutcome {
    pub exit_code: u8,
    /// One line: the verdict, naming the first failing declaration.
    pub message: String,
    /// Absent when the input could not be loaded.
    pub report: Option<CheckReport>,
}

/// Loads the environment to check. Today the input is a lean4export NDJSON
/// file; other input forms (Ixon) plug in here.
pub fn load_environment(path: &Path) -> Result<ix_lean::Environment, String> {
    ix_lean::ndjson::read_file(path).map_err(|e| e.to_string())
}

/// Runs the whole check of one input file.
pub fn check_file(path: &Path, options: &CheckOptions) -> CheckOutcome {
    let env = match load_environment(path) {
        Ok(env) => env,
        Err(e) => {
            return CheckOutcome {
                exit_code: EXIT_REJECT,
                message: format!("reject: malformed input: {e}"),
                report: None,
            }
        }
    };
    let report = check_environment(&env, options);
    let (exit_code, message) = match &report.result {
        Ok(()) => (
            EXIT_ACCEPT,
            format!(
                "accept: {} declarations, {} constants checked",
                report.declarations,
                report.constants.len()
            ),
        ),
        Err(e @ KernelError::Reject { .. }) => (EXIT_REJECT, format!("reject: {e}")),
        Err(e @ KernelError::Decline { .. }) => (EXIT_DECLINE, format!("decline: {e}")),
    };
    CheckOutcome {
        exit_code,
        message,
        report: Some(report),
    }
}

/// The machine-readable report: verdict, first failure, per-constant heartbeats.
pub fn outcome_json(outcome: &CheckOutcome) -> serde_json::Value {
    let verdict = match outcome.exit_code {
        EXIT_ACCEPT => "accept",
        EXIT_DECLINE => "decline",
        _ => "reject",
    };
    let mut v = serde_json::json!({
        "verdict": verdict,
        "message": outcome.message,
    });
    if let Some(report) = &outcome.report {
        if let Err(e) = &report.result {
            v["failure"] = serde_json::json!({
                "declaration": e.decl().to_string(),
                "reason": e.reason(),
            });
        }
        let constants: Vec<serde_json::Value> = report
            .constants
            .iter()
            .map(|c| serde_json::json!({"name": c.name.to_string(), "heartbeats": c.heartbeats}))
            .collect();
        v["declarations"] = report.declarations.into();
        v["total_heartbeats"] = report
            .constants
            .iter()
            .map(|c| c.heartbeats)
            .sum::<u64>()
            .into();
        v["constants"] = constants.into();
    }
    v
}
