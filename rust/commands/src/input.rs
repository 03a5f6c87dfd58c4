//! Loading what the kernel checks. An input is a lean4export NDJSON file or
//! an `.ixe` environment. Profiling and sharding also need the Ixon
//! addresses, so their loaders compile an NDJSON input.

use crate::ixe_entries::IxeEntries;
use ix_base::format::FileKind;
use ix_import::Compiled;
use ix_lean::Name;
use ixon::{Address, ConstantInfo, IxonEnv, MappedEnv, ReadMode};
use rustc_hash::FxHashMap;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

/// Why an input could not be loaded; each names the file.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0}")]
    Read(#[from] ix_lean::ndjson::ReadError),
    #[error("{0}")]
    Env(#[from] ixon::EnvFileError),
    #[error("{0}")]
    Load(#[from] ix_import::LoadError),
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

pub(crate) fn invalid(path: &Path, message: impl Into<String>) -> InputError {
    InputError::Invalid {
        file: path.display().to_string(),
        message: message.into(),
    }
}

/// Whether `path` holds an `.ixe` ([`FileKind::of_head`]: any version, so a
/// newer file is refused as one); NDJSON starts with `{`.
pub(crate) fn is_ixe(path: &Path) -> Result<bool, InputError> {
    let mut first = [0u8; 1];
    let mut file =
        std::fs::File::open(path).map_err(|e| invalid(path, format!("cannot open: {e}")))?;
    let n = file
        .read(&mut first)
        .map_err(|e| invalid(path, format!("cannot read: {e}")))?;
    Ok(FileKind::of_head(&first[..n]) == FileKind::Ixe)
}

fn compile(path: &Path, env: &ix_lean::Environment) -> Result<Compiled, InputError> {
    ix_import::compile(env).map_err(|e| invalid(path, e.to_string()))
}

fn decompile(path: &Path, env: &IxonEnv) -> Result<ix_lean::Environment, InputError> {
    ix_import::decompile(env).map_err(|e| invalid(path, e.to_string()))
}

/// The declarations to check, in the form each input gives most cheaply.
pub enum Checkable {
    /// An NDJSON export being read straight into kernel terms (the kernel
    /// checks declarations, not their encoding).
    Export(ix_kernel::read::ExportStream),
    /// An `.ixe`, decompiled.
    Decompiled(ix_lean::Environment),
}

/// Reads what `path` holds for checking. The file is opened once and its
/// format told by its first byte without consuming it, so a pipe
/// (`/dev/stdin`) works too.
pub fn load_checkable(path: &Path) -> Result<Checkable, InputError> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).map_err(|e| invalid(path, format!("cannot open: {e}")))?;
    let is_regular = file.metadata().is_ok_and(|m| m.is_file());
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let head = reader
        .fill_buf()
        .map_err(|e| invalid(path, format!("cannot read: {e}")))?;
    if FileKind::of_head(head) == FileKind::Ixe {
        if !is_regular {
            return Err(invalid(
                path,
                "an .ixe must be a regular file, not a stream",
            ));
        }
        let ixe = MappedEnv::open(path)?;
        if ixe.has_metadata() {
            let entries = IxeEntries::new(ixe).map_err(|e| invalid(path, e))?;
            return Ok(Checkable::Export(
                entries.stream(&path.display().to_string())?,
            ));
        }
        let env = ix_import::load_environment(path, ReadMode::Full)?;
        return Ok(Checkable::Decompiled(env));
    }
    let stream = ix_kernel::read::stream_export(reader, &path.display().to_string())?;
    Ok(Checkable::Export(stream))
}

/// An environment with its declarations and the maps from names to
/// addresses and home blocks (what profiling and sharding need).
pub struct IndexedEnv {
    pub decls: ix_lean::Environment,
    pub compiled: Compiled,
}

/// Loads an environment with its address maps. An NDJSON input is compiled
/// once and its maps kept; an `.ixe` with metadata gives its maps while it
/// decompiles; an anonymous `.ixe` is compiled again from its decompiled
/// declarations, which must give back the very same root.
pub fn load_indexed(path: &Path) -> Result<IndexedEnv, InputError> {
    if !is_ixe(path)? {
        let exported = ix_lean::ndjson::read_file(path)?;
        let compiled = compile(path, &exported)?;
        let decls = decompile(path, &compiled.env)?;
        return Ok(IndexedEnv { decls, compiled });
    }
    let (env, _) = IxonEnv::read_file(path, ReadMode::Full)?;
    if env.meta.is_empty() {
        return named_again(path, &env);
    }
    let (decls, addresses) =
        ix_import::decompile_with_addresses(&env).map_err(|e| invalid(path, e.to_string()))?;
    let compiled = index(env, addresses);
    Ok(IndexedEnv { decls, compiled })
}

/// An anonymous environment decompiled (synthetic names) and compiled again,
/// which must give back the very same root.
fn named_again(path: &Path, env: &IxonEnv) -> Result<IndexedEnv, InputError> {
    let decls = decompile(path, env)?;
    let compiled = compile(path, &decls)?;
    if compiled.env.root() != env.root() {
        return Err(invalid(
            path,
            "recompiling the decompiled declarations does not give the file's root",
        ));
    }
    Ok(IndexedEnv { decls, compiled })
}

/// An environment's address maps, with its declarations decompiled only
/// when asked for (a shard check needs its own closure, not everything).
pub struct LazyEnv {
    pub compiled: Compiled,
    pub decls: ix_import::LazyDecls,
}

/// Loads an environment for decompiling on demand: an `.ixe` with metadata
/// is read and indexed without decompiling any declaration; an NDJSON input
/// is compiled; an anonymous `.ixe` is named as `load_indexed` names it.
pub fn load_lazy(path: &Path) -> Result<LazyEnv, InputError> {
    let compiled = if is_ixe(path)? {
        let (env, _) = IxonEnv::read_file(path, ReadMode::Full)?;
        if env.meta.is_empty() {
            named_again(path, &env)?.compiled
        } else {
            let decls =
                ix_import::LazyDecls::new(&env).map_err(|e| invalid(path, e.to_string()))?;
            let compiled = index(env, decls.addresses());
            return Ok(LazyEnv { compiled, decls });
        }
    } else {
        compile(path, &ix_lean::ndjson::read_file(path)?)?
    };
    let decls =
        ix_import::LazyDecls::new(&compiled.env).map_err(|e| invalid(path, e.to_string()))?;
    Ok(LazyEnv { compiled, decls })
}

/// The maps of `Compiled`, read off an environment: a projection's home is
/// its block, any other constant is its own home; a home's size is its
/// serialized length.
fn index(env: IxonEnv, addresses: FxHashMap<Name, Address>) -> Compiled {
    let home_of = |a: &Address| match env.consts.get(a).map(|c| &c.info) {
        Some(
            ConstantInfo::CPrj { block, .. }
            | ConstantInfo::RPrj { block, .. }
            | ConstantInfo::IPrj { block, .. }
            | ConstantInfo::DPrj { block, .. },
        ) => *block,
        _ => *a,
    };
    let homes = addresses
        .iter()
        .map(|(n, a)| (n.clone(), home_of(a)))
        .collect();
    let block_sizes: BTreeMap<Address, u64> = env
        .consts
        .iter()
        .filter(|(_, c)| !c.info.is_projection())
        .map(|(a, c)| (*a, c.to_bytes().len() as u64))
        .collect();
    Compiled {
        env,
        addresses,
        homes,
        block_sizes,
    }
}
