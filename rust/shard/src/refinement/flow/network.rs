//! The flow network of one block-pair region and the search for a balanced
//! minimum cut in it: a first maximum flow by search trees
//! (`search_trees`), then FlowCutter's incremental piercing (a side that is
//! too light absorbs its whole reachable set and one more vertex, and
//! Dinic's max-flow augments again from the pierced vertex), so every cut
//! found is a minimum cut between the terminals so far.
//!
//! Node 0 stands for the source block outside the region, node 1 for the
//! sink block outside it; vertex nodes and net nodes follow.

mod search_trees;

use search_trees::SearchTrees;

/// Capacity of the arcs that tie pins to their nets: never part of a cut.
pub(crate) const INFINITE: u64 = u64::MAX / 4;

pub(crate) const SOURCE: u32 = 0;
pub(crate) const SINK: u32 = 1;

const FREE: u8 = 0;
const IS_SOURCE: u8 = 1;
const IS_SINK: u8 = 2;
const UNREACHED: u32 = u32::MAX;

/// Arcs collected before the network is laid out as CSR.
#[derive(Default)]
pub(crate) struct NetworkBuilder {
    nodes: u32,
    /// (tail, head, capacity, reverse capacity) per arc pair.
    arcs: Vec<(u32, u32, u64, u64)>,
}

impl NetworkBuilder {
    pub(crate) fn clear(&mut self, nodes: u32) {
        self.nodes = nodes;
        self.arcs.clear();
    }

    pub(crate) fn node_count(&self) -> usize {
        self.nodes as usize
    }

    pub(crate) fn add_node(&mut self) -> u32 {
        self.nodes += 1;
        self.nodes - 1
    }

    /// An arc `tail → head` with its reverse of capacity `back` (0 for a
    /// directed arc, `capacity` for an undirected edge).
    pub(crate) fn add_arc(&mut self, tail: u32, head: u32, capacity: u64, back: u64) {
        self.arcs.push((tail, head, capacity, back));
    }

    /// A net of capacity `weight` on `pins` (nodes) as Lawler's expansion: an
    /// in-node and an out-node joined by one arc of the net's weight, every
    /// pin tied to both by infinite arcs, so cutting the net costs its
    /// weight once however its pins are split. Two pins make a plain edge.
    pub(crate) fn add_net(&mut self, weight: u64, pins: &[u32]) {
        if let [u, v] = pins {
            self.add_arc(*u, *v, weight, weight);
            return;
        }
        let net_in = self.add_node();
        let net_out = self.add_node();
        self.add_arc(net_in, net_out, weight, 0);
        for &pin in pins {
            if pin != SINK {
                self.add_arc(pin, net_in, INFINITE, 0);
            }
            if pin != SOURCE {
                self.add_arc(net_out, pin, INFINITE, 0);
            }
        }
    }

    /// Lays the arcs out by tail; `network`'s buffers are reused.
    pub(crate) fn build_into(&self, network: &mut Network) {
        let n = self.nodes as usize;
        network.first.clear();
        network.first.resize(n + 1, 0);
        for &(tail, head, _, _) in &self.arcs {
            network.first[tail as usize + 1] += 1;
            network.first[head as usize + 1] += 1;
        }
        for v in 0..n {
            network.first[v + 1] += network.first[v];
        }
        let arcs = 2 * self.arcs.len();
        network.head.resize(arcs, 0);
        network.capacity.resize(arcs, 0);
        network.reverse.resize(arcs, 0);
        let mut fill = network.first[..n].to_vec();
        for &(tail, head, capacity, back) in &self.arcs {
            let forward = fill[tail as usize] as usize;
            fill[tail as usize] += 1;
            let backward = fill[head as usize] as usize;
            fill[head as usize] += 1;
            network.head[forward] = head;
            network.capacity[forward] = capacity;
            network.reverse[forward] = backward as u32;
            network.head[backward] = tail;
            network.capacity[backward] = back;
            network.reverse[backward] = forward as u32;
        }
    }
}

/// A residual network in CSR form (each arc knows its reverse).
#[derive(Default)]
pub(crate) struct Network {
    first: Vec<u32>,
    head: Vec<u32>,
    capacity: Vec<u64>,
    reverse: Vec<u32>,
}

impl Network {
    fn node_count(&self) -> usize {
        self.first.len().saturating_sub(1)
    }

    fn arcs(&self, v: u32) -> std::ops::Range<usize> {
        self.first[v as usize] as usize..self.first[v as usize + 1] as usize
    }

    /// The residual arc behind `arc` (u → v, read from u's list) for a
    /// search from u to v: `arc` itself, or v → u when searching backwards.
    fn residual<const BACKWARD: bool>(&self, arc: usize) -> usize {
        if BACKWARD {
            self.reverse[arc] as usize
        } else {
            arc
        }
    }

    /// Whether a search can step along `arc` (see `residual`).
    fn open<const BACKWARD: bool>(&self, arc: usize) -> bool {
        self.capacity[self.residual::<BACKWARD>(arc)] > 0
    }
}

