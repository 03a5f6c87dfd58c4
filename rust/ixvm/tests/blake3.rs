//! In-circuit BLAKE3 against the `blake3` crate.

use ix_aiur::{compile, execute, IoBuffer};
use ix_ixvm::{program_source, Variant};

fn circuit_hash(program: &ix_aiur::Program, bytes: &[u8]) -> Vec<u8> {
    let mut io = IoBuffer::default();
    let values: Vec<u64> = bytes.iter().map(|&b| u64::from(b)).collect();
    io.insert(9, vec![1], &values);
    let exec = execute(program, "test_blake3", &[1], &io).unwrap_or_else(|e| panic!("{e}"));
    exec.output.iter().map(|&v| v as u8).collect()
}

#[test]
fn blake3_matches_reference_on_short_inputs() {
    let program =
        compile(&program_source(Variant::default(), true)).unwrap_or_else(|e| panic!("{e}"));
    for len in [
        0usize, 1, 3, 33, 63, 64, 65, 200, 1024, 1025, 2048, 3073, 5000,
    ] {
        let bytes: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
        assert_eq!(
            circuit_hash(&program, &bytes),
            blake3::hash(&bytes).as_bytes(),
            "len {len}"
        );
    }
}
