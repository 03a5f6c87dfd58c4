//! `ix`: the command-line shell over the ix libraries.
//!
//! Each verb lives in its own module with an `Args` struct (clap) and a
//! `run(args) -> Result<u8, String>` function: `Ok(code)` is the process exit
//! code, `Err(message)` is printed as one line on stderr and exits
//! [`EXIT_ERROR`].

mod aiur;
mod allocator;
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

fn main() -> ExitCode {
    #[cfg(not(target_os = "linux"))]
    allocator::set_allocator_options();
    allocator::disable_huge_pages();
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
