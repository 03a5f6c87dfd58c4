//! Minimum cuts between the two extreme ones. After a maximum flow, what
//! the sources reach (S) and what reaches the sinks (T) bound every
//! minimum cut: a node set X with S ⊆ X and X ∩ T = ∅ is the source side of
//! one exactly when no residual arc leaves it. The nodes in neither set
//! fall into strongly connected components of the residual network, and X
//! is closed when it takes every component that a component it holds can
//! reach. Where both blocks are nearly full, a balanced side must land in a
//! window of a fraction of a percent of the pair's weight: S is often too
//! light and the complement of T too heavy while a closed set between them
//! fits, and finding it saves the pierces (each a max-flow over the whole
//! network) that would otherwise grow S into that window.

use super::{CutProblem, Network};

const UNVISITED: u32 = 0;
const OPEN: u32 = u32::MAX;

/// Scratch of the search; reused across pierces and pairs.
#[derive(Default)]
pub(super) struct Between {
    /// Tarjan's DFS numbers (from 1), and the lowest number each node's
    /// subtree reaches while its component is open.
    index: Vec<u32>,
    low: Vec<u32>,
    /// Each node's component once it is complete, or `OPEN`.
    component: Vec<u32>,
    /// Per component: whether it stays out of the source side.
    excluded: Vec<bool>,
    /// Nodes with an arc into an excluded component: their component must
    /// stay out too.
    tainted: Vec<bool>,
    stack: Vec<u32>,
    /// The DFS path: each node with the next arc to scan.
    calls: Vec<(u32, u32)>,
}

/// The weights a side must respect (see `CutProblem`).
pub(super) struct Window {
    /// The source side must weigh at least this and at most `max`.
    pub(super) min: u64,
    pub(super) max: u64,
    pub(super) total_vertices: u32,
}

impl Between {
    /// A closed source side between `from_source` (S) and the complement of
    /// `to_sink` (T) whose weight lies in the window and which leaves
    /// vertices on both sides, if the components, taken greedily in
    /// reverse topological order, reach one. Components come from an
    /// iterative Tarjan search over the nodes in neither set, which
    /// completes a component only after all it can reach, so each is
    /// decided when it completes: it joins the side unless it would make
    /// the side too heavy or reaches a component left out.
    pub(super) fn balanced_side(
        &mut self,
        network: &Network,
        problem: &CutProblem,
        from_source: &[bool],
        to_sink: &[bool],
        window: &Window,
    ) -> Option<Vec<bool>> {
        let n = network.node_count();
        let between = |v: usize| !from_source[v] && !to_sink[v];
        let mut side = from_source.to_vec();
        let (mut weight, mut vertices) = (0u64, 0u32);
        for v in (0..n).filter(|&v| from_source[v]) {
            weight += problem.weight[v];
            vertices += problem.vertices[v];
        }
        let fits = |weight: u64, vertices: u32| {
            weight >= window.min
                && weight <= window.max
                && vertices > 0
                && vertices < window.total_vertices
        };
        if fits(weight, vertices) {
            return Some(side);
        }
        self.reset(n);
        let mut next_index = 1u32;
        for root in 0..n {
            if !between(root) || self.index[root] != UNVISITED {
                continue;
            }
            self.visit(network, root as u32, &mut next_index);
            while let Some(&(u, arc)) = self.calls.last() {
                let u = u as usize;
                if arc < network.first[u + 1] {
                    if let Some(call) = self.calls.last_mut() {
                        call.1 += 1;
                    }
                    let arc = arc as usize;
                    let v = network.head[arc] as usize;
                    if network.capacity[arc] == 0 || !between(v) {
                        continue;
                    }
                    if self.index[v] == UNVISITED {
                        self.visit(network, v as u32, &mut next_index);
                    } else {
                        self.reach(u, v);
                    }
                    continue;
                }
                self.calls.pop();
                if self.low[u] == self.index[u] {
                    let added =
                        self.complete(u, problem, &mut side, window.max.saturating_sub(weight));
                    weight += added.0;
                    vertices += added.1;
                    if fits(weight, vertices) {
                        return Some(side);
                    }
                }
                if let Some(&(parent, _)) = self.calls.last() {
                    self.reach(parent as usize, u);
                }
            }
        }
        None
    }

    fn reset(&mut self, n: usize) {
        self.index.clear();
        self.index.resize(n, UNVISITED);
        self.low.resize(n, 0);
        self.component.resize(n, OPEN);
        self.tainted.resize(n, false);
        self.excluded.clear();
        self.stack.clear();
        self.calls.clear();
    }

    fn visit(&mut self, network: &Network, v: u32, next_index: &mut u32) {
        let v_ = v as usize;
        self.index[v_] = *next_index;
        self.low[v_] = *next_index;
        *next_index += 1;
        self.component[v_] = OPEN;
        self.tainted[v_] = false;
        self.stack.push(v);
        self.calls.push((v, network.first[v_]));
    }

    /// Records that `u` reaches the visited node `v`: inside an open
    /// component, `u`'s low number; else whether `v`'s component is out.
    fn reach(&mut self, u: usize, v: usize) {
        match self.component[v] {
            OPEN => self.low[u] = self.low[u].min(self.low[v]),
            c => self.tainted[u] |= self.excluded[c as usize],
        }
    }

    /// Pops the component rooted at `root` and decides it: it joins `side`
    /// if none of its nodes reaches a component left out and it weighs at
    /// most `room`. Returns the weight and vertices it added.
    fn complete(
        &mut self,
        root: usize,
        problem: &CutProblem,
        side: &mut [bool],
        room: u64,
    ) -> (u64, u32) {
        let id = self.excluded.len() as u32;
        let start = self
            .stack
            .iter()
            .rposition(|&v| v as usize == root)
            .unwrap_or(0);
        let (mut weight, mut vertices, mut tainted) = (0u64, 0u32, false);
        for &v in &self.stack[start..] {
            let v = v as usize;
            self.component[v] = id;
            weight += problem.weight[v];
            vertices += problem.vertices[v];
            tainted |= self.tainted[v];
        }
        let excluded = tainted || weight > room;
        self.excluded.push(excluded);
        if !excluded {
            for &v in &self.stack[start..] {
                side[v as usize] = true;
            }
        }
        self.stack.truncate(start);
        if excluded {
            (0, 0)
        } else {
            (weight, vertices)
        }
    }
}
