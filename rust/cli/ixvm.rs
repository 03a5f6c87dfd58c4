//! `ix ixvm check ENV.ixe [--claim check-env | --claim check:NAME] [--variant ...] [--max-steps N] [--stats] [--json]`:
//! run a claim's ingress and kernel circuits on an environment; exit 0 on
//! accept, 1 on reject, 2 on decline or a resource limit.

use ix_base::Verdict;
use ix_ixvm::{check_file, name_of, ClaimSpec, IxvmError, Outcome, Variant, DEFAULT_MAX_STEPS};
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
    /// Bytecode instructions the run may execute before it stops (a resource limit, not a reject).
    #[arg(long, default_value_t = DEFAULT_MAX_STEPS)]
    max_steps: u64,
    /// Print the per-circuit statistics.
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    print: crate::print::Print,
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
    let progress = crate::progress::Progress::spinner("running the circuits", &a.print.quiet);
    let checked = check_file(&a.file, &spec, variant, a.max_steps);
    progress.finish();
    let (report, env) = checked.map_err(|e| match e {
        // A file error already names the file.
        IxvmError::Env(e) => e.to_string(),
        other => format!("{}: {other}", a.file.display()),
    })?;
    let counts = |out: &[u64; 5]| {
        format!(
            "constants {}, kernel constants {}, assumptions {}, type-checked {}",
            out[0], out[1], out[2], out[3]
        )
    };
    let verdict = match (&report.outcome, &report.output) {
        (Outcome::Accept, Ok(out)) => format!("accept ({})", counts(out)),
        (Outcome::IngressOnly, Ok(out)) => format!(
            "ingress only, kernel off: nothing type-checked ({})",
            counts(out)
        ),
        (Outcome::Reject { error, constant }, _) => {
            let which = constant.map(|c| match name_of(&env, &c) {
                Some(name) => format!(" in constant {name} ({})", c.hex()),
                None => format!(" in constant {}", c.hex()),
            });
            format!("reject{}: {error}", which.unwrap_or_default())
        }
        (Outcome::Decline { reason }, _) => format!("decline: {reason}"),
        (Outcome::ResourceLimit(e), _) => format!("resource limit: {e}"),
        (_, Err(e)) => format!("reject: {e}"),
    };
    // Without the kernel there is no verdict: as undecided as a decline.
    let code = report
        .outcome
        .verdict()
        .map_or(Verdict::Decline.exit_code(), Verdict::exit_code);
    let trusted = trusted_operations(&report.claim.trusted());
    if a.print.json {
        let obj = serde_json::json!({
            "claim_digest": report.claim.digest().hex(),
            "variant": variant.to_string(),
            "accepted": report.accepted(),
            "declined": report.declined(),
            "verdict": verdict,
            "trusted": trusted
                .iter()
                .map(|(op, a)| serde_json::json!({"operation": op, "address": a.hex()}))
                .collect::<Vec<_>>(),
            "stats": report.stats.as_ref().map(|s| s.to_json()),
        });
        println!("{obj}");
    } else {
        println!("claim {} ({variant})", report.claim.digest().hex());
        // Part of what the claim says: a verifier must read it too.
        for (op, address) in &trusted {
            println!("trusts {op} = {}", address.hex());
        }
        println!("{verdict}");
        if let (true, Some(s)) = (a.stats, &report.stats) {
            print!("{}", s.render());
        }
    }
    Ok(code)
}

/// The operations a claim trusts by address, named as `ix check` names them.
fn trusted_operations(ops: &ix_ixvm::TrustedOps) -> Vec<(&'static str, ixon::Address)> {
    [
        ("Nat.div", ops.div),
        ("Nat.mod", ops.modulo),
        ("Nat.gcd", ops.gcd),
    ]
    .into_iter()
    .filter_map(|(op, a)| a.map(|a| (op, a)))
    .collect()
}