/// What the cut search needs besides the network: the weight of every node
/// (vertex nodes carry their vertex's weight, the terminals the weight of
/// their block outside the region, net nodes nothing), its number of
/// vertices (to keep both blocks non-empty), and a piercing preference.
pub(crate) struct CutProblem<'a> {
    pub(crate) weight: &'a [u64],
    pub(crate) vertices: &'a [u32],
    /// Higher is more source-like: vertices deep in the source block rank
    /// highest, vertices deep in the sink block lowest, so piercing grows a
    /// side back over its own block first and the cut stays near the old one.
    pub(crate) rank: &'a [i32],
    /// Both sides must weigh at most this.
    pub(crate) max_weight: u64,
    /// Give up once the flow reaches this (the current cut): no lower cut.
    pub(crate) limit: u64,
    pub(crate) max_pierces: usize,
    /// From this pierce on (0: never), give up once the lighter side's
    /// deficit, closing at its pace so far, would stay open at more than
    /// half its size after the last pierce: where one side's minimum cut
    /// hugs its terminal, each pierce moves a vertex or two and all the
    /// pierces fail.
    pub(crate) hopeless_after: usize,
    /// Search trees may scan this many arcs per network arc in one search
    /// before Dinic finishes that max-flow (0: Dinic only); the trees are
    /// then grown afresh for the next pierce.
    pub(crate) search_tree_work: usize,
    /// Give up (unbalanced) before a pierce that would start past this
    /// much `FlowSearch::work`.
    pub(crate) max_work: usize,
    /// Give up (unbalanced) at once when `max_work` affords fewer pierces
    /// than this of this network (0: never).
    pub(crate) min_pierces: usize,
}

/// A balanced cut below the limit: which nodes lie on the source side, and
/// the flow (= the cut's capacity).
pub(crate) struct Cut {
    pub(crate) source_side: Vec<bool>,
    pub(crate) flow: u64,
}

/// Scratch of the max-flow and reachability searches.
#[derive(Default)]
pub(crate) struct FlowSearch {
    kind: Vec<u8>,
    /// BFS levels of Dinic's phases: a node is in the current phase's level
    /// graph when its level is at least `base`, and each phase starts above
    /// every level so far, so no phase resets the whole array (the early
    /// phases of a max-flow reach only a sliver of the network). Current-arc
    /// pointers are set as nodes get a level.
    level: Vec<u32>,
    base: u32,
    top: u32,
    current: Vec<u32>,
    queue: Vec<u32>,
    path: Vec<u32>,
    from_source: Vec<bool>,
    to_sink: Vec<bool>,
    /// The terminal nodes that may still have a residual arc to (source) or
    /// from (sink) a free node, in index order. Terminal sets only grow and
    /// no augmenting path enters one, so a terminal node found interior stays
    /// interior: searches start from these instead of scanning every
    /// terminal's arcs after each pierce.
    source_frontier: Vec<u32>,
    sink_frontier: Vec<u32>,
    /// Vertex nodes in piercing order for each side (rank first, then
    /// index), and how many leading ones are known to be terminal.
    source_order: Vec<u32>,
    sink_order: Vec<u32>,
    source_skip: usize,
    sink_skip: usize,
    trees: SearchTrees,
    /// Whether the search trees hold the flow's state (else Dinic alone
    /// searches: `CutProblem::search_tree_work` is 0).
    by_trees: bool,
    /// Work so far in the unit of the flow budget: twice the network's
    /// arcs per piercing step, whatever the step scans (a measure of pair
    /// size × effort that is deterministic, unlike a clock).
    pub(crate) work: usize,
}

/// What a pierce made terminal besides the side's reachable set.
enum Pierced {
    /// Vertices the other side does not reach.
    Unreached,
    /// One vertex the other side reaches.
    Reached(u32),
}

/// Where a max-flow search starts.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Start {
    /// The source node, before any pierce.
    Source,
    /// A pierced source vertex: the search runs forwards from it.
    PiercedSource(u32),
    /// A pierced sink vertex: the search runs backwards from it.
    PiercedSink(u32),
}

/// Why a search found no cut.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum NoCut {
    /// The flow reached the limit: no balanced cut is lower.
    AtLimit,
    /// No balanced cut after `max_pierces` pierces, or nothing left to
    /// pierce.
    Unbalanced,
}

/// Whether a search that has pierced `pierces` times, closing the lighter
/// side's deficit from `first` to `deficit`, should give up (see
/// `CutProblem::hopeless_after`).
fn hopeless(problem: &CutProblem, pierces: usize, first: u64, deficit: u64) -> bool {
    if problem.hopeless_after == 0 || pierces < problem.hopeless_after {
        return false;
    }
    let closed = u128::from(first.saturating_sub(deficit));
    let remaining = (problem.max_pierces - pierces) as u128;
    2 * closed * remaining < u128::from(deficit) * pierces as u128
}

