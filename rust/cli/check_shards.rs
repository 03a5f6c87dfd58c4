//! `ix check-shards ENV MANIFEST [-j N]`: every shard on its own, in
//! parallel on this machine, after checking that the shards are disjoint,
//! cover the environment, and own every assumption.

use crate::progress::Progress;
use ix_commands::shard_check::{load_sharded, ShardClaim};
use ix_commands::Verdict;
use ix_kernel::CheckOptions;
use rayon::prelude::*;
use std::path::PathBuf;
use std::sync::atomic::Ordering;

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
    sharded
        .verify_partition()
        .map_err(|m| format!("{}: {m}", args.manifest.display()))?;
    // One shard per worker at a time, each checked on its worker's own
    // stack: no nested pools, so a shard's time is its own.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .stack_size(ix_kernel::check::CHECKER_STACK)
        .build()
        .map_err(|e| format!("cannot start {} threads: {e}", args.jobs))?;
    let progress = Progress::start(
        "checking shards",
        u64::from(sharded.shard_count()),
        args.quiet,
    );
    let single = CheckOptions {
        threads: 1,
        in_current_thread: true,
        ..Default::default()
    };
    let counter = progress.counter.clone();
    let claims: Result<Vec<ShardClaim>, String> = pool.install(|| {
        (0..sharded.shard_count())
            .into_par_iter()
            .map(|k| {
                let claim = sharded.check_shard(k, &single).map_err(|e| e.to_string());
                counter.fetch_add(1, Ordering::Relaxed);
                claim
            })
            .collect()
    });
    progress.finish();
    let claims = claims?;
    if let Some(dir) = &args.claim_dir {
        for c in &claims {
            let path = crate::check_shard::claim_file(dir, c.shard, &[&args.env, &args.manifest])?;
            crate::check_shard::write_claim(&path, &c.to_json())?;
        }
    }
    let (names, constants) = sharded.totals();
    // Freeing every decompiled declaration takes a while; the output need not wait.
    ix_kernel::check::drop_in_background(sharded);
    let checked: usize = claims.iter().map(|c| c.checked_names).sum();
    let owned: usize = claims.iter().map(|c| c.owned_constants).sum();
    if args.json {
        let all: Vec<serde_json::Value> = claims.iter().map(ShardClaim::to_json).collect();
        println!("{}", serde_json::Value::from(all));
    } else {
        println!(
            "{:>6} {:>10} {:>14} {:>9}  verdict",
            "shard", "constants", "heartbeats", "seconds"
        );
        for c in &claims {
            println!(
                "{:>6} {:>10} {:>14} {:>9.3}  {}",
                c.shard, c.checked_names, c.heartbeats, c.seconds, c.message
            );
        }
        println!("checked {checked} of {names} declared constants; shards own {owned} of {constants} Ixon constants");
    }
    if checked != names || owned != constants {
        return Err(format!(
            "{}: the shards do not cover the environment exactly once ({checked}/{names} names, {owned}/{constants} constants)",
            args.manifest.display()
        ));
    }
    let worst = claims
        .iter()
        .map(|c| c.verdict)
        .max_by_key(|v| match v {
            Verdict::Accept => 0,
            Verdict::Decline => 1,
            Verdict::Reject => 2,
        })
        .unwrap_or(Verdict::Accept);
    if !args.json {
        println!("verdict: {} ({} shards)", worst.as_str(), claims.len());
    }
    Ok(worst.exit_code())
}
