//! `ix shard`: partition a profile into balanced shards and write the `.ixes`
//! manifest, or partition an hMETIS `.hgr` hypergraph and write a part file.

use crate::progress::Progress;
use ix_base::format::FileKind;
use ix_commands::shard::shard_profile;
use ix_shard::command::{shard_hgr, ShardOptions};
use std::io::Read;
use std::path::{Path, PathBuf};

#[derive(clap::Args)]
pub struct Args {
    /// A profile (.ixesp) or an hMETIS hypergraph (.hgr); chosen by content.
    input: PathBuf,
    /// Number of shards (parts). An environment without blocks gets N empty
    /// shards, each accepted with nothing to check.
    #[arg(short = 'n', long = "shards")]
    parts: u32,
    /// Heartbeat (vertex weight) balance tolerance ε: every shard at most
    /// (1 + ε) × total / N, unless one atomic block alone is heavier.
    #[arg(long, default_value_t = 0.05, allow_negative_numbers = true)]
    balance: f64,
    /// The .ixes manifest to write (profile input).
    #[arg(short = 'o', long)]
    output: Option<PathBuf>,
    /// The part file to write, one part id per vertex line (.hgr input).
    #[arg(long)]
    part_out: Option<PathBuf>,
    /// Worker threads (0 = one per core; at most 256). The result does not
    /// depend on it.
    #[arg(short = 'j', long = "jobs", alias = "threads", default_value_t = 0, value_parser = crate::jobs::parse)]
    jobs: usize,
    /// Seed of the partitioner's random choices.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    #[command(flatten)]
    print: crate::print::Print,
    /// Also draw the shards as an SVG chart (profile input): per-shard
    /// heartbeats against the mean and the ε band, the atomic-block floor,
    /// and per-shard ingress.
    #[arg(long, value_name = "FILE.svg")]
    plot: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<u8, String> {
    let progress = Progress::start("partitioning", "shards", &args.print.quiet);
    let options = ShardOptions {
        parts: args.parts,
        epsilon: args.balance,
        seed: args.seed,
        progress: &progress.counter,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.jobs)
        .build()
        .map_err(|e| format!("cannot start worker threads: {e}"))?;
    let outputs: Vec<&Path> = [&args.output, &args.part_out, &args.plot]
        .into_iter()
        .filter_map(|p| p.as_deref())
        .collect();
    ix_base::check_outputs(&[&args.input], &outputs).map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    if is_profile(&args.input)? {
        let output = args
            .output
            .as_deref()
            .ok_or("a profile needs -o OUT.ixes")?;
        if args.part_out.is_some() {
            return Err(
                "--part-out is for .hgr input; a profile writes an .ixes manifest (-o)".into(),
            );
        }
        let report = pool.install(|| shard_profile(&args.input, output, options));
        progress.finish();
        let report = report.map_err(|e| e.to_string())?;
        if let Some(plot) = &args.plot {
            crate::plot::write_shard_plot(output, &report, args.balance, plot)?;
        }
        if args.print.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
        } else {
            print!("{report}");
            println!(
                "wrote {} in {:.2} s",
                output.display(),
                started.elapsed().as_secs_f64()
            );
        }
    } else {
        let part_out = args
            .part_out
            .as_deref()
            .ok_or("an .hgr hypergraph needs --part-out FILE")?;
        if args.plot.is_some() {
            return Err("--plot draws the shards of a profile (.ixesp input)".into());
        }
        if args.output.is_some() {
            return Err(
                "-o writes an .ixes manifest, which needs a profile; use --part-out for .hgr input"
                    .into(),
            );
        }
        let report = pool.install(|| shard_hgr(&args.input, part_out, options));
        progress.finish();
        let report = report.map_err(|e| e.to_string())?;
        if args.print.json {
            println!(
                "{}",
                serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?
            );
        } else {
            println!(
                "k={} km1={} imbalance={:.4} empty_parts={} vertices={} nets={} pins={} time={:.3}s",
                report.parts,
                report.km1,
                report.imbalance,
                report.empty_parts,
                report.vertices,
                report.nets,
                report.pins,
                started.elapsed().as_secs_f64()
            );
        }
    }
    Ok(0)
}

/// What `ix shard` was given, told by the file's first bytes: a profile
/// (the .ixesp magic), or else an hMETIS text file; the other ix formats and
/// an empty file are refused, saying what they are.
fn is_profile(path: &Path) -> Result<bool, String> {
    let fail = |what: String| format!("{}: {what}", path.display());
    if path.is_dir() {
        return Err(fail("is a directory".into()));
    }
    let mut head = Vec::with_capacity(8);
    std::fs::File::open(path)
        .and_then(|file| file.take(8).read_to_end(&mut head))
        .map_err(|e| fail(format!("cannot read: {e}")))?;
    let refused = |what: &str| {
        Err(fail(format!(
            "{what}; ix shard takes a profile (.ixesp) or an hMETIS hypergraph (.hgr)"
        )))
    };
    match FileKind::of_head(&head) {
        FileKind::Empty => refused("empty file"),
        FileKind::Profile => Ok(true),
        FileKind::Manifest => refused("is a shard manifest (.ixes)"),
        FileKind::Ixe => refused("is an Ixon environment (.ixe): profile it first (ix profile)"),
        FileKind::Other if head.starts_with(b"{") => {
            refused("is JSON (a lean4export file?): compile and profile it first")
        }
        FileKind::Other => Ok(false),
    }
}
