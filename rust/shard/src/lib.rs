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

/// Partitions `h` into `request.parts` non-empty parts minimising km1, with
/// every part's (capped) weight within (1 + ε) of a perfect share where the
/// atomic vertices allow. `on_leaves(n)` is called as parts are finished.
pub fn partition(
    h: &Hypergraph,
    request: Request,
    on_leaves: &(dyn Fn(u32) + Sync),
) -> Result<Partition, PartitionError> {
    request.validate(h.vertex_count())?;
    let weights = balance_weights(h.vertex_weights(), request.parts);
    let balanced = h.clone().with_vertex_weights(weights);
    let total = balanced.total_vertex_weight();
    let ctx = recursive::Context {
        perfect: total as f64 / f64::from(request.parts),
        epsilon: request.epsilon,
        seed: request.seed,
        on_leaves,
    };
    let (mut parts, tree) = recursive::recurse(balanced.clone(), request.parts, 0, &ctx);
    let max_weight = ((1.0 + request.epsilon) * total.div_ceil(u64::from(request.parts)) as f64) as u64;
    kway::refine(&balanced, &mut parts, request.parts, max_weight, rng::mix(request.seed ^ 0x6b77_6179));
    Ok(Partition { parts, tree })
}
