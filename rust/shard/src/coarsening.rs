//! Coarsening: heavy-edge clustering and contraction, level after level.
//!
//! Each pass visits the vertices in a seeded random order; an unclustered
//! vertex joins the neighbouring cluster with the highest heavy-edge rating
//! Σ w(e) / (|e| − 1) over shared nets of 2..=`max_rated_net` pins, under a
//! cluster-weight cap (ties: the lighter cluster, then a seeded coin). Vertices
//! with no rated net at all are paired with each other, which keeps passes
//! shrinking at about 2× on graphs with many isolated vertices. Vertices of
//! the input too heavy to share a cluster stay alone on every level (see
//! `HeavyVertices`). Contraction
//! drops nets left with one pin or more pins than the hub limit and merges
//! identical nets (adding their weights), so coarse levels stay small.

use crate::hypergraph::{prefetch_ahead, Hypergraph, PREFETCH_NETS};
use ix_base::rng::{mix, Rng};
use rayon::prelude::*;
use std::cell::RefCell;

const NONE: u32 = u32::MAX;

/// One coarser level and how the finer level's vertices map onto it.
pub(crate) struct Level {
    pub(crate) coarse: Hypergraph,
    pub(crate) map: Vec<u32>,
    /// The coarse vertices' parts, when coarsening kept a partition.
    pub(crate) parts: Option<Vec<u32>>,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct CoarsenConfig {
    /// Stop once a level has at most this many vertices.
    pub(crate) coarsest: usize,
    /// Nets with more pins do not vote in the rating.
    pub(crate) max_rated_net: usize,
    /// A pass stops clustering once the level has shrunk by this factor.
    pub(crate) max_shrink: f64,
    /// No cluster may weigh more than this.
    pub(crate) cluster_cap: u64,
    /// See `config::Coarsening::heavy_vertex_parts` (0: none apart).
    pub(crate) heavy_vertex_parts: u64,
    pub(crate) heavy_vertex_mean: u64,
    /// See `config::Coarsening::max_pins_per_vertex`.
    pub(crate) max_pins_per_vertex: usize,
}

impl CoarsenConfig {
    /// Coarsening down to `coarsest` vertices, no cluster above `cluster_cap`.
    pub(crate) fn new(
        settings: &crate::config::Coarsening,
        coarsest: usize,
        cluster_cap: u64,
    ) -> Self {
        CoarsenConfig {
            coarsest,
            max_rated_net: settings.max_rated_net,
            max_shrink: settings.max_shrink,
            cluster_cap,
            heavy_vertex_parts: settings.heavy_vertex_parts,
            heavy_vertex_mean: settings.heavy_vertex_mean,
            max_pins_per_vertex: settings.max_pins_per_vertex,
        }
    }
}

/// The vertices of a level that never cluster: those of the input heavier
/// than half the cluster cap (they could not take in one of their kind),
/// than half of the total over `heavy_vertex_parts`, and than
/// `heavy_vertex_mean` times the mean. Empty when there are none.
struct HeavyVertices {
    alone: Vec<bool>,
}

impl HeavyVertices {
    fn of(h: &Hypergraph, config: &CoarsenConfig) -> Self {
        let none = HeavyVertices { alone: Vec::new() };
        if config.heavy_vertex_parts == 0 {
            return none;
        }
        let total = h.total_vertex_weight();
        let share = total / config.heavy_vertex_parts;
        let mean = total / h.vertex_count().max(1) as u64;
        let limit = (config.cluster_cap.max(share) / 2).max(config.heavy_vertex_mean * mean);
        if h.vertex_weights().iter().all(|&w| w <= limit) {
            return none;
        }
        HeavyVertices {
            alone: h.vertex_weights().iter().map(|&w| w > limit).collect(),
        }
    }

