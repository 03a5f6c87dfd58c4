//! Hierarchical Lean names (`Nat.succ`, `_private.0.x`), as a shared linked list.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
// No weak count: a name node is 40 bytes instead of 48, a string 8 bytes
// smaller, and an export holds millions of them.
use triomphe::Arc;

/// One component of a name: a string or a number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NamePart {
    Str(Arc<str>),
    Num(u64),
}

/// A Lean name. The anonymous name has no components.
///
/// Each component caches the hash of the whole name, so hashing is O(1) and
/// equality usually ends at the first node (names are hashed and compared in
/// every table of compile, check and profile); both walk iteratively, so a
/// crafted 10^6-component name cannot overflow the stack.
#[derive(Clone, Default)]
pub struct Name(Option<Arc<NameNode>>);

#[derive(Debug)]
struct NameNode {
    prefix: Name,
    part: NamePart,
    /// Hash of the whole name (prefix included); see `Name::hash_code`.
    hash: u64,
}

/// Iterative drop: a crafted export may give a name 10^6 components.
impl Drop for NameNode {
    fn drop(&mut self) {
        let mut next = self.prefix.0.take();
        while let Some(node) = next {
            next = match Arc::try_unwrap(node) {
                Ok(mut inner) => inner.prefix.0.take(),
                Err(_) => None,
            };
        }
    }
}

impl Name {
    pub fn anonymous() -> Name {
        Name(None)
    }

    pub fn is_anonymous(&self) -> bool {
        self.0.is_none()
    }

    /// `prefix.part`.
    pub fn extend(&self, part: NamePart) -> Name {
        let mut h = rustc_hash::FxHasher::default();
        self.hash_code().hash(&mut h);
        part.hash(&mut h);
        Name(Some(Arc::new(NameNode {
            prefix: self.clone(),
            part,
            hash: h.finish(),
        })))
    }

    /// A hash of all components, computed once when the name is built.
    fn hash_code(&self) -> u64 {
        self.0.as_ref().map_or(0, |node| node.hash)
    }

    pub fn str(&self, s: &str) -> Name {
        self.extend(NamePart::Str(Arc::from(s)))
    }

    pub fn num(&self, n: u64) -> Name {
        self.extend(NamePart::Num(n))
    }

    /// Parses a dotted name such as `Nat.succ`; all-digit components become numbers.
    pub fn from_dotted(s: &str) -> Name {
        s.split('.')
            .fold(Name::anonymous(), |acc, part| match part.parse::<u64>() {
                Ok(n) => acc.num(n),
                Err(_) => acc.str(part),
            })
    }

    pub fn prefix(&self) -> Name {
        match &self.0 {
            None => Name::anonymous(),
            Some(node) => node.prefix.clone(),
        }
    }

    pub fn last(&self) -> Option<&NamePart> {
        self.0.as_ref().map(|node| &node.part)
    }

    /// The first component (`Nat` of `Nat.succ`), without building the list.
    pub fn root(&self) -> Option<&NamePart> {
        let mut node = self.0.as_ref()?;
        while let Some(prefix) = &node.prefix.0 {
            node = prefix;
        }
        Some(&node.part)
    }

    /// Components from the root outwards.
    pub fn components(&self) -> Vec<NamePart> {
        let mut parts = Vec::new();
        let mut cur = self;
        while let Some(node) = &cur.0 {
            parts.push(node.part.clone());
            cur = &node.prefix;
        }
        parts.reverse();
        parts
    }

    /// Whether `prefix` is a (non-strict) prefix of this name.
    pub fn has_prefix(&self, prefix: &Name) -> bool {
        let mut cur = self.clone();
        loop {
            if &cur == prefix {
                return true;
            }
            if cur.is_anonymous() {
                return false;
            }
            cur = cur.prefix();
        }
    }
}

impl Hash for Name {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash_code());
    }
}

impl PartialEq for Name {
    fn eq(&self, other: &Name) -> bool {
        let (mut a, mut b) = (self, other);
        loop {
            match (&a.0, &b.0) {
                (None, None) => return true,
                (Some(x), Some(y)) => {
                    if Arc::ptr_eq(x, y) {
                        return true;
                    }
                    if x.hash != y.hash || x.part != y.part {
                        return false;
                    }
                    (a, b) = (&x.prefix, &y.prefix);
                }
                _ => return false,
            }
        }
    }
}

