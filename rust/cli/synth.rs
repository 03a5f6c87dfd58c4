//! `ix synth`: write a large, well-typed synthetic Lean library as NDJSON.

use crate::progress::Progress;
use ix_synth::{write_dag_file, write_file, SynthOptions};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// How many blocks (declarations; an inductive block counts once).
    #[arg(long, required_unless_present = "dag")]
    blocks: Option<usize>,
    /// Instead of a library: the five DAG-shaped declarations of depth D
    /// (O(D) distinct nodes, trees of size 2^D), for linearity tests.
    #[arg(long, value_name = "D", conflicts_with_all = ["blocks", "reject"])]
    dag: Option<u32>,
    /// The seed: one seed, one library, byte for byte.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Plant one ill-typed theorem half-way through (its name is printed).
    #[arg(long)]
    reject: bool,
    /// Where to write the NDJSON export.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    /// No progress spinner.
    #[arg(short, long)]
    quiet: bool,
}

pub fn run(args: Args) -> Result<u8, String> {
    if let Some(depth) = args.dag {
        write_dag_file(depth, &args.output).map_err(|e| e.to_string())?;
        eprintln!("{}: DAG shapes of depth {depth}", args.output.display());
        return Ok(0);
    }
    let opts = SynthOptions {
        blocks: args.blocks.unwrap_or_default(),
        seed: args.seed,
        plant_error: args.reject,
    };
    let progress = Progress::spinner("generating", args.quiet);
    let result = write_file(&opts, &args.output);
    progress.finish();
    let summary = result.map_err(|e| e.to_string())?;
    let s = &summary.stats;
    eprintln!(
        "{}: {} blocks ({} inductive, {} mutual, {} definitions, {} theorems, {} heavy)",
        args.output.display(),
        s.blocks,
        s.inductive_blocks,
        s.mutual_blocks,
        s.definitions,
        s.theorems,
        s.heavy
    );
    if let Some(planted) = summary.planted {
        println!("planted ill-typed declaration: {planted}");
    }
    Ok(0)
}
