//! Feeds arbitrary text to the lexer, parser, checker and lowering: any input
//! must give a program or a positioned error, never a panic or a hang.
//! Run: `RUSTC_BOOTSTRAP=1 cargo fuzz run compile` in rust/aiur/fuzz.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = ix_aiur::compile(src);
    }
});
