//! The kernel environment: checked constants by name, each remembering the
//! position of the declaration that introduced it, so that a body may only
//! mention constants declared strictly before it (no self or forward reference).

use crate::expr::Expr;
use ix_base::chunked::ChunkedVec;
use ix_lean::{DefinitionSafety, Name, QuotKind, ReducibilityHints};
use rustc_hash::FxHashSet;

/// What every constant has.
#[derive(Clone, Debug)]
pub struct ConstantVal {
    pub name: Name,
    pub level_params: crate::level::LevelParams,
    pub ty: Expr,
}

#[derive(Clone, Debug)]
pub struct RecRule {
    pub ctor: Name,
    pub num_fields: u32,
    /// The rule's right-hand side, closed over params, motives, minors (in
    /// that order, as lambdas) and then the constructor's fields.
    pub rhs: Expr,
}

#[derive(Clone, Debug)]
pub enum ConstantInfo {
    Axiom {
        val: ConstantVal,
        is_unsafe: bool,
    },
    Definition {
        val: ConstantVal,
        value: Expr,
        hints: ReducibilityHints,
        safety: DefinitionSafety,
    },
    Theorem {
        val: ConstantVal,
        value: Expr,
    },
    Opaque {
        val: ConstantVal,
        value: Expr,
        is_unsafe: bool,
    },
    Quot {
        val: ConstantVal,
        kind: QuotKind,
    },
    /// Boxed, as is `Recursor`: the two largest kinds are the rarest, and
    /// every entry of the environment is as large as the largest kind.
    Inductive(Box<InductiveVal>),
    Constructor {
        val: ConstantVal,
        induct: Name,
        cidx: u32,
        num_params: u32,
        num_fields: u32,
        is_unsafe: bool,
    },
    Recursor(Box<RecursorVal>),
}

#[derive(Clone, Debug)]
pub struct InductiveVal {
    pub val: ConstantVal,
    pub num_params: u32,
    pub num_indices: u32,
    pub all: Box<[Name]>,
    pub ctors: Box<[Name]>,
    pub is_rec: bool,
    pub is_reflexive: bool,
    pub num_nested: u32,
    pub is_unsafe: bool,
}

#[derive(Clone, Debug)]
pub struct RecursorVal {
    pub val: ConstantVal,
    pub all: Box<[Name]>,
    pub num_params: u32,
    pub num_indices: u32,
    pub num_motives: u32,
    pub num_minors: u32,
    pub rules: Box<[RecRule]>,
    pub k: bool,
    pub is_unsafe: bool,
}

impl ConstantInfo {
    pub fn val(&self) -> &ConstantVal {
        match self {
            ConstantInfo::Axiom { val, .. }
            | ConstantInfo::Definition { val, .. }
            | ConstantInfo::Theorem { val, .. }
            | ConstantInfo::Opaque { val, .. }
            | ConstantInfo::Quot { val, .. }
            | ConstantInfo::Constructor { val, .. } => val,
            ConstantInfo::Inductive(i) => &i.val,
            ConstantInfo::Recursor(r) => &r.val,
        }
    }

    pub fn name(&self) -> &Name {
        &self.val().name
    }

    pub fn ty(&self) -> &Expr {
        &self.val().ty
    }

    pub fn level_params(&self) -> &[Name] {
        &self.val().level_params
    }

    /// Unsafe constants may only be used by unsafe declarations; partial
    /// ones only by unsafe or partial ones.
    pub fn is_unsafe(&self) -> bool {
        match self {
            ConstantInfo::Axiom { is_unsafe, .. }
            | ConstantInfo::Opaque { is_unsafe, .. }
            | ConstantInfo::Constructor { is_unsafe, .. } => *is_unsafe,
            ConstantInfo::Inductive(i) => i.is_unsafe,
            ConstantInfo::Recursor(r) => r.is_unsafe,
            ConstantInfo::Definition { safety, .. } => *safety == DefinitionSafety::Unsafe,
            ConstantInfo::Theorem { .. } | ConstantInfo::Quot { .. } => false,
        }
    }

    pub fn is_partial(&self) -> bool {
        matches!(
            self,
            ConstantInfo::Definition {
                safety: DefinitionSafety::Partial,
                ..
            }
        )
    }

    /// The body delta reduction may unfold (definitions and theorems).
    pub fn unfoldable_value(&self) -> Option<&Expr> {
        match self {
            ConstantInfo::Definition { value, .. } | ConstantInfo::Theorem { value, .. } => {
                Some(value)
            }
            _ => None,
        }
    }

