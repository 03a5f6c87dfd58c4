//! The Lean 4 declaration model shared by the importer and the kernel, and the
//! reader for lean4export NDJSON (format 3.0 and 3.1).
//!
//! Expressions are DAGs: the same `Arc` may be reached along many paths, as in
//! the exports themselves. Nothing here walks a term without a memo, so
//! consumers must not either (structural recursion on a DAG is exponential).

pub mod build;
pub mod decl;
pub mod expr;
pub mod level;
pub mod name;
pub mod ndjson;
pub mod ndjson_write;
pub mod terms;

pub use decl::*;
pub use expr::{BinderInfo, Expr, ExprRef, Literal};
pub use level::{Level, LevelRef};
pub use name::{Name, NamePart};
