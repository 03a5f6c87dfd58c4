//! The `.ixesp` profile file: per-block heartbeats, serialized sizes and the
//! delta-unfold graph (consumer → producers, CSR), as `docs/PROFILE_SHARD.md`
//! specifies it.
//!
//! The profiler writes it; the partitioner (`ix-shard`) reads it. This crate has
//! no kernel dependency, so the partitioner never pulls the kernel in.
//!
//! Layout (little-endian):
//!
//! | offset | field |
//! |---|---|
//! | 0 | magic `IXESP\0\0\0` |
//! | 8 | u32 version (2) |
//! | 12 | u32 n (blocks) |
//! | 16 | n × 48-byte records: address\[32\], heartbeats u64, size u32, constant count u32 |
//! | 16 + 48n | u64 E (edges) |
//! | … | (n + 1) × u64 CSR row offsets |
//! | … | E × u32 producer ids |
//! | … | BLAKE3 of every byte before it (32 bytes) |
//!
//! Block records are in strictly ascending address order (so no block is
//! listed twice) and their heartbeats sum to less than 2^64, so every sum over
//! blocks a partitioner takes is exact.

mod read;
pub mod synth;

pub use read::ReadError;

use ix_base::format::{IXESP_MAGIC, IXESP_VERSION};
use std::path::Path;

/// Bytes of one block record.
pub const RECORD_BYTES: usize = 48;
/// Bytes of the trailing BLAKE3 checksum.
pub const CHECKSUM_BYTES: usize = 32;

/// One block: a mutual block (or a lone constant), the unit of sharding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Block {
    /// The block's content address (blake3 of its serialized bytes).
    pub address: [u8; 32],
    /// Kernel fuel its members spent while being checked.
    pub heartbeats: u64,
    /// Serialized byte length: what a shard pays to ingress it.
    pub size: u32,
    /// Number of checked constants whose home block this is.
    pub constants: u32,
}

/// A whole profile: blocks (ids = positions) and the delta-unfold graph as a
/// CSR adjacency from each consumer to the producers it unfolds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Profile {
    blocks: Vec<Block>,
    offsets: Vec<u64>,
    producers: Vec<u32>,
}

/// Why a set of arrays is not a well-formed profile.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ShapeError {
    #[error("{blocks} blocks need {} CSR offsets, got {offsets}", blocks + 1)]
    OffsetCount { blocks: usize, offsets: usize },
    #[error(
        "CSR offsets must start at 0, end at the edge count {edges} and never decrease (row {row})"
    )]
    Offsets { row: usize, edges: usize },
    #[error("producer id {id} of consumer {consumer} is not below the block count {blocks}")]
    ProducerId {
        consumer: usize,
        id: u32,
        blocks: usize,
    },
    #[error("more than 2^32 - 1 blocks")]
    TooManyBlocks,
    #[error("block {index} has the address of the block before it (the same block twice)")]
    Duplicate { index: usize },
    #[error("block {index} is not in ascending address order")]
    Unordered { index: usize },
    #[error("the blocks' heartbeats sum past 2^64 - 1 (at block {index})")]
    HeartbeatOverflow { index: usize },
}

/// The first block out of ascending address order, or whose heartbeats
/// carry the running total past `u64::MAX`.
pub(crate) fn check_blocks(blocks: &[Block]) -> Result<(), ShapeError> {
    if let Some(i) = blocks.windows(2).position(|w| w[0].address >= w[1].address) {
        let index = i + 1;
        return Err(if blocks[i].address == blocks[index].address {
            ShapeError::Duplicate { index }
        } else {
            ShapeError::Unordered { index }
        });
    }
    let mut total = 0u64;
    for (index, block) in blocks.iter().enumerate() {
        total = total
            .checked_add(block.heartbeats)
            .ok_or(ShapeError::HeartbeatOverflow { index })?;
    }
    Ok(())
}

impl Profile {
    /// Builds a profile from its arrays, checking the CSR shape and the ids.
    pub fn new(
        blocks: Vec<Block>,
        offsets: Vec<u64>,
        producers: Vec<u32>,
    ) -> Result<Self, ShapeError> {
        let n = blocks.len();
        if u32::try_from(n).is_err() {
            return Err(ShapeError::TooManyBlocks);
        }
        check_blocks(&blocks)?;
        if offsets.len() != n + 1 {
            return Err(ShapeError::OffsetCount {
                blocks: n,
                offsets: offsets.len(),
            });
        }
        let edges = producers.len();
        let bad_row = offsets
            .windows(2)
            .position(|w| w[0] > w[1])
            .map(|i| i + 1)
            .or_else(|| (offsets.first() != Some(&0)).then_some(0))
            .or_else(|| (offsets.last() != Some(&(edges as u64))).then_some(n));
        if let Some(row) = bad_row {
            return Err(ShapeError::Offsets { row, edges });
        }
        for consumer in 0..n {
            let (start, end) = (offsets[consumer] as usize, offsets[consumer + 1] as usize);
            if let Some(&id) = producers[start..end].iter().find(|&&id| id as usize >= n) {
                return Err(ShapeError::ProducerId {
                    consumer,
                    id,
                    blocks: n,
                });
            }
        }
        Ok(Profile {
            blocks,
            offsets,
            producers,
        })
    }

    /// Builds a profile from per-consumer producer lists.
    pub fn from_rows(blocks: Vec<Block>, rows: &[Vec<u32>]) -> Result<Self, ShapeError> {
        let mut offsets = Vec::with_capacity(rows.len() + 1);
        offsets.push(0u64);
        let mut producers = Vec::new();
        for row in rows {
            producers.extend_from_slice(row);
            offsets.push(producers.len() as u64);
        }
        Profile::new(blocks, offsets, producers)
    }

