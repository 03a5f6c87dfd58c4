//! Flow-based refinement of block pairs, after FlowCutter / HyperFlowCutter
//! as Mt-KaHyPar uses them.
//!
//! FM moves one vertex at a time and only sees a better cut past a prefix of
//! moves that each pay; a minimum cut sees all of a region at once. For each
//! pair of blocks (a, b) that share cut nets (heaviest first, in matchings:
//! see `in_matchings`), grow a region around their common boundary by BFS
//! inside each block (each side no heavier than the other block could take
//! in, within α times the balance slack), contract the rest of a into the source and the rest of b into the
//! sink, and look for a balanced minimum cut in the Lawler network of the
//! nets touching the region (`network`). Only pins in a or b matter: a net's
//! km1 term changes with whether it keeps pins on both sides, so the cut of
//! the region is exactly the pair's share of km1, and a cut below the
//! current one lowers km1 by the difference. Nets with pins on both sides
//! outside the region stay cut whatever happens and are left out.

mod network;

use crate::config::Flows;
use crate::hypergraph::{prefetch_ahead, Hypergraph, PREFETCH_NETS};
use crate::refinement::kway::{self, State};
use network::{CutProblem, FlowSearch, Network, NetworkBuilder, NoCut, SINK, SOURCE};
use rayon::prelude::*;
use std::collections::HashSet;
use std::sync::{Mutex, PoisonError};

const NONE: u32 = u32::MAX;
/// Vertex nodes follow the two terminals.
const FIRST_VERTEX: usize = 2;

/// Refines `parts` by flows on block pairs for up to `config.rounds` rounds
/// (each over the pairs with a block that changed in the last). Never
/// increases km1, never pushes a part over `max_weight` or empties one.
/// Returns the km1 reduction.
///
/// A round searches its pairs in waves of pairs with no block in common, in
/// parallel (`wave_len`): a pair's search reads only its own two blocks, so
/// such pairs commute, and each wave's moves are made in the round's pair
/// order. The result is that of searching the pairs one by one, at any
/// thread count.
pub(crate) fn refine(
    h: &Hypergraph,
    parts: &mut Vec<u32>,
    k: u32,
    max_weight: u64,
    config: &Flows,
) -> u64 {
    if k < 2 || config.rounds == 0 || h.vertex_count() == 0 {
        return 0;
    }
    kway::with_state(h, parts, k as usize, |state| {
        let scratches = ScratchPool::default();
        let mut active = vec![true; state.k];
        let mut total = 0;
        let budget = config
            .work_per_pin
            .saturating_mul(h.pin_count())
            .min(config.work_per_net.saturating_mul(h.net_count()));
        let mut work = 0usize;
        // Pairs that found no balanced cut in all their pierces: the moves
        // of other pairs rarely change that, and they are the costliest.
        let mut unbalanced = HashSet::new();
        'rounds: for _ in 0..config.rounds {
            let mut changed = vec![false; state.k];
            let by_cut = pairs_by_cut(state, &active, config.max_net_pins)
                .into_iter()
                .filter(|pair| !unbalanced.contains(&pair.blocks));
            let mut pending = in_matchings(by_cut, state.k);
            while !pending.is_empty() {
                let len = wave_len(&pending, state.k, config.pairs_per_wave);
                let wave: Vec<Pair> = pending.drain(..len).collect();
                let searches: Vec<PairSearch> = wave
                    .par_iter()
                    .map(|pair| {
                        scratches.with(h, |scratch| {
                            search_pair(state, pair, max_weight, config, budget, scratch)
                        })
                    })
                    .collect();
                for (pair, search) in wave.iter().zip(searches) {
                    if work > budget {
                        break 'rounds;
                    }
                    work += search.work;
                    match search.outcome {
                        Ok(moves) => {
                            total += moves.gain;
                            for &(v, to) in &moves.moves {
                                state.move_vertex(v, to as usize);
                            }
                            changed[pair.blocks[0] as usize] = true;
                            changed[pair.blocks[1] as usize] = true;
                        }
                        Err(Some(NoCut::Unbalanced)) => {
                            unbalanced.insert(pair.blocks);
                        }
                        Err(_) => {}
                    }
                }
            }
            if !changed.contains(&true) {
                break;
            }
            active = changed;
        }
        total
    })
}

