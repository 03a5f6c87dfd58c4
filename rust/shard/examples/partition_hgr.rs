//! Partitions an hMETIS file with the same command function as `ix shard
//! GRAPH.hgr`, without building the whole `ix` binary (handy while other
//! crates of the workspace are mid-change). Usage:
//! `partition_hgr GRAPH.hgr K EPSILON PART_OUT [THREADS [SEED [CONFIG]]]`;
//! prints JSON with the wall time of the whole run. CONFIG is a
//! `PartitionConfig` as JSON text (fields left out keep their defaults), so
//! an experiment is a setting: `'{"initial": {"runs": 40}}'`.

use ix_shard::command::{shard_hgr_with, ShardOptions};
use ix_shard::PartitionConfig;
use std::path::PathBuf;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, input, k, epsilon, part_out, rest @ ..] = &args[..] else {
        return Err(
            "usage: partition_hgr GRAPH.hgr K EPSILON PART_OUT [THREADS [SEED [CONFIG]]]".into(),
        );
    };
    let seed = rest
        .get(1)
        .map(|s| s.parse::<u64>())
        .transpose()
        .map_err(|e| format!("SEED: {e}"))?;
    let config: PartitionConfig = match rest.get(2) {
        Some(json) => serde_json::from_str(json).map_err(|e| format!("CONFIG: {e}"))?,
        None => PartitionConfig::default(),
    };
    let options = ShardOptions {
        parts: k.parse().map_err(|e| format!("K: {e}"))?,
        epsilon: epsilon.parse().map_err(|e| format!("EPSILON: {e}"))?,
        seed: seed.unwrap_or(0),
        progress: &ix_base::progress::Silent,
    };
    let threads = rest
        .first()
        .map(|t| t.parse::<usize>())
        .transpose()
        .map_err(|e| format!("THREADS: {e}"))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()
        .map_err(|e| e.to_string())?;
    let started = std::time::Instant::now();
    let report = pool
        .install(|| {
            shard_hgr_with(
                &PathBuf::from(input),
                &PathBuf::from(part_out),
                options,
                &config,
            )
        })
        .map_err(|e| e.to_string())?;
    let mut json = serde_json::to_value(&report).map_err(|e| e.to_string())?;
    json["seconds"] = serde_json::json!(started.elapsed().as_secs_f64());
    println!("{json}");
    Ok(())
}
