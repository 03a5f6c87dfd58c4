//! `ix-shard`: splits a profiled Lean environment into balanced shards.
//!
//! The delta-unfold hypergraph of a profile (`ixesp`) is partitioned under the
//! km1 objective (total cross-shard ingress bytes) by multilevel recursive
//! bisection followed by direct k-way refinement; the result is written as a
//! `.ixes` manifest with a what-if report. hMETIS `.hgr` files can be
//! partitioned too, for comparison with KaHyPar and Mt-KaHyPar.
//!
//! Layout by phase: `coarsening` (clustering and contraction), `initial`
//! (initial partitions of a bisection's coarsest level), `bisection` (one
//! multilevel bisection), `recursive` (recursive bisection into k parts),
//! `refinement` (two-way FM, k-way label propagation and FM, flows on block
//! pairs, rebalancing),
//! `vcycle`; `config` holds every tuning setting. I/O: `hmetis` (`.hgr` and
//! part files), `manifest` (`.ixes`), `report`, and `command` (the `ix shard`
//! command functions).

mod bisection;
mod coarsening;
pub mod command;
pub mod config;
pub mod hmetis;
pub mod hypergraph;
mod initial;
pub mod manifest;
pub mod metrics;
mod recursive;
mod refinement;
pub mod report;
mod vcycle;

pub use config::PartitionConfig;
pub use hypergraph::Hypergraph;
pub use recursive::{balance_weights, PartitionError, Request, Tree};

/// A k-way partition: each vertex's part and the bisection tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Partition {
    pub parts: Vec<u32>,
    pub tree: Tree,
}

/// Nets with more pins are left out of gains (two-way FM and the k-way gain
/// cache) and of coarse levels: they are almost always cut, and updating
/// their thousands of pins would dominate the run time.
pub(crate) const HUB_NET: usize = 400;

