//! The `ix compile` command: NDJSON file in, `.ixe` file out (atomically).

use crate::compile::compile_encoded;
use crate::CompileError;
use ixon::{Address, Constant, ConstantInfo, EnvFileError};
use std::path::Path;

/// What a compile produced.
#[derive(Debug, Clone)]
pub struct CompileSummary {
    pub declarations: usize,
    /// Blocks: a constant alone, or a mutual group stored as one.
    pub blocks: usize,
    /// The mutual groups among the blocks.
    pub mutual_blocks: usize,
    /// One per member of a mutual block, giving it its own address.
    pub projections: usize,
    pub blobs: usize,
    pub bytes_in: u64,
    pub bytes_out: u64,
    pub root: Option<Address>,
}

/// An error about one input file, after the file's path.
#[derive(Debug, thiserror::Error)]
#[error("{file}: {error}")]
pub struct InFile<E> {
    pub file: String,
    pub error: E,
}

/// `error` about the file at `path`.
fn in_file<E>(path: &Path) -> impl Fn(E) -> InFile<E> + '_ {
    move |error| InFile {
        file: path.display().to_string(),
        error,
    }
}

/// A failed `ix compile`, as one line naming the file and position.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Read(#[from] ix_lean::ndjson::ReadError),
    #[error("{0}")]
    Compile(#[from] InFile<CompileError>),
    #[error("{0}")]
    Write(#[from] EnvFileError),
}

/// Reads `input`, compiles it, and writes `output` (nothing on failure).
/// The constants stay encoded from compiling to writing.
pub fn compile_file(input: &Path, output: &Path) -> Result<CompileSummary, CommandError> {
    let env = ix_lean::ndjson::read_file(input)?;
    let (compiled, encoded) = compile_encoded(&env).map_err(in_file(input))?;
    let declarations = env.decls.len();
    drop(env);
    let ixe = &compiled.env;
    let mut summary = CompileSummary {
        declarations,
        projections: 0,
        blocks: 0,
        mutual_blocks: 0,
        blobs: ixe.blobs.len(),
        bytes_in: std::fs::metadata(input).map(|m| m.len()).unwrap_or(0),
        bytes_out: 0,
        root: ixon::merkle_root_canonical(&encoded.keys().copied().collect::<Vec<_>>()),
    };
    for (addr, bytes) in &encoded {
        let info = Constant::decode(bytes, 0)
            .map_err(|e| CompileError::Invalid(format!("constant {}: {e}", addr.hex())))
            .map_err(in_file(input))?
            .info;
        if info.is_projection() {
            summary.projections += 1;
        } else {
            summary.blocks += 1;
        }
        if matches!(info, ConstantInfo::Muts(_)) {
            summary.mutual_blocks += 1;
        }
    }
    summary.bytes_out = ixe.write_file_encoded(&encoded, output)?.total();
    Ok(summary)
}

/// A failed `.ixe` load: the reader's error (file and byte) or the decompiler's.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Read(#[from] EnvFileError),
    #[error("{0}")]
    Decompile(#[from] InFile<crate::DecompileError>),
}

/// Reads an `.ixe` file and decompiles it to the declaration model the
/// kernel consumes: with its metadata (`ReadMode::Full`), or with synthetic
/// names (`ReadMode::Anonymous`, which never reads sections 8–10).
pub fn load_environment(
    path: &Path,
    mode: ixon::ReadMode,
) -> Result<ix_lean::Environment, LoadError> {
    let (env, _) = ixon::IxonEnv::read_file(path, mode)?;
    let decompiled = match mode {
        ixon::ReadMode::Full => crate::decompile(&env),
        ixon::ReadMode::Anonymous => crate::decompile_anonymous(&env),
    };
    Ok(decompiled.map_err(in_file(path))?)
}
