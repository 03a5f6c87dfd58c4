//! Every tuning setting of the partitioner, by phase. The defaults are what
//! `ix shard` runs; docs/benchmarks-history.md records how they were chosen. A
//! `PartitionConfig` read from JSON (any field left out keeps its default)
//! turns an experiment into a setting.

use serde::{Deserialize, Serialize};

/// The partitioner's settings.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PartitionConfig {
    pub coarsening: Coarsening,
    pub initial: Initial,
    pub bisection: Bisection,
    pub kway: Kway,
    pub flows: Flows,
    pub v_cycles: VCycles,
}

impl PartitionConfig {
    /// What `ix shard` runs on profiles: the defaults without the coarse
    /// bisection tries, which cost a third more CPU on profile-shaped
    /// graphs for at most 0.3% km1 (docs/benchmarks-history.md, session 6).
    pub fn for_profiles() -> Self {
        let mut config = Self::default();
        config
            .bisection
            .tries
            .retain(|search| search.min_vertices_per_part == 0);
        config
    }
}

/// Heavy-edge clustering, for the k-way hierarchy and inside bisections.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Coarsening {
    /// The k-way hierarchy stops at about this many vertices per part, and
    /// never below `min_kway_coarsest`: down to there, recursive bisection
    /// (FM at every level of every bisection) finds clearly better cuts than
    /// k-way refinement; above it, coarsening once saves each bisection from
    /// re-coarsening the huge fine levels.
    pub vertices_per_part: usize,
    pub min_kway_coarsest: usize,
    /// Hypergraphs too small for that still get k-way levels: they coarsen
    /// to their vertex count divided by `small_shrink` (1: none). Without a
    /// level, k-way refinement and flows run once, on the input, and never
    /// move whole clusters. Not where vertices average more than
    /// `small_max_pins_per_vertex` pins: there two coarse vertices share so
    /// many nets that the coarse levels' k-way cuts end far worse than
    /// recursive bisection of the input (bundle1, sat14 primal).
    pub small_shrink: usize,
    pub small_max_pins_per_vertex: usize,
    /// Nets with more pins do not vote when clustering.
    pub max_rated_net: usize,
    /// A pass stops clustering once the level has shrunk by this factor.
    pub max_shrink: f64,
    /// Heavy vertices never cluster, and the cap of the others shrinks by
    /// their share of the weight (see `coarsening::HeavyVertices`). A
    /// vertex is heavy when it weighs more than half the cap, more than
    /// half of the total over `heavy_vertex_parts` (0: none is heavy), and
    /// more than `heavy_vertex_mean` times the mean vertex. Clusters around
    /// such atomic blocks (ibm01.weight: 1.9% of the vertices hold 46% of
    /// the weight) glue light vertices to them for the whole hierarchy, and
    /// its 2-way cut sat at 240–325 where 215 exists. The second bound
    /// keeps the k-way hierarchy, whose cap at large k is near a typical
    /// vertex of skewed graphs, from holding thousands apart; the third,
    /// the small sub-problems deep in the recursion, where the cap is near
    /// the mean vertex.
    pub heavy_vertex_parts: u64,
    pub heavy_vertex_mean: u64,
    /// Coarsening stops before a level with more pins per vertex than this
    /// (0: no bound). Dense hypergraphs shrink their vertices far faster
    /// than their pins (the 631k-block synthetic's first bisection: 15,000
    /// vertices and 7.1M pins, then 346 vertices and 3.3M pins), and on
    /// such levels every FM move updates thousands of nets for cuts no
    /// better than those of the level before (the synthetics' km1 moved
    /// within its seed-to-seed noise; no standard graph reaches the bound).
    pub max_pins_per_vertex: usize,
}

