//! The fuzz target bodies, shared by the libFuzzer targets (nightly, cargo
//! fuzz) and by `tests/fuzz_bodies.rs` (stable, a corpus plus bounded random
//! mutations).

/// The hMETIS reader must reject malformed text with an error, never panic;
/// what it accepts must survive a write/read round trip.
pub fn read_hgr(data: &[u8]) {
    if let Ok(parsed) = ix_shard::hmetis::parse(data) {
        let mut out = Vec::new();
        ix_shard::hmetis::write(&parsed.hypergraph, &mut out).expect("writing to memory");
        let again = ix_shard::hmetis::parse(&out).expect("re-read");
        assert_eq!(again.hypergraph, parsed.hypergraph);
        assert_eq!(again.repeated.pins, 0);
    }
}

/// The strict .ixes reader must reject malformed input with an error, never
/// panic, and whatever it accepts must serialize back to the same bytes.
pub fn read_manifest(data: &[u8]) {
    if let Ok(manifest) = ix_shard::manifest::Manifest::from_bytes(data) {
        assert_eq!(manifest.to_bytes(), data);
    }
}
