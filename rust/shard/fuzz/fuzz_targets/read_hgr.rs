//! The hMETIS reader must reject malformed text with an error, never panic;
//! what it accepts must survive a write/read round trip.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(h) = ix_shard::hmetis::parse(data) {
        let mut out = Vec::new();
        ix_shard::hmetis::write(&h, &mut out).expect("writing to memory");
        assert_eq!(ix_shard::hmetis::parse(&out).expect("re-read"), h);
    }
});
