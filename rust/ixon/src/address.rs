//! 32-byte blake3 addresses and the canonical merkle root over sets of them.

use std::cmp::Ordering;
use std::fmt;

/// A blake3 hash: of a constant's serialized bytes, or of a blob's raw bytes.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Address(pub [u8; 32]);

/// Byte order, with the first eight bytes compared as one word: addresses
/// are uniformly random, so that word almost always decides, and readers
/// sort and search them by the million.
impl Ord for Address {
    fn cmp(&self, other: &Address) -> Ordering {
        self.head()
            .cmp(&other.head())
            .then_with(|| self.0.cmp(&other.0))
    }
}

impl PartialOrd for Address {
    fn partial_cmp(&self, other: &Address) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Address {
    /// The first eight bytes, big-endian: the address's order as a word.
    pub(crate) fn head(&self) -> u64 {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        u64::from_be_bytes([a, b, c, d, e, f, g, h])
    }

    pub fn hash(bytes: &[u8]) -> Address {
        Address(ix_base::hash::hash(bytes))
    }

    pub fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Parses exactly 64 hex digits (either case); anything else is `None`.
    pub fn from_hex(s: &str) -> Option<Address> {
        let digits = s.as_bytes();
        if digits.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(digits.chunks_exact(2)) {
            let digit = |d: u8| (d as char).to_digit(16);
            *byte = (digit(pair[0])? * 16 + digit(pair[1])?) as u8;
        }
        Some(Address(out))
    }

    /// The first `n` hex digits (for synthetic names and short displays).
    pub fn short_hex(&self, n: usize) -> String {
        let mut s = self.hex();
        s.truncate(n);
        s
    }
}

impl fmt::Debug for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.short_hex(16))
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.hex())
    }
}

/// The canonical merkle root over a set of addresses
/// ([`ix_base::merkle::merkle_root`]); `None` for an empty set.
pub fn merkle_root_canonical(addresses: &[Address]) -> Option<Address> {
    ix_base::merkle::merkle_root(addresses.iter().map(|a| a.0)).map(Address)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_rejects_anything_else() {
        let a = Address::hash(b"x");
        assert_eq!(Address::from_hex(&a.hex()), Some(a));
        assert_eq!(Address::from_hex(&a.hex().to_uppercase()), Some(a));
        assert_eq!(Address::from_hex(&a.hex()[..62]), None);
        assert_eq!(Address::from_hex(&format!("{}00", a.hex())), None);
        assert_eq!(Address::from_hex(&format!("{}g", &a.hex()[..63])), None);
        // 64 bytes, but a multi-byte character: no panic, just None.
        assert_eq!(Address::from_hex(&format!("{}é", &a.hex()[..62])), None);
    }
}
