//! Expressions as exported by lean4export: de Bruijn indices for bound
//! variables, constants by name, `mdata` already stripped.

use crate::level::LevelRef;
use crate::name::Name;
use num_bigint::BigUint;
use std::sync::Arc;

pub type ExprRef = Arc<Expr>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum BinderInfo {
    Default,
    Implicit,
    StrictImplicit,
    InstImplicit,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Literal {
    Nat(Arc<BigUint>),
    Str(Arc<str>),
}

/// A Lean kernel expression node. Children are shared `Arc`s, so a value is a
/// DAG; do not derive structural equality or hashing on it (exponential).
#[derive(Debug)]
pub enum Expr {
    BVar(u64),
    Sort(LevelRef),
    Const(Name, Vec<LevelRef>),
    App(ExprRef, ExprRef),
    Lam {
        name: Name,
        info: BinderInfo,
        ty: ExprRef,
        body: ExprRef,
    },
    Pi {
        name: Name,
        info: BinderInfo,
        ty: ExprRef,
        body: ExprRef,
    },
    Let {
        name: Name,
        ty: ExprRef,
        value: ExprRef,
        body: ExprRef,
        non_dep: bool,
    },
    Lit(Literal),
    /// `Proj(S, i, e)`: field `i` (0-based) of `e`, whose type is the structure `S`.
    Proj(Name, u64, ExprRef),
}

impl Expr {
    /// A `Pi` (`is_pi`) or `Lam` node.
    pub fn binder(is_pi: bool, name: Name, info: BinderInfo, ty: ExprRef, body: ExprRef) -> Expr {
        if is_pi {
            Expr::Pi {
                name,
                info,
                ty,
                body,
            }
        } else {
            Expr::Lam {
                name,
                info,
                ty,
                body,
            }
        }
    }

    /// This node with each child `c` replaced by `child(c)` (in `children`'
    /// order) and a binder's name `n` by `binder_name(n)`; leaves are copied.
    pub fn map_children(
        &self,
        binder_name: impl Fn(&Name) -> Name,
        mut child: impl FnMut(&ExprRef) -> ExprRef,
    ) -> Expr {
        match self {
            Expr::BVar(i) => Expr::BVar(*i),
            Expr::Sort(l) => Expr::Sort(l.clone()),
            Expr::Const(n, ls) => Expr::Const(n.clone(), ls.clone()),
            Expr::Lit(l) => Expr::Lit(l.clone()),
            Expr::App(f, a) => Expr::App(child(f), child(a)),
            Expr::Lam {
                name,
                info,
                ty,
                body,
            } => Expr::binder(false, binder_name(name), *info, child(ty), child(body)),
            Expr::Pi {
                name,
                info,
                ty,
                body,
            } => Expr::binder(true, binder_name(name), *info, child(ty), child(body)),
            Expr::Let {
                name,
                ty,
                value,
                body,
                non_dep,
            } => Expr::Let {
                name: binder_name(name),
                ty: child(ty),
                value: child(value),
                body: child(body),
                non_dep: *non_dep,
            },
            Expr::Proj(s, i, e) => Expr::Proj(s.clone(), *i, child(e)),
        }
    }

    /// The direct children, in a fixed order (used by iterative traversals).
    pub fn children(&self) -> Vec<&ExprRef> {
        match self {
            Expr::BVar(_) | Expr::Sort(_) | Expr::Const(..) | Expr::Lit(_) => Vec::new(),
            Expr::App(f, a) => vec![f, a],
            Expr::Lam { ty, body, .. } | Expr::Pi { ty, body, .. } => vec![ty, body],
            Expr::Let {
                ty, value, body, ..
            } => vec![ty, value, body],
            Expr::Proj(_, _, e) => vec![e],
        }
    }
}

impl ix_base::Children for Expr {
    fn take_children(&mut self, out: &mut Vec<ExprRef>) {
        let placeholder = || Arc::new(Expr::BVar(0));
        match self {
            Expr::BVar(_) | Expr::Sort(_) | Expr::Const(..) | Expr::Lit(_) => {}
            Expr::App(f, a) => {
                out.push(std::mem::replace(f, placeholder()));
                out.push(std::mem::replace(a, placeholder()));
            }
            Expr::Lam { ty, body, .. } | Expr::Pi { ty, body, .. } => {
                out.push(std::mem::replace(ty, placeholder()));
                out.push(std::mem::replace(body, placeholder()));
            }
            Expr::Let {
                ty, value, body, ..
            } => {
                out.push(std::mem::replace(ty, placeholder()));
                out.push(std::mem::replace(value, placeholder()));
                out.push(std::mem::replace(body, placeholder()));
            }
            Expr::Proj(_, _, e) => out.push(std::mem::replace(e, placeholder())),
        }
    }
}

/// Dropping a deep term recursively would overflow the stack (10^5 nested
/// applications are a test case), so children whose last reference dies here
/// are unlinked onto an explicit stack instead.
impl Drop for Expr {
    fn drop(&mut self) {
        ix_base::drop_children(self);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_chain_drops_without_overflow() {
        let mut e = Arc::new(Expr::BVar(0));
        for _ in 0..1_000_000 {
            e = Arc::new(Expr::App(e, Arc::new(Expr::BVar(1))));
        }
        drop(e);
    }
}
