//! An addressable max-heap of vertices keyed by (gain, tie-break): FM's
//! priority queue, with O(log n) insert, update and remove by vertex.

const ABSENT: u32 = u32::MAX;

pub(crate) struct GainHeap {
    /// (gain, tie-break, vertex), heap-ordered by (gain, tie-break).
    items: Vec<(i64, u32, u32)>,
    /// Position of each vertex in `items`, or ABSENT.
    position: Vec<u32>,
}

impl GainHeap {
    pub(crate) fn new(vertices: usize) -> Self {
        GainHeap {
            items: Vec::new(),
            position: vec![ABSENT; vertices],
        }
    }

    pub(crate) fn contains(&self, v: u32) -> bool {
        self.position[v as usize] != ABSENT
    }

    pub(crate) fn top(&self) -> Option<(i64, u32)> {
        self.items.first().map(|&(gain, _, v)| (gain, v))
    }

    pub(crate) fn insert(&mut self, v: u32, gain: i64, tie: u32) {
        debug_assert!(!self.contains(v));
        let at = self.items.len();
        self.items.push((gain, tie, v));
        self.position[v as usize] = at as u32;
        self.sift_up(at);
    }

    pub(crate) fn adjust(&mut self, v: u32, delta: i64) {
        let at = self.position[v as usize] as usize;
        self.items[at].0 += delta;
        if delta > 0 {
            self.sift_up(at);
        } else if delta < 0 {
            self.sift_down(at);
        }
    }

    /// Sets the gain of queued vertex `v`.
    pub(crate) fn update(&mut self, v: u32, gain: i64) {
        let at = self.position[v as usize] as usize;
        let delta = gain - self.items[at].0;
        self.adjust(v, delta);
    }

    pub(crate) fn remove(&mut self, v: u32) {
        let at = self.position[v as usize] as usize;
        self.position[v as usize] = ABSENT;
        let Some(last) = self.items.pop() else {
            return;
        };
        if at == self.items.len() {
            return;
        }
        if at == 0 {
            self.refill_root(last);
            return;
        }
        self.items[at] = last;
        // The last item sinks or rises from the hole, never both: if it
        // rose, its new children were below its old ancestors.
        if !self.sift_down(at) {
            self.sift_up(at);
        }
    }

    /// Puts `item` in the empty root slot. The hole goes down the path of
    /// larger children to a leaf (one comparison per level, not two), and
    /// `item` rises from there past the path items not above it: the path
    /// never increases, so it lands where a plain sift-down would have put
    /// it, ties included, and the layout stays the same.
    fn refill_root(&mut self, item: (i64, u32, u32)) {
        let len = self.items.len();
        let mut hole = 0;
        loop {
            let l = 2 * hole + 1;
            if l >= len {
                break;
            }
            let right_above = l + 1 < len && Self::above(&self.items[l + 1], &self.items[l]);
            let child = l + usize::from(right_above);
            let up = self.items[child];
            self.items[hole] = up;
            self.position[up.2 as usize] = hole as u32;
            hole = child;
        }
        while hole > 0 {
            let parent = (hole - 1) / 2;
            let down = self.items[parent];
            if Self::above(&down, &item) {
                break;
            }
            self.items[hole] = down;
            self.position[down.2 as usize] = hole as u32;
            hole = parent;
        }
        self.items[hole] = item;
        self.position[item.2 as usize] = hole as u32;
    }

    /// Empties the heap in O(size).
    pub(crate) fn clear(&mut self) {
        for &(_, _, v) in &self.items {
            self.position[v as usize] = ABSENT;
        }
        self.items.clear();
    }

    /// `(a.0, a.1) > (b.0, b.1)`, without branches: which way a heap
    /// comparison goes is close to random, and mispredictions dominated the
    /// sifts.
    fn above(a: &(i64, u32, u32), b: &(i64, u32, u32)) -> bool {
        (a.0 > b.0) | ((a.0 == b.0) & (a.1 > b.1))
    }

    // Both sifts carry the moving item in a hole and write each shifted
    // item (and its position) once, instead of swapping pairwise: the same
    // final layout as a swap-based sift, with half the stores.
    fn sift_up(&mut self, mut at: usize) {
        let item = self.items[at];
        while at > 0 {
            let parent = (at - 1) / 2;
            let above = self.items[parent];
            if !Self::above(&item, &above) {
                break;
            }
            self.items[at] = above;
            self.position[above.2 as usize] = at as u32;
            at = parent;
        }
        self.items[at] = item;
        self.position[item.2 as usize] = at as u32;
    }

