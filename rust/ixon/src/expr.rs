//! Ixon expressions (Tag4 flags 0x0–0xB).
//!
//! Applications and binders are telescoped: `App` holds a head and at least
//! one argument, `Lam`/`All` at least one binder type and a body. Telescopes
//! are maximal, so the decoder rejects an `App` whose head is an `App` and a
//! `Lam` (`All`) whose body is a `Lam` (`All`). A `Share` node in between
//! breaks a telescope legitimately.
//!
//! Encoding, decoding and dropping are iterative: a crafted or generated term
//! may nest 10^5 levels deep.

use crate::error::DecodeError;
use crate::tag::{put_tag0, put_tag4, Cursor};
use std::sync::Arc;

pub type ExprRef = Arc<Expr>;

pub mod flag {
    pub const SORT: u8 = 0x0;
    pub const VAR: u8 = 0x1;
    pub const REF: u8 = 0x2;
    pub const REC: u8 = 0x3;
    pub const PRJ: u8 = 0x4;
    pub const STR: u8 = 0x5;
    pub const NAT: u8 = 0x6;
    pub const APP: u8 = 0x7;
    pub const LAM: u8 = 0x8;
    pub const ALL: u8 = 0x9;
    pub const LET: u8 = 0xA;
    pub const SHARE: u8 = 0xB;
}

#[derive(Debug, PartialEq, Eq)]
pub enum Expr {
    /// Index into the constant's `univs` table.
    Sort(u64),
    /// De Bruijn index.
    Var(u64),
    /// `refs` index of a constant, and `univs` indices of its universe arguments.
    Ref(u64, Vec<u64>),
    /// Member index in the enclosing mutual block, and universe arguments.
    Rec(u64, Vec<u64>),
    /// `Prj(type_ref, field, e)`: `refs` index of the structure type, field, struct.
    Prj(u64, u64, ExprRef),
    /// `refs` index of a UTF-8 blob.
    Str(u64),
    /// `refs` index of a little-endian natural-number blob.
    Nat(u64),
    App(ExprRef, Vec<ExprRef>),
    Lam(Vec<ExprRef>, ExprRef),
    All(Vec<ExprRef>, ExprRef),
    /// `Let(non_dependent, type, value, body)`.
    Let(bool, ExprRef, ExprRef, ExprRef),
    /// Index into the constant's `sharing` table.
    Share(u64),
}

impl Expr {
    /// Direct children, in serialization order.
    pub fn children(&self) -> Vec<&ExprRef> {
        match self {
            Expr::Sort(_)
            | Expr::Var(_)
            | Expr::Ref(..)
            | Expr::Rec(..)
            | Expr::Str(_)
            | Expr::Nat(_)
            | Expr::Share(_) => Vec::new(),
            Expr::Prj(_, _, e) => vec![e],
            Expr::App(f, args) => std::iter::once(f).chain(args.iter()).collect(),
            Expr::Lam(tys, b) | Expr::All(tys, b) => tys.iter().chain(std::iter::once(b)).collect(),
            Expr::Let(_, t, v, b) => vec![t, v, b],
        }
    }

    /// Calls `f` on each direct child in serialization order, without allocating.
    pub fn for_each_child<'a>(&'a self, mut f: impl FnMut(&'a ExprRef)) {
        match self {
            Expr::Prj(_, _, e) => f(e),
            Expr::App(h, args) => {
                f(h);
                args.iter().for_each(f);
            }
            Expr::Lam(tys, b) | Expr::All(tys, b) => {
                tys.iter().for_each(&mut f);
                f(b);
            }
            Expr::Let(_, t, v, b) => {
                f(t);
                f(v);
                f(b);
            }
            _ => {}
        }
    }

