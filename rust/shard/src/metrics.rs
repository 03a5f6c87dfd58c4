//! Partition quality: km1 (connectivity − 1) and imbalance.

use crate::hypergraph::Hypergraph;
use rayon::prelude::*;

/// Σ over nets of weight × (λ − 1), λ = number of parts the net touches.
/// Nets in parallel chunks (an integer sum: the same for any thread count);
/// refinement takes it at every level, and at 631k blocks one serial pass
/// over the pins is a tenth of a second.
pub fn km1(h: &Hypergraph, parts: &[u32], k: u32) -> u64 {
    (0..h.net_count() as u32)
        .into_par_iter()
        .with_min_len(KM1_MIN_NETS)
        .fold(
            || (vec![u32::MAX; k as usize], 0u64),
            |(mut seen, total), e| {
                let mut lambda = 0u64;
                for &p in h.pins(e) {
                    let part = parts[p as usize] as usize;
                    if seen[part] != e {
                        seen[part] = e;
                        lambda += 1;
                    }
                }
                (seen, total + h.net_weight(e) * lambda.saturating_sub(1))
            },
        )
        .map(|(_, total)| total)
        .sum()
}

/// Nets per parallel task of `km1` (each allocates a mark per part).
const KM1_MIN_NETS: usize = 4096;

/// Sum of vertex weights per part.
pub fn part_weights(weights: &[u64], parts: &[u32], k: u32) -> Vec<u64> {
    let mut out = vec![0u64; k as usize];
    for (&w, &p) in weights.iter().zip(parts) {
        out[p as usize] += w;
    }
    out
}

/// max part weight / ⌈total / k⌉ − 1, as KaHyPar and Mt-KaHyPar report it.
pub fn imbalance(weights: &[u64], parts: &[u32], k: u32) -> f64 {
    let per_part = part_weights(weights, parts, k);
    let total: u64 = per_part.iter().sum();
    let perfect = total.div_ceil(u64::from(k.max(1))).max(1);
    per_part.iter().copied().max().unwrap_or(0) as f64 / perfect as f64 - 1.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn km1_counts_connectivity_minus_one() {
        let h = crate::hypergraph::from_nets(&[1, 1, 1, 3], &[(10, &[0, 1, 2]), (5, &[2, 3])]);
        assert_eq!(km1(&h, &[0, 1, 2, 2], 3), 20);
        assert_eq!(km1(&h, &[0, 0, 0, 1], 2), 5);
        assert_eq!(imbalance(h.vertex_weights(), &[0, 0, 0, 1], 2), 0.0);
        assert_eq!(
            part_weights(h.vertex_weights(), &[0, 1, 2, 2], 3),
            vec![1, 1, 4]
        );
    }
}