impl Default for Coarsening {
    fn default() -> Self {
        Coarsening {
            vertices_per_part: 160,
            min_kway_coarsest: 15_000,
            small_shrink: 3,
            small_max_pins_per_vertex: 32,
            max_rated_net: 100,
            max_shrink: 2.0,
            heavy_vertex_parts: 320,
            heavy_vertex_mean: 8,
            max_pins_per_vertex: 1000,
        }
    }
}

/// Two-way FM limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Fm {
    /// Nets with more pins are left out of the gains.
    pub hub_limit: usize,
    pub max_passes: usize,
    /// A pass stops after this many moves without a new best prefix.
    pub fruitless_moves: usize,
}

/// The same for the initial partitions and every level. Since FM
/// alternates sides under tight bounds (see `fm::pick_move`), a pass that
/// has gone 50 moves past its best rarely finds a better prefix, and passes
/// beyond the eighth rarely find anything.
impl Default for Fm {
    fn default() -> Self {
        Fm {
            hub_limit: crate::HUB_NET,
            max_passes: 8,
            fruitless_moves: 50,
        }
    }
}

/// Initial partitioning of a bisection's coarsest level.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Initial {
    /// Initial partitions tried (round robin over the algorithms), each
    /// refined by FM; the best by (overload, cut) is kept.
    pub runs: usize,
    /// The same for the only split at k = 2: there its cut is the result,
    /// and on lumpy hypergraphs twenty runs often miss the better basin
    /// (bundle1: 1,423 against 1,281). At larger k the first split's best
    /// cut is not the best start for the splits below it.
    pub only_split_runs: usize,
    /// Fewer where the runs would together hold more pins than
    /// `pins_per_bisection_pin` times the hypergraph being bisected, and more
    /// than `floor_pins`, but never fewer than `min_runs`. The coarsest
    /// levels of dense hypergraphs keep most of their pins (631k blocks at
    /// k = 64: 15,000 vertices and 7.1M pins coarsen to 7,500 vertices and
    /// 5.8M pins, see `Coarsening::max_pins_per_vertex`), and there twenty
    /// runs cost more than the rest of the bisection; small ones run all of
    /// them. The deep splits of such
    /// hypergraphs hardly coarsen at all (~400 vertices and 150–300k pins
    /// each, dozens per level of the recursion), so the floor must sit
    /// below what each of their runs holds times `runs` for the budget to
    /// bind there; the standard graphs' bisections at k ≥ 8 stay under it.
    pub pins_per_bisection_pin: usize,
    pub floor_pins: usize,
    pub min_runs: usize,
    /// The algorithms, run `i` running `algorithms[i % len]` (none: greedy
    /// growing alone). The both-sided ones are not in the default: on the
    /// standard graphs at k = 2 and 8 they did not pay for their CPU
    /// (BENCHMARKS.md, session 16).
    pub algorithms: Vec<InitialAlgorithm>,
    /// Rounds of `label_propagation`, fewer when one changes nothing.
    pub lp_rounds: usize,
    /// Runs go in batches of `batch_runs` (the first holds at least
    /// `min_runs_per_algorithm` of each algorithm); after each, an
    /// algorithm with that many balanced runs stops when its mean cut lies
    /// more than `stop_deviations` standard deviations above the best cut
    /// so far. Most runs of a sixty-run split at k = 2 only find the best
    /// cut again, or one far above it (0 runs all of them in one batch).
    pub batch_runs: usize,
    pub min_runs_per_algorithm: usize,
    pub stop_deviations: f64,
}

/// How an initial partition starts (before FM refines it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InitialAlgorithm {
    /// Side 0 grows from a random vertex by FM gain against the rest.
    GreedyFm,
    /// Side 0 grows breadth-first from a random vertex.
    Bfs,
    /// Side 0 is a random set of vertices.
    Random,
    /// Both sides grow from two vertices far apart, by max-net gain.
    BothSidesMaxNet,
    /// Label propagation from two vertices far apart.
    LabelPropagation,
}

