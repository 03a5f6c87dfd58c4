//! The compiler: an `ix_lean::Environment` to an Ixon environment with
//! metadata, in declaration order.
//!
//! - Axioms and quotients stand alone.
//! - A definition, theorem or opaque stands alone unless its type or value
//!   mentions a not-yet-compiled member of its `all` group (itself
//!   included): then the uncompiled members of that group become one mutual
//!   block (ordered as in `all`), referring to each other with `Rec`, and
//!   each member's name maps to a `DPrj`.
//! - An `inductive` record becomes a block of its types (constructors
//!   inline, in each type's `ctors` order) named through `IPrj`/`CPrj`, and
//!   its recursors a second block named through `RPrj`.
//! - Any other reference must be to a name declared earlier in the file.

use crate::expr::{ConstCompiler, MetaBuilder};
use crate::names::NameInterner;
use crate::CompileError;
use ix_lean::*;
use ixon::meta::{
    ConstMeta, CtorMeta, DeclEntry, DeclMeta, DefnMeta, InductiveMeta, RecMeta, RuleMeta, TypeMeta,
};
use ixon::{Address, Constant, ConstantInfo, DefKind, HintCode, IxonEnv, Member, Safety};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The compiled environment and the maps later stages need.
pub struct Compiled {
    pub env: IxonEnv,
    /// Name → its constant address (a projection for block members). For a
    /// name declared twice, the later declaration.
    pub addresses: FxHashMap<Name, Address>,
    /// Name → home block: a projection's block, otherwise the constant itself.
    pub homes: FxHashMap<Name, Address>,
    /// Home block → its serialized size in bytes.
    pub block_sizes: BTreeMap<Address, u64>,
}

pub fn hint_code(h: ReducibilityHints) -> HintCode {
    match h {
        ReducibilityHints::Opaque => 0,
        ReducibilityHints::Abbrev => 1,
        ReducibilityHints::Regular(n) => u64::from(n) + 2,
    }
}

fn safety(s: DefinitionSafety) -> Safety {
    match s {
        DefinitionSafety::Unsafe => Safety::Unsafe,
        DefinitionSafety::Safe => Safety::Safe,
        DefinitionSafety::Partial => Safety::Partial,
    }
}

/// A definition-like declaration, viewed uniformly.
struct DefView<'e> {
    cval: &'e ConstantVal,
    value: &'e ExprRef,
    kind: DefKind,
    safety: Safety,
    hint: Option<HintCode>,
    all: &'e [Name],
}

fn def_view(d: &Declaration) -> Option<DefView<'_>> {
    Some(match d {
        Declaration::Definition(v) => DefView {
            cval: &v.cval,
            value: &v.value,
            kind: DefKind::Definition,
            safety: safety(v.safety),
            hint: Some(hint_code(v.hints)),
            all: &v.all,
        },
        Declaration::Theorem(v) => DefView {
            cval: &v.cval,
            value: &v.value,
            kind: DefKind::Theorem,
            safety: Safety::Safe,
            hint: None,
            all: &v.all,
        },
        Declaration::Opaque(v) => DefView {
            cval: &v.cval,
            value: &v.value,
            kind: DefKind::Opaque,
            safety: if v.is_unsafe {
                Safety::Unsafe
            } else {
                Safety::Safe
            },
            hint: None,
            all: &v.all,
        },
        _ => return None,
    })
}

fn lvls(c: &ConstantVal) -> u64 {
    c.level_params.len() as u64
}

struct Compiler<'e> {
    decls: &'e [Declaration],
    /// Everything but the constants, which are kept encoded in `encoded`.
    out: IxonEnv,
    encoded: BTreeMap<Address, Vec<u8>>,
    scope: FxHashMap<Name, Address>,
    homes: FxHashMap<Name, Address>,
    block_sizes: BTreeMap<Address, u64>,
    names: NameInterner,
    /// Definitions already compiled into a block, by declaration index:
    /// their `DPrj` and the block.
    in_block: FxHashMap<usize, (Address, Address)>,
}

/// Compiles a whole environment.
pub fn compile(env: &Environment) -> Result<Compiled, CompileError> {
    let (mut compiled, encoded) = compile_encoded(env)?;
    for (addr, bytes) in encoded {
        // The compiler encoded these itself: they decode.
        let constant = Constant::decode(&bytes, 0)
            .map_err(|e| CompileError::Invalid(format!("constant {}: {e}", addr.hex())))?;
        compiled.env.consts.insert(addr, constant);
    }
    Ok(compiled)
}

