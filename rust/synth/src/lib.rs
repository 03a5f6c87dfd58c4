//! `ix synth`: deterministic, well-typed Lean environments with the shape of
//! a real library, written as lean4export NDJSON (format 3.1.0).
//!
//! What a generated library holds, in order:
//! - a prelude: `Nat`, `Bool`, `Eq`, `Prod` (a structure, with `Prod.fst`/
//!   `Prod.snd` as primitive projections), `List`, with recursors exactly as
//!   Lean exports them; `Nat.add`/`Nat.mul` by `Nat.rec`; `Syn.drain`;
//! - five hub definitions every file may use;
//! - a few heavy theorems (sums of `drain k c`, one iota step per unit of
//!   `c`), the largest scaled with the library, so one atomic block dominates
//!   as in Init;
//! - files of 100 blocks (`Syn.F<i>.*`): inductive types with recursors (a
//!   quarter of them mutual pairs), structures with projections, evaluators
//!   by recursion, `Nat → Nat` definitions that unfold each other along a
//!   local DAG, and theorems by `Eq.refl` stating values the generator
//!   computed itself (Nat literal arithmetic, iota, projections).
//!
//! Files reach back only a few files (and to the prelude and hubs), so the
//! writer forgets each file's records once the generator's windows have
//! moved past it ([`Closing`]): memory stays flat in the size.
//!
//! With `plant_error`, one theorem half-way through claims a wrong value;
//! its name is returned so tests can check the kernel names it.
//!
//! [`Like::Mathlib`] keeps the prelude, hubs and heavy theorems and replaces
//! the files with ones of Mathlib's proportions ([`mathlib`]).

pub mod dag;
mod family;
mod inductive;
mod library;
pub mod mathlib;
mod prelude;
mod term;

use ix_lean::ndjson_write::{NdjsonWriter, Scope};
use ix_lean::{Declaration, ExportMeta};
pub use library::Stats;
use std::io::{self, Write};
use std::path::Path;

#[derive(Clone, Debug)]
pub struct SynthOptions {
    pub blocks: usize,
    pub seed: u64,
    pub plant_error: bool,
}

/// Whose proportions a library has.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Like {
    /// The light default: ~0.7 KB of NDJSON and ~0.03 ms of nanoda per
    /// declaration (arithmetic chains, small inductives, `Eq.refl` values).
    #[default]
    Light,
    /// Mathlib's: classes, instances and lemmas over them ([`mathlib`]).
    Mathlib,
}

impl Like {
    /// The smallest library of this shape (its opening alone).
    pub fn min_blocks(self) -> usize {
        match self {
            Like::Light => MIN_BLOCKS,
            Like::Mathlib => MIN_BLOCKS + mathlib::OPENING_BLOCKS,
        }
    }
}

#[derive(Clone, Debug)]
pub struct SynthSummary {
    pub stats: Stats,
    /// Classes and instances ([`Like::Mathlib`] only), and the classes
    /// forgotten past the horizon ([`mathlib::HORIZON`]).
    pub classes: usize,
    pub instances: usize,
    pub classes_retired: usize,
    /// The ill-typed theorem, when one was planted.
    pub planted: Option<String>,
    /// The most names and expressions the writer remembered at once (to
    /// write each record once): what memory grows with.
    pub peak_remembered: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("--blocks must be at least {min} (the prelude alone has that many)")]
    TooFewBlocks { min: usize },
    #[error("{path}: {source}")]
    Io { path: String, source: io::Error },
}

/// The smallest library: the prelude, the hubs and one heavy theorem.
pub const MIN_BLOCKS: usize = 17;

/// Iota steps of the three heavy theorems: the largest grows with the
/// library (about 1.5× a shard's mean heartbeats at N = 64, as Init's
/// largest block is in Mathlib), so one atomic block stays visible.
fn heavy_steps(blocks: usize) -> [u64; 3] {
    let big = (blocks as u64 / 10).max(2_000);
    [big, big / 4, big / 8]
}

fn export_meta() -> ExportMeta {
    ExportMeta {
        exporter_name: "ix-synth".into(),
        exporter_version: env!("CARGO_PKG_VERSION").into(),
        format_version: "3.1.0".into(),
        lean_version: "4.29.1".into(),
        lean_githash: String::new(),
    }
}

/// Streams a light library of `opts.blocks` blocks to `out`.
pub fn generate(opts: &SynthOptions, out: impl Write) -> io::Result<SynthSummary> {
    generate_like(opts, Like::Light, out)
}

/// What the writer may forget of a scope after a file.
pub enum Closing {
    /// Everything: no later file mentions it.
    Retire(Scope),
    /// All but its names and small records ([`ix_lean::ndjson_write::HANDLE_SIZE`]).
    Narrow(Scope),
}

