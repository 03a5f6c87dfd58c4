//! The fuzz target bodies, shared by the libFuzzer targets (nightly, cargo
//! fuzz) and by `tests/fuzz_bodies.rs` (stable, a corpus plus bounded random
//! mutations).

use ixon::{IxonEnv, ReadMode};

/// Any bytes: the `.ixe` reader returns an error or an environment, never
/// panics; an accepted environment re-encodes to the same bytes (canonical),
/// and decompiles without panicking.
pub fn ixe_reader(data: &[u8]) {
    let _ = IxonEnv::from_bytes(data, ReadMode::Anonymous);
    if let Ok((env, _)) = IxonEnv::from_bytes(data, ReadMode::Full) {
        assert_eq!(env.to_bytes(), data, "accepted bytes must be canonical");
        let _ = ix_import::decompile(&env);
        let _ = ix_import::decompile_anonymous(&env);
    }
}

/// Any text: the NDJSON reader and the compiler return errors, never panic;
/// whatever compiles writes an `.ixe` that reads back and decompiles.
pub fn ndjson_reader(data: &[u8]) {
    let Ok(env) = ix_lean::ndjson::read(data, "fuzz.ndjson") else {
        return;
    };
    let Ok(compiled) = ix_import::compile(&env) else {
        return;
    };
    let bytes = compiled.env.to_bytes();
    let (back, _) =
        IxonEnv::from_bytes(&bytes, ReadMode::Full).expect("compiled output reads back");
    ix_import::decompile(&back).expect("compiled output decompiles");
}
