//! Running shard checks: one shard as a batch job would, or every shard of
//! a manifest in parallel on this machine.

use super::report::ShardsReport;
use super::{ShardCheckError, ShardClaim, ShardedEnv};
use ix_base::progress::Progress;
use ix_base::Verdict;
use ix_kernel::read::ReadDeclaration;
use ix_kernel::{check_declarations_with_roles, CheckOptions, Role};
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::time::Instant;

impl ShardedEnv {
    /// Checks shard `k` on its own.
    pub fn check_shard(
        &self,
        k: u32,
        options: &CheckOptions,
    ) -> Result<ShardClaim, ShardCheckError> {
        let started = Instant::now();
        let shard = self.shard(k)?;
        let roles = self.roles(shard)?;
        let mut sub = Vec::new();
        let mut sub_roles = Vec::new();
        let members: FxHashSet<[u8; 32]> = shard.members.iter().copied().collect();
        let mut checked_names = 0;
        for (i, role) in roles.iter().enumerate() {
            let Some(role) = role else { continue };
            let loaded = self.decl(i)?;
            sub.push(ReadDeclaration {
                decl: loaded.decl.decl.clone(),
                too_deep: loaded.decl.too_deep,
            });
            sub_roles.push(*role);
            if *role == Role::Check {
                checked_names += self.names_homed_among(i, &members);
            }
        }
        let report = check_declarations_with_roles(&sub, options, &sub_roles);
        let (verdict, message) = match &report.result {
            Ok(()) => (
                Verdict::Accept,
                format!("accept: {checked_names} constants checked"),
            ),
            Err(e) => (e.verdict(), format!("{}: {e}", e.verdict().as_str())),
        };
        let owned = self.owned_constants(shard);
        Ok(ShardClaim {
            shard: k,
            verdict,
            message,
            env_root: self.env_root(),
            named_root: self.named_root(),
            owned_root: ix_base::merkle::merkle_root(owned.iter().copied()),
            assumption_root: ix_base::merkle::merkle_root(shard.foreign.iter().copied()),
            owned_constants: owned.len(),
            checked_names,
            heartbeats: report.constants.iter().map(|c| c.heartbeats).sum(),
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    /// Checks every shard, `jobs` at a time (0 = one per core), telling
    /// `progress` of each shard done. The claims come in shard order.
    pub fn check_shards(
        &self,
        jobs: usize,
        progress: &dyn Progress,
    ) -> Result<ShardsReport, ShardCheckError> {
        // One shard per worker at a time, each checked on its worker's own
        // stack: no nested pools, so a shard's time is its own.
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .stack_size(ix_kernel::check::CHECKER_STACK)
            .build()
            .map_err(|e| ShardCheckError::Usage(format!("cannot start {jobs} threads: {e}")))?;
        let single = CheckOptions {
            threads: 1,
            in_current_thread: true,
            ..Default::default()
        };
        progress.set_total(self.shard_count() as usize);
        let claims = pool.install(|| {
            (0..self.shard_count())
                .into_par_iter()
                .map(|k| {
                    let claim = self.check_shard(k, &single);
                    progress.advance(1);
                    claim
                })
                .collect::<Result<Vec<ShardClaim>, ShardCheckError>>()
        })?;
        let (names, constants) = self.totals();
        Ok(ShardsReport {
            claims,
            names,
            constants,
        })
    }
}

/// The shard index from a batch engine's environment, when `--shard` is absent.
pub fn shard_from_environment() -> Result<u32, ShardCheckError> {
    for var in ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"] {
        if let Ok(value) = std::env::var(var) {
            return value.trim().parse().map_err(|_| {
                ShardCheckError::Usage(format!("{var}={value:?} is not a shard index"))
            });
        }
    }
    Err(ShardCheckError::Usage(
        "no shard given: pass --shard K, or run under a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or a Slurm array (SLURM_ARRAY_TASK_ID)".into(),
    ))
}
