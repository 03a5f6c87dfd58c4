//! The charts render: `rsvg-convert` (librsvg) turns each into a PNG that is
//! much larger than the PNG of a blank canvas of the same size, i.e. it has
//! content. CI installs librsvg2-bin (see .ci/run).

use ix_plot::{profile_chart, shard_chart, ProfileChart, ShardChart};
use std::path::Path;
use std::process::Command;

/// Renders `svg` to a PNG next to it and returns the PNG's bytes.
fn render(dir: &Path, name: &str, svg: &str) -> Vec<u8> {
    let svg_path = dir.join(format!("{name}.svg"));
    let png_path = dir.join(format!("{name}.png"));
    std::fs::write(&svg_path, svg).unwrap();
    let status = Command::new("rsvg-convert")
        .arg("-o")
        .arg(&png_path)
        .arg(&svg_path)
        .status()
        .expect("rsvg-convert is needed (apt-get install librsvg2-bin)");
    assert!(status.success(), "rsvg-convert failed on {name}.svg");
    let png = std::fs::read(&png_path).unwrap();
    assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n", "{name}: not a PNG");
    png
}

/// Width and height from the PNG's IHDR chunk.
fn dimensions(png: &[u8]) -> (u32, u32) {
    let be = |at: usize| u32::from_be_bytes(png[at..at + 4].try_into().unwrap());
    (be(16), be(20))
}

/// A blank SVG of the same size as `svg`, rendered.
fn blank_like(dir: &Path, svg: &str) -> Vec<u8> {
    let head = &svg[..svg.find('>').unwrap() + 1];
    let blank = format!("{head}<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/></svg>\n");
    render(dir, "blank", &blank)
}

fn assert_has_content(dir: &Path, name: &str, svg: &str, size: (u32, u32)) {
    let png = render(dir, name, svg);
    assert_eq!(dimensions(&png), size, "{name}");
    let blank = blank_like(dir, svg);
    assert!(
        png.len() > 10 * blank.len(),
        "{name}: {} PNG bytes vs {} for a blank canvas",
        png.len(),
        blank.len()
    );
}

#[test]
fn shard_chart_renders() {
    let dir = tempfile::tempdir().unwrap();
    let heartbeats: Vec<u64> = (0..128u64).map(|i| 50_000 + (i * 7919) % 4000).collect();
    let ingress: Vec<u64> = (0..128u64)
        .map(|i| 200_000 + (i * 104_729) % 900_000)
        .collect();
    let svg = shard_chart(&ShardChart {
        title: "ix shard: synthetic, N = 128",
        heartbeats: &heartbeats,
        ingress: &ingress,
        epsilon: 0.05,
        largest_block: 40_000,
    });
    assert_has_content(dir.path(), "shards", &svg, (960, 640));
}

#[test]
fn profile_chart_renders() {
    let dir = tempfile::tempdir().unwrap();
    let heartbeats: Vec<u64> = (0..20_000u64)
        .map(|i| (i * 2_654_435_761) % (1 << (i % 20)))
        .collect();
    let producers: Vec<(String, u64)> = (0..12)
        .map(|i| {
            (
                format!("Mathlib.Algebra.Group.Defs.instMonoid_{i}"),
                5000 / (i + 1),
            )
        })
        .collect();
    let svg = profile_chart(&ProfileChart {
        title: "ix profile: synthetic",
        heartbeats: &heartbeats,
        delta_edges: 123_456,
        top_producers: &producers,
    });
    assert_has_content(dir.path(), "profile", &svg, (960, 730));
}
