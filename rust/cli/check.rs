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
    #[command(flatten)]
    run: crate::jobs::KernelRun,
    #[command(flatten)]
    print: crate::print::Print,
}

pub fn run(args: Args) -> Result<u8, String> {
    let progress = Progress::start("checking declarations", "declarations", &args.print.quiet);
    let options = CheckOptions {
        tc: TcOptions {
            budget: args.run.budget,
            ..Default::default()
        },
        threads: args.run.jobs,
        progress: Some(progress.counter.clone()),
        // Only `--json` lists the constants.
        discard_reports: !args.print.json,
        ..CheckOptions::default()
    };
    let outcome = check_input(&args.input, &options);
    progress.finish();
    let outcome = outcome.map_err(|e| e.to_string())?;
    if args.print.json {
        println!("{}", outcome_json(&outcome));
    } else {
        println!("{}: {}", args.input.display(), outcome.message);
    }
    Ok(outcome.verdict.exit_code())
}