/// The number of pairs at the front of `pending` (in round order) that
/// share no block, up to `max_pairs` (at least one). A wave is such a
/// prefix, so every pair before one in the wave is done or in it: the
/// budget check before each pair's moves is that of a one-by-one search.
fn wave_len(pending: &[Pair], k: usize, max_pairs: usize) -> usize {
    let mut claimed = vec![false; k];
    let mut len = 0;
    for pair in pending.iter().take(max_pairs.max(1)) {
        let [a, b] = pair.blocks.map(|p| p as usize);
        if claimed[a] || claimed[b] {
            break;
        }
        claimed[a] = true;
        claimed[b] = true;
        len += 1;
    }
    len
}

/// What the search of one pair found, and the flow work it took.
struct PairSearch {
    work: usize,
    outcome: Result<Moves, Option<NoCut>>,
}

/// Vertex moves (vertex, block) that lower km1 by `gain`.
struct Moves {
    gain: u64,
    moves: Vec<(u32, u32)>,
}

/// Searches one pair at α, and again at `retry_alpha` if that found no
/// balanced cut and a retry is set. The pair gives up (unbalanced) once
/// its work passes `max_work`, the whole refinement's budget, which
/// otherwise binds only between pairs: at k = 2 a region can hold most of
/// the hypergraph (ibm05's coarse level: 11,335 of 14,673 vertices), and
/// its one pair may pierce that network 64 times without reaching balance.
fn search_pair(
    state: &State,
    pair: &Pair,
    max_weight: u64,
    config: &Flows,
    max_work: usize,
    scratch: &mut Scratch,
) -> PairSearch {
    scratch.search.work = 0;
    let search = |alpha: f64, scratch: &mut Scratch| {
        refine_pair(state, pair, max_weight, alpha, config, max_work, scratch)
    };
    let mut outcome = search(config.alpha, scratch);
    if matches!(outcome, Err(Some(NoCut::Unbalanced))) && config.retry_alpha > 0.0 {
        outcome = search(config.retry_alpha, scratch);
    }
    PairSearch {
        work: scratch.search.work,
        outcome,
    }
}

/// Scratch buffers for the pair searches running at once, one per search,
/// made as the searches need them.
#[derive(Default)]
struct ScratchPool(Mutex<Vec<Scratch>>);

impl ScratchPool {
    fn with<R>(&self, h: &Hypergraph, work: impl FnOnce(&mut Scratch) -> R) -> R {
        let taken = self.0.lock().unwrap_or_else(PoisonError::into_inner).pop();
        let mut scratch = taken.unwrap_or_else(|| Scratch::new(h));
        let result = work(&mut scratch);
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(scratch);
        result
    }
}

/// Two blocks, the weight of the nets they share and those nets.
struct Pair {
    blocks: [u32; 2],
    weight: u64,
    nets: Vec<u32>,
}

/// The block pairs with at least one active block and cut nets of at most
/// `max_net_pins` pins in common, heaviest shared weight first (ties by
/// block ids, so the order is deterministic).
fn pairs_by_cut(state: &State, active: &[bool], max_net_pins: usize) -> Vec<Pair> {
    let h = state.h;
    let mut shared: Vec<(u32, u32, u32)> = Vec::new();
    let mut blocks = Vec::new();
    for e in 0..h.net_count() as u32 {
        if h.net_size(e) > max_net_pins {
            continue;
        }
        state.parts_of(e, &mut blocks);
        for (i, &a) in blocks.iter().enumerate() {
            for &b in &blocks[i + 1..] {
                if active[a as usize] || active[b as usize] {
                    shared.push((a, b, e));
                }
            }
        }
    }
    shared.sort_unstable();
    let mut pairs: Vec<Pair> = Vec::new();
    for (a, b, e) in shared {
        match pairs.last_mut() {
            Some(pair) if pair.blocks == [a, b] => {
                pair.weight += h.net_weight(e);
                pair.nets.push(e);
            }
            _ => pairs.push(Pair {
                blocks: [a, b],
                weight: h.net_weight(e),
                nets: vec![e],
            }),
        }
    }
    pairs.sort_by_key(|pair| (std::cmp::Reverse(pair.weight), pair.blocks));
    pairs
}

