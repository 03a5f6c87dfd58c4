//! The `.ixes` shard manifest (little-endian, versioned):
//!
//! 1. magic `IXES\0\0\0\0`, u32 version;
//! 2. u128 total cross-shard ingress, u32 shard count;
//! 3. per shard: u32 id, u64 heartbeats, u64 own size, u64 cross ingress,
//!    the assumption root (u8 flag + 32 bytes, zero when absent), u32 count +
//!    member addresses (ascending), u32 count + foreign addresses (ascending);
//! 4. optionally (when bytes remain) the bisection tree in preorder:
//!    `00` + u32 leaf | `01` left right, whose leaves are exactly the shard ids.
//!
//! The reader is strict: it re-checks every invariant the writer guarantees
//! (ids in order, sorted and disjoint members, foreign sets disjoint from the
//! shard's own members, roots that match the foreign sets, totals that add
//! up, a tree over exactly the shard ids) and names the byte offset of the
//! first violation.

use crate::Tree;
use ix_base::format::{IXES_MAGIC, IXES_VERSION};
use ix_base::merkle::merkle_root;
use ixesp::Profile;
use std::collections::HashSet;
use std::path::Path;

/// Deeper trees are refused by the reader (recursive bisection gives about
/// log2 N; the bound keeps hostile input from exhausting the stack).
const MAX_TREE_DEPTH: usize = 256;

/// One shard of the manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    pub id: u32,
    pub heartbeats: u64,
    pub own_size: u64,
    pub cross_ingress: u64,
    pub assumption_root: Option<[u8; 32]>,
    pub members: Vec<[u8; 32]>,
    pub foreign: Vec<[u8; 32]>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    pub total_ingress: u128,
    pub shards: Vec<Shard>,
    pub tree: Option<Tree>,
}

/// Why bytes are not a valid manifest.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("byte {offset}: {message}")]
    Invalid { offset: u64, message: String },
}

fn invalid(offset: usize, message: impl Into<String>) -> ManifestError {
    ManifestError::Invalid {
        offset: offset as u64,
        message: message.into(),
    }
}

impl Manifest {
    /// The manifest of `parts` (one shard id per block of `profile`).
    pub fn build(
        profile: &Profile,
        parts: &[u32],
        shard_count: u32,
        tree: Option<Tree>,
    ) -> Manifest {
        let blocks = profile.blocks();
        let k = shard_count as usize;
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); k];
        let mut foreign: Vec<Vec<u32>> = vec![Vec::new(); k];
        for (b, &s) in parts.iter().enumerate() {
            members[s as usize].push(b as u32);
            for &p in profile.producers_of(b) {
                if parts[p as usize] != s {
                    foreign[s as usize].push(p);
                }
            }
        }
        let by_address = |ids: &mut Vec<u32>| -> Vec<[u8; 32]> {
            ids.sort_unstable();
            ids.dedup();
            let mut addresses: Vec<[u8; 32]> =
                ids.iter().map(|&b| blocks[b as usize].address).collect();
            addresses.sort_unstable();
            addresses
        };
        let shards: Vec<Shard> = (0..k)
            .map(|s| {
                let heartbeats = members[s]
                    .iter()
                    .map(|&b| blocks[b as usize].heartbeats)
                    .sum();
                let own_size = members[s]
                    .iter()
                    .map(|&b| u64::from(blocks[b as usize].size))
                    .sum();
                foreign[s].sort_unstable();
                foreign[s].dedup();
                let cross_ingress = foreign[s]
                    .iter()
                    .map(|&b| u64::from(blocks[b as usize].size))
                    .sum();
                let foreign_addresses = by_address(&mut foreign[s]);
                Shard {
                    id: s as u32,
                    heartbeats,
                    own_size,
                    cross_ingress,
                    assumption_root: merkle_root(foreign_addresses.iter().copied()),
                    members: by_address(&mut members[s]),
                    foreign: foreign_addresses,
                }
            })
            .collect();
        let total_ingress = shards.iter().map(|s| u128::from(s.cross_ingress)).sum();
        Manifest {
            total_ingress,
            shards,
            tree,
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(&IXES_MAGIC);
        out.extend_from_slice(&IXES_VERSION.to_le_bytes());
        out.extend_from_slice(&self.total_ingress.to_le_bytes());
        out.extend_from_slice(&(self.shards.len() as u32).to_le_bytes());
        for shard in &self.shards {
            out.extend_from_slice(&shard.id.to_le_bytes());
            out.extend_from_slice(&shard.heartbeats.to_le_bytes());
            out.extend_from_slice(&shard.own_size.to_le_bytes());
            out.extend_from_slice(&shard.cross_ingress.to_le_bytes());
            out.push(u8::from(shard.assumption_root.is_some()));
            out.extend_from_slice(&shard.assumption_root.unwrap_or([0; 32]));
            for list in [&shard.members, &shard.foreign] {
                out.extend_from_slice(&(list.len() as u32).to_le_bytes());
                for address in list {
                    out.extend_from_slice(address);
                }
            }
        }
        if let Some(tree) = &self.tree {
            write_tree(tree, &mut out);
        }
        out
    }

    pub fn write_file(&self, path: &Path) -> std::io::Result<()> {
        ix_base::write_atomic(path, &self.to_bytes())
    }

    pub fn read_file(path: &Path) -> Result<Manifest, ManifestError> {
        parse(&std::fs::read(path)?)
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<Manifest, ManifestError> {
        parse(bytes)
    }
}

