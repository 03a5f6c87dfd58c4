//! `ix check-shard`, `ix check-shards`, `ix verify-claims`: check one shard
//! on its own, with the blocks other shards own as trusted assumptions, and
//! verify that a set of shard claims covers an environment.
//!
//! - `load`: the environment (mapped; each declaration decompiled when a
//!   shard first needs it) and its manifest;
//! - `roles`: which declarations a shard loads, in which role;
//! - `run`: one shard's check, or every shard's in parallel;
//! - `claims`: what a check establishes, and whether claims cover the env;
//! - `report`: what `ix check-shards` prints.

mod claims;
mod load;
mod report;
mod roles;
mod run;

pub use claims::{read_claims, verify_claims, ShardClaim};
pub use load::{load_shard, load_sharded, ShardedEnv};
pub use report::ShardsReport;
pub use run::shard_from_environment;

use crate::input::InputError;

#[derive(Debug, thiserror::Error)]
pub enum ShardCheckError {
    #[error("{0}")]
    Input(#[from] InputError),
    #[error("{0}")]
    Usage(String),
}
