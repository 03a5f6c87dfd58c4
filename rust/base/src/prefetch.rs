//! A hint to start loading memory that will be read soon. The partitioner's
//! hot loops walk a vertex's nets, and each net's pins sit at a random place
//! in a pin array far larger than the caches: out-of-order execution alone
//! does not reach far enough ahead to overlap those misses.

/// Asks the CPU to bring the cache line holding `value` into every cache
/// level. Only a hint: it never faults and changes no result; a no-op on
/// targets without the instruction.
#[inline(always)]
pub fn prefetch_read<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch reads nothing architecturally and cannot fault; the
    // address comes from a live reference, and SSE is part of x86_64's
    // baseline.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>(std::ptr::from_ref(value).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
}
