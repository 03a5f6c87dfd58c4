//! From an exported block to the declaration the kernel checks: the universe
//! parameters, the parameter count, and each type with its constructors in
//! order. Everything the exporter states about the block's shape (`all`,
//! constructor lists, `induct`, `cidx`, counts, safety) is validated here
//! against the block itself; nothing else is read from it.

use crate::error::{KResult, KernelError};
use crate::expr::{Expr, ExprData};
use ix_lean::{InductiveBlock, Name, NamePart};
use rustc_hash::FxHashSet;

/// A constructor as the kernel checks it: a name and a type.
#[derive(Clone, Debug)]
pub(crate) struct Ctor {
    pub name: Name,
    pub ty: Expr,
}

/// One inductive type of a (mutual) declaration.
#[derive(Clone, Debug)]
pub(crate) struct IndType {
    pub name: Name,
    pub ty: Expr,
    pub ctors: Vec<Ctor>,
}

/// A mutual inductive declaration: what `add_inductive` takes upstream.
#[derive(Clone, Debug)]
pub(crate) struct Decl {
    pub level_params: crate::level::LevelParams,
    pub num_params: usize,
    pub types: Vec<IndType>,
    pub is_unsafe: bool,
}

impl Decl {
    pub fn type_names(&self) -> Vec<Name> {
        self.types.iter().map(|t| t.name.clone()).collect()
    }
}

/// The prefix of the kernel's auxiliary types for nested occurrences; user
/// declarations may not mention it (lean4#14616).
pub(crate) const NESTED_PREFIX: &str = "_nested";

pub(crate) fn is_reserved(n: &Name) -> bool {
    matches!(n.root(), Some(NamePart::Str(s)) if &**s == NESTED_PREFIX)
}

/// `I.rec`.
pub(crate) fn rec_name(induct: &Name) -> Name {
    induct.str("rec")
}

/// Number of leading Pi binders, syntactically.
pub(crate) fn pi_arity(ty: &Expr) -> usize {
    let mut n = 0;
    let mut t = ty;
    while let ExprData::Pi(_, _, body) = t.data() {
        n += 1;
        t = body;
    }
    n
}

/// Validates the block's shape and converts it to a [`Decl`].
pub(crate) fn decl_of_block(block: &InductiveBlock<Expr>) -> KResult<Decl> {
    let Some(first) = block.types.first() else {
        let name = block
            .ctors
            .first()
            .map(|c| c.cval.name.clone())
            .unwrap_or_default();
        return Err(KernelError::reject(
            &name,
            "an inductive declaration must contain at least one type",
        ));
    };
    let main = &first.cval.name;
    let reject = |reason: String| Err(KernelError::reject(main, reason));
    let level_params: crate::level::LevelParams = first.cval.level_params.clone().into();
    for (i, p) in level_params.iter().enumerate() {
        if level_params[..i].contains(p) {
            return reject(format!("duplicate universe parameter {p}"));
        }
    }
    let num_params = first.num_params;
    let is_unsafe = first.is_unsafe;
    let names: Vec<Name> = block.types.iter().map(|t| t.cval.name.clone()).collect();
    let mut seen = FxHashSet::default();
    for t in &block.types {
        let n = &t.cval.name;
        if *t.cval.level_params != *level_params {
            return reject(format!(
                "{n}: all types of a mutual block must have the same universe parameters"
            ));
        }
        if t.num_params != num_params {
            return reject(format!(
                "{n}: all types of a mutual block must have the same number of parameters"
            ));
        }
        if t.is_unsafe != is_unsafe {
            return reject(format!("{n}: mixed safety in a mutual block"));
        }
        if t.all != names {
            return reject(format!("{n}: `all` does not list the block's types"));
        }
        if !seen.insert(n.clone()) {
            return reject(format!("duplicate type name {n}"));
        }
    }
    let mut claimed = vec![false; block.ctors.len()];
    let mut types = Vec::with_capacity(block.types.len());
    for t in &block.types {
        let mut ctors = Vec::with_capacity(t.ctors.len());
        for (cidx, cname) in t.ctors.iter().enumerate() {
            let mut found = block
                .ctors
                .iter()
                .enumerate()
                .filter(|(_, c)| &c.cval.name == cname);
            let Some((pos, c)) = found.next() else {
                return reject(format!("constructor {cname} of {} is missing", t.cval.name));
            };
            if found.next().is_some() || claimed[pos] {
                return reject(format!("duplicate constructor name {cname}"));
            }
            claimed[pos] = true;
            if c.induct != t.cval.name {
                return reject(format!("{cname}: `induct` is not {}", t.cval.name));
            }
            if c.cidx as usize != cidx {
                return reject(format!("{cname}: wrong constructor index {}", c.cidx));
            }
            if c.num_params != num_params {
                return reject(format!("{cname}: wrong number of parameters"));
            }
            if *c.cval.level_params != *level_params {
                return reject(format!(
                    "{cname}: universe parameters differ from the type's"
                ));
            }
            if c.is_unsafe != is_unsafe {
                return reject(format!("{cname}: mixed safety in a mutual block"));
            }
            if !seen.insert(cname.clone()) {
                return reject(format!("duplicate name {cname}"));
            }
            let ty = c.cval.ty.clone();
            let arity = pi_arity(&ty);
            if arity < num_params as usize || c.num_fields as usize != arity - num_params as usize {
                return reject(format!("{cname}: wrong number of fields {}", c.num_fields));
            }
            ctors.push(Ctor {
                name: cname.clone(),
                ty,
            });
        }
        types.push(IndType {
            name: t.cval.name.clone(),
            ty: t.cval.ty.clone(),
            ctors,
        });
    }
    if let Some(pos) = claimed.iter().position(|c| !c) {
        return reject(format!(
            "constructor {} belongs to no type of the block",
            block.ctors[pos].cval.name
        ));
    }
    for r in &block.recs {
        if r.is_unsafe != is_unsafe {
            return reject(format!("{}: mixed safety in a mutual block", r.cval.name));
        }
    }
    let decl = Decl {
        level_params,
        num_params: num_params as usize,
        types,
        is_unsafe,
    };
    check_no_reserved_names(&decl, main)?;
    Ok(decl)
}

/// Neither the block's names nor the constants and projections its types
/// mention may use the reserved `_nested` prefix.
fn check_no_reserved_names(decl: &Decl, main: &Name) -> KResult<()> {
    let mut terms = Vec::new();
    for t in &decl.types {
        terms.push((&t.name, &t.ty));
        for c in &t.ctors {
            terms.push((&c.name, &c.ty));
        }
    }
    for (name, ty) in terms {
        if is_reserved(name) {
            return Err(KernelError::reject(
                main,
                format!("{name} uses the reserved prefix {NESTED_PREFIX}"),
            ));
        }
        let hit = ty.find(|e| match e.data() {
            ExprData::Const(n, _) | ExprData::Proj(n, _, _) if is_reserved(n) => Some(n.clone()),
            _ => None,
        });
        if let Some(n) = hit {
            return Err(KernelError::reject(
                main,
                format!("{name} mentions {n}, which uses the reserved prefix {NESTED_PREFIX}"),
            ));
        }
    }
    Ok(())
}