    /// Pushes the children onto a work stack so that they pop in order.
    pub fn push_children_reversed<'a>(&'a self, stack: &mut Vec<&'a Expr>) {
        let start = stack.len();
        self.for_each_child(|c| stack.push(c));
        stack[start..].reverse();
    }

    /// Writes this node's tag and immediate fields (not its children).
    fn encode_head(&self, out: &mut Vec<u8>) {
        match self {
            Expr::Sort(u) => put_tag4(out, flag::SORT, *u),
            Expr::Var(i) => put_tag4(out, flag::VAR, *i),
            Expr::Ref(r, us) | Expr::Rec(r, us) => {
                let f = if matches!(self, Expr::Ref(..)) {
                    flag::REF
                } else {
                    flag::REC
                };
                put_tag4(out, f, us.len() as u64);
                put_tag0(out, *r);
                for u in us {
                    put_tag0(out, *u);
                }
            }
            Expr::Prj(t, field, _) => {
                put_tag4(out, flag::PRJ, *field);
                put_tag0(out, *t);
            }
            Expr::Str(r) => put_tag4(out, flag::STR, *r),
            Expr::Nat(r) => put_tag4(out, flag::NAT, *r),
            Expr::App(_, args) => put_tag4(out, flag::APP, args.len() as u64),
            Expr::Lam(tys, _) => put_tag4(out, flag::LAM, tys.len() as u64),
            Expr::All(tys, _) => put_tag4(out, flag::ALL, tys.len() as u64),
            Expr::Let(non_dep, ..) => put_tag4(out, flag::LET, u64::from(*non_dep)),
            Expr::Share(i) => put_tag4(out, flag::SHARE, *i),
        }
    }

    /// Appends the encoding (pre-order, iterative).
    pub fn encode(&self, out: &mut Vec<u8>) {
        let mut stack: Vec<&Expr> = vec![self];
        while let Some(e) = stack.pop() {
            e.encode_head(out);
            e.push_children_reversed(&mut stack);
        }
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        self.encode(&mut out);
        out
    }

    /// Decodes one expression (iterative). Table indices are checked later,
    /// by the constant that owns the tables.
    pub fn decode(c: &mut Cursor) -> Result<ExprRef, DecodeError> {
        let mut frames: Vec<Pending> = Vec::new();
        loop {
            let at = c.offset();
            let (f, size) = c.tag4()?;
            let mut done = match f {
                flag::SORT => Some(Expr::Sort(size)),
                flag::VAR => Some(Expr::Var(size)),
                flag::REF | flag::REC => {
                    let r = c.tag0()?;
                    let n = bounded(c, size, at)?;
                    let us = (0..n).map(|_| c.tag0()).collect::<Result<Vec<_>, _>>()?;
                    Some(if f == flag::REF {
                        Expr::Ref(r, us)
                    } else {
                        Expr::Rec(r, us)
                    })
                }
                flag::STR => Some(Expr::Str(size)),
                flag::NAT => Some(Expr::Nat(size)),
                flag::SHARE => Some(Expr::Share(size)),
                flag::PRJ => {
                    let t = c.tag0()?;
                    frames.push(Pending::new(PendingKind::Prj(t, size), 1, at));
                    None
                }
                flag::APP | flag::LAM | flag::ALL => {
                    if size == 0 {
                        return Err(c.error_at(at, "empty application or binder telescope"));
                    }
                    let n = bounded(c, size, at)?;
                    let kind = match f {
                        flag::APP => PendingKind::App,
                        flag::LAM => PendingKind::Lam,
                        _ => PendingKind::All,
                    };
                    frames.push(Pending::new(kind, n + 1, at));
                    None
                }
                flag::LET => {
                    if size > 1 {
                        return Err(c.error_at(at, format!("let with size {size} (0 or 1)")));
                    }
                    frames.push(Pending::new(PendingKind::Let(size == 1), 3, at));
                    None
                }
                other => {
                    return Err(c.error_at(at, format!("unknown expression tag flag {other:#x}")))
                }
            };
            // Fold finished nodes into their parents.
            while let Some(node) = done.take() {
                let node = Arc::new(node);
                let Some(top) = frames.last_mut() else {
                    return Ok(node);
                };
                top.children.push(node);
                if top.children.len() == top.need {
                    let top = frames.pop().expect("non-empty: just borrowed");
                    done = Some(top.finish(c)?);
                }
            }
        }
    }
}

/// A count of following items that each take at least one byte.
fn bounded(c: &Cursor, n: u64, at: usize) -> Result<usize, DecodeError> {
    if n > c.remaining() as u64 {
        return Err(c.error_at(at, format!("count {n} exceeds the remaining data")));
    }
    Ok(n as usize)
}

enum PendingKind {
    App,
    Lam,
    All,
    Let(bool),
    Prj(u64, u64),
}

/// A node whose children are still being decoded.
struct Pending {
    kind: PendingKind,
    need: usize,
    children: Vec<ExprRef>,
    at: usize,
}

impl Pending {
    fn new(kind: PendingKind, need: usize, at: usize) -> Pending {
        Pending {
            kind,
            need,
            children: Vec::with_capacity(need.min(1 << 16)),
            at,
        }
    }

