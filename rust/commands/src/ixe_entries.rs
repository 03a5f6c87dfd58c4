//! The named entries of a mapped `.ixe`, decompiled one at a time: a
//! shard job decompiles its closure, a whole check every entry in order.
//! Opening checks the roots and indexes the sections (`ixon::MappedEnv`);
//! an entry's blocks are hashed and decoded only when it is decompiled.

use crate::input::{invalid, is_ixe, load_lazy, InputError};
use ix_kernel::read::{ExportStream, SharedConversion};
use ix_lean::ndjson::ReadError;
use ix_lean::{Declaration, Name, NamePart};
use ixon::meta::{Metadata, NameEntry, NameIdx};
use ixon::{Address, ConstantInfo, EnvFileError, IxonEnv, MappedEnv};
use rayon::slice::ParallelSliceMut;
use rustc_hash::{FxHashMap, FxHashSet};
use std::cell::RefCell;
use std::path::Path;
use std::sync::Mutex;

/// Where each declared name lives: every home block (a constant that is
/// not a projection) with its serialized size, ascending by address, and
/// each entry's declared names with their home blocks.
pub struct Homes {
    pub blocks: Vec<(Address, u32)>,
    pub entries: Vec<Vec<(Name, Address)>>,
}

/// A mapped environment with its entries indexed, decompiling any entry
/// on demand.
pub struct IxeEntries {
    pub(crate) ixe: MappedEnv,
    pub(crate) catalog: Catalog,
    /// The names of the table resolved so far, each once: declarations
    /// share their names, so the kernel compares them by pointer. Kept by
    /// reference, not for every name: a shard job resolves a few.
    resolved: Mutex<FxHashMap<NameIdx, Name>>,
}

impl IxeEntries {
    /// Indexes the entries of `ixe` ([`Catalog::new`]).
    pub fn new(ixe: MappedEnv) -> Result<IxeEntries, String> {
        let catalog = Catalog::new(&ixe)?;
        Ok(IxeEntries::with_catalog(ixe, catalog))
    }

    /// The entries of `ixe` with their catalog, built already.
    pub(crate) fn with_catalog(ixe: MappedEnv, catalog: Catalog) -> IxeEntries {
        IxeEntries {
            catalog,
            resolved: Mutex::default(),
            ixe,
        }
    }

    /// Opens the environment at `path` for reading entry by entry: an
    /// `.ixe` with metadata is mapped; anything else is named and indexed
    /// in memory first (see [`open_env`]).
    pub fn open(path: &Path) -> Result<IxeEntries, InputError> {
        let ixe = open_env(path)?;
        IxeEntries::new(ixe).map_err(|e| invalid(path, e))
    }

