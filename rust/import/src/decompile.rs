//! Decompiling Ixon back to `ix_lean` declarations.
//!
//! With metadata, the named entries give the declarations in export order
//! with their names; every hashed field comes from the constants, and every
//! name an expression uses is checked against the address it stands for
//! (a `Ref` name must be declared earlier with exactly that address, a `Rec`
//! name must be declared somewhere as that block member), so metadata can
//! rename but never redirect what the kernel checks.
//!
//! Without metadata, names are synthetic (see the crate docs) and the
//! declarations come in a deterministic dependency order.

use crate::names::resolve_table;
use crate::DecompileError;
use ix_lean as lean;
use ix_lean::{BinderInfo, ExprRef as LExprRef, Level, LevelRef, Literal, Name};
use ixon::meta::{DeclEntry, DeclMeta, MetaIdx, MetaNode};
use ixon::{
    Address, Constant, ConstantInfo, DefKind, Expr, ExprRef, IxonEnv, Member, Safety, Univ,
};
use num_bigint::BigUint;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::sync::Arc;

type Result<T> = std::result::Result<T, DecompileError>;

fn err<T>(message: impl Into<String>) -> Result<T> {
    Err(DecompileError(message.into()))
}

/// Largest successor run turned into nested `Succ` levels.
const MAX_SUCC_RUN: u64 = 1 << 20;

/// Decompiles with metadata when the environment has any, else anonymously.
pub fn decompile(env: &IxonEnv) -> Result<lean::Environment> {
    if env.meta.is_empty() {
        return decompile_anonymous(env);
    }
    Named::new(env)?.run()
}

/// Decompiles an environment that has metadata, and also returns the
/// address every declared name stands for (a later duplicate wins), so that
/// later stages need not compile the declarations again to find it.
pub fn decompile_with_addresses(
    env: &IxonEnv,
) -> Result<(lean::Environment, FxHashMap<Name, Address>)> {
    if env.meta.is_empty() {
        return err("the environment has no metadata: there are no names to give addresses");
    }
    Named::new(env)?.run_with_scope()
}

/// How names are found for one constant's expressions.
enum Naming<'a> {
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
struct ExprCtx<'a> {
    constant: &'a Constant,
    blobs: &'a BTreeMap<Address, Vec<u8>>,
    naming: Naming<'a>,
    levels: Vec<Name>,
    /// The projection address and synthetic name of each block member.
    members: Vec<(Address, Name)>,
    memo: FxHashMap<(*const Expr, MetaIdx), LExprRef>,
    univ_memo: FxHashMap<u64, LevelRef>,
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
    fn expr(&mut self, root: &'a ExprRef, meta: MetaIdx) -> Result<LExprRef> {
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

fn level_param_name(i: u64) -> Name {
    Name::anonymous().str(&format!("u_{i}"))
}

fn foreign_name(a: &Address) -> Name {
    Name::anonymous().str("_ix").str(&a.short_hex(16))
}

fn synthetic_or_foreign(names: &FxHashMap<Address, Name>, a: &Address) -> Name {
    names.get(a).cloned().unwrap_or_else(|| foreign_name(a))
}

fn to_u32(v: u64, what: &str) -> Result<u32> {
    u32::try_from(v).map_err(|_| DecompileError(format!("{what} {v} exceeds u32")))
}

fn hint_of(code: u64) -> Result<lean::ReducibilityHints> {
    Ok(match code {
        0 => lean::ReducibilityHints::Opaque,
        1 => lean::ReducibilityHints::Abbrev,
        h => lean::ReducibilityHints::Regular(to_u32(h - 2, "hint height")?),
    })
}

fn projection(info: ConstantInfo) -> Address {
    Constant::bare(info).address()
}

/// The member projections of a block, for `Rec` targets.
fn member_addresses(block: &Address, members: &[Member]) -> Vec<Address> {
    members
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let idx = i as u64;
            projection(match m {
                Member::Defn(_) => ConstantInfo::DPrj { idx, block: *block },
                Member::Indc(_) => ConstantInfo::IPrj { idx, block: *block },
                Member::Recr(_) => ConstantInfo::RPrj { idx, block: *block },
            })
        })
        .collect()
}

/// Member addresses paired with their placeholder names (`_ix.<block>.<i>`),
/// which stand for block members in expressions until names are known.
fn named_member_addresses(block: &Address, members: &[Member]) -> Vec<(Address, Name)> {
    member_addresses(block, members)
        .into_iter()
        .zip(0..)
        .map(|(a, i)| (a, member_name(block, i)))
        .collect()
}

fn constant<'e>(env: &'e IxonEnv, addr: &Address) -> Result<&'e Constant> {
    env.consts
        .get(addr)
        .ok_or_else(|| DecompileError(format!("constant {} is missing", addr.short_hex(16))))
}

fn block_members<'e>(env: &'e IxonEnv, block: &Address) -> Result<(&'e Constant, &'e [Member])> {
    let c = constant(env, block)?;
    match &c.info {
        ConstantInfo::Muts(ms) => Ok((c, ms)),
        _ => err(format!("{} is not a mutual block", block.short_hex(16))),
    }
}

/// A definition-like payload to a declaration.
fn definition(
    d: &ixon::Defn,
    cval: lean::ConstantVal,
    value: LExprRef,
    hint: Option<u64>,
    all: Vec<Name>,
) -> Result<lean::Declaration> {
    Ok(match d.kind {
        DefKind::Definition => lean::Declaration::Definition(lean::DefinitionVal {
            cval,
            value,
            hints: hint_of(
                hint.ok_or_else(|| DecompileError("definition without a hint".into()))?,
            )?,
            safety: match d.safety {
                Safety::Unsafe => lean::DefinitionSafety::Unsafe,
                Safety::Safe => lean::DefinitionSafety::Safe,
                Safety::Partial => lean::DefinitionSafety::Partial,
            },
            all,
        }),
        DefKind::Theorem => {
            if d.safety != Safety::Safe {
                return err(format!("theorem {} is not safe", cval.name));
            }
            lean::Declaration::Theorem(lean::TheoremVal { cval, value, all })
        }
        DefKind::Opaque => {
            if d.safety == Safety::Partial {
                return err(format!("opaque {} is partial", cval.name));
            }
            lean::Declaration::Opaque(lean::OpaqueVal {
                cval,
                value,
                is_unsafe: d.safety == Safety::Unsafe,
                all,
            })
        }
    })
}

