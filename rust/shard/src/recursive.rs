//! Recursive bisection into any number of parts, with leaf-count allocation,
//! k_left/k targets, the balance-weight cap, and rayon across independent
//! halves. Every sub-problem's seed comes from its place in the tree, so the
//! result does not depend on the thread count.

use crate::bisection::bisect;
use crate::config::{BisectionTry, PartitionConfig};
use crate::hypergraph::Hypergraph;
use crate::refinement::fm::Bisection;
use ix_base::rng::mix;
use rayon::prelude::*;
use serde::Serialize;

/// The bisection tree: its leaves, left to right, are the part ids 0..k.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Tree {
    Leaf(u32),
    Node(Box<Tree>, Box<Tree>),
}

impl Tree {
    /// Leaf ids in preorder.
    pub fn leaves(&self) -> Vec<u32> {
        let mut out = Vec::new();
        self.collect_leaves(&mut out);
        out
    }

    fn collect_leaves(&self, out: &mut Vec<u32>) {
        match self {
            Tree::Leaf(id) => out.push(*id),
            Tree::Node(left, right) => {
                left.collect_leaves(out);
                right.collect_leaves(out);
            }
        }
    }
}

/// Impossible partitioning requests.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PartitionError {
    #[error("the number of parts must be at least 1")]
    ZeroParts,
    #[error("cannot make {parts} non-empty parts from {vertices} vertices")]
    TooManyParts { parts: u32, vertices: usize },
    #[error("the balance tolerance must be a finite number >= 0, got {0}")]
    BadEpsilon(f64),
}

/// What the partitioner is asked for.
#[derive(Clone, Copy, Debug)]
pub struct Request {
    pub parts: u32,
    pub epsilon: f64,
    pub seed: u64,
}

impl Request {
    /// Refuses impossible requests before any work is done.
    pub fn validate(&self, vertices: usize) -> Result<(), PartitionError> {
        if self.parts == 0 {
            return Err(PartitionError::ZeroParts);
        }
        if !(self.epsilon.is_finite() && self.epsilon >= 0.0) {
            return Err(PartitionError::BadEpsilon(self.epsilon));
        }
        if self.parts as usize > vertices {
            return Err(PartitionError::TooManyParts {
                parts: self.parts,
                vertices,
            });
        }
        Ok(())
    }
}

/// Shared, read-only context of one recursive-bisection run.
pub(crate) struct Context<'a> {
    /// The number of parts of the whole run.
    pub(crate) parts: u32,
    pub(crate) perfect: f64,
    pub(crate) epsilon: f64,
    pub(crate) seed: u64,
    pub(crate) config: &'a PartitionConfig,
    pub(crate) on_leaves: &'a (dyn Fn(u32) + Sync),
}

/// The balance weights: each vertex weighs at most one perfect part, so an
/// atomic block heavier than a part does not wreck every bisection.
pub fn balance_weights(weights: &[u64], parts: u32) -> Vec<u64> {
    let total: u64 = weights.iter().sum();
    let cap = total.div_ceil(u64::from(parts.max(1))).max(1);
    weights.iter().map(|&w| w.min(cap)).collect()
}

/// Recursive bisection of `h` (already carrying balance weights) into
/// `k` parts numbered from `first`. Returns each vertex's part and the tree.
pub(crate) fn recurse(h: Hypergraph, k: u32, first: u32, ctx: &Context) -> (Vec<u32>, Tree) {
    let n = h.vertex_count();
    if k == 1 {
        (ctx.on_leaves)(1);
        return (vec![first; n], Tree::Leaf(first));
    }
    let total = h.total_vertex_weight();
    let mut k_left = k / 2;
    let epsilon = adaptive_epsilon(ctx, k, total);
    let share = |parts: u32| total as f64 * f64::from(parts) / f64::from(k);
    let max = [
        ((1.0 + epsilon) * share(k_left)) as u64,
        ((1.0 + epsilon) * share(k - k_left)) as u64,
    ];
    let seed = mix(ctx.seed ^ mix((u64::from(first) << 32) | u64::from(k)));
    let only_split = ctx.parts == 2;
    let target0 = share(k_left).round() as u64;
    let mut side = best_bisection(&h, k, max, target0, seed, only_split, ctx.config);
    ensure_both_sides(&mut side);
    let n_left = side.iter().filter(|&&s| s == 0).count();
    let n_right = n - n_left;
    if n_left < k_left as usize || n_right < (k - k_left) as usize {
        // Too few vertices on one side for its parts: re-allocate leaves by
        // weight, within what the vertex counts allow.
        let w_left: u64 = (0..n)
            .filter(|&v| side[v] == 0)
            .map(|v| h.vertex_weight(v as u32))
            .sum();
        let by_weight = (f64::from(k) * w_left as f64 / total.max(1) as f64).round() as u32;
        let low = 1.max(k.saturating_sub(n_right as u32));
        let high = (k - 1).min(n_left as u32);
        k_left = by_weight.clamp(low, high);
    }
    let (left, left_ids) = h.extract_side(&side, 0);
    let (right, right_ids) = h.extract_side(&side, 1);
    drop(h);
    let ((left_parts, left_tree), (right_parts, right_tree)) = rayon::join(
        || recurse(left, k_left, first, ctx),
        || recurse(right, k - k_left, first + k_left, ctx),
    );
    let mut parts = vec![0u32; n];
    for (ids, sub) in [(&left_ids, &left_parts), (&right_ids, &right_parts)] {
        for (&v, &p) in ids.iter().zip(sub.iter()) {
            parts[v as usize] = p;
        }
    }
    (parts, Tree::Node(Box::new(left_tree), Box::new(right_tree)))
}

