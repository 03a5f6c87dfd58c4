//! Output files, written one way by every ix verb and the FFI.
//!
//! - [`AtomicFile`] / [`write_atomic`]: a temporary file in the destination's
//!   folder, synced to disk and renamed over the destination, so readers see
//!   the old file or the whole new one, and a crash or a failure leaves no
//!   partial file. The result has the mode any new file gets under the umask
//!   (0644 under the usual 022), so other users and pods on a shared volume
//!   can read it.
//! - [`check_outputs`]: before any work, refuse an output that is (or links
//!   to) an input or another output, and one whose folder is not writable.
//! - [`remove_pending`]: the temporary files still open, removed on a signal.

mod atomic;
mod paths;

pub use atomic::{remove_pending, write_atomic, AtomicFile};
pub use paths::{check_outputs, OutputError};
