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
//!
//! Four parts, one a file: `expr` turns one constant's Ixon expressions into
//! Lean ones (names from metadata or synthetic); `named` decompiles every
//! named entry in order; `lazy` decompiles one entry at a time on demand;
//! `anonymous` decompiles without metadata. What they share is here.

mod anonymous;
mod expr;
mod lazy;
mod named;

pub use anonymous::decompile_anonymous;
pub use lazy::{decompile_entry, LazyDecls};

use crate::DecompileError;
use ix_lean as lean;
use ix_lean::{ExprRef as LExprRef, Name};
use ixon::{Address, Constant, ConstantInfo, DefKind, IxonEnv, Member, Safety};
use named::Named;
use rustc_hash::FxHashMap;

type Result<T> = std::result::Result<T, DecompileError>;

fn err<T>(message: impl Into<String>) -> Result<T> {
    Err(DecompileError(message.into()))
}
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

/// A recursor's declaration from its hashed fields.
fn recursor(
    r: &ixon::Recr,
    cval: lean::ConstantVal,
    all: Vec<Name>,
    rules: Vec<lean::RecursorRule>,
) -> Result<lean::RecursorVal> {
    Ok(lean::RecursorVal {
        cval,
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

/// Entry `i` of the names table.
fn name_at(names: &[Name], i: u64) -> Result<Name> {
    names
        .get(i as usize)
        .cloned()
        .ok_or_else(|| DecompileError(format!("name reference {i} out of range")))
}

fn member_name(block: &Address, i: u64) -> Name {
    Name::anonymous()
        .str("_ix")
        .str(&block.short_hex(16))
        .num(i)
}