/// `pairs` reordered as successive matchings of the blocks, each taken
/// greedily in the given order, so that consecutive pairs share no block
/// and a wave can hold `pairs_per_wave` of them. In plain cut order a
/// block's heavy pairs come one after another, and waves averaged 2–3
/// pairs at k = 64: too few to keep two threads busy.
fn in_matchings(pairs: impl Iterator<Item = Pair>, k: usize) -> Vec<Pair> {
    let mut rest: Vec<Pair> = pairs.collect();
    let mut ordered = Vec::with_capacity(rest.len());
    let mut matched_in = vec![usize::MAX; k];
    let mut matching = 0;
    while !rest.is_empty() {
        let mut later = Vec::new();
        for pair in rest {
            let [a, b] = pair.blocks.map(|p| p as usize);
            if matched_in[a] == matching || matched_in[b] == matching {
                later.push(pair);
            } else {
                (matched_in[a], matched_in[b]) = (matching, matching);
                ordered.push(pair);
            }
        }
        rest = later;
        matching += 1;
    }
    ordered
}

/// Buffers reused across pairs.
struct Scratch {
    /// Each vertex's index in the region, or `NONE`.
    region_index: Vec<u32>,
    /// Each net's index among the region's nets, or `NONE`.
    net_index: Vec<u32>,
    /// The nets a region side's growth has scanned: those marked with its
    /// stamp.
    net_scanned: Vec<u32>,
    scan_stamp: u32,
    region: Vec<u32>,
    /// Per node: weight, vertex count and piercing rank (see `CutProblem`).
    weight: Vec<u64>,
    vertices: Vec<u32>,
    rank: Vec<i32>,
    nets: Vec<RegionNet>,
    /// Region pins of the region's nets, CSR by `nets` index.
    net_pins: Vec<u32>,
    net_first: Vec<u32>,
    node_pins: Vec<u32>,
    builder: NetworkBuilder,
    network: Network,
    search: FlowSearch,
}

/// A net with pins in the region: whether it also has pins in a or b
/// outside the region (so it is tied to the source or the sink), and
/// whether it has pins in both now (so it is in the pair's cut).
#[derive(Clone, Copy)]
struct RegionNet {
    net: u32,
    to_source: bool,
    to_sink: bool,
    cut: bool,
}

impl Scratch {
    fn new(h: &Hypergraph) -> Self {
        Scratch {
            region_index: vec![NONE; h.vertex_count()],
            net_index: vec![NONE; h.net_count()],
            net_scanned: vec![0; h.net_count()],
            scan_stamp: 0,
            region: Vec::new(),
            weight: Vec::new(),
            vertices: Vec::new(),
            rank: Vec::new(),
            nets: Vec::new(),
            net_pins: Vec::new(),
            net_first: Vec::new(),
            node_pins: Vec::new(),
            builder: NetworkBuilder::default(),
            network: Network::default(),
            search: FlowSearch::default(),
        }
    }

    /// A stamp no net is marked with yet.
    fn next_scan_stamp(&mut self) -> u32 {
        if self.scan_stamp == u32::MAX {
            self.net_scanned.fill(0);
            self.scan_stamp = 0;
        }
        self.scan_stamp += 1;
        self.scan_stamp
    }