/// Partitions `h` into `request.parts` non-empty parts minimising km1, with
/// every part's weight within (1 + ε) of a perfect share where the atomic
/// vertices allow (a vertex heavier than that keeps its part to itself, as
/// far as the other parts have room). `on_leaves(n)` is called as parts are
/// finished.
///
/// Multilevel k-way scheme: coarsen the whole hypergraph once, to about
/// `vertices_per_part` vertices per part; split the coarsest level by
/// multilevel recursive bisection (which gives the tree); then project back
/// level by level with direct k-way km1 refinement at each (and flows on
/// block pairs at the finest levels); then V-cycles while they pay.
pub fn partition(
    h: &Hypergraph,
    request: Request,
    config: &PartitionConfig,
    on_leaves: &(dyn Fn(u32) + Sync),
) -> Result<Partition, PartitionError> {
    request.validate(h.vertex_count())?;
    let k = request.parts;
    if k == 1 {
        // Nothing to split: coarsening and refinement would only cost time
        // (half a minute at 631k blocks).
        on_leaves(1);
        return Ok(Partition {
            parts: vec![0; h.vertex_count()],
            tree: Tree::Leaf(0),
        });
    }
    let weights = balance_weights(h.vertex_weights(), k);
    let balanced = h.clone().with_vertex_weights(weights);
    let total = balanced.total_vertex_weight();
    let max_weight = ((1.0 + request.epsilon) * total.div_ceil(u64::from(k)) as f64) as u64;
    let mut rng = ix_base::rng::Rng::new(ix_base::rng::mix(request.seed ^ 0x6b77_6179));
    let coarsest_size = kway_coarsest(&balanced, k, &config.coarsening);
    let mut levels = coarsening::coarsen(
        &balanced,
        coarsening::CoarsenConfig::new(
            &config.coarsening,
            coarsest_size,
            (total / coarsest_size as u64).max(1),
        ),
        &mut rng,
        None,
    );
    let coarsest = levels.last().map_or(&balanced, |level| &level.coarse);
    let ctx = recursive::Context {
        parts: k,
        perfect: total as f64 / f64::from(k),
        epsilon: request.epsilon,
        seed: request.seed,
        config,
        on_leaves,
    };
    let (mut parts, tree) = recursive::recurse(coarsest.clone(), k, 0, &ctx);
    let flow_levels = if k <= config.flows.levels_max_k {
        config.flows.finest_levels
    } else {
        config.flows.finest_levels.min(1)
    };
    // `depth` counts levels above the input.
    let refine = |h: &Hypergraph, parts: &mut Vec<u32>, seed: u64, depth: usize| {
        refinement::kway::refine(h, parts, k, max_weight, seed, &config.kway);
        if depth < flow_levels {
            let flows = config.flows.for_pins(h.pin_count());
            refinement::flow::refine(h, parts, k, max_weight, &flows);
        }
    };
    // Bisections balance within ε as far as their vertices' weights allow.
    refinement::rebalance::rebalance(coarsest, &mut parts, k, max_weight);
    refine(coarsest, &mut parts, rng.next_u64(), levels.len());
    // Each level is freed once projected: the finest refinements, the
    // largest in memory, run without the coarse levels beside them.
    while let Some(level) = levels.pop() {
        parts = level.map.iter().map(|&c| parts[c as usize]).collect();
        drop(level);
        let finer = levels.last().map_or(&balanced, |level| &level.coarse);
        refine(finer, &mut parts, rng.next_u64(), levels.len());
    }
    // Coarse clusters can be too heavy to rebalance exactly: finish on the input.
    if refinement::rebalance::rebalance(&balanced, &mut parts, k, max_weight) {
        refine(&balanced, &mut parts, rng.next_u64(), 0);
    }
    let cycles = config.v_cycles.cycles_for(h.pin_count());
    let cycled = vcycle::improve(
        &balanced, &mut parts, k, max_weight, cycles, config, &mut rng,
    );
    // V-cycles refine k-way only: flows on the pairs of what they changed.
    if cycled && config.flows.after_v_cycles {
        let flows = config.flows.for_pins(balanced.pin_count());
        refinement::flow::refine(&balanced, &mut parts, k, max_weight, &flows);
    }
    settle_heavy_vertices(h, balanced, &mut parts, k, max_weight, &mut rng, config);
    Ok(Partition { parts, tree })
}

/// Balance weights cap a vertex at one perfect part, so the part holding a
/// heavier one took in others up to the bound (ibm14.weight at k = 64: 4.5%
/// of a part beside a vertex that alone is 27% over). Weighed again at its
/// real weight up to the bound, such a vertex fills its part: rebalancing
/// moves the others out, where other parts have room, and k-way refinement
/// mends the cut under the same weights.
fn settle_heavy_vertices(
    h: &Hypergraph,
    balanced: Hypergraph,
    parts: &mut Vec<u32>,
    k: u32,
    max_weight: u64,
    rng: &mut ix_base::rng::Rng,
    config: &PartitionConfig,
) {
    if h.vertex_weights() == balanced.vertex_weights() {
        return;
    }
    let weights = h.vertex_weights().iter().map(|&w| w.min(max_weight));
    let strict = balanced.with_vertex_weights(weights.collect());
    if refinement::rebalance::rebalance(&strict, parts, k, max_weight) {
        refinement::kway::refine(&strict, parts, k, max_weight, rng.next_u64(), &config.kway);
    }
}

/// Where the k-way hierarchy stops (see `config::Coarsening`).
fn kway_coarsest(h: &Hypergraph, k: u32, settings: &config::Coarsening) -> usize {
    let n = h.vertex_count();
    let shrink = if h.pin_count() > n.saturating_mul(settings.small_max_pins_per_vertex) {
        1
    } else {
        settings.small_shrink.max(1)
    };
    let floor = settings.min_kway_coarsest.min(n / shrink);
    (settings.vertices_per_part * k as usize).max(floor)
}
