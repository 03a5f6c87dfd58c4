//! `ix aiur run FILE.aiur --entry NAME [--args ...] [--stats] [--json]`: compile and execute an
//! Aiur program, printing its output and the #432 circuit cost table.

use ix_aiur::field::P;
use ix_aiur::{run_source, RunError};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: AiurCommand,
}

#[derive(clap::Subcommand)]
enum AiurCommand {
    /// Compile a .aiur file and run one entry point (`pub fn`).
    Run(RunArgs),
}

#[derive(clap::Args)]
struct RunArgs {
    /// The .aiur source file.
    file: PathBuf,
    /// The entry point to run.
    #[arg(long)]
    entry: String,
    /// Flattened entry arguments: field elements, decimal or 0x-hex, comma or space separated.
    #[arg(long, num_args = 0.., value_delimiter = ',')]
    args: Vec<String>,
    /// Print the per-circuit statistics (width, height, hits, FFT cost).
    #[arg(long)]
    stats: bool,
    #[command(flatten)]
    print: crate::print::Print,
}

pub fn run(args: Args) -> Result<u8, String> {
    match args.command {
        AiurCommand::Run(run_args) => run_file(run_args),
    }
}

fn run_file(args: RunArgs) -> Result<u8, String> {
    let path = args.file.display().to_string();
    let src = std::fs::read_to_string(&args.file).map_err(|e| format!("{path}: {e}"))?;
    let inputs = args
        .args
        .iter()
        .map(|a| parse_field(a))
        .collect::<Result<Vec<u64>, String>>()?;
    let progress = crate::progress::Progress::spinner("running", &args.print.quiet);
    let report = run_source(&src, &args.entry, &inputs);
    progress.finish();
    let report = report.map_err(|e| match e {
        RunError::Compile(c) => format!("{path}:{c}"),
        RunError::Exec(x) => format!("{path}: {x}"),
    })?;
    if args.print.json {
        let mut out =
            serde_json::json!({ "entry": args.entry, "output": report.output, "ops": report.ops });
        if args.stats {
            out["stats"] = report.stats.to_json();
        }
        println!("{out}");
    } else {
        let shown: Vec<String> = report.output.iter().map(u64::to_string).collect();
        println!("output: [{}]", shown.join(", "));
        if args.stats {
            print!("{}", report.stats.render());
        }
    }
    Ok(0)
}

fn parse_field(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let parsed = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse::<u64>(),
    };
    match parsed {
        Ok(v) if v < P => Ok(v),
        _ => Err(format!(
            "argument `{text}` is not a field element (an integer below 2^64 - 2^32 + 1)"
        )),
    }
}
