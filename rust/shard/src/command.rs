//! The `ix shard` command functions: read, partition, write, report. The CLI
//! (and the FFI) only parse arguments and print what these return.

use crate::hmetis::{self, HgrError};
use crate::manifest::Manifest;
use crate::report::Report;
use crate::{metrics, partition, Hypergraph, Partition, PartitionConfig, PartitionError, Request};
use ix_base::progress::Progress;
use ixesp::{Profile, ReadError};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// Everything that can stop `ix shard`, each naming its file.
#[derive(Debug, thiserror::Error)]
pub enum ShardError {
    #[error("{}: {source}", path.display())]
    Profile { path: PathBuf, source: ReadError },
    #[error("{}: {source}", path.display())]
    Hgr { path: PathBuf, source: HgrError },
    #[error("{}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(transparent)]
    Request(#[from] PartitionError),
}

/// Options shared by both modes.
#[derive(Clone, Copy)]
pub struct ShardOptions<'a> {
    pub parts: u32,
    pub epsilon: f64,
    pub seed: u64,
    /// Told the number of shards, then each shard as it is made
    /// (`&Silent` for nobody).
    pub progress: &'a dyn Progress,
}

impl ShardOptions<'_> {
    /// What the partitioner is asked for.
    pub fn request(&self) -> Request {
        Request {
            parts: self.parts,
            epsilon: self.epsilon,
            seed: self.seed,
        }
    }
}

/// Shards a profile: writes the `.ixes` manifest to `output` and returns the
/// what-if report. Nothing is written when anything fails.
pub fn shard_profile(
    input: &Path,
    output: &Path,
    options: ShardOptions,
) -> Result<Report, ShardError> {
    let profile = Profile::read_file(input).map_err(|source| ShardError::Profile {
        path: input.to_path_buf(),
        source,
    })?;
    options.request().validate(profile.block_count())?;
    let h = Hypergraph::from_profile(&profile);
    let result = partition_reporting(&h, options, &PartitionConfig::for_profiles())?;
    let manifest = Manifest::build(&profile, &result.parts, options.parts, Some(result.tree));
    write_manifest(&manifest, output)?;
    let largest = profile
        .blocks()
        .iter()
        .map(|b| b.heartbeats)
        .max()
        .unwrap_or(0);
    Ok(Report::new(
        &manifest,
        profile.edge_count(),
        h.net_count(),
        largest,
    ))
}

/// Writes `manifest` to `output` (atomically), the error naming the file.
pub fn write_manifest(manifest: &Manifest, output: &Path) -> Result<(), ShardError> {
    manifest
        .write_file(output)
        .map_err(|source| ShardError::Write {
            path: output.to_path_buf(),
            source,
        })
}

/// The summary of an `.hgr` partitioning run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HgrReport {
    pub vertices: usize,
    pub nets: usize,
    pub pins: usize,
    pub parts: u32,
    pub epsilon: f64,
    pub km1: u64,
    /// max part weight / ⌈total / k⌉ − 1 (the KaHyPar definition).
    pub imbalance: f64,
    pub empty_parts: usize,
    /// Pins dropped from the input for repeating a pin of their net.
    pub repeated_pins: usize,
}

/// Partitions an hMETIS hypergraph and writes one part id per vertex line.
pub fn shard_hgr(
    input: &Path,
    part_out: &Path,
    options: ShardOptions,
) -> Result<HgrReport, ShardError> {
    shard_hgr_with(input, part_out, options, &PartitionConfig::default())
}

/// `shard_hgr` with other partitioner settings (for experiments).
pub fn shard_hgr_with(
    input: &Path,
    part_out: &Path,
    options: ShardOptions,
    config: &PartitionConfig,
) -> Result<HgrReport, ShardError> {
    let parsed = hmetis::read_file(input).map_err(|source| ShardError::Hgr {
        path: input.to_path_buf(),
        source,
    })?;
    let repeated = parsed.repeated;
    if let Some(line) = repeated.first_line {
        eprintln!(
            "warning: {}: dropped {} repeated pins in {} nets (the first on line {line}), \
             as Mt-KaHyPar and KaHyPar do",
            input.display(),
            repeated.pins,
            repeated.nets
        );
    }
    let h = parsed.hypergraph;
    options.request().validate(h.vertex_count())?;
    let result = partition_reporting(&h, options, config)?;
    hmetis::write_parts(part_out, &result.parts).map_err(|source| ShardError::Write {
        path: part_out.to_path_buf(),
        source,
    })?;
    let sizes = metrics::part_weights(&vec![1; h.vertex_count()], &result.parts, options.parts);
    Ok(HgrReport {
        vertices: h.vertex_count(),
        nets: h.net_count(),
        pins: h.pin_count(),
        parts: options.parts,
        epsilon: options.epsilon,
        km1: metrics::km1(&h, &result.parts, options.parts),
        imbalance: metrics::imbalance(h.vertex_weights(), &result.parts, options.parts),
        empty_parts: sizes.iter().filter(|&&count| count == 0).count(),
        repeated_pins: repeated.pins,
    })
}

/// Partitions `h`, reporting each finished shard to `options.progress`.
fn partition_reporting(
    h: &Hypergraph,
    options: ShardOptions,
    config: &PartitionConfig,
) -> Result<Partition, PartitionError> {
    options.progress.set_total(options.parts as usize);
    partition(h, options.request(), config, &|done: u32| {
        options.progress.advance(done as usize)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A run of `shard_hgr` in a folder of its own (removed when dropped).
    struct HgrRun {
        _dir: tempfile::TempDir,
        input: PathBuf,
        part_out: PathBuf,
        outcome: Result<HgrReport, ShardError>,
    }

    /// Partitions an `.hgr` file holding `text` into two parts.
    fn shard_text(text: &str) -> HgrRun {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("in.hgr");
        std::fs::write(&input, text).unwrap();
        let part_out = dir.path().join("in.part");
        let options = ShardOptions {
            parts: 2,
            epsilon: 0.05,
            seed: 0,
            progress: &ix_base::progress::Silent,
        };
        let outcome = shard_hgr(&input, &part_out, options);
        HgrRun {
            _dir: dir,
            input,
            part_out,
            outcome,
        }
    }

    #[test]
    fn hgr_errors_name_the_file_and_line() {
        let run = shard_text("2 3\n1 2\n2 4\n");
        assert_eq!(
            run.outcome.unwrap_err().to_string(),
            format!(
                "{}: line 3: pin 4 is not a vertex (1..=3)",
                run.input.display()
            )
        );
        assert!(!run.part_out.exists());
    }

    #[test]
    fn repeated_pins_are_dropped_and_reported() {
        let run = shard_text("2 3\n1 2\n2 3 2\n");
        let report = run.outcome.unwrap();
        assert_eq!((report.pins, report.repeated_pins), (4, 1));
        assert_eq!(
            std::fs::read_to_string(&run.part_out)
                .unwrap()
                .lines()
                .count(),
            3
        );
    }
}
