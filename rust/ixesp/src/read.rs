//! The validating `.ixesp` reader. Every failure names the byte offset where
//! the file stops making sense.

use crate::{Block, Profile, ShapeError, CHECKSUM_BYTES, RECORD_BYTES};
use ix_base::format::{IXESP_MAGIC, IXESP_VERSION};
use std::path::Path;

/// Why bytes are not a valid `.ixesp` profile.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("byte 0: not an .ixesp file (bad magic)")]
    Magic,
    #[error("byte 8: unsupported .ixesp version {0} (this build reads version {IXESP_VERSION})")]
    Version(u32),
    #[error("byte {offset}: file ends inside the {what} ({len} bytes in all)")]
    Truncated {
        offset: u64,
        what: &'static str,
        len: u64,
    },
    #[error("byte {offset}: CSR offset {value} of row {row} is out of order (must start at 0, never decrease, end at E = {edges})")]
    Offset {
        offset: u64,
        row: u64,
        value: u64,
        edges: u64,
    },
    #[error("byte {offset}: producer id {id} is not below the block count {blocks}")]
    ProducerId { offset: u64, id: u32, blocks: u32 },
    #[error("byte {offset}: {extra} trailing bytes after the checksum")]
    Trailing { offset: u64, extra: u64 },
    #[error("byte {offset}: block record {index}: {reason}")]
    Block {
        offset: u64,
        index: usize,
        reason: ShapeError,
    },
    #[error("byte {offset}: checksum mismatch: the file is damaged or was edited")]
    Checksum { offset: u64 },
}

/// A bounds-checked little-endian cursor.
struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, count: usize, what: &'static str) -> Result<&'a [u8], ReadError> {
        let end = self
            .pos
            .checked_add(count)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(ReadError::Truncated {
                offset: self.pos as u64,
                what,
                len: self.bytes.len() as u64,
            });
        };
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    fn array<const N: usize>(&mut self, what: &'static str) -> Result<[u8; N], ReadError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u32(&mut self, what: &'static str) -> Result<u32, ReadError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &'static str) -> Result<u64, ReadError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }
}

pub(crate) fn read_file(path: &Path) -> Result<Profile, ReadError> {
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(ReadError::Io(std::io::Error::other(
            "is a directory, not an .ixesp file",
        )));
    }
    parse(&ix_base::mmap::map(&file)?)
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Profile, ReadError> {
    let mut cur = Cursor { bytes, pos: 0 };
    if cur.array::<8>("magic").ok() != Some(IXESP_MAGIC) {
        return Err(ReadError::Magic);
    }
    let version = cur.u32("version")?;
    if version != IXESP_VERSION {
        return Err(ReadError::Version(version));
    }
    let n = cur.u32("block count")?;
    // Check the records fit before allocating for them, so a forged count
    // cannot make us reserve gigabytes.
    let records = cur.take(n as usize * RECORD_BYTES, "block records")?;
    let blocks: Vec<Block> = records
        .chunks_exact(RECORD_BYTES)
        .map(parse_block)
        .collect();
    crate::check_blocks(&blocks).map_err(|reason| {
        let index = match reason {
            ShapeError::Duplicate { index }
            | ShapeError::Unordered { index }
            | ShapeError::HeartbeatOverflow { index } => index,
            _ => 0,
        };
        ReadError::Block {
            offset: (16 + index * RECORD_BYTES) as u64,
            index,
            reason,
        }
    })?;
    let edges = cur.u64("edge count")?;
    let offsets_start = cur.pos as u64;
    let offset_bytes = cur.take((n as usize + 1) * 8, "CSR offsets")?;
    let offsets: Vec<u64> = offset_bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
        .collect();
    check_offsets(&offsets, edges, offsets_start)?;
    let ids_start = cur.pos as u64;
    let remaining = (bytes.len() - cur.pos) as u64;
    if edges.checked_mul(4).is_none_or(|need| need > remaining) {
        return Err(ReadError::Truncated {
            offset: ids_start,
            what: "producer ids",
            len: bytes.len() as u64,
        });
    }
    let id_bytes = cur.take(edges as usize * 4, "producer ids")?;
    let mut producers = Vec::with_capacity(edges as usize);
    for (i, chunk) in id_bytes.chunks_exact(4).enumerate() {
        let id = u32::from_le_bytes(chunk.try_into().unwrap_or_default());
        if id >= n {
            return Err(ReadError::ProducerId {
                offset: ids_start + 4 * i as u64,
                id,
                blocks: n,
            });
        }
        producers.push(id);
    }
    let checksum_at = cur.pos;
    let checksum = cur.array::<CHECKSUM_BYTES>("checksum")?;
    if cur.pos != bytes.len() {
        return Err(ReadError::Trailing {
            offset: cur.pos as u64,
            extra: (bytes.len() - cur.pos) as u64,
        });
    }
    if ix_base::hash::hash(&bytes[..checksum_at]) != checksum {
        return Err(ReadError::Checksum {
            offset: checksum_at as u64,
        });
    }
    Ok(Profile {
        blocks,
        offsets,
        producers,
    })
}

fn parse_block(record: &[u8]) -> Block {
    let mut address = [0u8; 32];
    address.copy_from_slice(&record[..32]);
    let u64_at = |at: usize| u64::from_le_bytes(record[at..at + 8].try_into().unwrap_or_default());
    let u32_at = |at: usize| u32::from_le_bytes(record[at..at + 4].try_into().unwrap_or_default());
    Block {
        address,
        heartbeats: u64_at(32),
        size: u32_at(40),
        constants: u32_at(44),
    }
}

