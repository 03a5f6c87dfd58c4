//! `ix profile ENV -o OUT.ixesp`: per-block heartbeats and the delta-unfold graph.

use crate::progress::Progress;
use ix_commands::profile::{profile_env, ProfileOptions, ProfileSummary};
use std::path::PathBuf;

#[derive(clap::Args)]
pub struct Args {
    /// The environment (`.ixe`, or a lean4export `.ndjson` compiled in memory).
    input: PathBuf,
    /// Where to write the profile (`.ixesp`, written atomically).
    #[arg(short = 'o', long = "output")]
    output: PathBuf,
    #[command(flatten)]
    run: crate::jobs::KernelRun,
    #[command(flatten)]
    print: crate::print::Print,
    /// Also draw the profile as an SVG chart: the distribution of block
    /// heartbeats and the most-unfolded producers.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8, String> {
    let outputs: Vec<&std::path::Path> = std::iter::once(args.output.as_path())
        .chain(args.plot.as_deref())
        .collect();
    ix_base::check_outputs(&[&args.input], &outputs).map_err(|e| e.to_string())?;
    let progress = Progress::start("profiling declarations", "declarations", &args.print.quiet);
    let options = ProfileOptions {
        threads: args.run.jobs,
        budget: Some(args.run.budget),
        progress: Some(progress.counter.clone()),
        allow_rejected: false,
    };
    let result = profile_env(&args.input, &args.output, &options);
    progress.finish();
    let summary = result.map_err(|e| e.to_string())?;
    if let Some(plot) = &args.plot {
        crate::plot::write_profile_plot(&args.output, &summary, plot)?;
    }
    if args.print.json {
        println!("{}", summary.to_json());
    } else {
        print_summary(&args.output, &summary);
    }
    Ok(0)
}

fn print_summary(output: &std::path::Path, s: &ProfileSummary) {
    println!(
        "{}: {} blocks, {} delta edges, {} heartbeats",
        output.display(),
        s.blocks,
        s.edges,
        s.total_heartbeats
    );
    println!("heaviest blocks:");
    for w in &s.heaviest {
        println!("  {:>14}  {}", w.weight, w.name);
    }
    println!("most unfolded producers (consumer blocks):");
    for w in &s.most_unfolded {
        println!("  {:>14}  {}", w.weight, w.name);
    }
}
