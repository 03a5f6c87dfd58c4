//! The C ABI of ix: plain C types in, a status code out, and a one-line
//! message written into a caller-supplied buffer.
//!
//! Every entry point:
//! - takes NUL-terminated UTF-8 paths (`const char *`), checked for null;
//! - takes `err` / `err_len`, a buffer that receives a NUL-terminated message
//!   (truncated to fit; may be null when `err_len` is 0), written on every
//!   call: the verdict or summary on success, the reason otherwise;
//! - returns an `IxStatus` (an `int32_t` in C);
//! - never unwinds across the boundary: a panic becomes `IX_STATUS_PANIC`.
//!
//! The functions are thin shells over the same command functions the `ix`
//! command line uses, so the Lean front end and the Rust CLI cannot disagree.
//! `include/ix.h` is generated from this file by cbindgen (see the
//! `header_is_fresh` test).

use std::ffi::{c_char, CStr};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

/// What an entry point reports.
#[repr(i32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IxStatus {
    /// Success; for checks, the environment was accepted.
    Ok = 0,
    /// A check rejected the input (the message names the declaration).
    Reject = 1,
    /// A check declined (unsupported feature or exhausted budget).
    Decline = 2,
    /// A null pointer, a non-UTF-8 path or an impossible number.
    InvalidArgument = 3,
    /// The command failed: unreadable or malformed input, or a write error.
    Failed = 4,
    /// A bug: the command panicked. The message says where.
    Panic = 5,
}

/// A failed entry point's status and one-line reason.
type Failure = (IxStatus, String);

/// What an entry point's work gives: the status and message to report.
type Outcome = Result<(IxStatus, String), Failure>;

/// A command error as `IX_STATUS_FAILED` with its message.
fn failed(e: impl std::fmt::Display) -> Failure {
    (IxStatus::Failed, e.to_string())
}

/// Writes `message` into `err` as a NUL-terminated string, truncated to fit.
///
/// # Safety
/// `err` must be null or valid for `err_len` bytes of writes.
unsafe fn write_message(err: *mut c_char, err_len: usize, message: &str) {
    if err.is_null() || err_len == 0 {
        return;
    }
    let mut n = message.len().min(err_len - 1);
    // Never cut a UTF-8 sequence in half.
    while !message.is_char_boundary(n) {
        n -= 1;
    }
    // SAFETY: the caller guarantees `err` holds `err_len` bytes, and n < err_len.
    unsafe {
        std::ptr::copy_nonoverlapping(message.as_ptr(), err.cast::<u8>(), n);
        *err.add(n) = 0;
    }
}

/// Reads a path argument, naming it in the error.
///
/// # Safety
/// `p` must be null or point to a NUL-terminated string.
unsafe fn path_arg(p: *const c_char, what: &str) -> Result<PathBuf, Failure> {
    if p.is_null() {
        return Err((IxStatus::InvalidArgument, format!("{what} is null")));
    }
    // SAFETY: non-null, and the caller guarantees NUL termination.
    let s = unsafe { CStr::from_ptr(p) };
    s.to_str().map(PathBuf::from).map_err(|_| {
        (
            IxStatus::InvalidArgument,
            format!("{what} is not valid UTF-8"),
        )
    })
}

/// As `path_arg`, for an argument that may be null (then `None`).
///
/// # Safety
/// As `path_arg`.
unsafe fn optional_path_arg(p: *const c_char, what: &str) -> Result<Option<PathBuf>, Failure> {
    if p.is_null() {
        return Ok(None);
    }
    // SAFETY: forwarded from the caller.
    unsafe { path_arg(p, what) }.map(Some)
}

