//! Boykov–Kolmogorov max-flow for the cut search: a search tree grows from
//! the sources along residual arcs and one from the sinks against them;
//! where they touch lies an augmenting path, and after augmenting, the trees
//! keep every node whose path to its root is still open (orphans look for a
//! new parent in their tree, or leave it). Dinic instead rebuilds its level
//! graph in every phase, and on these networks each phase's BFS reaches
//! most of the network.
//!
//! When no active node is left, the source tree is exactly what the
//! sources reach in the residual network and the sink tree exactly what
//! reaches the sinks: the two reachable sets the cut search needs. A pierce
//! makes nodes roots; the next search starts from the trees as they are,
//! so its work is about what changed rather than the whole network.

use super::{Network, SINK, SOURCE};
use std::collections::VecDeque;

const FREE: u8 = 0;
const IN_SOURCE_TREE: u8 = 1;
const IN_SINK_TREE: u8 = 2;
/// `parent` of a free node or an orphan.
const NO_PARENT: u32 = u32::MAX;
/// `parent` of a tree's root.
const ROOT: u32 = u32::MAX - 1;

/// Scratch of the search; reused across pairs.
#[derive(Default)]
pub(super) struct SearchTrees {
    tree: Vec<u8>,
    /// The arc from a tree node to its parent, read from the node's own
    /// list: the flow runs parent → node in the source tree (its reverse is
    /// the residual arc) and node → parent in the sink tree.
    parent: Vec<u32>,
    /// Adoption marks: a node whose `stamp` is the current one was found
    /// rooted in this adoption round, `distance` arcs below its root.
    stamp: Vec<u32>,
    distance: Vec<u32>,
    /// Active nodes (may still grow their tree), each with the arc its scan
    /// resumes at; `queued` keeps a node in the queue once.
    active: VecDeque<u32>,
    queued: Vec<bool>,
    cursor: Vec<u32>,
    orphans: VecDeque<u32>,
    /// The last augmenting path (see `collect_path`).
    path: Vec<(u32, u32)>,
    /// Arcs scanned and tree steps walked in this search.
    work: usize,
    /// Adoption rounds so far in this pair (see `stamp`).
    round: u32,
}

/// An augmenting path: the source-tree node and the sink-tree node it
/// joins, and the residual arc between them.
struct Touch {
    source_end: u32,
    sink_end: u32,
    arc: usize,
}

impl SearchTrees {
    /// Starts a pair: the source and the sink are the trees' only roots,
    /// and no node is in either tree yet.
    pub(super) fn reset(&mut self, network: &Network) {
        let n = network.node_count();
        self.tree.clear();
        self.tree.resize(n, FREE);
        self.parent.clear();
        self.parent.resize(n, NO_PARENT);
        self.stamp.clear();
        self.stamp.resize(n, 0);
        self.distance.clear();
        self.distance.resize(n, 0);
        self.queued.clear();
        self.queued.resize(n, false);
        self.cursor.resize(n, 0);
        self.active.clear();
        self.orphans.clear();
        self.round = 0;
        for (root, tree) in [(SOURCE, IN_SOURCE_TREE), (SINK, IN_SINK_TREE)] {
            self.tree[root as usize] = tree;
            self.parent[root as usize] = ROOT;
            self.activate(network, root);
        }
    }

    /// Makes `v` a root of the source tree (`source_side`) or the sink
    /// tree: a pierce made it a terminal. Taken from the other tree, its
    /// children there become orphans, and it becomes active, so that the
    /// next search augments through it.
    pub(super) fn make_terminal(&mut self, network: &Network, v: u32, source_side: bool) {
        let tree = if source_side {
            IN_SOURCE_TREE
        } else {
            IN_SINK_TREE
        };
        let was = self.tree[v as usize];
        if was != tree && was != FREE {
            for arc in network.arcs(v) {
                let w = network.head[arc];
                let to_parent = self.parent[w as usize];
                if self.tree[w as usize] == was
                    && to_parent != NO_PARENT
                    && to_parent != ROOT
                    && network.head[to_parent as usize] == v
                {
                    self.parent[w as usize] = NO_PARENT;
                    self.orphans.push_back(w);
                }
            }
        }
        self.tree[v as usize] = tree;
        self.parent[v as usize] = ROOT;
        self.distance[v as usize] = 0;
        if was != tree {
            self.activate(network, v);
        }
    }

