//! Any text: the NDJSON reader and the compiler return errors, never panic;
//! whatever compiles writes an `.ixe` that reads back and decompiles.
#![no_main]

use ixon::{IxonEnv, ReadMode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(env) = ix_lean::ndjson::read(data, "fuzz.ndjson") else {
        return;
    };
    let Ok(compiled) = ix_import::compile(&env) else {
        return;
    };
    let bytes = compiled.env.to_bytes();
    let (back, _) = IxonEnv::from_bytes(&bytes, ReadMode::Full).expect("compiled output reads back");
    ix_import::decompile(&back).expect("compiled output decompiles");
});