    /// Forgets the region, leaving the per-vertex and per-net maps all NONE.
    fn clear(&mut self) {
        for &v in &self.region {
            self.region_index[v as usize] = NONE;
        }
        for net in &self.nets {
            self.net_index[net.net as usize] = NONE;
        }
        self.region.clear();
        self.nets.clear();
    }
}

/// One pair: region, network, balanced minimum cut, and the moves if the
/// cut is lower, or why there are none (`None`: the region's cut is zero
/// or no lower balanced cut).
fn refine_pair(
    state: &State,
    pair: &Pair,
    max_weight: u64,
    alpha: f64,
    config: &Flows,
    max_work: usize,
    scratch: &mut Scratch,
) -> Result<Moves, Option<NoCut>> {
    scratch.clear();
    let [a, b] = pair.blocks.map(|p| p as usize);
    let sides = region_budgets(state, [a, b], max_weight, alpha);
    grow_region(state, pair, sides, config, scratch);
    let current = build_network(state, [a, b], scratch);
    if current == 0 {
        return Err(None);
    }
    let problem = CutProblem {
        weight: &scratch.weight,
        vertices: &scratch.vertices,
        rank: &scratch.rank,
        max_weight,
        limit: current,
        max_pierces: config.max_pierces,
        hopeless_after: config.hopeless_after,
        search_tree_work: config.search_tree_work,
        max_work,
        min_pierces: config.min_pierces,
    };
    let cut = scratch
        .search
        .balanced_cut(&mut scratch.network, &problem)
        .map_err(Some)?;
    let to_a = |i: usize| cut.source_side[FIRST_VERTEX + i];
    let after = cut_after(state, scratch, &to_a);
    if after >= current {
        return Err(None);
    }
    debug_assert!(after <= cut.flow);
    let moves = scratch.region.iter().enumerate().filter_map(|(i, &v)| {
        let to = if to_a(i) { a } else { b } as u32;
        (state.parts[v as usize] != to).then_some((v, to))
    });
    Ok(Moves {
        gain: current - after,
        moves: moves.collect(),
    })
}

/// How heavy each side's region may be: what the other block can take in
/// under (1 + α·ε) times a perfect part, where ε is the slack `max_weight`
/// leaves (α = 1: every cut of the region is balanced; larger regions need
/// piercing to reach a balanced cut, but can move further).
fn region_budgets(state: &State, [a, b]: [usize; 2], max_weight: u64, alpha: f64) -> [u64; 2] {
    let total: u64 = state.part_weight.iter().sum();
    let perfect = total as f64 / state.k as f64;
    let epsilon = (max_weight as f64 / perfect.max(1.0) - 1.0).max(0.0);
    let cap = ((1.0 + alpha * epsilon) * perfect).max(max_weight as f64) as u64;
    let weight = &state.part_weight;
    [
        cap.saturating_sub(weight[b]).min(weight[a]),
        cap.saturating_sub(weight[a]).min(weight[b]),
    ]
}