/// The names declared before the entry being decompiled, with the address
/// each stands for (a later declaration of a name wins).
enum Scope<'h> {
    /// Grown entry by entry, when every entry is decompiled in order.
    Growing(FxHashMap<Name, Address>),
    /// For one chosen entry: each name's declaration history cut before it,
    /// plus what the entry itself has declared so far.
    AsOf {
        history: &'h FxHashMap<Name, Vec<(usize, Address)>>,
        entry: usize,
        own: FxHashMap<Name, Address>,
    },
}

impl Scope<'_> {
    fn get(&self, name: &Name) -> Option<Address> {
        match self {
            Scope::Growing(map) => map.get(name).copied(),
            Scope::AsOf {
                history,
                entry,
                own,
            } => own.get(name).copied().or_else(|| {
                let declarations = history.get(name)?;
                let before = declarations.partition_point(|(j, _)| j < entry);
                before.checked_sub(1).map(|k| declarations[k].1)
            }),
        }
    }

    fn insert(&mut self, name: Name, addr: Address) {
        match self {
            Scope::Growing(map) => map.insert(name, addr),
            Scope::AsOf { own, .. } => own.insert(name, addr),
        };
    }
}

/// The exporter header kept in the metadata comments.
fn export_meta(env: &IxonEnv) -> lean::ExportMeta {
    let comment = |k: &str| {
        env.meta
            .comments
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    lean::ExportMeta {
        exporter_name: comment("exporter.name"),
        exporter_version: comment("exporter.version"),
        format_version: comment("format.version"),
        lean_version: comment("lean.version"),
        lean_githash: comment("lean.githash"),
    }
}

/// Decompiling with metadata.
struct Named<'e> {
    env: &'e IxonEnv,
    names: std::borrow::Cow<'e, [Name]>,
    scope: Scope<'e>,
    deferred: Vec<(Name, Address)>,
    /// Every (name, address) a named entry declares.
    declared: FxHashSet<(Name, Address)>,
}

