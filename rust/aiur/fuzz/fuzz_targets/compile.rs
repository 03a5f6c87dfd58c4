//! See `compile` in `../bodies.rs`.
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run compile` in rust/aiur/fuzz.
#![no_main]

#[path = "../bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::compile(data));
