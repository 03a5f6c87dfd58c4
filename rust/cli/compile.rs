//! `ix compile IN.ndjson -o OUT.ixe`: lean4export NDJSON to an Ixon environment.

use crate::progress::Progress;
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// lean4export NDJSON input (format 3.0 or 3.1).
    input: PathBuf,
    /// Output `.ixe` file (written atomically).
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    quiet: crate::print::Quiet,
}

pub fn run(args: Args) -> Result<u8, String> {
    ix_base::check_outputs(&[&args.input], &[&args.output]).map_err(|e| e.to_string())?;
    let progress = Progress::spinner("compiling", &args.quiet);
    let result = ix_import::compile_file(&args.input, &args.output);
    progress.finish();
    let s = result.map_err(|e| e.to_string())?;
    let root = s.root.map_or_else(|| "none".to_string(), |r| r.hex());
    println!(
        "{}: {} declarations -> {} blocks ({} mutual) and {} projections, {} blobs, {} bytes; root {root}",
        args.output.display(),
        s.declarations,
        s.blocks,
        s.mutual_blocks,
        s.projections,
        s.blobs,
        s.bytes_out
    );
    Ok(0)
}
