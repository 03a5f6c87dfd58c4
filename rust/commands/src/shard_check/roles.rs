//! Which declarations a shard loads, and in which role: its members
//! (checked), its foreign blocks (trusted, with their bodies, since its
//! members unfold them), and, by type only, the other constants those
//! mention. A body that is neither owned nor foreign is withheld: if a
//! member needs to unfold it, the check fails and says so.

use super::load::ShardedEnv;
use super::ShardCheckError;
use crate::ixe_entries::claimed_names;
use ix_kernel::Role;
use ix_lean::{Declaration, Expr, Name};
use ix_shard::manifest::Shard;
use ixon::Address;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// The growing set of declarations a shard loads.
struct Loading {
    roles: Vec<Option<Role>>,
    /// Loaded with everything below their bodies (primitive candidates).
    deep: Vec<bool>,
    work: Vec<usize>,
}

impl Loading {
    /// Loads declaration `i` with at least `role` (Check > Trust > TrustType);
    /// a primitive candidate comes with its body and everything below it.
    fn require(&mut self, i: usize, role: Role, primitive: bool) {
        let rank = |r: Option<Role>| match r {
            None => 0,
            Some(Role::TrustType) => 1,
            Some(Role::Trust) => 2,
            Some(Role::Check) => 3,
        };
        let role = if primitive && role == Role::TrustType {
            Role::Trust
        } else {
            role
        };
        if primitive && !self.deep[i] {
            self.deep[i] = true;
            self.work.push(i);
        }
        if rank(Some(role)) > rank(self.roles[i]) {
            self.roles[i] = Some(role);
            self.work.push(i);
        }
    }
}

/// Every expression of a declaration ([`Declaration::terms`]: types,
/// value, recursor rules), without the value unless `with_values`.
fn expressions(d: &Declaration, with_values: bool) -> Vec<&Arc<Expr>> {
    let mut terms = d.terms();
    if let Some(value) = d.value().filter(|_| !with_values) {
        terms.retain(|t| !std::ptr::eq(*t, value));
    }
    terms
}

/// The constant names a declaration mentions (a DAG walk with a visited
/// set), plus what the kernel needs implicitly: the whole quotient package
/// and `Eq` for any quotient declaration, `Nat` for Nat literals, the
/// `String` expansion for strings.
pub(super) fn mentioned_names(d: &Declaration, with_values: bool) -> FxHashSet<Name> {
    let mut seen: FxHashSet<*const Expr> = FxHashSet::default();
    let mut names = FxHashSet::default();
    if let Declaration::Quot(_) = d {
        // The package comes whole (quotient reduction needs all four), after Eq.
        for n in ["Eq", "Quot", "Quot.mk", "Quot.lift", "Quot.ind"] {
            names.insert(Name::from_dotted(n));
        }
    }
    let mut stack: Vec<&Arc<Expr>> = expressions(d, with_values);
    while let Some(e) = stack.pop() {
        if !seen.insert(Arc::as_ptr(e)) {
            continue;
        }
        match &**e {
            Expr::Const(n, _) | Expr::Proj(n, _, _) => {
                names.insert(n.clone());
            }
            Expr::Lit(ix_lean::Literal::Nat(_)) => {
                names.insert(Name::from_dotted("Nat"));
            }
            Expr::Lit(ix_lean::Literal::Str(_)) => {
                for n in [
                    "String",
                    "String.ofList",
                    "Char.ofNat",
                    "List",
                    "Char",
                    "Nat",
                ] {
                    names.insert(Name::from_dotted(n));
                }
            }
            _ => {}
        }
        stack.extend(e.children());
    }
    names
}

impl ShardedEnv {
    /// The role of each declaration in the shard's check (`None` = not loaded).
    pub(super) fn roles(&self, shard: &Shard) -> Result<Vec<Option<Role>>, ShardCheckError> {
        let count = self.entry_count();
        let primitive = &self.entries.catalog.primitive;
        let mut loading = Loading {
            roles: vec![None; count],
            deep: vec![false; count],
            work: Vec::new(),
        };
        // Roles only rise, so a declaration homed in both a member and a
        // foreign block ends up checked whatever the order.
        for (blocks, role) in [(&shard.members, Role::Check), (&shard.foreign, Role::Trust)] {
            for block in blocks {
                for i in self
                    .entries
                    .catalog
                    .homed_in(&self.entries.ixe, Address(*block))
                {
                    loading.require(i, role, primitive[i]);
                }
            }
        }
        // A name declared twice is a global error: every declaration of an
        // owned name is loaded, so the owner sees the collision.
        for i in loading.work.clone() {
            for n in claimed_names(&self.entries.ixe, i) {
                for &j in self.entries.catalog.duplicates_of(n) {
                    loading.require(j, Role::TrustType, primitive[j]);
                }
            }
        }
        // What the loaded declarations mention must be there too: by type,
        // or with bodies below a primitive (whose equations are verified).
        // Each wave of work is decompiled in parallel first; roles only
        // rise, so the order they are raised in changes nothing.
        while !loading.work.is_empty() {
            let mut wave = std::mem::take(&mut loading.work);
            wave.sort_unstable();
            wave.dedup();
            wave.par_iter().for_each(|&i| {
                // An error is reported by the pass below, in order.
                let _ = self.decl(i);
            });
            for i in wave {
                self.raise_mentions(&mut loading, i)?;
            }
        }
        Ok(loading.roles)
    }

    /// Requires what declaration `i` mentions, as its role and depth ask.
    fn raise_mentions(&self, loading: &mut Loading, i: usize) -> Result<(), ShardCheckError> {
        let primitive = &self.entries.catalog.primitive;
        let with_values = loading.roles[i] != Some(Role::TrustType);
        let wanted = if loading.deep[i] {
            Role::Trust
        } else {
            Role::TrustType
        };
        for &j in &self.decl(i)?.mentions[usize::from(with_values)] {
            loading.require(j, wanted, primitive[j]);
            if loading.deep[i] && !loading.deep[j] {
                loading.deep[j] = true;
                loading.work.push(j);
            }
        }
        Ok(())
    }
}
