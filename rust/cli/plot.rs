//! `--plot FILE.svg` for `ix shard` and `ix profile`: gathers the chart's data
//! from what the verb just wrote and writes the SVG atomically.

use ix_commands::profile::ProfileSummary;
use ix_shard::manifest::Manifest;
use ix_shard::report::Report;
use std::path::Path;

/// The shard chart of the manifest at `manifest`, written to `plot`.
pub fn write_shard_plot(
    manifest: &Path,
    report: &Report,
    epsilon: f64,
    plot: &Path,
) -> Result<(), String> {
    let read = Manifest::read_file(manifest).map_err(|e| format!("{}: {e}", manifest.display()))?;
    let heartbeats: Vec<u64> = read.shards.iter().map(|s| s.heartbeats).collect();
    let ingress: Vec<u64> = read.shards.iter().map(|s| s.cross_ingress).collect();
    let title = format!(
        "ix shard: {}, N = {}",
        file_name(manifest),
        heartbeats.len()
    );
    let svg = ix_plot::shard_chart(&ix_plot::ShardChart {
        title: &title,
        heartbeats: &heartbeats,
        ingress: &ingress,
        epsilon,
        largest_block: report.largest_block_heartbeats,
    });
    write(plot, &svg)
}

/// The profile chart of the profile at `profile`, written to `plot`.
pub fn write_profile_plot(
    profile: &Path,
    summary: &ProfileSummary,
    plot: &Path,
) -> Result<(), String> {
    let read =
        ixesp::Profile::read_file(profile).map_err(|e| format!("{}: {e}", profile.display()))?;
    let heartbeats: Vec<u64> = read.blocks().iter().map(|b| b.heartbeats).collect();
    let producers: Vec<(String, u64)> = summary
        .most_unfolded
        .iter()
        .map(|w| (w.name.clone(), w.weight))
        .collect();
    let title = format!("ix profile: {}", file_name(profile));
    let svg = ix_plot::profile_chart(&ix_plot::ProfileChart {
        title: &title,
        heartbeats: &heartbeats,
        delta_edges: summary.edges,
        top_producers: &producers,
    });
    write(plot, &svg)
}

fn write(plot: &Path, svg: &str) -> Result<(), String> {
    ix_base::write_atomic(plot, svg.as_bytes())
        .map_err(|e| format!("{}: cannot write: {e}", plot.display()))
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