    /// `config` with the heavy vertices counted apart: coarsening stops at
    /// `coarsest` clusters of light vertices plus the heavy ones, and the
    /// cap shrinks by the heavy vertices' share of the weight. Otherwise
    /// the heavy vertices would fill most of the coarsest level's count,
    /// and the light ones, left the same cap, would end in a few clusters
    /// too coarse for initial partitioning to place well.
    fn counted_apart(&self, h: &Hypergraph, config: CoarsenConfig) -> CoarsenConfig {
        let (mut count, mut weight) = (0usize, 0u64);
        for (v, _) in self.alone.iter().enumerate().filter(|(_, &a)| a) {
            count += 1;
            weight += h.vertex_weight(v as u32);
        }
        if count == 0 {
            return config;
        }
        let total = h.total_vertex_weight();
        let light_cap =
            u128::from(config.cluster_cap) * u128::from(total - weight) / u128::from(total.max(1));
        CoarsenConfig {
            coarsest: config.coarsest + count,
            // Never below 2 (unless it was): light vertices must still pair.
            cluster_cap: (light_cap as u64).max(config.cluster_cap.min(2)),
            ..config
        }
    }

    /// The same vertices on the next level (each is a cluster of its own).
    fn project(&mut self, map: &[u32], coarse_n: usize) {
        if self.alone.is_empty() {
            return;
        }
        let mut coarse = vec![false; coarse_n];
        for (&c, &alone) in map.iter().zip(&self.alone) {
            coarse[c as usize] |= alone;
        }
        self.alone = coarse;
    }
}

/// Coarsens `h` until it is small enough, a pass stops paying off (< 10%),
/// or the next level would be denser than `max_pins_per_vertex` (not kept).
/// With `parts`, only vertices of the same part are clustered (a V-cycle
/// re-coarsens a finished partition this way), and each level carries its
/// vertices' parts.
pub(crate) fn coarsen(
    h: &Hypergraph,
    config: CoarsenConfig,
    rng: &mut Rng,
    parts: Option<&[u32]>,
) -> Vec<Level> {
    let mut levels: Vec<Level> = Vec::new();
    let mut heavy = HeavyVertices::of(h, &config);
    let config = heavy.counted_apart(h, config);
    loop {
        let current = levels.last().map_or(h, |level| &level.coarse);
        let current_parts = match levels.last() {
            Some(level) => level.parts.as_deref(),
            None => parts,
        };
        let n = current.vertex_count();
        if n <= config.coarsest {
            break;
        }
        let (map, coarse_n) = cluster(current, config, rng, current_parts, &heavy.alone);
        if coarse_n == n {
            break;
        }
        let coarse = contract(current, &map, coarse_n);
        if config.max_pins_per_vertex > 0
            && coarse.pin_count() > coarse_n.saturating_mul(config.max_pins_per_vertex)
        {
            break;
        }
        heavy.project(&map, coarse_n);
        let coarse_parts = current_parts.map(|fine| {
            let mut coarse = vec![0u32; coarse_n];
            for (&c, &p) in map.iter().zip(fine) {
                coarse[c as usize] = p;
            }
            coarse
        });
        levels.push(Level {
            coarse,
            map,
            parts: coarse_parts,
        });
        if coarse_n * 10 > n * 9 {
            break;
        }
    }
    levels
}

/// Vertices rated in parallel at a time, against the clustering as it was
/// when their sub-round started: a fixed share of the level (within bounds),
/// so the clustering does not depend on the thread count, and no vertex
/// rates against a clustering more than a sliver of the level out of date.
fn sub_round_size(n: usize) -> usize {
    (n / SUB_ROUNDS_PER_LEVEL).clamp(MIN_SUB_ROUND, MAX_SUB_ROUND)
}

/// Sub-rounds per level; smaller levels still rate at least
/// `MIN_SUB_ROUND` vertices per sub-round, larger ones at most `MAX_SUB_ROUND`.
const SUB_ROUNDS_PER_LEVEL: usize = 256;
const MIN_SUB_ROUND: usize = 8;
const MAX_SUB_ROUND: usize = 1024;

thread_local! {
    /// Rating scratch of the current thread: a score per cluster id (all zero
    /// between ratings) and the ids with a non-zero score.
    static SCRATCH: RefCell<(Vec<f64>, Vec<u32>)> = const { RefCell::new((Vec::new(), Vec::new())) };
}

/// What rating one vertex found: the cluster it would join, and whether it
/// has any rated net at all.
struct Choice {
    target: Option<u32>,
    rated: bool,
}

/// Read-only inputs of the ratings of one clustering pass.
struct Rater<'a> {
    h: &'a Hypergraph,
    config: CoarsenConfig,
    parts: Option<&'a [u32]>,
    /// Vertices that never cluster (empty: none).
    alone: &'a [bool],
    tie_seed: u64,
}

