//! `ix ixvm check ENV.ixe [--claim check-env | --claim check:NAME] [--variant ...] [--stats] [--json]`:
//! run a claim's ingress circuits on an environment; exit 0 if it executes,
//! 1 if it fails, 2 if an executor limit (call depth) stopped it: a decline.

use ix_ixvm::{check_file, ClaimSpec, IxvmError, Variant};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: IxvmCommand,
}

#[derive(clap::Subcommand)]
enum IxvmCommand {
    /// Run `verify_claim` on an environment: verdict and circuit cost table.
    Check(CheckArgs),
}

#[derive(clap::Args)]
struct CheckArgs {
    /// The environment (.ixe).
    file: PathBuf,
    /// `check-env`, or `check:NAME` (a declaration name or 64-hex address).
    #[arg(long, default_value = "check-env")]
    claim: String,
    /// `new` (every circuit optimization), `old` (none), or knob=side,... (e.g. env=per-leaf,lookup=linear).
    #[arg(long, default_value = "new")]
    variant: String,
    /// Print the per-circuit statistics.
    #[arg(long)]
    stats: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
    /// No progress spinner.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<u8, String> {
    let IxvmCommand::Check(a) = args.command;
    let spec = match a.claim.as_str() {
        "check-env" => ClaimSpec::CheckEnv,
        other => match other.strip_prefix("check:") {
            Some(name) => ClaimSpec::Check(name.to_string()),
            None => return Err(format!("unknown claim `{other}` (check-env or check:NAME)")),
        },
    };
    let variant = Variant::parse(&a.variant).map_err(|e| e.to_string())?;
    let progress = crate::progress::Progress::spinner("running the circuits", a.quiet);
    let report = check_file(&a.file, &spec, variant);
    progress.finish();
    let report = report.map_err(|e| match e {
        // A file error already names the file.
        IxvmError::Env(e) => e.to_string(),
        other => format!("{}: {other}", a.file.display()),
    })?;
    let (verdict, code) = match &report.verdict {
        Ok(out) => (
            format!(
                "accept (constants {}, kernel constants {}, assumptions {})",
                out[0], out[1], out[2]
            ),
            0,
        ),
        Err(e) if report.declined() => (format!("decline: {e}"), 2),
        Err(e) => (format!("reject: {e}"), 1),
    };
    if a.json {
        let obj = serde_json::json!({
            "claim_digest": report.claim.digest().hex(),
            "variant": variant.to_string(),
            "accepted": report.accepted(),
            "declined": report.declined(),
            "verdict": verdict,
            "stats": report.stats.as_ref().map(|s| s.to_json()),
        });
        println!("{obj}");
    } else {
        println!("claim {} ({variant})", report.claim.digest().hex());
        println!("{verdict}");
        if let (true, Some(s)) = (a.stats, &report.stats) {
            print!("{}", s.render());
        }
    }
    Ok(code)
}
