//! `ix`: the command-line shell over the ix libraries.
//!
//! Each verb lives in its own module with an `Args` struct (clap) and a
//! `run(args) -> Result<u8, String>` function: `Ok(code)` is the process exit
//! code, `Err(message)` is printed as one line on stderr and exits
//! [`EXIT_ERROR`].

mod aiur;
mod check;
mod check_shard;
mod check_shards;
mod compile;
mod info;
mod ixvm;
mod jobs;
mod plot;
mod print;
mod profile;
mod progress;
mod shard;
mod synth;
mod verify_claims;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// The exit code of every error: bad usage, an input that cannot be read or
/// parsed, an output that cannot be written. Distinct from the verdicts
/// (0 accept, 1 reject, 2 decline), so a typo never passes for a verdict.
const EXIT_ERROR: u8 = 3;

const CHECK_EXIT_CODES: &str = "Exit codes: 0 accept, 1 reject (naming the first failing \
declaration; malformed input is a reject), 2 decline, 3 error (bad usage, or an input that \
cannot be read: missing, a directory, no permission; no verdict).";

const EXIT_CODES: &str = "Exit codes: 0 success (accept), 1 reject, 2 decline, \
3 error (bad usage, an input that cannot be read, an output that cannot be written).";

// Compile, check and profile allocate millions of small terms and names;
// glibc malloc spent ~22% of `ix compile` in malloc/free/consolidate (perf).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_arena_eager_commit` and `mi_option_purge_delay`
/// (mimalloc.h, v3). Arenas committed eagerly are backed with huge pages,
/// which stay resident while any small object in them lives; freed pages
/// are returned after 10 ms: at once cost `ix check` half its system time
/// (madvise calls, and page faults on reuse), mimalloc's default delay
/// ~5% of its peak RSS (BENCHMARKS.md).
const MI_OPTION_ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
const PURGE_DELAY_MS: std::ffi::c_long = 10;

/// Turns transparent huge pages off for the process. mimalloc advises its
/// first arena for them while the runtime starts, before `main` could set
/// an option, and a 2 MiB page stays resident while any small object in it
/// lives: ~15% of `ix check`'s peak RSS on a 100k-block library, for no
/// measurable time (BENCHMARKS.md, "Peak memory of `ix check` on NDJSON").
fn disable_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: PR_SET_THP_DISABLE takes plain integers and only sets a flag
    // on this process; a kernel without it returns an error, ignored.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[derive(Parser)]
#[command(
    name = "ix",
    version,
    about = "Shard huge Lean 4 libraries into balanced, independently checkable pieces",
    after_help = EXIT_CODES
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Aiur circuits: compile and run a .aiur program, with its FFT cost table.
    Aiur(aiur::Args),
    /// Type-check a Lean environment with the ix kernel (exit 0 accept, 1 reject, 2 decline).
    #[command(after_help = CHECK_EXIT_CODES)]
    Check(check::Args),
    /// Check one shard on its own, trusting its foreign blocks; print its claim.
    CheckShard(check_shard::Args),
    /// Check every shard in parallel and verify that they cover the environment.
    CheckShards(check_shards::Args),
    /// Compile a lean4export NDJSON file to an Ixon environment (.ixe).
    Compile(compile::Args),
    /// Summarize an .ixe file: counts, bytes per section, merkle root.
    Info(info::Args),
    /// IxVM ingress circuits: run a claim on an .ixe, with its FFT cost table.
    Ixvm(ixvm::Args),
    /// Profile an environment: per-block heartbeats and the delta-unfold graph (.ixesp).
    Profile(profile::Args),
    /// Split a profile (.ixesp) into N balanced shards (.ixes manifest), or partition an hMETIS .hgr.
    Shard(shard::Args),
    /// Generate a large, well-typed synthetic Lean library (lean4export NDJSON).
    Synth(synth::Args),
    /// Verify that a folder of shard claims covers the environment.
    VerifyClaims(verify_claims::Args),
}

/// Runs [`set_allocator_options`] while the process loads, before the
/// runtime's first allocation: mimalloc reserves its first arena then, and
/// `ix check`'s whole heap fits in it, so options set in `main` came too
/// late for it (+4% peak RSS at 100k blocks, BENCHMARKS.md).
#[cfg(target_os = "linux")]
#[used]
#[link_section = ".init_array"]
static SET_ALLOCATOR_OPTIONS: extern "C" fn() = set_allocator_options;

extern "C" fn set_allocator_options() {
    // SAFETY: sets two of the allocator's global options; no allocation is
    // in flight, and mimalloc reads them when it reserves or purges memory.
    unsafe {
        libmimalloc_sys::mi_option_set(MI_OPTION_ARENA_EAGER_COMMIT, 0);
        libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS);
    }
}

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    set_allocator_options();
    disable_huge_pages();
    restore_sigpipe();
    remove_temp_files_on_signals();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            // --help and --version are not errors.
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { EXIT_ERROR } else { 0 });
        }
    };
    let outcome: Result<u8, String> = match cli.command {
        Command::Aiur(args) => aiur::run(args),
        Command::Check(args) => check::run(args),
        Command::CheckShard(args) => check_shard::run(args),
        Command::CheckShards(args) => check_shards::run(args),
        Command::Compile(args) => compile::run(args),
        Command::Info(args) => info::run(args),
        Command::Ixvm(args) => ixvm::run(args),
        Command::Profile(args) => profile::run(args),
        Command::Shard(args) => shard::run(args),
        Command::Synth(args) => synth::run(args),
        Command::VerifyClaims(args) => verify_claims::run(args),
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("ix: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

/// Rust ignores SIGPIPE, so printing into a closed pipe (`ix ... | head`)
/// would panic; restore the default, under which the process just ends, as
/// every Unix filter does.
fn restore_sigpipe() {
    // SAFETY: setting a signal disposition to the default before any other
    // thread exists has no preconditions.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

/// On SIGINT, SIGTERM or SIGHUP, removes the temporary files of the outputs
/// being written, then dies of the signal as it would have: an interrupted
/// verb leaves no hidden file behind. The signals are blocked in every thread
/// but one, which waits for them (so no handler runs in a signal context).
fn remove_temp_files_on_signals() {
    // SAFETY: sigset manipulation on a local set; blocking signals in the
    // only thread there is yet, before any other thread exists.
    let signals = unsafe {
        let mut set: libc::sigset_t = std::mem::zeroed();
        libc::sigemptyset(&mut set);
        for signal in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
            libc::sigaddset(&mut set, signal);
        }
        libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        set
    };
    std::thread::spawn(move || {
        let mut signal = 0;
        // SAFETY: waits on a valid set the thread has blocked.
        if unsafe { libc::sigwait(&signals, &mut signal) } != 0 {
            return;
        }
        ix_base::remove_pending();
        // SAFETY: restores the default action and re-raises the signal in
        // this thread, where it is then unblocked: the process ends by it.
        unsafe {
            libc::signal(signal, libc::SIG_DFL);
            libc::pthread_sigmask(libc::SIG_UNBLOCK, &signals, std::ptr::null_mut());
            libc::raise(signal);
        }
    });
}