impl Rater<'_> {
    fn same_part(&self, a: u32, b: u32) -> bool {
        self.parts
            .is_none_or(|parts| parts[a as usize] == parts[b as usize])
    }

    fn alone(&self, v: u32) -> bool {
        self.alone.get(v as usize).copied().unwrap_or(false)
    }

    /// The neighbouring cluster `u` rates highest (ties: the lighter, then a
    /// seeded coin) among those with room for it, given `rep` and `weight`.
    fn choose(&self, u: u32, rep: &[u32], weight: &[u64]) -> Choice {
        if self.alone(u) {
            // Rated, so that it is not paired with the unrated either.
            return Choice {
                target: None,
                rated: true,
            };
        }
        SCRATCH.with(|scratch| {
            let (score, touched) = &mut *scratch.borrow_mut();
            if score.len() < rep.len() {
                score.resize(rep.len(), 0.0);
            }
            let rated = self.score_neighbours(u, rep, score, touched);
            let weight_u = self.h.vertex_weight(u);
            let mut best: Option<(f64, u64, u64, u32)> = None;
            for &c in touched.iter() {
                let s = std::mem::take(&mut score[c as usize]);
                let w = weight[c as usize];
                if w + weight_u > self.config.cluster_cap || self.alone(c) {
                    continue;
                }
                let tie = mix(self.tie_seed ^ u64::from(c));
                let better = match best {
                    None => true,
                    Some((bs, bw, bt, _)) => {
                        s > bs || (s == bs && (w < bw || (w == bw && tie > bt)))
                    }
                };
                if better {
                    best = Some((s, w, tie, c));
                }
            }
            touched.clear();
            Choice {
                target: best.map(|(_, _, _, c)| c),
                rated,
            }
        })
    }

    /// Adds up the heavy-edge rating Σ w(e) / (|e| − 1) of every cluster next
    /// to `u`; returns whether `u` has a rated net.
    fn score_neighbours(
        &self,
        u: u32,
        rep: &[u32],
        score: &mut [f64],
        touched: &mut Vec<u32>,
    ) -> bool {
        let h = self.h;
        let mut rated = false;
        let nets = h.nets_of(u);
        for (i, &e) in nets.iter().enumerate() {
            // Where a net's pins begin, then (that loaded) its pins.
            prefetch_ahead(nets, i + PREFETCH_NETS, |e| h.prefetch_net_offset(e));
            prefetch_ahead(nets, i, |e| h.prefetch_net(e));
            let size = h.net_size(e);
            if size < 2 || size > self.config.max_rated_net {
                continue;
            }
            rated = true;
            let rating = h.net_weight(e) as f64 / (size - 1) as f64;
            for &p in h.pins(e) {
                if p == u || !self.same_part(p, u) {
                    continue;
                }
                let c = if rep[p as usize] == NONE {
                    p
                } else {
                    rep[p as usize]
                };
                if score[c as usize] == 0.0 {
                    touched.push(c);
                }
                score[c as usize] += rating;
            }
        }
        rated
    }
}

