//! Comparing the exporter's derived data with what the kernel computed. The
//! exported recursors, flags and counts are never used; a difference means
//! the export does not describe the block Lean's kernel would have produced,
//! and it is rejected.

use super::recursor::GenRec;
use crate::error::{KResult, KernelError};
use crate::expr::{Converter, Expr, ExprData, Literal};
use ix_lean::{InductiveBlock, Name};
use rustc_hash::FxHashSet;

/// The flags the kernel derives for every type of a block.
pub(crate) struct TypeFlags<'a> {
    pub num_indices: &'a [usize],
    pub is_rec: bool,
    pub is_reflexive: bool,
    pub num_nested: usize,
}

pub(crate) fn compare_types(block: &InductiveBlock, flags: &TypeFlags) -> KResult<()> {
    for (t, nind) in block.types.iter().zip(flags.num_indices) {
        let n = &t.cval.name;
        let mismatch =
            |what: &str| Err(KernelError::reject(n, format!("exported {what} is wrong")));
        if t.num_indices as usize != *nind {
            return mismatch("numIndices");
        }
        if t.is_rec != flags.is_rec {
            return mismatch("isRec");
        }
        if t.is_reflexive != flags.is_reflexive {
            return mismatch("isReflexive");
        }
        if t.num_nested as usize != flags.num_nested {
            return mismatch("numNested");
        }
    }
    Ok(())
}

/// The exported recursors must be exactly the generated ones: same names,
/// universe parameters, counts, K flag, types and rules (up to binder names
/// and infos, and universe levels up to equivalence).
pub(crate) fn compare_recs(
    block: &InductiveBlock,
    recs: &[GenRec],
    all: &[Name],
    conv: &mut Converter,
) -> KResult<()> {
    let mut seen = FxHashSet::default();
    for r in &block.recs {
        let n = &r.cval.name;
        if !seen.insert(n.clone()) {
            return Err(KernelError::reject(n, "duplicate recursor"));
        }
        if !recs.iter().any(|g| &g.name == n) {
            return Err(KernelError::reject(
                n,
                "recursor does not belong to this inductive block",
            ));
        }
    }
    for g in recs {
        let Some(r) = block.recs.iter().find(|r| r.cval.name == g.name) else {
            return Err(KernelError::reject(
                &g.name,
                "recursor missing from the export",
            ));
        };
        let mismatch = |what: &str| {
            Err(KernelError::reject(
                &g.name,
                format!("exported recursor differs from the generated one: {what}"),
            ))
        };
        if *r.cval.level_params != *g.level_params {
            return mismatch("universe parameters");
        }
        if r.all != all {
            return mismatch("all");
        }
        if r.num_params != g.num_params
            || r.num_indices != g.num_indices
            || r.num_motives != g.num_motives
            || r.num_minors != g.num_minors
        {
            return mismatch("counts");
        }
        if r.k != g.k {
            return mismatch("K flag");
        }
        if !same_as_exported(&r.cval.ty, &g.ty, conv) {
            return mismatch("type");
        }
        if r.rules.len() != g.rules.len() {
            return mismatch("number of rules");
        }
        for (er, gr) in r.rules.iter().zip(&g.rules) {
            if er.ctor != gr.ctor || er.num_fields != gr.num_fields {
                return mismatch(&format!("rule for {}", gr.ctor));
            }
            if !same_as_exported(&er.rhs, &gr.rhs, conv) {
                return mismatch(&format!("right-hand side of the rule for {}", gr.ctor));
            }
        }
    }
    Ok(())
}

/// Whether an exported term equals a generated one up to binder names and
/// infos, with universe levels compared up to equivalence. The exported
/// term is read in place: a recursor's rules are quadratic in its
/// constructors (n rules binding n minor premises), and converting them
/// only to compare them cost as much as generating them.
fn same_as_exported(exported: &ix_lean::ExprRef, generated: &Expr, conv: &mut Converter) -> bool {
    use ix_lean::Expr as L;
    let mut done = FxHashSet::default();
    let mut stack = vec![(exported, generated.clone())];
    while let Some((x, y)) = stack.pop() {
        if !done.insert((std::sync::Arc::as_ptr(x), y.ptr())) {
            continue;
        }
        let ok = match (&**x, y.data()) {
            (L::BVar(i), ExprData::BVar(j)) => i == j,
            (L::Sort(l), ExprData::Sort(m)) => conv.level(l).equiv(m),
            (L::Const(n, ls), ExprData::Const(m, ms)) => {
                n == m
                    && ls.len() == ms.len()
                    && ls
                        .iter()
                        .zip(ms.iter())
                        .all(|(l, m)| conv.level(l).equiv(m))
            }
            (L::App(f, a), ExprData::App(g, b)) => {
                stack.push((f, g.clone()));
                stack.push((a, b.clone()));
                true
            }
            (L::Lam { ty, body, .. }, ExprData::Lam(_, t, u))
            | (L::Pi { ty, body, .. }, ExprData::Pi(_, t, u)) => {
                stack.push((ty, t.clone()));
                stack.push((body, u.clone()));
                true
            }
            (
                L::Let {
                    ty, value, body, ..
                },
                ExprData::Let {
                    ty: t,
                    value: v,
                    body: b,
                    ..
                },
            ) => {
                stack.push((ty, t.clone()));
                stack.push((value, v.clone()));
                stack.push((body, b.clone()));
                true
            }
            (L::Lit(ix_lean::Literal::Nat(a)), ExprData::Lit(Literal::Nat(b))) => a == b,
            (L::Lit(ix_lean::Literal::Str(a)), ExprData::Lit(Literal::Str(b))) => a == b,
            (L::Proj(s, i, e), ExprData::Proj(t, j, f)) => {
                stack.push((e, f.clone()));
                s == t && i == j
            }
            _ => false,
        };
        if !ok {
            return false;
        }
    }
    true
}
