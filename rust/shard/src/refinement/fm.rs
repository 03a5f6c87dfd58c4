//! Two-way Fiduccia–Mattheyses refinement with incremental gains.
//!
//! A move updates only the moved vertex's nets, and touches their other pins
//! only when a side count crosses 0 or 1 (the classic delta rules). Each pass
//! moves every vertex at most once, then rolls back to the best prefix, so a
//! pass never makes the partition worse. Nets with more pins than the hub
//! limit are left out of the gains (they are almost always cut, and updating
//! their thousands of pins would dominate the run time), but the true cut is
//! kept exact, and prefixes are judged by it.

use crate::config::Fm;
use crate::hypergraph::{prefetch_ahead, Hypergraph};
use crate::refinement::heap::GainHeap;
use ix_base::rng::Rng;

/// A two-way partition with its pin counts, side weights and exact cut.
pub(crate) struct Bisection<'h> {
    pub(crate) h: &'h Hypergraph,
    pub(crate) side: Vec<u8>,
    pins_on: Vec<[u32; 2]>,
    pub(crate) weight: [u64; 2],
    pub(crate) count: [u32; 2],
    pub(crate) cut: u64,
}

impl<'h> Bisection<'h> {
    pub(crate) fn new(h: &'h Hypergraph, side: Vec<u8>) -> Self {
        let mut pins_on = vec![[0u32; 2]; h.net_count()];
        let mut cut = 0;
        for e in 0..h.net_count() as u32 {
            let counts = &mut pins_on[e as usize];
            for &p in h.pins(e) {
                counts[side[p as usize] as usize] += 1;
            }
            if counts[0] > 0 && counts[1] > 0 {
                cut += h.net_weight(e);
            }
        }
        let mut weight = [0u64; 2];
        let mut count = [0u32; 2];
        for v in 0..h.vertex_count() {
            weight[side[v] as usize] += h.vertex_weight(v as u32);
            count[side[v] as usize] += 1;
        }
        Bisection {
            h,
            side,
            pins_on,
            weight,
            count,
            cut,
        }
    }

    /// How far the sides exceed their maximum weights, in total.
    pub(crate) fn overweight(&self, max: [u64; 2]) -> u64 {
        self.weight[0].saturating_sub(max[0]) + self.weight[1].saturating_sub(max[1])
    }

    /// The quality key: balance first, then cut (smaller is better).
    pub(crate) fn key(&self, max: [u64; 2]) -> (u64, u64) {
        (self.overweight(max), self.cut)
    }

    /// Cut reduction if `v` changed sides, and how many of its nets are cut,
    /// counting nets of 2 to `hub_limit` pins: what the caches must hold.
    #[cfg(test)]
    fn gain_and_cut_nets(&self, v: u32, hub_limit: usize) -> (i64, u32) {
        let from = self.side[v as usize] as usize;
        let (mut gain, mut cut_nets) = (0i64, 0u32);
        for &e in self.h.nets_of(v) {
            let size = self.h.net_size(e);
            if size < 2 || size > hub_limit {
                continue;
            }
            let counts = self.pins_on[e as usize];
            let w = self.h.net_weight(e) as i64;
            if counts[from] == 1 {
                gain += w;
            }
            if counts[1 - from] == 0 {
                gain -= w;
            } else {
                cut_nets += 1;
            }
        }
        (gain, cut_nets)
    }

    fn move_weight(&mut self, v: u32, from: usize, to: usize) {
        let w = self.h.vertex_weight(v);
        self.weight[from] -= w;
        self.weight[to] += w;
        self.count[from] -= 1;
        self.count[to] += 1;
        self.side[v as usize] = to as u8;
    }

    /// Whether `v` may move now: its side keeps a vertex, and the target side
    /// stays under its maximum, or the move at least reduces an overload.
    fn may_move(&self, v: u32, max: [u64; 2]) -> bool {
        let from = self.side[v as usize] as usize;
        let to = 1 - from;
        let w = self.h.vertex_weight(v);
        self.count[from] > 1
            && (self.weight[to] + w <= max[to]
                || (self.weight[from] > max[from] && self.weight[to] + w < self.weight[from]))
    }
}

