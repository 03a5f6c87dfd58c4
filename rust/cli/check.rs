//! `ix check INPUT`: type-check a Lean environment with the ix kernel.
//! Exit 0 accept, 1 reject (naming the first failing declaration), 2 decline,
//! 3 error (the input cannot be read: no verdict).

use crate::progress::Progress;
use ix_commands::check::{check_input, outcome_json};
use ix_kernel::{CheckOptions, TcOptions};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The environment to check: an `.ixe`, or a lean4export `.ndjson`
    /// (read straight into declarations).
    input: PathBuf,
    /// Print a JSON report (verdict, first failure, heartbeats per constant) on stdout.
    #[arg(long)]
    json: bool,
    /// Worker threads (0 = one per core; at most 256).
    #[arg(short = 'j', long = "jobs", default_value_t = 0, value_parser = crate::jobs::parse)]
    jobs: usize,
    /// Heartbeat budget per constant; running out declines.
    #[arg(long, default_value_t = ix_kernel::tc::DEFAULT_BUDGET)]
    budget: u64,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<u8, String> {
    let progress = Progress::start("checking declarations", "declarations", args.quiet);
    let options = CheckOptions {
        tc: TcOptions {
            budget: args.budget,
            ..Default::default()
        },
        threads: args.jobs,
        progress: Some(progress.counter.clone()),
        ..CheckOptions::default()
    };
    let outcome = check_input(&args.input, &options);
    progress.finish();
    let outcome = outcome.map_err(|e| e.to_string())?;
    if args.json {
        println!("{}", outcome_json(&outcome));
    } else {
        println!("{}: {}", args.input.display(), outcome.message);
    }
    Ok(outcome.verdict.exit_code())
}
