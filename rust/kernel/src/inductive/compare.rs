//! Comparing the exporter's derived data with what the kernel computed. The
//! exported recursors, flags and counts are never used; a difference means
//! the export does not describe the block Lean's kernel would have produced,
//! and it is rejected.

use super::recursor::GenRec;
use crate::error::{KResult, KernelError};
use crate::expr::{Expr, ExprData};
use ix_lean::{InductiveBlock, Name};
use rustc_hash::FxHashSet;

/// The flags the kernel derives for every type of a block.
pub(crate) struct TypeFlags<'a> {
    pub num_indices: &'a [usize],
    pub is_rec: bool,
    pub is_reflexive: bool,
    pub num_nested: usize,
}

pub(crate) fn compare_types(block: &InductiveBlock<Expr>, flags: &TypeFlags) -> KResult<()> {
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
    block: &InductiveBlock<Expr>,
    recs: &[GenRec],
    all: &[Name],
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
        if !same_as_exported(&r.cval.ty, &g.ty) {
            return mismatch("type");
        }
        if r.rules.len() != g.rules.len() {
            return mismatch("number of rules");
        }
        for (er, gr) in r.rules.iter().zip(&g.rules) {
            if er.ctor != gr.ctor || er.num_fields != gr.num_fields {
                return mismatch(&format!("rule for {}", gr.ctor));
            }
            if !same_as_exported(&er.rhs, &gr.rhs) {
                return mismatch(&format!("right-hand side of the rule for {}", gr.ctor));
            }
        }
    }
    Ok(())
}

/// Whether an exported term equals a generated one up to binder names and
/// infos, with universe levels compared up to equivalence. Past a few
/// nodes, pairs already compared are skipped, so shared subterms cost once;
/// only pairs whose exported node has several owners are remembered (one
/// with a single owner is reached once per visit of its owner), which keeps
/// the memo small on rules that are quadratic in the number of constructors.
fn same_as_exported(exported: &Expr, generated: &Expr) -> bool {
    // Most recursors are small: a memo costs more than the revisits it saves.
    const MEMO_AFTER: usize = 64;
    let mut done = FxHashSet::default();
    let mut stack = vec![(exported, generated)];
    let mut steps = 0usize;
    while let Some((x, y)) = stack.pop() {
        if x.ptr_eq(y) {
            continue;
        }
        steps += 1;
        if steps > MEMO_AFTER && x.is_shared() && !done.insert((x.ptr(), y.ptr())) {
            continue;
        }
        let ok = match (x.data(), y.data()) {
            (ExprData::BVar(i), ExprData::BVar(j)) => i == j,
            (ExprData::Sort(l), ExprData::Sort(m)) => l.equiv(m),
            (ExprData::Const(n, ls), ExprData::Const(m, ms)) => {
                n == m && ls.len() == ms.len() && ls.iter().zip(ms.iter()).all(|(l, m)| l.equiv(m))
            }
            (ExprData::App(f, a), ExprData::App(g, b)) => {
                stack.extend([(f, g), (a, b)]);
                true
            }
            (ExprData::Lam(_, t, b), ExprData::Lam(_, u, c))
            | (ExprData::Pi(_, t, b), ExprData::Pi(_, u, c)) => {
                stack.extend([(t, u), (b, c)]);
                true
            }
            (ExprData::Let(x), ExprData::Let(y)) => {
                stack.extend([(&x.ty, &y.ty), (&x.value, &y.value), (&x.body, &y.body)]);
                true
            }
            (ExprData::Lit(a), ExprData::Lit(b)) => a == b,
            (ExprData::Proj(s, i, e), ExprData::Proj(t, j, f)) => {
                stack.push((e, f));
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
