//! A deterministic synthetic profile shaped like a Lean library's delta-unfold
//! graph, for tests and benchmarks before (and besides) real profiles.
//!
//! Blocks come in a topological order, grouped in "files" of about 100 blocks.
//! Each consumer unfolds a heavy-tailed number of earlier producers: most
//! nearby (same or previous file), some at a medium distance, a few far away,
//! and a share of the far ones go to a Zipf-ranked set of hub blocks (the core
//! definitions everything unfolds), which gives hub nets of many thousands of
//! pins. Heartbeats and sizes are log-normal (heavy-tailed), and one atomic
//! block is much heavier than the rest. At `blocks = 631_000` the shape
//! follows the mathlib-scale statistics in `shared/data/synthetic`.

use crate::{Block, Profile};
use ix_base::rng::Rng;

/// Generator settings; `Params::default()` is a small graph.
#[derive(Clone, Debug)]
pub struct Params {
    pub blocks: usize,
    pub seed: u64,
    /// Mean number of producers a consumer draws (before de-duplication,
    /// which removes about a tenth).
    pub mean_out_degree: f64,
    /// Blocks per file (the unit of locality).
    pub file_size: usize,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            blocks: 2000,
            seed: 1,
            mean_out_degree: 20.8,
            file_size: 100,
        }
    }
}

/// A standard normal draw (Box–Muller).
fn normal(rng: &mut Rng) -> f64 {
    let u1 = rng.unit().max(1e-300);
    let u2 = rng.unit();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

fn log_normal(rng: &mut Rng, median: f64, sigma: f64) -> f64 {
    median * (sigma * normal(rng)).exp()
}

/// Generates the synthetic profile for `params` (same params, same profile).
pub fn generate(params: &Params) -> Profile {
    let n = params.blocks;
    let mut rng = Rng::new(params.seed ^ 0x1D5E_5EED);
    let hubs = hub_ids(n);
    let zipf = zipf_table(hubs.len());
    let mut rows: Vec<Vec<u32>> = Vec::with_capacity(n);
    // log-normal with mean `mean_out_degree` and σ = 0.85.
    let degree_median = params.mean_out_degree / (0.85f64 * 0.85 / 2.0).exp();
    for v in 0..n {
        let wanted = (log_normal(&mut rng, degree_median, 0.85).round() as usize)
            .min(600)
            .min(v);
        let mut row: Vec<u32> = (0..wanted)
            .map(|_| producer_for(v, params.file_size, &hubs, &zipf, &mut rng) as u32)
            .collect();
        row.sort_unstable();
        row.dedup();
        rows.push(row);
    }
    let mut blocks: Vec<Block> = (0..n)
        .map(|i| Block {
            address: address(params.seed, i),
            heartbeats: (log_normal(&mut rng, 112.0, 1.70).round() as u64).max(1),
            size: log_normal(&mut rng, 401.0, 1.79).clamp(100.0, 1_000_000.0) as u32,
            constants: 1 + (rng.below(8) == 0) as u32 * rng.below(6) as u32,
        })
        .collect();
    if n > 0 {
        // One atomic block far heavier than the rest (≈ total / 507, as in the
        // mathlib-scale statistics).
        let total: u64 = blocks.iter().map(|b| b.heartbeats).sum();
        let heavy = rng.below(n);
        blocks[heavy].heartbeats = (total / 507).max(1);
    }
    // Rows hold ids < their consumer and the lengths are consistent, so the
    // shape check cannot fail.
    Profile::from_rows(blocks, &rows).unwrap_or_default()
}

/// A producer for consumer `v` (> 0): near, medium, far or a hub.
fn producer_for(v: usize, file_size: usize, hubs: &[usize], zipf: &[f64], rng: &mut Rng) -> usize {
    let roll = rng.unit();
    let distance = if roll < 0.60 {
        // nearby: mostly the same or the previous file
        1 + (rng.unit().powi(2) * (2 * file_size) as f64) as usize
    } else if roll < 0.86 {
        // medium: log-uniform up to 100 files back
        (((100 * file_size) as f64).powf(rng.unit()) as usize).max(1)
    } else if roll < 0.93 {
        return rng.below(v);
    } else {
        let rank = zipf
            .partition_point(|&c| c < rng.unit())
            .min(hubs.len().saturating_sub(1));
        let hub = hubs.get(rank).copied().unwrap_or(0);
        return if hub < v { hub } else { rng.below(v) };
    };
    v - distance.min(v)
}

/// Hub blocks, by rank: spread over the whole library but denser early on
/// (the core definitions come first).
fn hub_ids(n: usize) -> Vec<usize> {
    let count = (n / 300).max(1);
    (0..count)
        .map(|j| ((j as f64 / count as f64).powi(2) * n as f64) as usize)
        .collect()
}

/// Cumulative Zipf(1) distribution over `count` ranks.
fn zipf_table(count: usize) -> Vec<f64> {
    let weights: Vec<f64> = (1..=count).map(|r| 1.0 / r as f64).collect();
    let total: f64 = weights.iter().sum();
    let mut acc = 0.0;
    weights
        .iter()
        .map(|w| {
            acc += w / total;
            acc
        })
        .collect()
}

/// Ascending addresses (block ids are in address order), random-looking tails.
fn address(seed: u64, index: usize) -> [u8; 32] {
    let mut out = ix_base::hash::hash_parts(&[&seed.to_le_bytes(), &(index as u64).to_le_bytes()]);
    out[..8].copy_from_slice(&(index as u64).to_be_bytes());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deterministic_and_well_formed() {
        let params = Params {
            blocks: 3000,
            ..Params::default()
        };
        let a = generate(&params);
        assert_eq!(a, generate(&params));
        assert_eq!(a.block_count(), 3000);
        assert!(a.blocks().windows(2).all(|w| w[0].address < w[1].address));
        for v in 0..a.block_count() {
            let row = a.producers_of(v);
            assert!(row.windows(2).all(|w| w[0] < w[1]));
            assert!(row.iter().all(|&p| (p as usize) < v));
        }
        let mean = a.edge_count() as f64 / 3000.0;
        assert!((10.0..25.0).contains(&mean), "mean out-degree {mean}");
        let other = generate(&Params { seed: 2, ..params });
        assert_ne!(a, other);
    }
}
