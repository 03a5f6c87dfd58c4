//! Binder names, interned for the whole process: a `Lam`, `Pi` or `Let`
//! node keeps a 4-byte number where a name would take a pointer, so every
//! kind of node fits in 24 bytes. Names serve messages only (they take part
//! in neither hashing nor equality), so the table is read when a message is
//! written and added to when a term with a new binder name is read.

use ix_lean::Name;
use rustc_hash::FxHashMap;
use std::sync::{LazyLock, PoisonError, RwLock};

/// A binder's name, by its number in the process-wide table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct BinderName(u32);

#[derive(Default)]
struct Table {
    names: Vec<Name>,
    numbers: FxHashMap<Name, u32>,
}

static TABLE: LazyLock<RwLock<Table>> = LazyLock::new(|| {
    let anonymous = Name::anonymous();
    RwLock::new(Table {
        names: vec![anonymous.clone()],
        numbers: [(anonymous, 0)].into_iter().collect(),
    })
});

impl BinderName {
    pub const ANONYMOUS: BinderName = BinderName(0);

    /// The number of `name`, given one if it has none yet. Past 2^32
    /// distinct names (never in practice) new names print as anonymous.
    pub fn of(name: &Name) -> BinderName {
        let known = TABLE
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .numbers
            .get(name)
            .copied();
        if let Some(n) = known {
            return BinderName(n);
        }
        let mut table = TABLE.write().unwrap_or_else(PoisonError::into_inner);
        if let Some(&n) = table.numbers.get(name) {
            return BinderName(n);
        }
        let Ok(n) = u32::try_from(table.names.len()) else {
            return BinderName::ANONYMOUS;
        };
        table.names.push(name.clone());
        table.numbers.insert(name.clone(), n);
        BinderName(n)
    }

    pub fn name(self) -> Name {
        let table = TABLE.read().unwrap_or_else(PoisonError::into_inner);
        table
            .names
            .get(self.0 as usize)
            .cloned()
            .unwrap_or_else(Name::anonymous)
    }
}

impl From<&Name> for BinderName {
    fn from(name: &Name) -> BinderName {
        BinderName::of(name)
    }
}

impl From<Name> for BinderName {
    fn from(name: Name) -> BinderName {
        BinderName::of(&name)
    }
}

impl std::fmt::Display for BinderName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_keeps_its_number_and_reads_back() {
        let x = Name::from_dotted("binder_name_test.x");
        let (a, b) = (BinderName::of(&x), BinderName::of(&x.clone()));
        assert_eq!(a, b);
        assert_eq!(a.name(), x);
        assert_ne!(a, BinderName::of(&Name::from_dotted("binder_name_test.y")));
        assert_eq!(BinderName::of(&Name::anonymous()), BinderName::ANONYMOUS);
    }
}
