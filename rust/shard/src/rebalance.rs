//! Rebalancing: moves vertices out of parts heavier than the bound, the
//! cheapest moves (in km1) first, into parts that have room.
//!
//! Refinement under a loosened bound finds cuts that a strict bound hides
//! (every move into a full part is forbidden, so vertices cannot trade
//! places); this brings such a partition back within the bound.

use crate::hypergraph::Hypergraph;

/// Moves vertices until no part exceeds `max_weight`, as far as parts with
/// room allow (callers check the result). Never empties a part. Returns
/// whether any part was over the bound.
pub(crate) fn rebalance(h: &Hypergraph, parts: &mut [u32], k: u32, max_weight: u64) -> bool {
    let k = k as usize;
    let mut weight = vec![0u64; k];
    let mut size = vec![0u32; k];
    let mut pin_count = vec![0u32; h.net_count() * k];
    for (v, &p) in parts.iter().enumerate() {
        weight[p as usize] += h.vertex_weight(v as u32);
    }
    if weight.iter().all(|&w| w <= max_weight) {
        return false;
    }
    for (v, &p) in parts.iter().enumerate() {
        size[p as usize] += 1;
        for &e in h.nets_of(v as u32) {
            pin_count[e as usize * k + p as usize] += 1;
        }
    }
    for from in 0..k {
        if weight[from] <= max_weight {
            continue;
        }
        let mut candidates: Vec<(i64, u32)> = (0..parts.len() as u32)
            .filter(|&v| parts[v as usize] as usize == from)
            .filter_map(|v| {
                best_target(h, &pin_count, &weight, k, from, v, max_weight).map(|(_, g)| (g, v))
            })
            .collect();
        // Best gain first; ties to the lighter vertex (less to move), then id.
        candidates.sort_by_key(|&(gain, v)| (std::cmp::Reverse(gain), h.vertex_weight(v), v));
        for (_, v) in candidates {
            if weight[from] <= max_weight || size[from] <= 1 {
                break;
            }
            // Gains moved since the sort; the target must still have room.
            let Some((to, _)) = best_target(h, &pin_count, &weight, k, from, v, max_weight) else {
                continue;
            };
            let w = h.vertex_weight(v);
            for &e in h.nets_of(v) {
                pin_count[e as usize * k + from] -= 1;
                pin_count[e as usize * k + to] += 1;
            }
            weight[from] -= w;
            weight[to] += w;
            size[from] -= 1;
            size[to] += 1;
            parts[v as usize] = to as u32;
        }
    }
    true
}

/// The part with room for `v` whose move from `from` costs the least km1,
/// and that gain (ties: the lighter part, then the lower id).
fn best_target(
    h: &Hypergraph,
    pin_count: &[u32],
    weight: &[u64],
    k: usize,
    from: usize,
    v: u32,
    max_weight: u64,
) -> Option<(usize, i64)> {
    let w = h.vertex_weight(v);
    let mut benefit = 0i64;
    let mut incident = 0i64;
    let mut affinity = vec![0i64; k];
    for &e in h.nets_of(v) {
        let net_weight = h.net_weight(e) as i64;
        let counts = &pin_count[e as usize * k..(e as usize + 1) * k];
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
        .filter(|&p| p != from && weight[p] + w <= max_weight)
        .map(|p| (p, benefit + affinity[p] - incident))
        .max_by_key(|&(p, gain)| (gain, std::cmp::Reverse(weight[p]), std::cmp::Reverse(p)))
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