    /// Reducibility hints; theorems unfold like opaque-hinted definitions.
    pub fn hints(&self) -> ReducibilityHints {
        match self {
            ConstantInfo::Definition { hints, .. } => *hints,
            _ => ReducibilityHints::Opaque,
        }
    }
}

/// Whether the entry at `at` is the constant `name`.
fn is_at(entries: &ChunkedVec<Option<Entry>>, name: &Name, at: u32) -> bool {
    entries
        .get(at as usize)
        .and_then(Option::as_ref)
        .is_some_and(|e| e.info.name() == name)
}

fn name_hash(name: &Name) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = rustc_hash::FxHasher::default();
    name.hash(&mut h);
    h.finish()
}

/// A constant together with the index of the declaration that added it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub info: ConstantInfo,
    pub decl_index: usize,
}

/// Checked (or being-checked) constants by name. Entries live in one
/// chunked table and a hash table of their positions, hashed by the
/// entries' names, finds them: 4 bytes a slot, where a map from names to
/// positions spent 16 (and a map of whole entries a full entry), empty or
/// not, twice over while it grows.
#[derive(Default, Debug)]
pub struct Env {
    entries: ChunkedVec<Option<Entry>>,
    positions: hashbrown::HashTable<u32>,
    /// The Nat/Bool primitives verified so far (see `primitive`).
    pub prims: crate::primitive::Primitives,
    /// Definitions whose bodies a shard check does not have: they are known
    /// by their types only and never unfold (so they can only make the
    /// kernel reject more, never accept more).
    withheld: FxHashSet<Name>,
}

impl Env {
    pub fn new() -> Env {
        Env::default()
    }

    /// An environment with room for `constants` constants.
    pub fn with_capacity(constants: usize) -> Env {
        Env {
            positions: hashbrown::HashTable::with_capacity(constants),
            ..Env::default()
        }
    }

    pub fn get(&self, name: &Name) -> Option<&ConstantInfo> {
        self.entry(name).map(|e| &e.info)
    }

    /// The inductive type `name`, if that is what it is.
    pub fn inductive(&self, name: &Name) -> Option<&InductiveVal> {
        match self.get(name)? {
            ConstantInfo::Inductive(i) => Some(i),
            _ => None,
        }
    }

    pub fn entry(&self, name: &Name) -> Option<&Entry> {
        let at = *self
            .positions
            .find(name_hash(name), |&at| is_at(&self.entries, name, at))?;
        self.entries.get(at as usize)?.as_ref()
    }

    pub fn contains(&self, name: &Name) -> bool {
        self.entry(name).is_some()
    }

    /// Marks `name`'s body as unavailable (see `withheld`).
    pub fn withhold(&mut self, name: Name) {
        self.withheld.insert(name);
    }

    pub fn is_withheld(&self, name: &Name) -> bool {
        !self.withheld.is_empty() && self.withheld.contains(name)
    }

    pub fn len(&self) -> usize {
        self.positions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }

    /// Adds a constant; `Err(name)` when the name is already taken (a
    /// collision is a rejection, never an overwrite).
    pub fn insert(&mut self, info: ConstantInfo, decl_index: usize) -> Result<(), Name> {
        let name = info.name();
        let hash = name_hash(name);
        let taken = self
            .positions
            .find(hash, |&at| is_at(&self.entries, name, at));
        let Some(at) = u32::try_from(self.entries.len())
            .ok()
            .filter(|_| taken.is_none())
        else {
            return Err(name.clone());
        };
        self.entries.push(Some(Entry { info, decl_index }));
        let entries = &self.entries;
        let rehash = |&at: &u32| {
            entries
                .get(at as usize)
                .and_then(Option::as_ref)
                .map_or(0, |e| name_hash(e.info.name()))
        };
        self.positions.insert_unique(hash, at, rehash);
        Ok(())
    }

    /// Removes a constant (the inductive module's temporary auxiliary types
    /// for nested occurrences live in the environment only while checked).
    pub fn remove(&mut self, name: &Name) -> Option<ConstantInfo> {
        let entries = &self.entries;
        let found = self
            .positions
            .find_entry(name_hash(name), |&at| is_at(entries, name, at));
        let (at, _) = found.ok()?.remove();
        self.entries.get_mut(at as usize)?.take().map(|e| e.info)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Name, &Entry)> {
        self.entries.iter().flatten().map(|e| (e.info.name(), e))
    }
}
