//! DAG-shaped inputs (`ix synth --dag D`: O(D) distinct nodes, trees of size
//! 2^D) cost what their DAG costs at every stage: the NDJSON, the compiled
//! `.ixe` and the kernel's work grow linearly in D, and checking a depth at
//! which any tree-sized step would never finish is accepted. Time and memory
//! at four sizes are measured by `bench/dag_linear.sh`, not here.

use std::path::Path;
use std::process::Command;

const IX: &str = env!("CARGO_BIN_EXE_ix");

fn ix(args: &[&str]) -> String {
    let out = Command::new(IX).args(args).output().expect("run ix");
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "ix {args:?}: {text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    text
}

fn bytes(path: &Path) -> u64 {
    std::fs::metadata(path).expect("stat").len()
}

/// (NDJSON bytes, `.ixe` bytes, total heartbeats) at depth `depth`.
fn stage_sizes(dir: &Path, depth: u32) -> (u64, u64, u64) {
    let ndjson = dir.join(format!("dag{depth}.ndjson"));
    let ixe = dir.join(format!("dag{depth}.ixe"));
    let (n, e) = (ndjson.display().to_string(), ixe.display().to_string());
    ix(&["synth", "--dag", &depth.to_string(), "-o", &n]);
    ix(&["compile", &n, "-o", &e, "-q"]);
    let report: serde_json::Value =
        serde_json::from_str(&ix(&["check", &e, "--json", "-q"])).expect("json report");
    assert_eq!(report["verdict"], "accept", "{report}");
    let from_ndjson: serde_json::Value =
        serde_json::from_str(&ix(&["check", &n, "--json", "-q"])).expect("json report");
    assert_eq!(from_ndjson["verdict"], "accept", "{from_ndjson}");
    let heartbeats = report["total_heartbeats"].as_u64().expect("heartbeats");
    (bytes(&ndjson), bytes(&ixe), heartbeats)
}

#[test]
fn every_stage_grows_linearly_in_the_dag() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sizes: Vec<(u64, u64, u64)> = [250, 500, 1000, 2000]
        .iter()
        .map(|&d| stage_sizes(dir.path(), d))
        .collect();
    for pair in sizes.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // Doubling the depth at most doubles each figure, plus a constant
        // (the prelude); a tree-sized stage would square it.
        assert!(b.0 <= 2 * a.0 + 4096, "NDJSON {a:?} -> {b:?}");
        assert!(b.1 <= 2 * a.1 + 4096, ".ixe {a:?} -> {b:?}");
        assert!(b.2 <= 2 * a.2 + 4096, "heartbeats {a:?} -> {b:?}");
    }
}
