//! Universes (Tag2). Flag 0 with size 0 is `Zero`; flag 0 with size n > 0 is
//! n successors of the universe that follows, and runs are maximal (the
//! universe after a successor run is never itself a successor run), so
//! `succ^n u` has exactly one encoding. Flag 1 `Max a b`, 2 `IMax a b`,
//! 3 `Var i`.
//!
//! `succ^n zero` takes two bytes, `[Tag2(0,n)][Tag2(0,0)]`: n successors of
//! what follows, then zero (docs/IXON.md §2).
//!
//! Universes nest by `Max`/`IMax` only a few levels deep in real Lean;
//! encoding and decoding recurse, bounded by [`MAX_UNIV_DEPTH`].

use crate::error::DecodeError;
use crate::tag::{put_tag2, Cursor};
use std::sync::Arc;

pub type UnivRef = Arc<Univ>;

/// Deepest `Max`/`IMax`/successor-run nesting accepted anywhere.
pub const MAX_UNIV_DEPTH: usize = 512;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Univ {
    Zero,
    /// `Succ(n, u)`: n ≥ 1 successors of `u`, which is not itself a `Succ`.
    Succ(u64, UnivRef),
    Max(UnivRef, UnivRef),
    IMax(UnivRef, UnivRef),
    /// Universe parameter by index.
    Var(u64),
}

impl Univ {
    /// `n` successors of `u`, merged into `u`'s own run if it has one.
    pub fn succ_n(n: u64, u: UnivRef) -> UnivRef {
        if n == 0 {
            return u;
        }
        match &*u {
            Univ::Succ(m, inner) => Arc::new(Univ::Succ(n.saturating_add(*m), inner.clone())),
            _ => Arc::new(Univ::Succ(n, u)),
        }
    }

    /// Nesting depth (1 for leaves).
    pub fn depth(&self) -> usize {
        match self {
            Univ::Zero | Univ::Var(_) => 1,
            Univ::Succ(_, u) => 1 + u.depth(),
            Univ::Max(a, b) | Univ::IMax(a, b) => 1 + a.depth().max(b.depth()),
        }
    }

    /// Appends the encoding. Callers keep depth within [`MAX_UNIV_DEPTH`].
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            Univ::Zero => put_tag2(out, 0, 0),
            Univ::Succ(n, u) => {
                put_tag2(out, 0, *n);
                u.encode(out);
            }
            Univ::Max(a, b) => {
                put_tag2(out, 1, 0);
                a.encode(out);
                b.encode(out);
            }
            Univ::IMax(a, b) => {
                put_tag2(out, 2, 0);
                a.encode(out);
                b.encode(out);
            }
            Univ::Var(i) => put_tag2(out, 3, *i),
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    pub fn decode(c: &mut Cursor) -> Result<UnivRef, DecodeError> {
        Univ::decode_at(c, 0)
    }

    fn decode_at(c: &mut Cursor, depth: usize) -> Result<UnivRef, DecodeError> {
        if depth >= MAX_UNIV_DEPTH {
            return Err(c.error(format!("universe nested deeper than {MAX_UNIV_DEPTH}")));
        }
        let at = c.offset();
        let (flag, size) = c.tag2()?;
        Ok(Arc::new(match flag {
            0 if size == 0 => Univ::Zero,
            0 => {
                let inner = Univ::decode_at(c, depth + 1)?;
                if matches!(*inner, Univ::Succ(..)) {
                    return Err(c.error_at(at, "non-canonical universe: split successor run"));
                }
                Univ::Succ(size, inner)
            }
            1 | 2 => {
                if size != 0 {
                    return Err(c.error_at(at, "non-canonical universe: max/imax with a size"));
                }
                let a = Univ::decode_at(c, depth + 1)?;
                let b = Univ::decode_at(c, depth + 1)?;
                if flag == 1 {
                    Univ::Max(a, b)
                } else {
                    Univ::IMax(a, b)
                }
            }
            _ => Univ::Var(size),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn succ_runs_collapse() {
        let u = Univ::succ_n(2, Univ::succ_n(3, Arc::new(Univ::Var(1))));
        assert_eq!(*u, Univ::Succ(5, Arc::new(Univ::Var(1))));
        assert_eq!(u.to_bytes(), vec![0x05, 0xC1]);
        let bytes = u.to_bytes();
        let mut c = Cursor::new(&bytes, 0);
        assert_eq!(Univ::decode(&mut c).unwrap(), u);
    }

    #[test]
    fn split_run_is_rejected() {
        let bytes = [0x02, 0x03, 0x00];
        let e = Univ::decode(&mut Cursor::new(&bytes, 0)).unwrap_err();
        assert!(e.message.contains("split successor run"), "{e}");
    }
}
