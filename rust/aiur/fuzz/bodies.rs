//! The fuzz target bodies, shared by the libFuzzer targets (nightly, cargo
//! fuzz) and by `tests/fuzz_bodies.rs` (stable, a corpus plus bounded random
//! mutations).

/// Arbitrary text through the lexer, parser, checker and lowering: a
/// program or a positioned error, never a panic or a hang.
pub fn compile(data: &[u8]) {
    if let Ok(src) = std::str::from_utf8(data) {
        let _ = ix_aiur::compile(src);
    }
}
