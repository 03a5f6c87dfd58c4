//! The .ixesp reader must reject any malformed input with an error, never
//! panic, and whatever it accepts must serialize back to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(profile) = ixesp::Profile::from_bytes(data) {
        assert_eq!(profile.to_bytes(), data);
    }
});