impl<'e> Named<'e> {
    fn new(env: &'e IxonEnv) -> Result<Named<'e>> {
        Ok(Named {
            env,
            names: resolve_table(&env.meta.names, &env.blobs)
                .map_err(DecompileError)?
                .into(),
            scope: Scope::Growing(FxHashMap::default()),
            deferred: Vec::new(),
            declared: FxHashSet::default(),
        })
    }

    fn name(&self, i: u64) -> Result<Name> {
        name_at(&self.names, i)
    }

    fn names(&self, list: &[u64]) -> Result<Vec<Name>> {
        list.iter().map(|i| self.name(*i)).collect()
    }

    fn declare(&mut self, name: Name, addr: Address) {
        self.declared.insert((name.clone(), addr));
        self.scope.insert(name, addr);
    }

    fn run(self) -> Result<lean::Environment> {
        self.run_with_scope().map(|(env, _)| env)
    }

    fn run_with_scope(mut self) -> Result<(lean::Environment, FxHashMap<Name, Address>)> {
        let mut decls = Vec::with_capacity(self.env.meta.decls.len());
        for (i, entry) in self.env.meta.decls.iter().enumerate() {
            let d = self
                .entry(&entry.nodes, &entry.decl)
                .map_err(|e| DecompileError(format!("named entry {i}: {}", e.0)))?;
            decls.push(d);
        }
        for (name, addr) in &self.deferred {
            if !self.declared.contains(&(name.clone(), *addr)) {
                return err(format!(
                    "metadata names a block member {name}, which is not that member"
                ));
            }
        }
        let env = lean::Environment {
            meta: export_meta(self.env),
            decls,
        };
        let scope = match std::mem::replace(&mut self.scope, Scope::Growing(Default::default())) {
            Scope::Growing(map) => map,
            Scope::AsOf { .. } => return err("a decompile of chosen entries has no final scope"),
        };
        Ok((env, scope))
    }

    /// Decompiles `roots` (with their metadata) of one member.
    fn exprs(
        &mut self,
        constant: &'e Constant,
        nodes: &'e [MetaNode],
        levels: &[u64],
        members: Vec<(Address, Name)>,
        roots: &[(&'e ExprRef, MetaIdx)],
    ) -> Result<Vec<LExprRef>> {
        let levels = self.names(levels)?;
        let mut ctx = ExprCtx {
            constant,
            blobs: &self.env.blobs,
            naming: Naming::Meta {
                nodes,
                names: &self.names,
                scope: &self.scope,
                deferred: &mut self.deferred,
            },
            levels,
            members,
            memo: FxHashMap::default(),
            univ_memo: FxHashMap::default(),
        };
        roots.iter().map(|(e, m)| ctx.expr(e, *m)).collect()
    }

    fn cval(
        &self,
        c: &ixon::meta::ConstMeta,
        lvls: u64,
        ty: LExprRef,
    ) -> Result<lean::ConstantVal> {
        let levels = self.names(&c.levels)?;
        let Some(params) = levels.get(..lvls as usize) else {
            return err(format!(
                "{} level names for {lvls} level parameters",
                levels.len()
            ));
        };
        Ok(lean::ConstantVal {
            name: self.name(c.name)?,
            level_params: params.to_vec(),
            ty,
        })
    }

    fn entry(&mut self, nodes: &'e [MetaNode], decl: &'e DeclMeta) -> Result<lean::Declaration> {
        let env = self.env;
        match decl {
            DeclMeta::Axiom { addr, c } | DeclMeta::Quot { addr, c } => {
                let k = constant(env, addr)?;
                let (lvls, ty) = match (&k.info, decl) {
                    (ConstantInfo::Axio(a), DeclMeta::Axiom { .. }) => (a.lvls, &a.ty),
                    (ConstantInfo::Quot(q), DeclMeta::Quot { .. }) => (q.lvls, &q.ty),
                    _ => return err("metadata kind does not match the constant"),
                };
                let ty = self
                    .exprs(k, nodes, &c.levels, Vec::new(), &[(ty, c.ty)])?
                    .remove(0);
                let cval = self.cval(c, lvls, ty)?;
                self.declare(cval.name.clone(), *addr);
                Ok(match &k.info {
                    ConstantInfo::Axio(a) => lean::Declaration::Axiom(lean::AxiomVal {
                        cval,
                        is_unsafe: a.is_unsafe,
                    }),
                    ConstantInfo::Quot(q) => lean::Declaration::Quot(lean::QuotVal {
                        cval,
                        kind: match q.kind {
                            ixon::QuotKind::Type => lean::QuotKind::Type,
                            ixon::QuotKind::Ctor => lean::QuotKind::Ctor,
                            ixon::QuotKind::Lift => lean::QuotKind::Lift,
                            ixon::QuotKind::Ind => lean::QuotKind::Ind,
                        },
                    }),
                    _ => return err("metadata kind does not match the constant"),
                })
            }
            DeclMeta::Defn {
                addr,
                c,
                value,
                hint,
                all,
            } => {
                let k = constant(env, addr)?;
                let (holder, defn, members) = match &k.info {
                    ConstantInfo::Defn(d) => (k, d, Vec::new()),
                    ConstantInfo::DPrj { idx, block } => {
                        let (b, ms) = block_members(env, block)?;
                        let Some(Member::Defn(d)) = ms.get(*idx as usize) else {
                            return err("DPrj does not point at a definition");
                        };
                        let members = named_member_addresses(block, ms);
                        (b, d, members)
                    }
                    _ => return err("metadata kind does not match the constant"),
                };
                let mut out = self.exprs(
                    holder,
                    nodes,
                    &c.levels,
                    members,
                    &[(&defn.ty, c.ty), (&defn.value, *value)],
                )?;
                let value = out.pop().ok_or_else(|| DecompileError("no value".into()))?;
                let ty = out.pop().ok_or_else(|| DecompileError("no type".into()))?;
                let cval = self.cval(c, defn.lvls, ty)?;
                self.declare(cval.name.clone(), *addr);
                definition(defn, cval, value, *hint, self.names(all)?)
            }
            DeclMeta::Inductive {
                block,
                rec_block,
                types,
                ctors,
                recs,
            } => self.inductive(nodes, block, rec_block, types, ctors, recs),
        }
    }

    fn inductive(
        &mut self,
        nodes: &'e [MetaNode],
        block: &Option<Address>,
        rec_block: &Option<Address>,
        types: &'e [ixon::meta::TypeMeta],
        ctors: &'e [ixon::meta::CtorMeta],
        recs: &'e [ixon::meta::RecMeta],
    ) -> Result<lean::Declaration> {
        let env = self.env;
        let mut out = lean::InductiveBlock {
            types: Vec::new(),
            ctors: Vec::new(),
            recs: Vec::new(),
        };
        if let Some(block) = block {
            let (k, ms) = block_members(env, block)?;
            let indcs: Vec<&ixon::Indc> = ms
                .iter()
                .map(|m| match m {
                    Member::Indc(i) => Ok(i),
                    _ => err("inductive block with a non-inductive member"),
                })
                .collect::<Result<_>>()?;
            if indcs.len() != types.len() {
                return err("metadata and block disagree on the number of types");
            }
            let member_addrs: Vec<(Address, Name)> = named_member_addresses(block, ms);
            for (tm, ind) in types.iter().zip(&indcs) {
                let ty = self
                    .exprs(
                        k,
                        nodes,
                        &tm.c.levels,
                        member_addrs.clone(),
                        &[(&ind.ty, tm.c.ty)],
                    )?
                    .remove(0);
                let cval = self.cval(&tm.c, ind.lvls, ty)?;
                out.types.push(lean::InductiveVal {
                    cval,
                    num_params: to_u32(ind.params, "numParams")?,
                    num_indices: to_u32(ind.indices, "numIndices")?,
                    all: self.names(&tm.all)?,
                    ctors: self.names(&tm.ctors)?,
                    num_nested: to_u32(tm.num_nested, "numNested")?,
                    is_rec: tm.is_rec,
                    is_unsafe: ind.is_unsafe,
                    is_reflexive: tm.is_reflexive,
                });
            }
            let total: usize = indcs.iter().map(|i| i.ctors.len()).sum();
            let mut covered = FxHashSet::default();
            for cm in ctors {
                let Some(ctor) = indcs
                    .get(cm.type_idx as usize)
                    .and_then(|i| i.ctors.get(cm.position as usize))
                else {
                    return err("constructor metadata points outside the block");
                };
                if !covered.insert((cm.type_idx, cm.position)) {
                    return err("two constructor entries for one constructor");
                }
                let ty = self
                    .exprs(
                        k,
                        nodes,
                        &cm.c.levels,
                        member_addrs.clone(),
                        &[(&ctor.ty, cm.c.ty)],
                    )?
                    .remove(0);
                let cval = self.cval(&cm.c, ctor.lvls, ty)?;
                out.ctors.push(lean::ConstructorVal {
                    cval,
                    induct: self.name(cm.induct)?,
                    cidx: to_u32(ctor.cidx, "cidx")?,
                    num_params: to_u32(ctor.params, "numParams")?,
                    num_fields: to_u32(ctor.fields, "numFields")?,
                    is_unsafe: ctor.is_unsafe,
                });
            }
            if covered.len() != total {
                return err("constructor metadata does not cover the block");
            }
            // Each type lists exactly its hashed constructors, in block order.
            let at: FxHashMap<(u64, u64), &Name> = ctors
                .iter()
                .zip(&out.ctors)
                .map(|(cm, c)| ((cm.type_idx, cm.position), &c.cval.name))
                .collect();
            for (t, ty) in out.types.iter().enumerate() {
                let listed_in_order = ty.ctors.len() == indcs[t].ctors.len()
                    && ty
                        .ctors
                        .iter()
                        .enumerate()
                        .all(|(j, n)| at.get(&(t as u64, j as u64)) == Some(&n));
                if !listed_in_order {
                    return err(format!(
                        "{}: constructor list does not match the block",
                        ty.cval.name
                    ));
                }
            }
            for (t, ty) in out.types.iter().enumerate() {
                self.declare(
                    ty.cval.name.clone(),
                    projection(ConstantInfo::IPrj {
                        idx: t as u64,
                        block: *block,
                    }),
                );
            }
            for (c, cm) in out.ctors.iter().zip(ctors) {
                let addr = projection(ConstantInfo::CPrj {
                    idx: cm.type_idx,
                    cidx: cm.position,
                    block: *block,
                });
                self.declare(c.cval.name.clone(), addr);
            }
        } else if !types.is_empty() || !ctors.is_empty() {
            return err("types without an inductive block");
        }
        if let Some(rb) = rec_block {
            let (k, ms) = block_members(env, rb)?;
            if ms.len() != recs.len() {
                return err("metadata and block disagree on the number of recursors");
            }
            let member_addrs: Vec<(Address, Name)> = named_member_addresses(rb, ms);
            for (rm, m) in recs.iter().zip(ms) {
                let Member::Recr(r) = m else {
                    return err("recursor block with a non-recursor member");
                };
                if r.rules.len() != rm.rules.len() {
                    return err("metadata and recursor disagree on the number of rules");
                }
                let mut roots = vec![(&r.ty, rm.c.ty)];
                roots.extend(
                    r.rules
                        .iter()
                        .zip(&rm.rules)
                        .map(|(rule, meta)| (&rule.rhs, meta.rhs)),
                );
                let mut exprs = self
                    .exprs(k, nodes, &rm.c.levels, member_addrs.clone(), &roots)?
                    .into_iter();
                let ty = exprs
                    .next()
                    .ok_or_else(|| DecompileError("no type".into()))?;
                let cval = self.cval(&rm.c, r.lvls, ty)?;
                let rules = r
                    .rules
                    .iter()
                    .zip(&rm.rules)
                    .zip(exprs)
                    .map(|((rule, meta), rhs)| {
                        Ok(lean::RecursorRule {
                            ctor: self.name(meta.ctor)?,
                            num_fields: to_u32(rule.fields, "nfields")?,
                            rhs,
                        })
                    })
                    .collect::<Result<_>>()?;
                out.recs.push(lean::RecursorVal {
                    cval,
                    all: self.names(&rm.all)?,
                    num_params: to_u32(r.params, "numParams")?,
                    num_indices: to_u32(r.indices, "numIndices")?,
                    num_motives: to_u32(r.motives, "numMotives")?,
                    num_minors: to_u32(r.minors, "numMinors")?,
                    rules,
                    k: r.k,
                    is_unsafe: r.is_unsafe,
                });
            }
            for (i, (a, _)) in member_addrs.iter().enumerate() {
                self.declare(out.recs[i].cval.name.clone(), *a);
            }
        } else if !recs.is_empty() {
            return err("recursors without a recursor block");
        }
        Ok(lean::Declaration::Inductive(out))
    }
}

/// The named entries of an environment, decompiled one at a time on demand
/// (a shard check needs its own closure, not the whole environment). Each
/// entry comes out exactly as in a full decompile: its names are checked
/// against the scope as of that entry, rebuilt from a skeleton of what every
/// entry declares, which is read off the metadata without decompiling any
/// expression.
pub struct LazyDecls {
    names: Vec<Name>,
    /// What each entry declares, in the order a full decompile declares it.
    declares: Vec<Vec<(Name, Address)>>,
    /// How many of an entry's declarations are inductive types (they come first).
    type_counts: Vec<usize>,
    /// Every declaration of each name: (entry, address), in entry order.
    history: FxHashMap<Name, Vec<(usize, Address)>>,
}

impl LazyDecls {
    pub fn new(env: &IxonEnv) -> Result<LazyDecls> {
        if env.meta.is_empty() && !env.consts.is_empty() {
            return err("the environment has no metadata: there are no names to decompile by");
        }
        let names = resolve_table(&env.meta.names, &env.blobs).map_err(DecompileError)?;
        let declares = env
            .meta
            .decls
            .iter()
            .enumerate()
            .map(|(i, entry)| {
                entry_declares(&names, &entry.decl)
                    .map_err(|e| DecompileError(format!("named entry {i}: {}", e.0)))
            })
            .collect::<Result<Vec<_>>>()?;
        let type_counts = env
            .meta
            .decls
            .iter()
            .map(|entry| match &entry.decl {
                DeclMeta::Inductive {
                    block: Some(_),
                    types,
                    ..
                } => types.len(),
                _ => 0,
            })
            .collect();
        let mut history: FxHashMap<Name, Vec<(usize, Address)>> = FxHashMap::default();
        for (i, entry) in declares.iter().enumerate() {
            for (name, addr) in entry {
                history.entry(name.clone()).or_default().push((i, *addr));
            }
        }
        Ok(LazyDecls {
            names,
            declares,
            type_counts,
            history,
        })
    }

    /// How many named entries (declarations) there are.
    pub fn len(&self) -> usize {
        self.declares.len()
    }

    pub fn is_empty(&self) -> bool {
        self.declares.is_empty()
    }

    /// The names entry `i` declares with their addresses (an inductive
    /// block: its types, then constructors, then recursors).
    pub fn declares(&self, i: usize) -> &[(Name, Address)] {
        self.declares.get(i).map(Vec::as_slice).unwrap_or_default()
    }

    /// The inductive types entry `i` declares (none unless it is an
    /// inductive block).
    pub fn inductive_types(&self, i: usize) -> &[(Name, Address)] {
        let count = self.type_counts.get(i).copied().unwrap_or(0);
        self.declares(i).get(..count).unwrap_or_default()
    }

    /// The address every declared name stands for (a later duplicate wins),
    /// as `decompile_with_addresses` gives it.
    pub fn addresses(&self) -> FxHashMap<Name, Address> {
        self.history
            .iter()
            .filter_map(|(name, all)| Some((name.clone(), all.last()?.1)))
            .collect()
    }

    /// The exporter header.
    pub fn meta(&self, env: &IxonEnv) -> lean::ExportMeta {
        export_meta(env)
    }

    /// Decompiles entry `i` of `env` (the environment this was built from).
    pub fn decl(&self, env: &IxonEnv, i: usize) -> Result<lean::Declaration> {
        let Some(entry) = env.meta.decls.get(i) else {
            return err(format!("named entry {i} does not exist"));
        };
        decompile_at(env, &self.names, &self.history, i, entry, self.declares(i))
    }
}

/// Decompiles one named entry of a partial environment exactly as a full
/// decompile would (a shard job maps the file and builds one of these per
/// entry it needs). `env.meta.decls` is the entry alone, `env.consts` its
/// constants and `env.blobs` the blobs those use; `names` resolves the
/// entry's name references (index 0 is the anonymous name, k is reference
/// k). `position` is the entry's place in the whole environment's entry
/// order, and `history` every declaration there, as (position, address), of
/// each name the entry refers to (by reference) that any entry declares.
pub fn decompile_entry<S: std::hash::BuildHasher>(
    env: &IxonEnv,
    names: &[Name],
    position: usize,
    history: &std::collections::HashMap<u64, Vec<(usize, Address)>, S>,
) -> Result<lean::Declaration> {
    let [entry] = env.meta.decls.as_slice() else {
        return err("a partial environment holds exactly one named entry");
    };
    let history = history
        .iter()
        .map(|(k, all)| Ok((name_at(names, *k)?, all.clone())))
        .collect::<Result<FxHashMap<Name, Vec<(usize, Address)>>>>()?;
    let skeleton = entry_declares(names, &entry.decl)
        .map_err(|e| DecompileError(format!("named entry {position}: {}", e.0)))?;
    decompile_at(env, names, &history, position, entry, &skeleton)
}

/// Decompiles `entry`, at `position` in the entry order, its names checked
/// against the scope as of that position (rebuilt from `history`) and its
/// declarations against `skeleton`, what its metadata lists.
fn decompile_at(
    env: &IxonEnv,
    names: &[Name],
    history: &FxHashMap<Name, Vec<(usize, Address)>>,
    position: usize,
    entry: &DeclEntry,
    skeleton: &[(Name, Address)],
) -> Result<lean::Declaration> {
    let mut named = Named {
        env,
        names: std::borrow::Cow::Borrowed(names),
        scope: Scope::AsOf {
            history,
            entry: position,
            own: FxHashMap::default(),
        },
        deferred: Vec::new(),
        declared: FxHashSet::default(),
    };
    let decl = named
        .entry(&entry.nodes, &entry.decl)
        .map_err(|e| DecompileError(format!("named entry {position}: {}", e.0)))?;
    let skeleton: FxHashSet<(Name, Address)> = skeleton.iter().cloned().collect();
    if named.declared != skeleton {
        return err(format!(
            "named entry {position}: its declarations differ from what its metadata lists"
        ));
    }
    let declared_somewhere = |name: &Name, addr: &Address| {
        history
            .get(name)
            .is_some_and(|all| all.iter().any(|(_, a)| a == addr))
    };
    if let Some((name, _)) = named
        .deferred
        .iter()
        .find(|(name, addr)| !declared_somewhere(name, addr))
    {
        return err(format!(
            "metadata names a block member {name}, which is not that member"
        ));
    }
    Ok(decl)
}

/// Entry `i` of the names table.
fn name_at(names: &[Name], i: u64) -> Result<Name> {
    names
        .get(i as usize)
        .cloned()
        .ok_or_else(|| DecompileError(format!("name reference {i} out of range")))
}

/// What a named entry declares, read off its metadata alone, in the order
/// `Named::entry` declares it.
fn entry_declares(names: &[Name], decl: &DeclMeta) -> Result<Vec<(Name, Address)>> {
    decl.declared()
        .into_iter()
        .map(|(name, addr)| Ok((name_at(names, name)?, addr)))
        .collect()
}

/// Decompiles sections 1–7 only: synthetic names, dependency order.
pub fn decompile_anonymous(env: &IxonEnv) -> Result<lean::Environment> {
    let order = dependency_order(env)?;
    let position: FxHashMap<Address, usize> =
        order.iter().enumerate().map(|(i, a)| (*a, i)).collect();
    let attached = attach_recursors(env, &order, &position);
    let attached_to: FxHashSet<Address> = attached.values().flatten().copied().collect();
    let mut names = synthetic_names(env)?;
    name_primitives(env, &mut names);
    name_recursors(env, &attached, &mut names);
    let mut decls = Vec::new();
    for addr in &order {
        if attached_to.contains(addr) {
            continue;
        }
        let recs = attached.get(addr).cloned().unwrap_or_default();
        anonymous_home(env, &names, addr, &recs, &mut decls)
            .map_err(|e| DecompileError(format!("constant {}: {}", addr.short_hex(16), e.0)))?;
    }
    Ok(lean::Environment {
        meta: lean::ExportMeta::default(),
        decls,
    })
}

/// Gives the kernel's primitives their Lean names (see `primitives`): the
/// canonical declarations by address, and each quotient constant by its
/// kind when it is the only one of that kind.
fn name_primitives(env: &IxonEnv, names: &mut FxHashMap<Address, Name>) {
    for (addr, name) in crate::primitives::canonical_names() {
        if let Some(slot) = names.get_mut(addr) {
            *slot = name.clone();
        }
    }
    let quot_name = |k: &ixon::QuotKind| match k {
        ixon::QuotKind::Type => "Quot",
        ixon::QuotKind::Ctor => "Quot.mk",
        ixon::QuotKind::Lift => "Quot.lift",
        ixon::QuotKind::Ind => "Quot.ind",
    };
    let mut quots: FxHashMap<&str, Vec<Address>> = FxHashMap::default();
    for (addr, c) in &env.consts {
        if let ConstantInfo::Quot(q) = &c.info {
            quots.entry(quot_name(&q.kind)).or_default().push(*addr);
        }
    }
    for (name, addrs) in quots {
        if let [addr] = addrs.as_slice() {
            names.insert(*addr, Name::from_dotted(name));
        }
    }
}

/// Recursors attached to an inductive block are named as Lean names them,
/// after the block's type names: member i < n (n types) is
/// `<type i>.rec`, the auxiliary ones of a nested block `<type 0>.rec_<k>`.
fn name_recursors(
    env: &IxonEnv,
    attached: &FxHashMap<Address, Vec<Address>>,
    names: &mut FxHashMap<Address, Name>,
) {
    for (block, rec_blocks) in attached {
        let Some(Constant {
            info: ConstantInfo::Muts(types),
            ..
        }) = env.consts.get(block)
        else {
            continue;
        };
        let type_names: Vec<Name> = member_addresses(block, types)
            .iter()
            .enumerate()
            .map(|(i, a)| member_or_synthetic(names, a, block, i as u64))
            .collect();
        let mut i = 0u64;
        for rb in rec_blocks {
            let Some(Constant {
                info: ConstantInfo::Muts(recs),
                ..
            }) = env.consts.get(rb)
            else {
                continue;
            };
            for (addr, _) in member_addresses(rb, recs).into_iter().zip(recs) {
                let name = match type_names.get(i as usize) {
                    Some(t) => t.str("rec"),
                    None => type_names
                        .first()
                        .cloned()
                        .unwrap_or_else(|| member_name(block, 0))
                        .str(&format!("rec_{}", i as usize - types.len() + 1)),
                };
                names.insert(addr, name);
                i += 1;
            }
        }
    }
}

fn member_name(block: &Address, i: u64) -> Name {
    Name::anonymous()
        .str("_ix")
        .str(&block.short_hex(16))
        .num(i)
}

/// The name `names` gives the member projection at `addr`, else member
/// `i`'s synthetic name.
fn member_or_synthetic(
    names: &FxHashMap<Address, Name>,
    addr: &Address,
    block: &Address,
    i: u64,
) -> Name {
    names
        .get(addr)
        .cloned()
        .unwrap_or_else(|| member_name(block, i))
}

/// Synthetic names of every constant (see the crate docs).
fn synthetic_names(env: &IxonEnv) -> Result<FxHashMap<Address, Name>> {
    let mut names = FxHashMap::default();
    let mut prefixes: FxHashMap<String, Address> = FxHashMap::default();
    for (addr, c) in &env.consts {
        let name = match &c.info {
            ConstantInfo::DPrj { idx, block }
            | ConstantInfo::IPrj { idx, block }
            | ConstantInfo::RPrj { idx, block } => member_name(block, *idx),
            ConstantInfo::CPrj { idx, cidx, block } => member_name(block, *idx).num(*cidx),
            _ => {
                let hex = addr.short_hex(16);
                if let Some(other) = prefixes.insert(hex.clone(), *addr) {
                    return err(format!(
                        "constants {other} and {addr} share the name prefix {hex}"
                    ));
                }
                foreign_name(addr)
            }
        };
        names.insert(*addr, name);
    }
    Ok(names)
}

/// The home constants a home constant refers to (projections → their block).
fn home_deps(env: &IxonEnv, c: &Constant) -> Vec<Address> {
    let mut deps: Vec<Address> = c
        .refs
        .iter()
        .filter_map(|a| match &env.consts.get(a)?.info {
            ConstantInfo::DPrj { block, .. }
            | ConstantInfo::IPrj { block, .. }
            | ConstantInfo::RPrj { block, .. }
            | ConstantInfo::CPrj { block, .. } => Some(*block),
            _ => Some(*a),
        })
        .collect();
    deps.sort();
    deps.dedup();
    deps
}

/// Home constants in dependency order: iterative depth-first post-order,
/// starting from addresses in ascending order.
fn dependency_order(env: &IxonEnv) -> Result<Vec<Address>> {
    #[derive(PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    // The kernel adds the quotients only after `Eq`, which their types
    // need not mention.
    let eq_home = crate::primitives::canonical_names()
        .iter()
        .find(|(_, n)| **n == Name::from_dotted("Eq"))
        .and_then(|(a, _)| match &env.consts.get(a)?.info {
            ConstantInfo::IPrj { block, .. } => Some(*block),
            _ => None,
        });
    let mut marks: FxHashMap<Address, Mark> = FxHashMap::default();
    let mut order = Vec::new();
    for (start, c) in &env.consts {
        if c.info.is_projection() || marks.contains_key(start) {
            continue;
        }
        let mut stack = vec![(*start, false)];
        while let Some((a, expanded)) = stack.pop() {
            if expanded {
                marks.insert(a, Mark::Done);
                order.push(a);
                continue;
            }
            match marks.get(&a) {
                Some(Mark::Done) => continue,
                Some(Mark::Open) => {
                    return err(format!("reference cycle through {}", a.short_hex(16)))
                }
                None => {}
            }
            let Some(c) = env.consts.get(&a) else {
                continue;
            };
            marks.insert(a, Mark::Open);
            stack.push((a, true));
            let mut deps = home_deps(env, c);
            if matches!(c.info, ConstantInfo::Quot(_)) {
                deps.extend(eq_home);
            }
            for d in deps.into_iter().rev() {
                if d != a && marks.get(&d) != Some(&Mark::Done) && env.consts.contains_key(&d) {
                    stack.push((d, false));
                }
            }
        }
    }
    Ok(order)
}

fn block_kinds(c: &Constant) -> (bool, bool) {
    match &c.info {
        ConstantInfo::Muts(ms) => (
            ms.iter().all(|m| matches!(m, Member::Indc(_))),
            ms.iter().all(|m| matches!(m, Member::Recr(_))),
        ),
        _ => (false, false),
    }
}

/// Recursor blocks joined to the inductive block they belong to: the latest
/// inductive block they refer to, when nothing they need comes after it.
fn attach_recursors(
    env: &IxonEnv,
    order: &[Address],
    position: &FxHashMap<Address, usize>,
) -> FxHashMap<Address, Vec<Address>> {
    let mut attached: FxHashMap<Address, Vec<Address>> = FxHashMap::default();
    for r in order {
        let Some(c) = env.consts.get(r) else { continue };
        if !block_kinds(c).1 {
            continue;
        }
        let deps = home_deps(env, c);
        let owner = deps
            .iter()
            .filter(|d| env.consts.get(d).is_some_and(|k| block_kinds(k).0))
            .max_by_key(|d| position.get(d).copied().unwrap_or(0));
        if let Some(owner) = owner {
            let limit = position.get(owner).copied().unwrap_or(0);
            if deps
                .iter()
                .all(|d| position.get(d).is_none_or(|p| *p <= limit))
            {
                attached.entry(*owner).or_default().push(*r);
            }
        }
    }
    attached
}

fn anon_ctx<'a>(
    c: &'a Constant,
    env: &'a IxonEnv,
    names: &'a FxHashMap<Address, Name>,
    block: Option<&Address>,
) -> ExprCtx<'a> {
    let members = match (&c.info, block) {
        (ConstantInfo::Muts(ms), Some(b)) => member_addresses(b, ms)
            .into_iter()
            .enumerate()
            .map(|(i, a)| {
                let name = names
                    .get(&a)
                    .cloned()
                    .unwrap_or_else(|| member_name(b, i as u64));
                (a, name)
            })
            .collect(),
        _ => Vec::new(),
    };
    ExprCtx {
        constant: c,
        blobs: &env.blobs,
        naming: Naming::Anonymous { names },
        levels: Vec::new(),
        members,
        memo: FxHashMap::default(),
        univ_memo: FxHashMap::default(),
    }
}

fn anon_cval(name: Name, lvls: u64, ty: LExprRef) -> Result<lean::ConstantVal> {
    if lvls > u64::from(u32::MAX) {
        return err(format!("{lvls} level parameters"));
    }
    Ok(lean::ConstantVal {
        name,
        level_params: (0..lvls).map(level_param_name).collect(),
        ty,
    })
}

fn anonymous_home(
    env: &IxonEnv,
    names: &FxHashMap<Address, Name>,
    addr: &Address,
    rec_blocks: &[Address],
    out: &mut Vec<lean::Declaration>,
) -> Result<()> {
    let c = constant(env, addr)?;
    let name = synthetic_or_foreign(names, addr);
    let mut ctx = anon_ctx(c, env, names, Some(addr));
    match &c.info {
        ConstantInfo::Axio(a) => {
            let ty = ctx.expr(&a.ty, 0)?;
            out.push(lean::Declaration::Axiom(lean::AxiomVal {
                cval: anon_cval(name, a.lvls, ty)?,
                is_unsafe: a.is_unsafe,
            }));
        }
        ConstantInfo::Quot(q) => {
            let ty = ctx.expr(&q.ty, 0)?;
            out.push(lean::Declaration::Quot(lean::QuotVal {
                cval: anon_cval(name, q.lvls, ty)?,
                kind: match q.kind {
                    ixon::QuotKind::Type => lean::QuotKind::Type,
                    ixon::QuotKind::Ctor => lean::QuotKind::Ctor,
                    ixon::QuotKind::Lift => lean::QuotKind::Lift,
                    ixon::QuotKind::Ind => lean::QuotKind::Ind,
                },
            }));
        }
        ConstantInfo::Defn(d) => {
            let ty = ctx.expr(&d.ty, 0)?;
            let value = ctx.expr(&d.value, 0)?;
            let hint = Some(env.hints.get(addr).copied().unwrap_or(0));
            out.push(definition(
                d,
                anon_cval(name.clone(), d.lvls, ty)?,
                value,
                hint,
                vec![name],
            )?);
        }
        ConstantInfo::Recr(r) => {
            let recs = vec![anon_recursor(&mut ctx, r, name, Vec::new(), &[])?];
            out.push(lean::Declaration::Inductive(lean::InductiveBlock {
                types: Vec::new(),
                ctors: Vec::new(),
                recs,
            }));
        }
        ConstantInfo::Muts(ms) => match block_kinds(c) {
            (true, _) => out.push(anon_inductive(env, names, addr, ms, &mut ctx, rec_blocks)?),
            (_, true) => out.push(lean::Declaration::Inductive(lean::InductiveBlock {
                types: Vec::new(),
                ctors: Vec::new(),
                recs: anon_recursors(env, names, addr, &[], &[], 0, None)?,
            })),
            _ => {
                let all: Vec<Name> = (0..ms.len() as u64).map(|i| member_name(addr, i)).collect();
                for (i, m) in ms.iter().enumerate() {
                    let Member::Defn(d) = m else {
                        return err("a block mixing definitions with inductives or recursors");
                    };
                    let ty = ctx.expr(&d.ty, 0)?;
                    let value = ctx.expr(&d.value, 0)?;
                    let prj = projection(ConstantInfo::DPrj {
                        idx: i as u64,
                        block: *addr,
                    });
                    let hint = Some(env.hints.get(&prj).copied().unwrap_or(0));
                    let cval = anon_cval(all[i].clone(), d.lvls, ty)?;
                    out.push(definition(d, cval, value, hint, all.clone())?);
                }
            }
        },
        _ => return err("a projection is not a home constant"),
    }
    Ok(())
}

fn anon_inductive<'a>(
    env: &IxonEnv,
    names: &FxHashMap<Address, Name>,
    block: &Address,
    ms: &'a [Member],
    ctx: &mut ExprCtx<'a>,
    rec_blocks: &[Address],
) -> Result<lean::Declaration> {
    let all: Vec<Name> = member_addresses(block, ms)
        .iter()
        .enumerate()
        .map(|(i, a)| member_or_synthetic(names, a, block, i as u64))
        .collect();
    let mut types = Vec::new();
    let mut ctors = Vec::new();
    let mut ctor_names = Vec::new();
    for (i, m) in ms.iter().enumerate() {
        let Member::Indc(ind) = m else {
            return err("inductive block with a non-inductive member");
        };
        let tname = all[i].clone();
        let names_here: Vec<Name> = (0..ind.ctors.len() as u64)
            .map(|j| {
                let ctor = projection(ConstantInfo::CPrj {
                    idx: i as u64,
                    cidx: j,
                    block: *block,
                });
                names
                    .get(&ctor)
                    .cloned()
                    .unwrap_or_else(|| member_name(block, i as u64).num(j))
            })
            .collect();
        for (ctor, cname) in ind.ctors.iter().zip(&names_here) {
            let ty = ctx.expr(&ctor.ty, 0)?;
            ctors.push(lean::ConstructorVal {
                cval: anon_cval(cname.clone(), ctor.lvls, ty)?,
                induct: tname.clone(),
                cidx: to_u32(ctor.cidx, "cidx")?,
                num_params: to_u32(ctor.params, "numParams")?,
                num_fields: to_u32(ctor.fields, "numFields")?,
                is_unsafe: ctor.is_unsafe,
            });
        }
        let ty = ctx.expr(&ind.ty, 0)?;
        types.push(lean::InductiveVal {
            cval: anon_cval(tname, ind.lvls, ty)?,
            num_params: to_u32(ind.params, "numParams")?,
            num_indices: to_u32(ind.indices, "numIndices")?,
            all: all.clone(),
            ctors: names_here.clone(),
            num_nested: 0,
            is_rec: false,
            is_unsafe: ind.is_unsafe,
            is_reflexive: false,
        });
        ctor_names.push(names_here);
    }
    let mut recs = Vec::new();
    for rb in rec_blocks {
        let first = recs.len();
        let type_lvls = types
            .first()
            .map(|t: &lean::InductiveVal| t.cval.level_params.len() as u64);
        recs.extend(anon_recursors(
            env,
            names,
            rb,
            &all,
            &ctor_names,
            first,
            type_lvls,
        )?);
    }
    // The exporter's derived fields, recomputed as Lean defines them: the
    // number of auxiliary recursors, a field mentioning a type of the block,
    // a field that is a function into a type of the block.
    let block_types: FxHashSet<Name> = all.iter().cloned().collect();
    let (is_rec, is_reflexive) = derived_flags(&ctors, &block_types);
    let num_nested = to_u32(recs.len().saturating_sub(types.len()) as u64, "numNested")?;
    for t in &mut types {
        t.is_rec = is_rec;
        t.is_reflexive = is_reflexive;
        t.num_nested = num_nested;
    }
    Ok(lean::Declaration::Inductive(lean::InductiveBlock {
        types,
        ctors,
        recs,
    }))
}

