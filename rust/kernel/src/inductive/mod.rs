//! Inductive declarations: checking one exported mutual block and adding
//! its types, constructors and the recursors the kernel generates itself.
//!
//! Entry point:
//! ```ignore
//! pub fn add_inductive_block(
//!     env: &mut Env,
//!     block: &ix_lean::InductiveBlock,
//!     conv: &mut Converter,
//!     decl_index: usize,
//!     options: &TcOptions,
//! ) -> KResult<()>
//! ```
//! Steps, following the official kernel (`add_inductive`):
//! 1. [`block`]: the block's shape (universe parameters, parameter count,
//!    constructor ownership and counts, names, the reserved `_nested` prefix).
//! 2. [`nested`]: nested occurrences become auxiliary types of the block.
//! 3. [`check`]: the types (telescopes after whnf, shared parameters, one
//!    sort), then, with the types in the environment, the constructors (also
//!    the original, un-eliminated constructor types, so that the parameters
//!    of nested occurrences are checked, lean4#14576), positivity, universes.
//! 4. [`recursor`]: elimination level, K, motives, minors, rules.
//! 5. [`nested`] again: the recursors are restored to the original types.
//! 6. [`compare`]: everything the exporter derived (recursors, `isRec`,
//!    `isReflexive`, `numNested`, `numIndices`, `k`, rules) must equal what
//!    was generated; the generated constants are the ones added.
//! 7. The restored recursor types are type-checked once more (lean4#14621).
//!
//! Everything is added with `decl_index`; a name already taken is a
//! rejection.

mod block;
mod check;
mod compare;
mod nested;
mod recursor;
mod trusted;

#[cfg(test)]
mod tests;

use crate::env::{ConstantInfo, ConstantVal, Env, InductiveVal, RecRule, RecursorVal};
use crate::error::{KResult, KernelError};
use crate::expr::{Expr, Interner};
use crate::tc::{TcOptions, TypeChecker};
use block::{rec_name, Decl};
use ix_lean::{DefinitionSafety, InductiveBlock, Name};
use recursor::GenRec;
use rustc_hash::FxHashSet;
pub use trusted::add_trusted_inductive_block;

/// Checks one exported inductive block and adds its types, constructors and
/// generated recursors to `env` (see the module documentation).
pub fn add_inductive_block(
    env: &mut Env,
    block: &InductiveBlock<Expr>,
    generated: &mut Interner,
    decl_index: usize,
    options: &TcOptions,
) -> KResult<()> {
    let decl = block::decl_of_block(block)?;
    let preferred_elim = preferred_elim(block, &decl);
    let mut checked = check_decl(env, decl, decl_index, options, preferred_elim)?;
    compare::compare_types(block, &checked.flags())?;
    compare::compare_recs(block, &checked.recs, &checked.decl.type_names())?;
    for r in &mut checked.recs {
        share_recursor(r, block, generated);
    }
    add_checked(env, &checked, decl_index, options)
}

/// [`add_inductive_block`] with its costly half left for later: the
/// block's shape, names and types are checked here and its constants added
/// (the recursors as exported), and the rest (constructors, recursor
/// generation, the comparison with the export, the recursors' recheck) is
/// returned, to be run against the environment by [`DeferredBlock::finish`]
/// on any thread, while later declarations are added. Until it is run, the
/// environment holds what a successful check would have added: the
/// recursors the export states are the ones the check compares equal.
/// A block whose check must add and remove auxiliary types (nested
/// occurrences), or whose exported recursors are not one per type under
/// the expected names, is checked whole here instead (`None`), so that
/// its verdict and message are the same either way.
pub fn begin_inductive_block(
    env: &mut Env,
    block: &InductiveBlock<Expr>,
    generated: &mut Interner,
    decl_index: usize,
    options: &TcOptions,
) -> KResult<Option<DeferredBlock>> {
    let decl = block::decl_of_block(block)?;
    let nested = nested::eliminate(env, &decl)?;
    let main = decl.types[0].name.clone();
    let rec_names = public_rec_names(&nested);
    if nested.is_nested() || !exports_one_rec_each(block, &rec_names) {
        return add_inductive_block(env, block, generated, decl_index, options).map(|()| None);
    }
    check_fresh_names(env, &decl, &rec_names, &main)?;
    let safety = safety_of(&decl);
    let info = check::check_types(
        &mut checker(env, &decl, &main, decl_index, safety, options),
        &decl,
    )?;
    let is_rec = check::is_rec(&decl);
    let is_reflexive = check::is_reflexive(&decl);
    insert_types(env, &decl, &info, is_rec, is_reflexive, decl_index)?;
    insert_ctors(env, &decl, decl_index)?;
    for r in &block.recs {
        let mut rec = trusted::exported_recursor(r);
        rec.all = decl.type_names().into();
        rec.is_unsafe = decl.is_unsafe;
        insert(env, ConstantInfo::Recursor(Box::new(rec)), decl_index)?;
    }
    Ok(Some(DeferredBlock {
        preferred_elim: preferred_elim(block, &decl).cloned(),
        block: block.clone(),
        decl,
        info,
        is_rec,
        is_reflexive,
        decl_index,
    }))
}

