//! Hierarchical Lean names (`Nat.succ`, `_private.0.x`), as a shared linked list.

use std::fmt;
use std::sync::Arc;

/// One component of a name: a string or a number.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NamePart {
    Str(Arc<str>),
    Num(u64),
}

/// A Lean name. The anonymous name has no components.
#[derive(Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Name(Option<Arc<NameNode>>);

#[derive(Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
struct NameNode {
    prefix: Name,
    part: NamePart,
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
        Name(Some(Arc::new(NameNode {
            prefix: self.clone(),
            part,
        })))
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
    fn deep_name_drops_without_overflow() {
        let mut n = Name::anonymous();
        for i in 0..1_000_000 {
            n = n.num(i);
        }
        assert_eq!(n.last(), Some(&NamePart::Num(999_999)));
        drop(n);
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
