//! Surface syntax tree produced by the parser.

use crate::error::Pos;

pub type ExprId = u32;

#[derive(Clone, Debug)]
pub struct SourceFile {
    pub items: Vec<Item>,
    /// One more than the largest `ExprId` in the file.
    pub expr_count: u32,
}

#[derive(Clone, Debug)]
pub enum Item {
    Fn(FnDef),
    Enum(EnumDef),
    Alias(AliasDef),
}

/// A function: as written (types as `TypeExpr`), or checked (types
/// resolved, [`crate::check::FnInfo`]).
#[derive(Clone, Debug)]
pub struct FnDef<T = TypeExpr> {
    pub pos: Pos,
    pub name: String,
    pub is_pub: bool,
    pub type_params: Vec<String>,
    pub params: Vec<(String, T)>,
    pub ret: T,
    pub body: Expr,
}

#[derive(Clone, Debug)]
pub struct EnumDef {
    pub pos: Pos,
    pub name: String,
    pub type_params: Vec<String>,
    pub ctors: Vec<CtorDef>,
}

#[derive(Clone, Debug)]
pub struct CtorDef {
    pub pos: Pos,
    pub name: String,
    pub fields: Vec<TypeExpr>,
}

#[derive(Clone, Debug)]
pub struct AliasDef {
    pub pos: Pos,
    pub name: String,
    pub type_params: Vec<String>,
    pub ty: TypeExpr,
}

#[derive(Clone, Debug)]
pub struct TypeExpr {
    pub pos: Pos,
    pub kind: TypeExprKind,
}

#[derive(Clone, Debug)]
pub enum TypeExprKind {
    /// `G`, `U8`, a type parameter, an alias or an enum, with type arguments.
    Named(String, Vec<TypeExpr>),
    Tuple(Vec<TypeExpr>),
    Array(Box<TypeExpr>, u64),
    Ptr(Box<TypeExpr>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
}

#[derive(Clone, Debug)]
pub struct Expr {
    pub id: ExprId,
    pub pos: Pos,
    pub kind: ExprKind,
}

#[derive(Clone, Debug)]
pub enum ExprKind {
    Int(u128),
    Var(String),
    Tuple(Vec<Expr>),
    Array(Vec<Expr>),
    ArrayRepeat(Box<Expr>, u64),
    Proj(Box<Expr>, u64),
    Index(Box<Expr>, u64),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// A call of a function or builtin; `unconstrained` for `#f(..)`.
    Call {
        name: String,
        args: Vec<Expr>,
        unconstrained: bool,
    },
    Ctor {
        enum_name: String,
        ctor: String,
        args: Vec<Expr>,
    },
    Match {
        scrutinee: Box<Expr>,
        arms: Vec<Arm>,
    },
    Block {
        stmts: Vec<Stmt>,
        tail: Box<Expr>,
    },
    AssertEq(Box<Expr>, Box<Expr>),
    Unreachable,
}

#[derive(Clone, Debug)]
pub struct Arm {
    pub pat: Pat,
    pub body: Expr,
}

#[derive(Clone, Debug)]
pub enum Stmt {
    Let {
        pat: Pat,
        ty: Option<TypeExpr>,
        value: Expr,
    },
    Expr(Expr),
}

#[derive(Clone, Debug)]
pub struct Pat {
    pub pos: Pos,
    pub kind: PatKind,
}

#[derive(Clone, Debug)]
pub enum PatKind {
    Wild,
    Bind(String),
    Int(u128),
    Tuple(Vec<Pat>),
    /// `[p, q, ..]`: an array of exactly that many elements.
    Array(Vec<Pat>),
    Ctor {
        enum_name: String,
        ctor: String,
        args: Vec<Pat>,
    },
    Deref(Box<Pat>),
}

impl Pat {
    /// The position of the first part of the pattern that can fail to
    /// match, if any.
    pub fn refutable_at(&self) -> Option<Pos> {
        match &self.kind {
            PatKind::Wild | PatKind::Bind(_) => None,
            PatKind::Int(_) | PatKind::Ctor { .. } => Some(self.pos),
            PatKind::Tuple(elems) | PatKind::Array(elems) => {
                elems.iter().find_map(Pat::refutable_at)
            }
            PatKind::Deref(inner) => inner.refutable_at(),
        }
    }
}
