//! `ix check-shards` from start to finish: check every shard of an
//! environment in parallel on this machine, write each shard's claim, and
//! refuse shards that do not cover the environment exactly once. Also one
//! shard on its own (`ix check-shard` and the FFI), so every way of checking
//! shards writes its claims one way.

use crate::shard_check::{load_shard, load_sharded, ShardCheckError, ShardClaim, ShardsReport};
use ix_base::progress::Progress;
use ix_base::OutputError;
use ix_kernel::CheckOptions;
use std::path::{Path, PathBuf};

#[derive(Debug, thiserror::Error)]
pub enum CheckShardsError {
    #[error(transparent)]
    Check(#[from] ShardCheckError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("{}: cannot create: {source}", dir.display())]
    ClaimDir {
        dir: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: cannot write: {source}", path.display())]
    WriteClaim {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}: the shards do not cover the environment exactly once \
         ({checked}/{names} names, {owned}/{constants} constants)",
        manifest.display()
    )]
    NotCovered {
        manifest: PathBuf,
        checked: usize,
        names: usize,
        owned: usize,
        constants: usize,
    },
}

/// Checks every shard of `manifest` over `env`, `jobs` at a time (0 = one
/// per core), telling `progress` of each shard done. With `claim_dir`,
/// writes shard K's claim to `claim_dir/shard-K.json`; the folder is made
/// and checked writable before any work. The claims come in shard order.
pub fn check_all(
    env: &Path,
    manifest: &Path,
    jobs: usize,
    claim_dir: Option<&Path>,
    progress: &dyn Progress,
) -> Result<ShardsReport, CheckShardsError> {
    let inputs = [env, manifest];
    if let Some(dir) = claim_dir {
        claim_file(dir, 0, &inputs)?;
    }
    let sharded = load_sharded(env, manifest)?;
    let report = sharded.check_shards(jobs, progress);
    // Freeing every decompiled declaration takes a while; the output need not wait.
    ix_base::drop_in_background(sharded);
    let report = report?;
    if let Some(dir) = claim_dir {
        for claim in &report.claims {
            write_claim(&claim_file(dir, claim.shard, &inputs)?, claim)?;
        }
    }
    Ok(report)
}

/// Checks shard `k` of `manifest` over `env` on its own (foreign blocks
/// trusted) with `threads` kernel workers (0 = one per core). With
/// `claim_dir`, writes the claim to `claim_dir/shard-K.json`; the folder is
/// made and checked writable before any work.
pub fn check_one(
    env: &Path,
    manifest: &Path,
    k: u32,
    threads: usize,
    claim_dir: Option<&Path>,
) -> Result<ShardClaim, CheckShardsError> {
    let claim_path = claim_dir
        .map(|dir| claim_file(dir, k, &[env, manifest]))
        .transpose()?;
    let sharded = load_shard(env, manifest, k)?;
    let options = CheckOptions {
        threads,
        ..Default::default()
    };
    let claim = sharded.check_shard(k, &options);
    // Freeing the loaded environment takes a while; the claim need not wait.
    ix_base::drop_in_background(sharded);
    let claim = claim?;
    if let Some(path) = &claim_path {
        write_claim(path, &claim)?;
    }
    Ok(claim)
}

/// Refuses a report whose shards did not check every name, and own every
/// constant, of the environment exactly once.
pub fn require_exact_cover(report: &ShardsReport, manifest: &Path) -> Result<(), CheckShardsError> {
    if report.covers_exactly() {
        return Ok(());
    }
    let (checked, owned) = report.covered();
    Err(CheckShardsError::NotCovered {
        manifest: manifest.to_path_buf(),
        checked,
        names: report.names,
        owned,
        constants: report.constants,
    })
}

/// The claim file of shard `k` in `dir`, the folder created if need be and
/// the file checked writable (and not one of `inputs`) before any work.
pub fn claim_file(dir: &Path, k: u32, inputs: &[&Path]) -> Result<PathBuf, CheckShardsError> {
    std::fs::create_dir_all(dir).map_err(|source| CheckShardsError::ClaimDir {
        dir: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join(format!("shard-{k}.json"));
    ix_base::check_outputs(inputs, &[&path])?;
    Ok(path)
}

/// Writes one claim (JSON, one line) atomically.
pub fn write_claim(path: &Path, claim: &ShardClaim) -> Result<(), CheckShardsError> {
    ix_base::write_atomic(path, format!("{}\n", claim.to_json()).as_bytes()).map_err(|source| {
        CheckShardsError::WriteClaim {
            path: path.to_path_buf(),
            source,
        }
    })
}
