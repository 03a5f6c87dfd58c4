//! `ix-kernel`: a Lean 4 type checker over the `ix-lean` declaration model.
//!
//! # Layout
//! - [`level`]: universe levels, `leq` with imax case splits, equivalence.
//! - [`expr`]: the kernel term DAG (cached hash, loose-bvar range, flags),
//!   free variables, memoized `instantiate`/`abstract`/level substitution, and
//!   [`expr::Converter`] from `ix_lean` terms (sharing preserved).
//! - [`env`]: [`env::Env`], constants by name with the index of the
//!   declaration that introduced them.
//! - [`tc`]: [`tc::TypeChecker`]: `check`/`infer` (check and infer-only
//!   modes), `whnf`, `whnf_core`, `is_def_eq`, `ensure_sort`, `ensure_pi`,
//!   `push_local`, `mk_binding`, `check_level`, heartbeats.
//! - [`check`]: the declaration loop ([`check::check_environment`]).
//! - [`quot`]: the quotient declarations.
//!
//! # Contract with the inductive module (`src/inductive/`)
//! The inductive module provides
//! ```ignore
//! pub fn add_inductive_block(
//!     env: &mut Env,                    // constants of all earlier declarations
//!     block: &ix_lean::InductiveBlock,  // one exported mutual group
//!     conv: &mut expr::Converter,       // converts ix-lean terms (shared memo)
//!     decl_index: usize,                // this declaration's position
//!     options: &tc::TcOptions,          // heartbeat budget
//! ) -> Result<(), KernelError>
//! ```
//! It checks the block (types, constructors, positivity, universes, nested
//! occurrences), generates the recursors itself, compares them with the
//! exported ones (never trusting those), and inserts types, constructors and
//! generated recursors with `env.insert(info, decl_index)` (a name collision
//! is a rejection). To type-check terms it builds a
//! `TypeChecker::new(env, name, decl_index, level_params, safety, options)`
//! and calls `allow_same_block(names)` so that constructor types may mention
//! the block's own types (anything else must come from earlier declarations).
//! The declaration loop (`check::add_declaration`) calls it for every block.

pub mod binder_name;
pub mod check;
pub mod env;
pub mod error;
pub mod expr;
pub mod inductive;
pub mod level;
pub mod nat;
pub mod primitive;
pub mod quot;
pub mod read;
pub mod tc;
mod teardown;

pub use check::{
    check_declarations_with_roles, check_environment, check_environment_with_roles,
    check_owned_environment, check_stream, CheckOptions, CheckReport, ConstantReport, Role,
};
pub use env::{ConstantInfo, ConstantVal, Env, RecRule};
pub use error::{KResult, KernelError};
pub use expr::{Expr, ExprData, FVarId};
pub use level::Level;
pub use tc::{TcOptions, TypeChecker};
