//! The flow network of one block-pair region and the search for a balanced
//! minimum cut in it: Dinic's max-flow with many sources and sinks, and
//! FlowCutter's incremental piercing (a side that is too light absorbs its
//! whole reachable set and one more vertex, and the flow is augmented again),
//! so every cut found is a minimum cut between the terminals so far.
//!
//! Node 0 stands for the source block outside the region, node 1 for the
//! sink block outside it; vertex nodes and net nodes follow.

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
    level: Vec<u32>,
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
    /// Work so far in the unit of the flow budget: twice the network's
    /// arcs per piercing step, whatever the step scans (a measure of pair
    /// size × effort that is deterministic, unlike a clock).
    pub(crate) work: usize,
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
        let mut augment = true;
        for _ in 0..=problem.max_pierces {
            self.work += 2 * network.head.len();
            if augment {
                flow = flow.saturating_add(self.max_flow(network, problem.limit - flow));
                if flow >= problem.limit {
                    return Err(NoCut::AtLimit);
                }
                // The last BFS of the max-flow found no sink: its levels mark
                // exactly what the sources reach.
                self.from_source.clear();
                self.from_source
                    .extend(self.level.iter().map(|&l| l != UNREACHED));
                self.to_sink.clear();
                self.to_sink
                    .extend(self.kind.iter().map(|&kind| kind == IS_SINK));
                self.extend_reach(network, false);
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
            let grow_source = source_weight <= sink_weight;
            let lacking = total_weight.saturating_sub(problem.max_weight);
            let deficit = lacking.saturating_sub(source_weight.min(sink_weight));
            let unreachable = self
                .pierce(problem, grow_source, deficit)
                .ok_or(NoCut::Unbalanced)?;
            // A pierced vertex the other side could not reach opens no
            // augmenting path: the flow and the other side's reachable set
            // stay as they are, and this side's grows from the new terminals.
            augment = !unreachable;
            if unreachable {
                self.extend_reach(network, grow_source);
            }
        }
        Err(NoCut::Unbalanced)
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
    /// of max-flow rather than one per vertex. Returns whether the pierced
    /// vertices are out of the other side's reach, or None when no vertex is
    /// left to pierce.
    fn pierce(&mut self, problem: &CutProblem, grow_source: bool, deficit: u64) -> Option<bool> {
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
                frontier.push(v as u32);
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
        frontier.push(v);
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
                frontier.push(v);
            }
        }
        frontier.sort_unstable();
        Some(unreachable)
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

    /// Augments along shortest paths (Dinic) from the source nodes to the
    /// sink nodes until none is left or `limit` more units flow. Returns the
    /// flow added.
    fn max_flow(&mut self, network: &mut Network, limit: u64) -> u64 {
        let mut added = 0u64;
        while added < limit && self.levels(network) {
            self.current.clear();
            self.current
                .extend_from_slice(&network.first[..network.node_count()]);
            for i in 0..self.source_frontier.len() {
                let s = self.source_frontier[i];
                added += self.blocking_flow(network, s, limit - added);
                if added >= limit {
                    break;
                }
            }
        }
        added
    }

    /// BFS levels from all source nodes; whether a sink node is reached.
    /// Nodes past the first sink's level are of no use to this phase, so
    /// the search stops there.
    fn levels(&mut self, network: &Network) -> bool {
        let n = network.node_count();
        self.level.clear();
        self.level.resize(n, UNREACHED);
        for v in 0..n {
            if self.kind[v] == IS_SOURCE {
                self.level[v] = 0;
            }
        }
        self.queue.clear();
        let mut sink_level = UNREACHED;
        let mut frontier = std::mem::take(&mut self.source_frontier);
        frontier.retain(|&u| {
            let mut open = false;
            for arc in network.arcs(u) {
                let v = network.head[arc] as usize;
                if network.capacity[arc] > 0 && self.kind[v] != IS_SOURCE {
                    open = true;
                    if self.level[v] == UNREACHED {
                        self.level[v] = 1;
                        if self.kind[v] == IS_SINK {
                            sink_level = 1;
                        } else {
                            self.queue.push(v as u32);
                        }
                    }
                }
            }
            open
        });
        self.source_frontier = frontier;
        let mut next = 0;
        while next < self.queue.len() {
            let u = self.queue[next];
            next += 1;
            if self.level[u as usize] >= sink_level {
                break;
            }
            for arc in network.arcs(u) {
                let v = network.head[arc] as usize;
                if network.capacity[arc] > 0 && self.level[v] == UNREACHED {
                    self.level[v] = self.level[u as usize] + 1;
                    if self.kind[v] == IS_SINK {
                        sink_level = self.level[v];
                    } else {
                        self.queue.push(v as u32);
                    }
                }
            }
        }
        sink_level != UNREACHED
    }

    /// Augmenting paths from `source` in the level graph (iterative DFS with
    /// current-arc pointers; dead ends leave the level graph).
    fn blocking_flow(&mut self, network: &mut Network, source: u32, limit: u64) -> u64 {
        let mut added = 0u64;
        self.path.clear();
        let mut u = source;
        while added < limit {
            if self.kind[u as usize] == IS_SINK {
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
                u = source;
                continue;
            }
            let end = network.first[u as usize + 1];
            let mut advanced = false;
            while self.current[u as usize] < end {
                let arc = self.current[u as usize] as usize;
                let v = network.head[arc];
                if network.capacity[arc] > 0 && self.level[v as usize] == self.level[u as usize] + 1
                {
                    self.path.push(arc as u32);
                    u = v;
                    advanced = true;
                    break;
                }
                self.current[u as usize] += 1;
            }
            if !advanced {
                self.level[u as usize] = UNREACHED;
                let Some(arc) = self.path.pop() else {
                    break;
                };
                u = network.head[network.reverse[arc as usize] as usize];
                self.current[u as usize] += 1;
            }
        }
        added
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds the network of `nets` (weight, pins) on `nodes` nodes and
    /// searches it with unit node weights.
    fn cut_of(nodes: u32, nets: &[(u64, &[u32])], max_weight: u64) -> Result<Cut, NoCut> {
        let mut builder = NetworkBuilder::default();
        builder.clear(nodes);
        for (weight, pins) in nets {
            builder.add_net(*weight, pins);
        }
        let mut network = Network::default();
        builder.build_into(&mut network);
        let n = builder.node_count();
        let vertices: Vec<u32> = (0..n).map(|v| u32::from(v < nodes as usize)).collect();
        let weight: Vec<u64> = vertices.iter().map(|&c| u64::from(c)).collect();
        let rank: Vec<i32> = (0..n as i32).map(|v| -v).collect();
        let problem = CutProblem {
            weight: &weight,
            vertices: &vertices,
            rank: &rank,
            max_weight,
            limit: 1_000,
            max_pierces: 10,
        };
        FlowSearch::default().balanced_cut(&mut network, &problem)
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

    #[test]
    fn piercing_reaches_the_balanced_cut() {
        // A path s - 2 - 3 - 4 - 5 - t: the minimum cut {s} | rest is too
        // unbalanced for at most 3 nodes a side; the only balanced cut is
        // {s, 2, 3} | {4, 5, t}, of weight 2.
        let nets: [(u64, &[u32]); 5] = [
            (1, &[0, 2]),
            (2, &[2, 3]),
            (2, &[3, 4]),
            (2, &[4, 5]),
            (3, &[5, 1]),
        ];
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
    fn no_cut_at_or_above_the_limit() {
        let nets: [(u64, &[u32]); 1] = [(2_000, &[0, 1])];
        assert_eq!(cut_of(2, &nets, 10).err(), Some(NoCut::AtLimit));
    }
}
