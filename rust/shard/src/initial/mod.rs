//! Initial partitioning of a bisection's coarsest level: a portfolio of
//! algorithms (`config::InitialAlgorithm`), run after run in turn, each run
//! refined by FM.

mod both_sides;
mod growing;
mod label_propagation;
mod partial;

use crate::config::{InitialAlgorithm, PartitionConfig};
use crate::hypergraph::Hypergraph;
use crate::refinement::fm::{grow, refine, Bisection, FmScratch};
use ix_base::rng::Rng;
use rayon::prelude::*;

/// `runs` runs of the configured algorithms in turn, each refined by FM;
/// the best by (overload, cut) wins.
pub(crate) fn initial_partition(
    h: &Hypergraph,
    max: [u64; 2],
    target0: u64,
    runs: usize,
    rng: &mut Rng,
    config: &PartitionConfig,
) -> Vec<u8> {
    let n = h.vertex_count();
    if n < 2 {
        return vec![0; n];
    }
    // None configured: greedy growing alone.
    let algorithms = match &config.initial.algorithms[..] {
        [] => &[InitialAlgorithm::GreedyFm][..],
        some => some,
    };
    let seeds: Vec<u64> = (0..runs).map(|_| rng.next_u64()).collect();
    // Independent runs with their own seeds: parallel, and the winner (lowest
    // key, then lowest run index) does not depend on the thread count.
    let tries: Vec<((u64, u64), Vec<u8>)> = seeds
        .par_iter()
        .enumerate()
        .map(|(run, &seed)| {
            let algorithm = algorithms[run % algorithms.len()];
            let mut rng = Rng::new(seed);
            let mut scratch = FmScratch::new(n, &mut rng);
            let side = start(h, algorithm, max, target0, &mut rng, &mut scratch, config);
            let mut b = Bisection::new(h, side);
            refine(&mut b, max, config.bisection.fm, &mut scratch);
            (b.key(max), b.side)
        })
        .collect();
    tries
        .into_iter()
        .min_by_key(|(key, _)| *key)
        .map(|(_, side)| side)
        .unwrap_or_else(|| vec![0; n])
}