/// BFS from the pair's boundary into each block (through nets of at most
/// `max_net_pins` pins) up to `max_distance` steps, within that side's
/// weight budget and vertex limit. A vertex's rank is its BFS depth (1 on
/// the boundary), positive in a and negative in b.
fn grow_region(
    state: &State,
    pair: &Pair,
    budget: [u64; 2],
    config: &Flows,
    scratch: &mut Scratch,
) {
    let h = state.h;
    for (side, &block) in pair.blocks.iter().enumerate() {
        let sign = if side == 0 { 1 } else { -1 };
        let start = scratch.region.len();
        let mut weight = 0u64;
        let mut try_add = |scratch: &mut Scratch, v: u32, depth: i32| {
            let w = h.vertex_weight(v);
            if scratch.region_index[v as usize] != NONE
                || state.parts[v as usize] != block
                || weight + w > budget[side]
                || scratch.region.len() - start >= config.max_region_vertices
            {
                return;
            }
            weight += w;
            scratch.region_index[v as usize] = scratch.region.len() as u32;
            scratch.region.push(v);
            scratch.rank.push(sign * depth);
        };
        if side == 0 {
            scratch.rank.clear();
        }
        // A pin turned away once stays out (it is in the region, in the
        // other block, or too heavy for the weight left), so each net is
        // scanned at most once a side.
        let stamp = scratch.next_scan_stamp();
        for &e in &pair.nets {
            scratch.net_scanned[e as usize] = stamp;
            for &v in h.pins(e) {
                try_add(scratch, v, 1);
            }
        }
        let mut next = start;
        while next < scratch.region.len() {
            if scratch.region.len() - start >= config.max_region_vertices {
                break;
            }
            let v = scratch.region[next];
            let depth = scratch.rank[next].abs() + 1;
            next += 1;
            if depth > config.max_distance as i32 + 1 {
                continue;
            }
            let nets = h.nets_of(v);
            for (i, &e) in nets.iter().enumerate() {
                prefetch_ahead(nets, i, |e| {
                    h.prefetch_net(e);
                    ix_base::prefetch_read(&scratch.net_scanned[e as usize]);
                });
                if h.net_size(e) <= config.max_net_pins && scratch.net_scanned[e as usize] != stamp
                {
                    scratch.net_scanned[e as usize] = stamp;
                    for &u in h.pins(e) {
                        try_add(scratch, u, depth);
                    }
                }
            }
        }
    }
}

/// Builds the network of the region (terminals, vertex nodes, then the nets
/// that can change) and the per-node weights. Returns the pair's current cut
/// over those nets.
fn build_network(state: &State, [a, b]: [usize; 2], scratch: &mut Scratch) -> u64 {
    let h = state.h;
    collect_region_nets(state, [a, b], scratch);
    let region_weight = |block: usize| -> (u64, u32) {
        let members = scratch
            .region
            .iter()
            .filter(|&&v| state.parts[v as usize] as usize == block);
        members.fold((0, 0), |(w, c), &v| (w + h.vertex_weight(v), c + 1))
    };
    let (weight_a, count_a) = region_weight(a);
    let (weight_b, count_b) = region_weight(b);
    let nodes = FIRST_VERTEX + scratch.region.len();
    scratch.weight.clear();
    scratch.weight.push(state.part_weight[a] - weight_a);
    scratch.weight.push(state.part_weight[b] - weight_b);
    scratch
        .weight
        .extend(scratch.region.iter().map(|&v| h.vertex_weight(v)));
    scratch.vertices.clear();
    scratch.vertices.push(state.part_size[a] - count_a);
    scratch.vertices.push(state.part_size[b] - count_b);
    scratch.vertices.resize(nodes, 1);
    // Terminals are never pierced; their rank is unused.
    scratch.rank.splice(0..0, [0, 0]);
    scratch.builder.clear(nodes as u32);
    let mut current = 0u64;
    for i in 0..scratch.nets.len() {
        let RegionNet {
            net,
            to_source,
            to_sink,
            cut,
        } = scratch.nets[i];
        let pins =
            &scratch.net_pins[scratch.net_first[i] as usize..scratch.net_first[i + 1] as usize];
        let terminals = usize::from(to_source) + usize::from(to_sink);
        // Cut whatever happens (both terminals), or never cut (one pin).
        if terminals == 2 || pins.len() + terminals < 2 {
            continue;
        }
        if cut {
            current += h.net_weight(net);
        }
        scratch.node_pins.clear();
        scratch.node_pins.extend(to_source.then_some(SOURCE));
        scratch.node_pins.extend(to_sink.then_some(SINK));
        scratch
            .node_pins
            .extend(pins.iter().map(|&i| (FIRST_VERTEX as u32) + i));
        scratch
            .builder
            .add_net(h.net_weight(net), &scratch.node_pins);
    }
    // Net nodes weigh nothing and hold no vertex.
    scratch.builder.build_into(&mut scratch.network);
    let all_nodes = scratch.builder.node_count();
    scratch.weight.resize(all_nodes, 0);
    scratch.vertices.resize(all_nodes, 0);
    scratch.rank.resize(all_nodes, 0);
    current
}