/// Per-run scratch: the two queues (vertices on side s wait in queue s) and
/// the locks.
pub(crate) struct FmScratch {
    queues: [GainHeap; 2],
    locked: Vec<bool>,
    locked_list: Vec<u32>,
    /// Free vertices whose gain changed during the current move, once each.
    pending: Vec<u32>,
    pending_mark: Vec<bool>,
    moves: Vec<u32>,
    tie: Vec<u32>,
    /// Every vertex's current gain (non-hub nets), kept exact through all
    /// moves and rollbacks, so queueing a vertex never recomputes it.
    gains: Vec<i64>,
    /// Every vertex's number of cut non-hub nets, kept exact the same way,
    /// so finding the boundary is a scan of vertices, not of their nets.
    cut_nets: Vec<u32>,
    start: PassStart,
}

/// Hypergraphs up to this many vertices save the state at the start of each
/// pass: on them (the coarsest levels, where the initial partitions are
/// refined) a pass moves about as many vertices as there are and mostly
/// undoes them all, which costs more move by move than copying back.
const SAVED_PASS_VERTICES: usize = 2048;

/// The partition and the gain caches at the start of a pass.
#[derive(Default)]
struct PassStart {
    side: Vec<u8>,
    pins_on: Vec<[u32; 2]>,
    weight: [u64; 2],
    count: [u32; 2],
    cut: u64,
    gains: Vec<i64>,
    cut_nets: Vec<u32>,
}

impl PassStart {
    fn save(&mut self, b: &Bisection, gains: &[i64], cut_nets: &[u32]) {
        self.side.clone_from(&b.side);
        self.pins_on.clone_from(&b.pins_on);
        (self.weight, self.count, self.cut) = (b.weight, b.count, b.cut);
        self.gains.clear();
        self.gains.extend_from_slice(gains);
        self.cut_nets.clear();
        self.cut_nets.extend_from_slice(cut_nets);
    }

    fn restore(&self, b: &mut Bisection, gains: &mut [i64], cut_nets: &mut [u32]) {
        b.side.copy_from_slice(&self.side);
        b.pins_on.copy_from_slice(&self.pins_on);
        (b.weight, b.count, b.cut) = (self.weight, self.count, self.cut);
        gains.copy_from_slice(&self.gains);
        cut_nets.copy_from_slice(&self.cut_nets);
    }
}

impl FmScratch {
    pub(crate) fn new(vertices: usize, rng: &mut Rng) -> Self {
        FmScratch {
            queues: [GainHeap::new(vertices), GainHeap::new(vertices)],
            locked: vec![false; vertices],
            locked_list: Vec::new(),
            pending: Vec::new(),
            pending_mark: vec![false; vertices],
            moves: Vec::new(),
            tie: (0..vertices).map(|_| rng.next_u32()).collect(),
            gains: vec![0; vertices],
            cut_nets: vec![0; vertices],
            start: PassStart::default(),
        }
    }
}

/// Runs FM passes until one finds no improvement (or the pass limit).
pub(crate) fn refine(b: &mut Bisection, max: [u64; 2], config: Fm, scratch: &mut FmScratch) {
    init_gains(b, config, scratch);
    for _ in 0..config.max_passes {
        let before = b.key(max);
        fm_pass(b, max, config, scratch);
        if b.key(max) >= before {
            break;
        }
    }
}

fn fm_pass(b: &mut Bisection, max: [u64; 2], config: Fm, s: &mut FmScratch) {
    let saved = b.h.vertex_count() <= SAVED_PASS_VERTICES;
    if saved {
        s.start.save(b, &s.gains, &s.cut_nets);
    }
    insert_boundary(b, s);
    let mut best = b.key(max);
    let mut best_len = 0;
    s.moves.clear();
    while let Some(v) = pick_move(b, max, s) {
        s.queues[b.side[v as usize] as usize].remove(v);
        lock(s, v);
        move_with_gain_updates::<true>(b, v, config, s);
        s.moves.push(v);
        let key = b.key(max);
        if key < best {
            best = key;
            best_len = s.moves.len();
        } else if s.moves.len() - best_len > config.fruitless_moves {
            break;
        }
    }
    if saved && s.moves.len() - best_len > best_len {
        // Back to the start and forward again: fewer moves than undoing.
        s.start.restore(b, &mut s.gains, &mut s.cut_nets);
        for i in 0..best_len {
            move_with_gain_updates::<false>(b, s.moves[i], config, s);
        }
    } else {
        while s.moves.len() > best_len {
            if let Some(v) = s.moves.pop() {
                move_with_gain_updates::<false>(b, v, config, s);
            }
        }
    }
    reset(s);
}

