//! The plumbing every ix crate shares, written once.
//!
//! - Output files ([`AtomicFile`], [`write_atomic`]): a temporary file in the
//!   destination's folder, synced to disk and renamed over the destination,
//!   so readers see the old file or the whole new one, and a crash or a
//!   failure leaves no partial file. The result has the mode any new file
//!   gets under the umask (0644 under the usual 022), so other users and pods
//!   on a shared volume can read it. [`check_outputs`] refuses, before any
//!   work, an output that is (or links to) an input or another output, and
//!   one whose folder is not writable; [`remove_pending`] removes the
//!   temporary files still open, on a signal.
//! - Input files: [`mmap::map`], the one read-only memory map.
//! - [`hash`] (blake3) and [`merkle::merkle_root`], the canonical root over a
//!   set of addresses.
//! - [`rng::Rng`], the deterministic SplitMix64 generator.
//! - [`format`]: each file format's magic number and version, and telling a
//!   file's format by its first bytes.
//! - [`Verdict`]: accept, reject or decline.
//! - [`progress::Progress`]: how libraries report progress for the CLI to draw.
//! - [`chunked::ChunkedVec`]: a large table that grows without moving.
//! - [`drop_in_background`]: freeing large values off the critical path;
//!   [`Children`] and [`drop_children`]: freeing deep trees without deep
//!   recursion.
//! - [`prefetch_read`]: a cache hint for memory-bound loops.

mod atomic;
mod background;
pub mod chunked;
pub mod format;
pub mod hash;
pub mod merkle;
pub mod mmap;
mod paths;
mod prefetch;
pub mod progress;
pub mod rng;
mod verdict;

pub use atomic::{remove_pending, write_atomic, AtomicFile};
pub use background::{drop_children, drop_in_background, BackgroundDrop, Children};
pub use paths::{check_outputs, OutputError};
pub use prefetch::prefetch_read;
pub use verdict::Verdict;

/// What the tests of this crate share.
#[cfg(test)]
mod test_files {
    use std::path::PathBuf;

    /// A new temporary folder holding the file `name` with `bytes`; the
    /// folder goes when the first value is dropped.
    pub fn file_with(name: &str, bytes: &[u8]) -> (tempfile::TempDir, PathBuf) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        (dir, path)
    }
}
