//! `ix ixvm check ENV.ixe [--claim check-env | --claim check:NAME] [--variant ...] [--stats] [--json]`:
//! run a claim's ingress circuits on an environment; exit 0 if it executes, 1 if not.

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
    /// `new` (all #432 optimizations), `old`, or knob=side,... (e.g. env=per-leaf,lookup=linear).
    #[arg(long, default_value = "new")]
    variant: String,
    /// Print the per-circuit statistics.
    #[arg(long)]
    stats: bool,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
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
    let report = check_file(&a.file, &spec, variant).map_err(|e| match e {
        // A file error already names the file.
        IxvmError::Env(e) => e.to_string(),
        other => format!("{}: {other}", a.file.display()),
    })?;
    let verdict = match &report.verdict {
        Ok(out) => format!(
            "accept (constants {}, kernel constants {}, assumptions {})",
            out[0], out[1], out[2]
        ),
        Err(e) => format!("reject: {e}"),
    };
    if a.json {
        let obj = serde_json::json!({
            "claim_digest": report.claim.digest().hex(),
            "variant": variant.to_string(),
            "accepted": report.accepted(),
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
    Ok(u8::from(!report.accepted()))
}
