//! The fuzz target bodies, shared by the libFuzzer targets (nightly, cargo
//! fuzz) and by `tests/fuzz_bodies.rs` (stable, a corpus plus bounded random
//! mutations).

/// The .ixesp reader must reject any malformed input with an error, never
/// panic, and whatever it accepts must serialize back to the same bytes.
pub fn read_profile(data: &[u8]) {
    if let Ok(profile) = ixesp::Profile::from_bytes(data) {
        assert_eq!(profile.to_bytes(), data);
    }
}
