//! The command functions behind `ix check`, `ix profile`, `ix shard`, `ix check-shard`,
//! `ix check-shards` and friends: everything that needs more than one stage (import, kernel,
//! profile model, manifest). The `ix` CLI and the C ABI call these, so the
//! Rust and Lean front ends cannot disagree.

pub mod check;
pub mod check_shards;
pub mod input;
pub mod ixe_entries;
pub mod profile;
pub mod shard;
pub mod shard_check;

pub use check::{check_input, CheckOutcome};
pub use input::{load_checkable, load_indexed, Checkable, IndexedEnv, InputError};
pub use ix_base::Verdict;
pub use profile::{profile_env, ProfileOptions, ProfileSummary};