impl Default for Initial {
    fn default() -> Self {
        Initial {
            runs: 20,
            only_split_runs: 60,
            pins_per_bisection_pin: 4,
            floor_pins: 2_000_000,
            min_runs: 6,
            algorithms: vec![
                InitialAlgorithm::GreedyFm,
                InitialAlgorithm::Bfs,
                InitialAlgorithm::Random,
            ],
            lp_rounds: 20,
            batch_runs: 8,
            min_runs_per_algorithm: 5,
            stop_deviations: 1.5,
        }
    }
}

impl Initial {
    /// How many runs a bisection of a hypergraph with `pins` pins makes on
    /// its coarsest level of `coarsest_pins` pins (`only_split`: k = 2).
    pub(crate) fn runs_for(&self, only_split: bool, pins: usize, coarsest_pins: usize) -> usize {
        let most = if only_split {
            self.only_split_runs
        } else {
            self.runs
        };
        let budget = self
            .pins_per_bisection_pin
            .saturating_mul(pins)
            .max(self.floor_pins);
        let affordable = budget / coarsest_pins.max(1);
        most.min(affordable.max(self.min_runs))
    }
}

/// One split of recursive bisection.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Bisection {
    /// Independent multilevel bisections tried per split (in parallel); the
    /// best by (overload, cut) wins. By default a strict one, so that a
    /// balanced result always exists, and a relaxed one, which usually wins.
    pub tries: Vec<BisectionTry>,
    /// Sub-problems with more pins bisect once, with the first try only.
    /// There the relaxed search cost seconds for 0.3% km1 (the top splits at
    /// 631k blocks are the serial top of the recursion).
    pub single_try_min_pins: usize,
    pub fm: Fm,
}

/// How one of the bisections of a split searches.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct BisectionTry {
    /// How far (percent of its share) a side may exceed the balance bound
    /// while the bisection searches (see `bisection::bisect`).
    pub slack_percent: u64,
    /// Its coarsening stops at about this many vertices.
    pub coarsest: usize,
    /// It runs only on sub-problems with at least this many vertices per
    /// part they are to be split into. That ratio hardly changes down the
    /// recursion: it is about that of the coarsest k-way level, at least
    /// 15,000 / k, and 160 at large k.
    pub min_vertices_per_part: usize,
}

impl Default for BisectionTry {
    fn default() -> Self {
        BisectionTry {
            slack_percent: 0,
            coarsest: 320,
            min_vertices_per_part: 0,
        }
    }
}

impl Default for Bisection {
    /// The last two tries coarsen further, so that their initial partitions
    /// see more of the whole; they run only at small k, where parts have
    /// many vertices: with ~160 per part their lower cuts at single splits
    /// made worse k-way partitions (docs/benchmarks-history.md, session 5).
    fn default() -> Self {
        let strict = BisectionTry::default();
        let relaxed = BisectionTry {
            slack_percent: 10,
            ..strict
        };
        let coarse = |search: BisectionTry| BisectionTry {
            coarsest: 100,
            min_vertices_per_part: 500,
            ..search
        };
        Bisection {
            tries: vec![strict, relaxed, coarse(strict), coarse(relaxed)],
            single_try_min_pins: 2_000_000,
            fm: Fm::default(),
        }
    }
}

/// Direct k-way refinement (label propagation, then FM on a gain cache).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Kway {
    /// Label-propagation rounds, while a round pays 0.1%.
    pub lp_rounds: usize,
    /// Localized FM rounds (each over all boundary vertices), while a round
    /// pays 0.1%.
    pub fm_rounds: usize,
    /// Boundary vertices a localized search starts from.
    pub fm_seeds: usize,
    /// A localized search stops after this many moves without a new best.
    pub fm_fruitless_moves: usize,
    /// Global FM rounds after the localized ones, while a round pays 0.1%.
    pub global_fm_rounds: usize,
    /// A global round stops after this many moves without a new best.
    pub global_fruitless_moves: usize,
}