/// Compiles a whole environment, its constants left encoded (by address)
/// and `Compiled::env` without them: a tenth of the memory of their trees,
/// for a caller that only writes them ([`ixon::IxonEnv::write_file_encoded`]).
pub fn compile_encoded(
    env: &Environment,
) -> Result<(Compiled, BTreeMap<Address, Vec<u8>>), CompileError> {
    let mut c = Compiler {
        decls: &env.decls,
        out: IxonEnv::default(),
        encoded: BTreeMap::new(),
        scope: FxHashMap::default(),
        homes: FxHashMap::default(),
        block_sizes: BTreeMap::new(),
        names: NameInterner::default(),
        in_block: FxHashMap::default(),
    };
    let mut entries = Vec::with_capacity(env.decls.len());
    for i in 0..env.decls.len() {
        entries.push(c.declaration(i)?);
    }
    let (table, blobs, remap) = std::mem::take(&mut c.names).finish();
    for e in &mut entries {
        e.map_names(|n| remap.get(n as usize).copied().unwrap_or(0));
    }
    for b in blobs {
        c.out.blobs.insert(Address::hash(&b), b);
    }
    c.out.meta.names = table;
    c.out.meta.decls = entries;
    let m = &env.meta;
    c.out.meta.comments = vec![
        ("exporter.name".into(), m.exporter_name.clone()),
        ("exporter.version".into(), m.exporter_version.clone()),
        ("format.version".into(), m.format_version.clone()),
        ("lean.githash".into(), m.lean_githash.clone()),
        ("lean.version".into(), m.lean_version.clone()),
    ];
    let compiled = Compiled {
        env: c.out,
        addresses: c.scope,
        homes: c.homes,
        block_sizes: c.block_sizes,
    };
    Ok((compiled, c.encoded))
}

impl<'e> Compiler<'e> {
    fn add_constant(&mut self, constant: Constant) -> Address {
        let bytes = constant.to_bytes();
        let addr = Address::hash(&bytes);
        if !constant.info.is_projection() {
            self.block_sizes.insert(addr, bytes.len() as u64);
        }
        self.encoded.entry(addr).or_insert(bytes);
        addr
    }

    fn declare(&mut self, name: &Name, addr: Address, home: Address) {
        self.scope.insert(name.clone(), addr);
        self.homes.insert(name.clone(), home);
    }

    /// Adds `prj`, a projection out of `block`, as the constant `name`.
    fn declare_projection(&mut self, name: &Name, prj: ConstantInfo, block: Address) {
        let addr = self.add_constant(Constant::bare(prj));
        self.declare(name, addr, block);
    }

    fn const_meta(
        &mut self,
        c: &ConstantVal,
        levels: Vec<Name>,
        mb: &mut MetaBuilder,
    ) -> ConstMeta {
        let names = &mut self.names;
        ConstMeta {
            name: names.id(&c.name),
            levels: levels.iter().map(|l| names.id(l)).collect(),
            ty: mb.expr(&c.ty, &mut |n| names.id(n)),
        }
    }

    fn name_list(&mut self, names: &[Name]) -> Vec<u64> {
        names.iter().map(|n| self.names.id(n)).collect()
    }

    fn declaration(&mut self, i: usize) -> Result<DeclEntry, CompileError> {
        let decl = &self.decls[i];
        let mut mb = MetaBuilder::default();
        let meta = match decl {
            Declaration::Axiom(v) => {
                let (addr, c) = self.typed_constant(&v.cval, &mut mb, |ty| {
                    ConstantInfo::Axio(ixon::Axio {
                        is_unsafe: v.is_unsafe,
                        lvls: lvls(&v.cval),
                        ty,
                    })
                })?;
                DeclMeta::Axiom { addr, c }
            }
            Declaration::Quot(v) => {
                let kind = match v.kind {
                    QuotKind::Type => ixon::QuotKind::Type,
                    QuotKind::Ctor => ixon::QuotKind::Ctor,
                    QuotKind::Lift => ixon::QuotKind::Lift,
                    QuotKind::Ind => ixon::QuotKind::Ind,
                };
                let (addr, c) = self.typed_constant(&v.cval, &mut mb, |ty| {
                    ConstantInfo::Quot(ixon::Quot {
                        kind,
                        lvls: lvls(&v.cval),
                        ty,
                    })
                })?;
                DeclMeta::Quot { addr, c }
            }
            Declaration::Inductive(block) => self.inductive(block, &mut mb)?,
            _ => self.definition(i, &mut mb)?,
        };
        Ok(DeclEntry {
            nodes: mb.nodes,
            decl: meta,
        })
    }

