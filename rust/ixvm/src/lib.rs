//! `ix-ixvm`: the IxVM ingress circuits and in-circuit kernel, written in the
//! `ix-aiur` language.
//!
//! The circuits live in `circuits/*.aiur` and are assembled into one program
//! per [`Variant`] (one side of each #432 optimization). The Rust side builds
//! the prover input (claims, trees, the IO buffer), runs `verify_claim` and
//! reports the circuit statistics.

mod collapse;
pub mod command;
pub mod prover;
pub mod source;

pub use command::{
    check_env, check_file, merged_env, name_of, named_env_problem, ClaimSpec, IxvmError, Outcome,
    Report, DEFAULT_MAX_STEPS,
};
pub use prover::{Claim, ProverInput, Tree, TrustedOps};
pub use source::{program_source, Variant};
