//! Loading an environment and its manifest for shard checks. An `.ixe` with
//! metadata is mapped, not read: opening it checks the roots and indexes
//! the sections (`ixon::MappedEnv`), and a declaration is decompiled — its
//! blocks hashed and decoded — only when a shard needs it. A job's memory
//! and time follow its shard's closure, not the environment.

use super::roles::mentioned_names;
use super::ShardCheckError;
use crate::input::invalid;
use crate::ixe_entries::{find_ref, open_env, Catalog, IxeEntries};
use ix_kernel::read::{ReadDeclaration, SharedConversion};
use ix_lean::ExportMeta;
use ix_shard::manifest::{Manifest, Shard};
use ixon::meta::Metadata;
use ixon::{Address, IxonEnv, MappedEnv};
use rayon::slice::ParallelSliceMut;
use rustc_hash::{FxHashMap, FxHashSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

/// An environment with a manifest that belongs to it. Declarations (named
/// entries, by index in the export order) are decompiled when a shard first
/// needs them, each once.
pub struct ShardedEnv {
    pub(super) entries: IxeEntries,
    manifest: Manifest,
    /// The one shard whose block lists are kept, for a job that checks it
    /// alone ([`load_shard`]); every shard's when `None`.
    kept: Option<u32>,
    pub env_path: PathBuf,
    /// The declarations asked for so far, by index. A job asks for its
    /// shard's closure, a small part of the environment, so only those
    /// have a slot.
    decompiled: Mutex<FxHashMap<usize, Arc<LoadSlot>>>,
    /// One conversion for every declaration any shard loads: the shards
    /// share the kernel's terms, and equal subterms are stored once.
    conversion: Mutex<SharedConversion>,
}

/// A declaration decompiled and in kernel terms, with the declarations it
/// mentions (as `roles::mentioned_names` finds them, resolved once here
/// since every shard that loads it asks): in its types, and in its types
/// and values.
pub(super) struct Loaded {
    pub(super) decl: ReadDeclaration,
    pub(super) mentions: [Vec<usize>; 2],
}

/// A declaration's load, done once by whichever shard asks first.
type LoadSlot = OnceLock<Result<Arc<Loaded>, String>>;

/// Loads `env` and `manifest` and checks that the manifest partitions the
/// environment's blocks.
pub fn load_sharded(env_path: &Path, manifest_path: &Path) -> Result<ShardedEnv, ShardCheckError> {
    load(env_path, manifest_path, None)
}

/// [`load_sharded`] for a job that checks shard `k` alone: once the
/// manifest is checked, the other shards' block lists are let go of (at
/// Mathlib's size they are a tenth of a job's memory), and the other
/// shards are refused from then on.
pub fn load_shard(
    env_path: &Path,
    manifest_path: &Path,
    k: u32,
) -> Result<ShardedEnv, ShardCheckError> {
    load(env_path, manifest_path, Some(k))
}

fn load(
    env_path: &Path,
    manifest_path: &Path,
    kept: Option<u32>,
) -> Result<ShardedEnv, ShardCheckError> {
    // Independent reads, side by side; an error in the environment first.
    let (ixe, manifest) = rayon::join(|| open_env(env_path), || Manifest::read_file(manifest_path));
    let ixe = ixe?;
    let manifest = manifest.map_err(|e| invalid(manifest_path, e.to_string()))?;
    let ((partition, meta), catalog) = rayon::join(
        || {
            (
                check_partition(&ixe, &manifest, env_path),
                export_meta(&ixe),
            )
        },
        || Catalog::new(&ixe),
    );
    partition.map_err(|message| invalid(manifest_path, message))?;
    // The exporter header must decompile, as in a whole check, though no
    // shard's check reads it.
    meta.map_err(|e| invalid(env_path, e))?;
    let entries = IxeEntries::with_catalog(ixe, catalog.map_err(|e| invalid(env_path, e))?);
    let mut sharded = ShardedEnv {
        decompiled: Mutex::default(),
        conversion: Mutex::default(),
        entries,
        manifest,
        kept: None,
        env_path: env_path.to_path_buf(),
    };
    if let Some(k) = kept {
        sharded.shard(k)?;
        for shard in sharded.manifest.shards.iter_mut().filter(|s| s.id != k) {
            shard.members = Vec::new();
            shard.foreign = Vec::new();
        }
        sharded.kept = Some(k);
    }
    Ok(sharded)
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
    owned.par_sort_unstable_by_key(|(m, _)| Address(*m));
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

impl ShardedEnv {
    pub fn env_root(&self) -> Option<[u8; 32]> {
        self.entries.ixe.root().map(|a| a.0)
    }

    pub fn named_root(&self) -> [u8; 32] {
        self.entries.ixe.named_root().0
    }

    pub(super) fn shard(&self, k: u32) -> Result<&Shard, ShardCheckError> {
        let shard = self.manifest.shards.get(k as usize).ok_or_else(|| {
            ShardCheckError::Usage(format!(
                "shard {k} does not exist: the manifest has {} shards (0 to {})",
                self.manifest.shards.len(),
                self.manifest.shards.len().saturating_sub(1)
            ))
        })?;
        match self.kept {
            Some(kept) if kept != k => Err(ShardCheckError::Usage(format!(
                "shard {k} is not loaded: this environment was loaded to check shard {kept} alone"
            ))),
            _ => Ok(shard),
        }
    }

    /// The shards whose block lists are loaded.
    fn loaded_shards(&self) -> impl Iterator<Item = &Shard> {
        self.manifest
            .shards
            .iter()
            .filter(|s| self.kept.is_none_or(|k| k == s.id))
    }

    /// The shard count.
    pub fn shard_count(&self) -> u32 {
        self.manifest.shards.len() as u32
    }

    /// How many declarations (named entries) the environment has.
    pub(super) fn entry_count(&self) -> usize {
        self.entries.ixe.entry_count()
    }

    /// The Ixon constants whose home block the shard owns: each member
    /// block and its projections.
    pub(super) fn owned_constants(&self, shard: &Shard) -> Vec<[u8; 32]> {
        let projections = &self.entries.catalog.projections;
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

    /// The home block of each name entry `i` declares (that has one).
    fn homes_of(&self, i: usize) -> impl Iterator<Item = [u8; 32]> + '_ {
        let (ixe, catalog) = (&self.entries.ixe, &self.entries.catalog);
        ixe.declared(i)
            .filter_map(move |(n, _)| catalog.home_of_name(ixe, n).map(|h| h.0))
    }

    /// How many names entry `i` declares whose home is one of `members`.
    pub(super) fn names_homed_among(&self, i: usize, members: &FxHashSet<[u8; 32]>) -> usize {
        self.homes_of(i).filter(|h| members.contains(h)).count()
    }

    /// The loaded shards that own a home block of declaration `index`.
    pub fn owners_of(&self, index: usize) -> Vec<u32> {
        let homes: Vec<[u8; 32]> = self.homes_of(index).collect();
        self.loaded_shards()
            .filter(|s| homes.iter().any(|h| s.members.binary_search(h).is_ok()))
            .map(|s| s.id)
            .collect()
    }

    /// Total declared names and Ixon constants, what the shards must cover.
    pub fn totals(&self) -> (usize, usize) {
        let names = (0..self.entry_count())
            .map(|i| self.entries.ixe.declared(i).len())
            .sum();
        (names, self.entries.ixe.addresses().len())
    }

    /// How many declarations have been decompiled so far, of how many: a
    /// shard's check decompiles its closure only.
    pub fn decompiled(&self) -> (usize, usize) {
        let done = self.decompiled.lock().map_or(0, |slots| {
            slots.values().filter(|d| d.get().is_some()).count()
        });
        (done, self.entry_count())
    }

    /// Declaration `i`, decompiled the first time any shard asks for it.
    pub(super) fn decl(&self, i: usize) -> Result<Arc<Loaded>, ShardCheckError> {
        let failed = |message: String| ShardCheckError::Input(invalid(&self.env_path, message));
        if i >= self.entry_count() {
            return Err(failed(format!("no declaration {i}")));
        }
        let slot = self
            .decompiled
            .lock()
            .map_err(|_| failed("a shard's load stopped on an internal error".into()))?
            .entry(i)
            .or_default()
            .clone();
        // Loaded outside the lock: other declarations load meanwhile.
        match slot.get_or_init(|| self.load(i).map(Arc::new)) {
            Ok(d) => Ok(d.clone()),
            Err(e) => Err(failed(e.clone())),
        }
    }

    /// Declaration `i` decompiled, with what it mentions.
    fn load(&self, i: usize) -> Result<Loaded, String> {
        let decl = self.entries.decompile(i)?;
        let mentions = [false, true].map(|with_values| {
            let mut entries: Vec<usize> = mentioned_names(&decl, with_values)
                .iter()
                .filter_map(|n| {
                    self.entries
                        .catalog
                        .entry_of(find_ref(&self.entries.ixe, n)?)
                })
                .collect();
            entries.sort_unstable();
            entries.dedup();
            entries
        });
        let decl = self
            .conversion
            .lock()
            .map_err(|_| "the term conversion stopped on an internal error".to_string())?
            .declaration(&decl);
        Ok(Loaded { decl, mentions })
    }
}