    /// Augments from the source tree's roots to the sink tree's until the
    /// flow is maximum or `limit` more units flow, and returns the flow
    /// added; or gives up once it has scanned about `max_work` arcs (Err
    /// with the flow added so far, which another search can take up). The
    /// network may carry flow already: what the roots reached after the
    /// last search, the trees still hold.
    pub(super) fn resume(
        &mut self,
        network: &mut Network,
        limit: u64,
        max_work: usize,
    ) -> Result<u64, u64> {
        self.work = 0;
        self.round += 1;
        self.adopt_orphans(network, self.round);
        let mut added = 0u64;
        while added < limit {
            let Some(touch) = self.grow(network) else {
                break;
            };
            added += self.augment(network, &touch, limit - added);
            self.round += 1;
            self.adopt_orphans(network, self.round);
            if self.work > max_work {
                return Err(added);
            }
        }
        Ok(added)
    }

    /// Whether the last search left `v` in the source tree (reachable from
    /// the source) or in the sink tree (reaching the sink).
    pub(super) fn in_source_tree(&self, v: usize) -> bool {
        self.tree[v] == IN_SOURCE_TREE
    }

    pub(super) fn in_sink_tree(&self, v: usize) -> bool {
        self.tree[v] == IN_SINK_TREE
    }

    fn activate(&mut self, network: &Network, v: u32) {
        self.cursor[v as usize] = network.first[v as usize];
        if !self.queued[v as usize] {
            self.queued[v as usize] = true;
            self.active.push_back(v);
        }
    }

    /// Whether the tree `tree` can grow from `u` along `arc` (read from u's
    /// list): the source tree along residual arcs, the sink tree against.
    fn open(network: &Network, tree: u8, arc: usize) -> bool {
        if tree == IN_SOURCE_TREE {
            network.capacity[arc] > 0
        } else {
            network.capacity[network.reverse[arc] as usize] > 0
        }
    }

    /// Grows the trees from the active nodes until they touch (the node
    /// that touched stays active, its scan resumes at the same arc).
    fn grow(&mut self, network: &Network) -> Option<Touch> {
        while let Some(&u) = self.active.front() {
            let tree = self.tree[u as usize];
            if tree != FREE {
                let end = network.first[u as usize + 1];
                while self.cursor[u as usize] < end {
                    self.work += 1;
                    let arc = self.cursor[u as usize] as usize;
                    if Self::open(network, tree, arc) {
                        let v = network.head[arc];
                        let other = self.tree[v as usize];
                        if other == FREE {
                            self.tree[v as usize] = tree;
                            self.parent[v as usize] = network.reverse[arc];
                            self.stamp[v as usize] = self.stamp[u as usize];
                            self.distance[v as usize] = self.distance[u as usize] + 1;
                            self.activate(network, v);
                        } else if other != tree {
                            return Some(if tree == IN_SOURCE_TREE {
                                Touch {
                                    source_end: u,
                                    sink_end: v,
                                    arc,
                                }
                            } else {
                                Touch {
                                    source_end: v,
                                    sink_end: u,
                                    arc: network.reverse[arc] as usize,
                                }
                            });
                        }
                    }
                    self.cursor[u as usize] += 1;
                }
            }
            self.active.pop_front();
            self.queued[u as usize] = false;
        }
        None
    }

    /// Collects the residual arcs of the path from the source's root
    /// through `touch` to the sink's, each with the node that becomes an
    /// orphan if it is saturated (`NO_PARENT` for the arc between the trees).
    fn collect_path(&mut self, network: &Network, touch: &Touch) {
        self.path.clear();
        self.path.push((touch.arc as u32, NO_PARENT));
        let mut v = touch.source_end;
        while self.parent[v as usize] != ROOT {
            let to_parent = self.parent[v as usize] as usize;
            self.path.push((network.reverse[to_parent], v));
            v = network.head[to_parent];
        }
        let mut v = touch.sink_end;
        while self.parent[v as usize] != ROOT {
            let to_parent = self.parent[v as usize];
            self.path.push((to_parent, v));
            v = network.head[to_parent as usize];
        }
    }

