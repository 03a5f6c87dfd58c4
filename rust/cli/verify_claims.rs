//! `ix verify-claims ENV MANIFEST CLAIMS_DIR`: do the shard claims (one JSON
//! file per shard) together establish the whole environment? Exit 0 yes,
//! 1 refused (a claim missing, twice, tampered or rejecting: the answer is
//! no), 3 error (the environment, manifest or claims could not be read).

use ix_commands::shard_check::{load_sharded, read_claims, verify_claims};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The environment (`.ixe`, or `.ndjson` compiled in memory).
    env: PathBuf,
    /// The shard manifest (`.ixes`).
    manifest: PathBuf,
    /// The folder of claims (`*.json`, as written by `check-shard --claim-dir`).
    claims: PathBuf,
    #[command(flatten)]
    quiet: crate::print::Quiet,
}

pub fn run(args: Args) -> Result<u8, String> {
    let progress = crate::progress::Progress::spinner("loading", &args.quiet);
    let sharded = load_sharded(&args.env, &args.manifest);
    progress.finish();
    let sharded = sharded.map_err(|e| e.to_string())?;
    let claims = read_claims(&args.claims).map_err(|e| e.to_string())?;
    if let Err(e) = verify_claims(&sharded, &args.claims, &claims) {
        eprintln!("ix: refused: {e}");
        return Ok(1);
    }
    let root = sharded
        .env_root()
        .map_or_else(|| "none".to_string(), |b| ixon::Address(b).hex());
    let named = ixon::Address(sharded.named_root()).hex();
    println!(
        "verified: {} claims cover {} (root {root}, named root {named}), every shard accepted",
        claims.len(),
        args.env.display()
    );
    Ok(0)
}
