//! Freeing a deep term without deep recursion, for expressions and levels
//! alike: a node gives up the children that have children of their own,
//! and those this node was the last owner of are taken apart in turn.

/// A node that can give up its children.
pub(crate) trait Teardown: Sized {
    /// A counted handle to a child node.
    type Child;
    /// Moves out the children worth taking apart: the last one is
    /// returned, the others pushed to `out` (a spine needs no stack).
    fn take_inner(&mut self, out: &mut Vec<Self::Child>) -> Option<Self::Child>;
    /// The child's node, when this handle was its last owner.
    fn last_owner(child: Self::Child) -> Option<Self>;
}

/// Takes `node`'s subtree apart iteratively (from its `Drop`).
pub(crate) fn tear_down<N: Teardown>(node: &mut N) {
    let mut stack = Vec::new();
    let mut next = node.take_inner(&mut stack);
    while let Some(child) = next.take().or_else(|| stack.pop()) {
        if let Some(mut owned) = N::last_owner(child) {
            next = owned.take_inner(&mut stack);
        }
    }
}
