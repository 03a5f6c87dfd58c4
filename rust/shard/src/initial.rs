//! Initial partitioning of a bisection's coarsest level: a portfolio of
//! growings (greedy by FM gain, breadth-first, random), each refined by FM.

use crate::config::PartitionConfig;
use crate::hypergraph::Hypergraph;
use crate::refinement::fm::{grow, refine, Bisection, FmScratch};
use crate::HUB_NET;
use ix_base::rng::Rng;
use rayon::prelude::*;

/// `runs` growings (greedy by gain, breadth-first, random), each refined by
/// FM; the best by (overload, cut) wins.
pub(crate) fn initial_partition(
    h: &Hypergraph,
    max: [u64; 2],
    target0: u64,
    runs: usize,
    rng: &mut Rng,
    config: &PartitionConfig,
) -> Vec<u8> {
    let fm = config.bisection.fm;
    let n = h.vertex_count();
    let seeds: Vec<u64> = (0..runs).map(|_| rng.next_u64()).collect();
    // Independent tries with their own seeds: parallel, and the winner (lowest
    // key, then lowest try index) does not depend on the thread count.
    let tries: Vec<((u64, u64), Vec<u8>)> = seeds
        .par_iter()
        .enumerate()
        .map(|(run, &seed)| {
            let mut rng = Rng::new(seed);
            let mut scratch = FmScratch::new(n, &mut rng);
            let first = rng.below(n) as u32;
            let side = match run % 3 {
                0 => {
                    let mut b = Bisection::new(h, vec![1; n]);
                    grow(&mut b, first, target0, max[0], fm, &mut scratch);
                    b.side
                }
                1 => bfs_growing(h, first, target0, &mut rng),
                _ => random_growing(h, target0, &mut rng),
            };
            let mut b = Bisection::new(h, side);
            refine(&mut b, max, fm, &mut scratch);
            (b.key(max), b.side)
        })
        .collect();
    tries
        .into_iter()
        .min_by_key(|(key, _)| *key)
        .map(|(_, side)| side)
        .unwrap_or_else(|| vec![0; n])
}

/// Breadth-first growth of side 0 from `first` (over non-hub nets), jumping
/// to a random unvisited vertex when a component is exhausted.
fn bfs_growing(h: &Hypergraph, first: u32, target0: u64, rng: &mut Rng) -> Vec<u8> {
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
fn random_growing(h: &Hypergraph, target0: u64, rng: &mut Rng) -> Vec<u8> {
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