/// One clustering pass; returns each vertex's cluster id and the cluster count.
///
/// The vertices are visited in a seeded order, in sub-rounds: all of a
/// sub-round rate their neighbours in parallel, then join their chosen
/// clusters one by one, in order. A join is dropped (the vertex stays alone)
/// when its cluster has no room left by then.
fn cluster(
    h: &Hypergraph,
    config: CoarsenConfig,
    rng: &mut Rng,
    parts: Option<&[u32]>,
    alone: &[bool],
) -> (Vec<u32>, usize) {
    let n = h.vertex_count();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let rater = Rater {
        h,
        config,
        parts,
        alone,
        tie_seed: rng.next_u64(),
    };
    let mut rep = vec![NONE; n];
    let mut cluster_weight: Vec<u64> = h.vertex_weights().to_vec();
    let target = ((n as f64 / config.max_shrink) as usize).max(config.coarsest);
    let mut clusters = n;
    let mut unrated: Vec<u32> = Vec::new();
    for sub_round in order.chunks(sub_round_size(n)) {
        if clusters <= target {
            break;
        }
        let choices: Vec<Option<Choice>> = sub_round
            .par_iter()
            .map(|&u| (rep[u as usize] == NONE).then(|| rater.choose(u, &rep, &cluster_weight)))
            .collect();
        for (&u, choice) in sub_round.iter().zip(choices) {
            if clusters <= target {
                break;
            }
            let Some(choice) = choice.filter(|_| rep[u as usize] == NONE) else {
                continue;
            };
            let weight_u = h.vertex_weight(u);
            // The chosen cluster may have been joined to another since.
            let joined = choice
                .target
                .map(|c| {
                    if rep[c as usize] == NONE {
                        c
                    } else {
                        rep[c as usize]
                    }
                })
                .filter(|&c| cluster_weight[c as usize] + weight_u <= config.cluster_cap);
            match joined {
                Some(c) => {
                    rep[c as usize] = c;
                    rep[u as usize] = c;
                    cluster_weight[c as usize] += weight_u;
                    clusters -= 1;
                }
                None => {
                    rep[u as usize] = u;
                    if !choice.rated {
                        unrated.push(u);
                    }
                }
            }
        }
    }
    clusters -= pair_unrated(
        &unrated,
        &mut rep,
        &mut cluster_weight,
        h,
        config.cluster_cap,
        clusters.saturating_sub(target),
        parts,
    );
    compact(rep, clusters)
}

/// Pairs vertices that had no rated net (their placement is cut-neutral as far
/// as the small nets can tell), so such graphs still shrink. Makes at most
/// `budget` pairs and returns how many it made.
fn pair_unrated(
    unrated: &[u32],
    rep: &mut [u32],
    cluster_weight: &mut [u64],
    h: &Hypergraph,
    cluster_cap: u64,
    budget: usize,
    parts: Option<&[u32]>,
) -> usize {
    let mut paired = 0;
    // One waiting vertex per part (a single slot without a partition).
    let slots = parts.map_or(1, |parts| parts.iter().max().map_or(1, |&p| p as usize + 1));
    let mut waiting_in: Vec<Option<u32>> = vec![None; slots];
    for &u in unrated {
        let waiting = &mut waiting_in[parts.map_or(0, |parts| parts[u as usize] as usize)];
        if paired >= budget {
            break;
        }
        // Only vertices still alone qualify (others may have joined u since).
        if cluster_weight[u as usize] != h.vertex_weight(u) || rep[u as usize] != u {
            continue;
        }
        match *waiting {
            Some(c) if cluster_weight[c as usize] + h.vertex_weight(u) <= cluster_cap => {
                rep[u as usize] = c;
                cluster_weight[c as usize] += h.vertex_weight(u);
                paired += 1;
                *waiting = None;
            }
            _ => *waiting = Some(u),
        }
    }
    paired
}

/// Numbers the clusters 0.. in vertex order.
fn compact(rep: Vec<u32>, clusters: usize) -> (Vec<u32>, usize) {
    let n = rep.len();
    let mut id = vec![NONE; n];
    let mut next = 0u32;
    for (v, &r) in rep.iter().enumerate() {
        let r = if r == NONE { v } else { r as usize };
        if id[r] == NONE {
            id[r] = next;
            next += 1;
        }
    }
    debug_assert_eq!(next as usize, clusters);
    let map = (0..n)
        .map(|v| id[if rep[v] == NONE { v } else { rep[v] as usize }])
        .collect();
    (map, next as usize)
}

/// Nets contracted per parallel task.
const CONTRACT_CHUNK: usize = 8192;

