//! Direct k-way refinement of the finished partition under the km1 metric.
//!
//! Recursive bisection optimises each cut in isolation and never revisits a
//! decision; this pass looks at all parts at once. It keeps, per net, the pin
//! count in every part and the connectivity set as a bitset, so the km1 gain
//! of moving v to part b is
//!   Σ_{e∋v, Φ(e,from)=1} w(e) − Σ_{e∋v, Φ(e,b)=0} w(e),
//! computed over the parts that v's nets already touch. Vertices move
//! greedily (serially, in a seeded order, so the result is deterministic) to
//! their best part when that strictly lowers km1 and keeps the target within
//! the balance bound; rounds repeat, over the neighbours of moved vertices
//! only, until one improves by less than 0.1%.
//!
//! Then localized FM rounds: small searches, each grown from a few boundary
//! seeds, that move the best vertex of their own queue (negative gains
//! allowed), pull in the neighbours of every moved vertex and roll back to
//! their best prefix. Their gains come from a cache kept exact under moves by
//! delta rules (see `GainCache`), so a move costs the nets whose pin counts
//! cross 0/1/2 rather than a re-evaluation of every neighbour. Last, global
//! FM rounds: one such search seeded with every boundary vertex and a longer
//! leash, which still finds moves the short local searches miss.

use crate::config::Kway;
use crate::hypergraph::{prefetch_ahead, Hypergraph};
use crate::refinement::heap::GainHeap;
use ix_base::rng::Rng;
use rayon::prelude::*;

const LP_CHUNKS_PER_ROUND: usize = 256;
const MIN_LP_CHUNK: usize = 64;
const MAX_LP_CHUNK: usize = 4096;
pub(crate) struct State<'h> {
    pub(crate) h: &'h Hypergraph,
    pub(crate) k: usize,
    words: usize,
    pub(crate) parts: Vec<u32>,
    /// Pins of net e in part p at `e·k + p`.
    pub(crate) pin_count: Vec<u32>,
    connectivity: Vec<u64>,
    /// Each vertex's number of nets that span two or more parts, kept exact
    /// under moves, so `on_boundary` is one load: the FM rounds ask it of
    /// every vertex, and reading a vertex's nets in random order missed the
    /// cache on every one.
    cut_nets: Vec<u32>,
    pub(crate) part_weight: Vec<u64>,
    pub(crate) part_size: Vec<u32>,
}

/// The all-zero arrays of the last refinement on this thread. Refinement
/// runs some 30 times per partition, mostly on the largest levels, and
/// allocating nets × k counts and vertices × k affinities afresh each time
/// cost more (the kernel zeroing new pages) than the refinement's moves;
/// handing them back cleared costs only their nonzero entries.
#[derive(Default)]
struct Spare {
    pin_count: Vec<u32>,
    connectivity: Vec<u64>,
    affinity: Vec<u64>,
    narrow_affinity: Vec<u32>,
    /// `GainCache` terms, overwritten in full on every use.
    benefit: Vec<u64>,
    incident: Vec<u64>,
}

/// A `GainCache` affinity entry. Narrow (u32) entries halve the memory the
/// row scans of `best_move` read, which miss the cache; they serve whenever
/// every vertex's nets together weigh what fits, so no entry (a sum of some
/// of one vertex's nets) can overflow.
trait Affinity: Copy + Default + PartialEq + Into<u64> + Send + Sync + std::fmt::Debug {
    fn get(self) -> u64;
    fn add(&mut self, w: u64);
    fn sub(&mut self, w: u64);
    /// This width's buffer in the thread's spare arrays.
    fn spare(spare: &mut Spare) -> &mut Vec<Self>;
}

impl Affinity for u32 {
    fn get(self) -> u64 {
        u64::from(self)
    }
    fn add(&mut self, w: u64) {
        *self += w as u32;
    }
    fn sub(&mut self, w: u64) {
        *self -= w as u32;
    }
    fn spare(spare: &mut Spare) -> &mut Vec<Self> {
        &mut spare.narrow_affinity
    }
}

impl Affinity for u64 {
    fn get(self) -> u64 {
        self
    }
    fn add(&mut self, w: u64) {
        *self += w;
    }
    fn sub(&mut self, w: u64) {
        *self -= w;
    }
    fn spare(spare: &mut Spare) -> &mut Vec<Self> {
        &mut spare.affinity
    }
}

thread_local! {
    static SPARE: std::cell::RefCell<Spare> = std::cell::RefCell::default();
}

/// `buffer`, if it holds at least `len` entries (all zero), else a new one.
fn zeroed<T: Clone + Default>(buffer: Vec<T>, len: usize) -> Vec<T> {
    if buffer.len() >= len {
        buffer
    } else {
        vec![T::default(); len]
    }
}

impl<'h> State<'h> {
    /// Counts every net's pins per part (nets in parallel: each writes only
    /// its own counts, so the state is the same for any thread count).
    #[cfg(test)]
    fn new(h: &'h Hypergraph, parts: Vec<u32>, k: usize) -> Self {
        Self::with_buffers(h, parts, k, Vec::new(), Vec::new())
    }

    /// `new`, counting into all-zero buffers (longer ones are fine).
    fn with_buffers(
        h: &'h Hypergraph,
        parts: Vec<u32>,
        k: usize,
        pin_count: Vec<u32>,
        connectivity: Vec<u64>,
    ) -> Self {
        let words = k.div_ceil(64);
        let nets = h.net_count();
        let mut pin_count = zeroed(pin_count, nets * k);
        let mut connectivity = zeroed(connectivity, nets * words);
        pin_count[..nets * k]
            .par_chunks_mut(k)
            .zip(connectivity[..nets * words].par_chunks_mut(words))
            .enumerate()
            .for_each(|(e, (counts, bits))| {
                for &v in h.pins(e as u32) {
                    let p = parts[v as usize] as usize;
                    counts[p] += 1;
                    bits[p / 64] |= 1 << (p % 64);
                }
            });
        let cut_nets = (0..h.vertex_count() as u32)
            .into_par_iter()
            .map(|v| {
                let nets = h.nets_of(v).iter();
                nets.filter(|&&e| spans_parts(&connectivity[e as usize * words..][..words]))
                    .count() as u32
            })
            .collect();
        let mut part_weight = vec![0u64; k];
        let mut part_size = vec![0u32; k];
        for (v, &p) in parts.iter().enumerate() {
            part_weight[p as usize] += h.vertex_weight(v as u32);
            part_size[p as usize] += 1;
        }
        State {
            h,
            k,
            words,
            pin_count,
            connectivity,
            cut_nets,
            part_weight,
            part_size,
            parts,
        }
    }

