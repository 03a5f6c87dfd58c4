//! A partial bisection: vertices on side 0, side 1 or neither yet, with the
//! pins of each side in every net, for the algorithms that grow both sides
//! at once.

use crate::hypergraph::Hypergraph;
use ix_base::rng::Rng;

pub(super) const UNASSIGNED: u8 = 2;

pub(super) struct Partial<'h> {
    pub(super) h: &'h Hypergraph,
    pub(super) side: Vec<u8>,
    /// Pins on each side, of nets of 2 to `hub_limit` pins (others: 0).
    pub(super) pins_on: Vec<[u32; 2]>,
    pub(super) weight: [u64; 2],
    pub(super) hub_limit: usize,
}

impl<'h> Partial<'h> {
    pub(super) fn new(h: &'h Hypergraph, hub_limit: usize) -> Self {
        Partial {
            h,
            side: vec![UNASSIGNED; h.vertex_count()],
            pins_on: vec![[0; 2]; h.net_count()],
            weight: [0; 2],
            hub_limit,
        }
    }

    /// Whether `e` counts: nets of one pin cannot be cut, and hub nets are
    /// left out as everywhere in two-way refinement.
    pub(super) fn counts(&self, e: u32) -> bool {
        (2..=self.hub_limit).contains(&self.h.net_size(e))
    }

    /// Puts the unassigned `v` on side `s`; `first_pin(e)` is called for
    /// each counted net that had no pin on `s` before.
    pub(super) fn assign(&mut self, v: u32, s: usize, mut first_pin: impl FnMut(u32)) {
        self.side[v as usize] = s as u8;
        self.weight[s] += self.h.vertex_weight(v);
        for &e in self.h.nets_of(v) {
            if !self.counts(e) {
                continue;
            }
            self.pins_on[e as usize][s] += 1;
            if self.pins_on[e as usize][s] == 1 {
                first_pin(e);
            }
        }
    }

    /// Moves the assigned `v` to the other side.
    pub(super) fn flip(&mut self, v: u32) {
        let from = self.side[v as usize] as usize;
        let to = 1 - from;
        let w = self.h.vertex_weight(v);
        self.weight[from] -= w;
        self.weight[to] += w;
        self.side[v as usize] = to as u8;
        for &e in self.h.nets_of(v) {
            if self.counts(e) {
                self.pins_on[e as usize][from] -= 1;
                self.pins_on[e as usize][to] += 1;
            }
        }
    }

    /// The side `s` whose weight is the smaller share of `targets[s]`.
    pub(super) fn emptier(&self, targets: [u64; 2]) -> usize {
        let fill0 = u128::from(self.weight[0]) * u128::from(targets[1]);
        let fill1 = u128::from(self.weight[1]) * u128::from(targets[0]);
        usize::from(fill1 < fill0)
    }

    /// The finished bisection: unassigned vertices join `rest`.
    pub(super) fn finish(mut self, rest: usize) -> Vec<u8> {
        for s in &mut self.side {
            if *s == UNASSIGNED {
                *s = rest as u8;
            }
        }
        self.side
    }
}

/// Two seeds far apart: `first`, and the vertex a breadth-first search from
/// it (over counted nets) reaches last, or a random other vertex when
/// `first` is isolated. `h` has at least two vertices.
pub(super) fn far_apart(h: &Hypergraph, first: u32, hub_limit: usize, rng: &mut Rng) -> [u32; 2] {
    let n = h.vertex_count();
    let mut seen = vec![false; n];
    let mut queue = std::collections::VecDeque::from([first]);
    seen[first as usize] = true;
    let mut last = first;
    while let Some(v) = queue.pop_front() {
        last = v;
        for &e in h.nets_of(v) {
            if !(2..=hub_limit).contains(&h.net_size(e)) {
                continue;
            }
            for &p in h.pins(e) {
                if !seen[p as usize] {
                    seen[p as usize] = true;
                    queue.push_back(p);
                }
            }
        }
    }
    if last == first {
        last = (first + 1 + rng.below(n - 1) as u32) % n as u32;
    }
    [first, last]
}
