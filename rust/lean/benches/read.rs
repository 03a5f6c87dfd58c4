//! Throughput of the lean4export NDJSON reader on one big export.
//!
//! The export is read from `IX_READ_BENCH_FILE` (default `/tmp/s100k.ndjson`,
//! made by `ix synth --blocks 100000 -o /tmp/s100k.ndjson`); it is loaded into
//! memory first so the figure is parsing and resolving, not disk.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ix_lean::ndjson;

fn read_export(c: &mut Criterion) {
    let path =
        std::env::var("IX_READ_BENCH_FILE").unwrap_or_else(|_| "/tmp/s100k.ndjson".to_string());
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("skipping: cannot read {path} (make it with `ix synth`)");
        return;
    };
    let mut group = c.benchmark_group("ndjson");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.bench_function("read", |b| {
        b.iter(|| ndjson::read(bytes.as_slice(), &path).map(|env| env.decls.len()))
    });
    group.finish();
}

criterion_group!(benches, read_export);
criterion_main!(benches);
