//! Initial partitioning of a bisection's coarsest level: a portfolio of
//! algorithms (`config::InitialAlgorithm`), run after run in turn, each run
//! refined by FM, in batches after which an algorithm whose cuts cannot
//! compete stops.

mod both_sides;
mod growing;
mod label_propagation;
mod partial;

use crate::config::{Initial, InitialAlgorithm, PartitionConfig};
use crate::hypergraph::Hypergraph;
use crate::refinement::fm::{grow, refine, Bisection, FmScratch};
use ix_base::rng::Rng;
use rayon::prelude::*;

/// Up to `runs` runs of the configured algorithms in turn, each refined by
/// FM; the best by (overload, cut) wins.
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
    let run = |run: usize| {
        let algorithm = algorithms[run % algorithms.len()];
        let mut rng = Rng::new(seeds[run]);
        let mut scratch = FmScratch::new(n, &mut rng);
        let side = start(h, algorithm, max, target0, &mut rng, &mut scratch, config);
        let mut b = Bisection::new(h, side);
        refine(&mut b, max, config.bisection.fm, &mut scratch);
        (b.key(max), b.side)
    };
    // Runs have their own seeds and batches a fixed size, so the runs made
    // and the winner (lowest key, then lowest run) do not depend on the
    // thread count.
    let mut portfolio = Portfolio::new(algorithms.len(), runs, &config.initial);
    let mut best: Option<((u64, u64), Vec<u8>)> = None;
    while let Some(batch) = portfolio.next_batch() {
        let tries: Vec<((u64, u64), Vec<u8>)> = batch.par_iter().map(|&r| run(r)).collect();
        for (&r, (key, side)) in batch.iter().zip(tries) {
            portfolio.record(r, key);
            if best.as_ref().is_none_or(|(best, _)| key < *best) {
                best = Some((key, side));
            }
        }
        if let Some((key, _)) = &best {
            portfolio.stop_hopeless(*key);
        }
    }
    best.map(|(_, side)| side).unwrap_or_else(|| vec![0; n])
}

/// Which runs come next: run `r` is one of algorithm `r % algorithms`,
/// made unless that algorithm has stopped.
struct Portfolio<'c> {
    settings: &'c Initial,
    runs: usize,
    next: usize,
    running: Vec<bool>,
    /// The cuts of each algorithm's balanced runs.
    cuts: Vec<Vec<u64>>,
}

impl<'c> Portfolio<'c> {
    fn new(algorithms: usize, runs: usize, settings: &'c Initial) -> Self {
        Portfolio {
            settings,
            runs,
            next: 0,
            running: vec![true; algorithms],
            cuts: vec![Vec::new(); algorithms],
        }
    }

    /// The next batch of runs, or None when none is left.
    fn next_batch(&mut self) -> Option<Vec<usize>> {
        let algorithms = self.running.len();
        let size = match self.settings.batch_runs {
            0 => usize::MAX,
            // Nothing can stop before every algorithm has its minimum.
            size if self.next == 0 => size.max(self.settings.min_runs_per_algorithm * algorithms),
            size => size,
        };
        let mut batch = Vec::new();
        while batch.len() < size && self.next < self.runs {
            if self.running[self.next % algorithms] {
                batch.push(self.next);
            }
            self.next += 1;
        }
        (!batch.is_empty()).then_some(batch)
    }

    fn record(&mut self, run: usize, (overload, cut): (u64, u64)) {
        if overload == 0 {
            let algorithms = self.cuts.len();
            self.cuts[run % algorithms].push(cut);
        }
    }

    /// Stops every algorithm whose cuts say it will not beat `best`.
    fn stop_hopeless(&mut self, (overload, best): (u64, u64)) {
        if overload > 0 {
            return;
        }
        for (running, cuts) in self.running.iter_mut().zip(&self.cuts) {
            if hopeless(cuts, best, self.settings) {
                *running = false;
            }
        }
    }
}

/// Whether an algorithm with these balanced cuts has run often enough to
/// tell, and its mean lies more than `stop_deviations` standard deviations
/// above `best`.
fn hopeless(cuts: &[u64], best: u64, settings: &Initial) -> bool {
    if cuts.is_empty() || cuts.len() < settings.min_runs_per_algorithm {
        return false;
    }
    let count = cuts.len() as f64;
    let mean = cuts.iter().map(|&c| c as f64).sum::<f64>() / count;
    let variance = cuts.iter().map(|&c| (c as f64 - mean).powi(2)).sum::<f64>() / count;
    mean - settings.stop_deviations * variance.sqrt() > best as f64
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
    fn hopeless_needs_enough_runs_and_a_clear_gap() {
        let settings = Initial::default();
        let steady = [100, 102, 98, 101, 99];
        assert!(hopeless(&steady, 80, &settings));
        assert!(!hopeless(&steady, 98, &settings));
        assert!(!hopeless(&steady[..4], 80, &settings));
        assert!(!hopeless(&[60, 140, 100, 90, 110], 80, &settings));
        assert!(!hopeless(&[], 0, &settings));
    }

    #[test]
    fn batches_skip_stopped_algorithms() {
        let settings = Initial {
            batch_runs: 4,
            min_runs_per_algorithm: 2,
            ..Initial::default()
        };
        let mut portfolio = Portfolio::new(3, 14, &settings);
        // The first batch gives every algorithm its minimum.
        let first = portfolio.next_batch().unwrap();
        assert_eq!(first, [0, 1, 2, 3, 4, 5]);
        for run in first {
            let cut = if run % 3 == 2 { 500 + run as u64 } else { 100 };
            portfolio.record(run, (0, cut));
        }
        portfolio.stop_hopeless((0, 100));
        assert_eq!(portfolio.running, [true, true, false]);
        assert_eq!(portfolio.next_batch().unwrap(), [6, 7, 9, 10]);
        assert_eq!(portfolio.next_batch().unwrap(), [12, 13]);
        assert_eq!(portfolio.next_batch(), None);
        // An overloaded best stops nothing: balance comes first.
        let mut portfolio = Portfolio::new(3, 14, &settings);
        for run in portfolio.next_batch().unwrap() {
            portfolio.record(run, (0, 100 + 400 * (run % 3 == 2) as u64));
        }
        portfolio.stop_hopeless((1, 0));
        assert_eq!(portfolio.running, [true; 3]);
        let all_at_once = Initial {
            batch_runs: 0,
            ..Initial::default()
        };
        let mut portfolio = Portfolio::new(3, 14, &all_at_once);
        assert_eq!(portfolio.next_batch().unwrap().len(), 14);
        assert_eq!(portfolio.next_batch(), None);
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
