//! Loading an environment and its manifest for shard checks. An `.ixe` with
//! metadata is mapped, not read: opening it checks the roots and indexes
//! the sections (`ixon::MappedEnv`), and a declaration is decompiled — its
//! blocks hashed and decoded — only when a shard needs it. A job's memory
//! and time follow its shard's closure, not the environment.

use super::roles::mentioned_names;
use super::ShardCheckError;
use crate::input::{invalid, is_ixe, load_lazy, InputError};
use ix_lean::{Declaration, ExportMeta, Name, NamePart};
use ix_shard::manifest::{Manifest, Shard};
use ixon::meta::{Metadata, NameEntry, NameIdx};
use ixon::{Address, ConstantInfo, IxonEnv, MappedEnv};
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// An environment with a manifest that belongs to it. Declarations (named
/// entries, by index in the export order) are decompiled when a shard first
/// needs them, each once.
pub struct ShardedEnv {
    pub(super) ixe: MappedEnv,
    pub manifest: Manifest,
    pub env_path: PathBuf,
    pub(super) catalog: Catalog,
    /// The exporter header, which every shard's environment carries.
    pub(super) export_meta: ExportMeta,
    decompiled: Vec<OnceLock<Box<Result<Loaded, String>>>>,
    /// Each name of the table, resolved once: declarations share their
    /// names, so the kernel compares them by pointer.
    resolved: Vec<OnceLock<Name>>,
}

/// A declaration decompiled, with the declarations it mentions (as
/// `roles::mentioned_names` finds them, resolved once here since every
/// shard that loads it asks): in its types, and in its types and values.
pub(super) struct Loaded {
    pub(super) decl: Declaration,
    pub(super) mentions: [Vec<usize>; 2],
}

/// The entries indexed by name and by home block, read off the metadata
/// index without decompiling anything.
pub(super) struct Catalog {
    /// (name reference, entry) for every declared name, sorted: a name's
    /// declarations are a run, in entry order.
    by_name: Vec<(NameIdx, usize)>,
    /// (home block, entry) for every home of every entry, sorted, unique.
    by_home: Vec<(Address, u32)>,
    /// The entries of each name that more than one entry claims.
    duplicates: FxHashMap<NameIdx, Vec<usize>>,
    /// Entries declaring a name the kernel accelerates (primitive candidates).
    pub(super) primitive: Vec<bool>,
    /// Every Ixon projection by home block: (block, projection), sorted.
    projections: Vec<(Address, Address)>,
}

/// Loads `env` and `manifest` and checks that the manifest partitions the
/// environment's blocks.
pub fn load_sharded(env_path: &Path, manifest_path: &Path) -> Result<ShardedEnv, ShardCheckError> {
    let ixe = open_env(env_path)?;
    let manifest_file = manifest_path.display().to_string();
    let manifest = Manifest::read_file(manifest_path).map_err(|e| ShardCheckError::Manifest {
        file: manifest_file.clone(),
        message: e.to_string(),
    })?;
    check_partition(&ixe, &manifest, env_path).map_err(|message| ShardCheckError::Manifest {
        file: manifest_file,
        message,
    })?;
    let export_meta = export_meta(&ixe).map_err(|e| invalid(env_path, e))?;
    // The catalog numbers entries in 32 bits (its largest table).
    if u32::try_from(ixe.entry_count()).is_err() {
        return Err(invalid(env_path, "more declarations than this reader indexes").into());
    }
    let catalog = Catalog::new(&ixe);
    Ok(ShardedEnv {
        catalog,
        decompiled: (0..ixe.entry_count()).map(|_| OnceLock::new()).collect(),
        resolved: (0..=ixe.names().len()).map(|_| OnceLock::new()).collect(),
        export_meta,
        ixe,
        manifest,
        env_path: env_path.to_path_buf(),
    })
}

