//! Test helpers: memoized structural equality of `ix_lean` declarations
//! (derived equality would be exponential on DAGs and recursive on deep terms).
#![allow(dead_code)]

use ix_lean::*;
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// The parsed export of an `ix synth` library of `blocks` blocks.
pub fn synthetic_export(blocks: usize, seed: u64) -> Environment {
    let opts = ix_synth::SynthOptions {
        blocks,
        seed,
        plant_error: false,
    };
    let mut text = Vec::new();
    ix_synth::generate(&opts, &mut text).expect("generate");
    ix_lean::ndjson::read(text.as_slice(), "synth.ndjson").expect("parse")
}

/// Every bundled export, by path relative to `ix_testkit::exports_dir()`.
pub fn bundled_exports() -> Vec<String> {
    ix_testkit::exports().into_iter().map(|e| e.path).collect()
}

/// Structural equality, iterative and memoized on pointer pairs.
pub fn expr_eq(a: &ExprRef, b: &ExprRef) -> bool {
    let mut seen: FxHashSet<(*const Expr, *const Expr)> = FxHashSet::default();
    let mut stack = vec![(a.clone(), b.clone())];
    while let Some((x, y)) = stack.pop() {
        if Arc::ptr_eq(&x, &y) || !seen.insert((Arc::as_ptr(&x), Arc::as_ptr(&y))) {
            continue;
        }
        let same = match (&*x, &*y) {
            (Expr::BVar(i), Expr::BVar(j)) => i == j,
            (Expr::Sort(l), Expr::Sort(m)) => l == m,
            (Expr::Const(n, ls), Expr::Const(m, ms)) => n == m && ls == ms,
            (Expr::App(..), Expr::App(..)) => true,
            (
                Expr::Lam {
                    name: n, info: i, ..
                },
                Expr::Lam {
                    name: m, info: j, ..
                },
            ) => n == m && i == j,
            (
                Expr::Pi {
                    name: n, info: i, ..
                },
                Expr::Pi {
                    name: m, info: j, ..
                },
            ) => n == m && i == j,
            (
                Expr::Let {
                    name: n,
                    non_dep: d,
                    ..
                },
                Expr::Let {
                    name: m,
                    non_dep: e,
                    ..
                },
            ) => n == m && d == e,
            (Expr::Lit(l), Expr::Lit(m)) => l == m,
            (Expr::Proj(n, i, _), Expr::Proj(m, j, _)) => n == m && i == j,
            _ => false,
        };
        if !same {
            return false;
        }
        for (c, d) in x.children().into_iter().zip(y.children()) {
            stack.push((c.clone(), d.clone()));
        }
    }
    true
}

fn cval_eq(a: &ConstantVal, b: &ConstantVal) -> Result<(), String> {
    if a.name != b.name || a.level_params != b.level_params {
        return Err(format!(
            "{} vs {}: name or level params differ",
            a.name, b.name
        ));
    }
    if !expr_eq(&a.ty, &b.ty) {
        return Err(format!("{}: types differ", a.name));
    }
    Ok(())
}

fn check(cond: bool, what: &str, name: &Name) -> Result<(), String> {
    if cond {
        Ok(())
    } else {
        Err(format!("{name}: {what} differs"))
    }
}

