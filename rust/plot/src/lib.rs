//! SVG charts for `ix`: pure functions from plain data to SVG text, so they
//! can be tested without files and depend on nothing of the pipeline.
//! Callers write the text where they like (atomically).

mod axis;
mod profile;
mod shards;
mod svg;

pub use profile::{log2_bins, profile_chart, Bin, ProfileChart};
pub use shards::{shard_chart, ShardChart};
