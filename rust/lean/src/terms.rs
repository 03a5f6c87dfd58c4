//! Where a reader builds terms. `ix_lean` builds its own shared nodes
//! ([`LeanTerms`]); a checker implements [`TermBuilder`] to read an export
//! straight into its own representation, with no `ix_lean` copy between.

use crate::expr::{BinderInfo, Expr, ExprRef, Literal};
use crate::level::{Level, LevelRef};
use crate::name::Name;
use std::sync::Arc;

/// One expression node whose children are already built.
pub enum Node<L, E> {
    BVar(u64),
    Sort(L),
    Const(Name, Vec<L>),
    App(E, E),
    Lam(Name, BinderInfo, E, E),
    Pi(Name, BinderInfo, E, E),
    Let(Name, E, E, E, bool),
    Lit(Literal),
    Proj(Name, u64, E),
}

/// Builds levels and expressions bottom-up, children first.
pub trait TermBuilder {
    type Level: Clone;
    type Expr: Clone;
    fn zero(&mut self) -> Self::Level;
    fn succ(&mut self, l: Self::Level) -> Self::Level;
    fn max(&mut self, a: Self::Level, b: Self::Level) -> Self::Level;
    fn imax(&mut self, a: Self::Level, b: Self::Level) -> Self::Level;
    fn param(&mut self, name: Name) -> Self::Level;
    fn expr(&mut self, node: Node<Self::Level, Self::Expr>) -> Self::Expr;
}

/// `ix_lean`'s own terms.
#[derive(Default)]
pub struct LeanTerms;

impl TermBuilder for LeanTerms {
    type Level = LevelRef;
    type Expr = ExprRef;

    fn zero(&mut self) -> LevelRef {
        Level::zero()
    }
    fn succ(&mut self, l: LevelRef) -> LevelRef {
        Level::succ(l)
    }
    fn max(&mut self, a: LevelRef, b: LevelRef) -> LevelRef {
        Level::max(a, b)
    }
    fn imax(&mut self, a: LevelRef, b: LevelRef) -> LevelRef {
        Level::imax(a, b)
    }
    fn param(&mut self, name: Name) -> LevelRef {
        Level::param(name)
    }
    fn expr(&mut self, node: Node<LevelRef, ExprRef>) -> ExprRef {
        Arc::new(match node {
            Node::BVar(i) => Expr::BVar(i),
            Node::Sort(l) => Expr::Sort(l),
            Node::Const(n, ls) => Expr::Const(n, ls),
            Node::App(f, a) => Expr::App(f, a),
            Node::Lam(name, info, ty, body) => Expr::Lam {
                name,
                info,
                ty,
                body,
            },
            Node::Pi(name, info, ty, body) => Expr::Pi {
                name,
                info,
                ty,
                body,
            },
            Node::Let(name, ty, value, body, non_dep) => Expr::Let {
                name,
                ty,
                value,
                body,
                non_dep,
            },
            Node::Lit(l) => Expr::Lit(l),
            Node::Proj(s, i, e) => Expr::Proj(s, i, e),
        })
    }
}