impl FlowSearch {
    /// The lowest balanced cut FlowCutter finds, if it is below `limit`.
    pub(crate) fn balanced_cut(
        &mut self,
        network: &mut Network,
        problem: &CutProblem,
    ) -> Result<Cut, NoCut> {
        let n = network.node_count();
        self.kind.clear();
        self.kind.resize(n, FREE);
        self.kind[SOURCE as usize] = IS_SOURCE;
        self.kind[SINK as usize] = IS_SINK;
        self.source_frontier.clear();
        self.source_frontier.push(SOURCE);
        self.sink_frontier.clear();
        self.sink_frontier.push(SINK);
        self.order_candidates(problem);
        let total_weight: u64 = problem.weight.iter().sum();
        let total_vertices: u32 = problem.vertices.iter().sum();
        let mut flow = 0u64;
        let mut augment = Some(Start::Source);
        self.by_trees = problem.search_tree_work > 0;
        if self.by_trees {
            self.trees.reset(network);
        }
        let pierce_work = 2 * network.head.len();
        if problem.max_work / pierce_work.max(1) < problem.min_pierces {
            return Err(NoCut::Unbalanced);
        }
        let mut first_deficit = None;
        for pierces in 0..=problem.max_pierces {
            if self.work > problem.max_work {
                return Err(NoCut::Unbalanced);
            }
            self.work += 2 * network.head.len();
            if self.by_trees {
                let max_work = problem.search_tree_work.saturating_mul(network.head.len());
                match self.trees.resume(network, problem.limit - flow, max_work) {
                    Ok(added) => flow += added,
                    Err(added) => {
                        flow += added;
                        // Dinic takes up the valid flow the trees leave:
                        // their augmentations since the pierce ran within
                        // the side that can reach neither old terminal set,
                        // so every augmenting path still runs through the
                        // pierced vertex.
                        if let Some(start) = augment {
                            flow += self.augment(network, start, problem.limit - flow);
                        }
                        if flow < problem.limit {
                            self.regrow_trees(network, problem.limit - flow);
                        }
                    }
                }
                if flow >= problem.limit {
                    return Err(NoCut::AtLimit);
                }
                // With no active node left, the search trees are exactly
                // the two reachable sets.
                self.from_source.clear();
                self.to_sink.clear();
                let trees = &self.trees;
                self.from_source
                    .extend((0..n).map(|v| trees.in_source_tree(v)));
                self.to_sink.extend((0..n).map(|v| trees.in_sink_tree(v)));
            } else if let Some(start) = augment {
                flow = flow.saturating_add(self.augment(network, start, problem.limit - flow));
                if flow >= problem.limit {
                    return Err(NoCut::AtLimit);
                }
                // Any maximum flow leaves the same reachable sets.
                if start == Start::Source {
                    // The last BFS from the source found no sink: its levels
                    // mark exactly what the source reaches.
                    self.from_source.clear();
                    let mut marks = std::mem::take(&mut self.from_source);
                    marks.extend((0..n).map(|v| self.reached(v, IS_SOURCE)));
                    self.from_source = marks;
                    self.to_sink.clear();
                    self.to_sink
                        .extend(self.kind.iter().map(|&kind| kind == IS_SINK));
                    self.extend_reach(network, false);
                } else {
                    self.reach_from_terminals(network);
                }
            }
            let side_weight = |marks: &[bool]| -> (u64, u32) {
                marks
                    .iter()
                    .enumerate()
                    .filter(|(_, &m)| m)
                    .fold((0, 0), |(w, c), (v, _)| {
                        (w + problem.weight[v], c + problem.vertices[v])
                    })
            };
            let (source_weight, source_vertices) = side_weight(&self.from_source);
            let (sink_weight, sink_vertices) = side_weight(&self.to_sink);
            let fits = |weight: u64, vertices: u32| {
                weight <= problem.max_weight
                    && total_weight - weight <= problem.max_weight
                    && vertices > 0
                    && vertices < total_vertices
            };
            // Of the two extreme minimum cuts, the better balanced one.
            let source_cut = fits(source_weight, source_vertices)
                .then_some(source_weight.max(total_weight - source_weight));
            let sink_cut = fits(sink_weight, sink_vertices)
                .then_some(sink_weight.max(total_weight - sink_weight));
            match (source_cut, sink_cut) {
                (Some(s), t) if t.is_none_or(|t| s <= t) => {
                    return Ok(Cut {
                        source_side: self.from_source.clone(),
                        flow,
                    })
                }
                (_, Some(_)) => {
                    return Ok(Cut {
                        source_side: self.to_sink.iter().map(|&t| !t).collect(),
                        flow,
                    })
                }
                _ => {}
            }
            let lightest = total_weight.saturating_sub(problem.max_weight);
            let grow_source = source_weight <= sink_weight;
            let deficit = lightest.saturating_sub(source_weight.min(sink_weight));
            let first = *first_deficit.get_or_insert(deficit);
            if hopeless(problem, pierces, first, deficit) {
                return Err(NoCut::Unbalanced);
            }
            match self
                .pierce(network, problem, grow_source, deficit)
                .ok_or(NoCut::Unbalanced)?
            {
                // Pierced vertices the other side could not reach open no
                // augmenting path: the flow and the other side's reachable
                // set stay as they are, and this side's grows from the new
                // terminals.
                Pierced::Unreached => {
                    augment = None;
                    if !self.by_trees {
                        self.extend_reach(network, grow_source);
                    }
                }
                // No source reached a sink before, and nothing this side
                // reached can reach the other: every augmenting path runs
                // through the pierced vertex, so the search starts there.
                Pierced::Reached(v) if grow_source => augment = Some(Start::PiercedSource(v)),
                Pierced::Reached(v) => augment = Some(Start::PiercedSink(v)),
            }
        }
        Err(NoCut::Unbalanced)
    }

