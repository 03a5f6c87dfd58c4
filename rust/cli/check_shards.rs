//! `ix check-shards ENV MANIFEST [-j N]`: every shard on its own, in
//! parallel on this machine, after checking that the shards are disjoint,
//! cover the environment, and own every assumption.

use crate::progress::Progress;
use ix_commands::shard_check::load_sharded;
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
    /// Print the claims as one JSON array on stdout.
    #[arg(long)]
    json: bool,
    /// No progress bar.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<u8, String> {
    if let Some(dir) = &args.claim_dir {
        crate::check_shard::claim_file(dir, 0, &[&args.env, &args.manifest])?;
    }
    let sharded = load_sharded(&args.env, &args.manifest).map_err(|e| e.to_string())?;
    let progress = Progress::start("checking shards", "shards", args.quiet);
    let report = sharded.check_shards(args.jobs, &progress.counter);
    progress.finish();
    let report = report.map_err(|e| e.to_string())?;
    // Freeing every decompiled declaration takes a while; the output need not wait.
    ix_base::drop_in_background(sharded);
    if let Some(dir) = &args.claim_dir {
        for c in &report.claims {
            let path = crate::check_shard::claim_file(dir, c.shard, &[&args.env, &args.manifest])?;
            crate::check_shard::write_claim(&path, &c.to_json())?;
        }
    }
    if args.json {
        println!("{}", report.to_json());
    } else {
        print!("{}", report.table());
    }
    if !report.covers_exactly() {
        let (checked, owned) = report.covered();
        return Err(format!(
            "{}: the shards do not cover the environment exactly once ({checked}/{} names, {owned}/{} constants)",
            args.manifest.display(),
            report.names,
            report.constants
        ));
    }
    let verdict = report.verdict();
    if !args.json {
        println!(
            "verdict: {} ({} shards)",
            verdict.as_str(),
            report.claims.len()
        );
    }
    Ok(verdict.exit_code())
}
