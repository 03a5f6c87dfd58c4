//! The metadata names table: interning Lean names while compiling, then the
//! canonical breadth-first sorted table (see `ixon::meta`).

use ix_lean::{Name, NamePart};
use ixon::meta::{NameEntry, NameIdx};
use ixon::Address;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;

/// A name component's sort key within the table: (kind, blob address, number).
type ComponentKey = (u8, [u8; 32], u64);

/// Names used by the metadata, with provisional ids (0 = anonymous).
#[derive(Default)]
pub struct NameInterner {
    ids: FxHashMap<Name, NameIdx>,
    names: Vec<Name>,
}

impl NameInterner {
    /// The provisional id of `name` (its prefixes are interned when the
    /// table is built).
    pub fn id(&mut self, name: &Name) -> NameIdx {
        if name.is_anonymous() {
            return 0;
        }
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        self.names.push(name.clone());
        let id = self.names.len() as NameIdx;
        self.ids.insert(name.clone(), id);
        id
    }

    /// Builds the canonical table; returns it, the string blobs it needs, and
    /// the map from provisional ids to final references.
    pub fn finish(self) -> (Vec<NameEntry>, Vec<Vec<u8>>, Vec<NameIdx>) {
        // Every name and all its prefixes, as a trie keyed by component.
        let mut children: FxHashMap<Name, BTreeMap<ComponentKey, Name>> = FxHashMap::default();
        let mut blobs: BTreeMap<Address, Vec<u8>> = BTreeMap::new();
        let mut seen: FxHashMap<Name, ()> = FxHashMap::default();
        for name in &self.names {
            let mut cur = name.clone();
            while !cur.is_anonymous() && seen.insert(cur.clone(), ()).is_none() {
                let key = match cur.last() {
                    Some(NamePart::Str(s)) => {
                        let addr = Address::hash(s.as_bytes());
                        blobs.insert(addr, s.as_bytes().to_vec());
                        (0, addr.0, 0)
                    }
                    Some(NamePart::Num(n)) => (1, [0; 32], *n),
                    None => break,
                };
                children
                    .entry(cur.prefix())
                    .or_default()
                    .insert(key, cur.clone());
                cur = cur.prefix();
            }
        }
        // Breadth-first from the anonymous root: ascending (prefix, kind, component).
        let mut table = Vec::new();
        let mut final_ref: FxHashMap<Name, NameIdx> = FxHashMap::default();
        let mut queue = std::collections::VecDeque::from([(Name::anonymous(), 0u64)]);
        while let Some((parent, parent_ref)) = queue.pop_front() {
            let Some(kids) = children.get(&parent) else {
                continue;
            };
            for ((kind, blob, n), child) in kids {
                table.push(if *kind == 0 {
                    NameEntry::Str {
                        prefix: parent_ref,
                        blob: Address(*blob),
                    }
                } else {
                    NameEntry::Num {
                        prefix: parent_ref,
                        n: *n,
                    }
                });
                let r = table.len() as NameIdx;
                final_ref.insert(child.clone(), r);
                queue.push_back((child.clone(), r));
            }
        }
        let mut remap = vec![0; self.names.len() + 1];
        for (i, name) in self.names.iter().enumerate() {
            remap[i + 1] = final_ref.get(name).copied().unwrap_or(0);
        }
        (table, blobs.into_values().collect(), remap)
    }
}

/// Resolves a decoded names table to Lean names (index 0 = anonymous).
pub fn resolve_table(
    table: &[NameEntry],
    blobs: &std::collections::BTreeMap<Address, Vec<u8>>,
) -> Result<Vec<Name>, String> {
    let mut out = Vec::with_capacity(table.len() + 1);
    out.push(Name::anonymous());
    for (i, entry) in table.iter().enumerate() {
        let name = match entry {
            NameEntry::Str { prefix, blob } => {
                let bytes = blobs.get(blob).ok_or(format!(
                    "name {i}: string blob {} is missing",
                    blob.short_hex(16)
                ))?;
                let s = std::str::from_utf8(bytes).map_err(|_| format!("name {i}: not UTF-8"))?;
                prefix_of(&out, *prefix, i)?.str(s)
            }
            NameEntry::Num { prefix, n } => prefix_of(&out, *prefix, i)?.num(*n),
        };
        out.push(name);
    }
    Ok(out)
}

fn prefix_of(done: &[Name], prefix: NameIdx, i: usize) -> Result<&Name, String> {
    done.get(prefix as usize)
        .ok_or(format!("name {i}: prefix {prefix} is not an earlier entry"))
}
