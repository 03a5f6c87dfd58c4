//! Loading what the kernel checks. An input is a lean4export NDJSON file
//! (compiled to Ixon in memory, then decompiled, so the kernel always checks
//! exactly what an `.ixe` would hold) or an `.ixe` environment.

use ix_import::Compiled;
use ixon::{IxonEnv, ReadMode};
use std::io::Read;
use std::path::Path;

/// Why an input could not be loaded; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Read(#[from] ix_lean::ndjson::ReadError),
    #[error("{0}")]
    Env(#[from] ixon::EnvFileError),
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

fn invalid(path: &Path, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        file: path.display().to_string(),
        message: message.into(),
    }
}

/// `.ixe` files start with the version-1 header byte; NDJSON with `{`.
fn is_ixe(path: &Path) -> Result<bool, InputError> {
    let mut first = [0u8; 1];
    let mut file =
        std::fs::File::open(path).map_err(|e| invalid(path, format!("cannot open: {e}")))?;
    let n = file
        .read(&mut first)
        .map_err(|e| invalid(path, format!("cannot read: {e}")))?;
    Ok(n == 1 && first[0] == 0xE1)
}

fn compile(path: &Path, env: &ix_lean::Environment) -> Result<Compiled, InputError> {
    ix_import::compile(env).map_err(|e| invalid(path, e.to_string()))
}

fn decompile(path: &Path, env: &IxonEnv) -> Result<ix_lean::Environment, InputError> {
    ix_import::decompile(env).map_err(|e| invalid(path, e.to_string()))
}

/// The declarations to check, by way of Ixon.
pub fn load_checkable(path: &Path) -> Result<ix_lean::Environment, InputError> {
    if is_ixe(path)? {
        let (env, _) = IxonEnv::read_file(path, ReadMode::Full)?;
        return decompile(path, &env);
    }
    let exported = ix_lean::ndjson::read_file(path)?;
    let compiled = compile(path, &exported)?;
    decompile(path, &compiled.env)
}

/// An environment with its declarations and the maps from names to
/// addresses and home blocks (what profiling and sharding need).
pub struct IndexedEnv {
    pub decls: ix_lean::Environment,
    pub compiled: Compiled,
}

/// Loads an environment with its address maps. For an `.ixe`, the
/// decompiled declarations are compiled again and must give back the very
/// same root: the maps then describe exactly the file's constants.
pub fn load_indexed(path: &Path) -> Result<IndexedEnv, InputError> {
    if !is_ixe(path)? {
        let decls = load_checkable(path)?;
        let compiled = compile(path, &decls)?;
        return Ok(IndexedEnv { decls, compiled });
    }
    let (env, _) = IxonEnv::read_file(path, ReadMode::Full)?;
    let decls = decompile(path, &env)?;
    let compiled = compile(path, &decls)?;
    if compiled.env.root() != env.root() {
        return Err(invalid(
            path,
            "recompiling the decompiled declarations does not give the file's root",
        ));
    }
    Ok(IndexedEnv { decls, compiled })
}