/// One run's unrefined bisection. `h` has at least two vertices.
fn start(
    h: &Hypergraph,
    algorithm: InitialAlgorithm,
    max: [u64; 2],
    target0: u64,
    rng: &mut Rng,
    scratch: &mut FmScratch,
    config: &PartitionConfig,
) -> Vec<u8> {
    let n = h.vertex_count();
    let fm = config.bisection.fm;
    let first = rng.below(n) as u32;
    let targets = [target0, h.total_vertex_weight().saturating_sub(target0)];
    match algorithm {
        InitialAlgorithm::GreedyFm => {
            let mut b = Bisection::new(h, vec![1; n]);
            grow(&mut b, first, target0, max[0], fm, scratch);
            b.side
        }
        InitialAlgorithm::Bfs => growing::bfs_growing(h, first, target0, rng),
        InitialAlgorithm::Random => growing::random_growing(h, target0, rng),
        InitialAlgorithm::BothSidesMaxNet => {
            both_sides::grow_both_sides(h, first, targets, max, fm.hub_limit, rng)
        }
        InitialAlgorithm::LabelPropagation => label_propagation::label_propagation(
            h,
            first,
            targets,
            max,
            fm.hub_limit,
            config.initial.lp_rounds,
            rng,
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [InitialAlgorithm; 5] = [
        InitialAlgorithm::GreedyFm,
        InitialAlgorithm::Bfs,
        InitialAlgorithm::Random,
        InitialAlgorithm::BothSidesMaxNet,
        InitialAlgorithm::LabelPropagation,
    ];

    fn config_of(algorithms: &[InitialAlgorithm]) -> PartitionConfig {
        let mut config = PartitionConfig::default();
        config.initial.algorithms = algorithms.to_vec();
        config
    }

    fn cut(h: &Hypergraph, side: Vec<u8>) -> u64 {
        Bisection::new(h, side).cut
    }

    #[test]
    fn every_growing_starts_better_than_random() {
        let h = crate::hypergraph::synthetic_unit(2000);
        let n = h.vertex_count();
        let config = PartitionConfig::default();
        let mut scratch = FmScratch::new(n, &mut Rng::new(1));
        let random = cut(&h, growing::random_growing(&h, 1000, &mut Rng::new(2)));
        for algorithm in [
            InitialAlgorithm::GreedyFm,
            InitialAlgorithm::Bfs,
            InitialAlgorithm::BothSidesMaxNet,
            InitialAlgorithm::LabelPropagation,
        ] {
            let side = start(
                &h,
                algorithm,
                [1050, 1050],
                1000,
                &mut Rng::new(3),
                &mut scratch,
                &config,
            );
            let left = side.iter().filter(|&&s| s == 0).count();
            assert!((1..n).contains(&left), "{algorithm:?}: {left}");
            let cut = cut(&h, side);
            assert!(
                cut * 10 < random * 9,
                "{algorithm:?}: {cut} vs random {random}"
            );
        }
    }

    #[test]
    fn each_algorithm_ends_balanced_and_better_than_random() {
        let h = crate::hypergraph::synthetic_unit(2000);
        let n = h.vertex_count() as u64;
        let max = [n / 2 + n / 40, n / 2 + n / 40];
        let random = {
            let config = config_of(&[InitialAlgorithm::Random]);
            let side = initial_partition(&h, max, n / 2, 1, &mut Rng::new(5), &config);
            cut(&h, side)
        };
        for algorithm in ALL {
            let config = config_of(&[algorithm]);
            let side = initial_partition(&h, max, n / 2, 4, &mut Rng::new(5), &config);
            let b = Bisection::new(&h, side);
            assert_eq!(b.overweight(max), 0, "{algorithm:?}");
            assert!(b.count[0] > 0 && b.count[1] > 0, "{algorithm:?}");
            if algorithm != InitialAlgorithm::Random {
                assert!(b.cut < random, "{algorithm:?}: {} vs {random}", b.cut);
            }
        }
    }

    #[test]
    fn uneven_targets_are_met_by_both_sided_algorithms() {
        // One third / two thirds, as for k = 3; vertex weights 1..=5.
        let h = crate::hypergraph::synthetic_unit(1500);
        let n = h.vertex_count();
        let h = h.with_vertex_weights((0..n as u64).map(|v| 1 + v % 5).collect());
        let total = h.total_vertex_weight();
        let targets = [total / 3, total - total / 3];
        let max = [targets[0] * 21 / 20, targets[1] * 21 / 20];
        let config = PartitionConfig::default();
        let mut scratch = FmScratch::new(n, &mut Rng::new(1));
        for algorithm in [
            InitialAlgorithm::BothSidesMaxNet,
            InitialAlgorithm::LabelPropagation,
        ] {
            let side = start(
                &h,
                algorithm,
                max,
                targets[0],
                &mut Rng::new(8),
                &mut scratch,
                &config,
            );
            let b = Bisection::new(&h, side);
            assert!(b.weight[0] <= max[0], "{algorithm:?}: {:?}", b.weight);
            assert!(
                b.weight[0] * 10 >= targets[0] * 9,
                "{algorithm:?}: {:?}",
                b.weight
            );
        }
    }

    #[test]
    fn the_portfolio_does_not_depend_on_thread_count() {
        let h = crate::hypergraph::synthetic(3000);
        let total = h.total_vertex_weight();
        let max = [total / 2 + total / 50, total / 2 + total / 50];
        let config = config_of(&ALL);
        let run = |threads: usize| {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(|| initial_partition(&h, max, total / 2, 15, &mut Rng::new(11), &config))
        };
        let one = run(1);
        assert_eq!(one, run(2));
        assert_eq!(one, run(4));
    }
}
