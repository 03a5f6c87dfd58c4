//! One constant's expressions and levels, from Ixon back to Lean: names
//! from metadata (checked against the scope) or synthetic ones.

use super::named::Scope;
use super::{err, Result};
use crate::DecompileError;
use ix_lean as lean;
use ix_lean::{BinderInfo, ExprRef as LExprRef, Level, LevelRef, Literal, Name};
use ixon::meta::{MetaIdx, MetaNode};
use ixon::{Address, Constant, Expr, ExprRef, Univ};
use num_bigint::BigUint;
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Largest successor run turned into nested `Succ` levels.
const MAX_SUCC_RUN: u64 = 1 << 20;

/// How names are found for one constant's expressions.
pub(super) enum Naming<'a> {
    /// From metadata nodes, checked against a scope.
    Meta {
        nodes: &'a [MetaNode],
        names: &'a [Name],
        scope: &'a Scope<'a>,
        deferred: &'a mut Vec<(Name, Address)>,
    },
    /// Synthetic names by address.
    Anonymous { names: &'a FxHashMap<Address, Name> },
}

/// Decompiles the expressions of one constant member.
pub(super) struct ExprCtx<'a> {
    pub(super) constant: &'a Constant,
    pub(super) blobs: &'a BTreeMap<Address, Vec<u8>>,
    pub(super) naming: Naming<'a>,
    pub(super) levels: Vec<Name>,
    /// The projection address and synthetic name of each block member.
    pub(super) members: Vec<(Address, Name)>,
    pub(super) memo: FxHashMap<(*const Expr, MetaIdx), LExprRef>,
    pub(super) univ_memo: FxHashMap<u64, LevelRef>,
}