    /// The parts, and the count buffers zeroed again (only the entries the
    /// connectivity bits mark can be nonzero).
    fn into_buffers(mut self) -> (Vec<u32>, Vec<u32>, Vec<u64>) {
        let (k, words) = (self.k, self.words);
        let nets = self.h.net_count();
        self.pin_count[..nets * k]
            .par_chunks_mut(k)
            .zip(self.connectivity[..nets * words].par_chunks_mut(words))
            .for_each(|(counts, bits)| {
                for (word, bits) in bits.iter_mut().enumerate() {
                    for_each_bit(*bits, |bit| counts[word * 64 + bit] = 0);
                    *bits = 0;
                }
                debug_assert!(counts.iter().all(|&c| c == 0), "stale pin count");
            });
        (self.parts, self.pin_count, self.connectivity)
    }

    /// Starts loading net `e`'s pin count in part `p`, its connectivity
    /// bits and its weight.
    fn prefetch_net(&self, e: u32, p: usize) {
        let e = e as usize;
        ix_base::prefetch_read(&self.pin_count[e * self.k + p]);
        ix_base::prefetch_read(&self.connectivity[e * self.words]);
        self.h.prefetch_net_weight(e as u32);
    }

    fn add_pin(&mut self, e: usize, p: usize) {
        let count = &mut self.pin_count[e * self.k + p];
        *count += 1;
        if *count == 1 {
            self.connectivity[e * self.words + p / 64] |= 1 << (p % 64);
        }
    }

    fn remove_pin(&mut self, e: usize, p: usize) {
        let count = &mut self.pin_count[e * self.k + p];
        *count -= 1;
        if *count == 0 {
            self.connectivity[e * self.words + p / 64] &= !(1 << (p % 64));
        }
    }

    /// The best target part for `v` among the parts its nets touch, and its
    /// km1 gain (possibly negative), if any fits under `max_weight`. `affinity` is scratch of length k (all zero).
    fn best_move(
        &self,
        v: u32,
        max_weight: u64,
        affinity: &mut [u64],
        touched: &mut Vec<usize>,
    ) -> Option<(usize, i64)> {
        let from = self.parts[v as usize] as usize;
        let mut benefit = 0u64;
        let mut incident = 0u64;
        let nets = self.h.nets_of(v);
        for (i, &e) in nets.iter().enumerate() {
            prefetch_ahead(nets, i, |e| self.prefetch_net(e, from));
            let e = e as usize;
            let w = self.h.net_weight(e as u32);
            incident += w;
            if self.pin_count[e * self.k + from] == 1 {
                benefit += w;
            }
            for word in 0..self.words {
                for_each_bit(self.connectivity[e * self.words + word], |bit| {
                    let p = word * 64 + bit;
                    if affinity[p] == 0 {
                        touched.push(p);
                    }
                    affinity[p] += w;
                });
            }
        }
        let weight = self.h.vertex_weight(v);
        let mut best: Option<(usize, i64)> = None;
        for &p in touched.iter() {
            // gain = benefit − (incident − affinity[p]).
            let gain = (benefit + affinity[p]) as i64 - incident as i64;
            let fits = self.part_weight[p] + weight <= max_weight;
            if p != from && fits && beats(best, p, gain, &self.part_weight) {
                best = Some((p, gain));
            }
        }
        for &p in touched.iter() {
            affinity[p] = 0;
        }
        touched.clear();
        best
    }

    /// `best_move` if it lowers km1. A move gains at most the weight of the
    /// nets where `v` is its part's only pin, so a vertex with none (most
    /// of them, on fine levels) is settled by one pass over its nets' pin
    /// counts, without the connectivity scan.
    fn best_gaining_move(
        &self,
        v: u32,
        max_weight: u64,
        affinity: &mut [u64],
        touched: &mut Vec<usize>,
    ) -> Option<(usize, i64)> {
        let from = self.parts[v as usize] as usize;
        let nets = self.h.nets_of(v);
        let alone_in = |(i, &e): (usize, &u32)| {
            prefetch_ahead(nets, i, |e| {
                ix_base::prefetch_read(&self.pin_count[e as usize * self.k + from]);
            });
            self.pin_count[e as usize * self.k + from] == 1
        };
        if !nets.iter().enumerate().any(alone_in) {
            return None;
        }
        self.best_move(v, max_weight, affinity, touched)
            .filter(|&(_, gain)| gain > 0)
    }

    pub(crate) fn move_vertex(&mut self, v: u32, to: usize) {
        let from = self.parts[v as usize] as usize;
        let w = self.h.vertex_weight(v);
        let h = self.h;
        let nets = h.nets_of(v);
        for (i, &e) in nets.iter().enumerate() {
            prefetch_ahead(nets, i, |e| {
                self.prefetch_net(e, from);
                ix_base::prefetch_read(&self.pin_count[e as usize * self.k + to]);
            });
            let was_cut = self.spans_parts(e);
            self.remove_pin(e as usize, from);
            self.add_pin(e as usize, to);
            let is_cut = self.spans_parts(e);
            if is_cut != was_cut {
                for &u in h.pins(e) {
                    if is_cut {
                        self.cut_nets[u as usize] += 1;
                    } else {
                        self.cut_nets[u as usize] -= 1;
                    }
                }
            }
        }
        self.part_weight[from] -= w;
        self.part_weight[to] += w;
        self.part_size[from] -= 1;
        self.part_size[to] += 1;
        self.parts[v as usize] = to as u32;
    }

    /// Whether any net of `v` touches another part.
    fn on_boundary(&self, v: u32) -> bool {
        self.cut_nets[v as usize] > 0
    }

    fn spans_parts(&self, e: u32) -> bool {
        spans_parts(&self.connectivity[e as usize * self.words..][..self.words])
    }

