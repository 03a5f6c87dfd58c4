//! Import: compiling lean4export environments (`ix_lean::Environment`) to
//! Ixon with metadata, and decompiling Ixon back to the same declarations.
//!
//! ```text
//! compile(&ix_lean::Environment) -> Compiled { env: IxonEnv, addresses, homes, block_sizes }
//! decompile(&IxonEnv)            -> ix_lean::Environment   (metadata if present, else synthetic names)
//! decompile_anonymous(&IxonEnv)  -> ix_lean::Environment   (ignores metadata)
//! ```
//!
//! A projection may name a structure the export never declares (a test the
//! kernel must reject); it then refers to [`undeclared_address`] of that
//! name. Every other reference must be to a declared name.
//!
//! Synthetic names (anonymous decompile): a standalone constant at address A
//! is `_ix.<first 16 hex digits of A>`; member i of a block B is
//! `_ix.<hex16 of B>.<i>`, constructor j of inductive member i is
//! `_ix.<hex16 of B>.<i>.<j>`; the recursors that belong to an inductive
//! block are named as Lean names them after those types (`<type i>.rec`,
//! `<type 0>.rec_<k>` for the auxiliary ones of a nested block), with the
//! elimination universe `u` first; level parameter i is `u_<i>`; an address
//! that is no constant of the environment is `_ix.<hex16>` too. Binders are
//! anonymous with default info. The exporter-derived fields (`isRec`,
//! `isReflexive`, `numNested`, `all`, rule constructors) are recomputed from
//! the hashed content as Lean defines them. Two constants whose hex16
//! prefixes collide are an error rather than a silent clash.
//!
//! The primitives the kernel finds by name get their Lean names instead:
//! `Nat`, `Bool`, `Eq` (with their constructors and recursors) and
//! `outParam` when a constant has the address of Lean's declaration, and
//! the quotient constants by their kind (see `primitives`).
//!
//! Anonymous checking sees content, not names: an error that exists only in
//! names (a duplicate declaration or universe-parameter name) is invisible
//! (see `tests/kernel_pipeline.rs`).

mod command;
mod compile;
mod decompile;
mod expr;
mod names;
mod primitives;

pub use command::{
    compile_file, load_environment, CommandError, CompileSummary, InFile, LoadError,
};
pub use compile::{compile, hint_code, Compiled};
pub use decompile::{
    decompile, decompile_anonymous, decompile_entry, decompile_with_addresses, LazyDecls,
};

/// The address a projection uses for a structure name the export never
/// declares (its kernel check fails; its compile must not). No constant can
/// have it: constants hash their bytes, which never start with this prefix.
pub fn undeclared_address(name: &ix_lean::Name) -> ixon::Address {
    ixon::Address::hash(format!("ix:undeclared:{name}").as_bytes())
}

/// Why an environment does not compile.
#[derive(Debug, thiserror::Error)]
pub enum CompileError {
    #[error("{decl} refers to {target}, which is not declared before it")]
    Undeclared { decl: String, target: String },
    #[error("{0}")]
    Invalid(String),
}

/// Why an Ixon environment does not decompile.
#[derive(Debug, thiserror::Error)]
#[error("decompile: {0}")]
pub struct DecompileError(pub String);