/// The generator of one shape: an opening, then files.
trait Files {
    fn base(&mut self) -> &mut library::Generator;
    fn opening(&mut self) -> Vec<Declaration>;
    /// A file's declarations, each with the writer's scope it belongs to.
    fn file(&mut self, file: usize, budget: usize) -> Vec<(Scope, Declaration)>;
    fn file_size(&self) -> usize;
    /// What the writer may forget (asked after each file).
    fn closing(&mut self) -> Vec<Closing>;
}

/// Streams a library of `opts.blocks` blocks with the proportions of `like`.
pub fn generate_like(opts: &SynthOptions, like: Like, out: impl Write) -> io::Result<SynthSummary> {
    match like {
        Like::Light => {
            let mut gen = library::Generator::new(opts.seed, opts.blocks, opts.plant_error);
            let mut summary = stream(opts, &mut gen, out)?;
            summary.planted = gen.planted.as_ref().map(|n| n.to_string());
            Ok(summary)
        }
        Like::Mathlib => generate_mathlib(opts, mathlib::HORIZON, out),
    }
}

/// A Mathlib-like library whose lemmas reach `horizon` files back.
fn generate_mathlib(
    opts: &SynthOptions,
    horizon: usize,
    out: impl Write,
) -> io::Result<SynthSummary> {
    let base = library::Generator::new(opts.seed, opts.blocks, opts.plant_error);
    let mut gen = mathlib::MathlibGenerator::with_horizon(base, horizon);
    let mut summary = stream(opts, &mut gen, out)?;
    summary.classes = gen.classes_made;
    summary.instances = gen.instances_made;
    summary.classes_retired = gen.classes_retired;
    summary.planted = gen.base.planted.as_ref().map(|n| n.to_string());
    Ok(summary)
}

fn stream(opts: &SynthOptions, gen: &mut impl Files, out: impl Write) -> io::Result<SynthSummary> {
    let mut writer = NdjsonWriter::new(out, &export_meta())?;
    for d in gen.opening() {
        writer.declaration(&d)?;
    }
    let heavy = heavy_steps(opts.blocks);
    let mut file = 0;
    let mut peak_remembered = 0;
    while gen.base().stats.blocks < opts.blocks {
        let slot = file % 50;
        if slot < heavy.len() && file / 50 == 0 {
            let d = gen.base().heavy(slot, heavy[slot]);
            writer.declaration(&d)?;
        }
        let done = gen.base().stats.blocks.min(opts.blocks);
        let budget = (opts.blocks - done).min(gen.file_size());
        if budget == 0 {
            break;
        }
        for (scope, d) in gen.file(file, budget) {
            writer.declaration_in(scope, &d)?;
        }
        // Files share little beyond the prelude and their windows of recent
        // constants; forgetting the rest keeps memory flat.
        writer.forget_expressions();
        gen.base().interner.clear();
        for closing in gen.closing() {
            match closing {
                Closing::Retire(scope) => writer.retire(scope),
                Closing::Narrow(scope) => writer.narrow(scope),
            }
        }
        let (names, exprs) = writer.remembered();
        peak_remembered = peak_remembered.max(names + exprs);
        file += 1;
    }
    writer.into_inner().flush()?;
    Ok(SynthSummary {
        stats: gen.base().stats.clone(),
        classes: 0,
        instances: 0,
        classes_retired: 0,
        planted: None,
        peak_remembered,
    })
}

/// Writes a library to `path` atomically and durably (`ix_base::AtomicFile`:
/// no partial file, no temporary file left behind on any exit path).
pub fn write_file(opts: &SynthOptions, path: &Path) -> Result<SynthSummary, SynthError> {
    write_file_like(opts, Like::Light, path)
}

/// Writes a library with the proportions of `like` to `path`, atomically.
pub fn write_file_like(
    opts: &SynthOptions,
    like: Like,
    path: &Path,
) -> Result<SynthSummary, SynthError> {
    let min = like.min_blocks();
    if opts.blocks < min {
        return Err(SynthError::TooFewBlocks { min });
    }
    write_atomically(path, |out| generate_like(opts, like, out))
}

/// Writes the DAG-shaped library of depth `depth` ([`dag`]) to `path`.
pub fn write_dag_file(depth: u32, path: &Path) -> Result<(), SynthError> {
    write_atomically(path, |out| dag::generate(depth, &export_meta(), out))
}

fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut ix_base::AtomicFile) -> io::Result<T>,
) -> Result<T, SynthError> {
    let io_err = |source| SynthError::Io {
        path: path.display().to_string(),
        source,
    };
    let mut file = ix_base::AtomicFile::create(path).map_err(io_err)?;
    let value = write(&mut file).map_err(io_err)?;
    file.commit().map_err(io_err)?;
    Ok(value)
}

#[cfg(test)]
mod tests;