/// (some constructor binder type mentions a block type, some binder type is
/// a function type mentioning one): Lean's `isRec` and `isReflexive`.
fn derived_flags(ctors: &[lean::ConstructorVal], block: &FxHashSet<Name>) -> (bool, bool) {
    let mut is_rec = false;
    let mut is_reflexive = false;
    for c in ctors {
        let mut ty = &c.cval.ty;
        while let lean::Expr::Pi {
            ty: domain, body, ..
        } = &**ty
        {
            if mentions(domain, block) {
                is_rec = true;
                is_reflexive |= matches!(&**domain, lean::Expr::Pi { .. });
            }
            ty = body;
        }
    }
    (is_rec, is_reflexive)
}

/// Whether `e` mentions a constant in `names` (memoized, iterative).
fn mentions(e: &LExprRef, names: &FxHashSet<Name>) -> bool {
    let mut seen: FxHashSet<*const lean::Expr> = FxHashSet::default();
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        if !seen.insert(Arc::as_ptr(x)) {
            continue;
        }
        if let lean::Expr::Const(n, _) = &**x {
            if names.contains(n) {
                return true;
            }
        }
        stack.extend(x.children());
    }
    false
}

/// The recursors of one block; `first` is the index of its first member
/// among all recursors of the inductive block (rules of recursor i < n are
/// for the constructors of type i).
fn anon_recursors(
    env: &IxonEnv,
    names: &FxHashMap<Address, Name>,
    block: &Address,
    all: &[Name],
    ctor_names: &[Vec<Name>],
    first: usize,
    type_lvls: Option<u64>,
) -> Result<Vec<lean::RecursorVal>> {
    let (c, ms) = block_members(env, block)?;
    let mut ctx = anon_ctx(c, env, names, Some(block));
    let addrs = member_addresses(block, ms);
    ms.iter()
        .enumerate()
        .map(|(i, m)| {
            let name = names
                .get(&addrs[i])
                .cloned()
                .unwrap_or_else(|| member_name(block, i as u64));
            let rule_ctors = ctor_names.get(first + i).map_or(&[][..], Vec::as_slice);
            match m {
                Member::Recr(r) => {
                    // Lean's recursors take the elimination universe `u`
                    // first, then the inductive's parameters.
                    let eliminates_into_u = type_lvls.is_some_and(|n| r.lvls == n + 1);
                    ctx.levels = (0..r.lvls)
                        .map(|i| match (eliminates_into_u, i) {
                            (true, 0) => Name::anonymous().str("u"),
                            (true, i) => level_param_name(i - 1),
                            (false, i) => level_param_name(i),
                        })
                        .collect();
                    ctx.memo.clear();
                    ctx.univ_memo.clear();
                    anon_recursor(&mut ctx, r, name, all.to_vec(), rule_ctors)
                }
                _ => err("recursor block with a non-recursor member"),
            }
        })
        .collect()
}

