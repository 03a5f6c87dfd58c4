//! Test-only term helpers on top of [`ix_lean::build`], which this module
//! re-exports so that a test needs one import.

pub use ix_lean::build::*;
use ix_lean::*;
use std::path::Path;
use std::sync::Arc;

/// `e` with every constant's name `m` replaced by `rename(m)`.
pub fn rename_consts(e: &ExprRef, rename: &dyn Fn(&Name) -> Name) -> ExprRef {
    Arc::new(match &**e {
        Expr::Const(m, ls) => Expr::Const(rename(m), ls.clone()),
        Expr::BVar(_) | Expr::Sort(_) | Expr::Lit(_) => return e.clone(),
        _ => e.map_children(Name::clone, |c| rename_consts(c, rename)),
    })
}

/// A bundled export, read whole (`rel` is relative to
/// [`exports_dir`](crate::exports_dir); panics if it does not read).
pub fn read_export(rel: impl AsRef<Path>) -> Environment {
    let path = crate::exports_dir().join(rel);
    ndjson::read_file(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}
