//! Index-keyed tables for the reader.
//!
//! Exports number their names, levels and expressions densely from the start,
//! so a vector indexed by the number is far cheaper than hashing (at a million
//! expressions the hash maps were most of the resolve time). Indices may still
//! be sparse or huge; those go to a hash map, and the vector only grows to
//! about twice the number of entries, so a stray large index cannot make it
//! allocate beyond that. The vector is chunked: a `Vec` of millions of
//! expressions held its old and new copies at once each time it doubled.

use ix_base::chunked::ChunkedVec;
use rustc_hash::FxHashMap;

/// Slots the vector may run ahead of twice the entry count.
const SLACK: usize = 1 << 16;

pub(super) struct IndexTable<V> {
    dense: ChunkedVec<Option<V>>,
    sparse: FxHashMap<u64, V>,
    len: usize,
}

impl<V> Default for IndexTable<V> {
    fn default() -> Self {
        IndexTable {
            dense: ChunkedVec::default(),
            sparse: FxHashMap::default(),
            len: 0,
        }
    }
}

impl<V> IndexTable<V> {
    pub(super) fn len(&self) -> usize {
        self.len
    }

    fn slot(idx: u64) -> Option<usize> {
        usize::try_from(idx).ok()
    }

    pub(super) fn get(&self, idx: &u64) -> Option<&V> {
        match Self::slot(*idx).and_then(|i| self.dense.get(i)) {
            Some(Some(v)) => Some(v),
            _ if self.sparse.is_empty() => None,
            _ => self.sparse.get(idx),
        }
    }

    pub(super) fn contains_key(&self, idx: &u64) -> bool {
        self.get(idx).is_some()
    }

    /// Stores `value` at `idx`, returning what was there.
    pub(super) fn insert(&mut self, idx: u64, value: V) -> Option<V> {
        let old = self.remove(&idx);
        match Self::slot(idx).filter(|&i| i < 2 * self.len + SLACK) {
            // The next index, as in every export read in order.
            Some(i) if i == self.dense.len() => self.dense.push(Some(value)),
            Some(i) => {
                self.dense.resize_with(i + 1, || None);
                if let Some(slot) = self.dense.get_mut(i) {
                    *slot = Some(value);
                }
            }
            None => {
                self.sparse.insert(idx, value);
            }
        }
        self.len += 1;
        old
    }

    pub(super) fn remove(&mut self, idx: &u64) -> Option<V> {
        let taken = match Self::slot(*idx).and_then(|i| self.dense.get_mut(i)) {
            Some(slot @ Some(_)) => slot.take(),
            _ if self.sparse.is_empty() => None,
            _ => self.sparse.remove(idx),
        };
        if taken.is_some() {
            self.len -= 1;
        }
        taken
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dense_sparse_and_huge_indices_behave_like_a_map() {
        let mut table = IndexTable::default();
        let mut model = std::collections::HashMap::new();
        let keys = [3, 0, 1, 5_000_000, u64::MAX, 3, 70_000, 2, 5_000_000, 1];
        for (n, &k) in keys.iter().enumerate() {
            assert_eq!(table.insert(k, n), model.insert(k, n), "insert {k}");
            assert_eq!(table.len(), model.len());
        }
        for k in [0, 1, 2, 3, 4, 70_000, 5_000_000, u64::MAX, 99] {
            assert_eq!(table.get(&k), model.get(&k), "get {k}");
        }
        for k in [3, 5_000_000, 4] {
            assert_eq!(table.remove(&k), model.remove(&k), "remove {k}");
            assert_eq!(table.contains_key(&k), model.contains_key(&k));
        }
        assert_eq!(table.len(), model.len());
        assert!(table.dense.len() <= 2 * keys.len() + SLACK);
    }
}