fn write_tree(tree: &Tree, out: &mut Vec<u8>) {
    match tree {
        Tree::Leaf(id) => {
            out.push(0);
            out.extend_from_slice(&id.to_le_bytes());
        }
        Tree::Node(left, right) => {
            out.push(1);
            write_tree(left, out);
            write_tree(right, out);
        }
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn take(&mut self, count: usize, what: &str) -> Result<&'a [u8], ManifestError> {
        match self
            .pos
            .checked_add(count)
            .filter(|&end| end <= self.bytes.len())
        {
            Some(end) => {
                let slice = &self.bytes[self.pos..end];
                self.pos = end;
                Ok(slice)
            }
            None => Err(invalid(self.pos, format!("file ends inside the {what}"))),
        }
    }

    fn array<const N: usize>(&mut self, what: &str) -> Result<[u8; N], ManifestError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.take(N, what)?);
        Ok(out)
    }

    fn u32(&mut self, what: &str) -> Result<u32, ManifestError> {
        Ok(u32::from_le_bytes(self.array(what)?))
    }

    fn u64(&mut self, what: &str) -> Result<u64, ManifestError> {
        Ok(u64::from_le_bytes(self.array(what)?))
    }

    /// A count-prefixed list of strictly ascending addresses.
    fn addresses(&mut self, what: &str) -> Result<Vec<[u8; 32]>, ManifestError> {
        let count = self.u32(&format!("{what} count"))? as usize;
        let start = self.pos;
        let raw = self.take(count.saturating_mul(32), what)?;
        let list: Vec<[u8; 32]> = raw
            .chunks_exact(32)
            .map(|c| c.try_into().unwrap_or([0; 32]))
            .collect();
        if let Some(i) = list.windows(2).position(|w| w[0] >= w[1]) {
            return Err(invalid(
                start + 32 * (i + 1),
                format!("{what} addresses are not strictly ascending"),
            ));
        }
        Ok(list)
    }
}

fn parse(bytes: &[u8]) -> Result<Manifest, ManifestError> {
    let mut cur = Cursor { bytes, pos: 0 };
    if cur.array::<8>("magic").ok() != Some(IXES_MAGIC) {
        return Err(invalid(0, "not an .ixes manifest (bad magic)"));
    }
    let version = cur.u32("version")?;
    if version != IXES_VERSION {
        return Err(invalid(
            8,
            format!("unsupported .ixes version {version} (this build reads {IXES_VERSION})"),
        ));
    }
    let total_ingress = u128::from_le_bytes(cur.array("total ingress")?);
    let count = cur.u32("shard count")?;
    let mut shards = Vec::new();
    let mut owner: HashSet<[u8; 32]> = HashSet::new();
    for expected in 0..count {
        let at = cur.pos;
        let shard = parse_shard(&mut cur)?;
        if shard.id != expected {
            return Err(invalid(
                at,
                format!("shard id {} where {expected} was expected", shard.id),
            ));
        }
        for address in &shard.members {
            if !owner.insert(*address) {
                return Err(invalid(
                    at,
                    format!("shard {expected} lists a block another shard already owns"),
                ));
            }
        }
        shards.push(shard);
    }
    for shard in &shards {
        let own: HashSet<&[u8; 32]> = shard.members.iter().collect();
        if shard
            .foreign
            .iter()
            .any(|a| own.contains(a) || !owner.contains(a))
        {
            return Err(invalid(
                cur.pos,
                format!(
                    "shard {}: a foreign block is its own or no shard's",
                    shard.id
                ),
            ));
        }
    }
    let sum: u128 = shards.iter().map(|s| u128::from(s.cross_ingress)).sum();
    if sum != total_ingress {
        return Err(invalid(
            12,
            format!("total ingress {total_ingress} is not the shards' sum {sum}"),
        ));
    }
    let tree = if cur.pos == bytes.len() {
        None
    } else {
        Some(parse_tree(&mut cur, count)?)
    };
    if cur.pos != bytes.len() {
        return Err(invalid(
            cur.pos,
            format!("{} trailing bytes", bytes.len() - cur.pos),
        ));
    }
    Ok(Manifest {
        total_ingress,
        shards,
        tree,
    })
}

fn parse_shard(cur: &mut Cursor) -> Result<Shard, ManifestError> {
    let id = cur.u32("shard id")?;
    let heartbeats = cur.u64("heartbeats")?;
    let own_size = cur.u64("own size")?;
    let cross_ingress = cur.u64("cross ingress")?;
    let flag_at = cur.pos;
    let flag = cur.array::<1>("root flag")?[0];
    let root: [u8; 32] = cur.array("assumption root")?;
    let assumption_root = match flag {
        0 if root == [0; 32] => None,
        1 => Some(root),
        _ => {
            return Err(invalid(
                flag_at,
                "assumption root flag must be 0 (with zero bytes) or 1",
            ))
        }
    };
    let members = cur.addresses("member")?;
    let foreign = cur.addresses("foreign")?;
    if merkle_root(foreign.iter().copied()) != assumption_root {
        return Err(invalid(
            flag_at,
            format!("shard {id}: assumption root does not match its foreign blocks"),
        ));
    }
    Ok(Shard {
        id,
        heartbeats,
        own_size,
        cross_ingress,
        assumption_root,
        members,
        foreign,
    })
}

