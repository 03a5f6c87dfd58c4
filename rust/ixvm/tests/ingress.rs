//! Ingress on real exports: accepted claims and the deserializer on one constant.

use ix_ixvm::command::{program, run_claim};
use ix_ixvm::prover::{check_env_input, check_input};
use ix_ixvm::{merged_env, Variant};
use std::path::{Path, PathBuf};

fn export(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data/lean-exports")
        .join(rel)
}

#[test]
fn check_env_on_a_small_export_executes() {
    let env = merged_env(&[&export(
        "vow-lean-kernel/tests/good/tutorial/030_boolType.ndjson",
    )])
    .unwrap();
    let (claim, input) = check_env_input(&env, None).unwrap();
    let program = program(Variant::NEW).unwrap();
    let report = run_claim(&program, &claim, &input, Variant::NEW);
    let out = report.verdict.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out[0], env.consts.len() as u64);
}