    pub fn blocks(&self) -> &[Block] {
        &self.blocks
    }

    pub fn block_count(&self) -> usize {
        self.blocks.len()
    }

    pub fn edge_count(&self) -> usize {
        self.producers.len()
    }

    /// The producers consumer `block` unfolds. Panics if `block` is out of range
    /// (ids come from this profile, never from input).
    pub fn producers_of(&self, block: usize) -> &[u32] {
        let start = self.offsets[block] as usize;
        let end = self.offsets[block + 1] as usize;
        &self.producers[start..end]
    }

    /// The CSR row offsets (n + 1 entries).
    pub fn offsets(&self) -> &[u64] {
        &self.offsets
    }

    /// All producer ids, row after row.
    pub fn producers(&self) -> &[u32] {
        &self.producers
    }

    /// The sum of every block's heartbeats (exact: a profile's total fits
    /// in a u64).
    pub fn total_heartbeats(&self) -> u64 {
        self.blocks.iter().map(|b| b.heartbeats).sum()
    }

    /// The exact byte length of the serialized profile.
    pub fn serialized_len(&self) -> usize {
        16 + RECORD_BYTES * self.blocks.len()
            + 8
            + 8 * self.offsets.len()
            + 4 * self.producers.len()
            + CHECKSUM_BYTES
    }

    /// Serializes the profile to its `.ixesp` bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.serialized_len());
        out.extend_from_slice(&IXESP_MAGIC);
        out.extend_from_slice(&IXESP_VERSION.to_le_bytes());
        out.extend_from_slice(&(self.blocks.len() as u32).to_le_bytes());
        for block in &self.blocks {
            out.extend_from_slice(&block.address);
            out.extend_from_slice(&block.heartbeats.to_le_bytes());
            out.extend_from_slice(&block.size.to_le_bytes());
            out.extend_from_slice(&block.constants.to_le_bytes());
        }
        out.extend_from_slice(&(self.producers.len() as u64).to_le_bytes());
        for offset in &self.offsets {
            out.extend_from_slice(&offset.to_le_bytes());
        }
        for id in &self.producers {
            out.extend_from_slice(&id.to_le_bytes());
        }
        let checksum = ix_base::hash::hash(&out);
        out.extend_from_slice(&checksum);
        out
    }

    /// Writes the profile atomically (temporary file + rename).
    pub fn write_file(&self, path: &Path) -> std::io::Result<()> {
        ix_base::write_atomic(path, &self.to_bytes())
    }

    /// Parses and validates `.ixesp` bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ReadError> {
        read::parse(bytes)
    }

    /// Reads and validates a `.ixesp` file (memory-mapped).
    pub fn read_file(path: &Path) -> Result<Self, ReadError> {
        read::read_file(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn block(i: u8, heartbeats: u64) -> Block {
        Block {
            address: [i; 32],
            heartbeats,
            size: 10 + i as u32,
            constants: 1,
        }
    }

    #[test]
    fn new_rejects_bad_shapes() {
        let blocks = vec![block(1, 5), block(2, 6)];
        assert!(matches!(
            Profile::new(blocks.clone(), vec![0, 1], vec![1]),
            Err(ShapeError::OffsetCount { .. })
        ));
        assert!(matches!(
            Profile::new(blocks.clone(), vec![0, 2, 1], vec![1]),
            Err(ShapeError::Offsets { row: 2, .. })
        ));
        assert!(matches!(
            Profile::new(blocks.clone(), vec![1, 1, 1], vec![1]),
            Err(ShapeError::Offsets { row: 0, .. })
        ));
        assert!(matches!(
            Profile::new(blocks.clone(), vec![0, 1, 1], vec![2]),
            Err(ShapeError::ProducerId {
                consumer: 0,
                id: 2,
                ..
            })
        ));
        let ok = Profile::new(blocks.clone(), vec![0, 0, 1], vec![0]).unwrap();
        assert_eq!(ok.producers_of(1), &[0]);
        assert_eq!(ok.producers_of(0), &[] as &[u32]);
        let twice = vec![block(1, 5), block(1, 5)];
        let err = Profile::new(twice, vec![0, 0, 0], vec![]).unwrap_err();
        assert_eq!(err, ShapeError::Duplicate { index: 1 });
        assert!(err.to_string().contains("the same block twice"), "{err}");
        let descending = vec![block(2, 5), block(1, 5)];
        assert_eq!(
            Profile::new(descending, vec![0, 0, 0], vec![]),
            Err(ShapeError::Unordered { index: 1 })
        );
        let heavy = vec![block(1, u64::MAX - 1), block(2, 2)];
        assert_eq!(
            Profile::new(heavy, vec![0, 0, 0], vec![]),
            Err(ShapeError::HeartbeatOverflow { index: 1 })
        );
    }

    #[test]
    fn bytes_round_trip() {
        let profile = Profile::from_rows(
            vec![block(1, 5), block(2, 6), block(3, 7)],
            &[vec![], vec![0], vec![0, 1]],
        )
        .unwrap();
        let bytes = profile.to_bytes();
        assert_eq!(bytes.len(), profile.serialized_len());
        assert_eq!(&bytes[..8], b"IXESP\0\0\0");
        assert_eq!(Profile::from_bytes(&bytes).unwrap(), profile);
    }

    #[test]
    fn file_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.ixesp");
        let profile = synth::generate(&synth::Params {
            blocks: 500,
            ..synth::Params::default()
        });
        profile.write_file(&path).unwrap();
        assert_eq!(Profile::read_file(&path).unwrap(), profile);
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
    }
}
