//! Label propagation from two seeds far apart. Each round first labels the
//! unassigned vertices next to a labelled one, all against the labels as
//! the round found them (so both labels advance one step at a time, as two
//! breadth-first searches would, and meet midway instead of along the
//! paths a random order happens to follow), each taking the side its nets
//! connect it to most (weights of counted nets with a pin on that side),
//! within the side's maximum; then lets every labelled vertex move to the
//! side it is connected to strictly more. Unlike growing, no side is built
//! first, and early choices are revised as the labels meet.

use super::partial::{far_apart, Partial, UNASSIGNED};
use crate::hypergraph::Hypergraph;
use ix_base::rng::Rng;

/// `h` has at least two vertices; vertices no label reaches in `rounds`
/// rounds join the side further below its target, one by one.
pub(super) fn label_propagation(
    h: &Hypergraph,
    first: u32,
    targets: [u64; 2],
    max: [u64; 2],
    hub_limit: usize,
    rounds: usize,
    rng: &mut Rng,
) -> Vec<u8> {
    let n = h.vertex_count();
    let seeds = far_apart(h, first, hub_limit, rng);
    let mut part = Partial::new(h, hub_limit);
    for (s, &seed) in seeds.iter().enumerate() {
        part.assign(seed, s, |_| ());
    }
    let mut order: Vec<u32> = (0..n as u32).collect();
    let mut frontier: Vec<(u32, usize)> = Vec::new();
    for _ in 0..rounds {
        rng.shuffle(&mut order);
        frontier.clear();
        for &v in &order {
            if part.side[v as usize] == UNASSIGNED {
                if let Some(s) = preferred_side(&part, v, targets) {
                    frontier.push((v, s));
                }
            }
        }
        let mut changed = false;
        for &(v, s) in &frontier {
            changed |= label(&mut part, v, s, max);
        }
        for &v in &order {
            if !seeds.contains(&v) && part.side[v as usize] != UNASSIGNED {
                changed |= move_if_better(&mut part, v, max);
            }
        }
        if !changed {
            break;
        }
    }
    for &v in &order {
        if part.side[v as usize] == UNASSIGNED {
            let s = part.emptier(targets);
            part.assign(v, s, |_| ());
        }
    }
    part.finish(0)
}

/// The weights of `v`'s counted nets with a pin on each side, `v` aside.
fn connection(part: &Partial, v: u32) -> [u64; 2] {
    let h = part.h;
    let current = part.side[v as usize];
    let mut connection = [0u64; 2];
    for &e in h.nets_of(v) {
        if !part.counts(e) {
            continue;
        }
        let mut on = part.pins_on[e as usize];
        if current != UNASSIGNED {
            on[current as usize] -= 1;
        }
        for s in 0..2 {
            if on[s] > 0 {
                connection[s] += h.net_weight(e);
            }
        }
    }
    connection
}

/// The side the unassigned `v` is connected to most (ties: the side
/// further below its target), if it is connected at all.
fn preferred_side(part: &Partial, v: u32, targets: [u64; 2]) -> Option<usize> {
    let connection = connection(part, v);
    if connection == [0, 0] {
        return None;
    }
    Some(match connection[0].cmp(&connection[1]) {
        std::cmp::Ordering::Greater => 0,
        std::cmp::Ordering::Less => 1,
        std::cmp::Ordering::Equal => part.emptier(targets),
    })
}

/// Puts the unassigned `v` on `side` if it fits, else on the other side if
/// that fits. Returns whether `v` was labelled.
fn label(part: &mut Partial, v: u32, side: usize, max: [u64; 2]) -> bool {
    let w = part.h.vertex_weight(v);
    let Some(s) = [side, 1 - side]
        .into_iter()
        .find(|&s| part.weight[s] + w <= max[s])
    else {
        return false;
    };
    part.assign(v, s, |_| ());
    true
}

/// Moves the labelled `v` to the other side if it is connected to it
/// strictly more (a cut reduction) and fits there.
fn move_if_better(part: &mut Partial, v: u32, max: [u64; 2]) -> bool {
    let current = part.side[v as usize] as usize;
    let other = 1 - current;
    let connection = connection(part, v);
    if connection[other] > connection[current]
        && part.weight[other] + part.h.vertex_weight(v) <= max[other]
    {
        part.flip(v);
        return true;
    }
    false
}