impl Default for Kway {
    fn default() -> Self {
        Kway {
            lp_rounds: 8,
            fm_rounds: 5,
            fm_seeds: 8,
            fm_fruitless_moves: 25,
            global_fm_rounds: 3,
            global_fruitless_moves: 500,
        }
    }
}

/// Flow-based refinement of block pairs (see `refinement::flow`), after
/// k-way FM on the finest levels of the k-way hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Flows {
    /// Rounds over the block pairs (each over pairs with a block the last
    /// changed); 0 turns flows off.
    pub rounds: usize,
    /// Flows run on this many of the finest levels (the input is one) at
    /// up to `levels_max_k` parts, on the input only above. Each level has
    /// its own budget (`work_per_pin`): where it binds (large k), a coarse
    /// level adds its whole budget at a higher cost per arc (larger nets)
    /// for little km1, and a budget shared with the input starves the
    /// input's flows.
    pub finest_levels: usize,
    pub levels_max_k: u32,
    /// A side of a region weighs at most what the other block can take in
    /// under (1 + α·ε) times a perfect part.
    pub alpha: f64,
    /// A pair with no balanced cut tries once more with this α (0: no
    /// retry). A smaller region leaves heavier terminals, so its minimum
    /// cuts lie nearer balance: on dense hypergraphs two BFS steps from
    /// the boundary cover nearly both blocks, the minimum cut hugs the
    /// lighter block's small terminal, and every pierce fails. Off by
    /// default: where flows work, the retried pairs cost more CPU than
    /// their km1 is worth at today's wall targets.
    pub retry_alpha: f64,
    /// And holds at most this many vertices, none further than this many
    /// BFS steps from the boundary (regions hugging the cut keep the
    /// network small and the first minimum cut near balance).
    pub max_region_vertices: usize,
    pub max_distance: usize,
    /// Piercing steps before a pair is given up.
    pub max_pierces: usize,
    /// A pair's search may give up from this pierce on (0: never) when
    /// its pace says the pierces left cannot reach balance (see
    /// `CutProblem::hopeless_after`).
    pub hopeless_after: usize,
    /// The max-flows of a pair run on search trees (Boykov–Kolmogorov,
    /// kept across pierces) until one scans more than this many arcs per
    /// network arc; Dinic then finishes that max-flow and the trees are
    /// regrown for the next pierces. Trees are cheap where few augmenting
    /// paths share arcs, but on dense networks (bundle1: vertices in 73
    /// nets on average) each augmentation orphans hundreds of high-degree
    /// nodes. Either way the cuts are the same. 0: Dinic only.
    pub search_tree_work: usize,
    /// One refinement scans at most this many network arcs per pin of the
    /// hypergraph (pairs come heaviest cut first, so the budget goes where
    /// cuts are): at large k with dense nets, hundreds of pairs each
    /// need a dozen max-flows for nothing.
    pub work_per_pin: usize,
    /// A pair whose network is so large that the whole budget affords
    /// fewer pierces of it than this is not searched: on dense hypergraphs
    /// at k = 2 (bundle1: 2.9M arcs for an 8.5k-vertex region) one search
    /// takes the budget and a dozen pierces rarely reach balance.
    pub min_pierces: usize,
    /// Hypergraphs with more pins than this refine with `large_alpha` and
    /// `large_work_per_pin` instead: there both blocks of a pair sit near
    /// their bound, regions of α = 16 cover most of both, and a pair's
    /// first max-flow alone costs a large share of the budget.
    pub large_pins: usize,
    pub large_alpha: f64,
    pub large_work_per_pin: usize,
    /// And at most this many per net: a region's network holds every net
    /// touching it, so where nets average dozens of pins (bundle1: 73)
    /// each pair's network spans most of the hypergraph, and a per-pin
    /// budget pays for pairs that cost many times their share. Binds
    /// where nets average more than `work_per_net / work_per_pin` (23) pins.
    pub work_per_net: usize,
    /// Larger nets neither seed nor grow regions (they are still in the
    /// network when a region reaches them).
    pub max_net_pins: usize,
    /// At most this many pairs are searched at once, in parallel (a wave:
    /// consecutive pairs with no block in common). The partition is that
    /// of one pair at a time (1) at any setting and thread count; when the
    /// budget runs out mid-wave, the searches of the rest of the wave are
    /// thrown away, and this bounds that waste.
    pub pairs_per_wave: usize,
    /// Flows again on the input after V-cycles that changed the partition
    /// (V-cycles refine k-way only). Off: 0–1% km1 for up to +70% CPU at
    /// small k, where the regions are largest (docs/benchmarks-history.md, session 7).
    pub after_v_cycles: bool,
}

