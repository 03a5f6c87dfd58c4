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
