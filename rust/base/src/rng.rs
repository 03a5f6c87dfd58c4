//! SplitMix64: a tiny deterministic RNG, stable across platforms and
//! versions, so a seed names one partition or one synthetic library forever.
//! Every user seeds its own from its seed and its place in the work, so
//! results never depend on threads.

/// The golden-ratio increment of SplitMix64.
pub const GOLDEN_GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

pub struct Rng(u64);

impl Rng {
    /// Starts from `seed` as given (the first output is `mix(seed + γ)`).
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GOLDEN_GAMMA);
        mix(self.0)
    }

    pub fn next_u32(&mut self) -> u32 {
        (self.next_u64() >> 32) as u32
    }

    /// Uniform in `0..bound` by the high half of a 128-bit product (no
    /// division); `bound > 0`.
    pub fn below(&mut self, bound: usize) -> usize {
        ((u128::from(self.next_u64()) * bound as u128) >> 64) as usize
    }

    /// Uniform in `0..bound` by the remainder (a slight bias towards small
    /// values); `0..1` for a zero bound. The synthetic libraries were drawn
    /// this way, and a seed must keep naming the same library.
    pub fn below_by_remainder(&mut self, bound: usize) -> usize {
        (self.next_u64() % bound.max(1) as u64) as usize
    }

    /// Uniform in `[0, 1)`, from the top 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() <= p
    }

    /// A distance in `0..n` (`n > 0`) with `P(d ≥ x) ∝ (x + 1)^-tail`: a
    /// power law, truncated to `0..n` by drawing again.
    pub fn power_law(&mut self, tail: f64, n: usize) -> usize {
        loop {
            let u = ((self.next_u64() >> 11) + 1) as f64 / (1u64 << 53) as f64;
            let d = u.powf(-1.0 / tail).floor() - 1.0;
            if d < n as f64 {
                return d as usize;
            }
        }
    }

    /// Shuffles `items` uniformly (Fisher–Yates with [`Rng::below`]).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// The SplitMix64 finaliser: a bijection that scatters nearby inputs; also
/// how child seeds are derived from a parent's.
pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stream_is_splitmix64() {
        // The published SplitMix64 outputs for seed 0.
        let mut rng = Rng::new(0);
        assert_eq!(rng.next_u64(), 0xE220_A839_7B1D_CDAF);
        assert_eq!(rng.next_u64(), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn power_law_draws_follow_their_tail() {
        let mut rng = Rng::new(3);
        let draws: Vec<usize> = (0..20_000).map(|_| rng.power_law(0.4, 1_000)).collect();
        assert!(draws.iter().all(|&d| d < 1_000));
        // P(d ≥ 1) = 2^-0.4 ≈ 0.76 before truncation.
        let share = draws.iter().filter(|&&d| d >= 1).count() as f64 / draws.len() as f64;
        assert!((0.70..0.78).contains(&share), "{share}");
    }

    #[test]
    fn draws_stay_in_range() {
        let mut rng = Rng::new(7);
        for bound in [1, 2, 3, 1000] {
            for _ in 0..100 {
                assert!(rng.below(bound) < bound);
                assert!(rng.below_by_remainder(bound) < bound);
            }
        }
        assert_eq!(rng.below_by_remainder(0), 0);
        let unit = rng.unit();
        assert!((0.0..1.0).contains(&unit));
        let mut items: Vec<u32> = (0..50).collect();
        rng.shuffle(&mut items);
        items.sort_unstable();
        assert_eq!(items, (0..50).collect::<Vec<_>>());
    }
}
