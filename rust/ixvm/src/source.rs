//! Assembling the circuit program: shared fragments plus one side of each
//! #432 optimization.

/// Fragments every program contains, in order.
const COMMON: &[(&str, &str)] = &[
    ("list.aiur", include_str!("../circuits/list.aiur")),
    (
        "blake3_core.aiur",
        include_str!("../circuits/blake3_core.aiur"),
    ),
    (
        "blake3_stream.aiur",
        include_str!("../circuits/blake3_stream.aiur"),
    ),
];

/// Test-only entry points.
pub const TESTING: &str = include_str!("../circuits/testing.aiur");

/// Which side of each #432 optimization a program uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Variant {}

/// The program source for `variant`, optionally with the test entries.
pub fn program_source(_variant: Variant, with_tests: bool) -> String {
    let mut src = String::new();
    for (name, text) in COMMON {
        src.push_str(&format!("// ---- {name}\n"));
        src.push_str(text);
    }
    if with_tests {
        src.push_str(TESTING);
    }
    src
}