/// Runs `work`, turning its outcome or a panic into a status and a message.
///
/// # Safety
/// As `write_message`.
unsafe fn run(err: *mut c_char, err_len: usize, work: impl FnOnce() -> Outcome) -> IxStatus {
    let (status, message) = match catch_unwind(AssertUnwindSafe(work)) {
        Ok(Ok(done)) => done,
        Ok(Err(failed)) => failed,
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            (IxStatus::Panic, format!("internal error: {what}"))
        }
    };
    // SAFETY: forwarded from the caller.
    unsafe { write_message(err, err_len, &message) };
    status
}

/// Runs `work` on a rayon pool of `threads` workers (0 = one per core).
fn with_threads<T: Send>(threads: u32, work: impl FnOnce() -> T + Send) -> Result<T, Failure> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads as usize)
        .build()
        .map_err(|e| {
            (
                IxStatus::Failed,
                format!("cannot start {threads} threads: {e}"),
            )
        })?;
    Ok(pool.install(work))
}

fn verdict_status(v: ix_commands::Verdict) -> IxStatus {
    match v {
        ix_commands::Verdict::Accept => IxStatus::Ok,
        ix_commands::Verdict::Reject => IxStatus::Reject,
        ix_commands::Verdict::Decline => IxStatus::Decline,
    }
}

/// Compiles a lean4export NDJSON file into an Ixon `.ixe` environment.
///
/// # Safety
/// Paths must be null or NUL-terminated; `err` must be null or hold `err_len` bytes.
#[no_mangle]
pub unsafe extern "C" fn rs_compile(
    ndjson_path: *const c_char,
    out_path: *const c_char,
    err: *mut c_char,
    err_len: usize,
) -> IxStatus {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(err, err_len, || {
            compile(
                &path_arg(ndjson_path, "ndjson_path")?,
                &path_arg(out_path, "out_path")?,
            )
        })
    }
}

fn compile(input: &Path, output: &Path) -> Outcome {
    let summary = ix_import::compile_file(input, output).map_err(failed)?;
    Ok((
        IxStatus::Ok,
        format!(
            "{}: {} declarations, {} blocks ({} mutual)",
            output.display(),
            summary.declarations,
            summary.blocks,
            summary.mutual_blocks
        ),
    ))
}

/// Type-checks an environment (`.ixe`, or `.ndjson` compiled in memory).
/// Returns `IX_STATUS_OK` (accept), `IX_STATUS_REJECT` or
/// `IX_STATUS_DECLINE`; the message is the verdict line. An input that
/// cannot be read gets no verdict: `IX_STATUS_FAILED`.
///
/// # Safety
/// As `rs_compile`.
#[no_mangle]
pub unsafe extern "C" fn rs_kernel_check(
    input_path: *const c_char,
    parallelism: u32,
    err: *mut c_char,
    err_len: usize,
) -> IxStatus {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(err, err_len, || {
            check(&path_arg(input_path, "input_path")?, parallelism)
        })
    }
}

fn check(input: &Path, parallelism: u32) -> Outcome {
    let options = ix_kernel::CheckOptions {
        threads: parallelism as usize,
        ..Default::default()
    };
    let outcome = ix_commands::check_input(input, &options).map_err(failed)?;
    Ok((verdict_status(outcome.verdict), outcome.message))
}

/// Profiles an environment and writes its `.ixesp` (blocks by address,
/// heartbeats, sizes, delta-unfold edges). `isolate` must be non-zero: every
/// declaration is checked with caches of its own, the only mode the kernel
/// has. `quiet = 0` prints the summary on stderr. `parallelism` is the
/// number of kernel threads (0 = one per core); the file does not depend on it.
///
/// # Safety
/// As `rs_compile`.
#[no_mangle]
pub unsafe extern "C" fn rs_kernel_profile_anon(
    ixe_path: *const c_char,
    out_path: *const c_char,
    isolate: u8,
    quiet: u8,
    parallelism: u32,
    err: *mut c_char,
    err_len: usize,
) -> IxStatus {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(err, err_len, || {
            let input = path_arg(ixe_path, "ixe_path")?;
            let output = path_arg(out_path, "out_path")?;
            if isolate == 0 {
                return Err((
                    IxStatus::InvalidArgument,
                    "isolate = 0 is not supported: the kernel always checks each declaration with caches of its own".into(),
                ));
            }
            profile(&input, &output, quiet == 0, parallelism)
        })
    }
}