    /// Grows the search trees afresh from every terminal over a network
    /// whose flow is maximum: they end as the two reachable sets, and the
    /// next pierce's search resumes from them. A search that hands over to
    /// Dinic is usually the first max-flow of a dense network, where each
    /// augmentation orphans many nodes; later pierces add little flow, and
    /// the trees absorb them at the cost of what changed where Dinic would
    /// rescan the network.
    fn regrow_trees(&mut self, network: &mut Network, limit: u64) {
        self.trees.reset(network);
        for (v, &kind) in self.kind.iter().enumerate() {
            if kind != FREE && v != SOURCE as usize && v != SINK as usize {
                self.trees
                    .make_terminal(network, v as u32, kind == IS_SOURCE);
            }
        }
        let added = self.trees.resume(network, limit, usize::MAX);
        debug_assert_eq!(added, Ok(0), "no augmenting path is left");
    }

    /// Sorts the vertex nodes into each side's piercing order: vertices
    /// deep in the side's own block first, ties by index.
    fn order_candidates(&mut self, problem: &CutProblem) {
        let vertices = (0..problem.rank.len() as u32)
            .filter(|&v| v != SOURCE && v != SINK && problem.vertices[v as usize] > 0);
        self.source_order.clear();
        self.source_order.extend(vertices);
        self.source_order
            .sort_by_key(|&v| std::cmp::Reverse(problem.rank[v as usize]));
        self.sink_order.clear();
        self.sink_order.extend_from_slice(&self.source_order);
        // The stable sorts keep ascending indices within a rank.
        self.sink_order.sort_by_key(|&v| problem.rank[v as usize]);
        self.source_skip = 0;
        self.sink_skip = 0;
    }

    /// Makes the reachable set of the lighter side terminal and pierces it
    /// further: preferably with vertices the other side cannot reach (no
    /// augmenting path, so the cut does not grow), then by rank. Such
    /// vertices go in bulk, up to half the weight the side still lacks
    /// (`deficit`), so a side far from balance gets there in a few rounds
    /// of max-flow rather than one per vertex. None when no vertex is left
    /// to pierce.
    fn pierce(
        &mut self,
        network: &Network,
        problem: &CutProblem,
        grow_source: bool,
        deficit: u64,
    ) -> Option<Pierced> {
        let (kind, reached, other, frontier, order, skip) = if grow_source {
            (
                IS_SOURCE,
                &self.from_source,
                &self.to_sink,
                &mut self.source_frontier,
                &self.source_order,
                &mut self.source_skip,
            )
        } else {
            (
                IS_SINK,
                &self.to_sink,
                &self.from_source,
                &mut self.sink_frontier,
                &self.sink_order,
                &mut self.sink_skip,
            )
        };
        for (v, &r) in reached.iter().enumerate() {
            if r && self.kind[v] != kind {
                self.kind[v] = kind;
                if self.by_trees {
                    self.trees.make_terminal(network, v as u32, grow_source);
                } else {
                    frontier.push(v as u32);
                }
            }
        }
        // Terminal nodes stay terminal: skip the order's terminal prefix.
        while *skip < order.len() && self.kind[order[*skip] as usize] != FREE {
            *skip += 1;
        }
        let candidates = &order[*skip..];
        let first_free = candidates
            .iter()
            .position(|&v| self.kind[v as usize] == FREE && !other[v as usize]);
        let (first, unreachable) = match first_free {
            Some(i) => (i, true),
            None => (0, false),
        };
        let &v = candidates.get(first)?;
        self.kind[v as usize] = kind;
        if self.by_trees {
            self.trees.make_terminal(network, v, grow_source);
        } else {
            frontier.push(v);
        }
        if unreachable {
            let mut pierced = problem.weight[v as usize];
            for &v in &candidates[first + 1..] {
                if self.kind[v as usize] != FREE || other[v as usize] {
                    continue;
                }
                pierced += problem.weight[v as usize];
                if pierced > deficit / 2 {
                    break;
                }
                self.kind[v as usize] = kind;
                if self.by_trees {
                    self.trees.make_terminal(network, v, grow_source);
                } else {
                    frontier.push(v);
                }
            }
        }
        frontier.sort_unstable();
        Some(if unreachable {
            Pierced::Unreached
        } else {
            Pierced::Reached(v)
        })
    }

    /// Both reachable sets afresh from the terminals (after any max-flow).
    fn reach_from_terminals(&mut self, network: &Network) {
        self.from_source.clear();
        self.from_source
            .extend(self.kind.iter().map(|&kind| kind == IS_SOURCE));
        self.extend_reach(network, true);
        self.to_sink.clear();
        self.to_sink
            .extend(self.kind.iter().map(|&kind| kind == IS_SINK));
        self.extend_reach(network, false);
    }