enum Task<'x> {
    Visit(&'x ExprRef, MetaIdx),
    Build(&'x ExprRef, MetaIdx),
}

impl<'a> ExprCtx<'a> {
    fn node(&self, m: MetaIdx) -> Result<Option<&'a MetaNode>> {
        match &self.naming {
            Naming::Meta { nodes, .. } if m != 0 => match nodes.get(m as usize - 1) {
                Some(n) => Ok(Some(n)),
                None => err(format!("metadata node {m} out of range")),
            },
            _ => Ok(None),
        }
    }

    fn name(&self, i: u64) -> Result<Name> {
        match &self.naming {
            Naming::Meta { names, .. } => match names.get(i as usize) {
                Some(n) => Ok(n.clone()),
                None => err(format!("name reference {i} out of range")),
            },
            Naming::Anonymous { .. } => Ok(Name::anonymous()),
        }
    }

    fn reference(&self, r: u64) -> Result<Address> {
        match self.constant.refs.get(r as usize) {
            Some(a) => Ok(*a),
            None => err(format!("refs index {r} out of range")),
        }
    }

    /// The name a `Ref`/`Prj` to `addr` is written with, checked.
    fn ref_name(&self, addr: Address, meta_name: Option<u64>) -> Result<Name> {
        match (&self.naming, meta_name) {
            (Naming::Meta { names, scope, .. }, Some(i)) => {
                let name = names
                    .get(i as usize)
                    .cloned()
                    .ok_or_else(|| DecompileError(format!("name {i} out of range")))?;
                let declared = scope.get(&name);
                let dangling = declared.is_none() && addr == crate::undeclared_address(&name);
                if declared != Some(addr) && !dangling {
                    return err(format!(
                        "metadata names {name} for constant {}, but {name} is not declared earlier with that address",
                        addr.short_hex(16)
                    ));
                }
                Ok(name)
            }
            (Naming::Anonymous { names }, _) => Ok(synthetic_or_foreign(names, &addr)),
            (Naming::Meta { .. }, None) => Ok(foreign_name(&addr)),
        }
    }

    fn level(&mut self, u: u64) -> Result<LevelRef> {
        if let Some(l) = self.univ_memo.get(&u) {
            return Ok(l.clone());
        }
        let Some(univ) = self.constant.univs.get(u as usize) else {
            return err(format!("univs index {u} out of range"));
        };
        let l = self.univ(univ)?;
        self.univ_memo.insert(u, l.clone());
        Ok(l)
    }

    /// Universe nesting is bounded by the decoder, so recursion is safe.
    fn univ(&self, u: &Univ) -> Result<LevelRef> {
        Ok(match u {
            Univ::Zero => Level::zero(),
            Univ::Succ(n, inner) => {
                if *n > MAX_SUCC_RUN {
                    return err(format!("universe successor run {n} is too long"));
                }
                (0..*n).try_fold(self.univ(inner)?, |l, _| {
                    Ok::<_, DecompileError>(Level::succ(l))
                })?
            }
            Univ::Max(a, b) => Level::max(self.univ(a)?, self.univ(b)?),
            Univ::IMax(a, b) => Level::imax(self.univ(a)?, self.univ(b)?),
            Univ::Var(i) => Level::param(match (&self.naming, self.levels.get(*i as usize)) {
                (_, Some(n)) => n.clone(),
                (Naming::Anonymous { .. }, None) => level_param_name(*i),
                (Naming::Meta { .. }, None) => {
                    return err(format!("universe variable {i} has no name"))
                }
            }),
        })
    }

    fn blob(&self, r: u64) -> Result<&'a [u8]> {
        let addr = self.reference(r)?;
        match self.blobs.get(&addr) {
            Some(b) => Ok(b),
            None => err(format!("blob {} is missing", addr.short_hex(16))),
        }
    }

    fn leaf(&mut self, e: &Expr, m: MetaIdx) -> Result<LExprRef> {
        let meta_ref = |node: Option<&MetaNode>| -> Result<Option<u64>> {
            match node {
                None => Ok(None),
                Some(MetaNode::Ref(n)) => Ok(Some(*n)),
                Some(_) => err("metadata does not match a constant reference"),
            }
        };
        let node = self.node(m)?;
        Ok(Arc::new(match e {
            Expr::Sort(u) => lean::Expr::Sort(self.level(*u)?),
            Expr::Var(i) => lean::Expr::BVar(*i),
            Expr::Ref(r, us) => {
                let addr = self.reference(*r)?;
                let name = self.ref_name(addr, meta_ref(node)?)?;
                let ls = us.iter().map(|u| self.level(*u)).collect::<Result<_>>()?;
                lean::Expr::Const(name, ls)
            }
            Expr::Rec(i, us) => {
                let Some((addr, synthetic)) = self.members.get(*i as usize).cloned() else {
                    return err(format!("Rec index {i} outside its block"));
                };
                let name = match (&mut self.naming, meta_ref(node)?) {
                    (
                        Naming::Meta {
                            names, deferred, ..
                        },
                        Some(n),
                    ) => {
                        let name = names
                            .get(n as usize)
                            .cloned()
                            .ok_or_else(|| DecompileError(format!("name {n} out of range")))?;
                        deferred.push((name.clone(), addr));
                        name
                    }
                    _ => synthetic,
                };
                let ls = us.iter().map(|u| self.level(*u)).collect::<Result<_>>()?;
                lean::Expr::Const(name, ls)
            }
            Expr::Str(r) => match std::str::from_utf8(self.blob(*r)?) {
                Ok(s) => lean::Expr::Lit(Literal::Str(Arc::from(s))),
                Err(_) => return err("string literal blob is not UTF-8"),
            },
            Expr::Nat(r) => {
                let bytes = self.blob(*r)?;
                let minimal = bytes == [0] || bytes.last().is_some_and(|b| *b != 0);
                if !minimal {
                    return err("natural-number blob is not minimal little-endian");
                }
                lean::Expr::Lit(Literal::Nat(Arc::new(BigUint::from_bytes_le(bytes))))
            }
            _ => return err("internal: not a leaf"),
        }))
    }

    /// Metadata for the children of `e` (in `Expr::children` order).
    fn child_metas(&self, e: &Expr, m: MetaIdx) -> Result<Vec<MetaIdx>> {
        let mismatch = || err("metadata does not match the expression");
        Ok(match e {
            Expr::App(_, args) => {
                let mut metas = vec![0; args.len() + 1];
                let mut cur = m;
                for k in (1..=args.len()).rev() {
                    match self.node(cur)? {
                        None => break,
                        Some(MetaNode::App(f, a)) => {
                            metas[k] = *a;
                            cur = *f;
                        }
                        Some(_) => return mismatch(),
                    }
                    if k == 1 {
                        metas[0] = cur;
                    }
                }
                metas
            }
            Expr::Lam(tys, _) | Expr::All(tys, _) => {
                let mut metas = Vec::with_capacity(tys.len() + 1);
                let mut cur = m;
                for _ in tys {
                    match self.node(cur)? {
                        None => {
                            metas.push(0);
                            cur = 0;
                        }
                        Some(MetaNode::Binder(_, _, t, b)) => {
                            metas.push(*t);
                            cur = *b;
                        }
                        Some(_) => return mismatch(),
                    }
                }
                metas.push(cur);
                metas
            }
            Expr::Let(..) => match self.node(m)? {
                None => vec![0, 0, 0],
                Some(MetaNode::Let(_, t, v, b)) => vec![*t, *v, *b],
                Some(_) => return mismatch(),
            },
            Expr::Prj(..) => match self.node(m)? {
                None => vec![0],
                Some(MetaNode::Prj(_, e)) => vec![*e],
                Some(_) => return mismatch(),
            },
            _ => Vec::new(),
        })
    }

    /// Binder names and infos of a telescope of `n` binders.
    fn binders(&self, n: usize, m: MetaIdx) -> Result<Vec<(Name, BinderInfo)>> {
        let mut out = Vec::with_capacity(n);
        let mut cur = m;
        for _ in 0..n {
            match self.node(cur)? {
                Some(MetaNode::Binder(name, info, _, b)) => {
                    out.push((self.name(*name)?, binder_info(*info)));
                    cur = *b;
                }
                _ => {
                    out.push((Name::anonymous(), BinderInfo::Default));
                    cur = 0;
                }
            }
        }
        Ok(out)
    }

    fn build(&mut self, e: &Expr, m: MetaIdx, mut kids: Vec<LExprRef>) -> Result<LExprRef> {
        Ok(match e {
            Expr::App(..) => {
                let mut it = kids.into_iter();
                let head = it
                    .next()
                    .ok_or_else(|| DecompileError("empty application".into()))?;
                it.fold(head, |f, a| Arc::new(lean::Expr::App(f, a)))
            }
            Expr::Lam(tys, _) | Expr::All(tys, _) => {
                let binders = self.binders(tys.len(), m)?;
                let mut body = kids
                    .pop()
                    .ok_or_else(|| DecompileError("binder without body".into()))?;
                for ((name, info), ty) in binders.into_iter().zip(kids).rev() {
                    body = Arc::new(if matches!(e, Expr::Lam(..)) {
                        lean::Expr::Lam {
                            name,
                            info,
                            ty,
                            body,
                        }
                    } else {
                        lean::Expr::Pi {
                            name,
                            info,
                            ty,
                            body,
                        }
                    });
                }
                body
            }
            Expr::Let(non_dep, ..) => {
                let name = match self.node(m)? {
                    Some(MetaNode::Let(n, ..)) => self.name(*n)?,
                    _ => Name::anonymous(),
                };
                let mut it = kids.into_iter();
                let (Some(ty), Some(value), Some(body)) = (it.next(), it.next(), it.next()) else {
                    return err("let without three parts");
                };
                Arc::new(lean::Expr::Let {
                    name,
                    ty,
                    value,
                    body,
                    non_dep: *non_dep,
                })
            }
            Expr::Prj(r, field, _) => {
                let meta_name = match self.node(m)? {
                    Some(MetaNode::Prj(n, _)) => Some(*n),
                    _ => None,
                };
                let name = self.ref_name(self.reference(*r)?, meta_name)?;
                let inner = kids
                    .pop()
                    .ok_or_else(|| DecompileError("projection without a struct".into()))?;
                Arc::new(lean::Expr::Proj(name, *field, inner))
            }
            _ => return err("internal: not an inner node"),
        })
    }

    /// Iterative, memoized on (node, metadata).
    pub(super) fn expr(&mut self, root: &'a ExprRef, meta: MetaIdx) -> Result<LExprRef> {
        let mut tasks: Vec<Task<'a>> = vec![Task::Visit(root, meta)];
        let mut values: Vec<LExprRef> = Vec::new();
        while let Some(task) = tasks.pop() {
            match task {
                Task::Visit(e, m) => {
                    let e = self.unshare(e)?;
                    if let Some(v) = self.memo.get(&(Arc::as_ptr(e), m)) {
                        values.push(v.clone());
                        continue;
                    }
                    let kids = e.children();
                    if kids.is_empty() {
                        let v = self.leaf(e, m)?;
                        self.memo.insert((Arc::as_ptr(e), m), v.clone());
                        values.push(v);
                        continue;
                    }
                    let metas = self.child_metas(e, m)?;
                    tasks.push(Task::Build(e, m));
                    for (k, km) in kids.into_iter().zip(metas).rev() {
                        tasks.push(Task::Visit(k, km));
                    }
                }
                Task::Build(e, m) => {
                    let n = e.children().len();
                    let Some(start) = values.len().checked_sub(n) else {
                        return err("internal: value stack underflow");
                    };
                    let kids = values.split_off(start);
                    let v = self.build(e, m, kids)?;
                    self.memo.insert((Arc::as_ptr(e), m), v.clone());
                    values.push(v);
                }
            }
        }
        values
            .pop()
            .ok_or_else(|| DecompileError("internal: no value".into()))
    }

    /// Follows `Share` nodes to the shared term.
    fn unshare(&self, mut e: &'a ExprRef) -> Result<&'a ExprRef> {
        while let Expr::Share(k) = &**e {
            e = match self.constant.sharing.get(*k as usize) {
                Some(s) if !Arc::ptr_eq(s, e) => s,
                _ => return err(format!("sharing index {k} out of range")),
            };
        }
        Ok(e)
    }
}

fn binder_info(code: u8) -> BinderInfo {
    match code {
        1 => BinderInfo::Implicit,
        2 => BinderInfo::StrictImplicit,
        3 => BinderInfo::InstImplicit,
        _ => BinderInfo::Default,
    }
}

pub(super) fn level_param_name(i: u64) -> Name {
    Name::anonymous().str(&format!("u_{i}"))
}

pub(super) fn foreign_name(a: &Address) -> Name {
    Name::anonymous().str("_ix").str(&a.short_hex(16))
}

pub(super) fn synthetic_or_foreign(names: &FxHashMap<Address, Name>, a: &Address) -> Name {
    names.get(a).cloned().unwrap_or_else(|| foreign_name(a))
}
