//! How long-running library work reports its progress. Libraries only count;
//! the command-line tool decides whether and how to draw (it polls a
//! [`Counter`]), so no library writes to the terminal.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// A sink for progress: told the amount of work once it is known, then how
/// much more is done. Shared by the threads doing the work.
pub trait Progress: Sync {
    /// The work is `total` units (declarations, shards).
    fn set_total(&self, total: usize);
    /// `done` more units are finished.
    fn advance(&self, done: usize);
}

/// Progress nobody watches.
pub struct Silent;

impl Progress for Silent {
    fn set_total(&self, _total: usize) {}
    fn advance(&self, _done: usize) {}
}

/// Progress kept in two shared counters, for a drawer to poll; clones
/// share them.
#[derive(Clone, Debug, Default)]
pub struct Counter {
    done: Arc<AtomicUsize>,
    total: Arc<AtomicUsize>,
}

impl Counter {
    pub fn done(&self) -> usize {
        self.done.load(Ordering::Relaxed)
    }

    /// The total, 0 while it is unknown.
    pub fn total(&self) -> usize {
        self.total.load(Ordering::Relaxed)
    }
}

impl Progress for Counter {
    fn set_total(&self, total: usize) {
        self.total.store(total, Ordering::Relaxed);
    }

    fn advance(&self, done: usize) {
        self.done.fetch_add(done, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_counter_sums_what_its_clones_report() {
        let counter = Counter::default();
        let shared = counter.clone();
        assert_eq!((counter.done(), counter.total()), (0, 0));
        shared.set_total(10);
        std::thread::scope(|s| {
            s.spawn(|| shared.advance(3));
            s.spawn(|| counter.advance(4));
        });
        assert_eq!((counter.done(), counter.total()), (7, 10));
    }
}
