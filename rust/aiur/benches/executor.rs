//! Executor throughput in bytecode instructions per second.
//!
//! `cargo bench -p ix-aiur --bench executor`; criterion reports `thrpt` in
//! elements/s, where one element is one executed bytecode instruction.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ix_aiur::{compile, execute, IoBuffer, Program};

const MIX: &str = include_str!("../programs/bench_mix.aiur");
const RBTREE: &str = include_str!("../programs/rbtree_one_cmp.aiur");

/// The RB-tree program plus a driver that inserts and then looks up n keys.
fn rbtree_bench_source() -> String {
    format!(
        "{RBTREE}\n\
         fn fill(n: G, tree: RBTreeMap<G>) -> RBTreeMap<G> {{\n\
             match n {{ 0 => tree, _ => fill(n - 1, rbtree_map_insert(n * 7919, n, tree)) }}\n\
         }}\n\
         fn probe(n: G, tree: RBTreeMap<G>, acc: G) -> G {{\n\
             match n {{ 0 => acc, _ => probe(n - 1, tree, acc + rbtree_map_lookup(n * 7919, tree)) }}\n\
         }}\n\
         pub fn bench_rbtree(n: G) -> G {{ probe(n, fill(n, RBTreeMap::Nil), 0) }}\n"
    )
}

fn bench_program(c: &mut Criterion, group_name: &str, program: &Program, entry: &str, n: u64) {
    let io = IoBuffer::default();
    let ops = execute(program, entry, &[n], &io)
        .expect("benchmark program runs")
        .ops;
    let mut group = c.benchmark_group(group_name);
    group.throughput(Throughput::Elements(ops));
    group.sample_size(10);
    group.bench_with_input(BenchmarkId::new(entry, n), &n, |b, &n| {
        b.iter(|| {
            execute(program, entry, &[n], &io)
                .expect("benchmark program runs")
                .ops
        })
    });
    group.finish();
}

fn executor(c: &mut Criterion) {
    let mix = compile(MIX).expect("bench_mix compiles");
    bench_program(c, "aiur_executor", &mix, "bench_mix", 100_000);
    let rbtree = compile(&rbtree_bench_source()).expect("rbtree bench compiles");
    bench_program(c, "aiur_executor", &rbtree, "bench_rbtree", 20_000);
}

criterion_group!(benches, executor);
criterion_main!(benches);