fn check_offsets(offsets: &[u64], edges: u64, start: u64) -> Result<(), ReadError> {
    let last = offsets.len() - 1;
    let mut previous = 0u64;
    for (row, &value) in offsets.iter().enumerate() {
        let bad = (row == 0 && value != 0)
            || value < previous
            || value > edges
            || (row == last && value != edges);
        if bad {
            return Err(ReadError::Offset {
                offset: start + 8 * row as u64,
                row: row as u64,
                value,
                edges,
            });
        }
        previous = value;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth;

    fn sample() -> Vec<u8> {
        synth::generate(&synth::Params {
            blocks: 40,
            ..synth::Params::default()
        })
        .to_bytes()
    }

    #[test]
    fn rejects_bad_magic_and_version() {
        let mut bytes = sample();
        bytes[0] = b'X';
        assert!(matches!(parse(&bytes), Err(ReadError::Magic)));
        let mut bytes = sample();
        bytes[8] = 1;
        assert!(matches!(parse(&bytes), Err(ReadError::Version(1))));
    }

    #[test]
    fn rejects_truncation_everywhere() {
        let bytes = sample();
        for len in 0..bytes.len() {
            assert!(
                parse(&bytes[..len]).is_err(),
                "prefix of {len} bytes accepted"
            );
        }
    }

    #[test]
    fn rejects_trailing_bytes() {
        let mut bytes = sample();
        let len = bytes.len() as u64;
        bytes.push(0);
        let err = parse(&bytes).unwrap_err();
        assert!(
            matches!(err, ReadError::Trailing { offset, extra: 1 } if offset == len),
            "{err}"
        );
    }

    #[test]
    fn rejects_bad_offsets_and_ids() {
        let profile = synth::generate(&synth::Params {
            blocks: 40,
            ..synth::Params::default()
        });
        let n = profile.block_count();
        let offsets_at = 16 + RECORD_BYTES * n + 8;
        // The first offset must be 0.
        let err = edited_error(profile.to_bytes(), |b| b[offsets_at] = 1);
        assert!(matches!(err, ReadError::Offset { row: 0, .. }), "{err}");
        assert!(err.to_string().starts_with(&format!("byte {offsets_at}:")));

        let ids_at = offsets_at + 8 * (n + 1);
        let err = edited_error(profile.to_bytes(), |b| {
            b[ids_at..ids_at + 4].copy_from_slice(&(n as u32).to_le_bytes())
        });
        assert!(
            matches!(err, ReadError::ProducerId { offset, .. } if offset == ids_at as u64),
            "{err}"
        );
    }

    /// The error `parse` gives for a profile's `bytes` after `edit`, with
    /// the checksum recomputed so that only the edit is wrong.
    fn edited_error(mut bytes: Vec<u8>, edit: impl FnOnce(&mut [u8])) -> ReadError {
        edit(&mut bytes);
        let body = bytes.len() - CHECKSUM_BYTES;
        let checksum = ix_base::hash::hash(&bytes[..body]);
        bytes[body..].copy_from_slice(&checksum);
        parse(&bytes).unwrap_err()
    }

    #[test]
    fn every_single_byte_flip_is_refused() {
        let bytes = sample();
        for at in 0..bytes.len() {
            for bit in [0x01u8, 0x80] {
                let mut flipped = bytes.clone();
                flipped[at] ^= bit;
                assert!(
                    parse(&flipped).is_err(),
                    "flip {bit:#x} at byte {at} accepted"
                );
            }
        }
        let body = bytes.len() - CHECKSUM_BYTES;
        let mut flipped = bytes.clone();
        flipped[16 + 32] ^= 1; // block 0's heartbeats: only the checksum notices
        let err = parse(&flipped).unwrap_err();
        assert!(
            matches!(err, ReadError::Checksum { offset } if offset == body as u64),
            "{err}"
        );
    }

    #[test]
    fn duplicate_blocks_and_heartbeat_overflow_are_refused() {
        let profile = Profile::from_rows(
            vec![crate::tests::block(1, 5), crate::tests::block(2, 6)],
            &[vec![], vec![0]],
        )
        .unwrap();
        type Edit = fn(&mut [u8]);
        type Reason = fn(&ShapeError) -> bool;
        let cases: [(&str, Edit, Reason); 2] = [
            (
                "block 0 twice",
                |b| b.copy_within(16..16 + 32, 16 + RECORD_BYTES),
                |r| matches!(r, ShapeError::Duplicate { .. }),
            ),
            (
                "block 0 at u64::MAX heartbeats",
                |b| b[16 + 32..16 + 40].copy_from_slice(&u64::MAX.to_le_bytes()),
                |r| matches!(r, ShapeError::HeartbeatOverflow { .. }),
            ),
        ];
        for (what, edit, expected) in cases {
            let err = edited_error(profile.to_bytes(), edit);
            let ReadError::Block {
                offset: 64,
                index: 1,
                reason,
            } = &err
            else {
                panic!("{what}: {err}");
            };
            assert!(expected(reason), "{what}: {err}");
        }
    }

    #[test]
    fn huge_counts_fail_without_allocating() {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&IXESP_MAGIC);
        bytes.extend_from_slice(&IXESP_VERSION.to_le_bytes());
        bytes.extend_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            parse(&bytes),
            Err(ReadError::Truncated { offset: 16, .. })
        ));
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&IXESP_MAGIC);
        bytes.extend_from_slice(&IXESP_VERSION.to_le_bytes());
        bytes.extend_from_slice(&0u32.to_le_bytes());
        bytes.extend_from_slice(&u64::MAX.to_le_bytes());
        bytes.extend_from_slice(&u64::MAX.to_le_bytes());
        assert!(matches!(parse(&bytes), Err(ReadError::Offset { .. })));
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = parse(&bytes);
        }
    }
}