    fn finish(self, c: &Cursor) -> Result<Expr, DecodeError> {
        let mut kids = self.children;
        let not_maximal = |what: &str| c.error_at(self.at, format!("non-maximal {what} telescope"));
        Ok(match self.kind {
            PendingKind::App => {
                let args = kids.split_off(1);
                let head = kids.pop().expect("need = n + 1 ≥ 2");
                if matches!(*head, Expr::App(..)) {
                    return Err(not_maximal("application"));
                }
                Expr::App(head, args)
            }
            PendingKind::Lam | PendingKind::All => {
                let body = kids.pop().expect("need = n + 1 ≥ 2");
                let is_lam = matches!(self.kind, PendingKind::Lam);
                match (&*body, is_lam) {
                    (Expr::Lam(..), true) => return Err(not_maximal("lambda")),
                    (Expr::All(..), false) => return Err(not_maximal("forall")),
                    _ => {}
                }
                if is_lam {
                    Expr::Lam(kids, body)
                } else {
                    Expr::All(kids, body)
                }
            }
            PendingKind::Let(non_dep) => {
                let b = kids.pop().expect("need = 3");
                let v = kids.pop().expect("need = 3");
                let t = kids.pop().expect("need = 3");
                Expr::Let(non_dep, t, v, b)
            }
            PendingKind::Prj(t, field) => Expr::Prj(t, field, kids.pop().expect("need = 1")),
        })
    }
}

impl ix_base::Children for Expr {
    fn take_children(&mut self, out: &mut Vec<ExprRef>) {
        match self {
            Expr::Prj(_, _, e) => out.push(std::mem::replace(e, placeholder())),
            Expr::App(f, args) => {
                out.push(std::mem::replace(f, placeholder()));
                out.append(args);
            }
            Expr::Lam(tys, b) | Expr::All(tys, b) => {
                out.append(tys);
                out.push(std::mem::replace(b, placeholder()));
            }
            Expr::Let(_, t, v, b) => {
                for e in [t, v, b] {
                    out.push(std::mem::replace(e, placeholder()));
                }
            }
            _ => {}
        }
    }
}

fn placeholder() -> ExprRef {
    Arc::new(Expr::Var(0))
}

/// Dropping a deep term recursively would overflow the stack, so children
/// whose last reference dies here are unlinked onto an explicit stack.
impl Drop for Expr {
    fn drop(&mut self) {
        ix_base::drop_children(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(e: &ExprRef) -> ExprRef {
        let bytes = e.to_bytes();
        let mut c = Cursor::new(&bytes, 0);
        let back = Expr::decode(&mut c).unwrap();
        c.expect_end().unwrap();
        assert_eq!(back.to_bytes(), bytes);
        back
    }

    #[test]
    fn nodes_round_trip() {
        let v = |i| Arc::new(Expr::Var(i));
        let e = Arc::new(Expr::Lam(
            vec![Arc::new(Expr::Sort(0)), Arc::new(Expr::Ref(3, vec![0, 1]))],
            Arc::new(Expr::Let(
                true,
                Arc::new(Expr::Nat(2)),
                Arc::new(Expr::App(v(0), vec![v(1), Arc::new(Expr::Share(9))])),
                Arc::new(Expr::Prj(1, 4, Arc::new(Expr::Rec(0, vec![])))),
            )),
        ));
        assert_eq!(round_trip(&e), e);
    }

    #[test]
    fn deep_nesting_is_iterative() {
        let mut e = Arc::new(Expr::Var(0));
        for i in 0..200_000 {
            e = Arc::new(Expr::App(Arc::new(Expr::Var(i % 7)), vec![e]));
        }
        round_trip(&e);
    }

    #[test]
    fn non_maximal_telescopes_are_rejected() {
        let inner = Arc::new(Expr::App(
            Arc::new(Expr::Var(0)),
            vec![Arc::new(Expr::Var(1))],
        ));
        let outer = Expr::App(inner, vec![Arc::new(Expr::Var(2))]);
        let bytes = outer.to_bytes();
        let e = Expr::decode(&mut Cursor::new(&bytes, 0)).unwrap_err();
        assert!(e.message.contains("non-maximal application"), "{e}");
        let empty = [0x70u8];
        assert!(Expr::decode(&mut Cursor::new(&empty, 0)).is_err());
        let bad_flag = [0xF0u8];
        assert!(Expr::decode(&mut Cursor::new(&bad_flag, 0)).is_err());
    }
}