    /// A standalone constant that is only a type (an axiom, a quotient),
    /// added and declared: its address and metadata.
    fn typed_constant(
        &mut self,
        cval: &ConstantVal,
        mb: &mut MetaBuilder,
        info: impl FnOnce(ixon::ExprRef) -> ConstantInfo,
    ) -> Result<(Address, ConstMeta), CompileError> {
        let (constant, levels) = self.single(cval, &[], |ty, _| info(ty))?;
        let addr = self.add_constant(constant);
        self.declare(&cval.name, addr, addr);
        Ok((addr, self.const_meta(cval, levels, mb)))
    }

    /// A standalone constant: the type, then `extra` expressions.
    fn single(
        &mut self,
        cval: &ConstantVal,
        extra: &[&ExprRef],
        info: impl FnOnce(ixon::ExprRef, Vec<ixon::ExprRef>) -> ConstantInfo,
    ) -> Result<(Constant, Vec<Name>), CompileError> {
        let mut cc = ConstCompiler::new(&self.scope, FxHashMap::default(), &mut self.out.blobs);
        cc.member(&cval.name, &level_names(cval, extra));
        cc.add_root(&cval.ty)?;
        for e in extra {
            cc.add_root(e)?;
        }
        let levels = cc.level_names();
        let constant = cc.finish().into_constant(|roots| {
            let ty = roots.next().expect("the type root");
            info(ty, roots.collect())
        });
        Ok((constant, levels))
    }

    fn definition(&mut self, i: usize, mb: &mut MetaBuilder) -> Result<DeclMeta, CompileError> {
        let d = def_view(&self.decls[i]).expect("only definition-like declarations reach here");
        let addr = match self.in_block.get(&i).copied() {
            Some((prj, block)) => {
                self.declare(&d.cval.name, prj, block);
                prj
            }
            None if self.needs_block(&d) => self.definition_block(i, &d)?,
            None => {
                let (kind, saf) = (d.kind, d.safety);
                let (constant, _) = self.single(d.cval, &[d.value], |ty, mut rest| {
                    ConstantInfo::Defn(ixon::Defn {
                        kind,
                        safety: saf,
                        lvls: lvls(d.cval),
                        ty,
                        value: rest.pop().expect("the value root"),
                    })
                })?;
                let addr = self.add_constant(constant);
                self.declare(&d.cval.name, addr, addr);
                addr
            }
        };
        if let Some(h) = d.hint {
            self.out.hints.entry(addr).or_insert(h);
        }
        // Level names again for the metadata (undeclared ones included).
        let levels = level_names(d.cval, &[d.value]);
        let c = self.const_meta(d.cval, levels, mb);
        let names = &mut self.names;
        let value = mb.expr(d.value, &mut |n| names.id(n));
        Ok(DeclMeta::Defn(DefnMeta {
            addr,
            c,
            value,
            hint: d.hint,
            all: self.name_list(d.all),
        }))
    }

    /// Whether a definition mentions an uncompiled member of its group.
    fn needs_block(&self, d: &DefView) -> bool {
        let group: FxHashSet<&Name> = d
            .all
            .iter()
            .chain(std::iter::once(&d.cval.name))
            .filter(|n| !self.scope.contains_key(*n))
            .collect();
        !group.is_empty() && mentions_any(&[&d.cval.ty, d.value], &group)
    }