    /// Pushes the path's bottleneck (at most `limit`) along it; nodes below
    /// a saturated tree arc become orphans. Returns the flow pushed.
    fn augment(&mut self, network: &mut Network, touch: &Touch, limit: u64) -> u64 {
        self.collect_path(network, touch);
        let bottleneck = self
            .path
            .iter()
            .map(|&(arc, _)| network.capacity[arc as usize])
            .fold(limit, u64::min);
        for &(arc, below) in &self.path {
            let arc = arc as usize;
            network.capacity[arc] -= bottleneck;
            let back = network.reverse[arc] as usize;
            network.capacity[back] = network.capacity[back].saturating_add(bottleneck);
            if network.capacity[arc] == 0 && below != NO_PARENT {
                self.parent[below as usize] = NO_PARENT;
                self.orphans.push_back(below);
            }
        }
        bottleneck
    }

    /// Gives every orphan a new parent in its tree whose path to the root
    /// is open (the one nearest the root), or frees it: then its children
    /// become orphans and its tree neighbours that could grow into it again
    /// become active.
    fn adopt_orphans(&mut self, network: &Network, round: u32) {
        while let Some(u) = self.orphans.pop_front() {
            if self.parent[u as usize] != NO_PARENT {
                // Made a root by a pierce since it was orphaned.
                continue;
            }
            // Up to two scans of its arcs.
            self.work += 2 * network.arcs(u).len();
            let tree = self.tree[u as usize];
            let mut best: Option<(u32, u32)> = None;
            for arc in network.arcs(u) {
                let v = network.head[arc];
                // v can be u's parent when the tree grows from v to u.
                let back = network.reverse[arc] as usize;
                if self.tree[v as usize] != tree || !Self::open(network, tree, back) {
                    continue;
                }
                if let Some(distance) = self.rooted_distance(network, v, round) {
                    if best.is_none_or(|(_, d)| distance + 1 < d) {
                        best = Some((arc as u32, distance + 1));
                    }
                }
            }
            if let Some((arc, distance)) = best {
                self.parent[u as usize] = arc;
                self.stamp[u as usize] = round;
                self.distance[u as usize] = distance;
                continue;
            }
            for arc in network.arcs(u) {
                let v = network.head[arc];
                if self.tree[v as usize] != tree {
                    continue;
                }
                if Self::open(network, tree, network.reverse[arc] as usize) {
                    self.activate(network, v);
                }
                let to_parent = self.parent[v as usize];
                if to_parent != NO_PARENT
                    && to_parent != ROOT
                    && network.head[to_parent as usize] == u
                {
                    self.parent[v as usize] = NO_PARENT;
                    self.orphans.push_back(v);
                }
            }
            self.tree[u as usize] = FREE;
        }
    }

    /// How many arcs below its root `v` hangs, if its path to the root is
    /// unbroken (no orphan on it); marks the path's nodes for this round.
    fn rooted_distance(&mut self, network: &Network, v: u32, round: u32) -> Option<u32> {
        let mut steps = 0;
        let mut w = v;
        let above = loop {
            if self.stamp[w as usize] == round {
                break self.distance[w as usize];
            }
            match self.parent[w as usize] {
                ROOT => break 0,
                NO_PARENT => return None,
                to_parent => {
                    steps += 1;
                    self.work += 1;
                    w = network.head[to_parent as usize];
                }
            }
        };
        let distance = steps + above;
        let mut w = v;
        let mut d = distance;
        while self.stamp[w as usize] != round {
            self.stamp[w as usize] = round;
            self.distance[w as usize] = d;
            match self.parent[w as usize] {
                ROOT => break,
                to_parent => {
                    d -= 1;
                    w = network.head[to_parent as usize];
                }
            }
        }
        Some(distance)
    }
}