/// The coarse hypergraph of a clustering: summed vertex weights; nets with
/// their pins mapped and de-duplicated, single-pin nets dropped, identical
/// nets merged into one with the summed weight. Nets are contracted in
/// parallel chunks and concatenated in order, so the result is the same for
/// any thread count.
pub(crate) fn contract(h: &Hypergraph, map: &[u32], coarse_n: usize) -> Hypergraph {
    let mut weights = vec![0u64; coarse_n];
    for v in 0..h.vertex_count() {
        weights[map[v] as usize] += h.vertex_weight(v as u32);
    }
    let net_count = h.net_count() as u32;
    let chunks: Vec<ContractedNets> = (0..net_count.div_ceil(CONTRACT_CHUNK as u32))
        .into_par_iter()
        .map(|c| {
            let first = c * CONTRACT_CHUNK as u32;
            contract_nets(h, map, first..net_count.min(first + CONTRACT_CHUNK as u32))
        })
        .collect();
    // Sized up front: growing them would copy, and fault in fresh pages, at
    // every doubling.
    let nets = chunks.iter().map(|c| c.ends.len()).sum::<usize>();
    let mut offsets = Vec::with_capacity(nets + 1);
    offsets.push(0u32);
    let mut pins: Vec<u32> = Vec::with_capacity(chunks.iter().map(|c| c.pins.len()).sum());
    let (mut net_weights, mut fingerprints) = (Vec::with_capacity(nets), Vec::with_capacity(nets));
    for chunk in chunks {
        let base = pins.len() as u32;
        offsets.extend(chunk.ends.iter().map(|&end| base + end));
        pins.extend_from_slice(&chunk.pins);
        net_weights.extend_from_slice(&chunk.weights);
        fingerprints.extend_from_slice(&chunk.fingerprints);
    }
    merge_identical_nets(&mut offsets, &mut pins, &mut net_weights, &fingerprints);
    Hypergraph::from_parts_unchecked(weights, net_weights, offsets, pins)
}

/// The contracted nets of one chunk: pins (sorted per net), where each net
/// ends, weights and pin-set fingerprints.
#[derive(Default)]
struct ContractedNets {
    pins: Vec<u32>,
    ends: Vec<u32>,
    weights: Vec<u64>,
    fingerprints: Vec<u64>,
}

fn contract_nets(h: &Hypergraph, map: &[u32], nets: std::ops::Range<u32>) -> ContractedNets {
    let most_pins = nets.clone().map(|e| h.net_size(e)).sum();
    let most_nets = nets.len();
    let mut out = ContractedNets {
        pins: Vec::with_capacity(most_pins),
        ends: Vec::with_capacity(most_nets),
        weights: Vec::with_capacity(most_nets),
        fingerprints: Vec::with_capacity(most_nets),
    };
    for e in nets {
        let start = out.pins.len();
        out.pins.extend(h.pins(e).iter().map(|&p| map[p as usize]));
        out.pins[start..].sort_unstable();
        let size = dedup_sorted_tail(&mut out.pins, start);
        // Single-pin nets cannot be cut; nets over the hub size are left out
        // of every gain, so on coarse levels they would only cost time.
        if !(2..=crate::HUB_NET).contains(&size) {
            out.pins.truncate(start);
            continue;
        }
        let fingerprint = out.pins[start..]
            .iter()
            .fold(size as u64, |acc, &p| mix(acc ^ u64::from(p)));
        out.fingerprints.push(fingerprint);
        out.ends.push(out.pins.len() as u32);
        out.weights.push(h.net_weight(e));
    }
    out
}

/// Removes repeats from the sorted `pins[start..]`; returns how many remain.
fn dedup_sorted_tail(pins: &mut Vec<u32>, start: usize) -> usize {
    let mut kept = start;
    for read in start..pins.len() {
        if read == start || pins[read] != pins[kept - 1] {
            pins[kept] = pins[read];
            kept += 1;
        }
    }
    pins.truncate(kept);
    kept - start
}

