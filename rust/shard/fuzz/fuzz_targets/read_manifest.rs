//! The strict .ixes reader must reject malformed input with an error, never
//! panic, and whatever it accepts must serialize back to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(manifest) = ix_shard::manifest::Manifest::from_bytes(data) {
        assert_eq!(manifest.to_bytes(), data);
    }
});
