//! `ix shard` on a profile, including the profile of an empty environment.
//!
//! The partitioner makes N non-empty parts, so it refuses a profile without
//! blocks. An empty environment is still a valid, accepted one, and the
//! pipeline after `ix shard` (a Kubernetes Indexed Job with N completions, a
//! Slurm array of N tasks) is laid out before anyone looks at the library.
//! So an empty profile gets a manifest of N empty shards: each owns and
//! assumes nothing, each `check-shard` accepts with nothing to check, and
//! the N claims verify. Any other profile goes to the partitioner unchanged.

use ix_shard::command::{write_manifest, ShardError, ShardOptions};
use ix_shard::manifest::Manifest;
use ix_shard::report::Report;
use ix_shard::Hypergraph;
use ixesp::Profile;
use std::path::Path;

/// Shards the profile at `input` into `options.parts` shards, writes the
/// `.ixes` manifest to `output` and returns the what-if report. Nothing is
/// written when anything fails.
pub fn shard_profile(
    input: &Path,
    output: &Path,
    options: ShardOptions,
) -> Result<Report, ShardError> {
    if !has_empty_profile_length(input) {
        return ix_shard::command::shard_profile(input, output, options);
    }
    let profile = Profile::read_file(input).map_err(|source| ShardError::Profile {
        path: input.to_path_buf(),
        source,
    })?;
    if profile.block_count() != 0 {
        return ix_shard::command::shard_profile(input, output, options);
    }
    let request = options.request();
    // No block needs a place: only the request's own bounds (N ≥ 1, a
    // finite ε ≥ 0) apply, so validate as if there were a block per shard.
    request.validate(options.parts as usize)?;
    let manifest = Manifest::build(&profile, &[], options.parts, None);
    write_manifest(&manifest, output)?;
    let nets = Hypergraph::from_profile(&profile).net_count();
    Ok(Report::new(&manifest, profile.edge_count(), nets, 0))
}

/// Whether the file at `path` is exactly as long as a profile without
/// blocks. Every block adds a record and a row offset, so a file of any
/// other length holds blocks (or is no profile, which the partitioner's own
/// reader reports); this keeps a large profile from being read twice.
fn has_empty_profile_length(path: &Path) -> bool {
    let empty = Profile::from_rows(Vec::new(), &[]).map(|p| p.serialized_len() as u64);
    match (std::fs::metadata(path), empty) {
        (Ok(metadata), Ok(len)) => metadata.is_file() && metadata.len() == len,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{profile_env, ProfileOptions};
    use crate::shard_check::{load_sharded, verify_claims};
    use ix_base::Verdict;
    use ix_kernel::CheckOptions;
    use std::path::PathBuf;

    /// A lean4export file with its header and no declaration.
    const EMPTY_EXPORT: &str = concat!(
        r#"{"meta":{"exporter":{"name":"lean4export","version":"3.0.0"},"#,
        r#""format":{"version":"3.0.0"},"lean":{"githash":"","version":"4.27.0"}}}"#,
        "\n"
    );

    fn options(parts: u32) -> ShardOptions<'static> {
        ShardOptions {
            parts,
            epsilon: 0.05,
            seed: 0,
            progress: &ix_base::progress::Silent,
        }
    }

    /// The empty environment in `dir`, and its profile.
    fn empty_env_and_profile(dir: &Path) -> (PathBuf, PathBuf) {
        let export = dir.join("empty.ndjson");
        std::fs::write(&export, EMPTY_EXPORT).expect("write export");
        let profile = dir.join("empty.ixesp");
        let profile_options = ProfileOptions {
            threads: 1,
            ..Default::default()
        };
        let summary = profile_env(&export, &profile, &profile_options).expect("profile");
        assert_eq!(summary.blocks, 0);
        (export, profile)
    }

    #[test]
    fn an_empty_environment_gets_n_empty_shards_whose_claims_verify() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (export, profile) = empty_env_and_profile(dir.path());
        let manifest = dir.path().join("empty.ixes");
        let report = shard_profile(&profile, &manifest, options(3)).expect("shard");
        assert_eq!((report.blocks, report.shards), (0, 3));
        assert_eq!(report.empty_shards, 3);
        assert_eq!(report.total_cross_ingress, 0);

        let written = Manifest::read_file(&manifest).expect("manifest reads back");
        assert_eq!(written.shards.len(), 3);
        assert!(written
            .shards
            .iter()
            .all(|s| s.members.is_empty() && s.foreign.is_empty()));

        // Loading checks that the manifest partitions the environment's blocks.
        let sharded = load_sharded(&export, &manifest).expect("an empty partition covers");
        let check = CheckOptions {
            threads: 1,
            ..Default::default()
        };
        let claims: Vec<(PathBuf, _)> = (0..3)
            .map(|k| {
                let claim = sharded.check_shard(k, &check).expect("shard exists");
                assert_eq!(claim.verdict, Verdict::Accept, "{}", claim.message);
                assert_eq!((claim.checked_names, claim.owned_constants), (0, 0));
                (dir.path().join(format!("shard-{k}.json")), claim)
            })
            .collect();
        verify_claims(&sharded, dir.path(), &claims).expect("the claims cover the env");
        let missing_one = &claims[..2];
        assert!(verify_claims(&sharded, dir.path(), missing_one).is_err());
    }

    #[test]
    fn an_empty_profile_still_refuses_an_impossible_request() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, profile) = empty_env_and_profile(dir.path());
        let manifest = dir.path().join("empty.ixes");
        let zero = shard_profile(&profile, &manifest, options(0)).unwrap_err();
        assert_eq!(zero.to_string(), "the number of parts must be at least 1");
        let negative = ShardOptions {
            epsilon: -0.5,
            ..options(2)
        };
        assert!(shard_profile(&profile, &manifest, negative).is_err());
        assert!(!manifest.exists());
    }

    #[test]
    fn a_damaged_profile_of_the_empty_length_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (_, profile) = empty_env_and_profile(dir.path());
        let mut bytes = std::fs::read(&profile).expect("read profile");
        let last = bytes.len() - 1;
        bytes[last] ^= 1;
        std::fs::write(&profile, bytes).expect("damage profile");
        let manifest = dir.path().join("empty.ixes");
        let error = shard_profile(&profile, &manifest, options(2)).unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with(&profile.display().to_string()),
            "{error}"
        );
        assert!(!manifest.exists());
    }

    #[test]
    fn a_profile_with_blocks_goes_to_the_partitioner() {
        let dir = tempfile::tempdir().expect("tempdir");
        let profile = dir.path().join("two.ixesp");
        let block = |i: u8| ixesp::Block {
            address: [i; 32],
            heartbeats: 10,
            size: 100,
            constants: 1,
        };
        Profile::from_rows(vec![block(1), block(2)], &[vec![], vec![0]])
            .expect("profile")
            .write_file(&profile)
            .expect("write profile");
        let manifest = dir.path().join("two.ixes");
        let report = shard_profile(&profile, &manifest, options(2)).expect("shard");
        assert_eq!((report.blocks, report.empty_shards), (2, 0));
        let too_many = shard_profile(&profile, &manifest, options(3)).unwrap_err();
        assert_eq!(
            too_many.to_string(),
            "cannot make 3 non-empty parts from 2 vertices"
        );
    }
}