/// Merges nets with the same (sorted) pin set into the first of them,
/// keeping its place. Nets are looked up by fingerprint in an
/// open-addressing table, in net order: linear in the nets, where sorting
/// them by fingerprint cost a tenth of the run on hypergraphs with many
/// small nets over few vertices (sat14 primal: 153k nets, 9.6k vertices).
fn merge_identical_nets(
    offsets: &mut Vec<u32>,
    pins: &mut Vec<u32>,
    weights: &mut Vec<u64>,
    fingerprints: &[u64],
) {
    let nets = weights.len();
    let mask = (2 * nets).next_power_of_two().max(2) - 1;
    let mut first_with = vec![NONE; mask + 1];
    let mut merged = vec![false; nets];
    for e in 0..nets {
        let fingerprint = fingerprints[e];
        // Fingerprints are mixed, so their low bits index the table.
        let mut slot = fingerprint as usize & mask;
        loop {
            let first = first_with[slot];
            if first == NONE {
                first_with[slot] = e as u32;
                break;
            }
            // Within a fingerprint compare for real (collisions are rare).
            if fingerprints[first as usize] == fingerprint
                && pins[pin_range(offsets, first)] == pins[pin_range(offsets, e as u32)]
            {
                merged[e] = true;
                weights[first as usize] += weights[e];
                break;
            }
            slot = (slot + 1) & mask;
        }
    }
    if !merged.contains(&true) {
        return;
    }
    let mut new_offsets = vec![0u32];
    let mut new_pins = Vec::with_capacity(pins.len());
    let mut new_weights = Vec::new();
    for e in 0..nets {
        if !merged[e] {
            new_pins.extend_from_slice(&pins[pin_range(offsets, e as u32)]);
            new_offsets.push(new_pins.len() as u32);
            new_weights.push(weights[e]);
        }
    }
    *offsets = new_offsets;
    *pins = new_pins;
    *weights = new_weights;
}

