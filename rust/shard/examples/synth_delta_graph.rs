//! Writes the synthetic delta-unfold graph (`ixesp::synth`) as a profile
//! and/or an hMETIS fmt-11 hypergraph. At `--blocks 631000` it has mathlib's
//! scale (about 12.4M pins, heavy-tailed weights, hub nets of ~10^5 pins).
//! Usage: `synth_delta_graph BLOCKS SEED [--ixesp FILE] [--hgr FILE]`.

use ix_shard::{hmetis, Hypergraph};
use std::io::{BufWriter, Write};
use std::path::Path;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().collect();
    let [_, blocks, seed, outputs @ ..] = &args[..] else {
        return Err("usage: synth_delta_graph BLOCKS SEED [--ixesp FILE] [--hgr FILE]".into());
    };
    let params = ixesp::synth::Params {
        blocks: blocks.parse().map_err(|e| format!("BLOCKS: {e}"))?,
        seed: seed.parse().map_err(|e| format!("SEED: {e}"))?,
        ..Default::default()
    };
    let profile = ixesp::synth::generate(&params);
    let h = Hypergraph::from_profile(&profile);
    eprintln!(
        "blocks {} edges {} nets {} pins {} total heartbeats {}",
        profile.block_count(),
        profile.edge_count(),
        h.net_count(),
        h.pin_count(),
        h.total_vertex_weight()
    );
    for pair in outputs.chunks(2) {
        match pair {
            [flag, path] if flag == "--ixesp" => profile
                .write_file(Path::new(path))
                .map_err(|e| e.to_string())?,
            [flag, path] if flag == "--hgr" => {
                let file = std::fs::File::create(path).map_err(|e| format!("{path}: {e}"))?;
                let mut out = BufWriter::new(file);
                hmetis::write(&h, &mut out)
                    .and_then(|_| out.flush())
                    .map_err(|e| format!("{path}: {e}"))?;
            }
            _ => return Err(format!("unknown output option {pair:?}")),
        }
    }
    Ok(())
}