/// The part of an inductive block's check that [`begin_inductive_block`]
/// left for later.
pub struct DeferredBlock {
    block: InductiveBlock<Expr>,
    decl: Decl,
    info: check::TypesInfo,
    is_rec: bool,
    is_reflexive: bool,
    preferred_elim: Option<Name>,
    decl_index: usize,
}

impl DeferredBlock {
    /// The block's first type, which it is reported under.
    pub fn name(&self) -> &Name {
        &self.decl.types[0].name
    }

    /// Steps 3 (constructors) to 7, as [`add_inductive_block`] runs them,
    /// against an environment that already holds the block.
    pub fn finish(&self, env: &Env, options: &TcOptions) -> KResult<()> {
        let decl = &self.decl;
        let safety = safety_of(decl);
        let recs = {
            let mut tc = checker(env, decl, self.name(), self.decl_index, safety, options);
            tc.allow_same_block(decl.type_names());
            let ctx = check::BlockCtx::new(&mut tc, decl, &self.info)?;
            ctx.check_constructors(&mut tc)?;
            recursor::generate(&mut tc, &ctx, self.preferred_elim.as_ref())?
        };
        let flags = compare::TypeFlags {
            num_indices: &self.info.num_indices,
            is_rec: self.is_rec,
            is_reflexive: self.is_reflexive,
            num_nested: 0,
        };
        compare::compare_types(&self.block, &flags)?;
        compare::compare_recs(&self.block, &recs, &decl.type_names())?;
        recheck_recursors(env, decl, &recs, self.decl_index, safety, options)
    }
}

/// Whether the export names exactly one recursor per type, `rec_names`.
fn exports_one_rec_each(block: &InductiveBlock<Expr>, rec_names: &[Name]) -> bool {
    block.recs.len() == rec_names.len()
        && rec_names
            .iter()
            .all(|n| block.recs.iter().filter(|r| &r.cval.name == n).count() == 1)
}

/// The universe parameter the export's main recursor eliminates into.
fn preferred_elim<'b>(block: &'b InductiveBlock<Expr>, decl: &Decl) -> Option<&'b Name> {
    block
        .recs
        .iter()
        .find(|r| r.cval.name == rec_name(&decl.types[0].name))
        .filter(|r| r.cval.level_params.len() == decl.level_params.len() + 1)
        .and_then(|r| r.cval.level_params.first())
}

fn safety_of(decl: &Decl) -> DefinitionSafety {
    if decl.is_unsafe {
        DefinitionSafety::Unsafe
    } else {
        DefinitionSafety::Safe
    }
}

/// Stores a generated recursor's terms as compactly as possible. Where the
/// exported term is identical to the generated one as a kernel term (binder
/// names and infos aside, levels structurally equal), the exported term is
/// kept: it already shares its nodes with the rest of the export. Anything
/// else is hash-consed with the kernel's other generated terms.
fn share_recursor(r: &mut GenRec, block: &InductiveBlock<Expr>, generated: &mut Interner) {
    let exported = block.recs.iter().find(|e| e.cval.name == r.name);
    let mut pick = |made: &Expr, given: Option<&Expr>| match given {
        Some(given) if given == made => given.clone(),
        _ => generated.intern(made),
    };
    r.ty = pick(&r.ty, exported.map(|e| &e.cval.ty));
    for (i, rule) in r.rules.iter_mut().enumerate() {
        let given = exported.and_then(|e| e.rules.get(i)).map(|g| &g.rhs);
        rule.rhs = pick(&rule.rhs, given);
    }
}

/// A declaration whose types are checked and in the environment, with its
/// constructors checked and its recursors generated (not yet added).
struct Checked {
    decl: Decl,
    recs: Vec<GenRec>,
    num_indices: Vec<usize>,
    is_rec: bool,
    is_reflexive: bool,
    num_nested: usize,
}

impl Checked {
    fn flags(&self) -> compare::TypeFlags<'_> {
        compare::TypeFlags {
            num_indices: &self.num_indices,
            is_rec: self.is_rec,
            is_reflexive: self.is_reflexive,
            num_nested: self.num_nested,
        }
    }

    fn safety(&self) -> DefinitionSafety {
        safety_of(&self.decl)
    }
}