    /// Each home block with its size, and each entry's names with their
    /// homes, read off the metadata without decompiling anything.
    pub fn homes(&self) -> Result<Homes, String> {
        let ixe = &self.ixe;
        let blocks = (0..ixe.addresses().len())
            .filter_map(|i| {
                let address = ixe.addresses()[i];
                (ixe.home(&address) == address).then(|| (address, ixe.size(i).unwrap_or(0)))
            })
            .map(|(address, size)| {
                let size = u32::try_from(size)
                    .map_err(|_| format!("block {} is larger than 4 GiB", address.hex()))?;
                Ok((address, size))
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut entries = Vec::with_capacity(self.len());
        for i in 0..self.len() {
            let names = ixe
                .declared(i)
                .map(|(n, _)| {
                    let home = self
                        .catalog
                        .home_of_name(ixe, n)
                        .ok_or_else(|| format!("named entry {i}: a name has no home block"))?;
                    Ok((self.name(n)?, home))
                })
                .collect::<Result<Vec<_>, String>>()?;
            entries.push(names);
        }
        Ok(Homes { blocks, entries })
    }

    /// Every entry in order, in kernel terms, read on a thread of its own
    /// (the checker adds each while later ones are decompiled); then every
    /// constant is verified, those no entry uses included, as a full read
    /// of the file would. `label` names the file in errors.
    pub fn stream(self, label: &str) -> Result<ExportStream, ReadError> {
        let file = label.to_string();
        ExportStream::spawn(label, move |sink| {
            let failed = |message: String| ReadError {
                file: file.clone(),
                line: 0,
                message,
            };
            let mut conversion = SharedConversion::default();
            for i in 0..self.len() {
                let decl = self.decompile(i).map_err(failed)?;
                sink.send(conversion.declaration(&decl));
            }
            self.ixe.verify_constants().map_err(|e| match e {
                EnvFileError::Decode { source, .. } => failed(source.to_string()),
                EnvFileError::Io { message, .. } => failed(message),
            })
        })
    }

    /// How many named entries (declarations) there are.
    pub fn len(&self) -> usize {
        self.ixe.entry_count()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Decompiles entry `i` from an environment of its own: the entry (its
    /// name references renumbered to the names it refers to, resolved), its
    /// constants (each hashed as it is decoded) and the blobs those use,
    /// with every declaration of those names as the scope it is checked
    /// against.
    pub fn decompile(&self, i: usize) -> Result<Declaration, String> {
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
                if let Some(bytes) = self.ixe.blob(r) {
                    blobs.insert(*r, bytes.to_vec());
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
        let mut resolved = self
            .resolved
            .lock()
            .map_err(|_| "name resolution stopped on an internal error".to_string())?;
        let mut chain = Vec::new();
        let mut at = n;
        let mut known = Name::anonymous();
        while at != 0 {
            if let Some(name) = resolved.get(&at) {
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
            known = match entry {
                NameEntry::Str { blob, .. } => {
                    let bytes = self.ixe.blob(&blob).ok_or_else(|| {
                        format!("name {at}: string blob {} is missing", blob.short_hex(16))
                    })?;
                    let s =
                        std::str::from_utf8(bytes).map_err(|_| format!("name {at}: not UTF-8"))?;
                    known.str(s)
                }
                NameEntry::Num { n, .. } => known.num(n),
            };
            resolved.insert(at, known.clone());
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
                    .filter(move |(m, _)| *m == n)
                    .map(move |(_, a)| (e, a))
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
            DeclMeta::Axiom { addr, .. } | DeclMeta::Quot { addr, .. } => vec![*addr],
            DeclMeta::Defn(d) => vec![d.addr],
            DeclMeta::Inductive(ind) => ind.block.iter().chain(&ind.rec_block).copied().collect(),
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

/// The entries indexed by name and by home block, read off the metadata
/// index without decompiling anything.
pub(crate) struct Catalog {
    /// (name reference, entry) for every declared name, sorted: a name's
    /// declarations are a run, in entry order. Both fit 32 bits (the names
    /// table and `Catalog::new` check), and a shard job keeps this for
    /// the whole environment.
    by_name: Vec<(u32, u32)>,
    /// (home block's constant index, entry) for every home of every entry
    /// that is a constant of the file, sorted, unique.
    by_home: Vec<(u32, u32)>,
    /// The entries of each name that more than one entry claims.
    duplicates: FxHashMap<NameIdx, Vec<usize>>,
    /// Entries declaring a name the kernel accelerates (primitive candidates).
    pub(crate) primitive: Vec<bool>,
    /// Every Ixon projection by home block: (block, projection), sorted.
    pub(crate) projections: Vec<(Address, Address)>,
}

impl Catalog {
    /// Builds the indexes side by side (rayon): they are independent, and
    /// a shard job waits for them all. Entries and constants are numbered
    /// in 32 bits, so more than that are refused.
    pub(crate) fn new(ixe: &MappedEnv) -> Result<Catalog, String> {
        if u32::try_from(ixe.entry_count()).is_err() {
            return Err("more declarations than this reader indexes".into());
        }
        if u32::try_from(ixe.addresses().len()).is_err() {
            return Err("more constants than this reader indexes".into());
        }
        let ((by_name, by_home), (duplicates, (primitive, projections))) = rayon::join(
            || {
                let count = (0..ixe.entry_count()).map(|i| ixe.declared(i).len()).sum();
                let mut by_name: Vec<(u32, u32)> = Vec::with_capacity(count);
                for i in 0..ixe.entry_count() as u32 {
                    // Name references fit: the names table is refused past 31 bits.
                    by_name.extend(ixe.declared(i as usize).map(|(n, _)| (n as u32, i)));
                }
                by_name.par_sort_unstable();
                let by_home = by_home(ixe, &by_name);
                (by_name, by_home)
            },
            || {
                rayon::join(
                    || duplicates(ixe),
                    || {
                        let candidates = primitive_candidates(ixe);
                        let primitive = (0..ixe.entry_count())
                            .map(|i| ixe.declared(i).any(|(n, _)| candidates.contains(&n)))
                            .collect();
                        let mut projections: Vec<(Address, Address)> =
                            ixe.projections().map(|(p, block)| (block, p)).collect();
                        projections.par_sort_unstable();
                        (primitive, projections)
                    },
                )
            },
        );
        Ok(Catalog {
            by_name,
            by_home,
            duplicates,
            primitive,
            projections,
        })
    }

    /// The entries declaring name `n`, in entry order.
    fn declarations(&self, n: NameIdx) -> impl Iterator<Item = usize> + '_ {
        let start = self.by_name.partition_point(|(m, _)| u64::from(*m) < n);
        self.by_name[start..]
            .iter()
            .take_while(move |(m, _)| u64::from(*m) == n)
            .map(|(_, i)| *i as usize)
    }

    /// The entry a reference to name `n` resolves to (the later one for a
    /// name declared twice).
    pub(crate) fn entry_of(&self, n: NameIdx) -> Option<usize> {
        self.declarations(n).last()
    }

    /// The home block of name `n`: that of the address its last
    /// declaration gives it (a projection's block, or the constant itself).
    pub(crate) fn home_of_name(&self, ixe: &MappedEnv, n: NameIdx) -> Option<Address> {
        Some(ixe.home(&declared_address(ixe, self.entry_of(n)?, n)?))
    }

    /// The entries with a name homed in `block`.
    pub(crate) fn homed_in(
        &self,
        ixe: &MappedEnv,
        block: Address,
    ) -> impl Iterator<Item = usize> + '_ {
        let homes = match ixe.index_of(&block) {
            Some(b) => {
                let b = b as u32;
                let start = self.by_home.partition_point(|(h, _)| *h < b);
                let len = self.by_home[start..].partition_point(|(h, _)| *h == b);
                &self.by_home[start..start + len]
            }
            None => &[],
        };
        homes.iter().map(|(_, i)| *i as usize)
    }

    /// Every entry of each name `names` holds that more than one entry claims.
    pub(crate) fn duplicates_of(&self, n: NameIdx) -> &[usize] {
        self.duplicates
            .get(&n)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }
}

/// (home block, entry) for every home of every entry, sorted, unique. Every
/// declaration of a name is homed where its last declaration's address is
/// (as a reference to the name resolves to its last declaration).
fn by_home(ixe: &MappedEnv, by_name: &[(u32, u32)]) -> Vec<(u32, u32)> {
    let mut by_home = Vec::with_capacity(by_name.len());
    for group in by_name.chunk_by(|a, b| a.0 == b.0) {
        let home = group
            .last()
            .and_then(|(n, last)| declared_address(ixe, *last as usize, u64::from(*n)))
            .and_then(|a| ixe.index_of(&ixe.home(&a)));
        if let Some(home) = home {
            // Constants fit in 32 bits: `Catalog::new` checked.
            by_home.extend(group.iter().map(|(_, i)| (home as u32, *i)));
        }
    }
    by_home.par_sort_unstable();
    // The entry first: it tells almost every pair apart, and in one word.
    by_home.dedup_by(|a, b| a.1 == b.1 && a.0 == b.0);
    by_home
}

/// The entries of each name that more than one entry claims.
fn duplicates(ixe: &MappedEnv) -> FxHashMap<NameIdx, Vec<usize>> {
    let mut claims: Vec<(NameIdx, usize)> = (0..ixe.entry_count())
        .flat_map(|i| claimed_names(ixe, i).into_iter().map(move |n| (n, i)))
        .collect();
    claims.par_sort_unstable();
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
    ixe.declared(i).rev().find(|(m, _)| *m == n).map(|(_, a)| a)
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
                    .blob(&blob)
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
pub(crate) fn find_ref(ixe: &MappedEnv, name: &Name) -> Option<NameIdx> {
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
pub(crate) fn claimed_names(ixe: &MappedEnv, i: usize) -> Vec<NameIdx> {
    let declared = ixe.declared(i);
    let recursors = declared
        .clone()
        .take(ixe.type_count(i))
        .filter_map(|(t, _)| find_string(ixe, t, "rec"));
    declared.map(|(n, _)| n).chain(recursors).collect()
}

/// An `.ixe` with metadata, mapped; anything else (NDJSON, an anonymous
/// `.ixe`) loaded as `load_lazy` names it and indexed in memory, so every
/// input takes the same path from here on.
pub(crate) fn open_env(path: &Path) -> Result<MappedEnv, InputError> {
    if is_ixe(path)? {
        let ixe = MappedEnv::open(path)?;
        if ixe.has_metadata() {
            return Ok(ixe);
        }
    }
    let bytes = load_lazy(path)?.compiled.env.to_bytes();
    Ok(MappedEnv::from_bytes(bytes, &path.display().to_string())?)
}
