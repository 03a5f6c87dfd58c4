//! The `ix compile` command: NDJSON file in, `.ixe` file out (atomically).

use crate::{compile, CompileError};
use ixon::{Address, ConstantInfo, EnvFileError};
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

/// A failed `ix compile`, as one line naming the file and position.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    #[error("{0}")]
    Read(#[from] ix_lean::ndjson::ReadError),
    #[error("{file}: {error}")]
    Compile { file: String, error: CompileError },
    #[error("{0}")]
    Write(#[from] EnvFileError),
}

/// Reads `input`, compiles it, and writes `output` (nothing on failure).
pub fn compile_file(input: &Path, output: &Path) -> Result<CompileSummary, CommandError> {
    let env = ix_lean::ndjson::read_file(input)?;
    let compiled = compile(&env).map_err(|error| CommandError::Compile {
        file: input.display().to_string(),
        error,
    })?;
    let sections = compiled.env.write_file(output)?;
    let ixe = &compiled.env;
    Ok(CompileSummary {
        declarations: env.decls.len(),
        projections: ixe
            .consts
            .values()
            .filter(|c| c.info.is_projection())
            .count(),
        blocks: ixe
            .consts
            .values()
            .filter(|c| !c.info.is_projection())
            .count(),
        mutual_blocks: ixe
            .consts
            .values()
            .filter(|c| matches!(c.info, ConstantInfo::Muts(_)))
            .count(),
        blobs: ixe.blobs.len(),
        bytes_in: std::fs::metadata(input).map(|m| m.len()).unwrap_or(0),
        bytes_out: sections.total(),
        root: ixe.root(),
    })
}

/// A failed `.ixe` load: the reader's error (file and byte) or the decompiler's.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{0}")]
    Read(#[from] EnvFileError),
    #[error("{file}: {error}")]
    Decompile {
        file: String,
        error: crate::DecompileError,
    },
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
    decompiled.map_err(|error| LoadError::Decompile {
        file: path.display().to_string(),
        error,
    })
}
