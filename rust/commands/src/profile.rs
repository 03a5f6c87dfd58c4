//! `ix profile`: check the whole environment once with the profile sink on,
//! attribute heartbeats and delta unfolds to home blocks, and write `.ixesp`.
//!
//! Isolation comes from the kernel: every declaration is checked by a fresh
//! checker, so no memo filled by another constant hides an unfold.

use crate::input::{invalid, InputError};
use crate::ixe_entries::{Homes, IxeEntries};
use ix_base::progress::Counter;
use ix_kernel::{check_stream, CheckOptions, ConstantReport, TcOptions};
use ixesp::{Block, Profile};
use ixon::Address;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::Path;

#[derive(Clone, Debug, Default)]
pub struct ProfileOptions {
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Heartbeat budget per constant (None = the kernel's default).
    pub budget: Option<u64>,
    /// Told the number of declarations once they are loaded, then each
    /// one checked.
    pub progress: Option<Counter>,
    /// Profile even when the kernel rejects (what was checked still counts):
    /// lets a rejected environment be sharded, to find the shard that fails.
    pub allow_rejected: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{file}: cannot profile an environment the kernel does not accept: {reason}")]
    NotAccepted { file: String, reason: String },
    #[error("{file}: {source}")]
    Write {
        file: String,
        source: std::io::Error,
    },
}

/// A block with its heartbeats, and the name it is shown by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NamedWeight {
    pub name: String,
    pub weight: u64,
}

/// What `ix profile` prints.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProfileSummary {
    pub blocks: usize,
    pub edges: usize,
    pub total_heartbeats: u64,
    /// The 10 blocks with the most heartbeats.
    pub heaviest: Vec<NamedWeight>,
    /// The 10 producers unfolded by the most consumer blocks.
    pub most_unfolded: Vec<NamedWeight>,
}

impl ProfileSummary {
    pub fn to_json(&self) -> serde_json::Value {
        let list = |v: &[NamedWeight], key: &str| -> serde_json::Value {
            v.iter()
                .map(|w| serde_json::json!({"name": w.name, key: w.weight}))
                .collect::<Vec<_>>()
                .into()
        };
        serde_json::json!({
            "blocks": self.blocks,
            "edges": self.edges,
            "total_heartbeats": self.total_heartbeats,
            "heaviest_blocks": list(&self.heaviest, "heartbeats"),
            "most_unfolded_producers": list(&self.most_unfolded, "consumers"),
        })
    }
}

/// Profiles `input` (`.ixe` or `.ndjson`) and writes the profile to `output`.
pub fn profile_env(
    input: &Path,
    output: &Path,
    options: &ProfileOptions,
) -> Result<ProfileSummary, ProfileError> {
    let file = input.display().to_string();
    let entries = IxeEntries::open(input)?;
    let homes = entries.homes().map_err(|e| invalid(input, e))?;
    let mut tc = TcOptions {
        profile: true,
        ..TcOptions::default()
    };
    if let Some(budget) = options.budget {
        tc.budget = budget;
    }
    let check = CheckOptions {
        tc,
        threads: options.threads,
        progress: options.progress.clone(),
        ..CheckOptions::default()
    };
    let stream = entries.stream(&file).map_err(InputError::from)?;
    let report = check_stream(stream, &check).map_err(InputError::from)?;
    if let (Err(e), false) = (&report.result, options.allow_rejected) {
        return Err(ProfileError::NotAccepted {
            file,
            reason: e.to_string(),
        });
    }
    let attributed = attribute(&homes, &report.constants).map_err(|m| invalid(input, m))?;
    attributed
        .profile
        .write_file(output)
        .map_err(|source| ProfileError::Write {
            file: output.display().to_string(),
            source,
        })?;
    Ok(attributed.summary())
}

/// The profile plus, per block, the name it is shown by.
pub struct Attributed {
    pub profile: Profile,
    pub block_names: Vec<String>,
}