/// Checks that the manifest partitions the environment's blocks: every
/// block it names is one, each is owned by exactly one shard, and every
/// assumption is owned. A job relies on this as much as on the file: it
/// tells projections from blocks by their headers, which only projections'
/// hashes bind, so a damaged projection would pass for a block no shard
/// owns, and is refused here.
fn check_partition(ixe: &MappedEnv, manifest: &Manifest, env: &Path) -> Result<(), String> {
    let mut owned: Vec<([u8; 32], u32)> = manifest
        .shards
        .iter()
        .flat_map(|s| s.members.iter().map(|m| (*m, s.id)))
        .collect();
    owned.sort_unstable_by_key(|(m, _)| Address(*m));
    if let Some(w) = owned.windows(2).find(|w| w[0].0 == w[1].0) {
        return Err(format!(
            "block {} is owned by shards {} and {}",
            Address(w[0].0).hex(),
            w[0].1,
            w[1].1
        ));
    }
    let (mut stray, unowned) = first_mismatches(&owned, ixe.blocks());
    let is_owned = |a: &[u8; 32]| {
        owned
            .binary_search_by_key(&Address(*a), |(m, _)| Address(*m))
            .is_ok()
    };
    for s in &manifest.shards {
        if let Some(f) = s.foreign.iter().find(|f| !is_owned(f)) {
            stray.get_or_insert((s.id, *f));
        }
    }
    if let Some((shard, block)) = stray {
        return Err(format!(
            "does not belong to {}: shard {shard} names block {}, which is not in the environment",
            env.display(),
            Address(block).hex()
        ));
    }
    match unowned {
        Some(block) => Err(format!("block {} is owned by no shard", block.hex())),
        None => Ok(()),
    }
}

/// Walks the sorted owned blocks (with their owners) and the environment's
/// blocks side by side: the first owned block the environment lacks (with
/// its owner), and the first environment block no shard owns.
fn first_mismatches(
    owned: &[([u8; 32], u32)],
    blocks: impl Iterator<Item = Address>,
) -> (Option<(u32, [u8; 32])>, Option<Address>) {
    let (mut stray, mut unowned) = (None, None);
    let mut blocks = blocks.peekable();
    for (member, shard) in owned {
        while let Some(block) = blocks.next_if(|b| b.0 < *member) {
            unowned.get_or_insert(block);
        }
        if blocks.next_if(|b| b.0 == *member).is_none() {
            stray.get_or_insert((*shard, *member));
        }
    }
    if let Some(block) = blocks.next() {
        unowned.get_or_insert(block);
    }
    (stray, unowned)
}

/// An `.ixe` with metadata, mapped; anything else (NDJSON, an anonymous
/// `.ixe`) loaded as `load_lazy` names it and indexed in memory, so every
/// input takes the same path from here on.
fn open_env(path: &Path) -> Result<MappedEnv, InputError> {
    if is_ixe(path)? {
        let ixe = MappedEnv::open(path)?;
        if ixe.has_metadata() {
            return Ok(ixe);
        }
    }
    let bytes = load_lazy(path)?.compiled.env.to_bytes();
    Ok(MappedEnv::from_bytes(bytes, &path.display().to_string())?)
}

/// The exporter header, from the comments (decompiling an environment of
/// comments alone gives exactly its header).
fn export_meta(ixe: &MappedEnv) -> Result<ExportMeta, String> {
    let comments = IxonEnv {
        meta: Metadata {
            comments: ixe.comments().to_vec(),
            ..Default::default()
        },
        ..Default::default()
    };
    Ok(ix_import::decompile(&comments)
        .map_err(|e| e.to_string())?
        .meta)
}

