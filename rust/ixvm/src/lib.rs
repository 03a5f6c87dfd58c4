//! `ix-ixvm`: the IxVM ingress circuits, written in the `ix-aiur` language.
//!
//! The circuits live in `circuits/*.aiur` and are assembled into one program
//! per [`Variant`] (one side of each #432 optimization). The Rust side builds
//! the prover input (claims, trees, the IO buffer), runs `verify_claim` and
//! reports the circuit statistics.

pub mod command;
pub mod prover;
pub mod source;

pub use command::{check_env, check_file, merged_env, ClaimSpec, IxvmError, Report};
pub use prover::{Claim, ProverInput, Tree};
pub use source::{program_source, Variant};