impl Attributed {
    fn summary(&self) -> ProfileSummary {
        let blocks = self.profile.blocks();
        let mut by_weight: Vec<usize> = (0..blocks.len()).collect();
        by_weight.sort_by_key(|&i| (std::cmp::Reverse(blocks[i].heartbeats), i));
        let mut consumers = vec![0u64; blocks.len()];
        for &p in self.profile.producers() {
            consumers[p as usize] += 1;
        }
        let mut by_use: Vec<usize> = (0..blocks.len()).filter(|&i| consumers[i] > 0).collect();
        by_use.sort_by_key(|&i| (std::cmp::Reverse(consumers[i]), i));
        let named = |i: usize, weight: u64| NamedWeight {
            name: self.block_names[i].clone(),
            weight,
        };
        ProfileSummary {
            blocks: blocks.len(),
            edges: self.profile.edge_count(),
            total_heartbeats: blocks.iter().map(|b| b.heartbeats).sum(),
            heaviest: by_weight
                .iter()
                .take(10)
                .map(|&i| named(i, blocks[i].heartbeats))
                .collect(),
            most_unfolded: by_use
                .iter()
                .take(10)
                .map(|&i| named(i, consumers[i]))
                .collect(),
        }
    }
}

/// Maps per-constant heartbeats and unfolds onto home blocks (ids in
/// ascending address order), dropping edges inside one block.
pub fn attribute(homes: &Homes, constants: &[ConstantReport]) -> Result<Attributed, String> {
    let ids: FxHashMap<Address, u32> = homes
        .blocks
        .iter()
        .enumerate()
        .map(|(i, (a, _))| (*a, i as u32))
        .collect();
    let id_of = |home: &Address| -> u32 { ids.get(home).copied().unwrap_or(u32::MAX) };
    let mut blocks: Vec<Block> = homes
        .blocks
        .iter()
        .map(|(address, size)| Block {
            address: address.0,
            heartbeats: 0,
            size: *size,
            constants: 0,
        })
        .collect();
    let mut block_names = vec![String::new(); blocks.len()];
    // Every home block of a declaration needs what checking it unfolded:
    // an inductive block and its recursor block are elaborated together.
    let mut name_homes: FxHashMap<&ix_lean::Name, u32> = FxHashMap::default();
    let mut decl_homes: FxHashMap<&ix_lean::Name, Vec<u32>> = FxHashMap::default();
    for entry in &homes.entries {
        let mut entry_homes = Vec::with_capacity(entry.len());
        for (name, home) in entry {
            let id = id_of(home);
            let block = blocks
                .get_mut(id as usize)
                .ok_or_else(|| format!("the home block of {name} is not in the environment"))?;
            block.constants += 1;
            if block_names[id as usize].is_empty() {
                block_names[id as usize] = name.to_string();
            }
            name_homes.insert(name, id);
            entry_homes.push(id);
        }
        entry_homes.sort_unstable();
        entry_homes.dedup();
        for (name, _) in entry {
            decl_homes.insert(name, entry_homes.clone());
        }
    }
    let home_id = |name: &ix_lean::Name| -> Result<u32, String> {
        name_homes
            .get(name)
            .copied()
            .ok_or_else(|| format!("{name} has no home block"))
    };
    let mut rows: Vec<FxHashSet<u32>> = vec![FxHashSet::default(); blocks.len()];
    for c in constants {
        blocks[home_id(&c.name)? as usize].heartbeats += c.heartbeats;
        let consumers = decl_homes
            .get(&c.name)
            .map(Vec::as_slice)
            .unwrap_or_default();
        for producer in &c.unfolded {
            let p = home_id(producer)?;
            for &consumer in consumers {
                if p != consumer {
                    rows[consumer as usize].insert(p);
                }
            }
        }
    }
    let rows: Vec<Vec<u32>> = rows
        .into_iter()
        .map(|set| {
            let mut row: Vec<u32> = set.into_iter().collect();
            row.sort_unstable();
            row
        })
        .collect();
    let profile = Profile::from_rows(blocks, &rows).map_err(|e| e.to_string())?;
    Ok(Attributed {
        profile,
        block_names,
    })
}
