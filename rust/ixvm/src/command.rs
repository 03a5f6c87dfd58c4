//! `ix ixvm check`: run a claim's ingress on an environment and report the
//! verdict and the circuit cost table.

use crate::prover::{check_env_input, check_input, Claim, ProverInput};
use crate::source::{program_source, Variant};
use ix_aiur::{stats, CompileError, ExecError, Program, Stats};
use ixon::{Address, IxonEnv};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum IxvmError {
    #[error("{0}")]
    Env(#[from] ixon::env::EnvFileError),
    #[error("circuit source: {0}")]
    Compile(#[from] CompileError),
    #[error("the environment has no constants")]
    EmptyEnv,
    #[error("no constant named or addressed `{0}`")]
    UnknownConstant(String),
    #[error("decompile: {0}")]
    Decompile(String),
    #[error("compile: {0}")]
    Import(String),
    #[error("reading {file}: {message}")]
    Read { file: String, message: String },
}

/// Which claim to run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClaimSpec {
    CheckEnv,
    /// A declaration name (from the metadata) or a 64-digit hex address.
    Check(String),
}

/// The outcome of a claim's ingress.
#[derive(Debug)]
pub struct Report {
    pub claim: Claim,
    pub variant: Variant,
    /// Ok: (constants checked, kernel constants, assumption leaves).
    pub verdict: Result<[u64; 3], ExecError>,
    /// Statistics of the run (of the partial run when it failed).
    pub stats: Option<Stats>,
}

impl Report {
    pub fn accepted(&self) -> bool {
        self.verdict.is_ok()
    }

    /// The run hit an executor limit (call depth): no verdict on the claim.
    pub fn declined(&self) -> bool {
        matches!(&self.verdict, Err(e) if e.is_resource_limit())
    }
}

/// Compiles the circuit program of `variant`.
pub fn program(variant: Variant) -> Result<Program, CompileError> {
    ix_aiur::compile(&program_source(variant, false))
}

/// Runs `verify_claim` on the claim's digest with the given prover input.
pub fn run_claim(
    program: &Program,
    claim: &Claim,
    input: &ProverInput,
    variant: Variant,
) -> Report {
    let digest = crate::prover::address_fields(&claim.digest());
    let io = input.io_buffer();
    match ix_aiur::execute(program, "verify_claim", &digest, &io) {
        Ok(exec) => Report {
            claim: *claim,
            variant,
            verdict: Ok([exec.output[0], exec.output[1], exec.output[2]]),
            stats: Some(stats::compute(program, &exec)),
        },
        Err(e) => Report {
            claim: *claim,
            variant,
            verdict: Err(e),
            stats: None,
        },
    }
}

/// Resolves a name (via the metadata) or a hex address to a constant address.
pub fn resolve(env: &IxonEnv, what: &str) -> Result<Address, IxvmError> {
    let unknown = || IxvmError::UnknownConstant(what.to_string());
    if what.len() == 64 {
        if let Some(addr) = Address::from_hex(what) {
            return env
                .consts
                .contains_key(&addr)
                .then_some(addr)
                .ok_or_else(unknown);
        }
    }
    let lean = ix_import::decompile(env).map_err(|e| IxvmError::Decompile(e.to_string()))?;
    let compiled = ix_import::compile(&lean).map_err(|e| IxvmError::Import(e.to_string()))?;
    compiled
        .addresses
        .iter()
        .find(|(name, _)| name.to_string() == what)
        .map(|(_, a)| *a)
        .filter(|a| env.consts.contains_key(a))
        .ok_or_else(unknown)
}

/// The claim and prover input for `spec` on `env`.
pub fn claim_input(env: &IxonEnv, spec: &ClaimSpec) -> Result<(Claim, ProverInput), IxvmError> {
    match spec {
        ClaimSpec::CheckEnv => check_env_input(env, None).ok_or(IxvmError::EmptyEnv),
        ClaimSpec::Check(what) => Ok(check_input(env, resolve(env, what)?)),
    }
}

/// `ix ixvm check ENV.ixe`: reads the env, builds the claim and runs it.
pub fn check_file(path: &Path, spec: &ClaimSpec, variant: Variant) -> Result<Report, IxvmError> {
    let (env, _) = IxonEnv::read_file(path, ixon::env::ReadMode::Full)?;
    check_env(&env, spec, variant)
}

pub fn check_env(env: &IxonEnv, spec: &ClaimSpec, variant: Variant) -> Result<Report, IxvmError> {
    let (claim, input) = claim_input(env, spec)?;
    Ok(run_claim(&program(variant)?, &claim, &input, variant))
}

/// Compiles lean4export files and unions their constants and blobs by
/// address (shared prefixes such as `Nat` collapse to one copy).
pub fn merged_env(exports: &[&Path]) -> Result<IxonEnv, IxvmError> {
    let mut env = IxonEnv::default();
    for path in exports {
        let lean = ix_lean::ndjson::read_file(path).map_err(|e| IxvmError::Read {
            file: path.display().to_string(),
            message: e.to_string(),
        })?;
        let compiled = ix_import::compile(&lean)
            .map_err(|e| IxvmError::Import(format!("{}: {e}", path.display())))?;
        env.consts.extend(compiled.env.consts);
        env.blobs.extend(compiled.env.blobs);
    }
    Ok(env)
}