impl Catalog {
    fn new(ixe: &MappedEnv) -> Catalog {
        let mut by_name: Vec<(NameIdx, usize)> = (0..ixe.entry_count())
            .flat_map(|i| ixe.declared(i).iter().map(move |(n, _)| (*n, i)))
            .collect();
        by_name.sort_unstable();
        let mut projections: Vec<(Address, Address)> =
            ixe.projections().map(|(p, block)| (block, p)).collect();
        projections.sort_unstable();
        let candidates = primitive_candidates(ixe);
        Catalog {
            by_home: by_home(ixe, &by_name),
            by_name,
            duplicates: duplicates(ixe),
            primitive: (0..ixe.entry_count())
                .map(|i| ixe.declared(i).iter().any(|(n, _)| candidates.contains(n)))
                .collect(),
            projections,
        }
    }

    /// The entries declaring name `n`, in entry order.
    fn declarations(&self, n: NameIdx) -> impl Iterator<Item = usize> + '_ {
        let start = self.by_name.partition_point(|(m, _)| *m < n);
        self.by_name[start..]
            .iter()
            .take_while(move |(m, _)| *m == n)
            .map(|(_, i)| *i)
    }

    /// The entry a reference to name `n` resolves to (the later one for a
    /// name declared twice).
    pub(super) fn entry_of(&self, n: NameIdx) -> Option<usize> {
        self.declarations(n).last()
    }

    /// The home block of name `n`: that of the address its last
    /// declaration gives it (a projection's block, or the constant itself).
    fn home_of_name(&self, ixe: &MappedEnv, n: NameIdx) -> Option<Address> {
        Some(ixe.home(&declared_address(ixe, self.entry_of(n)?, n)?))
    }

    /// The entries with a name homed in `block`.
    pub(super) fn homed_in(&self, block: Address) -> impl Iterator<Item = usize> + '_ {
        let start = self.by_home.partition_point(|(b, _)| *b < block);
        self.by_home[start..]
            .iter()
            .take_while(move |(b, _)| *b == block)
            .map(|(_, i)| *i as usize)
    }

    /// Every entry of each name `names` holds that more than one entry claims.
    pub(super) fn duplicates_of(&self, n: NameIdx) -> &[usize] {
        self.duplicates
            .get(&n)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// (home block, entry) for every home of every entry, sorted, unique. Every
/// declaration of a name is homed where its last declaration's address is
/// (as a reference to the name resolves to its last declaration).
fn by_home(ixe: &MappedEnv, by_name: &[(NameIdx, usize)]) -> Vec<(Address, u32)> {
    let mut by_home = Vec::with_capacity(by_name.len());
    for group in by_name.chunk_by(|a, b| a.0 == b.0) {
        let home = group
            .last()
            .and_then(|(n, last)| declared_address(ixe, *last, *n))
            .map(|a| ixe.home(&a));
        if let Some(home) = home {
            // Entries fit in 32 bits: `load_sharded` checked.
            by_home.extend(group.iter().map(|(_, i)| (home, *i as u32)));
        }
    }
    by_home.sort_unstable();
    by_home.dedup();
    by_home
}

/// The entries of each name that more than one entry claims.
fn duplicates(ixe: &MappedEnv) -> FxHashMap<NameIdx, Vec<usize>> {
    let mut claims: Vec<(NameIdx, usize)> = (0..ixe.entry_count())
        .flat_map(|i| claimed_names(ixe, i).into_iter().map(move |n| (n, i)))
        .collect();
    claims.sort_unstable();
    claims.dedup();
    claims
        .chunk_by(|a, b| a.0 == b.0)
        .filter(|group| group.len() > 1)
        .map(|group| (group[0].0, group.iter().map(|(_, i)| *i).collect()))
        .collect()
}

/// The address entry `i` declares name `n` with (the later one, should it
/// declare `n` twice).
fn declared_address(ixe: &MappedEnv, i: usize, n: NameIdx) -> Option<Address> {
    ixe.declared(i)
        .iter()
        .rev()
        .find(|(m, _)| *m == n)
        .map(|(_, a)| *a)
}

/// The names of the table the kernel may accelerate. Every such name is
/// `Nat.x` (`ix_kernel::primitive::is_candidate`), so only `Nat`'s children
/// are resolved and asked.
fn primitive_candidates(ixe: &MappedEnv) -> FxHashSet<NameIdx> {
    let Some(nat) = find_string(ixe, 0, "Nat") else {
        return FxHashSet::default();
    };
    let nat_name = Name::from_dotted("Nat");
    ixe.names()
        .children(nat)
        .filter(|&k| {
            let child = match ixe.names().get(k) {
                Some(NameEntry::Str { blob, .. }) => ixe
                    .blobs()
                    .get(&blob)
                    .and_then(|b| std::str::from_utf8(b).ok())
                    .map(|s| nat_name.str(s)),
                Some(NameEntry::Num { n, .. }) => Some(nat_name.num(n)),
                None => None,
            };
            child.is_some_and(|c| ix_kernel::primitive::is_candidate(&c))
        })
        .collect()
}

/// The reference of `prefix.s` in the names table, if it has one.
fn find_string(ixe: &MappedEnv, prefix: NameIdx, s: &str) -> Option<NameIdx> {
    let blob = Address::hash(s.as_bytes());
    ixe.names().find(&NameEntry::Str { prefix, blob })
}

/// The reference of `name` in the names table, if it has one.
fn find_ref(ixe: &MappedEnv, name: &Name) -> Option<NameIdx> {
    name.components()
        .iter()
        .try_fold(0, |prefix, part| match part {
            NamePart::Str(s) => find_string(ixe, prefix, s),
            NamePart::Num(n) => ixe.names().find(&NameEntry::Num { prefix, n: *n }),
        })
}

/// The names entry `i` claims in the kernel: its own, plus the `T.rec` the
/// kernel generates for each inductive type (the exporter may name its
/// recursors otherwise), so that collisions with them are seen. A `T.rec`
/// that is not in the names table collides with no declared name.
pub(super) fn claimed_names(ixe: &MappedEnv, i: usize) -> Vec<NameIdx> {
    let declared = ixe.declared(i);
    let recursors = declared
        .iter()
        .take(ixe.type_count(i))
        .filter_map(|(t, _)| find_string(ixe, *t, "rec"));
    declared.iter().map(|(n, _)| *n).chain(recursors).collect()
}

impl ShardedEnv {
    pub fn env_root(&self) -> Option<[u8; 32]> {
        self.ixe.root().map(|a| a.0)
    }

    pub fn named_root(&self) -> [u8; 32] {
        self.ixe.named_root().0
    }

    pub(super) fn shard(&self, k: u32) -> Result<&Shard, ShardCheckError> {
        self.manifest.shards.get(k as usize).ok_or_else(|| {
            ShardCheckError::Usage(format!(
                "shard {k} does not exist: the manifest has {} shards (0 to {})",
                self.manifest.shards.len(),
                self.manifest.shards.len().saturating_sub(1)
            ))
        })
    }

    /// The shard count.
    pub fn shard_count(&self) -> u32 {
        self.manifest.shards.len() as u32
    }

    /// How many declarations (named entries) the environment has.
    pub(super) fn entry_count(&self) -> usize {
        self.ixe.entry_count()
    }

    /// The Ixon constants whose home block the shard owns: each member
    /// block and its projections.
    pub(super) fn owned_constants(&self, shard: &Shard) -> Vec<[u8; 32]> {
        let projections = &self.catalog.projections;
        let mut owned = Vec::new();
        for block in &shard.members {
            owned.push(*block);
            let start = projections.partition_point(|(b, _)| b.0 < *block);
            owned.extend(
                projections[start..]
                    .iter()
                    .take_while(|(b, _)| b.0 == *block)
                    .map(|(_, p)| p.0),
            );
        }
        owned
    }

    /// How many names entry `i` declares whose home is one of `members`.
    pub(super) fn names_homed_among(&self, i: usize, members: &FxHashSet<[u8; 32]>) -> usize {
        self.ixe
            .declared(i)
            .iter()
            .filter(|(n, _)| {
                self.catalog
                    .home_of_name(&self.ixe, *n)
                    .is_some_and(|h| members.contains(&h.0))
            })
            .count()
    }

    /// The shards that own a home block of declaration `index`.
    pub fn owners_of(&self, index: usize) -> Vec<u32> {
        let homes: Vec<[u8; 32]> = self
            .ixe
            .declared(index)
            .iter()
            .filter_map(|(n, _)| self.catalog.home_of_name(&self.ixe, *n).map(|h| h.0))
            .collect();
        self.manifest
            .shards
            .iter()
            .filter(|s| homes.iter().any(|h| s.members.binary_search(h).is_ok()))
            .map(|s| s.id)
            .collect()
    }

    /// Total declared names and Ixon constants, what the shards must cover.
    pub fn totals(&self) -> (usize, usize) {
        let names = (0..self.entry_count())
            .map(|i| self.ixe.declared(i).len())
            .sum();
        (names, self.ixe.addresses().len())
    }

    /// How many declarations have been decompiled so far, of how many: a
    /// shard's check decompiles its closure only.
    pub fn decompiled(&self) -> (usize, usize) {
        let done = self.decompiled.iter().filter(|d| d.get().is_some()).count();
        (done, self.decompiled.len())
    }

    /// Declaration `i`, decompiled the first time any shard asks for it.
    pub(super) fn decl(&self, i: usize) -> Result<&Loaded, ShardCheckError> {
        let decompiled = self.decompiled.get(i).ok_or_else(|| {
            ShardCheckError::Input(invalid(&self.env_path, format!("no declaration {i}")))
        })?;
        let loaded = decompiled.get_or_init(|| Box::new(self.load(i)));
        match &**loaded {
            Ok(d) => Ok(d),
            Err(e) => Err(ShardCheckError::Input(invalid(&self.env_path, e.clone()))),
        }
    }

    /// Declaration `i` decompiled, with what it mentions.
    fn load(&self, i: usize) -> Result<Loaded, String> {
        let decl = self.decompile(i)?;
        let mentions = [false, true].map(|with_values| {
            let mut entries: Vec<usize> = mentioned_names(&decl, with_values)
                .iter()
                .filter_map(|n| self.catalog.entry_of(find_ref(&self.ixe, n)?))
                .collect();
            entries.sort_unstable();
            entries.dedup();
            entries
        });
        Ok(Loaded { decl, mentions })
    }

    /// Decompiles entry `i` from an environment of its own: the entry (its
    /// name references renumbered to the names it refers to, resolved), its
    /// constants (each hashed as it is decoded) and the blobs those use,
    /// with every declaration of those names as the scope it is checked
    /// against.
    fn decompile(&self, i: usize) -> Result<Declaration, String> {
        let mut entry = self.ixe.entry(i).map_err(|e| e.to_string())?;
        let referred = RefCell::new(FxHashSet::default());
        entry.map_names(|n| {
            referred.borrow_mut().insert(n);
            n
        });
        let mut needed: Vec<NameIdx> = referred.into_inner().into_iter().collect();
        needed.sort_unstable();
        let local: FxHashMap<NameIdx, NameIdx> = (1..).zip(&needed).map(|(l, g)| (*g, l)).collect();
        entry.map_names(|n| local.get(&n).copied().unwrap_or(0));
        let names = std::iter::once(Ok(Name::anonymous()))
            .chain(needed.iter().map(|g| self.name(*g)))
            .collect::<Result<Vec<Name>, String>>()?;
        let mut blobs = std::collections::BTreeMap::new();
        let consts = self.entry_constants(&entry.decl)?;
        for c in consts.values() {
            for r in &c.refs {
                if let Some(bytes) = self.ixe.blobs().get(r) {
                    blobs.insert(*r, bytes.clone());
                }
            }
        }
        let history: FxHashMap<u64, Vec<(usize, Address)>> = (1..)
            .zip(&needed)
            .map(|(l, g)| (l, self.history(*g)))
            .filter(|(_, all)| !all.is_empty())
            .collect();
        let env = IxonEnv {
            blobs,
            consts,
            meta: Metadata {
                decls: vec![entry],
                ..Default::default()
            },
            ..Default::default()
        };
        ix_import::decompile_entry(&env, &names, i, &history).map_err(|e| e.to_string())
    }

    /// Name `n` of the table (a reference: 0 is anonymous), resolved once
    /// for all declarations. Its unresolved prefixes are resolved first,
    /// root to leaf, without recursion (a name may be very long).
    fn name(&self, n: NameIdx) -> Result<Name, String> {
        let table = self.ixe.names();
        let mut chain = Vec::new();
        let mut at = n;
        let mut known = Name::anonymous();
        while at != 0 {
            let cached = self.resolved.get(at as usize).and_then(OnceLock::get);
            if let Some(name) = cached {
                known = name.clone();
                break;
            }
            let entry = table
                .get(at)
                .ok_or_else(|| format!("name reference {at} out of range"))?;
            let prefix = match &entry {
                NameEntry::Str { prefix, .. } | NameEntry::Num { prefix, .. } => *prefix,
            };
            chain.push((at, entry));
            at = prefix;
        }
        for (at, entry) in chain.into_iter().rev() {
            let name = match entry {
                NameEntry::Str { blob, .. } => {
                    let bytes = self.ixe.blobs().get(&blob).ok_or_else(|| {
                        format!("name {at}: string blob {} is missing", blob.short_hex(16))
                    })?;
                    let s =
                        std::str::from_utf8(bytes).map_err(|_| format!("name {at}: not UTF-8"))?;
                    known.str(s)
                }
                NameEntry::Num { n, .. } => known.num(n),
            };
            known = match self.resolved.get(at as usize) {
                Some(cell) => cell.get_or_init(|| name).clone(),
                None => name,
            };
        }
        Ok(known)
    }

    /// Every declaration of name `n`, as (entry, address), in entry order.
    fn history(&self, n: NameIdx) -> Vec<(usize, Address)> {
        let mut entries: Vec<usize> = self.catalog.declarations(n).collect();
        entries.dedup();
        entries
            .into_iter()
            .flat_map(|e| {
                self.ixe
                    .declared(e)
                    .iter()
                    .filter(move |(m, _)| *m == n)
                    .map(move |(_, a)| (e, *a))
            })
            .collect()
    }

    /// The constants an entry's metadata points at (a definition's block
    /// too, when it is a projection of one), decoded and hashed.
    fn entry_constants(
        &self,
        decl: &ixon::meta::DeclMeta,
    ) -> Result<std::collections::BTreeMap<Address, ixon::Constant>, String> {
        use ixon::meta::DeclMeta;
        let mut wanted: Vec<Address> = match decl {
            DeclMeta::Axiom { addr, .. }
            | DeclMeta::Quot { addr, .. }
            | DeclMeta::Defn { addr, .. } => vec![*addr],
            DeclMeta::Inductive {
                block, rec_block, ..
            } => block.iter().chain(rec_block).copied().collect(),
        };
        let mut consts = std::collections::BTreeMap::new();
        while let Some(address) = wanted.pop() {
            // A missing constant is the decompiler's to report, as ever.
            let Some(index) = self.ixe.index_of(&address) else {
                continue;
            };
            let constant = self.ixe.constant(index).map_err(|e| e.to_string())?;
            if let ConstantInfo::DPrj { block, .. } = &constant.info {
                wanted.push(*block);
            }
            consts.insert(address, constant);
        }
        Ok(consts)
    }
}