fn parse_tree(cur: &mut Cursor, count: u32) -> Result<Tree, ManifestError> {
    let start = cur.pos;
    let tree = parse_subtree(cur, 0)?;
    let leaves = tree.leaves();
    let mut sorted = leaves.clone();
    sorted.sort_unstable();
    if sorted != (0..count).collect::<Vec<u32>>() {
        return Err(invalid(
            start,
            "the bisection tree's leaves are not exactly the shard ids",
        ));
    }
    Ok(tree)
}

fn parse_subtree(cur: &mut Cursor, depth: usize) -> Result<Tree, ManifestError> {
    if depth > MAX_TREE_DEPTH {
        return Err(invalid(
            cur.pos,
            format!("bisection tree deeper than {MAX_TREE_DEPTH}"),
        ));
    }
    let at = cur.pos;
    match cur.array::<1>("tree")?[0] {
        0 => Ok(Tree::Leaf(cur.u32("tree leaf")?)),
        1 => {
            let left = parse_subtree(cur, depth + 1)?;
            let right = parse_subtree(cur, depth + 1)?;
            Ok(Tree::Node(Box::new(left), Box::new(right)))
        }
        tag => Err(invalid(
            at,
            format!("tree tag {tag} (expected 0 = leaf or 1 = node)"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ixesp::Block;

    fn profile() -> Profile {
        let block = |i: u8, hb| Block {
            address: [i; 32],
            heartbeats: hb,
            size: u32::from(i) * 100,
            constants: 1,
        };
        // 1 and 2 unfold 0; 3 unfolds 1 and 2.
        Profile::from_rows(
            vec![block(1, 10), block(2, 20), block(3, 30), block(4, 40)],
            &[vec![], vec![0], vec![0], vec![1, 2]],
        )
        .unwrap()
    }

    fn sample() -> Manifest {
        let tree = Tree::Node(Box::new(Tree::Leaf(0)), Box::new(Tree::Leaf(1)));
        Manifest::build(&profile(), &[0, 0, 1, 1], 2, Some(tree))
    }

    #[test]
    fn build_lists_cross_shard_producers() {
        let m = sample();
        assert_eq!(m.shards[0].members, vec![[1; 32], [2; 32]]);
        assert_eq!(m.shards[0].foreign, Vec::<[u8; 32]>::new());
        assert_eq!(m.shards[0].assumption_root, None);
        // Shard 1 = {2, 3}: 2 unfolds 0, 3 unfolds 1 (2 is its own).
        assert_eq!(m.shards[1].foreign, vec![[1; 32], [2; 32]]);
        assert_eq!(m.shards[1].cross_ingress, 100 + 200);
        assert_eq!(m.shards[1].heartbeats, 70);
        assert_eq!(m.shards[1].own_size, 300 + 400);
        assert_eq!(m.total_ingress, 300);
        assert_eq!(m.shards[1].assumption_root, merkle_root([[1; 32], [2; 32]]));
    }

    #[test]
    fn round_trips_with_and_without_tree() {
        let m = sample();
        assert_eq!(Manifest::from_bytes(&m.to_bytes()).unwrap(), m);
        let no_tree = Manifest { tree: None, ..m };
        assert_eq!(Manifest::from_bytes(&no_tree.to_bytes()).unwrap(), no_tree);
    }

    #[test]
    fn strict_reader_rejects_tampering() {
        let bytes = sample().to_bytes();
        for len in 0..bytes.len() {
            // Cutting the tree short can leave a shorter valid file only at
            // the boundary where the whole tree is gone.
            let tree_start = bytes.len() - 11;
            if len != tree_start {
                assert!(
                    Manifest::from_bytes(&bytes[..len]).is_err(),
                    "prefix {len} accepted"
                );
            }
        }
        let mut bad = bytes.clone();
        bad[12] ^= 1; // total ingress
        assert!(Manifest::from_bytes(&bad)
            .unwrap_err()
            .to_string()
            .contains("shards' sum"));
        let mut bad = bytes.clone();
        let last = bad.len() - 1;
        bad[last - 4] = 7; // a leaf id
        assert!(Manifest::from_bytes(&bad).is_err());
        let mut bad = bytes.clone();
        bad.push(0);
        assert!(Manifest::from_bytes(&bad).is_err());
        let mut bad = bytes;
        bad[0] = b'X';
        assert_eq!(
            Manifest::from_bytes(&bad).unwrap_err().to_string(),
            "byte 0: not an .ixes manifest (bad magic)"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            let _ = Manifest::from_bytes(&bytes);
        }
    }
}