    /// Adds to the side's reachable set (`from_source` or `to_sink`) what its
    /// frontier reaches in the residual network (for the sink side: what
    /// reaches it), pruning frontier nodes found interior.
    fn extend_reach(&mut self, network: &Network, source_side: bool) {
        let (terminal, mut marks, mut frontier) = if source_side {
            (
                IS_SOURCE,
                std::mem::take(&mut self.from_source),
                std::mem::take(&mut self.source_frontier),
            )
        } else {
            (
                IS_SINK,
                std::mem::take(&mut self.to_sink),
                std::mem::take(&mut self.sink_frontier),
            )
        };
        // The arc u → v read from u's list, or v → u when searching backwards.
        let open = |arc: usize| {
            let arc = if source_side {
                arc
            } else {
                network.reverse[arc] as usize
            };
            network.capacity[arc] > 0
        };
        self.queue.clear();
        frontier.retain(|&u| {
            // Terminal, so reached (pierced nodes are not marked yet).
            marks[u as usize] = true;
            let mut outward = false;
            for arc in network.arcs(u) {
                let v = network.head[arc] as usize;
                if open(arc) && self.kind[v] != terminal {
                    outward = true;
                    if !marks[v] {
                        marks[v] = true;
                        self.queue.push(v as u32);
                    }
                }
            }
            outward
        });
        let mut next = 0;
        while next < self.queue.len() {
            let u = self.queue[next];
            next += 1;
            for arc in network.arcs(u) {
                let v = network.head[arc] as usize;
                if open(arc) && !marks[v] {
                    marks[v] = true;
                    self.queue.push(v as u32);
                }
            }
        }
        if source_side {
            self.from_source = marks;
            self.source_frontier = frontier;
        } else {
            self.to_sink = marks;
            self.sink_frontier = frontier;
        }
    }

    /// The flow added by Dinic's max-flow from `start` (see `max_flow`).
    fn augment(&mut self, network: &mut Network, start: Start, limit: u64) -> u64 {
        match start {
            Start::Source => self.max_flow::<false>(network, SOURCE, limit),
            Start::PiercedSource(v) => self.max_flow::<false>(network, v, limit),
            Start::PiercedSink(v) => self.max_flow::<true>(network, v, limit),
        }
    }

    /// Augments along shortest paths (Dinic) from the terminal `start` to
    /// the other side's terminals until none is left or `limit` more units
    /// flow: from a source node along arcs to the sinks, or (`BACKWARD`)
    /// from a sink node against arcs to the sources; either way the flow
    /// goes from the sources to the sinks. Other terminals of `start`'s side
    /// take no part. Returns the flow added.
    fn max_flow<const BACKWARD: bool>(
        &mut self,
        network: &mut Network,
        start: u32,
        limit: u64,
    ) -> u64 {
        let mut added = 0u64;
        while added < limit && self.levels::<BACKWARD>(network, start) {
            added += self.blocking_flow::<BACKWARD>(network, start, limit - added);
        }
        added
    }

    /// BFS levels from `start` (no search enters another terminal of its
    /// side); whether the other side is reached. Nodes past the first such
    /// level are of no use to this phase, so the search stops there.
    fn levels<const BACKWARD: bool>(&mut self, network: &Network, start: u32) -> bool {
        let (own, target) = if BACKWARD {
            (IS_SINK, IS_SOURCE)
        } else {
            (IS_SOURCE, IS_SINK)
        };
        let n = network.node_count();
        if self.level.len() < n || self.top >= u32::MAX - n as u32 - 1 {
            self.level.clear();
            self.level.resize(n, 0);
            self.top = 0;
        }
        if self.current.len() < n {
            self.current.resize(n, 0);
        }
        self.base = self.top + 1;
        self.top = self.base;
        self.level[start as usize] = self.base;
        self.current[start as usize] = network.first[start as usize];
        self.queue.clear();
        self.queue.push(start);
        let mut target_level = UNREACHED;
        let mut next = 0;
        while next < self.queue.len() {
            let u = self.queue[next];
            next += 1;
            let level = self.level[u as usize];
            if level >= target_level {
                break;
            }
            for arc in network.arcs(u) {
                let v = network.head[arc] as usize;
                if network.open::<BACKWARD>(arc) && self.level[v] < self.base && self.kind[v] != own
                {
                    self.level[v] = level + 1;
                    self.current[v] = network.first[v];
                    self.top = level + 1;
                    if self.kind[v] == target {
                        target_level = level + 1;
                    } else {
                        self.queue.push(v as u32);
                    }
                }
            }
        }
        target_level != UNREACHED
    }

    /// Whether the last BFS of `levels` reached node `v` or `v` is a
    /// terminal of the side it searched from (`own`).
    fn reached(&self, v: usize, own: u8) -> bool {
        self.level[v] >= self.base || self.kind[v] == own
    }

