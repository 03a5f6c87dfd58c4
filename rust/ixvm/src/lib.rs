//! `ix-ixvm`: the IxVM ingress circuits, written in the `ix-aiur` language.
//!
//! The circuits live in `circuits/*.aiur` and are assembled into one program
//! per [`Variant`]; the Rust side only builds the prover input (the IO
//! buffer), runs an entry and reports the circuit statistics.

pub mod source;

pub use source::{program_source, Variant};