    /// Compiles definition `i` and the uncompiled members of its `all` group
    /// (found after it in file order) as one block; returns `i`'s `DPrj`.
    fn definition_block(&mut self, i: usize, d: &DefView) -> Result<Address, CompileError> {
        let mut members: Vec<usize> = vec![i];
        for n in d.all.iter().filter(|n| **n != d.cval.name) {
            let found = (i + 1..self.decls.len()).find(|j| {
                !members.contains(j)
                    && !self.in_block.contains_key(j)
                    && def_view(&self.decls[*j]).is_some_and(|v| v.cval.name == *n)
            });
            members.extend(found);
        }
        // Block order: position in `all` (a member missing from it first).
        let pos = |j: &usize| {
            let name = &def_view(&self.decls[*j])
                .expect("definition member")
                .cval
                .name;
            d.all.iter().position(|n| n == name).map_or(0, |p| p + 1)
        };
        members.sort_by_key(pos);
        let views: Vec<DefView> = members
            .iter()
            .map(|j| def_view(&self.decls[*j]).expect("member"))
            .collect();
        let rec_index = member_index(views.iter().map(|m| m.cval.name.clone()));
        let mut cc = ConstCompiler::new(&self.scope, rec_index, &mut self.out.blobs);
        for v in &views {
            cc.member(&v.cval.name, &level_names(v.cval, &[v.value]));
            cc.add_root(&v.cval.ty)?;
            cc.add_root(v.value)?;
        }
        let constant = cc.finish().into_constant(|roots| {
            let mut next = || roots.next().expect("two roots per member");
            let members = views.iter().map(|v| {
                Member::Defn(ixon::Defn {
                    kind: v.kind,
                    safety: v.safety,
                    lvls: lvls(v.cval),
                    ty: next(),
                    value: next(),
                })
            });
            ConstantInfo::Muts(members.collect())
        });
        let block = self.add_constant(constant);
        let mut own = block;
        for (k, j) in members.iter().enumerate() {
            let prj = self.add_constant(Constant::bare(ConstantInfo::DPrj {
                idx: k as u64,
                block,
            }));
            self.homes.insert(views[k].cval.name.clone(), block);
            if *j == i {
                own = prj;
                self.declare(&views[k].cval.name, prj, block);
            } else {
                self.in_block.insert(*j, (prj, block));
            }
        }
        Ok(own)
    }