    /// The parts net `e` has pins in, lowest first.
    pub(crate) fn parts_of(&self, e: u32, out: &mut Vec<u32>) {
        out.clear();
        self.for_each_part_of(e, |p| out.push(p as u32));
    }

    /// Whether net `e` has pins in every part.
    fn in_every_part(&self, e: u32) -> bool {
        let bits = &self.connectivity[e as usize * self.words..][..self.words];
        bits.iter()
            .map(|word| word.count_ones() as usize)
            .sum::<usize>()
            == self.k
    }

    /// Calls `f` with every part net `e` has pins in, lowest first.
    pub(crate) fn for_each_part_of(&self, e: u32, mut f: impl FnMut(usize)) {
        let bits = &self.connectivity[e as usize * self.words..][..self.words];
        for (word, &bits) in bits.iter().enumerate() {
            for_each_bit(bits, |bit| f(word * 64 + bit));
        }
    }

    /// Starts loading net `e`'s pin counts in `parts`.
    pub(crate) fn prefetch_pins_in(&self, e: u32, parts: [usize; 2]) {
        for p in parts {
            ix_base::prefetch_read(&self.pin_count[e as usize * self.k + p]);
        }
    }

    /// The pins of net `e` in part `p`.
    pub(crate) fn pins_in(&self, e: u32, p: usize) -> u32 {
        self.pin_count[e as usize * self.k + p]
    }
}

/// Whether connectivity bits mark two or more parts.
fn spans_parts(bits: &[u64]) -> bool {
    match bits {
        [word] => word & word.wrapping_sub(1) != 0,
        _ => bits.iter().map(|word| word.count_ones()).sum::<u32>() > 1,
    }
}

/// Refines `parts` (k parts) in place; never empties a part, never pushes a
/// part over `max_weight`, never increases km1. Returns the km1 reduction.
pub(crate) fn refine(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: u32,
    max_weight: u64,
    seed: u64,
    config: &Kway,
) -> u64 {
    let k = k as usize;
    if k < 2 || h.vertex_count() == 0 {
        return 0;
    }
    // All nets together bound every vertex's nets (one pass over the nets
    // instead of one over the pins, at every level).
    let narrow = sum_fits_u32(h.net_weights().iter().copied())
        || (0..h.vertex_count() as u32)
            .all(|v| sum_fits_u32(h.nets_of(v).iter().map(|&e| h.net_weight(e))));
    if narrow {
        refine_with::<u32>(h, parts, k, max_weight, seed, config)
    } else {
        refine_with::<u64>(h, parts, k, max_weight, seed, config)
    }
}

/// Whether `weights` add up to at most `u32::MAX`.
fn sum_fits_u32(weights: impl IntoIterator<Item = u64>) -> bool {
    weights
        .into_iter()
        .try_fold(0u64, |sum, w| sum.checked_add(w))
        .is_some_and(|sum| sum <= u64::from(u32::MAX))
}

/// `refine` with affinities of type `A`.
fn refine_with<A: Affinity>(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: usize,
    max_weight: u64,
    seed: u64,
    config: &Kway,
) -> u64 {
    with_spare_state(h, parts, k, |state, spare| {
        refine_state::<A>(state, spare, max_weight, seed, config)
    })
}

/// Runs `work` on the k-way state of `parts` (moved in, and back out after),
/// its count arrays taken from this thread's spares and handed back zeroed.
pub(crate) fn with_state<R>(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: usize,
    work: impl FnOnce(&mut State) -> R,
) -> R {
    with_spare_state(h, parts, k, |state, _| work(state))
}

/// `with_state`, lending `work` the other spare arrays too.
fn with_spare_state<R>(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: usize,
    work: impl FnOnce(&mut State, &mut Spare) -> R,
) -> R {
    let mut spare = SPARE.with(|spare| spare.take());
    let mut state = State::with_buffers(
        h,
        std::mem::take(parts),
        k,
        std::mem::take(&mut spare.pin_count),
        std::mem::take(&mut spare.connectivity),
    );
    let result = work(&mut state, &mut spare);
    (*parts, spare.pin_count, spare.connectivity) = state.into_buffers();
    SPARE.with(|cell| cell.replace(spare));
    result
}

/// The refinement itself, on a state and the spare gain-cache arrays.
fn refine_state<A: Affinity>(
    state: &mut State,
    spare: &mut Spare,
    max_weight: u64,
    seed: u64,
    config: &Kway,
) -> u64 {
    let (h, k) = (state.h, state.k);
    let mut order: Vec<u32> = (0..h.vertex_count() as u32).collect();
    Rng::new(seed).shuffle(&mut order);
    let start_km1 = crate::metrics::km1(h, &state.parts, k as u32).max(1);
    let mut total_gain = label_propagation(state, &order, max_weight, start_km1, config.lp_rounds);
    let mut cache = GainCache::<A>::with_buffers(
        state,
        std::mem::take(A::spare(spare)),
        std::mem::take(&mut spare.benefit),
        std::mem::take(&mut spare.incident),
    );
    let mut search = Search {
        queue: GainHeap::new(h.vertex_count()),
        taken: vec![false; h.vertex_count()],
        moves: Vec::new(),
        changed: Vec::new(),
        seen: vec![0; h.vertex_count()],
        stamp: 0,
        hub_affinity: vec![0; k],
    };
    // Localized rounds, then global ones: a single search seeded with every
    // boundary vertex, allowed to go further past its best prefix.
    let rounds = [
        (config.fm_rounds, config.fm_seeds, config.fm_fruitless_moves),
        (
            config.global_fm_rounds,
            usize::MAX,
            config.global_fruitless_moves,
        ),
    ];
    for (count, seeds, fruitless_moves) in rounds {
        for _ in 0..count {
            let gain = fm_round(
                state,
                &mut cache,
                max_weight,
                &order,
                &mut search,
                seeds,
                fruitless_moves,
            );
            total_gain += gain;
            if gain * 1000 < start_km1 {
                break;
            }
        }
    }
    (*A::spare(spare), spare.benefit, spare.incident) = cache.into_buffers(state);
    total_gain
}

/// Calls `f` with the index of every set bit of `bits`, lowest first.
fn for_each_bit(mut bits: u64, mut f: impl FnMut(usize)) {
    while bits != 0 {
        f(bits.trailing_zeros() as usize);
        bits &= bits - 1;
    }
}