/// The nets with a pin in the region, each with its region pins (as region
/// indices) and whether it reaches a or b outside the region.
fn collect_region_nets(state: &State, [a, b]: [usize; 2], scratch: &mut Scratch) {
    let h = state.h;
    let mut counts: Vec<u32> = Vec::new();
    for &v in &scratch.region {
        let nets = h.nets_of(v);
        for (i, &e) in nets.iter().enumerate() {
            prefetch_ahead(nets, i, |e| {
                ix_base::prefetch_read(&scratch.net_index[e as usize])
            });
            let index = &mut scratch.net_index[e as usize];
            if *index == NONE {
                *index = scratch.nets.len() as u32;
                scratch.nets.push(RegionNet {
                    net: e,
                    to_source: false,
                    to_sink: false,
                    cut: false,
                });
                counts.push(0);
            }
            counts[*index as usize] += 1;
        }
    }
    scratch.net_first.clear();
    scratch.net_first.push(0);
    for &c in &counts {
        let last = *scratch.net_first.last().unwrap_or(&0);
        scratch.net_first.push(last + c);
    }
    scratch.net_pins.clear();
    scratch
        .net_pins
        .resize(*scratch.net_first.last().unwrap_or(&0) as usize, 0);
    let mut fill = scratch.net_first.clone();
    let mut in_block = vec![[0u32; 2]; scratch.nets.len()];
    for (i, &v) in scratch.region.iter().enumerate() {
        let side = usize::from(state.parts[v as usize] as usize != a);
        for &e in h.nets_of(v) {
            let index = scratch.net_index[e as usize] as usize;
            scratch.net_pins[fill[index] as usize] = i as u32;
            fill[index] += 1;
            in_block[index][side] += 1;
        }
    }
    for (i, inside) in in_block.iter().enumerate() {
        if let Some(ahead) = scratch.nets.get(i + PREFETCH_NETS) {
            state.prefetch_pins_in(ahead.net, [a, b]);
            h.prefetch_net_weight(ahead.net);
        }
        let net = &mut scratch.nets[i];
        let pins = [state.pins_in(net.net, a), state.pins_in(net.net, b)];
        net.to_source = pins[0] > inside[0];
        net.to_sink = pins[1] > inside[1];
        net.cut = pins[0] > 0 && pins[1] > 0;
    }
}

