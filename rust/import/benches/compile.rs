//! Compile and `.ixe` throughput, phase by phase, on the largest bundled
//! export and on a synthetic library (`ix-synth`, 20000 blocks, ~17 MB of
//! NDJSON) so that MB/s means something. Throughput is per input byte: NDJSON
//! bytes for reading and compiling, `.ixe` bytes for encoding and decoding.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ixon::{IxonEnv, ReadMode};
use std::path::Path;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let largest = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/lean-exports/vow-lean-kernel/tests/good/tutorial/073_RBTree.id_spec.ndjson");
    let real = std::fs::read(largest).expect("bundled export");
    let mut synth = Vec::new();
    let opts = ix_synth::SynthOptions {
        blocks: 20_000,
        seed: 1,
        plant_error: false,
    };
    ix_synth::generate(&opts, &mut synth).expect("synthetic export");
    vec![("RBTree.id_spec".into(), real), ("synth20k".into(), synth)]
}

fn phases(c: &mut Criterion) {
    for (label, ndjson) in inputs() {
        let env = ix_lean::ndjson::read(ndjson.as_slice(), &label).expect("parse");
        let compiled = ix_import::compile(&env).expect("compile");
        let ixe = compiled.env.to_bytes();
        let mut g = c.benchmark_group(label.as_str());
        g.sample_size(10);
        g.throughput(Throughput::Bytes(ndjson.len() as u64));
        g.bench_function("read ndjson", |b| {
            b.iter(|| ix_lean::ndjson::read(ndjson.as_slice(), "x").unwrap())
        });
        g.bench_function("compile (from ix-lean)", |b| {
            b.iter(|| ix_import::compile(&env).unwrap())
        });
        g.throughput(Throughput::Bytes(ixe.len() as u64));
        g.bench_function("encode .ixe", |b| b.iter(|| compiled.env.to_bytes()));
        g.bench_function("read .ixe (full)", |b| {
            b.iter(|| IxonEnv::from_bytes(&ixe, ReadMode::Full).unwrap())
        });
        g.bench_function("read .ixe (anonymous)", |b| {
            b.iter(|| IxonEnv::from_bytes(&ixe, ReadMode::Anonymous).unwrap())
        });
        g.bench_function("decompile", |b| {
            b.iter(|| ix_import::decompile(&compiled.env).unwrap())
        });
        g.finish();
    }
}

criterion_group!(benches, phases);
criterion_main!(benches);
