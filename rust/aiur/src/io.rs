//! The IO buffer: prover-supplied data in channels, entries found by key.

use rustc_hash::FxHashMap;

/// `data: channel → values`, `index: (channel, key) → (start, len)`.
#[derive(Clone, Debug, Default)]
pub struct IoBuffer {
    data: FxHashMap<u64, Vec<u64>>,
    index: FxHashMap<(u64, Vec<u64>), (u64, u64)>,
}

impl IoBuffer {
    /// Appends `values` to `channel` under `key` (a later insert of the same key wins).
    pub fn insert(&mut self, channel: u64, key: Vec<u64>, values: &[u64]) {
        let data = self.data.entry(channel).or_default();
        let start = data.len() as u64;
        data.extend_from_slice(values);
        self.index
            .insert((channel, key), (start, values.len() as u64));
    }

    /// The (start, len) of a keyed entry.
    pub fn info(&self, channel: u64, key: &[u64]) -> Option<(u64, u64)> {
        self.index.get(&(channel, key.to_vec())).copied()
    }

    /// `len` values of `channel` from `start`.
    pub fn read(&self, channel: u64, start: u64, len: usize) -> Option<&[u64]> {
        let data = self.data.get(&channel)?;
        let start = usize::try_from(start).ok()?;
        data.get(start..start.checked_add(len)?)
    }
}
