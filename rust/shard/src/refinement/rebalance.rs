//! Rebalancing: moves vertices out of parts heavier than the bound, into
//! parts that have room, the best moves first (see `priority`).
//!
//! Refinement under a loosened bound finds cuts that a strict bound hides
//! (every move into a full part is forbidden, so vertices cannot trade
//! places); this brings such a partition back within the bound.

use crate::hypergraph::Hypergraph;
use crate::refinement::heap::GainHeap;
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
/// weights `weight` gives) while targets have room, best priority first
/// (see `priority`). A move makes its neighbours' moves cheaper (a net
/// left with one pin in the part, or reaching the target part for the
/// first time), so those are re-rated as it happens: with the gains of
/// the start frozen, the first moves' clusters were torn apart one vertex
/// at a time.
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
    let mut queue = GainHeap::new(h.vertex_count());
    for (from, members) in members.into_iter().enumerate() {
        queue.clear();
        for v in members {
            rate(state, &mut queue, from, v, max_weight, &mut affinity);
        }
        while state.part_weight[from] > max_weight && state.part_size[from] > 1 {
            let Some((queued, v)) = queue.top() else {
                break;
            };
            queue.remove(v);
            // Targets fill up: a stale priority is re-rated before it moves.
            let Some((to, gain)) = best_target(state, from, v, max_weight, &mut affinity) else {
                continue;
            };
            let now = priority(gain, h.vertex_weight(v));
            if now < queued {
                queue.insert(v, now, tie(v));
                continue;
            }
            state.move_vertex(v, to);
            rerate_neighbours(state, &mut queue, (from, to), v, max_weight, &mut affinity);
        }
    }
}

/// Queues `v` (a member of `from`) at the priority of its best move, if
/// it has one; re-queues it if it is queued already.
fn rate(
    state: &State,
    queue: &mut GainHeap,
    from: usize,
    v: u32,
    max_weight: u64,
    affinity: &mut [i64],
) {
    if queue.contains(v) {
        queue.remove(v);
    }
    if let Some((_, gain)) = best_target(state, from, v, max_weight, affinity) {
        queue.insert(v, priority(gain, state.h.vertex_weight(v)), tie(v));
    }
}

/// After `v` moved `from` → `to`: re-rates the members of `from` whose
/// move got cheaper, those of its (non-hub) nets that `v` left with one
/// pin in `from` or brought into `to`.
fn rerate_neighbours(
    state: &State,
    queue: &mut GainHeap,
    (from, to): (usize, usize),
    v: u32,
    max_weight: u64,
    affinity: &mut [i64],
) {
    let (h, k) = (state.h, state.k);
    for &e in h.nets_of(v) {
        if h.net_size(e) > crate::HUB_NET {
            continue;
        }
        let counts = &state.pin_count[e as usize * k..(e as usize + 1) * k];
        if counts[from] == 0 || (counts[from] > 1 && counts[to] > 1) {
            continue;
        }
        for &u in h.pins(e) {
            if state.parts[u as usize] as usize == from && queue.contains(u) {
                rate(state, queue, from, u, max_weight, affinity);
            }
        }
    }
}

/// Best first: moves that gain, the more gain and the heavier the better
/// (gain × weight); then losing moves, the less loss per unit of weight
/// moved the better (a light vertex that loses little may remove too
/// little of the excess to be worth it).
fn priority(gain: i64, weight: u64) -> i64 {
    let weight = i128::from(weight.max(1));
    let key = if gain >= 0 {
        i128::from(gain) * weight
    } else {
        (i128::from(gain) << 16) / weight
    };
    key.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
}

/// Equal priorities: the lower vertex id first.
fn tie(v: u32) -> u32 {
    u32::MAX - v
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
        incident += net_weight;
        if state.pins_in(e, from) == 1 {
            benefit += net_weight;
        }
        state.for_each_part_of(e, |p| affinity[p] += net_weight);
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

    #[test]
    fn priorities_weigh_gain_against_weight() {
        assert!(priority(2, 1) > priority(1, 1));
        assert!(priority(1, 3) > priority(2, 1), "more gain in all");
        assert!(priority(0, 1) > priority(-1, 100));
        assert!(priority(-3, 5) > priority(-1, 1), "less loss per weight");
        assert_eq!(priority(i64::MAX, u64::MAX), i64::MAX);
    }

    #[test]
    fn a_move_makes_its_neighbours_cheaper() {
        // Part 0 = {u, v, g, d1, d2, d3} must hand two vertices to part 1
        // = {x, y}. u leaves cheapest (−1); once it has, v follows at +2
        // (their heavy net {u, v} goes with them), where the gains of the
        // start rank every d (−2) above v (−4).
        let (u, v, g, d1, d2, d3, x) = (0, 1, 2, 3, 4, 5, 6);
        let nets: [(&[u32], u64); 6] = [
            (&[u, x], 2),
            (&[u, v], 3),
            (&[v, g], 1),
            (&[d1, g], 2),
            (&[d2, g], 2),
            (&[d3, g], 2),
        ];
        let mut offsets = vec![0];
        let mut pins = Vec::new();
        for (net, _) in nets {
            pins.extend_from_slice(net);
            offsets.push(pins.len() as u32);
        }
        let weights = nets.iter().map(|&(_, w)| w).collect();
        let h = Hypergraph::new(vec![1; 8], weights, offsets, pins).unwrap();
        let mut parts = vec![0, 0, 0, 0, 0, 0, 1, 1];
        assert_eq!(crate::metrics::km1(&h, &parts, 2), 2);
        assert!(rebalance(&h, &mut parts, 2, 4));
        assert_eq!(parts, [1, 1, 0, 0, 0, 0, 1, 1]);
        assert_eq!(crate::metrics::km1(&h, &parts, 2), 1);
    }
}
