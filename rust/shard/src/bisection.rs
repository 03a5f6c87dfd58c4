//! One multilevel bisection: coarsen, partition the coarsest level several
//! ways (each refined by FM, the best balanced one kept), then project back
//! level by level with boundary FM at each.

use crate::coarsening::{coarsen, CoarsenConfig};
use crate::config::{self, BisectionTry, PartitionConfig};
use crate::hypergraph::Hypergraph;
use crate::initial::initial_partition;
use crate::refinement::fm::{refine, Bisection, FmScratch};
use ix_base::rng::Rng;

/// Splits `h` in two: side 0 should weigh about `target0`, and side `s` at
/// most `max[s]` (`only_split`: the whole partition is this one
/// bisection). Never leaves a side empty when there are two vertices.
///
/// With `search.slack_percent` > 0 the initial partition and the refinement of
/// every level may let a side exceed its share by that many percent, and a
/// last strict FM run at the finest level rebalances. Recursive bisection
/// hands deep levels bounds of a fraction of a percent (ε adapted to
/// ⌈log2 k⌉ more levels); under them FM must alternate sides move by move,
/// and a looser search still reaches cuts it misses, which mostly fit the
/// strict bound after all (strict tries only, with the alternating FM:
/// sat14 +2.6%, ibm05 +0.9%, delaunay +1% mean km1 over four seeds).
pub(crate) fn bisect(
    h: &Hypergraph,
    max: [u64; 2],
    target0: u64,
    seed: u64,
    search: BisectionTry,
    only_split: bool,
    config: &PartitionConfig,
) -> Vec<u8> {
    let n = h.vertex_count();
    if n < 2 {
        return vec![0; n];
    }
    let mut rng = Rng::new(seed);
    let total = h.total_vertex_weight();
    let coarsest = search.coarsest;
    // At least 2, or a sub-problem lighter than 2 × coarsest (deep in the
    // recursion) could not cluster at all.
    let cluster_cap = total.div_ceil(coarsest as u64).max(2);
    let levels = coarsen(
        h,
        CoarsenConfig::new(&config.coarsening, coarsest, cluster_cap),
        &mut rng,
        None,
    );
    let coarsest = levels.last().map_or(h, |level| &level.coarse);
    let slack_percent = search.slack_percent;
    let search = [
        max[0].max(target0 * (100 + slack_percent) / 100),
        max[1].max((total - target0) * (100 + slack_percent) / 100),
    ];
    let runs = config
        .initial
        .runs_for(only_split, h.pin_count(), coarsest.pin_count());
    let mut side = initial_partition(coarsest, search, target0, runs, &mut rng, config);
    for i in (0..levels.len()).rev() {
        let finer = if i == 0 { h } else { &levels[i - 1].coarse };
        side = levels[i].map.iter().map(|&c| side[c as usize]).collect();
        side = refined(finer, side, search, &mut rng, &config.bisection.fm);
    }
    if search != max {
        side = refined(h, side, max, &mut rng, &config.bisection.fm);
    }
    side
}

/// `side` after FM under the bounds `max`.
fn refined(
    h: &Hypergraph,
    side: Vec<u8>,
    max: [u64; 2],
    rng: &mut Rng,
    fm: &config::Fm,
) -> Vec<u8> {
    let mut b = Bisection::new(h, side);
    let mut scratch = FmScratch::new(h.vertex_count(), rng);
    refine(&mut b, max, *fm, &mut scratch);
    b.side
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strict() -> BisectionTry {
        BisectionTry::default()
    }

    #[test]
    fn bisection_is_balanced_and_nonempty() {
        let h = crate::hypergraph::synthetic_unit(3000);
        let side = bisect(
            &h,
            [1575, 1575],
            1500,
            7,
            strict(),
            false,
            &PartitionConfig::default(),
        );
        let left = side.iter().filter(|&&s| s == 0).count();
        assert!((1425..=1575).contains(&left), "{left}");
        // Better than a random split by a wide margin.
        let b = Bisection::new(&h, side);
        let random = Bisection::new(&h, (0..3000).map(|v| (v % 2) as u8).collect());
        assert!(b.cut * 2 < random.cut, "{} vs {}", b.cut, random.cut);
    }

    #[test]
    fn uneven_targets_are_met() {
        let h = crate::hypergraph::synthetic_unit(2000);
        let relaxed = BisectionTry {
            slack_percent: 10,
            ..strict()
        };
        // One third / two thirds, as for k = 3.
        let side = bisect(
            &h,
            [700, 1400],
            667,
            1,
            relaxed,
            false,
            &PartitionConfig::default(),
        );
        let left = side.iter().filter(|&&s| s == 0).count();
        assert!((600..=700).contains(&left), "{left}");
    }
}
