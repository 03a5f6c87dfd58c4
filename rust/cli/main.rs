//! `ix`: the command-line shell over the ix libraries.
//!
//! Each verb lives in its own module with an `Args` struct (clap) and a
//! `run(args) -> Result<u8, String>` function: `Ok(code)` is the process exit
//! code, `Err(message)` is printed as one line on stderr and exits 1.

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "ix", version, about = "Shard huge Lean 4 libraries into balanced, independently checkable pieces")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let outcome: Result<u8, String> = match cli.command {};
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("ix: error: {message}");
            ExitCode::from(1)
        }
    }
}
