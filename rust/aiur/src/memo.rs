//! Query tables: rows keyed by a fixed-width vector of field elements.
//!
//! Keys and values live in flat arenas (row i at i·width), and an
//! open-addressing index maps key hashes to rows, so adding a row allocates
//! nothing per row: this is the executor's hot data structure.

use rustc_hash::FxHasher;
use std::hash::Hasher;

/// A memo table (function: key = arguments, values = outputs) or a memory
/// (key = stored contents, no separate values; the pointer is the row).
#[derive(Clone, Debug, Default)]
pub struct Table {
    key_width: usize,
    value_width: usize,
    keys: Vec<u64>,
    values: Vec<u64>,
    pub multiplicities: Vec<u64>,
    index: RowIndex,
}

impl Table {
    pub fn new(key_width: usize, value_width: usize) -> Self {
        Table {
            key_width,
            value_width,
            ..Table::default()
        }
    }

    pub fn rows(&self) -> usize {
        self.multiplicities.len()
    }

    /// Rows with nonzero multiplicity: the circuit height.
    pub fn height(&self) -> u64 {
        self.multiplicities.iter().filter(|&&m| m > 0).count() as u64
    }

    /// Total multiplicity beyond one per row: queries answered by an existing row.
    pub fn hits(&self) -> u64 {
        self.multiplicities.iter().sum::<u64>() - self.height()
    }

    pub fn key(&self, row: u32) -> &[u64] {
        let at = row as usize * self.key_width;
        &self.keys[at..at + self.key_width]
    }

    pub fn values(&self, row: u32) -> &[u64] {
        let at = row as usize * self.value_width;
        &self.values[at..at + self.value_width]
    }

    pub fn find(&self, key: &[u64]) -> Option<u32> {
        let hash = hash_key(key);
        self.index.find(hash, |row| self.key(row) == key)
    }

    /// Adds a row (the key must be absent) and returns its index.
    pub fn push(&mut self, key: &[u64], values: &[u64], multiplicity: u64) -> u32 {
        let row = self.multiplicities.len() as u32;
        self.keys.extend_from_slice(key);
        self.values.extend_from_slice(values);
        self.multiplicities.push(multiplicity);
        self.index.insert(hash_key(key), row);
        row
    }
}

fn hash_key(key: &[u64]) -> u64 {
    let mut h = FxHasher::default();
    for &x in key {
        h.write_u64(x);
    }
    // Fx leaves structured keys (small, sequential) clustered in the low bits
    // that pick the probe start; a final avalanche spreads them.
    let x = h.finish();
    let x = (x ^ (x >> 33)).wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^ (x >> 33)
}

/// Linear-probing index. A slot packs the hash's high 32 bits with row + 1
/// (0 = empty), so most mismatches are rejected without touching the keys;
/// full hashes are kept per row so growing never re-hashes keys.
#[derive(Clone, Debug, Default)]
struct RowIndex {
    slots: Vec<u64>,
    hashes: Vec<u64>,
}

impl RowIndex {
    #[inline]
    fn find(&self, hash: u64, mut matches: impl FnMut(u32) -> bool) -> Option<u32> {
        let mask = self.slots.len().checked_sub(1)?;
        let tag = hash >> 32;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            let row = (slot as u32).wrapping_sub(1);
            if slot >> 32 == tag && matches(row) {
                return Some(row);
            }
            at = (at + 1) & mask;
        }
    }

    /// Indexes `row`, which must be the next row number.
    fn insert(&mut self, hash: u64, row: u32) {
        self.hashes.push(hash);
        if self.hashes.len() * 2 > self.slots.len() {
            self.slots = vec![0; (self.slots.len() * 2).max(16)];
            for r in 0..self.hashes.len() as u32 {
                self.place(r);
            }
        } else {
            self.place(row);
        }
    }

    fn place(&mut self, row: u32) {
        let hash = self.hashes[row as usize];
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = (hash >> 32) << 32 | u64::from(row + 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_found_by_content() {
        let mut t = Table::new(2, 1);
        for i in 0..1000u64 {
            assert_eq!(t.push(&[i, i * 3], &[i + 7], 1), i as u32);
        }
        for i in 0..1000u64 {
            let row = t.find(&[i, i * 3]).unwrap();
            assert_eq!(row, i as u32);
            assert_eq!(t.values(row), [i + 7]);
            assert_eq!(t.key(row), [i, i * 3]);
        }
        assert_eq!(t.find(&[5, 16]), None);
        assert_eq!(Table::new(1, 0).find(&[0]), None);
    }
}