impl Eq for Name {}

impl Ord for Name {
    /// Fewer components first, then component by component from the root
    /// (the order the former derived, prefix-first comparison gave).
    fn cmp(&self, other: &Name) -> Ordering {
        if self == other {
            return Ordering::Equal;
        }
        let (a, b) = (self.components(), other.components());
        a.len().cmp(&b.len()).then_with(|| a.cmp(&b))
    }
}

impl PartialOrd for Name {
    fn partial_cmp(&self, other: &Name) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_anonymous() {
            return f.write_str("[anonymous]");
        }
        for (i, part) in self.components().iter().enumerate() {
            if i > 0 {
                f.write_str(".")?;
            }
            match part {
                NamePart::Str(s) => f.write_str(s)?,
                NamePart::Num(n) => write!(f, "{n}")?,
            }
        }
        Ok(())
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{self}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_is_the_first_component() {
        let n = Name::from_dotted("_nested.List_1.cons");
        assert_eq!(n.root(), n.components().first());
        assert_eq!(n.root(), Some(&NamePart::Str("_nested".into())));
        assert_eq!(Name::anonymous().root(), None);
    }

    #[test]
    fn deep_name_drops_without_overflow() {
        let mut n = Name::anonymous();
        for i in 0..1_000_000 {
            n = n.num(i);
        }
        assert_eq!(n.last(), Some(&NamePart::Num(999_999)));
        drop(n);
    }

    #[test]
    fn deep_names_hash_compare_and_order_without_overflow() {
        let build = |last: u64| {
            let mut n = Name::anonymous();
            for i in 0..1_000_000 {
                n = n.num(i);
            }
            n.num(last)
        };
        let (a, b, c) = (build(1), build(1), build(2));
        let mut set = std::collections::HashSet::new();
        set.insert(a.clone());
        assert!(set.contains(&b));
        assert!(!set.contains(&c));
        assert_eq!(a, b);
        assert!(a < c);
    }

    #[test]
    fn equality_and_order_follow_the_components() {
        let n = |s: &str| Name::from_dotted(s);
        assert_eq!(n("Nat.succ"), Name::anonymous().str("Nat").str("succ"));
        assert_ne!(n("Nat.succ"), n("Nat.zero"));
        assert_ne!(n("Nat"), n("Nat.succ"));
        assert_ne!(n("a.1"), n("a.b"));
        // Fewer components first, then from the root; strings before numbers.
        let mut names = vec![
            n("b"),
            n("a.b"),
            n("a"),
            n("a.1"),
            n("a.a"),
            n("x.y"),
            n("a.b.c"),
        ];
        names.sort();
        let shown: Vec<String> = names.iter().map(Name::to_string).collect();
        assert_eq!(shown, ["a", "b", "a.a", "a.b", "a.1", "x.y", "a.b.c"]);
        // The same order as the prefix-first comparison it replaces.
        fn prefix_first(a: &Name, b: &Name) -> Ordering {
            match (a.last(), b.last()) {
                (None, None) => Ordering::Equal,
                (None, Some(_)) => Ordering::Less,
                (Some(_), None) => Ordering::Greater,
                (Some(x), Some(y)) => prefix_first(&a.prefix(), &b.prefix()).then_with(|| x.cmp(y)),
            }
        }
        names.push(Name::anonymous());
        for a in &names {
            for b in &names {
                assert_eq!(a.cmp(b), prefix_first(a, b), "{a} vs {b}");
            }
        }
    }

    #[test]
    fn dotted_round_trip() {
        let n = Name::from_dotted("Nat.rec.7");
        assert_eq!(n.to_string(), "Nat.rec.7");
        assert_eq!(n.last(), Some(&NamePart::Num(7)));
        assert!(n.has_prefix(&Name::from_dotted("Nat")));
        assert!(!n.has_prefix(&Name::from_dotted("Na")));
        assert_eq!(Name::anonymous().to_string(), "[anonymous]");
    }
}
