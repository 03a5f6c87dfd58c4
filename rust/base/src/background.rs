//! Freeing large values: off the critical path, and deep trees without
//! deep recursion.

use std::sync::Arc;

/// Frees `value` on a thread of its own: a command that has its verdict need
/// not wait for a whole environment's terms to be freed; it prints and
/// exits. If no thread can be started, `value` is freed here.
pub fn drop_in_background<T: Send + 'static>(value: T) {
    let _ = std::thread::Builder::new()
        .name("ix-free".into())
        .spawn(move || drop(value));
}

/// A thread that frees what it is sent, so the sender does not wait for
/// large drops; without a thread, values are freed by the sender. Values
/// go in batches: one send (and wake-up) per value cost more than the
/// freeing it saved.
pub struct BackgroundDrop<T> {
    sender: Option<std::sync::mpsc::Sender<Vec<T>>>,
    batch: Vec<T>,
}

/// Values per batch sent to the freeing thread.
const DROP_BATCH: usize = 1024;

impl<T: Send + 'static> BackgroundDrop<T> {
    pub fn start() -> BackgroundDrop<T> {
        let (tx, rx) = std::sync::mpsc::channel::<Vec<T>>();
        let started = std::thread::Builder::new()
            .name("ix-free".into())
            .spawn(move || rx.into_iter().for_each(drop));
        BackgroundDrop {
            sender: started.ok().map(|_| tx),
            batch: Vec::with_capacity(DROP_BATCH),
        }
    }

    pub fn drop_later(&mut self, value: T) {
        self.batch.push(value);
        if self.batch.len() == DROP_BATCH {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let batch = std::mem::replace(&mut self.batch, Vec::with_capacity(DROP_BATCH));
        if let Some(tx) = &self.sender {
            // A send fails only if the thread is gone; the batch is then
            // returned in the error and dropped here.
            let _ = tx.send(batch);
        }
    }
}

impl<T> Drop for BackgroundDrop<T> {
    fn drop(&mut self) {
        if let Some(tx) = &self.sender {
            let _ = tx.send(std::mem::take(&mut self.batch));
        }
    }
}

/// A node of a tree of `Arc`s that hands over its children, so that a deep
/// tree (a crafted export may nest terms 10^5 deep) is freed with an
/// explicit stack instead of recursion that would overflow the thread's.
pub trait Children: Sized {
    /// Moves this node's children into `out`, leaving childless
    /// placeholders behind.
    fn take_children(&mut self, out: &mut Vec<Arc<Self>>);
}

/// Frees the subtree under `node` iteratively: the body of the node type's
/// `Drop`. A child still shared elsewhere is only released.
pub fn drop_children<T: Children>(node: &mut T) {
    let mut stack = Vec::new();
    node.take_children(&mut stack);
    while let Some(child) = stack.pop() {
        if let Ok(mut inner) = Arc::try_unwrap(child) {
            inner.take_children(&mut stack);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A unary chain, the deepest tree there is.
    struct Chain(Option<Arc<Chain>>);

    impl Children for Chain {
        fn take_children(&mut self, out: &mut Vec<Arc<Chain>>) {
            out.extend(self.0.take());
        }
    }

    impl Drop for Chain {
        fn drop(&mut self) {
            drop_children(self);
        }
    }

    #[test]
    fn a_deep_chain_drops_on_a_small_stack() {
        let dropped = std::thread::Builder::new()
            .stack_size(64 << 10)
            .spawn(|| {
                let mut chain = Chain(None);
                for _ in 0..1_000_000 {
                    chain = Chain(Some(Arc::new(chain)));
                }
                drop(chain);
            })
            .unwrap()
            .join();
        assert!(dropped.is_ok());
    }
}
