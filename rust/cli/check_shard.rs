//! `ix check-shard ENV MANIFEST [--shard K]`: check one shard on its own.
//! Without `--shard`, the index comes from the batch engine
//! (`JOB_COMPLETION_INDEX`, `SLURM_ARRAY_TASK_ID`).

use ix_commands::check_shards::check_one;
use ix_commands::shard_check::shard_from_environment;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The environment (`.ixe`, or `.ndjson` compiled in memory).
    env: PathBuf,
    /// The shard manifest (`.ixes`) made from this environment's profile.
    manifest: PathBuf,
    /// Which shard (default: from JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID).
    #[arg(long)]
    shard: Option<u32>,
    /// Also write the claim to DIR/shard-K.json (atomically).
    #[arg(long, value_name = "DIR")]
    claim_dir: Option<PathBuf>,
    /// Kernel worker threads (0 = one per core; at most 256).
    #[arg(short = 'j', long = "jobs", default_value_t = 0, value_parser = crate::jobs::parse)]
    jobs: usize,
    #[command(flatten)]
    print: crate::print::Print,
}

pub fn run(args: Args) -> Result<u8, String> {
    let k = match args.shard {
        Some(k) => k,
        None => shard_from_environment().map_err(|e| e.to_string())?,
    };
    let progress =
        crate::progress::Progress::spinner("loading and checking the shard", &args.print.quiet);
    let claim = check_one(
        &args.env,
        &args.manifest,
        k,
        args.jobs,
        args.claim_dir.as_deref(),
    );
    progress.finish();
    let claim = claim.map_err(|e| e.to_string())?;
    if args.print.json {
        println!("{}", claim.to_json());
    } else {
        let root =
            |r: &Option<[u8; 32]>| r.map_or_else(|| "none".to_string(), |b| ixon::Address(b).hex());
        println!("shard {k}: {}", claim.message);
        println!(
            "  owned root      {} ({} constants)",
            root(&claim.owned_root),
            claim.owned_constants
        );
        println!("  assumption root {}", root(&claim.assumption_root));
        println!("  heartbeats      {}", claim.heartbeats);
    }
    Ok(claim.verdict.exit_code())
}