impl Default for Flows {
    fn default() -> Self {
        Flows {
            rounds: 2,
            finest_levels: 2,
            levels_max_k: 8,
            alpha: 16.0,
            retry_alpha: 0.0,
            max_region_vertices: 20_000,
            max_distance: 2,
            max_pierces: 64,
            hopeless_after: 0,
            search_tree_work: 32,
            work_per_pin: 300,
            min_pierces: 16,
            large_pins: 8_000_000,
            large_alpha: 8.0,
            large_work_per_pin: 100,
            work_per_net: 7_000,
            max_net_pins: crate::HUB_NET,
            pairs_per_wave: 8,
            after_v_cycles: false,
        }
    }
}

/// V-cycles after the first partition.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct VCycles {
    /// At most this many; fewer when one stops paying `min_gain_permille`,
    /// and on big hypergraphs only as many as fit in `pin_budget` pins
    /// (each costs about one pass over all levels), but at least one: on
    /// the largest, one cycle gains more km1 per second than anything
    /// else that runs after the first partition (flows included).
    pub max_cycles: usize,
    pub pin_budget: usize,
    /// How far a cycle coarsens: a few vertices per part, so that
    /// refinement on the coarse levels moves whole regions.
    pub vertices_per_part: usize,
    /// How far (in thousandths of the bound) parts may exceed the balance
    /// bound while a cycle refines its coarse levels; its finest level is
    /// then rebalanced and refined under the bound. With every part near the bound a strict
    /// k-way search cannot move a vertex without first making room; a
    /// little slack lets vertices trade places.
    pub slack_permille: u64,
    /// A cycle must lower km1 by this many thousandths for another to run.
    pub min_gain_permille: u64,
    /// Rounds of flows on the input after each cycle, from `flows_min_k`
    /// parts up and on hypergraphs of at most `Flows::large_pins` pins.
    /// Cycles refine k-way only; with many parts each pair's region is
    /// small, and a cycle that starts from a flow-refined partition gains
    /// more than flows once after the last cycle. At small k the regions
    /// span whole blocks and cost too much for it; on the largest
    /// hypergraphs the flows after the first partition are the budget.
    pub flow_rounds: usize,
    pub flows_min_k: u32,
}

impl Default for VCycles {
    fn default() -> Self {
        VCycles {
            max_cycles: 10,
            pin_budget: 10_000_000,
            vertices_per_part: 4,
            slack_permille: 10,
            min_gain_permille: 5,
            flow_rounds: 1,
            flows_min_k: 16,
        }
    }
}

impl Flows {
    /// The settings for a hypergraph with `pins` pins.
    pub(crate) fn for_pins(&self, pins: usize) -> Flows {
        if pins <= self.large_pins {
            return *self;
        }
        Flows {
            alpha: self.large_alpha,
            work_per_pin: self.large_work_per_pin,
            ..*self
        }
    }
}

impl VCycles {
    /// The flows to run after each cycle into `k` parts of a hypergraph
    /// with `pins` pins, if any.
    pub(crate) fn flows_for(&self, k: u32, pins: usize, flows: &Flows) -> Option<Flows> {
        let wanted = self.flow_rounds > 0 && k >= self.flows_min_k && pins <= flows.large_pins;
        wanted.then_some(Flows {
            rounds: self.flow_rounds,
            ..*flows
        })
    }

