//! `ix synth`: write a large, well-typed synthetic Lean library as NDJSON.

use crate::progress::Progress;
use ix_synth::{write_dag_file, write_file_like, Like, SynthOptions};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// How many declarations (an inductive declaration, with all its types,
    /// counts once), at most 10,000,000 (16 times Mathlib). `--blocks` is
    /// the same option under its earlier name.
    #[arg(long = "declarations", visible_alias = "blocks", value_parser = parse_declarations,
          required_unless_present = "dag")]
    declarations: Option<usize>,
    /// Instead of a library: the five DAG-shaped declarations of depth D
    /// (O(D) distinct nodes, trees of size 2^D), for linearity tests; at most
    /// 10,000,000 (about 5 GB of NDJSON).
    #[arg(long, value_name = "D", conflicts_with_all = ["declarations", "reject"],
          value_parser = clap::value_parser!(u32).range(0..=10_000_000))]
    dag: Option<u32>,
    /// Whose proportions the library has: `light` (the default: ~0.7 KB of
    /// NDJSON per declaration, little kernel work) or `mathlib` (classes,
    /// instances and lemmas over them: ~7.5 KB and Mathlib's kernel work
    /// per declaration; see the ix-synth crate docs for each parameter).
    #[arg(long, value_enum, default_value_t = Shape::Light, conflicts_with = "dag")]
    like: Shape,
    /// The seed: one seed, one library, byte for byte.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Plant one ill-typed theorem half-way through (its name is printed).
    #[arg(long)]
    reject: bool,
    /// Where to write the NDJSON export.
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    #[command(flatten)]
    quiet: crate::print::Quiet,
}

#[derive(Clone, Copy, clap::ValueEnum)]
enum Shape {
    Light,
    Mathlib,
}

pub fn run(args: Args) -> Result<u8, String> {
    ix_base::check_outputs(&[], &[&args.output]).map_err(|e| e.to_string())?;
    if let Some(depth) = args.dag {
        write_dag_file(depth, &args.output).map_err(|e| e.to_string())?;
        eprintln!("{}: DAG shapes of depth {depth}", args.output.display());
        return Ok(0);
    }
    let opts = SynthOptions {
        blocks: args.declarations.unwrap_or_default(),
        seed: args.seed,
        plant_error: args.reject,
    };
    let progress = Progress::spinner("generating", &args.quiet);
    let like = match args.like {
        Shape::Light => Like::Light,
        Shape::Mathlib => Like::Mathlib,
    };
    let result = write_file_like(&opts, like, &args.output);
    progress.finish();
    let summary = result.map_err(|e| e.to_string())?;
    let s = &summary.stats;
    eprintln!(
        "{}: {} declarations ({} inductive, {} of them mutual, {} definitions, {} theorems, {} heavy)",
        args.output.display(),
        s.blocks,
        s.inductive_blocks,
        s.mutual_blocks,
        s.definitions,
        s.theorems,
        s.heavy
    );
    if like == Like::Mathlib {
        eprintln!(
            "{} classes, {} instances",
            summary.classes, summary.instances
        );
    }
    eprintln!(
        "at most {} names and expressions remembered at once",
        summary.peak_remembered
    );
    if let Some(planted) = summary.planted {
        println!("planted ill-typed declaration: {planted}");
    }
    Ok(0)
}

/// The largest library synth makes: its heaviest theorem grows with the
/// declaration count, and past this its term no longer fits in memory.
const MAX_DECLARATIONS: usize = 10_000_000;

fn parse_declarations(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(n) if n <= MAX_DECLARATIONS => Ok(n),
        Ok(n) => Err(format!(
            "{n} declarations is more than the {MAX_DECLARATIONS} synth makes"
        )),
        Err(_) => Err(format!("`{text}` is not a declaration count")),
    }
}
