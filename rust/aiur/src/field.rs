//! Goldilocks field arithmetic, p = 2^64 − 2^32 + 1, on canonical `u64`s (< p).

/// The field modulus.
pub const P: u64 = 0xffff_ffff_0000_0001;

/// 2^64 mod p = 2^32 − 1: what a carry out of 64 bits is worth.
const EPSILON: u64 = 0xffff_ffff;

/// `a + b mod p` for canonical inputs.
#[inline(always)]
pub fn add(a: u64, b: u64) -> u64 {
    let (sum, carry) = a.overflowing_add(b);
    // sum + carry·2^64 < 2p, so one conditional subtraction suffices; a carry
    // means the true sum is sum + 2^64 ≡ sum + EPSILON, which cannot carry again.
    let (sum, carry2) = sum.overflowing_add(if carry { EPSILON } else { 0 });
    debug_assert!(!carry2);
    if sum >= P {
        sum - P
    } else {
        sum
    }
}

/// `a − b mod p` for canonical inputs.
#[inline(always)]
pub fn sub(a: u64, b: u64) -> u64 {
    let (diff, borrow) = a.overflowing_sub(b);
    // A borrow means the result is diff − 2^64 + p = diff − EPSILON.
    if borrow {
        diff.wrapping_sub(EPSILON)
    } else {
        diff
    }
}

/// `a · b mod p` for canonical inputs.
#[inline(always)]
pub fn mul(a: u64, b: u64) -> u64 {
    reduce128(u128::from(a) * u128::from(b))
}

/// Reduces a 128-bit value modulo p, using 2^64 ≡ 2^32 − 1 and 2^96 ≡ −1.
#[inline(always)]
pub fn reduce128(x: u128) -> u64 {
    let lo = x as u64;
    let hi = (x >> 64) as u64;
    let hi_hi = hi >> 32;
    let hi_lo = hi & EPSILON;
    // lo − hi_hi·2^96 ≡ lo − hi_hi.
    let (mut t0, borrow) = lo.overflowing_sub(hi_hi);
    if borrow {
        t0 = t0.wrapping_sub(EPSILON);
    }
    // hi_lo·2^64 ≡ hi_lo·(2^32 − 1), which fits in 64 bits.
    let t1 = hi_lo * EPSILON;
    let (sum, carry) = t0.overflowing_add(t1);
    let sum = if carry {
        sum.wrapping_add(EPSILON)
    } else {
        sum
    };
    if sum >= P {
        sum - P
    } else {
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reference_mul(a: u64, b: u64) -> u64 {
        ((u128::from(a) * u128::from(b)) % u128::from(P)) as u64
    }

    #[test]
    fn edge_values() {
        let edges = [
            0,
            1,
            2,
            EPSILON,
            EPSILON + 1,
            P - 2,
            P - 1,
            1 << 32,
            1 << 63,
        ];
        for &a in &edges {
            for &b in &edges {
                assert_eq!(mul(a, b), reference_mul(a, b), "{a} * {b}");
                assert_eq!(
                    u128::from(add(a, b)),
                    (u128::from(a) + u128::from(b)) % u128::from(P)
                );
                assert_eq!(
                    u128::from(sub(a, b)),
                    (u128::from(a) + u128::from(P) - u128::from(b)) % u128::from(P)
                );
            }
        }
    }

    #[test]
    fn reduce_extremes() {
        assert_eq!(reduce128(u128::MAX), (u128::MAX % u128::from(P)) as u64);
        assert_eq!(reduce128(u128::from(P)), 0);
    }

    proptest! {
        #[test]
        fn arithmetic_matches_u128(a in 0..P, b in 0..P) {
            prop_assert_eq!(mul(a, b), reference_mul(a, b));
            prop_assert_eq!(sub(add(a, b), b), a);
        }

        #[test]
        fn reduce_matches_u128(x: u128) {
            prop_assert_eq!(reduce128(x), (x % u128::from(P)) as u64);
        }
    }
}
