//! Integer tags (Tag4, Tag2, Tag0) and the byte cursor every decoder uses.
//!
//! A tag packs a small value into its header byte; larger values follow as
//! minimal little-endian bytes. Decoding is strict: a value that fits the
//! small form must use it, and a large form must not carry a zero top byte.

use crate::error::DecodeError;

/// Minimal little-endian bytes of `v` (no zero top byte; empty for 0).
fn trimmed_le(v: u64) -> ([u8; 8], usize) {
    let bytes = v.to_le_bytes();
    let len = 8 - (v.leading_zeros() as usize / 8);
    (bytes, len)
}

/// Writes a tag whose header has `size_bits` low bits for the value (above
/// them the large bit, above that `flag`).
fn put_tag(out: &mut Vec<u8>, flag: u8, size_bits: u32, value: u64) {
    let small_limit = 1u64 << size_bits;
    // Tag0 has no flag bits (shift 8), so compute in u32.
    let flag_bits = (u32::from(flag) << (size_bits + 1)) as u8;
    if value < small_limit {
        out.push(flag_bits | value as u8);
    } else {
        let (bytes, len) = trimmed_le(value);
        out.push(flag_bits | (1 << size_bits) as u8 | (len as u8 - 1));
        out.extend_from_slice(&bytes[..len]);
    }
}

pub fn put_tag4(out: &mut Vec<u8>, flag: u8, value: u64) {
    put_tag(out, flag, 3, value)
}

pub fn put_tag2(out: &mut Vec<u8>, flag: u8, value: u64) {
    put_tag(out, flag, 5, value)
}

pub fn put_tag0(out: &mut Vec<u8>, value: u64) {
    put_tag(out, 0, 7, value)
}

/// A cursor over bytes that reports absolute byte offsets in its errors.
#[derive(Clone)]
pub struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
    /// Offset of `bytes[0]` in the enclosing file, for error messages.
    base: usize,
}

impl<'a> Cursor<'a> {
    pub fn new(bytes: &'a [u8], base: usize) -> Cursor<'a> {
        Cursor {
            bytes,
            pos: 0,
            base,
        }
    }

    /// Absolute offset of the next byte.
    pub fn offset(&self) -> usize {
        self.base + self.pos
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }

    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    pub fn error(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(self.offset(), message)
    }

    /// An error located at an earlier absolute offset.
    pub fn error_at(&self, offset: usize, message: impl Into<String>) -> DecodeError {
        DecodeError::new(offset, message)
    }

    pub fn byte(&mut self) -> Result<u8, DecodeError> {
        let b = *self
            .bytes
            .get(self.pos)
            .ok_or_else(|| self.error("unexpected end of data"))?;
        self.pos += 1;
        Ok(b)
    }

    pub fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    pub fn take(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        if n > self.remaining() {
            return Err(self.error(format!(
                "unexpected end of data: need {n} bytes, {} left",
                self.remaining()
            )));
        }
        let slice = &self.bytes[self.pos..self.pos + n];
        self.pos += n;
        Ok(slice)
    }

    pub fn address(&mut self) -> Result<crate::Address, DecodeError> {
        let bytes = self.take(32)?;
        let mut a = [0u8; 32];
        a.copy_from_slice(bytes);
        Ok(crate::Address(a))
    }

    /// Reads `count` bytes of minimal little-endian after a large header.
    fn large_value(&mut self, count: usize, header_at: usize) -> Result<u64, DecodeError> {
        let bytes = self.take(count)?;
        if bytes.last() == Some(&0) {
            return Err(self.error_at(header_at, "non-minimal tag: zero top byte"));
        }
        let mut buf = [0u8; 8];
        buf[..count].copy_from_slice(bytes);
        Ok(u64::from_le_bytes(buf))
    }

    /// Reads a tag with `size_bits` value bits; returns (flag, value).
    fn tag(&mut self, size_bits: u32) -> Result<(u8, u64), DecodeError> {
        let at = self.offset();
        let header = self.byte()?;
        let flag = (u32::from(header) >> (size_bits + 1)) as u8;
        let large = header & (1 << size_bits) != 0;
        let size = u64::from(header) & ((1u64 << size_bits) - 1);
        if !large {
            return Ok((flag, size));
        }
        let count = size as usize + 1;
        if count > 8 {
            return Err(self.error_at(at, "tag value wider than 8 bytes"));
        }
        let value = self.large_value(count, at)?;
        if value < (1u64 << size_bits) {
            return Err(self.error_at(at, "non-minimal tag: value fits the small form"));
        }
        Ok((flag, value))
    }

    pub fn tag4(&mut self) -> Result<(u8, u64), DecodeError> {
        self.tag(3)
    }

    pub fn tag2(&mut self) -> Result<(u8, u64), DecodeError> {
        self.tag(5)
    }

    pub fn tag0(&mut self) -> Result<u64, DecodeError> {
        Ok(self.tag(7)?.1)
    }

    /// A Tag0 count of items that each take at least one byte: bounded by
    /// what is left, so a corrupt count cannot trigger a huge allocation.
    pub fn count(&mut self) -> Result<usize, DecodeError> {
        let at = self.offset();
        let n = self.tag0()?;
        if n > self.remaining() as u64 {
            return Err(self.error_at(at, format!("count {n} exceeds the remaining data")));
        }
        Ok(n as usize)
    }

    /// A [`Cursor::count`], then that many items, each read by `item`.
    pub fn counted<T>(
        &mut self,
        mut item: impl FnMut(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<Vec<T>, DecodeError> {
        let n = self.count()?;
        let mut items = Vec::with_capacity(n);
        for _ in 0..n {
            items.push(item(self)?);
        }
        Ok(items)
    }

    /// A Tag0 value that must fit in `u32`-sized fields.
    pub fn tag0_u32(&mut self) -> Result<u32, DecodeError> {
        let at = self.offset();
        let v = self.tag0()?;
        u32::try_from(v).map_err(|_| self.error_at(at, format!("value {v} exceeds u32")))
    }

    pub fn expect_end(&self) -> Result<(), DecodeError> {
        if self.remaining() != 0 {
            return Err(self.error(format!("{} trailing bytes", self.remaining())));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_and_large_forms() {
        let mut out = Vec::new();
        put_tag0(&mut out, 127);
        put_tag0(&mut out, 128);
        put_tag4(&mut out, 0xD, 7);
        put_tag4(&mut out, 0xD, 8);
        put_tag2(&mut out, 3, u64::MAX);
        assert_eq!(out[..4], [0x7F, 0x80, 0x80, 0xD7]);
        let mut c = Cursor::new(&out, 0);
        assert_eq!(c.tag0().unwrap(), 127);
        assert_eq!(c.tag0().unwrap(), 128);
        assert_eq!(c.tag4().unwrap(), (0xD, 7));
        assert_eq!(c.tag4().unwrap(), (0xD, 8));
        assert_eq!(c.tag2().unwrap(), (3, u64::MAX));
        c.expect_end().unwrap();
    }

    #[test]
    fn non_minimal_forms_are_rejected() {
        // 5 in the large form, and 0x100 with a zero top byte.
        for bytes in [&[0x80u8, 0x05][..], &[0x82, 0x00, 0x01, 0x00]] {
            let e = Cursor::new(bytes, 10).tag0().unwrap_err();
            assert!(e.to_string().contains("non-minimal"), "{e}");
            assert_eq!(e.offset, 10);
        }
    }
}
