//! Rebalancing: moves vertices out of parts heavier than the bound, the
//! cheapest moves (in km1) first, into parts that have room.
//!
//! Refinement under a loosened bound finds cuts that a strict bound hides
//! (every move into a full part is forbidden, so vertices cannot trade
//! places); this brings such a partition back within the bound.

use crate::hypergraph::Hypergraph;
use crate::refinement::kway::{self, State};

/// Moves vertices until no part exceeds `max_weight`, as far as parts with
/// room allow (callers check the result). Never empties a part. Returns
/// whether any part was over the bound.
pub(crate) fn rebalance(h: &Hypergraph, parts: &mut Vec<u32>, k: u32, max_weight: u64) -> bool {
    let k = k as usize;
    let mut weight = vec![0u64; k];
    for (v, &p) in parts.iter().enumerate() {
        weight[p as usize] += h.vertex_weight(v as u32);
    }
    if weight.iter().all(|&w| w <= max_weight) {
        return false;
    }
    kway::with_state(h, parts, k, |state| drain(state, &weight, max_weight));
    true
}

/// Moves members out of every part heavier than `max_weight` (whose
/// weights `weight` gives), cheapest first, while targets have room.
fn drain(state: &mut State, weight: &[u64], max_weight: u64) {
    let (h, k) = (state.h, state.k);
    // An overloaded part never receives a vertex, so its members are fixed
    // until its own turn.
    let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
    for (v, &p) in state.parts.iter().enumerate() {
        if weight[p as usize] > max_weight {
            members[p as usize].push(v as u32);
        }
    }
    let mut affinity = vec![0i64; k];
    for (from, members) in members.into_iter().enumerate() {
        let mut candidates: Vec<(i64, u32)> = members
            .into_iter()
            .filter_map(|v| {
                best_target(state, from, v, max_weight, &mut affinity).map(|(_, g)| (g, v))
            })
            .collect();
        // Best gain first; ties to the lighter vertex (less to move), then id.
        candidates.sort_by_key(|&(gain, v)| (std::cmp::Reverse(gain), h.vertex_weight(v), v));
        for (_, v) in candidates {
            if state.part_weight[from] <= max_weight || state.part_size[from] <= 1 {
                break;
            }
            // Gains moved since the sort; the target must still have room.
            if let Some((to, _)) = best_target(state, from, v, max_weight, &mut affinity) {
                state.move_vertex(v, to);
            }
        }
    }
}

/// The part with room for `v` whose move from `from` costs the least km1,
/// and that gain (ties: the lighter part, then the lower id); any part, not
/// only those `v`'s nets touch, as the neighbours may all be full.
/// `affinity` is scratch of length k.
fn best_target(
    state: &State,
    from: usize,
    v: u32,
    max_weight: u64,
    affinity: &mut [i64],
) -> Option<(usize, i64)> {
    let (h, k) = (state.h, state.k);
    let w = h.vertex_weight(v);
    let mut benefit = 0i64;
    let mut incident = 0i64;
    affinity.fill(0);
    for &e in h.nets_of(v) {
        let net_weight = h.net_weight(e) as i64;
        let counts = &state.pin_count[e as usize * k..(e as usize + 1) * k];
        incident += net_weight;
        if counts[from] == 1 {
            benefit += net_weight;
        }
        for (slot, &count) in affinity.iter_mut().zip(counts) {
            if count > 0 {
                *slot += net_weight;
            }
        }
    }
    (0..k)
        .filter(|&p| p != from && state.part_weight[p] + w <= max_weight)
        .map(|p| (p, benefit + affinity[p] - incident))
        .max_by_key(|&(p, gain)| {
            (
                gain,
                std::cmp::Reverse(state.part_weight[p]),
                std::cmp::Reverse(p),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::part_weights;

    #[test]
    fn brings_overloaded_parts_within_the_bound() {
        let h = crate::hypergraph::synthetic_unit(2000);
        // Part 0 holds half of the vertices; the other three share the rest.
        let mut parts: Vec<u32> = (0..2000u32)
            .map(|v| if v < 1000 { 0 } else { 1 + v % 3 })
            .collect();
        assert!(rebalance(&h, &mut parts, 4, 525));
        assert!(!rebalance(&h, &mut parts, 4, 525), "already balanced");
        assert!(part_weights(h.vertex_weights(), &parts, 4)
            .iter()
            .all(|&w| (1..=525).contains(&w)));
    }
}