    /// How many V-cycles may run on a hypergraph with `pins` pins.
    pub(crate) fn cycles_for(&self, pins: usize) -> usize {
        let affordable = (self.pin_budget / pins.max(1)).max(1);
        self.max_cycles.min(affordable)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_overrides_only_the_fields_it_names() {
        let config: PartitionConfig =
            serde_json::from_str(r#"{"kway": {"fm_seeds": 16}, "initial": {"runs": 40}}"#).unwrap();
        let mut expected = PartitionConfig::default();
        expected.kway.fm_seeds = 16;
        expected.initial.runs = 40;
        assert_eq!(config, expected);
        let portfolio: PartitionConfig = serde_json::from_str(
            r#"{"initial": {"algorithms": ["greedy_fm", "both_sides_max_net", "label_propagation"]}}"#,
        )
        .unwrap();
        assert_eq!(
            portfolio.initial.algorithms,
            [
                InitialAlgorithm::GreedyFm,
                InitialAlgorithm::BothSidesMaxNet,
                InitialAlgorithm::LabelPropagation
            ]
        );
        let unknown = serde_json::from_str::<PartitionConfig>(r#"{"kway": {"seeds": 16}}"#);
        assert!(unknown.unwrap_err().to_string().contains("unknown field"));
    }

    #[test]
    fn initial_runs_shrink_with_dense_coarsest_levels() {
        let initial = Initial::default();
        assert_eq!(initial.runs_for(false, 100_000, 2_000), 20);
        assert_eq!(initial.runs_for(true, 100_000, 2_000), 60);
        assert_eq!(initial.runs_for(false, 100_000, 90_000), 20);
        assert_eq!(initial.runs_for(true, 100_000, 90_000), 22);
        // A deep split of the 631k-block synthetic: it hardly coarsens.
        assert_eq!(initial.runs_for(false, 180_000, 175_000), 11);
        assert_eq!(initial.runs_for(false, 400_000, 400_000), 6);
        assert_eq!(initial.runs_for(true, 7_100_000, 3_300_000), 8);
        assert_eq!(initial.runs_for(false, 3_000_000, 3_000_000), 6);
        assert_eq!(initial.runs_for(false, 0, 0), 20);
    }

    #[test]
    fn large_hypergraphs_flow_in_smaller_regions() {
        let flows = Flows::default();
        assert_eq!(flows.for_pins(2_000_000), flows);
        let large = flows.for_pins(12_354_214);
        assert_eq!((large.alpha, large.work_per_pin), (8.0, 100));
        assert_eq!(large.max_pierces, flows.max_pierces);
    }

    #[test]
    fn v_cycles_flow_only_at_large_k_below_the_large_pin_count() {
        let cycles = VCycles::default();
        let flows = Flows::default();
        let at = |k, pins| cycles.flows_for(k, pins, &flows).map(|f| f.rounds);
        assert_eq!(at(64, 1_000_000), Some(1));
        assert_eq!(at(16, 8_000_000), Some(1));
        assert_eq!(at(8, 1_000_000), None);
        assert_eq!(at(64, 12_354_214), None);
        let off = VCycles {
            flow_rounds: 0,
            ..cycles
        };
        assert_eq!(off.flows_for(256, 1_000, &flows), None);
    }

    #[test]
    fn one_v_cycle_runs_on_the_largest_hypergraphs() {
        let cycles = VCycles::default();
        assert_eq!(cycles.cycles_for(100_000), 10);
        assert_eq!(cycles.cycles_for(4_000_000), 2);
        assert_eq!(cycles.cycles_for(12_354_214), 1);
        let off = VCycles {
            max_cycles: 0,
            ..cycles
        };
        assert_eq!(off.cycles_for(12_354_214), 0);
    }
}