fn pin_range(offsets: &[u32], e: u32) -> std::ops::Range<usize> {
    offsets[e as usize] as usize..offsets[e as usize + 1] as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Coarsening to `coarsest` vertices with no vertex apart and no density bound.
    fn plain(coarsest: usize, max_shrink: f64, cluster_cap: u64) -> CoarsenConfig {
        CoarsenConfig {
            coarsest,
            max_rated_net: 100,
            max_shrink,
            cluster_cap,
            heavy_vertex_parts: 0,
            heavy_vertex_mean: 0,
            max_pins_per_vertex: 0,
        }
    }

    #[test]
    fn contraction_merges_and_drops_nets() {
        // nets: {0,1}, {2,3}, {0,2}, {1,3}; clusters {0,1} and {2,3}.
        let h = Hypergraph::new(
            vec![1, 2, 3, 4],
            vec![5, 6, 7, 8],
            vec![0, 2, 4, 6, 8],
            vec![0, 1, 2, 3, 0, 2, 1, 3],
        )
        .unwrap();
        let coarse = contract(&h, &[0, 0, 1, 1], 2);
        assert_eq!(coarse.vertex_weights(), &[3, 7]);
        assert_eq!(coarse.net_count(), 1);
        assert_eq!(coarse.pins(0), &[0, 1]);
        assert_eq!(coarse.net_weight(0), 15);
    }

    #[test]
    fn coarsening_shrinks_and_respects_the_cap() {
        let h = crate::hypergraph::synthetic(5000);
        let cap = h.total_vertex_weight() / 100;
        let config = plain(200, 2.5, cap);
        let levels = coarsen(&h, config, &mut Rng::new(1), None);
        assert!(!levels.is_empty());
        let last = &levels.last().unwrap().coarse;
        assert!(last.vertex_count() < 1000, "{}", last.vertex_count());
        assert_eq!(last.total_vertex_weight(), h.total_vertex_weight());
        let heaviest_input = *h.vertex_weights().iter().max().unwrap();
        assert!(last
            .vertex_weights()
            .iter()
            .all(|&w| w <= cap.max(heaviest_input)));
    }

    #[test]
    fn coarsening_does_not_depend_on_thread_count() {
        // Sub-rounds of over 200 vertices and several contraction chunks,
        // so both split into parallel tasks.
        let h = crate::hypergraph::synthetic(60_000);
        assert!(h.net_count() > 2 * CONTRACT_CHUNK);
        let config = plain(1000, 2.0, h.total_vertex_weight() / 1000);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            let levels = pool.install(|| coarsen(&h, config, &mut Rng::new(9), None));
            levels
                .into_iter()
                .map(|level| (level.map, level.coarse))
                .collect::<Vec<_>>()
        };
        let one = run(1);
        assert!(one.len() > 3);
        assert_eq!(one, run(2));
        assert_eq!(one, run(3));
    }

    #[test]
    fn heavy_vertices_stay_alone_and_are_counted_apart() {
        // Every 50th vertex weighs 100, the rest 1: 60 heavy vertices hold
        // two thirds of the weight.
        let n = 3000;
        let weights: Vec<u64> = (0..n).map(|v| if v % 50 == 0 { 100 } else { 1 }).collect();
        let h = crate::hypergraph::synthetic_unit(n).with_vertex_weights(weights);
        let total = h.total_vertex_weight();
        let config = CoarsenConfig {
            heavy_vertex_parts: 100,
            heavy_vertex_mean: 4,
            ..plain(100, 2.0, total / 50)
        };
        let levels = coarsen(&h, config, &mut Rng::new(2), None);
        // Each heavy vertex is a cluster of its own on every level.
        let mut cluster_of: Vec<u32> = (0..n as u32).collect();
        for level in &levels {
            for c in &mut cluster_of {
                *c = level.map[*c as usize];
            }
        }
        let mut members = vec![0usize; levels.last().unwrap().coarse.vertex_count()];
        for &c in &cluster_of {
            members[c as usize] += 1;
        }
        for v in (0..n).step_by(50) {
            assert_eq!(members[cluster_of[v] as usize], 1, "heavy vertex {v}");
        }
        // The light vertices form about `coarsest` clusters, each under
        // the cap cut by the heavy share of the weight (to a third).
        let last = &levels.last().unwrap().coarse;
        let light: Vec<u64> = last
            .vertex_weights()
            .iter()
            .copied()
            .filter(|&w| w != 100)
            .collect();
        assert!((100..=200).contains(&light.len()), "{}", light.len());
        assert!(light.iter().all(|&w| w <= total / 150 + 1), "{light:?}");
        // Off, the heavy vertices take in light ones.
        let off = CoarsenConfig {
            heavy_vertex_parts: 0,
            heavy_vertex_mean: 0,
            ..config
        };
        let last_off = coarsen(&h, off, &mut Rng::new(2), None)
            .pop()
            .unwrap()
            .coarse;
        assert!(last_off.vertex_weights().iter().any(|&w| w > 100));
    }

    #[test]
    fn coarsening_stops_before_a_level_too_dense() {
        let h = crate::hypergraph::synthetic(5000);
        let config = plain(20, 2.0, h.total_vertex_weight() / 20);
        let density = |h: &Hypergraph| h.pin_count() as f64 / h.vertex_count() as f64;
        let unbounded = coarsen(&h, config, &mut Rng::new(5), None);
        let densities: Vec<f64> = unbounded.iter().map(|l| density(&l.coarse)).collect();
        // A bound between two levels' densities: coarsening keeps the levels
        // up to the first denser one, and they are the same levels.
        let cut = densities
            .iter()
            .position(|&d| d > 2.0 * densities[0])
            .unwrap();
        let bound = densities[..cut].iter().copied().fold(0.0, f64::max).ceil() as usize;
        assert!(densities[cut] > bound as f64, "{densities:?}");
        let bounded = coarsen(
            &h,
            CoarsenConfig {
                max_pins_per_vertex: bound,
                ..config
            },
            &mut Rng::new(5),
            None,
        );
        assert_eq!(bounded.len(), cut);
        for (a, b) in bounded.iter().zip(&unbounded) {
            assert_eq!((&a.map, &a.coarse), (&b.map, &b.coarse));
        }
    }

    #[test]
    fn coarsening_with_parts_never_mixes_parts() {
        let h = crate::hypergraph::synthetic(3000);
        let parts: Vec<u32> = (0..3000u32).map(|v| mix(u64::from(v)) as u32 % 5).collect();
        let config = plain(20, 2.0, h.total_vertex_weight() / 20);
        let levels = coarsen(&h, config, &mut Rng::new(4), Some(&parts));
        assert!(levels.len() > 2);
        let mut fine_parts = parts;
        for level in &levels {
            let coarse_parts = level.parts.as_ref().unwrap();
            for (v, &c) in level.map.iter().enumerate() {
                assert_eq!(coarse_parts[c as usize], fine_parts[v]);
            }
            fine_parts = coarse_parts.clone();
        }
        assert!(fine_parts.len() < 600, "{}", fine_parts.len());
    }
}