    /// Augmenting paths from `start` in the level graph (iterative DFS with
    /// current-arc pointers; dead ends leave the level graph). The path
    /// holds the residual arcs that carry the flow, source to sink when
    /// forward, sink to source when `BACKWARD`.
    fn blocking_flow<const BACKWARD: bool>(
        &mut self,
        network: &mut Network,
        start: u32,
        limit: u64,
    ) -> u64 {
        let target = if BACKWARD { IS_SOURCE } else { IS_SINK };
        let mut added = 0u64;
        self.path.clear();
        let mut u = start;
        while added < limit {
            if self.kind[u as usize] == target {
                let bottleneck = self
                    .path
                    .iter()
                    .map(|&arc| network.capacity[arc as usize])
                    .min()
                    .unwrap_or(0)
                    .min(limit - added);
                for &arc in &self.path {
                    network.capacity[arc as usize] -= bottleneck;
                    let back = network.reverse[arc as usize] as usize;
                    network.capacity[back] = network.capacity[back].saturating_add(bottleneck);
                }
                added += bottleneck;
                self.path.clear();
                u = start;
                continue;
            }
            let end = network.first[u as usize + 1];
            let mut advanced = false;
            while self.current[u as usize] < end {
                let arc = self.current[u as usize] as usize;
                let v = network.head[arc];
                if network.open::<BACKWARD>(arc)
                    && self.level[v as usize] == self.level[u as usize] + 1
                {
                    self.path.push(network.residual::<BACKWARD>(arc) as u32);
                    u = v;
                    advanced = true;
                    break;
                }
                self.current[u as usize] += 1;
            }
            if !advanced {
                self.level[u as usize] = 0;
                let Some(arc) = self.path.pop() else {
                    break;
                };
                // The node the dead end was entered from.
                u = if BACKWARD {
                    network.head[arc as usize]
                } else {
                    network.head[network.reverse[arc as usize] as usize]
                };
                self.current[u as usize] += 1;
            }
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The flow network of `nets` (weight, pins) on `nodes` nodes.
    fn network_of(nodes: u32, nets: &[(u64, impl AsRef<[u32]>)]) -> (NetworkBuilder, Network) {
        let mut builder = NetworkBuilder::default();
        builder.clear(nodes);
        for (weight, pins) in nets {
            builder.add_net(*weight, pins.as_ref());
        }
        let mut network = Network::default();
        builder.build_into(&mut network);
        (builder, network)
    }

    /// Builds the network of `nets` (weight, pins) on `nodes` nodes and
    /// searches it with unit node weights.
    fn cut_of(nodes: u32, nets: &[(u64, &[u32])], max_weight: u64) -> Result<Cut, NoCut> {
        cut_with(nodes, nets, max_weight, 10, 8)
    }

    /// The same with `max_pierces` and `search_tree_work`.
    fn cut_with(
        nodes: u32,
        nets: &[(u64, impl AsRef<[u32]>)],
        max_weight: u64,
        max_pierces: usize,
        search_tree_work: usize,
    ) -> Result<Cut, NoCut> {
        let (_, mut network) = network_of(nodes, nets);
        let budget = Budget {
            max_work: usize::MAX,
            min_pierces: 0,
        };
        let search = (max_pierces, search_tree_work, budget);
        cut_in(&mut network, nodes, max_weight, search)
    }

    /// A search's work budget (see `CutProblem`).
    #[derive(Clone, Copy)]
    struct Budget {
        max_work: usize,
        min_pierces: usize,
    }

    /// Searches `network` (of `nodes` unit-weight nodes) with `max_pierces`,
    /// `search_tree_work` and `budget`.
    fn cut_in(
        network: &mut Network,
        nodes: u32,
        max_weight: u64,
        (max_pierces, search_tree_work, budget): (usize, usize, Budget),
    ) -> Result<Cut, NoCut> {
        let n = network.node_count();
        let vertices: Vec<u32> = (0..n).map(|v| u32::from(v < nodes as usize)).collect();
        let weight: Vec<u64> = vertices.iter().map(|&c| u64::from(c)).collect();
        let rank: Vec<i32> = (0..n as i32).map(|v| -v).collect();
        let problem = CutProblem {
            weight: &weight,
            vertices: &vertices,
            rank: &rank,
            max_weight,
            limit: 1_000,
            max_pierces,
            hopeless_after: 0,
            search_tree_work,
            max_work: budget.max_work,
            min_pierces: budget.min_pierces,
        };
        FlowSearch::default().balanced_cut(network, &problem)
    }

    #[test]
    fn max_flow_equals_the_minimum_hyperedge_cut() {
        // Nodes 0 = s, 1 = t, 2 = x, 3 = y. Cuts: {s} 3+2+1 = 6,
        // {s,x} 1+1+2+1 = 5, {s,y} 3+1+5+1 = 10, {s,x,y} 1+5 = 6.
        let nets: [(u64, &[u32]); 6] = [
            (3, &[0, 2]),
            (1, &[2, 3]),
            (1, &[2, 1]),
            (2, &[0, 3]),
            (5, &[3, 1]),
            (1, &[0, 2, 3]),
        ];
        let cut = cut_of(4, &nets, 4).expect("a cut below the limit");
        assert_eq!(cut.flow, 5);
        assert_eq!(&cut.source_side[..4], &[true, false, true, false]);
    }

    /// A path s - 2 - 3 - 4 - 5 - t: the minimum cut {s} | rest is too
    /// unbalanced for at most 3 nodes a side; the only balanced cut is
    /// {s, 2, 3} | {4, 5, t}, of weight 2.
    const PATH: [(u64, &[u32]); 5] = [
        (1, &[0, 2]),
        (2, &[2, 3]),
        (2, &[3, 4]),
        (2, &[4, 5]),
        (3, &[5, 1]),
    ];

    #[test]
    fn piercing_reaches_the_balanced_cut() {
        let nets = PATH;
        let cut = cut_of(6, &nets, 3).expect("a balanced cut");
        assert_eq!(cut.flow, 2);
        assert_eq!(
            &cut.source_side[..6],
            &[true, false, true, true, false, false]
        );
        // With room for everything, the minimum cut itself.
        assert_eq!(cut_of(6, &nets, 6).map(|cut| cut.flow), Ok(1));
        // No side of at most 2 of the 6 nodes' weight.
        assert_eq!(cut_of(6, &nets, 2).err(), Some(NoCut::Unbalanced));
    }

    #[test]
    fn networks_too_large_for_the_budget_are_not_searched() {
        let (_, mut network) = network_of(6, &PATH);
        let pierce_work = 2 * network.head.len();
        let mut search = |pierces: usize| {
            let budget = Budget {
                max_work: pierces * pierce_work,
                min_pierces: 16,
            };
            cut_in(&mut network, 6, 3, (64, 8, budget)).map(|cut| cut.flow)
        };
        assert_eq!(search(15), Err(NoCut::Unbalanced));
        assert_eq!(search(16), Ok(2));
    }

    /// A path s - 2 - 3 - ... - 61 - t whose arcs get heavier towards t:
    /// every pierce moves the source side's minimum cut one arc on, so a
    /// side of at most 31 of its 62 nodes takes 30 pierces.
    fn slow_path_search(
        max_pierces: usize,
        hopeless_after: usize,
        max_work: usize,
    ) -> (Result<Cut, NoCut>, usize) {
        let mut nets: Vec<(u64, Vec<u32>)> = vec![(1, vec![0, 2])];
        nets.extend((2..61u32).map(|v| (u64::from(v), vec![v, v + 1])));
        nets.push((100, vec![61, 1]));
        let (builder, mut network) = network_of(62, &nets);
        let n = builder.node_count();
        let weight = vec![1u64; n];
        let vertices = vec![1u32; n];
        let rank: Vec<i32> = (0..n as i32).map(|v| -v).collect();
        let problem = CutProblem {
            weight: &weight,
            vertices: &vertices,
            rank: &rank,
            max_weight: 31,
            limit: 1_000,
            max_pierces,
            hopeless_after,
            search_tree_work: 0,
            max_work,
            min_pierces: 0,
        };
        let mut search = FlowSearch::default();
        let cut = search.balanced_cut(&mut network, &problem);
        (cut, search.work)
    }

    #[test]
    fn hopeless_searches_give_up_early_and_steady_ones_do_not() {
        let (full, full_work) = slow_path_search(20, 0, usize::MAX);
        let (early, early_work) = slow_path_search(20, 8, usize::MAX);
        assert_eq!(full.err(), Some(NoCut::Unbalanced));
        assert_eq!(early.err(), Some(NoCut::Unbalanced));
        assert!(early_work < full_work, "{early_work} >= {full_work}");
        // With pierces enough for this pace, it does not give up.
        let (steady, _) = slow_path_search(64, 8, usize::MAX);
        assert_eq!(steady.map(|cut| cut.flow), Ok(31));
    }

    #[test]
    fn searches_stop_at_their_work_cap() {
        let (full, full_work) = slow_path_search(64, 0, usize::MAX);
        assert_eq!(full.map(|cut| cut.flow), Ok(31));
        let (capped, capped_work) = slow_path_search(64, 0, full_work / 2);
        assert_eq!(capped.err(), Some(NoCut::Unbalanced));
        assert!(capped_work < full_work, "{capped_work} >= {full_work}");
    }

    /// The network of `nets` on `nodes` nodes with its maximum flow from
    /// node 0 to node 1, then `pierced` made a terminal (a sink or, with
    /// `as_source`, a source) and the flow made maximum again by searching
    /// from `start` (in the direction `BACKWARD` says). Returns the flow
    /// added after the pierce and the side of the terminal not pierced
    /// (what the source reaches, or what reaches the sink), or None when
    /// `pierced` is a terminal already.
    fn flow_after_pierce<const BACKWARD: bool>(
        nodes: u32,
        nets: &[(u64, Vec<u32>)],
        pierced: u32,
        as_source: bool,
        start: u32,
    ) -> Option<(u64, Vec<bool>)> {
        let (_, mut network) = network_of(nodes, nets);
        let mut search = FlowSearch {
            kind: vec![FREE; network.node_count()],
            ..FlowSearch::default()
        };
        search.kind[SOURCE as usize] = IS_SOURCE;
        search.kind[SINK as usize] = IS_SINK;
        search.max_flow::<false>(&mut network, SOURCE, INFINITE);
        if search.kind[pierced as usize] != FREE {
            return None;
        }
        search.kind[pierced as usize] = if as_source { IS_SOURCE } else { IS_SINK };
        let added = search.max_flow::<BACKWARD>(&mut network, start, INFINITE);
        // A BFS from the side's original terminal (with a new sink, the
        // only source; with a new source, the only sink) reaches the other
        // side no more, and marks its side.
        let augmenting = if as_source {
            search.levels::<true>(&network, SINK)
        } else {
            search.levels::<false>(&network, SOURCE)
        };
        assert!(!augmenting);
        let own = if as_source { IS_SINK } else { IS_SOURCE };
        let reached = (0..network.node_count())
            .map(|v| search.reached(v, own))
            .collect();
        Some((added, reached))
    }

    fn random_nets() -> impl Strategy<Value = (u32, Vec<(u64, Vec<u32>)>)> {
        (3u32..24).prop_flat_map(|nodes| {
            let net = (
                1u64..6,
                proptest::collection::btree_set(0..nodes, 2..5.min(nodes as usize + 1)),
            )
                .prop_map(|(w, pins)| (w, pins.into_iter().collect::<Vec<u32>>()));
            (Just(nodes), proptest::collection::vec(net, 1..40))
        })
    }

    proptest! {
        /// After a pierce, searching only from the pierced vertex augments
        /// as much as a search between all terminals, and leaves the same
        /// source side (any maximum flow does).
        #[test]
        fn a_search_from_the_pierced_vertex_is_complete((nodes, nets) in random_nets(), seed in 0u32..1000) {
            let pierced = 2 + seed % (nodes - 2).max(1);
            prop_assume!(pierced < nodes);
            // A new sink: every path ends there, so from the source forwards
            // or from it backwards.
            let all = flow_after_pierce::<false>(nodes, &nets, pierced, false, SOURCE);
            let from_it = flow_after_pierce::<true>(nodes, &nets, pierced, false, pierced);
            prop_assert_eq!(all, from_it);
            // A new source: from the sink backwards, or from it forwards.
            let all = flow_after_pierce::<true>(nodes, &nets, pierced, true, SINK);
            let from_it = flow_after_pierce::<false>(nodes, &nets, pierced, true, pierced);
            prop_assert_eq!(all, from_it);
        }
    }

    /// The maximum flow (at most `limit`) between nodes 0 and 1 of the
    /// network of `nets`, by Dinic or by search trees, with what the source
    /// reaches and what reaches the sink afterwards.
    fn max_flow_of(
        nodes: u32,
        nets: &[(u64, Vec<u32>)],
        limit: u64,
        by_trees: bool,
    ) -> (u64, Vec<bool>, Vec<bool>) {
        let (_, mut network) = network_of(nodes, nets);
        let n = network.node_count();
        let mut search = FlowSearch {
            kind: vec![FREE; n],
            source_frontier: vec![SOURCE],
            sink_frontier: vec![SINK],
            ..FlowSearch::default()
        };
        search.kind[SOURCE as usize] = IS_SOURCE;
        search.kind[SINK as usize] = IS_SINK;
        let flow = if by_trees {
            search.trees.reset(&network);
            let flow = search.trees.resume(&mut network, limit, usize::MAX);
            flow.expect("no work limit")
        } else {
            search.max_flow::<false>(&mut network, SOURCE, limit)
        };
        search.reach_from_terminals(&network);
        if by_trees && flow < limit {
            // The trees themselves are the reachable sets.
            let trees = &search.trees;
            let source_tree: Vec<bool> = (0..n).map(|v| trees.in_source_tree(v)).collect();
            let sink_tree: Vec<bool> = (0..n).map(|v| trees.in_sink_tree(v)).collect();
            assert_eq!(source_tree, search.from_source);
            assert_eq!(sink_tree, search.to_sink);
        }
        (flow, search.from_source, search.to_sink)
    }

    /// A balanced cut's source side and flow, or why there is none.
    fn outcome(cut: Result<Cut, NoCut>) -> Result<(Vec<bool>, u64), NoCut> {
        cut.map(|cut| (cut.source_side, cut.flow))
    }

    proptest! {
        /// Search trees find Dinic's maximum flow (or stop at the same
        /// limit) and end as the residual network's reachable sets.
        #[test]
        fn search_trees_find_the_maximum_flow((nodes, nets) in random_nets(), limit in 1u64..40) {
            let dinic = max_flow_of(nodes, &nets, INFINITE, false);
            let trees = max_flow_of(nodes, &nets, INFINITE, true);
            prop_assert_eq!(&dinic, &trees);
            let capped = max_flow_of(nodes, &nets, limit, true);
            prop_assert_eq!(capped.0, dinic.0.min(limit));
        }

        /// The whole cut search, pierce after pierce, finds the same cut
        /// with search trees as with Dinic alone, and so it does when the
        /// trees hand over to Dinic at any point.
        #[test]
        fn search_trees_pierce_as_dinic_does(
            (nodes, nets) in random_nets(),
            slack in 0u64..4,
            work in 1usize..6,
        ) {
            let max_weight = (u64::from(nodes) / 2 + slack).min(u64::from(nodes));
            let dinic = outcome(cut_with(nodes, &nets, max_weight, 64, 0));
            let trees = outcome(cut_with(nodes, &nets, max_weight, 64, usize::MAX / 1024));
            prop_assert_eq!(&dinic, &trees);
            let handed_over = outcome(cut_with(nodes, &nets, max_weight, 64, work));
            prop_assert_eq!(&dinic, &handed_over);
        }
    }

    #[test]
    fn no_cut_at_or_above_the_limit() {
        let nets: [(u64, &[u32]); 1] = [(2_000, &[0, 1])];
        assert_eq!(cut_of(2, &nets, 10).err(), Some(NoCut::AtLimit));
    }
}
