//! `ix-shard`: splits a profiled Lean environment into balanced shards.
//!
//! The delta-unfold hypergraph of a profile (`ixesp`) is partitioned under the
//! km1 objective (total cross-shard ingress bytes) by multilevel recursive
//! bisection followed by direct k-way refinement; the result is written as a
//! `.ixes` manifest with a what-if report. hMETIS `.hgr` files can be
//! partitioned too, for comparison with KaHyPar and Mt-KaHyPar.

mod bisect;
mod coarsen;
pub mod command;
mod fm;
mod heap;
pub mod hmetis;
pub mod hypergraph;
mod kway;
pub mod manifest;
pub mod metrics;
mod recursive;
pub mod report;
mod rng;

pub use hypergraph::Hypergraph;
pub use recursive::{balance_weights, PartitionError, Request, Tree};

/// A k-way partition: each vertex's part and the bisection tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    pub parts: Vec<u32>,
    pub tree: Tree,
}

/// The k-way hierarchy stops at about this many vertices per part, and never
/// below `MIN_KWAY_COARSEST`: down to there, recursive bisection (FM at every
/// level of every bisection) finds clearly better cuts than k-way label
/// propagation; above it, coarsening once saves each bisection from
/// re-coarsening the huge fine levels.
const VERTICES_PER_PART: usize = 160;
const MIN_KWAY_COARSEST: usize = 30_000;

/// Partitions `h` into `request.parts` non-empty parts minimising km1, with
/// every part's (capped) weight within (1 + ε) of a perfect share where the
/// atomic vertices allow. `on_leaves(n)` is called as parts are finished.
///
/// Multilevel k-way scheme: coarsen the whole hypergraph once, to about
/// 160 vertices per part (at least 30,000); split the coarsest level by multilevel recursive
/// bisection (which gives the tree); then project back level by level with
/// direct k-way km1 refinement at each.
pub fn partition(
    h: &Hypergraph,
    request: Request,
    on_leaves: &(dyn Fn(u32) + Sync),
) -> Result<Partition, PartitionError> {
    request.validate(h.vertex_count())?;
    let k = request.parts;
    let weights = balance_weights(h.vertex_weights(), k);
    let balanced = h.clone().with_vertex_weights(weights);
    let total = balanced.total_vertex_weight();
    let max_weight = ((1.0 + request.epsilon) * total.div_ceil(u64::from(k)) as f64) as u64;
    let mut rng = rng::Rng::new(rng::mix(request.seed ^ 0x6b77_6179));
    let coarsest_size = (VERTICES_PER_PART * k as usize).max(MIN_KWAY_COARSEST);
    let config = coarsen::CoarsenConfig {
        coarsest: coarsest_size,
        max_rated_net: bisect::MAX_RATED_NET,
        max_shrink: 2.0,
        cluster_cap: (total / coarsest_size as u64).max(1),
    };
    let levels = coarsen::coarsen(&balanced, config, &mut rng);
    let coarsest = levels.last().map_or(&balanced, |level| &level.coarse);
    let ctx = recursive::Context {
        perfect: total as f64 / f64::from(k),
        epsilon: request.epsilon,
        seed: request.seed,
        on_leaves,
    };
    let (mut parts, tree) = recursive::recurse(coarsest.clone(), k, 0, &ctx);
    kway::refine(coarsest, &mut parts, k, max_weight, rng.next_u64());
    for i in (0..levels.len()).rev() {
        let finer = if i == 0 {
            &balanced
        } else {
            &levels[i - 1].coarse
        };
        parts = levels[i].map.iter().map(|&c| parts[c as usize]).collect();
        kway::refine(finer, &mut parts, k, max_weight, rng.next_u64());
    }
    Ok(Partition { parts, tree })
}
