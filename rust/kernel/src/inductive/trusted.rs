//! Adding an inductive block that a shard check trusts: the exported types,
//! constructors and recursors go into the environment as they are, with no
//! checking. This is only sound for a block that another check established
//! (the shard that owns it), where the exported recursors were compared
//! equal to the generated ones; a shard's claim names such blocks among its
//! assumptions.

use super::insert;
use crate::env::{ConstantInfo, ConstantVal, Env, InductiveVal, RecRule, RecursorVal};
use crate::error::KResult;
use crate::expr::Expr;
use ix_lean::InductiveBlock;

fn val(cval: &ix_lean::ConstantVal<Expr>) -> ConstantVal {
    ConstantVal {
        name: cval.name.clone(),
        level_params: cval.level_params.clone().into(),
        ty: cval.ty.clone(),
    }
}

/// Adds `block` without checking it (see the module documentation).
pub fn add_trusted_inductive_block(
    env: &mut Env,
    block: &InductiveBlock<Expr>,
    decl_index: usize,
) -> KResult<()> {
    let types = block.types.iter().map(|t| {
        ConstantInfo::Inductive(Box::new(InductiveVal {
            val: val(&t.cval),
            num_params: t.num_params,
            num_indices: t.num_indices,
            all: t.all.clone().into(),
            ctors: t.ctors.clone().into(),
            is_rec: t.is_rec,
            is_reflexive: t.is_reflexive,
            num_nested: t.num_nested,
            is_unsafe: t.is_unsafe,
        }))
    });
    let ctors = block.ctors.iter().map(|c| ConstantInfo::Constructor {
        val: val(&c.cval),
        induct: c.induct.clone(),
        cidx: c.cidx,
        num_params: c.num_params,
        num_fields: c.num_fields,
        is_unsafe: c.is_unsafe,
    });
    let recs = block
        .recs
        .iter()
        .map(|r| ConstantInfo::Recursor(Box::new(exported_recursor(r))));
    for info in types.chain(ctors).chain(recs) {
        insert(env, info, decl_index)?;
    }
    Ok(())
}

/// A recursor as the export states it.
pub(super) fn exported_recursor(r: &ix_lean::RecursorVal<Expr>) -> RecursorVal {
    let rules = r
        .rules
        .iter()
        .map(|rule| RecRule {
            ctor: rule.ctor.clone(),
            num_fields: rule.num_fields,
            rhs: rule.rhs.clone(),
        })
        .collect();
    RecursorVal {
        val: val(&r.cval),
        all: r.all.clone().into(),
        num_params: r.num_params,
        num_indices: r.num_indices,
        num_motives: r.num_motives,
        num_minors: r.num_minors,
        rules,
        k: r.k,
        is_unsafe: r.is_unsafe,
    }
}
