//! Shard claims: what one shard check establishes, as JSON, and the check
//! that a set of them (one per shard) covers the environment.

use super::{ShardCheckError, ShardedEnv};
use crate::input::invalid;
use ix_base::Verdict;
use ixon::Address;
use rustc_hash::FxHashMap;
use std::path::{Path, PathBuf};

/// What one shard check establishes: under the assumptions (the foreign
/// blocks, by merkle root), the owned constants (by merkle root) check.
#[derive(Clone, Debug, PartialEq)]
pub struct ShardClaim {
    pub shard: u32,
    pub verdict: Verdict,
    pub message: String,
    pub env_root: Option<[u8; 32]>,
    /// The environment's root with its names and entries bound
    /// (`IxonEnv::named_root`): a claim holds for these names only.
    pub named_root: [u8; 32],
    pub owned_root: Option<[u8; 32]>,
    pub assumption_root: Option<[u8; 32]>,
    /// Ixon constants (projections included) whose home block the shard owns.
    pub owned_constants: usize,
    /// Declared names the shard checked (each name of the env in exactly one shard).
    pub checked_names: usize,
    pub heartbeats: u64,
    pub seconds: f64,
}

fn hex(bytes: &Option<[u8; 32]>) -> serde_json::Value {
    match bytes {
        Some(b) => Address(*b).hex().into(),
        None => serde_json::Value::Null,
    }
}

fn parse_hex(v: &serde_json::Value) -> Result<Option<[u8; 32]>, String> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::String(s) => Address::from_hex(s)
            .map(|a| Some(a.0))
            .ok_or_else(|| format!("bad hex {s:?}: expected 64 hex digits")),
        other => Err(format!("expected a 64-digit hex root or null, got {other}")),
    }
}

impl ShardClaim {
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "shard": self.shard,
            "verdict": self.verdict.as_str(),
            "message": self.message,
            "env_root": hex(&self.env_root),
            "named_root": Address(self.named_root).hex(),
            "owned_root": hex(&self.owned_root),
            "assumption_root": hex(&self.assumption_root),
            "owned_constants": self.owned_constants,
            "checked_names": self.checked_names,
            "heartbeats": self.heartbeats,
            "seconds": self.seconds,
        })
    }

    pub fn from_json(v: &serde_json::Value) -> Result<ShardClaim, String> {
        let field = |k: &str| v.get(k).ok_or_else(|| format!("missing field `{k}`"));
        let number = |k: &str| -> Result<u64, String> {
            field(k)?
                .as_u64()
                .ok_or_else(|| format!("`{k}` must be a non-negative integer"))
        };
        let verdict = field("verdict")?
            .as_str()
            .and_then(Verdict::parse)
            .ok_or("`verdict` must be accept, reject or decline")?;
        Ok(ShardClaim {
            shard: u32::try_from(number("shard")?)
                .map_err(|_| "`shard` is too large".to_string())?,
            verdict,
            message: field("message")?.as_str().unwrap_or_default().to_string(),
            env_root: parse_hex(field("env_root")?)?,
            named_root: parse_hex(field("named_root")?)?
                .ok_or("`named_root` must be a 64-digit hex root")?,
            owned_root: parse_hex(field("owned_root")?)?,
            assumption_root: parse_hex(field("assumption_root")?)?,
            owned_constants: number("owned_constants")? as usize,
            checked_names: number("checked_names")? as usize,
            heartbeats: number("heartbeats")?,
            seconds: field("seconds")?.as_f64().unwrap_or(0.0),
        })
    }
}

/// Checks that `claims` (one per shard) together establish the environment:
/// each shard claimed exactly once, every claim accepted and about this env,
/// its roots equal to what the manifest and env give. A missing claim is
/// named by the file expected in `claims_dir`.
pub fn verify_claims(
    sharded: &ShardedEnv,
    claims_dir: &Path,
    claims: &[(PathBuf, ShardClaim)],
) -> Result<(), ShardCheckError> {
    let fail = |file: &Path, message: String| ShardCheckError::from(invalid(file, message));
    let mut seen: FxHashMap<u32, &Path> = FxHashMap::default();
    for (file, claim) in claims {
        if let Some(first) = seen.insert(claim.shard, file) {
            return Err(fail(
                file,
                format!(
                    "shard {} is claimed twice (also by {})",
                    claim.shard,
                    first.display()
                ),
            ));
        }
        let shard = sharded
            .shard(claim.shard)
            .map_err(|e| fail(file, e.to_string()))?;
        if claim.env_root != sharded.env_root() {
            return Err(fail(
                file,
                "the claim is about another environment (env_root differs)".into(),
            ));
        }
        if claim.named_root != sharded.named_root() {
            return Err(fail(
                file,
                "the claim is about other names for these constants (named_root differs)".into(),
            ));
        }
        if claim.verdict != Verdict::Accept {
            return Err(fail(
                file,
                format!("shard {} did not accept: {}", claim.shard, claim.message),
            ));
        }
        if claim.owned_root != ix_base::merkle::merkle_root(sharded.owned_constants(shard)) {
            return Err(fail(
                file,
                format!(
                    "shard {}: owned_root does not match the manifest",
                    claim.shard
                ),
            ));
        }
        if claim.assumption_root != ix_base::merkle::merkle_root(shard.foreign.iter().copied()) {
            return Err(fail(
                file,
                format!(
                    "shard {}: assumption_root does not match the manifest",
                    claim.shard
                ),
            ));
        }
    }
    if let Some(missing) = (0..sharded.shard_count()).find(|k| !seen.contains_key(k)) {
        return Err(fail(
            &claims_dir.join(format!("shard-{missing}.json")),
            format!("no claim for shard {missing} in the folder"),
        ));
    }
    // The manifest partitions the environment: `load_sharded` checked it.
    Ok(())
}

/// Reads every `*.json` claim in `dir`, sorted by file name.
pub fn read_claims(dir: &Path) -> Result<Vec<(PathBuf, ShardClaim)>, ShardCheckError> {
    let fail = |file: &Path, message: String| ShardCheckError::from(invalid(file, message));
    let entries = std::fs::read_dir(dir).map_err(|e| fail(dir, format!("cannot read: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|file| {
            let text = std::fs::read_to_string(&file)
                .map_err(|e| fail(&file, format!("cannot read: {e}")))?;
            let value: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| fail(&file, format!("malformed JSON: {e}")))?;
            let claim = ShardClaim::from_json(&value).map_err(|m| fail(&file, m))?;
            Ok((file, claim))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim() -> ShardClaim {
        ShardClaim {
            shard: 3,
            verdict: Verdict::Accept,
            message: "accept: 2 constants checked".into(),
            env_root: Some([7; 32]),
            named_root: [8; 32],
            owned_root: Some([9; 32]),
            assumption_root: None,
            owned_constants: 2,
            checked_names: 2,
            heartbeats: 40,
            seconds: 0.5,
        }
    }

    #[test]
    fn claims_round_trip_through_json() {
        assert_eq!(ShardClaim::from_json(&claim().to_json()), Ok(claim()));
    }

    #[test]
    fn malformed_roots_are_errors_not_panics() {
        let good = claim().to_json();
        let roots = [
            serde_json::json!("ab"),
            // 64 bytes whose `é` straddles a digit pair (it used to panic).
            serde_json::json!(format!("{}é0", "0".repeat(61))),
            serde_json::json!("z".repeat(64)),
            serde_json::json!(12),
        ];
        for root in roots {
            let mut v = good.clone();
            v["owned_root"] = root.clone();
            assert!(ShardClaim::from_json(&v).is_err(), "{root} accepted");
        }
    }
}
