//! Decompiling without metadata: synthetic names (see the crate docs) and
//! a deterministic dependency order.

use super::expr::{foreign_name, level_param_name, synthetic_or_foreign, ExprCtx, Naming};
use super::{
    block_members, constant, definition, err, member_addresses, member_name, projection, recursor,
    to_u32, Result,
};
use crate::DecompileError;
use ix_lean as lean;
use ix_lean::{ExprRef as LExprRef, Name};
use ixon::{Address, Constant, ConstantInfo, IxonEnv, Member};
use rustc_hash::{FxHashMap, FxHashSet};
use std::sync::Arc;

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
    let cval = if ctx.levels.len() as u64 == r.lvls {
        lean::ConstantVal {
            name,
            level_params: ctx.levels.clone(),
            ty,
        }
    } else {
        anon_cval(name, r.lvls, ty)?
    };
    recursor(r, cval, all, rules)
}