fn profile(input: &Path, output: &Path, print: bool, parallelism: u32) -> Outcome {
    let options = ix_commands::ProfileOptions {
        threads: parallelism as usize,
        ..Default::default()
    };
    let s = ix_commands::profile_env(input, output, &options).map_err(failed)?;
    let line = format!(
        "{}: {} blocks, {} delta edges, {} heartbeats",
        output.display(),
        s.blocks,
        s.edges,
        s.total_heartbeats
    );
    if print {
        eprintln!("{line}");
    }
    Ok((IxStatus::Ok, line))
}

/// Checks shard `shard` of `manifest_path` on its own (foreign blocks
/// trusted). When `claim_dir` is not null, writes the claim to
/// `claim_dir/shard-K.json`, the folder made if need be, as `ix check-shard`
/// does. Returns the verdict as `rs_kernel_check` does.
///
/// # Safety
/// As `rs_compile`; `claim_dir` may be null.
#[no_mangle]
pub unsafe extern "C" fn rs_kernel_check_shard(
    ixe_path: *const c_char,
    manifest_path: *const c_char,
    shard: u32,
    claim_dir: *const c_char,
    err: *mut c_char,
    err_len: usize,
) -> IxStatus {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(err, err_len, || {
            let env = path_arg(ixe_path, "ixe_path")?;
            let manifest = path_arg(manifest_path, "manifest_path")?;
            let dir = optional_path_arg(claim_dir, "claim_dir")?;
            check_shard(&env, &manifest, shard, dir.as_deref())
        })
    }
}

fn check_shard(env: &Path, manifest: &Path, shard: u32, claim_dir: Option<&Path>) -> Outcome {
    let claim =
        ix_commands::check_shards::check_one(env, manifest, shard, 1, claim_dir).map_err(failed)?;
    Ok((
        verdict_status(claim.verdict),
        format!("shard {shard}: {}", claim.message),
    ))
}

/// Partitions a profile (`.ixesp`) into `n_shards` shards with heartbeat
/// balance `balance` (ε, e.g. 0.05) and writes the `.ixes` manifest.
///
/// # Safety
/// As `rs_compile`.
#[no_mangle]
pub unsafe extern "C" fn rs_shard_esp(
    profile_path: *const c_char,
    n_shards: u32,
    balance: f64,
    parallelism: u32,
    out_path: *const c_char,
    err: *mut c_char,
    err_len: usize,
) -> IxStatus {
    // SAFETY: forwarded from the caller.
    unsafe {
        run(err, err_len, || {
            let input = path_arg(profile_path, "profile_path")?;
            let output = path_arg(out_path, "out_path")?;
            if n_shards == 0 || !balance.is_finite() || balance < 0.0 {
                return Err((
                    IxStatus::InvalidArgument,
                    format!("impossible request: n_shards = {n_shards}, balance = {balance}"),
                ));
            }
            shard(&input, &output, n_shards, balance, parallelism)
        })
    }
}

fn shard(input: &Path, output: &Path, n_shards: u32, balance: f64, parallelism: u32) -> Outcome {
    let options = ix_shard::command::ShardOptions {
        parts: n_shards,
        epsilon: balance,
        seed: 0,
        progress: &ix_base::progress::Silent,
    };
    let report = with_threads(parallelism, || {
        ix_commands::shard::shard_profile(input, output, options)
    })?
    .map_err(failed)?;
    Ok((
        IxStatus::Ok,
        format!(
            "{}: {} shards, imbalance {:.3}, cross ingress {} bytes",
            output.display(),
            n_shards,
            report.imbalance,
            report.total_cross_ingress
        ),
    ))
}