    fn inductive(
        &mut self,
        b: &'e InductiveBlock,
        mb: &mut MetaBuilder,
    ) -> Result<DeclMeta, CompileError> {
        // Constructors inline in their type, in the type's `ctors` order.
        let mut placed: Vec<Option<(u64, u64)>> = vec![None; b.ctors.len()];
        let mut layout: Vec<Vec<usize>> = Vec::with_capacity(b.types.len());
        for (t, ty) in b.types.iter().enumerate() {
            let mut row = Vec::new();
            for cname in &ty.ctors {
                let k = (0..b.ctors.len())
                    .find(|&k| placed[k].is_none() && b.ctors[k].cval.name == *cname)
                    .ok_or_else(|| {
                        CompileError::Invalid(format!(
                            "{}: constructor {cname} is listed but not declared in its block",
                            ty.cval.name
                        ))
                    })?;
                placed[k] = Some((t as u64, row.len() as u64));
                row.push(k);
            }
            layout.push(row);
        }
        if let Some(k) = placed.iter().position(Option::is_none) {
            return Err(CompileError::Invalid(format!(
                "constructor {} is not listed by any type of its block",
                b.ctors[k].cval.name
            )));
        }
        let mut block = None;
        let mut type_levels = Vec::new();
        let mut ctor_levels = vec![Vec::new(); b.ctors.len()];
        if !b.types.is_empty() {
            let rec_index = member_index(b.types.iter().map(|m| m.cval.name.clone()));
            let mut cc = ConstCompiler::new(&self.scope, rec_index, &mut self.out.blobs);
            for (t, ty) in b.types.iter().enumerate() {
                cc.member(&ty.cval.name, &level_names(&ty.cval, &[]));
                cc.add_root(&ty.cval.ty)?;
                type_levels.push(cc.level_names());
                for &k in &layout[t] {
                    let ctor = &b.ctors[k];
                    cc.member(&ctor.cval.name, &level_names(&ctor.cval, &[]));
                    cc.add_root(&ctor.cval.ty)?;
                    ctor_levels[k] = cc.level_names();
                }
            }
            let constant = cc.finish().into_constant(|roots| {
                let mut next = || roots.next().expect("a root per type and constructor");
                let mut members = Vec::with_capacity(b.types.len());
                for (t, ty) in b.types.iter().enumerate() {
                    let ty_root = next();
                    let ctors = layout[t]
                        .iter()
                        .map(|&k| {
                            let c = &b.ctors[k];
                            ixon::Ctor {
                                is_unsafe: c.is_unsafe,
                                lvls: lvls(&c.cval),
                                cidx: u64::from(c.cidx),
                                params: u64::from(c.num_params),
                                fields: u64::from(c.num_fields),
                                ty: next(),
                            }
                        })
                        .collect();
                    members.push(Member::Indc(ixon::Indc {
                        is_unsafe: ty.is_unsafe,
                        lvls: lvls(&ty.cval),
                        params: u64::from(ty.num_params),
                        indices: u64::from(ty.num_indices),
                        ty: ty_root,
                        ctors,
                    }));
                }
                ConstantInfo::Muts(members)
            });
            let addr = self.add_constant(constant);
            for (t, ty) in b.types.iter().enumerate() {
                let idx = t as u64;
                let prj = ConstantInfo::IPrj { idx, block: addr };
                self.declare_projection(&ty.cval.name, prj, addr);
            }
            for (k, c) in b.ctors.iter().enumerate() {
                let (idx, cidx) = placed[k].expect("every constructor placed");
                let prj = ConstantInfo::CPrj {
                    idx,
                    cidx,
                    block: addr,
                };
                self.declare_projection(&c.cval.name, prj, addr);
            }
            block = Some(addr);
        }
        let (rec_block, rec_levels) = self.recursors(b)?;
        let types = b.types.iter().zip(type_levels);
        let ctors = b.ctors.iter().zip(ctor_levels).zip(placed);
        let recs = b.recs.iter().zip(rec_levels);
        Ok(DeclMeta::Inductive(InductiveMeta {
            block,
            rec_block,
            types: types
                .map(|(ty, levels)| self.type_meta(ty, levels, mb))
                .collect(),
            ctors: ctors
                .map(|((c, levels), place)| {
                    let place = place.expect("every constructor placed");
                    self.ctor_meta(c, levels, place, mb)
                })
                .collect(),
            recs: recs
                .map(|(r, levels)| self.rec_meta(r, levels, mb))
                .collect(),
        }))
    }

    fn type_meta(
        &mut self,
        ty: &InductiveVal,
        levels: Vec<Name>,
        mb: &mut MetaBuilder,
    ) -> TypeMeta {
        TypeMeta {
            c: self.const_meta(&ty.cval, levels, mb),
            all: self.name_list(&ty.all),
            ctors: self.name_list(&ty.ctors),
            num_nested: u64::from(ty.num_nested),
            is_rec: ty.is_rec,
            is_reflexive: ty.is_reflexive,
        }
    }

    /// A constructor's metadata; it sits at `(type_idx, position)` in the block.
    fn ctor_meta(
        &mut self,
        c: &ConstructorVal,
        levels: Vec<Name>,
        (type_idx, position): (u64, u64),
        mb: &mut MetaBuilder,
    ) -> CtorMeta {
        CtorMeta {
            c: self.const_meta(&c.cval, levels, mb),
            induct: self.names.id(&c.induct),
            type_idx,
            position,
        }
    }

    fn rec_meta(&mut self, r: &RecursorVal, levels: Vec<Name>, mb: &mut MetaBuilder) -> RecMeta {
        let c = self.const_meta(&r.cval, levels, mb);
        let all = self.name_list(&r.all);
        let rules = r
            .rules
            .iter()
            .map(|rule| {
                let names = &mut self.names;
                RuleMeta {
                    ctor: names.id(&rule.ctor),
                    rhs: mb.expr(&rule.rhs, &mut |n| names.id(n)),
                }
            })
            .collect();
        RecMeta { c, all, rules }
    }