/// Greedy hypergraph growing: from `first` (moved to side 0), keep moving the
/// side-1 vertex of highest gain to side 0 until side 0 reaches `target0`.
/// Every side-1 vertex is queued, so disconnected graphs still grow.
pub(crate) fn grow(
    b: &mut Bisection,
    first: u32,
    target0: u64,
    max0: u64,
    config: Fm,
    s: &mut FmScratch,
) {
    init_gains(b, config, s);
    for v in 0..b.h.vertex_count() as u32 {
        if b.side[v as usize] == 1 && v != first {
            s.queues[1].insert(v, s.gains[v as usize], s.tie[v as usize]);
        }
    }
    lock(s, first);
    move_with_gain_updates::<true>(b, first, config, s);
    while b.weight[0] < target0 && b.count[1] > 1 {
        let Some((_, v)) = s.queues[1].top() else {
            break;
        };
        s.queues[1].remove(v);
        lock(s, v);
        if b.weight[0] + b.h.vertex_weight(v) <= max0 {
            move_with_gain_updates::<true>(b, v, config, s);
        }
    }
    reset(s);
}

fn lock(s: &mut FmScratch, v: u32) {
    s.locked[v as usize] = true;
    s.locked_list.push(v);
}

/// Empties both queues and unlocks every locked vertex, so that the next
/// pass starts from clean scratch.
fn reset(s: &mut FmScratch) {
    s.queues[0].clear();
    s.queues[1].clear();
    for &v in &s.locked_list {
        s.locked[v as usize] = false;
    }
    s.locked_list.clear();
}

/// Queues every vertex of a cut (non-hub) net.
fn insert_boundary(b: &Bisection, s: &mut FmScratch) {
    for v in 0..b.h.vertex_count() {
        if s.cut_nets[v] > 0 {
            s.queues[b.side[v] as usize].insert(v as u32, s.gains[v], s.tie[v]);
        }
    }
}

/// The best feasible move: the higher-gain top of the two queues that may
/// move. A top that does not fit stays queued while the other side moves,
/// which makes room for it: under a tight bound FM has to alternate sides
/// (locking such tops for the pass, as this once did, left a full side
/// unable to take anything back, and tight bisections 2-5x worse than
/// Mt-KaHyPar's on powersim). Only when neither top fits are both locked
/// for the pass, to look deeper.
fn pick_move(b: &Bisection, max: [u64; 2], s: &mut FmScratch) -> Option<u32> {
    loop {
        let tops = [s.queues[0].top(), s.queues[1].top()];
        let fits = |top: Option<(i64, u32)>| top.filter(|&(_, v)| b.may_move(v, max));
        match (fits(tops[0]), fits(tops[1])) {
            (Some((g0, v0)), Some((g1, v1))) => {
                // Equal gains: move off the relatively heavier side.
                let load0 = b.weight[0] as u128 * max[1] as u128;
                let load1 = b.weight[1] as u128 * max[0] as u128;
                return Some(if g0 > g1 || (g0 == g1 && load0 >= load1) {
                    v0
                } else {
                    v1
                });
            }
            (Some((_, v)), None) | (None, Some((_, v))) => return Some(v),
            (None, None) => {
                if tops == [None, None] {
                    return None;
                }
                for (side, top) in tops.into_iter().enumerate() {
                    if let Some((_, v)) = top {
                        s.queues[side].remove(v);
                        lock(s, v);
                    }
                }
            }
        }
    }
}

/// `gain_and_cut_nets` of every vertex, summed net by net: one pass over
/// the nets in order instead of a lookup of each vertex's every net.
fn init_gains(b: &Bisection, config: Fm, s: &mut FmScratch) {
    let h = b.h;
    s.gains.fill(0);
    s.cut_nets.fill(0);
    for e in 0..h.net_count() as u32 {
        let pins = h.pins(e);
        if pins.len() < 2 || pins.len() > config.hub_limit {
            continue;
        }
        let counts = b.pins_on[e as usize];
        let w = h.net_weight(e) as i64;
        for &p in pins {
            let from = b.side[p as usize] as usize;
            if counts[from] == 1 {
                s.gains[p as usize] += w;
            }
            if counts[1 - from] == 0 {
                s.gains[p as usize] -= w;
            } else {
                s.cut_nets[p as usize] += 1;
            }
        }
    }
}

