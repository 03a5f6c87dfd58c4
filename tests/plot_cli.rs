//! End-to-end tests of `--plot`: `ix profile` and `ix shard` draw SVG charts
//! of what they computed (names of the most-unfolded producers, one bar per
//! shard), and `--plot` on an `.hgr` input is refused with nothing written.

use std::path::Path;
use std::process::{Command, Output};

fn ix(args: &[&str]) -> Output {
    let output = Command::new(env!("CARGO_BIN_EXE_ix"))
        .args(args)
        .output()
        .expect("run ix");
    assert!(
        output.status.success() || args.contains(&"--part-out"),
        "ix {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn s(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn read_svg(path: &Path) -> String {
    let svg = std::fs::read_to_string(path).unwrap();
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
    svg
}

#[test]
fn profile_and_shard_draw_their_charts() {
    let dir = tempfile::tempdir().unwrap();
    let ndjson = dir.path().join("lib.ndjson");
    let ixe = dir.path().join("lib.ixe");
    let ixesp = dir.path().join("lib.ixesp");
    let ixes = dir.path().join("lib.ixes");
    let profile_svg = dir.path().join("profile.svg");
    let shards_svg = dir.path().join("shards.svg");
    ix(&["synth", "--blocks", "400", "-o", s(&ndjson)]);
    ix(&["compile", "-q", s(&ndjson), "-o", s(&ixe)]);
    ix(&["check", "-q", s(&ixe)]);
    let profiled = ix(&[
        "profile",
        "-q",
        "--json",
        s(&ixe),
        "-o",
        s(&ixesp),
        "--plot",
        s(&profile_svg),
    ]);
    let summary: serde_json::Value = serde_json::from_slice(&profiled.stdout).unwrap();
    let svg = read_svg(&profile_svg);
    let producers = summary["most_unfolded_producers"].as_array().unwrap();
    assert!(!producers.is_empty());
    for p in producers {
        let name = p["name"].as_str().unwrap();
        assert!(svg.contains(&format!(">{name}</text>")), "{name} not drawn");
    }

    ix(&[
        "shard",
        "-q",
        s(&ixesp),
        "-n",
        "5",
        "-o",
        s(&ixes),
        "--plot",
        s(&shards_svg),
    ]);
    let svg = read_svg(&shards_svg);
    assert!(svg.contains("N = 5"));
    assert!(svg.contains("largest block"));
}

#[test]
fn plot_of_an_hgr_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let hgr = dir.path().join("g.hgr");
    std::fs::write(&hgr, "2 3\n1 2\n2 3\n").unwrap();
    let plot = dir.path().join("g.svg");
    let part = dir.path().join("g.part");
    let output = ix(&[
        "shard",
        s(&hgr),
        "-n",
        "2",
        "--part-out",
        s(&part),
        "--plot",
        s(&plot),
    ]);
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("--plot"));
    assert!(!plot.exists() && !part.exists());
}
