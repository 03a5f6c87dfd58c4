//! The what-if report of a sharding, printed by `ix shard` (and as JSON).

use crate::manifest::Manifest;
use serde::Serialize;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    pub blocks: usize,
    pub delta_edges: usize,
    pub nets: usize,
    pub shards: usize,
    pub empty_shards: usize,
    pub heartbeats_min: u64,
    pub heartbeats_mean: f64,
    pub heartbeats_max: u64,
    /// Heaviest shard / mean shard (heartbeats).
    pub imbalance: f64,
    pub total_cross_ingress: u128,
    pub largest_shard_ingress: u64,
    pub largest_block_heartbeats: u64,
    /// The heaviest shard is within 10% of the heaviest block: the imbalance
    /// is (close to) what one atomic block forces.
    pub atomic_block_floor: bool,
}

impl Report {
    pub fn new(
        manifest: &Manifest,
        delta_edges: usize,
        nets: usize,
        largest_block_heartbeats: u64,
    ) -> Report {
        let shards = &manifest.shards;
        let heartbeats: Vec<u64> = shards.iter().map(|s| s.heartbeats).collect();
        let max = heartbeats.iter().copied().max().unwrap_or(0);
        let mean = heartbeats.iter().sum::<u64>() as f64 / shards.len().max(1) as f64;
        Report {
            blocks: shards.iter().map(|s| s.members.len()).sum(),
            delta_edges,
            nets,
            shards: shards.len(),
            empty_shards: shards.iter().filter(|s| s.members.is_empty()).count(),
            heartbeats_min: heartbeats.iter().copied().min().unwrap_or(0),
            heartbeats_mean: mean,
            heartbeats_max: max,
            imbalance: if mean > 0.0 { max as f64 / mean } else { 1.0 },
            total_cross_ingress: manifest.total_ingress,
            largest_shard_ingress: shards.iter().map(|s| s.cross_ingress).max().unwrap_or(0),
            largest_block_heartbeats,
            atomic_block_floor: max as f64 <= 1.1 * largest_block_heartbeats as f64,
        }
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "blocks                 {}", self.blocks)?;
        writeln!(f, "delta edges            {}", self.delta_edges)?;
        writeln!(f, "nets                   {}", self.nets)?;
        writeln!(
            f,
            "shards                 {} ({} empty)",
            self.shards, self.empty_shards
        )?;
        writeln!(
            f,
            "heartbeats min/mean/max {} / {:.1} / {}",
            self.heartbeats_min, self.heartbeats_mean, self.heartbeats_max
        )?;
        writeln!(f, "imbalance (max/mean)   {:.4}", self.imbalance)?;
        writeln!(
            f,
            "total cross ingress    {} bytes",
            self.total_cross_ingress
        )?;
        writeln!(
            f,
            "largest shard ingress  {} bytes",
            self.largest_shard_ingress
        )?;
        write!(
            f,
            "largest block          {} heartbeats",
            self.largest_block_heartbeats
        )?;
        if self.atomic_block_floor {
            write!(
                f,
                " (atomic-block floor: the heaviest shard is within 10% of it)"
            )?;
        }
        writeln!(f)
    }
}
