//! The canonical merkle root over a set of addresses (`docs/IXON.md` §6):
//! the root of a shard's owned and assumed constants and of an environment.

use crate::hash::hash_parts;

/// Root over a set of 32-byte addresses: sort and de-duplicate; a leaf is
/// blake3(`00` ‖ address), a node blake3(`01` ‖ left ‖ right); a level with an
/// odd count pairs its last node with 32 zero bytes; one leaf gives its leaf
/// hash; an empty set has no root (`None`).
pub fn merkle_root(addresses: impl IntoIterator<Item = [u8; 32]>) -> Option<[u8; 32]> {
    let mut sorted: Vec<[u8; 32]> = addresses.into_iter().collect();
    sorted.sort_unstable();
    sorted.dedup();
    let mut level: Vec<[u8; 32]> = sorted
        .iter()
        .map(|address| hash_parts(&[&[0x00], address]))
        .collect();
    while level.len() > 1 {
        level = level
            .chunks(2)
            .map(|pair| {
                let right = pair.get(1).copied().unwrap_or([0u8; 32]);
                hash_parts(&[&[0x01], &pair[0], &right])
            })
            .collect();
    }
    level.first().copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn leaf(a: &[u8; 32]) -> [u8; 32] {
        hash_parts(&[&[0], a])
    }
    fn node(l: &[u8; 32], r: &[u8; 32]) -> [u8; 32] {
        hash_parts(&[&[1], l, r])
    }

    #[test]
    fn empty_and_single() {
        assert_eq!(merkle_root([]), None);
        assert_eq!(merkle_root([[7; 32]]), Some(leaf(&[7; 32])));
        assert_eq!(merkle_root([[7; 32], [7; 32]]), Some(leaf(&[7; 32])));
    }

    #[test]
    fn order_free_and_padded() {
        let (a, b, c) = ([1u8; 32], [2u8; 32], [3u8; 32]);
        let expected = node(&node(&leaf(&a), &leaf(&b)), &node(&leaf(&c), &[0; 32]));
        assert_eq!(merkle_root([c, a, b]), Some(expected));
        assert_eq!(merkle_root([b, c, a, c]), Some(expected));
        assert_eq!(merkle_root([b, a]), Some(node(&leaf(&a), &leaf(&b))));
    }
}
