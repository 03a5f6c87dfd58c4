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
    fn head(&self) -> u64 {
        let [a, b, c, d, e, f, g, h, ..] = self.0;
        u64::from_be_bytes([a, b, c, d, e, f, g, h])
    }

    pub fn hash(bytes: &[u8]) -> Address {
        Address(*blake3::hash(bytes).as_bytes())
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

/// `merkle_root_canonical`: sorts and de-duplicates; leaf = blake3(00 ‖ a),
/// node = blake3(01 ‖ l ‖ r), an odd level pairs its last node with zeros.
/// `None` for an empty set.
pub fn merkle_root_canonical(addresses: &[Address]) -> Option<Address> {
    let mut sorted = addresses.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut level: Vec<[u8; 32]> = sorted
        .iter()
        .map(|a| {
            let mut h = blake3::Hasher::new();
            h.update(&[0]);
            h.update(&a.0);
            *h.finalize().as_bytes()
        })
        .collect();
    if level.is_empty() {
        return None;
    }
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| {
                let right = pair.get(1).copied().unwrap_or([0u8; 32]);
                let mut h = blake3::Hasher::new();
                h.update(&[1]);
                h.update(&pair[0]);
                h.update(&right);
                *h.finalize().as_bytes()
            })
            .collect();
    }
    Some(Address(level[0]))
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

    fn leaf(a: &Address) -> [u8; 32] {
        let mut v = vec![0u8];
        v.extend_from_slice(&a.0);
        *blake3::hash(&v).as_bytes()
    }

    #[test]
    fn root_shapes() {
        assert_eq!(merkle_root_canonical(&[]), None);
        let a = Address::hash(b"a");
        let b = Address::hash(b"b");
        let c = Address::hash(b"c");
        assert_eq!(merkle_root_canonical(&[a, a]), Some(Address(leaf(&a))));
        // Order and duplicates do not matter.
        let r1 = merkle_root_canonical(&[a, b, c]);
        let r2 = merkle_root_canonical(&[c, b, a, b]);
        assert_eq!(r1, r2);
        // Three leaves: the odd one pairs with zeros.
        let mut s = [a, b, c];
        s.sort();
        let node = |l: &[u8; 32], r: &[u8; 32]| {
            let mut v = vec![1u8];
            v.extend_from_slice(l);
            v.extend_from_slice(r);
            *blake3::hash(&v).as_bytes()
        };
        let left = node(&leaf(&s[0]), &leaf(&s[1]));
        let right = node(&leaf(&s[2]), &[0u8; 32]);
        assert_eq!(r1, Some(Address(node(&left, &right))));
    }
}
