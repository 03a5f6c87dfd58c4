//! blake3, the one hash of every ix format.

/// The blake3 hash of `bytes`.
pub fn hash(bytes: &[u8]) -> [u8; 32] {
    *blake3::hash(bytes).as_bytes()
}

/// The blake3 hash of `parts` laid end to end, without joining them first.
pub fn hash_parts(parts: &[&[u8]]) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new();
    for part in parts {
        hasher.update(part);
    }
    *hasher.finalize().as_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_hash_as_their_concatenation() {
        assert_eq!(hash_parts(&[b"ab", b"", b"c"]), hash(b"abc"));
        assert_eq!(hash_parts(&[]), hash(b""));
    }
}