/// Moves `v` and updates every affected gain; with `QUEUE`, the queue
/// entries of free vertices too (those not queued yet join). Rollbacks (most
/// moves of a pass) skip the queues, which are emptied right after, and so
/// need not collect the vertices whose gains changed either.
fn move_with_gain_updates<const QUEUE: bool>(
    b: &mut Bisection,
    v: u32,
    config: Fm,
    s: &mut FmScratch,
) {
    let from = b.side[v as usize] as usize;
    let to = 1 - from;
    let h = b.h;
    let nets = h.nets_of(v);
    for (i, &e) in nets.iter().enumerate() {
        prefetch_ahead(nets, i, |e| {
            ix_base::prefetch_read(&b.pins_on[e as usize]);
            h.prefetch_net_offset(e);
            h.prefetch_net_weight(e);
        });
        let counts = b.pins_on[e as usize];
        let (on_from, on_to) = (counts[from], counts[to]);
        b.pins_on[e as usize][from] -= 1;
        b.pins_on[e as usize][to] += 1;
        if on_to > 1 && on_from > 2 {
            // The net stays cut, and no side count crosses 0, 1 or 2: no gain
            // changes (most nets of a coarse level's vertex).
            continue;
        }
        let w = h.net_weight(e);
        let was_cut = on_from > 0 && on_to > 0;
        let is_cut = on_from > 1;
        if was_cut && !is_cut {
            b.cut -= w;
        } else if is_cut && !was_cut {
            b.cut += w;
        }
        let pins = h.pins(e);
        if pins.len() < 2 || pins.len() > config.hub_limit {
            continue;
        }
        let w = w as i64;
        if let &[a, c] = pins {
            // A 2-pin net either becomes cut (the other pin's gain rises by
            // w from each rule below) or uncut (falls by 2w); one bump does
            // both, in the same queue order.
            let u = a ^ c ^ v;
            if on_to == 0 {
                s.cut_nets[v as usize] += 1;
                s.cut_nets[u as usize] += 1;
                bump::<QUEUE>(s, u, 2 * w);
            } else {
                s.cut_nets[v as usize] -= 1;
                s.cut_nets[u as usize] -= 1;
                bump::<QUEUE>(s, u, -2 * w);
            }
            continue;
        }
        if on_to == 0 {
            // The net becomes cut: moving any other pin to `to` no longer cuts it.
            for &u in pins {
                s.cut_nets[u as usize] += 1;
                if u != v {
                    bump::<QUEUE>(s, u, w);
                }
            }
        } else if on_to == 1 {
            // The lone pin on `to` is no longer alone.
            if let Some(&u) = pins
                .iter()
                .find(|&&u| u != v && b.side[u as usize] as usize == to)
            {
                bump::<QUEUE>(s, u, -w);
            }
        }
        if on_from == 1 {
            // Everything is on `to` now: moving any pin back would cut it.
            for &u in pins {
                s.cut_nets[u as usize] -= 1;
                if u != v {
                    bump::<QUEUE>(s, u, -w);
                }
            }
        } else if on_from == 2 {
            // One pin is left on `from`: moving it would uncut the net.
            if let Some(&u) = pins
                .iter()
                .find(|&&u| u != v && b.side[u as usize] as usize == from)
            {
                bump::<QUEUE>(s, u, w);
            }
        }
    }
    b.move_weight(v, from, to);
    s.gains[v as usize] = -s.gains[v as usize];
    if !QUEUE {
        return;
    }
    for i in 0..s.pending.len() {
        let u = s.pending[i];
        s.pending_mark[u as usize] = false;
        let (heap, gain) = (
            &mut s.queues[b.side[u as usize] as usize],
            s.gains[u as usize],
        );
        if heap.contains(u) {
            heap.update(u, gain);
        } else {
            heap.insert(u, gain, s.tie[u as usize]);
        }
    }
    s.pending.clear();
}