/// Label propagation: rounds of greedy positive-gain moves over the active
/// vertices in `order` (all at first, then the neighbours of moved ones),
/// until a round pays less than 0.1% of `start_km1`. Returns the km1 reduction.
///
/// `order` is cut into fixed chunks; within a chunk every vertex looks for
/// its best move in parallel against the state at the chunk's start, then
/// those that found a gain are re-evaluated and moved one by one, in order,
/// against the current state. Most vertices find nothing, so the expensive
/// search runs in parallel while the moves (and so the result) stay serial
/// and independent of the thread count.
fn label_propagation(
    state: &mut State,
    order: &[u32],
    max_weight: u64,
    start_km1: u64,
    rounds: usize,
) -> u64 {
    let h = state.h;
    let mut affinity = vec![0u64; state.k];
    let mut touched = Vec::new();
    let mut active = vec![true; h.vertex_count()];
    let mut total_gain = 0u64;
    for _ in 0..rounds {
        let mut round_gain = 0u64;
        let chunk_size = (order.len() / LP_CHUNKS_PER_ROUND).clamp(MIN_LP_CHUNK, MAX_LP_CHUNK);
        for chunk in order.chunks(chunk_size) {
            let proposers = gaining_vertices(state, chunk, &active, max_weight);
            for &v in chunk {
                active[v as usize] = false;
            }
            for v in proposers {
                let from = state.parts[v as usize] as usize;
                if state.part_size[from] <= 1 {
                    continue;
                }
                let Some((to, gain)) =
                    state.best_gaining_move(v, max_weight, &mut affinity, &mut touched)
                else {
                    continue;
                };
                state.move_vertex(v, to);
                round_gain += gain as u64;
                activate_neighbours(h, v, &mut active);
            }
        }
        total_gain += round_gain;
        if round_gain * 1000 < start_km1 {
            break;
        }
    }
    total_gain
}

/// The active boundary vertices of `chunk` (in chunk order) that have a
/// positive-gain move in the current state.
fn gaining_vertices(state: &State, chunk: &[u32], active: &[bool], max_weight: u64) -> Vec<u32> {
    chunk
        .par_iter()
        .map_init(
            || (vec![0u64; state.k], Vec::new()),
            |(affinity, touched), &v| {
                let from = state.parts[v as usize] as usize;
                let gains = active[v as usize]
                    && state.part_size[from] > 1
                    && state.on_boundary(v)
                    && state
                        .best_gaining_move(v, max_weight, affinity, touched)
                        .is_some();
                gains.then_some(v)
            },
        )
        .flatten()
        .collect()
}

/// Marks every pin of `v`'s non-hub nets active: after `v` moved, they may gain.
fn activate_neighbours(h: &Hypergraph, v: u32, active: &mut [bool]) {
    for &e in h.nets_of(v) {
        if h.net_size(e) <= crate::HUB_NET {
            for &u in h.pins(e) {
                active[u as usize] = true;
            }
        }
    }
}

/// Per vertex km1 gain terms over the non-hub nets, exact under moves:
/// `benefit[v]` = Σ w(e) over v's nets where v is alone in its part,
/// `affinity[v·k + p]` = Σ w(e) over v's nets with a pin in part p, and
/// `incident[v]` = Σ w(e) over v's nets, so moving v to p gains
/// benefit + affinity(p) − incident. Hub nets (more than `HUB_NET` pins)
/// are left out, since one move would touch every pin of them; their terms
/// are added on the fly from the pin counts when a vertex is evaluated.
struct GainCache<A> {
    benefit: Vec<u64>,
    affinity: Vec<A>,
    incident: Vec<u64>,
    /// The hub nets of each vertex, CSR.
    hub_offsets: Vec<u32>,
    hub_nets: Vec<u32>,
}

/// The first pin of `e` in part `p` other than `u`: the only one, where
/// callers use it (u just left `p`, or just joined it next to one pin).
fn lone_pin(state: &State, e: u32, p: usize, u: u32) -> Option<u32> {
    state
        .h
        .pins(e)
        .iter()
        .copied()
        .find(|&v| v != u && state.parts[v as usize] as usize == p)
}

fn is_hub(h: &Hypergraph, e: u32) -> bool {
    h.net_size(e) > crate::HUB_NET
}

impl<A: Affinity> GainCache<A> {
    /// Every vertex's terms, vertices in parallel (each writes only its own).
    #[cfg(test)]
    fn new(state: &State) -> Self {
        Self::with_buffers(state, Vec::new(), Vec::new(), Vec::new())
    }

    /// `new`, summing affinities into an all-zero buffer (longer is fine)
    /// and writing the other terms over the given vectors.
    fn with_buffers(
        state: &State,
        affinity: Vec<A>,
        mut benefit: Vec<u64>,
        mut incident: Vec<u64>,
    ) -> Self {
        let (h, k) = (state.h, state.k);
        let n = h.vertex_count();
        let mut affinity = zeroed(affinity, n * k);
        benefit.resize(n, 0);
        incident.resize(n, 0);
        affinity[..n * k]
            .par_chunks_mut(k)
            .zip(benefit[..n].par_iter_mut())
            .zip(incident[..n].par_iter_mut())
            .enumerate()
            .for_each(|(v, ((row, benefit), incident))| {
                (*benefit, *incident) = Self::vertex_terms(state, v as u32, row);
            });
        let mut hub_offsets = vec![0u32; n + 1];
        let mut hub_nets = Vec::new();
        for v in 0..n as u32 {
            hub_nets.extend(h.nets_of(v).iter().filter(|&&e| is_hub(h, e)));
            hub_offsets[v as usize + 1] = hub_nets.len() as u32;
        }
        GainCache {
            benefit,
            affinity,
            incident,
            hub_offsets,
            hub_nets,
        }
    }

