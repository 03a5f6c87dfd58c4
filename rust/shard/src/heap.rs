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
        } else {
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
        let last = self.items.len() - 1;
        if at != last {
            self.items.swap(at, last);
            self.items.pop();
            // The last item sinks or rises from the hole, never both: if it
            // rose, its new children were below its old ancestors.
            if !self.sift_down(at) {
                self.sift_up(at);
            }
        } else {
            self.items.pop();
        }
    }

    /// Empties the heap in O(size).
    pub(crate) fn clear(&mut self) {
        for &(_, _, v) in &self.items {
            self.position[v as usize] = ABSENT;
        }
        self.items.clear();
    }

    fn above(a: &(i64, u32, u32), b: &(i64, u32, u32)) -> bool {
        (a.0, a.1) > (b.0, b.1)
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