/// Every field of two declarations.
pub fn decl_eq(a: &Declaration, b: &Declaration) -> Result<(), String> {
    match (a, b) {
        (Declaration::Axiom(x), Declaration::Axiom(y)) => {
            cval_eq(&x.cval, &y.cval)?;
            check(x.is_unsafe == y.is_unsafe, "isUnsafe", &x.cval.name)
        }
        (Declaration::Definition(x), Declaration::Definition(y)) => {
            cval_eq(&x.cval, &y.cval)?;
            check(expr_eq(&x.value, &y.value), "value", &x.cval.name)?;
            check(x.hints == y.hints, "hints", &x.cval.name)?;
            check(x.safety == y.safety, "safety", &x.cval.name)?;
            check(x.all == y.all, "all", &x.cval.name)
        }
        (Declaration::Theorem(x), Declaration::Theorem(y)) => {
            cval_eq(&x.cval, &y.cval)?;
            check(expr_eq(&x.value, &y.value), "value", &x.cval.name)?;
            check(x.all == y.all, "all", &x.cval.name)
        }
        (Declaration::Opaque(x), Declaration::Opaque(y)) => {
            cval_eq(&x.cval, &y.cval)?;
            check(expr_eq(&x.value, &y.value), "value", &x.cval.name)?;
            check(x.is_unsafe == y.is_unsafe, "isUnsafe", &x.cval.name)?;
            check(x.all == y.all, "all", &x.cval.name)
        }
        (Declaration::Quot(x), Declaration::Quot(y)) => {
            cval_eq(&x.cval, &y.cval)?;
            check(x.kind == y.kind, "kind", &x.cval.name)
        }
        (Declaration::Inductive(x), Declaration::Inductive(y)) => {
            if x.types.len() != y.types.len()
                || x.ctors.len() != y.ctors.len()
                || x.recs.len() != y.recs.len()
            {
                return Err("inductive block sizes differ".into());
            }
            for (s, t) in x.types.iter().zip(&y.types) {
                cval_eq(&s.cval, &t.cval)?;
                let n = &s.cval.name;
                check(
                    s.num_params == t.num_params && s.num_indices == t.num_indices,
                    "counts",
                    n,
                )?;
                check(s.all == t.all && s.ctors == t.ctors, "all/ctors", n)?;
                check(
                    s.num_nested == t.num_nested && s.is_rec == t.is_rec,
                    "nested/rec",
                    n,
                )?;
                check(
                    s.is_unsafe == t.is_unsafe && s.is_reflexive == t.is_reflexive,
                    "flags",
                    n,
                )?;
            }
            for (s, t) in x.ctors.iter().zip(&y.ctors) {
                cval_eq(&s.cval, &t.cval)?;
                let n = &s.cval.name;
                check(s.induct == t.induct && s.cidx == t.cidx, "induct/cidx", n)?;
                check(
                    s.num_params == t.num_params && s.num_fields == t.num_fields,
                    "counts",
                    n,
                )?;
                check(s.is_unsafe == t.is_unsafe, "isUnsafe", n)?;
            }
            for (s, t) in x.recs.iter().zip(&y.recs) {
                cval_eq(&s.cval, &t.cval)?;
                let n = &s.cval.name;
                check(
                    s.all == t.all && s.k == t.k && s.is_unsafe == t.is_unsafe,
                    "all/k/unsafe",
                    n,
                )?;
                check(
                    (s.num_params, s.num_indices, s.num_motives, s.num_minors)
                        == (t.num_params, t.num_indices, t.num_motives, t.num_minors),
                    "counts",
                    n,
                )?;
                check(s.rules.len() == t.rules.len(), "rule count", n)?;
                for (r, q) in s.rules.iter().zip(&t.rules) {
                    check(r.ctor == q.ctor && r.num_fields == q.num_fields, "rule", n)?;
                    check(expr_eq(&r.rhs, &q.rhs), "rule rhs", n)?;
                }
            }
            Ok(())
        }
        _ => Err(format!(
            "declaration kinds differ at {:?}",
            a.names().first()
        )),
    }
}

/// Every declaration, in order, and the export header.
pub fn env_eq(a: &Environment, b: &Environment) -> Result<(), String> {
    if a.meta != b.meta {
        return Err("export meta differs".into());
    }
    if a.decls.len() != b.decls.len() {
        return Err(format!(
            "{} vs {} declarations",
            a.decls.len(),
            b.decls.len()
        ));
    }
    for (i, (x, y)) in a.decls.iter().zip(&b.decls).enumerate() {
        decl_eq(x, y).map_err(|e| format!("declaration {i}: {e}"))?;
    }
    Ok(())
}