    /// The buffers: affinities zeroed again (a row is nonzero only in the
    /// parts its vertex's non-hub nets touch: the cache is exact), benefit
    /// and incident terms as they are.
    fn into_buffers(mut self, state: &State) -> (Vec<A>, Vec<u64>, Vec<u64>) {
        let (h, k) = (state.h, state.k);
        let n = h.vertex_count();
        self.affinity[..n * k]
            .par_chunks_mut(k)
            .enumerate()
            .for_each(|(v, row)| {
                for &e in h.nets_of(v as u32).iter().filter(|&&e| !is_hub(h, e)) {
                    let bits = &state.connectivity[e as usize * state.words..][..state.words];
                    for (word, &bits) in bits.iter().enumerate() {
                        for_each_bit(bits, |bit| row[word * 64 + bit] = A::default());
                    }
                }
                debug_assert!(
                    row.iter().all(|&a| a == A::default()),
                    "stale affinity of {v}"
                );
            });
        (self.affinity, self.benefit, self.incident)
    }

    /// Fills `v`'s affinity row; returns its (benefit, incident) terms.
    fn vertex_terms(state: &State, v: u32, row: &mut [A]) -> (u64, u64) {
        let h = state.h;
        let own = state.parts[v as usize] as usize;
        let (mut benefit, mut incident) = (0u64, 0u64);
        let nets = h.nets_of(v);
        for (i, &e) in nets.iter().enumerate() {
            prefetch_ahead(nets, i, |e| {
                h.prefetch_net_offset(e);
                state.prefetch_net(e, own);
            });
            if is_hub(h, e) {
                continue;
            }
            let w = h.net_weight(e);
            incident += w;
            if state.pin_count[e as usize * state.k + own] == 1 {
                benefit += w;
            }
            for word in 0..state.words {
                let bits = state.connectivity[e as usize * state.words + word];
                for_each_bit(bits, |bit| row[word * 64 + bit].add(w));
            }
        }
        (benefit, incident)
    }

    /// The best target for `v` (gain, then lighter part, then lower id)
    /// among the parts with room for it. `hub_affinity` is zeroed scratch of length k.
    fn best_move(
        &self,
        state: &State,
        v: u32,
        max_weight: u64,
        hub_affinity: &mut [u64],
    ) -> Option<(usize, i64)> {
        let (h, k) = (state.h, state.k);
        let from = state.parts[v as usize] as usize;
        let mut benefit = self.benefit[v as usize];
        let mut incident = self.incident[v as usize];
        let hubs = &self.hub_nets
            [self.hub_offsets[v as usize] as usize..self.hub_offsets[v as usize + 1] as usize];
        // A hub net in every part (most are) adds the same affinity to each,
        // so the row alone decides the target.
        let hubs_everywhere = hubs.iter().all(|&e| state.in_every_part(e));
        let mut hub_weight = 0u64;
        for &e in hubs {
            let w = h.net_weight(e);
            incident += w;
            hub_weight += w;
            let counts = &state.pin_count[e as usize * k..(e as usize + 1) * k];
            if counts[from] == 1 {
                benefit += w;
            }
            if !hubs_everywhere {
                for (slot, &count) in hub_affinity.iter_mut().zip(counts) {
                    if count > 0 {
                        *slot += w;
                    }
                }
            }
        }
        let row = &self.affinity[v as usize * k..(v as usize + 1) * k];
        let room = max_weight.checked_sub(h.vertex_weight(v));
        let best = room.and_then(|room| {
            let part_set_words = (h.nets_of(v).len() - hubs.len()) * state.words;
            if !hubs_everywhere {
                for (hub, a) in hub_affinity.iter_mut().zip(row) {
                    *hub += a.get();
                }
                best_target(hub_affinity, from, room, &state.part_weight)
            } else if part_set_words * PARTS_PER_PART_SET_WORD <= k {
                best_adjacent_target(state, v, row, room, !hubs.is_empty())
                    .map(|(p, affinity)| (p, affinity + hub_weight))
            } else {
                best_target(row, from, room, &state.part_weight)
                    .map(|(p, affinity)| (p, affinity + hub_weight))
            }
        });
        if !hubs_everywhere {
            hub_affinity.fill(0);
        }
        // gain = benefit − (incident − affinity).
        best.map(|(p, affinity)| (p, (benefit + affinity) as i64 - incident as i64))
    }

    /// Moves `u` to part `to`, updating pin counts and the cache; pushes
    /// every vertex whose gains changed onto `changed` (possibly twice).
    fn move_vertex(&mut self, state: &mut State, u: u32, to: usize, changed: &mut Vec<u32>) {
        let (h, k) = (state.h, state.k);
        let from = state.parts[u as usize] as usize;
        state.move_vertex(u, to);
        for &e in h.nets_of(u) {
            if is_hub(h, e) {
                continue;
            }
            let w = h.net_weight(e);
            let left = state.pin_count[e as usize * k + from];
            let now = state.pin_count[e as usize * k + to];
            if left == 0 {
                // u was alone in `from`: no pin sees `from` through e now.
                self.benefit[u as usize] -= w;
                for &v in h.pins(e) {
                    self.affinity[v as usize * k + from].sub(w);
                }
            } else if left == 1 {
                // The last pin left in `from` is now alone there.
                if let Some(v) = lone_pin(state, e, from, u) {
                    self.benefit[v as usize] += w;
                    changed.push(v);
                }
            }
            if now == 1 {
                self.benefit[u as usize] += w;
                for &v in h.pins(e) {
                    self.affinity[v as usize * k + to].add(w);
                }
            } else if now == 2 {
                // The pin that was alone in `to` has company now.
                if let Some(v) = lone_pin(state, e, to, u) {
                    self.benefit[v as usize] -= w;
                    changed.push(v);
                }
            }
            if left == 0 || now == 1 {
                changed.extend_from_slice(h.pins(e));
            }
        }
    }
}

/// `best_move` reads a vertex's nets' part sets instead of its row of k
/// affinities while they hold at most one word per this many parts. At large k a
/// vertex touches a handful of parts, and a few part sets (mostly in cache:
/// FM evaluates the pins of nets it just changed) cost far fewer cache
/// misses than the row (4 KB at k = 256 with u64 affinities); but a
/// vertex in dozens of nets reads as many scattered part sets, which on
/// the 631k-block synthetic at k = 64 (20 nets per vertex) cost more than
/// its 256-byte row.
const PARTS_PER_PART_SET_WORD: usize = 8;