/// Steps 2–5: nested elimination, types (added to `env`), constructors,
/// recursor generation and restoration.
fn check_decl(
    env: &mut Env,
    decl: Decl,
    decl_index: usize,
    options: &TcOptions,
    preferred_elim: Option<&Name>,
) -> KResult<Checked> {
    let main = decl.types[0].name.clone();
    let nested = nested::eliminate(env, &decl)?;
    let aux = &nested.decl;
    let originals = decl.type_names();
    check_fresh_names(env, &decl, &public_rec_names(&nested), &main)?;
    let safety = safety_of(&decl);
    let info = check::check_types(
        &mut checker(env, &decl, &main, decl_index, safety, options),
        aux,
    )?;
    let is_rec = check::is_rec(aux);
    let is_reflexive = check::is_reflexive(aux);
    for (i, t) in aux.types.iter().enumerate() {
        let all = if i < nested.num_original {
            originals.clone()
        } else {
            aux.type_names()
        };
        let flags = TypeFlags {
            num_indices: info.num_indices[i],
            is_rec,
            is_reflexive,
            num_nested: nested.num_nested(),
        };
        insert(env, inductive_info(&decl, t, all, &flags), decl_index)?;
    }
    let generated = {
        let mut tc = checker(env, &decl, &main, decl_index, safety, options);
        tc.allow_same_block(aux.type_names());
        if nested.is_nested() {
            check_original_ctors(&mut tc, &decl)?;
        }
        let ctx = check::BlockCtx::new(&mut tc, aux, &info)?;
        ctx.check_constructors(&mut tc)?;
        recursor::generate(&mut tc, &ctx, preferred_elim)?
    };
    for t in &aux.types[nested.num_original..] {
        env.remove(&t.name);
    }
    let recs = restore_recs(&nested, generated, &main)?;
    let num_indices = info.num_indices[..nested.num_original].to_vec();
    Ok(Checked {
        decl,
        recs,
        num_indices,
        is_rec,
        is_reflexive,
        num_nested: nested.num_nested(),
    })
}

/// What the kernel derives for one type of a block.
struct TypeFlags {
    num_indices: usize,
    is_rec: bool,
    is_reflexive: bool,
    num_nested: usize,
}

fn inductive_info(
    decl: &Decl,
    t: &block::IndType,
    all: Vec<Name>,
    flags: &TypeFlags,
) -> ConstantInfo {
    ConstantInfo::Inductive(Box::new(InductiveVal {
        val: ConstantVal {
            name: t.name.clone(),
            level_params: decl.level_params.clone(),
            ty: t.ty.clone(),
        },
        num_params: decl.num_params as u32,
        num_indices: flags.num_indices as u32,
        all: all.into(),
        ctors: t.ctors.iter().map(|c| c.name.clone()).collect(),
        is_rec: flags.is_rec,
        is_reflexive: flags.is_reflexive,
        num_nested: flags.num_nested as u32,
        is_unsafe: decl.is_unsafe,
    }))
}

/// The types of a block without nested occurrences, as `check_decl` adds them.
fn insert_types(
    env: &mut Env,
    decl: &Decl,
    info: &check::TypesInfo,
    is_rec: bool,
    is_reflexive: bool,
    decl_index: usize,
) -> KResult<()> {
    for (t, num_indices) in decl.types.iter().zip(&info.num_indices) {
        let flags = TypeFlags {
            num_indices: *num_indices,
            is_rec,
            is_reflexive,
            num_nested: 0,
        };
        insert(
            env,
            inductive_info(decl, t, decl.type_names(), &flags),
            decl_index,
        )?;
    }
    Ok(())
}

/// The constructors, as the block's shape gives them.
fn insert_ctors(env: &mut Env, decl: &Decl, decl_index: usize) -> KResult<()> {
    for t in &decl.types {
        for (cidx, c) in t.ctors.iter().enumerate() {
            let info = ConstantInfo::Constructor {
                val: ConstantVal {
                    name: c.name.clone(),
                    level_params: decl.level_params.clone(),
                    ty: c.ty.clone(),
                },
                induct: t.name.clone(),
                cidx: cidx as u32,
                num_params: decl.num_params as u32,
                num_fields: block::pi_arity(&c.ty).saturating_sub(decl.num_params) as u32,
                is_unsafe: decl.is_unsafe,
            };
            insert(env, info, decl_index)?;
        }
    }
    Ok(())
}

/// Step 7 and the additions: constructors and recursors go into `env`, and
/// the recursor types are type-checked there.
fn add_checked(
    env: &mut Env,
    checked: &Checked,
    decl_index: usize,
    options: &TcOptions,
) -> KResult<()> {
    let decl = &checked.decl;
    insert_ctors(env, decl, decl_index)?;
    for r in &checked.recs {
        let info = ConstantInfo::Recursor(Box::new(RecursorVal {
            val: ConstantVal {
                name: r.name.clone(),
                level_params: r.level_params.clone(),
                ty: r.ty.clone(),
            },
            all: decl.type_names().into(),
            num_params: r.num_params,
            num_indices: r.num_indices,
            num_motives: r.num_motives,
            num_minors: r.num_minors,
            rules: r.rules.clone().into(),
            k: r.k,
            is_unsafe: decl.is_unsafe,
        }));
        insert(env, info, decl_index)?;
    }
    recheck_recursors(
        env,
        decl,
        &checked.recs,
        decl_index,
        checked.safety(),
        options,
    )
}