    /// The recursors of an inductive record as one block.
    fn recursors(
        &mut self,
        b: &InductiveBlock,
    ) -> Result<(Option<Address>, Vec<Vec<Name>>), CompileError> {
        if b.recs.is_empty() {
            return Ok((None, Vec::new()));
        }
        let rec_index = member_index(b.recs.iter().map(|m| m.cval.name.clone()));
        let mut cc = ConstCompiler::new(&self.scope, rec_index, &mut self.out.blobs);
        let mut levels = Vec::new();
        for r in &b.recs {
            let rhs: Vec<&ExprRef> = r.rules.iter().map(|rule| &rule.rhs).collect();
            cc.member(&r.cval.name, &level_names(&r.cval, &rhs));
            cc.add_root(&r.cval.ty)?;
            for rule in &r.rules {
                cc.add_root(&rule.rhs)?;
            }
            levels.push(cc.level_names());
        }
        let constant = cc.finish().into_constant(|roots| {
            let mut next = || roots.next().expect("a root per type and rule");
            let members = b.recs.iter().map(|r| {
                let ty = next();
                Member::Recr(ixon::Recr {
                    k: r.k,
                    is_unsafe: r.is_unsafe,
                    lvls: lvls(&r.cval),
                    params: u64::from(r.num_params),
                    indices: u64::from(r.num_indices),
                    motives: u64::from(r.num_motives),
                    minors: u64::from(r.num_minors),
                    ty,
                    rules: r
                        .rules
                        .iter()
                        .map(|rule| ixon::RecrRule {
                            fields: u64::from(rule.num_fields),
                            rhs: next(),
                        })
                        .collect(),
                })
            });
            ConstantInfo::Muts(members.collect())
        });
        let addr = self.add_constant(constant);
        for (k, r) in b.recs.iter().enumerate() {
            let prj = ConstantInfo::RPrj {
                idx: k as u64,
                block: addr,
            };
            self.declare_projection(&r.cval.name, prj, addr);
        }
        Ok((Some(addr), levels))
    }
}

/// Each member's position in its block, by name.
fn member_index(names: impl Iterator<Item = Name>) -> FxHashMap<Name, u64> {
    names.zip(0..).collect()
}

/// Level parameters, then level names used without being declared, in
/// first-use order (pre-order over the type, then `extra`). Universe `Var i`
/// is entry i of this list, so the order must be deterministic, and it does
/// not depend on what the parameters are called.
fn level_names(cval: &ConstantVal, extra: &[&ExprRef]) -> Vec<Name> {
    let mut names = cval.level_params.clone();
    let mut seen_levels: FxHashSet<*const Level> = FxHashSet::default();
    let mut visit = |l: &LevelRef, names: &mut Vec<Name>| {
        let mut stack = vec![l.clone()];
        while let Some(l) = stack.pop() {
            if !seen_levels.insert(Arc::as_ptr(&l)) {
                continue;
            }
            match &*l {
                Level::Zero => {}
                Level::Succ(a) => stack.push(a.clone()),
                Level::Max(a, b) | Level::IMax(a, b) => {
                    stack.push(b.clone());
                    stack.push(a.clone());
                }
                Level::Param(p) => {
                    if !names.contains(p) {
                        names.push(p.clone());
                    }
                }
            }
        }
    };
    let mut seen: FxHashSet<*const Expr> = FxHashSet::default();
    for root in std::iter::once(&cval.ty).chain(extra.iter().copied()) {
        let mut stack: Vec<(&Expr, bool)> = vec![(&**root, false)];
        while let Some((e, _)) = stack.pop() {
            if !seen.insert(e as *const Expr) {
                continue;
            }
            match e {
                Expr::Sort(l) => visit(l, &mut names),
                Expr::Const(_, ls) => ls.iter().for_each(|l| visit(l, &mut names)),
                _ => {}
            }
            // Pre-order, first child first: the order fixes universe `Var` numbers.
            let start = stack.len();
            crate::expr::push_lean_children(e, &mut stack);
            stack[start..].reverse();
        }
    }
    names
}

/// Whether any of `roots` mentions a constant in `names`.
fn mentions_any(roots: &[&ExprRef], names: &FxHashSet<&Name>) -> bool {
    let mut seen: FxHashSet<*const Expr> = FxHashSet::default();
    let mut stack: Vec<(&Expr, bool)> = roots.iter().map(|r| (&***r, false)).collect();
    while let Some((e, _)) = stack.pop() {
        if !seen.insert(e as *const Expr) {
            continue;
        }
        match e {
            Expr::Const(n, _) | Expr::Proj(n, ..) if names.contains(n) => return true,
            _ => crate::expr::push_lean_children(e, &mut stack),
        }
    }
    false
}