/// `best_target` on `row` from the parts `v`'s nets touch (all others have
/// no affinity), leaving out its hub nets (`hubs`: it has some), which the
/// row does not count.
fn best_adjacent_target<A: Affinity>(
    state: &State,
    v: u32,
    row: &[A],
    room: u64,
    hubs: bool,
) -> Option<(usize, u64)> {
    let from = state.parts[v as usize] as usize;
    let (h, nets) = (state.h, state.h.nets_of(v));
    let (mut best, mut best_affinity, mut best_weight) = (usize::MAX, 0u64, u64::MAX);
    for word in 0..state.words {
        let mut touched = 0u64;
        for &e in nets {
            if !(hubs && is_hub(h, e)) {
                touched |= state.connectivity[e as usize * state.words + word];
            }
        }
        if word == from / 64 {
            touched &= !(1 << (from % 64));
        }
        for_each_bit(touched, |bit| {
            let p = word * 64 + bit;
            let (affinity, weight) = (row[p].get(), state.part_weight[p]);
            let better =
                affinity > best_affinity || (affinity == best_affinity && weight < best_weight);
            if better && weight <= room {
                (best, best_affinity, best_weight) = (p, affinity, weight);
            }
        });
    }
    if best_affinity > 0 {
        return Some((best, best_affinity));
    }
    // No part with affinity has room: the parts without any are all alike
    // but for their weight.
    let lightest = state
        .part_weight
        .iter()
        .enumerate()
        .filter(|&(p, &weight)| p != from && weight <= room)
        .min_by_key(|&(_, &weight)| weight);
    lightest.map(|(p, _)| (p, 0))
}

/// Scratch of the localized searches, reused across searches of a round.
struct Search {
    queue: GainHeap,
    /// Whether a search of this round has taken the vertex (each vertex is
    /// queued, and so moved, at most once per round).
    taken: Vec<bool>,
    moves: Vec<(u32, usize)>,
    changed: Vec<u32>,
    /// `seen[v] == stamp`: v was already re-keyed after the current move.
    seen: Vec<u32>,
    stamp: u32,
    hub_affinity: Vec<u64>,
}

/// One round of FM searches, each seeded from the next `seeds` boundary
/// vertices in `order` that have a move and going up to `fruitless_moves`
/// past its best prefix. Returns the km1 reduction (never negative: every
/// search rolls back to its best prefix, which is empty unless it gains).
fn fm_round<A: Affinity>(
    state: &mut State,
    cache: &mut GainCache<A>,
    max_weight: u64,
    order: &[u32],
    search: &mut Search,
    seeds: usize,
    fruitless_moves: usize,
) -> u64 {
    search.taken.fill(false);
    // A search without seeds would take nothing from `order` and the round
    // would never end.
    let seeds = seeds.max(1);
    let mut total = 0u64;
    let mut next = 0;
    while next < order.len() {
        search.queue.clear();
        let mut seeded = 0;
        while seeded < seeds && next < order.len() {
            let v = order[next];
            next += 1;
            if !search.taken[v as usize] && state.on_boundary(v) {
                search.taken[v as usize] = true;
                if let Some((_, gain)) =
                    cache.best_move(state, v, max_weight, &mut search.hub_affinity)
                {
                    search.queue.insert(v, gain, v);
                    seeded += 1;
                }
            }
        }
        total += localized_search(state, cache, max_weight, search, fruitless_moves);
    }
    total
}

/// Moves the best queued vertex until the queue empties or the search has
/// gone `fruitless_moves` moves past its best prefix, then rolls back to
/// that prefix. Returns its gain.
fn localized_search<A: Affinity>(
    state: &mut State,
    cache: &mut GainCache<A>,
    max_weight: u64,
    search: &mut Search,
    fruitless_moves: usize,
) -> u64 {
    search.moves.clear();
    let (mut total, mut best, mut best_len) = (0i64, 0i64, 0usize);
    while let Some((key, v)) = search.queue.top() {
        search.queue.remove(v);
        let from = state.parts[v as usize] as usize;
        if state.part_size[from] <= 1 {
            continue;
        }
        let Some((to, gain)) = cache.best_move(state, v, max_weight, &mut search.hub_affinity)
        else {
            continue;
        };
        if gain < key {
            // Part weights moved since v was keyed; its best target did too.
            search.queue.insert(v, gain, v);
            continue;
        }
        search.changed.clear();
        cache.move_vertex(state, v, to, &mut search.changed);
        search.moves.push((v, from));
        total += gain;
        if total > best {
            best = total;
            best_len = search.moves.len();
        } else if search.moves.len() - best_len > fruitless_moves {
            break;
        }
        search.stamp += 1;
        for i in 0..search.changed.len() {
            let u = search.changed[i];
            let queued = search.queue.contains(u);
            if (!queued && search.taken[u as usize]) || search.seen[u as usize] == search.stamp {
                continue;
            }
            search.seen[u as usize] = search.stamp;
            search.taken[u as usize] = true;
            let best = cache.best_move(state, u, max_weight, &mut search.hub_affinity);
            match (best, queued) {
                (Some((_, g)), true) => search.queue.update(u, g),
                (Some((_, g)), false) => search.queue.insert(u, g, u),
                (None, true) => search.queue.remove(u),
                (None, false) => {}
            }
        }
    }
    let mut scratch = std::mem::take(&mut search.changed);
    for &(v, from) in search.moves[best_len..].iter().rev() {
        cache.move_vertex(state, v, from, &mut scratch);
    }
    scratch.clear();
    search.changed = scratch;
    best as u64
}

/// The part other than `from`, at most `room` heavy, with the highest
/// affinity (ties: the lighter, then the lower id), and that affinity:
/// `beats` over gains that differ only by their affinity term, in one
/// branch-light pass over the row.
fn best_target<T: Copy + Into<u64>>(
    row: &[T],
    from: usize,
    room: u64,
    part_weight: &[u64],
) -> Option<(usize, u64)> {
    let (mut best, mut best_affinity, mut best_weight) = (usize::MAX, 0u64, u64::MAX);
    for (p, (&affinity, &weight)) in row.iter().zip(part_weight).enumerate() {
        let affinity = affinity.into();
        let better = best == usize::MAX
            || affinity > best_affinity
            || (affinity == best_affinity && weight < best_weight);
        if better && weight <= room && p != from {
            (best, best_affinity, best_weight) = (p, affinity, weight);
        }
    }
    (best != usize::MAX).then_some((best, best_affinity))
}