/// Several independent multilevel bisections (in parallel); the best by
/// (overload, cut) wins, ties to the lowest try, so the choice does not
/// depend on the thread count.
fn best_bisection(
    h: &Hypergraph,
    k: u32,
    max: [u64; 2],
    target0: u64,
    seed: u64,
    only_split: bool,
    config: &PartitionConfig,
) -> Vec<u8> {
    let all = &config.bisection.tries[..];
    let tries = if h.pin_count() > config.bisection.single_try_min_pins {
        &all[..all.len().min(1)]
    } else {
        all
    };
    let per_part = h.vertex_count() / k as usize;
    let tries: Vec<(usize, BisectionTry)> = tries
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, search)| per_part >= search.min_vertices_per_part)
        .collect();
    let results: Vec<((u64, u64), Vec<u8>)> = tries
        .par_iter()
        .map(|&(t, search)| {
            let side = bisect(
                h,
                max,
                target0,
                mix(seed ^ t as u64),
                search,
                only_split,
                config,
            );
            (Bisection::new(h, side.clone()).key(max), side)
        })
        .collect();
    results
        .into_iter()
        .min_by_key(|(key, _)| *key)
        .map(|(_, side)| side)
        .unwrap_or_default()
}

/// The per-bisection tolerance that leaves every final part within
/// (1 + ε) × perfect after ⌈log2 k⌉ more levels of bisection.
fn adaptive_epsilon(ctx: &Context, k: u32, total: u64) -> f64 {
    let allowed = (1.0 + ctx.epsilon) * f64::from(k) * ctx.perfect / total.max(1) as f64;
    let levels = f64::from(32 - (k - 1).leading_zeros());
    (allowed.powf(1.0 / levels) - 1.0).max(0.0)
}

/// A bisection of two or more vertices must leave both sides non-empty.
fn ensure_both_sides(side: &mut [u8]) {
    if side.len() < 2 {
        return;
    }
    for s in 0..2u8 {
        if !side.contains(&s) {
            side[0] = s;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adaptive_epsilon_compounds_to_epsilon() {
        let ctx = Context {
            parts: 8,
            perfect: 100.0,
            epsilon: 0.05,
            seed: 0,
            config: &PartitionConfig::default(),
            on_leaves: &|_| {},
        };
        let e = adaptive_epsilon(&ctx, 8, 800);
        assert!(((1.0 + e).powi(3) - 1.05).abs() < 1e-9);
        assert_eq!(adaptive_epsilon(&ctx, 2, 300), 0.0);
    }

    #[test]
    fn balance_cap_limits_atomic_blocks() {
        assert_eq!(balance_weights(&[1, 1, 100], 2), vec![1, 1, 51]);
    }

    #[test]
    fn requests_are_checked() {
        let r = |parts, epsilon| {
            Request {
                parts,
                epsilon,
                seed: 0,
            }
            .validate(10)
        };
        assert_eq!(r(0, 0.05), Err(PartitionError::ZeroParts));
        assert_eq!(
            r(11, 0.05),
            Err(PartitionError::TooManyParts {
                parts: 11,
                vertices: 10
            })
        );
        assert!(matches!(r(2, -0.1), Err(PartitionError::BadEpsilon(_))));
        assert!(matches!(r(2, f64::NAN), Err(PartitionError::BadEpsilon(_))));
        assert_eq!(r(10, 0.0), Ok(()));
    }
}
