//! `ix check-shards ENV MANIFEST [-j N]`: every shard on its own, in
//! parallel on this machine, after checking that the shards are disjoint,
//! cover the environment, and own every assumption.

use crate::progress::Progress;
use ix_commands::check_shards::{check_all, require_exact_cover};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The environment (`.ixe`, or `.ndjson` compiled in memory).
    env: PathBuf,
    /// The shard manifest (`.ixes`).
    manifest: PathBuf,
    /// Shards checked at once (0 = one per core; at most 256).
    #[arg(short = 'j', long = "jobs", default_value_t = 0, value_parser = crate::jobs::parse)]
    jobs: usize,
    /// Also write every claim to DIR/shard-K.json.
    #[arg(long, value_name = "DIR")]
    claim_dir: Option<PathBuf>,
    #[command(flatten)]
    print: crate::print::Print,
}

pub fn run(args: Args) -> Result<u8, String> {
    let progress = Progress::start("checking shards", "shards", &args.print.quiet);
    let report = check_all(
        &args.env,
        &args.manifest,
        args.jobs,
        args.claim_dir.as_deref(),
        &progress.counter,
    );
    progress.finish();
    let report = report.map_err(|e| e.to_string())?;
    if args.print.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.table());
    }
    require_exact_cover(&report, &args.manifest).map_err(|e| e.to_string())?;
    let verdict = report.verdict();
    if !args.print.json {
        println!(
            "verdict: {} ({} shards)",
            verdict.as_str(),
            report.claims.len()
        );
    }
    Ok(verdict.exit_code())
}