/// The pair's cut over the network's nets if region vertex i goes to a
/// exactly when `to_a(i)`.
fn cut_after(state: &State, scratch: &Scratch, to_a: &dyn Fn(usize) -> bool) -> u64 {
    scratch
        .nets
        .iter()
        .enumerate()
        .filter(|(_, net)| !(net.to_source && net.to_sink))
        .filter(|(i, net)| {
            let pins = &scratch.net_pins
                [scratch.net_first[*i] as usize..scratch.net_first[i + 1] as usize];
            let in_a = net.to_source || pins.iter().any(|&p| to_a(p as usize));
            let in_b = net.to_sink || pins.iter().any(|&p| !to_a(p as usize));
            in_a && in_b
        })
        .map(|(_, net)| state.h.net_weight(net.net))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::{km1, part_weights};
    use proptest::prelude::*;

    fn flows() -> Flows {
        Flows {
            rounds: 4,
            ..Flows::default()
        }
    }

    #[test]
    fn flows_find_the_known_minimum_cut() {
        // Two groups {0..3} and {4..7}, tied inside by nets of weight 5 and
        // to each other by two nets of weight 1: the best bisection cuts 2.
        // Start with 3 and 4 swapped (cut 1 + 1 + 5·4 = 22 or so).
        let nets: Vec<(u64, Vec<u32>)> = vec![
            (5, vec![0, 1]),
            (5, vec![1, 2, 3]),
            (5, vec![0, 3]),
            (5, vec![4, 5]),
            (5, vec![5, 6, 7]),
            (5, vec![4, 7]),
            (1, vec![3, 4]),
            (1, vec![2, 5]),
        ];
        let mut offsets = vec![0u32];
        let mut pins = Vec::new();
        for (_, net) in &nets {
            pins.extend_from_slice(net);
            offsets.push(pins.len() as u32);
        }
        let weights = nets.iter().map(|(w, _)| *w).collect();
        let h = Hypergraph::new(vec![1; 8], weights, offsets, pins).unwrap();
        let mut parts = vec![0, 0, 0, 1, 0, 1, 1, 1];
        let before = km1(&h, &parts, 2);
        let gain = refine(&h, &mut parts, 2, 5, &flows());
        assert_eq!(km1(&h, &parts, 2), 2);
        assert_eq!(gain, before - 2);
        assert_eq!(
            parts[..4]
                .iter()
                .collect::<std::collections::HashSet<_>>()
                .len(),
            1
        );
    }

    /// A random hypergraph with a random partition into k non-empty parts.
    fn instance() -> impl Strategy<Value = (Hypergraph, Vec<u32>, u32)> {
        (4usize..60, 2u32..7).prop_flat_map(|(n, k)| {
            let k = k.min(n as u32);
            let weights = proptest::collection::vec(1u64..10, n);
            let nets = proptest::collection::vec(
                (
                    1u64..8,
                    proptest::collection::btree_set(0..n as u32, 2..7.min(n + 1)),
                ),
                1..3 * n,
            );
            let parts = proptest::collection::vec(0..k, n);
            (weights, nets, parts).prop_map(move |(weights, nets, mut parts)| {
                // Every part gets at least one vertex.
                for p in 0..k {
                    parts[p as usize] = p;
                }
                let mut offsets = vec![0u32];
                let mut pins = Vec::new();
                for (_, net) in &nets {
                    pins.extend(net.iter().copied());
                    offsets.push(pins.len() as u32);
                }
                let net_weights = nets.iter().map(|(w, _)| *w).collect();
                (
                    Hypergraph::new(weights, net_weights, offsets, pins).unwrap(),
                    parts,
                    k,
                )
            })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

        #[test]
        fn flows_never_worsen_km1_nor_break_balance((h, parts, k) in instance(), slack in 0u64..30) {
            let heaviest = *part_weights(h.vertex_weights(), &parts, k).iter().max().unwrap();
            let max_weight = heaviest + slack;
            let mut refined = parts.clone();
            let gain = refine(&h, &mut refined, k, max_weight, &flows());
            let (before, after) = (km1(&h, &parts, k), km1(&h, &refined, k));
            prop_assert!(after <= before, "{} > {}", after, before);
            prop_assert_eq!(before - after, gain);
            let weights = part_weights(h.vertex_weights(), &refined, k);
            prop_assert!(weights.iter().all(|&w| w <= max_weight), "{:?} > {}", weights, max_weight);
            let sizes = part_weights(&vec![1; h.vertex_count()], &refined, k);
            prop_assert!(sizes.iter().all(|&s| s > 0), "{:?}", sizes);
        }

        #[test]
        fn waves_refine_as_one_pair_at_a_time((h, parts, k) in instance(), slack in 0u64..30, work_per_pin in 0usize..400) {
            // Small budgets run out mid-wave too.
            let heaviest = *part_weights(h.vertex_weights(), &parts, k).iter().max().unwrap();
            let config = Flows { work_per_pin, ..flows() };
            let one_by_one = Flows { pairs_per_wave: 1, ..config };
            let mut alone = parts.clone();
            let alone_gain = refine(&h, &mut alone, k, heaviest + slack, &one_by_one);
            let pool = rayon::ThreadPoolBuilder::new().num_threads(4).build().unwrap();
            let mut waved = parts.clone();
            let waved_gain = pool.install(|| refine(&h, &mut waved, k, heaviest + slack, &config));
            prop_assert_eq!(alone, waved);
            prop_assert_eq!(alone_gain, waved_gain);
        }
    }
}
