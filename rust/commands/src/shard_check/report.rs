//! What `ix check-shards` reports: every shard's claim, whether together
//! they cover the environment exactly once, and the overall verdict.

use super::ShardClaim;
use ix_base::Verdict;
use std::fmt::Write;

/// The claims of every shard, with what they must cover.
#[derive(Debug)]
pub struct ShardsReport {
    /// One claim per shard, in shard order.
    pub claims: Vec<ShardClaim>,
    /// Declared names and Ixon constants of the environment.
    pub names: usize,
    pub constants: usize,
}

impl ShardsReport {
    /// Declared names the shards checked, and Ixon constants they own.
    pub fn covered(&self) -> (usize, usize) {
        let checked = self.claims.iter().map(|c| c.checked_names).sum();
        let owned = self.claims.iter().map(|c| c.owned_constants).sum();
        (checked, owned)
    }

    /// Whether every name was checked, and every constant owned, exactly
    /// once (the manifest's partition makes more than once impossible).
    pub fn covers_exactly(&self) -> bool {
        self.covered() == (self.names, self.constants)
    }

    /// The worst verdict: reject over decline over accept.
    pub fn verdict(&self) -> Verdict {
        self.claims
            .iter()
            .map(|c| c.verdict)
            .max_by_key(|v| match v {
                Verdict::Accept => 0,
                Verdict::Decline => 1,
                Verdict::Reject => 2,
            })
            .unwrap_or(Verdict::Accept)
    }

    /// The claims as one JSON array.
    pub fn to_json(&self) -> serde_json::Value {
        self.claims.iter().map(ShardClaim::to_json).collect()
    }

    /// The table `ix check-shards` prints: a row per shard, then coverage.
    pub fn table(&self) -> String {
        let mut out = format!(
            "{:>6} {:>10} {:>14} {:>9}  verdict\n",
            "shard", "constants", "heartbeats", "seconds"
        );
        for c in &self.claims {
            // Writing to a String cannot fail.
            let _ = writeln!(
                out,
                "{:>6} {:>10} {:>14} {:>9.3}  {}",
                c.shard, c.checked_names, c.heartbeats, c.seconds, c.message
            );
        }
        let (checked, owned) = self.covered();
        let _ = writeln!(
            out,
            "checked {checked} of {} declared constants; shards own {owned} of {} Ixon constants",
            self.names, self.constants
        );
        out
    }
}
