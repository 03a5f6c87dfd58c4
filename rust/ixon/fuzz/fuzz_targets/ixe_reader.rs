//! Any bytes: the `.ixe` reader returns an error or an environment, never
//! panics; an accepted environment re-encodes to the same bytes (canonical),
//! and decompiles without panicking.
#![no_main]

use ixon::{IxonEnv, ReadMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = IxonEnv::from_bytes(data, ReadMode::Anonymous);
    if let Ok((env, _)) = IxonEnv::from_bytes(data, ReadMode::Full) {
        assert_eq!(env.to_bytes(), data, "accepted bytes must be canonical");
        let _ = ix_import::decompile(&env);
        let _ = ix_import::decompile_anonymous(&env);
    }
});
