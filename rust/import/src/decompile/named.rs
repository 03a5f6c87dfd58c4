//! Decompiling with metadata: every named entry in export order, each
//! name an expression uses checked against the address it stands for.

use super::expr::{ExprCtx, Naming};
use super::{
    block_members, constant, definition, err, export_meta, name_at, named_member_addresses,
    projection, recursor, to_u32, Result,
};
use crate::names::resolve_table;
use crate::DecompileError;
use ix_lean as lean;
use ix_lean::{ExprRef as LExprRef, Name};
use ixon::meta::{DeclMeta, DefnMeta, InductiveMeta, MetaIdx, MetaNode, RecMeta};
use ixon::{Address, Constant, ConstantInfo, ExprRef, IxonEnv, Member};
use rustc_hash::{FxHashMap, FxHashSet};

/// The names declared before the entry being decompiled, with the address
/// each stands for (a later declaration of a name wins).
pub(super) enum Scope<'h> {
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
    pub(super) fn get(&self, name: &Name) -> Option<Address> {
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

/// Decompiling with metadata.
pub(super) struct Named<'e> {
    pub(super) env: &'e IxonEnv,
    pub(super) names: std::borrow::Cow<'e, [Name]>,
    pub(super) scope: Scope<'e>,
    pub(super) deferred: Vec<(Name, Address)>,
    /// Every (name, address) a named entry declares.
    pub(super) declared: FxHashSet<(Name, Address)>,
}

impl<'e> Named<'e> {
    pub(super) fn new(env: &'e IxonEnv) -> Result<Named<'e>> {
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

    pub(super) fn run(self) -> Result<lean::Environment> {
        self.run_with_scope().map(|(env, _)| env)
    }

    pub(super) fn run_with_scope(
        mut self,
    ) -> Result<(lean::Environment, FxHashMap<Name, Address>)> {
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

    /// The name, universe parameters and type of a block member whose type
    /// is `ty`.
    fn member_cval(
        &mut self,
        constant: &'e Constant,
        nodes: &'e [MetaNode],
        members: &[(Address, Name)],
        c: &ixon::meta::ConstMeta,
        lvls: u64,
        ty: &'e ExprRef,
    ) -> Result<lean::ConstantVal> {
        let roots = [(ty, c.ty)];
        let mut ty = self.exprs(constant, nodes, &c.levels, members.to_vec(), &roots)?;
        self.cval(c, lvls, ty.remove(0))
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

    pub(super) fn entry(
        &mut self,
        nodes: &'e [MetaNode],
        decl: &'e DeclMeta,
    ) -> Result<lean::Declaration> {
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
            DeclMeta::Defn(d) => self.definition(nodes, d),
            DeclMeta::Inductive(ind) => self.inductive(nodes, ind),
        }
    }

    fn definition(&mut self, nodes: &'e [MetaNode], d: &'e DefnMeta) -> Result<lean::Declaration> {
        let env = self.env;
        let k = constant(env, &d.addr)?;
        let (holder, defn, members) = match &k.info {
            ConstantInfo::Defn(defn) => (k, defn, Vec::new()),
            ConstantInfo::DPrj { idx, block } => {
                let (b, ms) = block_members(env, block)?;
                let Some(Member::Defn(defn)) = ms.get(*idx as usize) else {
                    return err("DPrj does not point at a definition");
                };
                let members = named_member_addresses(block, ms);
                (b, defn, members)
            }
            _ => return err("metadata kind does not match the constant"),
        };
        let roots = [(&defn.ty, d.c.ty), (&defn.value, d.value)];
        let mut out = self.exprs(holder, nodes, &d.c.levels, members, &roots)?;
        let value = out.pop().ok_or_else(|| DecompileError("no value".into()))?;
        let ty = out.pop().ok_or_else(|| DecompileError("no type".into()))?;
        let cval = self.cval(&d.c, defn.lvls, ty)?;
        self.declare(cval.name.clone(), d.addr);
        definition(defn, cval, value, d.hint, self.names(&d.all)?)
    }

    fn inductive(
        &mut self,
        nodes: &'e [MetaNode],
        ind: &'e InductiveMeta,
    ) -> Result<lean::Declaration> {
        let mut out = lean::InductiveBlock {
            types: Vec::new(),
            ctors: Vec::new(),
            recs: Vec::new(),
        };
        match &ind.block {
            Some(block) => self.types_and_ctors(nodes, block, ind, &mut out)?,
            None if ind.types.is_empty() && ind.ctors.is_empty() => {}
            None => return err("types without an inductive block"),
        }
        match &ind.rec_block {
            Some(rb) => self.recursors(nodes, rb, &ind.recs, &mut out)?,
            None if ind.recs.is_empty() => {}
            None => return err("recursors without a recursor block"),
        }
        Ok(lean::Declaration::Inductive(out))
    }

    /// The group's types and constructors, members of `block`, into `out`.
    fn types_and_ctors(
        &mut self,
        nodes: &'e [MetaNode],
        block: &'e Address,
        group: &'e InductiveMeta,
        out: &mut lean::InductiveBlock,
    ) -> Result<()> {
        let env = self.env;
        let (types, ctors) = (&group.types, &group.ctors);
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
            let cval = self.member_cval(k, nodes, &member_addrs, &tm.c, ind.lvls, &ind.ty)?;
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
            let cval = self.member_cval(k, nodes, &member_addrs, &cm.c, ctor.lvls, &ctor.ty)?;
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
        Ok(())
    }

    /// The group's recursors, members of `rb`, into `out`.
    fn recursors(
        &mut self,
        nodes: &'e [MetaNode],
        rb: &'e Address,
        recs: &'e [RecMeta],
        out: &mut lean::InductiveBlock,
    ) -> Result<()> {
        let env = self.env;
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
            out.recs
                .push(recursor(r, cval, self.names(&rm.all)?, rules)?);
        }
        for (i, (a, _)) in member_addrs.iter().enumerate() {
            self.declare(out.recs[i].cval.name.clone(), *a);
        }
        Ok(())
    }
}