fn checker<'e>(
    env: &'e Env,
    decl: &Decl,
    main: &Name,
    decl_index: usize,
    safety: DefinitionSafety,
    options: &TcOptions,
) -> TypeChecker<'e> {
    TypeChecker::new(
        env,
        main.clone(),
        decl_index,
        decl.level_params.clone(),
        safety,
        options,
    )
}

fn insert(env: &mut Env, info: ConstantInfo, decl_index: usize) -> KResult<()> {
    env.insert(info, decl_index)
        .map_err(|n| KernelError::reject(&n, "a constant with this name is already declared"))
}

/// The names of the recursors the block will have: `I.rec` per type, then
/// `Main.rec_k` per auxiliary type.
fn public_rec_names(nested: &nested::Nested) -> Vec<Name> {
    let aux = nested.aux_rec_names();
    nested
        .decl
        .types
        .iter()
        .map(|t| {
            let r = rec_name(&t.name);
            aux.get(&r).cloned().unwrap_or(r)
        })
        .collect()
}

/// Types, constructors and recursors: pairwise distinct and not yet declared.
fn check_fresh_names(env: &Env, decl: &Decl, rec_names: &[Name], main: &Name) -> KResult<()> {
    let mut seen = FxHashSet::default();
    let names = decl
        .types
        .iter()
        .flat_map(|t| std::iter::once(&t.name).chain(t.ctors.iter().map(|c| &c.name)))
        .chain(rec_names);
    for n in names {
        if env.contains(n) {
            return Err(KernelError::reject(
                n,
                "a constant with this name is already declared",
            ));
        }
        if !seen.insert(n.clone()) {
            return Err(KernelError::reject(
                main,
                format!("the name {n} is used twice in the block"),
            ));
        }
    }
    Ok(())
}

/// The constructors as exported (before nested elimination) must be well
/// typed: elimination drops the parameters of nested occurrences, which
/// would otherwise never be checked.
fn check_original_ctors(tc: &mut TypeChecker, decl: &Decl) -> KResult<()> {
    for c in decl.types.iter().flat_map(|t| &t.ctors) {
        let s = tc.check(&c.ty)?;
        tc.ensure_sort(&s)?;
    }
    Ok(())
}

/// Translates the recursors of the elaborated block back to the original
/// types (identity when nothing was nested).
fn restore_recs(nested: &nested::Nested, recs: Vec<GenRec>, main: &Name) -> KResult<Vec<GenRec>> {
    if !nested.is_nested() {
        return Ok(recs);
    }
    let names = nested.aux_rec_names();
    recs.into_iter()
        .map(|r| {
            let is_aux = names.contains_key(&r.name);
            let rules = r
                .rules
                .iter()
                .map(|rule| {
                    let ctor = if is_aux {
                        nested.original_ctor(&rule.ctor).cloned().ok_or_else(|| {
                            KernelError::reject(main, "internal: unknown auxiliary constructor")
                        })?
                    } else {
                        rule.ctor.clone()
                    };
                    Ok(RecRule {
                        ctor,
                        num_fields: rule.num_fields,
                        rhs: nested.restore(&rule.rhs, &names, main)?,
                    })
                })
                .collect::<KResult<Vec<_>>>()?;
            Ok(GenRec {
                name: names.get(&r.name).cloned().unwrap_or(r.name.clone()),
                ty: nested.restore(&r.ty, &names, main)?,
                rules,
                ..r
            })
        })
        .collect()
}

/// The recursors as added must be well typed in the final environment.
fn recheck_recursors(
    env: &Env,
    decl: &Decl,
    recs: &[GenRec],
    decl_index: usize,
    safety: DefinitionSafety,
    options: &TcOptions,
) -> KResult<()> {
    let block_names: Vec<Name> = decl
        .types
        .iter()
        .flat_map(|t| std::iter::once(t.name.clone()).chain(t.ctors.iter().map(|c| c.name.clone())))
        .collect();
    for r in recs {
        let mut tc = TypeChecker::new(
            env,
            r.name.clone(),
            decl_index,
            r.level_params.clone(),
            safety,
            options,
        );
        tc.allow_same_block(block_names.iter().cloned());
        let s = tc.check(&r.ty)?;
        tc.ensure_sort(&s)?;
    }
    Ok(())
}
