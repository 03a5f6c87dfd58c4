//! V-cycles: re-coarsen a finished partition within its parts and refine it
//! k-way again, while a cycle pays.

use crate::coarsening::{self, CoarsenConfig};
use crate::config::PartitionConfig;
use crate::hypergraph::Hypergraph;
use crate::metrics;
use crate::refinement::{flow, kway, rebalance};

/// Runs up to `cycles` V-cycles on `parts` (each followed by flows where
/// `VCycles::flows_for` says so), keeping each cycle that ends lower and
/// no heavier than the bound (or the heaviest part it started with), and
/// stopping after one that gains less than `min_gain_permille`. Returns
/// whether a cycle was kept.
pub(crate) fn improve(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: u32,
    max_weight: u64,
    cycles: usize,
    config: &PartitionConfig,
    rng: &mut ix_base::rng::Rng,
) -> bool {
    let total = h.total_vertex_weight();
    let v_coarsest = config.v_cycles.vertices_per_part * k as usize;
    let cluster_cap = (total / v_coarsest as u64).max(1);
    let coarsen_config = CoarsenConfig::new(&config.coarsening, v_coarsest, cluster_cap);
    let mut km1 = metrics::km1(h, parts, k);
    let heaviest = |parts: &[u32]| {
        metrics::part_weights(h.vertex_weights(), parts, k)
            .into_iter()
            .max()
            .unwrap_or(0)
    };
    let bound = heaviest(parts).max(max_weight);
    let flows = config.flows.for_pins(h.pin_count());
    let cycle_flows = config.v_cycles.flows_for(k, h.pin_count(), &flows);
    let mut kept = false;
    for _ in 0..cycles {
        let mut candidate = parts.clone();
        v_cycle(
            h,
            &mut candidate,
            k,
            max_weight,
            coarsen_config,
            config,
            rng,
        );
        if let Some(flows) = &cycle_flows {
            flow::refine(h, &mut candidate, k, max_weight, flows);
        }
        let after = metrics::km1(h, &candidate, k);
        // Coarse levels leave hub nets out, so a cycle can lose: keep the best.
        if after >= km1 || heaviest(&candidate) > bound {
            break;
        }
        let small_gain = after * 1000 > km1 * (1000 - config.v_cycles.min_gain_permille);
        *parts = candidate;
        km1 = after;
        kept = true;
        if small_gain {
            break;
        }
    }
    kept
}

/// One V-cycle: re-coarsens `h` clustering only within parts, so every
/// coarse level carries the partition, then refines k-way from the coarsest
/// level back up: the coarse levels with `slack_permille` slack, the input,
/// once rebalanced, under the bound only. Coarse refinement moves whole
/// clusters, which single-vertex moves at the finest level cannot do; a
/// slack refinement of the input as well cost a third of a cycle's time for
/// gains that the rebalance after it mostly took back.
fn v_cycle(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: u32,
    max_weight: u64,
    coarsen_config: CoarsenConfig,
    config: &PartitionConfig,
    rng: &mut ix_base::rng::Rng,
) {
    let mut levels = coarsening::coarsen(h, coarsen_config, rng, Some(parts));
    let Some(mut current) = levels.last_mut().and_then(|level| level.parts.take()) else {
        return;
    };
    let search = max_weight + max_weight * config.v_cycles.slack_permille / 1000;
    // Each level is freed once projected (see `partition`).
    while let Some(level) = levels.pop() {
        kway::refine(
            &level.coarse,
            &mut current,
            k,
            search,
            rng.next_u64(),
            &config.kway,
        );
        current = level.map.iter().map(|&c| current[c as usize]).collect();
    }
    rebalance::rebalance(h, &mut current, k, max_weight);
    kway::refine(h, &mut current, k, max_weight, rng.next_u64(), &config.kway);
    *parts = current;
}
