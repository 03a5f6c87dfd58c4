//! SplitMix64: tiny, fast, and stable across platforms and versions, so a
//! seed names one library forever.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 <= p
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
}
