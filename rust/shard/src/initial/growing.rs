//! One-sided growings: side 0 grows from nothing while side 1 holds the
//! rest (the greedy growing by FM gain lives beside FM, whose gain caches it
//! shares).

use crate::hypergraph::Hypergraph;
use crate::HUB_NET;
use ix_base::rng::Rng;

/// Breadth-first growth of side 0 from `first` (over non-hub nets), jumping
/// to a random unvisited vertex when a component is exhausted.
pub(super) fn bfs_growing(h: &Hypergraph, first: u32, target0: u64, rng: &mut Rng) -> Vec<u8> {
    let n = h.vertex_count();
    let mut side = vec![1u8; n];
    let mut seen = vec![false; n];
    let mut queue = std::collections::VecDeque::from([first]);
    seen[first as usize] = true;
    let (mut weight, mut count) = (0u64, 0usize);
    while weight < target0 && count + 1 < n {
        let v = match queue.pop_front() {
            Some(v) => v,
            None => {
                let unseen: Vec<u32> = (0..n as u32).filter(|&v| !seen[v as usize]).collect();
                if unseen.is_empty() {
                    break;
                }
                let v = unseen[rng.below(unseen.len())];
                seen[v as usize] = true;
                v
            }
        };
        side[v as usize] = 0;
        weight += h.vertex_weight(v);
        count += 1;
        for &e in h.nets_of(v) {
            if h.net_size(e) > HUB_NET {
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
    side
}

/// Side 0 = a random prefix of the vertices reaching `target0`.
pub(super) fn random_growing(h: &Hypergraph, target0: u64, rng: &mut Rng) -> Vec<u8> {
    let n = h.vertex_count();
    let mut order: Vec<u32> = (0..n as u32).collect();
    rng.shuffle(&mut order);
    let mut side = vec![1u8; n];
    let mut weight = 0;
    for (count, &v) in order.iter().enumerate() {
        if weight >= target0 || count + 1 == n {
            break;
        }
        side[v as usize] = 0;
        weight += h.vertex_weight(v);
    }
    side
}