/// Applies a gain delta to the cache and, with `QUEUE`, remembers the free
/// vertex, so its queue entry is updated once per move however many of its
/// nets changed (on coarse levels one move changes thousands of nets).
fn bump<const QUEUE: bool>(s: &mut FmScratch, u: u32, delta: i64) {
    s.gains[u as usize] += delta;
    if QUEUE && !s.locked[u as usize] && !s.pending_mark[u as usize] {
        s.pending_mark[u as usize] = true;
        s.pending.push(u);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two `size`-cliques (as 2-pin nets) joined by one light net.
    fn cliques(size: u32) -> Hypergraph {
        let mut offsets = vec![0u32];
        let mut pins = Vec::new();
        let mut weights = Vec::new();
        for base in [0, size] {
            for a in 0..size {
                for b in a + 1..size {
                    pins.extend([base + a, base + b]);
                    offsets.push(pins.len() as u32);
                    weights.push(10);
                }
            }
        }
        pins.extend([size - 1, size]);
        offsets.push(pins.len() as u32);
        weights.push(1);
        Hypergraph::new(vec![1; 2 * size as usize], weights, offsets, pins).unwrap()
    }

    fn test_config(max_passes: usize) -> Fm {
        Fm {
            hub_limit: 400,
            max_passes,
            fruitless_moves: 100,
        }
    }

    #[test]
    fn fm_alternates_sides_under_a_tight_bound() {
        // 40 + 40 vertices split alternately, one vertex of slack: each move
        // fills the target side, so the natural cut needs ~40 moves that
        // alternate sides, which two passes allow only if a full side's
        // queue is not given up on.
        let h = cliques(40);
        let mut b = Bisection::new(&h, (0..80).map(|v| (v % 2) as u8).collect());
        let config = test_config(2);
        let mut scratch = FmScratch::new(80, &mut Rng::new(5));
        refine(&mut b, [41, 41], config, &mut scratch);
        assert_eq!(b.cut, 1);
        assert!(b.weight[0] <= 41 && b.weight[1] <= 41);
    }

    #[test]
    fn fm_finds_the_natural_cut_and_keeps_counts_exact() {
        let h = cliques(4);
        let mut b = Bisection::new(&h, vec![0, 1, 0, 1, 0, 1, 0, 1]);
        let config = test_config(10);
        let mut scratch = FmScratch::new(8, &mut Rng::new(3));
        // One vertex of slack: FM has to swap its way to the natural cut.
        refine(&mut b, [5, 5], config, &mut scratch);
        assert_eq!(b.cut, 1);
        assert!(b.weight[0] <= 5 && b.weight[1] <= 5);
        let fresh = Bisection::new(&h, b.side.clone());
        assert_eq!(fresh.cut, b.cut);
        assert_eq!(fresh.pins_on, b.pins_on);
        for v in 0..8 {
            assert_eq!(
                (scratch.gains[v as usize], scratch.cut_nets[v as usize]),
                fresh.gain_and_cut_nets(v, 400),
                "cached gain and cut nets of {v}"
            );
        }
    }

    #[test]
    fn undo_and_restore_both_keep_caches_exact() {
        // Below and above SAVED_PASS_VERTICES: passes end by restoring the
        // saved start and replaying, or by undoing moves one by one.
        for n in [1000, 3000] {
            let h = crate::hypergraph::synthetic_unit(n);
            let mut rng = Rng::new(n as u64);
            let side = (0..n).map(|_| (rng.next_u32() % 2) as u8).collect();
            let mut b = Bisection::new(&h, side);
            let mut scratch = FmScratch::new(n, &mut rng);
            let half = n as u64 / 2 + n as u64 / 20;
            let before = b.cut;
            refine(&mut b, [half, half], test_config(10), &mut scratch);
            assert!(b.cut < before);
            let fresh = Bisection::new(&h, b.side.clone());
            assert_eq!((fresh.cut, &fresh.pins_on), (b.cut, &b.pins_on));
            assert_eq!((fresh.weight, fresh.count), (b.weight, b.count));
            for v in 0..n as u32 {
                assert_eq!(
                    (scratch.gains[v as usize], scratch.cut_nets[v as usize]),
                    fresh.gain_and_cut_nets(v, 400),
                    "vertex {v} of {n}"
                );
            }
        }
    }

    #[test]
    fn fm_repairs_overload_first() {
        let h = cliques(4);
        let mut b = Bisection::new(&h, vec![0, 0, 0, 0, 0, 0, 0, 1]);
        let config = test_config(10);
        let mut scratch = FmScratch::new(8, &mut Rng::new(3));
        refine(&mut b, [4, 4], config, &mut scratch);
        assert_eq!(b.overweight([4, 4]), 0);
        assert_eq!(b.cut, 1);
    }
}
