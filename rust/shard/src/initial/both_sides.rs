//! Greedy growing of both sides at once from two seeds far apart, by
//! max-net gain: the side further below its target takes the unassigned
//! vertex with the heaviest nets already touching it. Growing one side
//! against a fixed rest (the other growings) leaves the last vertices
//! wherever the growth did not reach; here both sides claim their
//! surroundings.

use super::partial::{far_apart, Partial, UNASSIGNED};
use crate::hypergraph::Hypergraph;
use ix_base::rng::Rng;
use std::collections::BinaryHeap;

/// Queue entries: (gain, tie-break, vertex), highest first.
type Queue = BinaryHeap<(u64, u32, u32)>;

/// Each side's max-net gains and queue. Gains only grow, so an entry whose
/// gain is stale (or whose vertex is taken) is skipped when it comes up.
struct Growth {
    gain: [Vec<u64>; 2],
    queues: [Queue; 2],
    tie: Vec<u32>,
    touched_nets: Vec<u32>,
}

impl Growth {
    fn assign(&mut self, part: &mut Partial, v: u32, s: usize) {
        let mut touched = std::mem::take(&mut self.touched_nets);
        touched.clear();
        part.assign(v, s, |e| touched.push(e));
        for &e in &touched {
            let w = part.h.net_weight(e);
            for &p in part.h.pins(e) {
                if part.side[p as usize] == UNASSIGNED {
                    self.gain[s][p as usize] += w;
                    self.queues[s].push((self.gain[s][p as usize], self.tie[p as usize], p));
                }
            }
        }
        self.touched_nets = touched;
    }

    /// The unassigned vertex side `s` wants most, if its queue has one.
    fn best(&mut self, part: &Partial, s: usize) -> Option<u32> {
        while let Some((gain, _, v)) = self.queues[s].pop() {
            if part.side[v as usize] == UNASSIGNED && gain == self.gain[s][v as usize] {
                return Some(v);
            }
        }
        None
    }
}

/// Side `s` grows towards `targets[s]` and never past `max[s]`; when a side
/// is done, the rest joins the other. `h` has at least two vertices.
pub(super) fn grow_both_sides(
    h: &Hypergraph,
    first: u32,
    targets: [u64; 2],
    max: [u64; 2],
    hub_limit: usize,
    rng: &mut Rng,
) -> Vec<u8> {
    let n = h.vertex_count();
    let seeds = far_apart(h, first, hub_limit, rng);
    let mut growth = Growth {
        gain: [vec![0; n], vec![0; n]],
        queues: Default::default(),
        tie: (0..n).map(|_| rng.next_u32()).collect(),
        touched_nets: Vec::new(),
    };
    // Where a side's queue runs dry (its component is used up), it takes
    // the next unassigned vertex of a random order.
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut next_in_order = 0;
    let mut part = Partial::new(h, hub_limit);
    for (s, &seed) in seeds.iter().enumerate() {
        growth.assign(&mut part, seed, s);
    }
    let mut open = [true, true];
    while open == [true, true] {
        let s = part.emptier(targets);
        let v = growth.best(&part, s).or_else(|| {
            while next_in_order < n && part.side[order[next_in_order] as usize] != UNASSIGNED {
                next_in_order += 1;
            }
            order.get(next_in_order).copied()
        });
        let Some(v) = v else { break };
        if part.weight[s] + h.vertex_weight(v) > max[s] {
            open[s] = false;
            continue;
        }
        growth.assign(&mut part, v, s);
        open[s] = part.weight[s] < targets[s];
    }
    // The side still open takes the rest (with both open, none is left).
    part.finish(usize::from(open[1]))
}