fn anon_recursor<'a>(
    ctx: &mut ExprCtx<'a>,
    r: &'a ixon::Recr,
    name: Name,
    all: Vec<Name>,
    ctor_names: &[Name],
) -> Result<lean::RecursorVal> {
    let ty = ctx.expr(&r.ty, 0)?;
    let rules = r
        .rules
        .iter()
        .enumerate()
        .map(|(j, rule)| {
            Ok(lean::RecursorRule {
                ctor: ctor_names
                    .get(j)
                    .cloned()
                    .unwrap_or_else(|| name.str("rule").num(j as u64)),
                num_fields: to_u32(rule.fields, "nfields")?,
                rhs: ctx.expr(&rule.rhs, 0)?,
            })
        })
        .collect::<Result<_>>()?;
    Ok(lean::RecursorVal {
        cval: if ctx.levels.len() as u64 == r.lvls {
            lean::ConstantVal {
                name,
                level_params: ctx.levels.clone(),
                ty,
            }
        } else {
            anon_cval(name, r.lvls, ty)?
        },
        all,
        num_params: to_u32(r.params, "numParams")?,
        num_indices: to_u32(r.indices, "numIndices")?,
        num_motives: to_u32(r.motives, "numMotives")?,
        num_minors: to_u32(r.minors, "numMinors")?,
        rules,
        k: r.k,
        is_unsafe: r.is_unsafe,
    })
}
