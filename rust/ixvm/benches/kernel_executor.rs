//! Executor throughput on the in-circuit kernel's own workload, in bytecode
//! instructions per second.
//!
//! `cargo bench -p ix-ixvm --bench kernel_executor`; criterion reports
//! `thrpt` in elements/s, where one element is one executed instruction of
//! `verify_claim` on CheckEnv (ingress and kernel, ingest-once).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ix_aiur::{execute, IoBuffer, Program};
use std::path::{Path, PathBuf};

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/lean-exports")
        .join(rel)
}

/// Every good arena tutorial export, merged by address.
fn tutorial_exports() -> Vec<PathBuf> {
    let dir = data("vow-lean-kernel/tests/good/tutorial");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tutorial exports are bundled")
        .map(|e| e.expect("directory entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "ndjson"))
        .collect();
    paths.sort();
    paths
}

/// The program, the claim digest and the prover input of CheckEnv on the
/// merged env of `exports`.
fn claim_run(exports: &[PathBuf]) -> (Program, Vec<u64>, IoBuffer) {
    let refs: Vec<&Path> = exports.iter().map(PathBuf::as_path).collect();
    let env = ix_ixvm::merged_env(&refs).expect("exports compile");
    let (claim, input) = ix_ixvm::prover::check_env_input(&env, None);
    let program = ix_ixvm::command::program(ix_ixvm::Variant::NEW).expect("circuits compile");
    let digest = ix_ixvm::prover::address_fields(&claim.digest());
    (program, digest, input.io_buffer())
}

fn bench_claim(c: &mut Criterion, name: &str, exports: &[PathBuf]) {
    let (program, digest, io) = claim_run(exports);
    let run = || {
        execute(&program, "verify_claim", &digest, &io)
            .expect("the claim is accepted")
            .ops
    };
    let mut group = c.benchmark_group("ixvm_kernel_executor");
    group.throughput(Throughput::Elements(run()));
    group.sample_size(10);
    group.bench_function(BenchmarkId::new("check_env", name), |b| b.iter(run));
    group.finish();
}

fn kernel_executor(c: &mut Criterion) {
    bench_claim(c, "arena_tutorial", &tutorial_exports());
    bench_claim(
        c,
        "Nat.add_succ",
        &[data("lean4export/Nat.add_succ.ndjson")],
    );
}

criterion_group!(benches, kernel_executor);
criterion_main!(benches);
