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
//! Until that module lands, [`add_inductive`] adds blocks unchecked.

pub mod check;
pub mod env;
pub mod error;
pub mod expr;
pub mod inductive;
pub mod level;
pub mod nat;
pub mod quot;
pub mod tc;

pub use check::{check_environment, CheckOptions, CheckReport, ConstantReport};
pub use env::{ConstantInfo, ConstantVal, Env, RecRule};
pub use error::{KResult, KernelError, Verdict};
pub use expr::{Expr, ExprData, FVarId};
pub use level::Level;
pub use tc::{TcOptions, TypeChecker};

/// Adds one inductive block. TEMPORARY: adds the exported constants without
/// checking them, until `inductive::add_inductive_block` lands.
pub fn add_inductive(
    env: &mut Env,
    block: &ix_lean::InductiveBlock,
    conv: &mut expr::Converter,
    decl_index: usize,
    _options: &TcOptions,
) -> KResult<()> {
    let val = |conv: &mut expr::Converter, cv: &ix_lean::ConstantVal| ConstantVal {
        name: cv.name.clone(),
        level_params: cv.level_params.clone().into(),
        ty: conv.expr(&cv.ty),
    };
    let mut infos = Vec::new();
    for t in &block.types {
        infos.push(ConstantInfo::Inductive {
            val: val(conv, &t.cval),
            num_params: t.num_params,
            num_indices: t.num_indices,
            all: t.all.clone(),
            ctors: t.ctors.clone(),
            is_rec: t.is_rec,
            is_reflexive: t.is_reflexive,
            num_nested: t.num_nested,
            is_unsafe: t.is_unsafe,
        });
    }
    for c in &block.ctors {
        infos.push(ConstantInfo::Constructor {
            val: val(conv, &c.cval),
            induct: c.induct.clone(),
            cidx: c.cidx,
            num_params: c.num_params,
            num_fields: c.num_fields,
            is_unsafe: c.is_unsafe,
        });
    }
    for r in &block.recs {
        let rules = r
            .rules
            .iter()
            .map(|rule| RecRule {
                ctor: rule.ctor.clone(),
                num_fields: rule.num_fields,
                rhs: conv.expr(&rule.rhs),
            })
            .collect();
        infos.push(ConstantInfo::Recursor {
            val: val(conv, &r.cval),
            all: r.all.clone(),
            num_params: r.num_params,
            num_indices: r.num_indices,
            num_motives: r.num_motives,
            num_minors: r.num_minors,
            rules,
            k: r.k,
            is_unsafe: r.is_unsafe,
        });
    }
    for info in infos {
        env.insert(info, decl_index).map_err(|n| {
            KernelError::reject(&n, "a constant with this name is already declared")
        })?;
    }
    Ok(())
}