/// Whether moving to part `p` with `gain` beats the best target so far:
/// a higher gain, or an equal one into a lighter part.
fn beats(best: Option<(usize, i64)>, p: usize, gain: i64, part_weight: &[u64]) -> bool {
    match best {
        None => true,
        Some((bp, bg)) => gain > bg || (gain == bg && part_weight[p] < part_weight[bp]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{km1, part_weights};

    #[test]
    fn best_target_takes_affinity_then_lightness_then_lower_id() {
        let weights = [5, 3, 3, 9, 1];
        let best =
            |affinities: [u64; 5], from, room| best_target(&affinities, from, room, &weights);
        // Parts 1 and 2 tie on affinity and weight: the lower id wins.
        assert_eq!(best([0, 4, 4, 4, 2], 0, 8), Some((1, 4)));
        // Part 3 has the most affinity but no room; part 1 is `from`.
        assert_eq!(best([0, 4, 2, 6, 1], 1, 8), Some((2, 2)));
        // Equal affinity: the lighter part.
        assert_eq!(best([1, 0, 0, 0, 1], 2, 8), Some((4, 1)));
        // No affinity anywhere still names a target (FM moves at a loss).
        assert_eq!(best([0; 5], 4, 8), Some((1, 0)));
        assert_eq!(best([7; 5], 4, 0), None);
    }

    #[test]
    fn refinement_lowers_km1_exactly_and_keeps_balance() {
        let h = crate::hypergraph::synthetic_unit(3000);
        let k = 5u32;
        let mut parts: Vec<u32> = (0..3000u32).map(|v| v % k).collect();
        let before = km1(&h, &parts, k);
        let gain = refine(&h, &mut parts, k, 630, 1, &Kway::default());
        let after = km1(&h, &parts, k);
        assert!(gain > 0);
        assert_eq!(
            before - after,
            gain,
            "reported gain must be the true km1 change"
        );
        assert!(part_weights(h.vertex_weights(), &parts, k)
            .iter()
            .all(|&w| (1..=630).contains(&w)));
    }

    #[test]
    fn searches_without_seeds_still_end() {
        let h = crate::hypergraph::synthetic_unit(600);
        let mut parts: Vec<u32> = (0..600u32).map(|v| v % 3).collect();
        let before = km1(&h, &parts, 3);
        let config = Kway {
            fm_seeds: 0,
            ..Kway::default()
        };
        let gain = refine(&h, &mut parts, 3, 210, 1, &config);
        assert_eq!(before - km1(&h, &parts, 3), gain);
    }

    /// Net weights scaled by `factor`: the same hypergraph to any
    /// refinement that is exact, whatever width its affinities take.
    fn scaled(h: &Hypergraph, factor: u64) -> Hypergraph {
        let nets: Vec<(u64, &[u32])> = (0..h.net_count() as u32)
            .map(|e| (h.net_weight(e) * factor, h.pins(e)))
            .collect();
        crate::hypergraph::from_nets(h.vertex_weights(), &nets)
    }

    #[test]
    fn heavy_nets_refine_as_light_ones() {
        let h = crate::hypergraph::synthetic_unit(3000);
        let k = 5u32;
        let start: Vec<u32> = (0..3000u32).map(|v| v % k).collect();
        let mut light = start.clone();
        let gain = refine(&h, &mut light, k, 630, 1, &Kway::default());
        let total: u64 = h.net_weights().iter().sum();
        let most_incident = (0..3000u32)
            .map(|v| h.nets_of(v).iter().map(|&e| h.net_weight(e)).sum::<u64>())
            .max()
            .unwrap_or(0);
        // All nets together overflow u32, one vertex's do not (narrow
        // affinities); then one vertex's overflow too (wide ones).
        let narrow = u64::from(u32::MAX) / most_incident;
        let wide = u64::from(u32::MAX) / most_incident * 4;
        assert!(total * narrow > u64::from(u32::MAX));
        for factor in [narrow, wide] {
            let heavy = scaled(&h, factor);
            let mut parts = start.clone();
            let heavy_gain = refine(&heavy, &mut parts, k, 630, 1, &Kway::default());
            assert_eq!(parts, light, "factor {factor}");
            assert_eq!(heavy_gain, gain * factor);
        }
    }

    /// Checks `on_boundary` against the pin counts; returns the interior count.
    fn interior_checked(state: &State) -> usize {
        let (h, k) = (state.h, state.k);
        let mut interior = 0;
        for v in 0..h.vertex_count() as u32 {
            let own = state.parts[v as usize] as usize;
            let by_counts = h
                .nets_of(v)
                .iter()
                .any(|&e| (state.pin_count[e as usize * k + own] as usize) < h.net_size(e));
            assert_eq!(state.on_boundary(v), by_counts, "vertex {v}, k = {k}");
            interior += usize::from(!by_counts);
        }
        interior
    }

    #[test]
    fn boundary_matches_pin_counts_under_moves() {
        let h = crate::hypergraph::synthetic(2000);
        // Mostly one part, so some vertices are interior; k > 64 and k ≤ 64.
        for k in [70usize, 5] {
            let parts: Vec<u32> = (0..2000u32)
                .map(|v| if v < 1500 { 0 } else { v % k as u32 })
                .collect();
            let mut state = State::new(&h, parts.clone(), k);
            let interior = interior_checked(&state);
            assert!(interior > 0 && interior < 2000, "{interior}");
            let mut rng = Rng::new(k as u64);
            let moved: Vec<u32> = (0..40).map(|_| rng.below(2000) as u32).collect();
            for &v in &moved {
                state.move_vertex(v, rng.below(k));
            }
            assert!(interior_checked(&state) < interior);
            // Moving back uncuts nets again.
            for &v in moved.iter().rev() {
                state.move_vertex(v, parts[v as usize] as usize);
            }
            assert_eq!(interior_checked(&state), interior);
        }
    }

    #[test]
    fn recycled_buffers_give_the_same_refinement() {
        let small = crate::hypergraph::synthetic_unit(1500);
        let large = crate::hypergraph::synthetic_unit(3000);
        let start = |n: u32, k: u32| (0..n).map(|v| v % k).collect::<Vec<u32>>();
        // This test's thread starts with no spare buffers.
        let mut fresh = start(1500, 6);
        refine(&small, &mut fresh, 6, 265, 3, &Kway::default());
        // Leaves longer buffers, with other parts touched, for the next call.
        refine(&large, &mut start(3000, 7), 7, 450, 4, &Kway::default());
        let mut recycled = start(1500, 6);
        refine(&small, &mut recycled, 6, 265, 3, &Kway::default());
        assert_eq!(fresh, recycled);
    }

    #[test]
    fn best_move_agrees_with_a_scan_of_every_part() {
        let at_6 = best_move_agrees_at(6);
        assert!(at_6.hubs_everywhere > 20, "{at_6:?}");
        // Two and four words of part bits per net.
        let at_70 = best_move_agrees_at(70);
        assert!(
            at_70.hubs_everywhere_by_part_sets > 0 && at_70.by_part_sets > 200,
            "{at_70:?}"
        );
        let at_200 = best_move_agrees_at(200);
        assert!(
            at_200.hubs_partial > 0 && at_200.by_part_sets > 200,
            "{at_200:?}"
        );
    }

    /// How many vertices took each of `best_move`'s ways.
    #[derive(Debug, Default)]
    struct Ways {
        /// In hub nets not all in every part: the scan of every part.
        hubs_partial: usize,
        /// In hub nets, all in every part.
        hubs_everywhere: usize,
        /// Reading part sets (whatever their hub nets).
        by_part_sets: usize,
        hubs_everywhere_by_part_sets: usize,
    }

    /// Checks every vertex's `best_move` into `k` parts against a scan of
    /// every part, under several rooms.
    fn best_move_agrees_at(k: usize) -> Ways {
        let h = crate::hypergraph::synthetic_unit(3000);
        let mut rng = Rng::new(11);
        // Round robin, shuffled, and the last 1000 vertices in the first
        // 95%: few part weights, so ties are common, and rooms that leave
        // out the heavy parts, often all those a vertex touches.
        let heavy = (k as u32 * 19 / 20).max(1);
        let mut parts: Vec<u32> = (0..3000)
            .map(|v| if v < 2000 { v % k as u32 } else { v % heavy })
            .collect();
        rng.shuffle(&mut parts);
        let state = State::new(&h, parts, k);
        let cache = GainCache::<u32>::new(&state);
        let mut ways = Ways::default();
        for v in 0..3000u32 {
            let nets = h.nets_of(v);
            let hubs = nets.iter().filter(|&&e| is_hub(&h, e));
            let hub_count = hubs.clone().count();
            let sets = (nets.len() - hub_count) * state.words * PARTS_PER_PART_SET_WORD <= k;
            if !hubs.clone().all(|&e| state.in_every_part(e)) {
                ways.hubs_partial += 1;
                continue;
            }
            ways.hubs_everywhere += usize::from(hub_count > 0);
            ways.by_part_sets += usize::from(sets);
            ways.hubs_everywhere_by_part_sets += usize::from(sets && hub_count > 0);
        }
        let mut hub_affinity = vec![0u64; k];
        let mut weights = state.part_weight.clone();
        weights.sort_unstable();
        // Rooms that leave out no part, some heavy ones, all heavy ones, and
        // all.
        for max_weight in [u64::MAX, weights[k / 2] + 1, weights[0] + 1, weights[0]] {
            for v in 0..3000u32 {
                let from = state.parts[v as usize] as usize;
                let (mut every_part, mut benefit, mut incident) = (vec![0u64; k], 0, 0);
                for &e in h.nets_of(v) {
                    let (w, counts) = (h.net_weight(e), &state.pin_count[e as usize * k..]);
                    incident += w;
                    if counts[from] == 1 {
                        benefit += w;
                    }
                    for (slot, &count) in every_part.iter_mut().zip(counts) {
                        if count > 0 {
                            *slot += w;
                        }
                    }
                }
                let scanned = max_weight
                    .checked_sub(h.vertex_weight(v))
                    .and_then(|room| best_target(&every_part, from, room, &state.part_weight))
                    .map(|(p, affinity)| (p, (benefit + affinity) as i64 - incident as i64));
                let cached = cache.best_move(&state, v, max_weight, &mut hub_affinity);
                assert_eq!(cached, scanned, "k {k} vertex {v}");
                assert!(hub_affinity.iter().all(|&a| a == 0), "scratch left dirty");
            }
        }
        ways
    }

    #[test]
    fn gain_cache_stays_exact_under_moves() {
        cache_stays_exact::<u32>();
        cache_stays_exact::<u64>();
    }

    fn cache_stays_exact<A: Affinity>() {
        let h = crate::hypergraph::synthetic(3000);
        assert!(
            (0..h.net_count() as u32).any(|e| is_hub(&h, e)),
            "want hub nets too"
        );
        let k = 6usize;
        let mut state = State::new(&h, (0..3000u32).map(|v| v % k as u32).collect(), k);
        let mut cache = GainCache::<A>::new(&state);
        let mut rng = Rng::new(7);
        let mut changed = Vec::new();
        let (mut affinity, mut touched) = (vec![0u64; k], Vec::new());
        let mut hub_affinity = vec![0u64; k];
        for _ in 0..500 {
            let v = (rng.next_u64() % 3000) as u32;
            let to = (rng.next_u64() % k as u64) as usize;
            if to != state.parts[v as usize] as usize {
                cache.move_vertex(&mut state, v, to, &mut changed);
            }
        }
        let fresh = GainCache::<A>::new(&state);
        assert_eq!(cache.benefit, fresh.benefit);
        assert_eq!(cache.affinity, fresh.affinity);
        for v in 0..3000u32 {
            let cached = cache.best_move(&state, v, u64::MAX, &mut hub_affinity);
            let direct = state.best_move(v, u64::MAX, &mut affinity, &mut touched);
            // The direct scan only offers parts v's nets touch.
            if let Some((p, gain)) = direct {
                assert_eq!(cached.map(|c| c.1), Some(gain), "vertex {v} (part {p})");
            }
        }
    }
}