    /// Returns whether the item at `at` moved.
    fn sift_down(&mut self, mut at: usize) -> bool {
        let start = at;
        let item = self.items[at];
        let len = self.items.len();
        loop {
            let (l, r) = (2 * at + 1, 2 * at + 2);
            if l >= len {
                break;
            }
            let mut best = item;
            let mut best_at = at;
            if Self::above(&self.items[l], &best) {
                best = self.items[l];
                best_at = l;
            }
            if r < len && Self::above(&self.items[r], &best) {
                best = self.items[r];
                best_at = r;
            }
            if best_at == at {
                break;
            }
            self.items[at] = best;
            self.position[best.2 as usize] = at as u32;
            at = best_at;
        }
        self.items[at] = item;
        self.position[item.2 as usize] = at as u32;
        at != start
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The textbook heap (pairwise swaps, remove = sift up then down),
    /// whose layout the faster sifts must reproduce exactly: FM breaks ties
    /// between equal keys by position, so a changed layout changes results.
    struct Reference(Vec<(i64, u32, u32)>);

    impl Reference {
        fn up(&mut self, mut at: usize) {
            while at > 0 && GainHeap::above(&self.0[at], &self.0[(at - 1) / 2]) {
                self.0.swap(at, (at - 1) / 2);
                at = (at - 1) / 2;
            }
        }

        fn down(&mut self, mut at: usize) {
            loop {
                let mut best = at;
                for child in [2 * at + 1, 2 * at + 2] {
                    if child < self.0.len() && GainHeap::above(&self.0[child], &self.0[best]) {
                        best = child;
                    }
                }
                if best == at {
                    return;
                }
                self.0.swap(at, best);
                at = best;
            }
        }

        fn find(&self, v: u32) -> Option<usize> {
            self.0.iter().position(|item| item.2 == v)
        }
    }

    #[test]
    fn layout_matches_the_textbook_heap_with_ties() {
        let mut rng = ix_base::rng::Rng::new(5);
        let mut heap = GainHeap::new(64);
        let mut reference = Reference(Vec::new());
        for _ in 0..20_000 {
            let v = rng.below(64) as u32;
            // Few distinct keys, so equal (gain, tie) pairs are common.
            let gain = rng.below(5) as i64 - 2;
            match (reference.find(v), rng.below(4)) {
                (None, _) => {
                    let tie = rng.below(3) as u32;
                    heap.insert(v, gain, tie);
                    reference.0.push((gain, tie, v));
                    reference.up(reference.0.len() - 1);
                }
                (Some(at), 0) => {
                    heap.update(v, gain);
                    let old = reference.0[at].0;
                    reference.0[at].0 = gain;
                    if gain > old {
                        reference.up(at);
                    } else {
                        reference.down(at);
                    }
                }
                (Some(at), choice) => {
                    // Mostly the top, as FM removes it.
                    let (at, v) = if choice == 1 {
                        (at, v)
                    } else {
                        (0, reference.0[0].2)
                    };
                    heap.remove(v);
                    let last = reference.0.len() - 1;
                    reference.0.swap(at, last);
                    reference.0.pop();
                    if at < last {
                        let moved = reference.0[at].2;
                        reference.up(at);
                        let at = reference.find(moved).unwrap_or(at);
                        reference.down(at);
                    }
                }
            }
            assert_eq!(heap.items, reference.0);
            for (at, item) in heap.items.iter().enumerate() {
                assert_eq!(heap.position[item.2 as usize], at as u32);
            }
        }
    }

    #[test]
    fn pops_in_order_with_updates_and_removals() {
        let mut heap = GainHeap::new(10);
        for v in 0..10u32 {
            heap.insert(v, (v as i64 * 7) % 5, v);
        }
        heap.adjust(3, 100);
        heap.adjust(9, -50);
        heap.remove(4);
        let mut out = Vec::new();
        while let Some((gain, v)) = heap.top() {
            out.push((gain, v));
            heap.remove(v);
        }
        assert_eq!(out.len(), 9);
        assert_eq!(out[0].1, 3);
        assert_eq!(out.last().unwrap().1, 9);
        assert!(out.windows(2).all(|w| w[0].0 >= w[1].0));
        assert!(heap.top().is_none());
    }
}
