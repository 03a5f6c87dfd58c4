//! Decompiling named entries one at a time, on demand, each exactly as a
//! full decompile gives it.

use super::named::{Named, Scope};
use super::{err, export_meta, name_at, Result};
use crate::names::resolve_table;
use crate::DecompileError;
use ix_lean as lean;
use ix_lean::Name;
use ixon::meta::{DeclEntry, DeclMeta};
use ixon::{Address, IxonEnv};
use rustc_hash::{FxHashMap, FxHashSet};

/// The named entries of an environment, decompiled one at a time on demand
/// (a shard check needs its own closure, not the whole environment). Each
/// entry comes out exactly as in a full decompile: its names are checked
/// against the scope as of that entry, rebuilt from a skeleton of what every
/// entry declares, which is read off the metadata without decompiling any
/// expression.
pub struct LazyDecls {
    names: Vec<Name>,
    /// What each entry declares, in the order a full decompile declares it.
    declares: Vec<Vec<(Name, Address)>>,
    /// How many of an entry's declarations are inductive types (they come first).
    type_counts: Vec<usize>,
    /// Every declaration of each name: (entry, address), in entry order.
    history: FxHashMap<Name, Vec<(usize, Address)>>,
}

impl LazyDecls {
    pub fn new(env: &IxonEnv) -> Result<LazyDecls> {
        if env.meta.is_empty() && !env.consts.is_empty() {
            return err("the environment has no metadata: there are no names to decompile by");
        }
        let names = resolve_table(&env.meta.names, &env.blobs).map_err(DecompileError)?;
        let declares = env
            .meta
            .decls
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                entry_declares(&names, &entry.decl)
                    .map_err(|e| DecompileError(format!("named entry {i}: {}", e.0)))
            })
            .collect::<Result<Vec<_>>>()?;
        let type_counts = env
            .meta
            .decls
            .iter()
            .map(|entry| entry.decl.type_count())
            .collect();
        let mut history: FxHashMap<Name, Vec<(usize, Address)>> = FxHashMap::default();
        for (i, entry) in declares.iter().enumerate() {
            for (name, addr) in entry {
                history.entry(name.clone()).or_default().push((i, *addr));
            }
        }
        Ok(LazyDecls {
            names,
            declares,
            type_counts,
            history,
        })
    }

    /// How many named entries (declarations) there are.
    pub fn len(&self) -> usize {
        self.declares.len()
    }

    pub fn is_empty(&self) -> bool {
        self.declares.is_empty()
    }

    /// The names entry `i` declares with their addresses (an inductive
    /// block: its types, then constructors, then recursors).
    pub fn declares(&self, i: usize) -> &[(Name, Address)] {
        self.declares.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    /// The inductive types entry `i` declares (none unless it is an
    /// inductive block).
    pub fn inductive_types(&self, i: usize) -> &[(Name, Address)] {
        let count = self.type_counts.get(i).copied().unwrap_or(0);
        self.declares(i).get(..count).unwrap_or_default()
    }

    /// The address every declared name stands for (a later duplicate wins),
    /// as `decompile_with_addresses` gives it.
    pub fn addresses(&self) -> FxHashMap<Name, Address> {
        self.history
            .iter()
            .filter_map(|(name, all)| Some((name.clone(), all.last()?.1)))
            .collect()
    }

    /// The exporter header.
    pub fn meta(&self, env: &IxonEnv) -> lean::ExportMeta {
        export_meta(env)
    }

    /// Decompiles entry `i` of `env` (the environment this was built from).
    pub fn decl(&self, env: &IxonEnv, i: usize) -> Result<lean::Declaration> {
        let Some(entry) = env.meta.decls.get(i) else {
            return err(format!("named entry {i} does not exist"));
        };
        decompile_at(env, &self.names, &self.history, i, entry, self.declares(i))
    }
}

/// Decompiles one named entry of a partial environment exactly as a full
/// decompile would (a shard job maps the file and builds one of these per
/// entry it needs). `env.meta.decls` is the entry alone, `env.consts` its
/// constants and `env.blobs` the blobs those use; `names` resolves the
/// entry's name references (index 0 is the anonymous name, k is reference
/// k). `position` is the entry's place in the whole environment's entry
/// order, and `history` every declaration there, as (position, address), of
/// each name the entry refers to (by reference) that any entry declares.
pub fn decompile_entry<S: std::hash::BuildHasher>(
    env: &IxonEnv,
    names: &[Name],
    position: usize,
    history: &std::collections::HashMap<u64, Vec<(usize, Address)>, S>,
) -> Result<lean::Declaration> {
    let [entry] = env.meta.decls.as_slice() else {
        return err("a partial environment holds exactly one named entry");
    };
    let history = history
        .iter()
        .map(|(k, all)| Ok((name_at(names, *k)?, all.clone())))
        .collect::<Result<FxHashMap<Name, Vec<(usize, Address)>>>>()?;
    let skeleton = entry_declares(names, &entry.decl)
        .map_err(|e| DecompileError(format!("named entry {position}: {}", e.0)))?;
    decompile_at(env, names, &history, position, entry, &skeleton)
}

/// Decompiles `entry`, at `position` in the entry order, its names checked
/// against the scope as of that position (rebuilt from `history`) and its
/// declarations against `skeleton`, what its metadata lists.
fn decompile_at(
    env: &IxonEnv,
    names: &[Name],
    history: &FxHashMap<Name, Vec<(usize, Address)>>,
    position: usize,
    entry: &DeclEntry,
    skeleton: &[(Name, Address)],
) -> Result<lean::Declaration> {
    let mut named = Named {
        env,
        names: std::borrow::Cow::Borrowed(names),
        scope: Scope::AsOf {
            history,
            entry: position,
            own: FxHashMap::default(),
        },
        deferred: Vec::new(),
        declared: FxHashSet::default(),
    };
    let decl = named
        .entry(&entry.nodes, &entry.decl)
        .map_err(|e| DecompileError(format!("named entry {position}: {}", e.0)))?;
    let skeleton: FxHashSet<(Name, Address)> = skeleton.iter().cloned().collect();
    if named.declared != skeleton {
        return err(format!(
            "named entry {position}: its declarations differ from what its metadata lists"
        ));
    }
    let declared_somewhere = |name: &Name, addr: &Address| {
        history
            .get(name)
            .is_some_and(|all| all.iter().any(|(_, a)| a == addr))
    };
    if let Some((name, _)) = named
        .deferred
        .iter()
        .find(|(name, addr)| !declared_somewhere(name, addr))
    {
        return err(format!(
            "metadata names a block member {name}, which is not that member"
        ));
    }
    Ok(decl)
}

/// What a named entry declares, read off its metadata alone, in the order
/// `Named::entry` declares it.
fn entry_declares(names: &[Name], decl: &DeclMeta) -> Result<Vec<(Name, Address)>> {
    decl.declared()
        .into_iter()
        .map(|(name, addr)| Ok((name_at(names, name)?, addr)))
        .collect()
}
