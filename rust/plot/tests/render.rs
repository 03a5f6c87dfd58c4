//! The charts render: `resvg` (a pure-Rust SVG renderer, so the test needs
//! nothing installed) draws each at its declared size, and far more of its
//! pixels are inked than on a blank canvas.

use ix_plot::{profile_chart, shard_chart, ProfileChart, ShardChart};

/// Renders `svg` and returns its size and how many pixels are not white.
fn render(name: &str, svg: &str) -> ((u32, u32), usize) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default())
        .unwrap_or_else(|e| panic!("{name}: not a valid SVG: {e}"));
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height())
        .unwrap_or_else(|| panic!("{name}: empty canvas"));
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::default(),
        &mut pixmap.as_mut(),
    );
    let inked = pixmap
        .pixels()
        .iter()
        .filter(|p| (p.red(), p.green(), p.blue()) != (255, 255, 255))
        .count();
    ((size.width(), size.height()), inked)
}

fn assert_has_content(name: &str, svg: &str, size: (u32, u32)) {
    let (drawn, inked) = render(name, svg);
    assert_eq!(drawn, size, "{name}");
    let head = &svg[..svg.find('>').unwrap() + 1];
    let blank = format!("{head}<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/></svg>\n");
    let (_, blank_inked) = render("blank", &blank);
    assert_eq!(blank_inked, 0);
    // Text is not drawn (no fonts); bars, axes and bands must cover >= 2%.
    let total = (size.0 * size.1) as usize;
    assert!(
        inked * 50 > total,
        "{name}: {inked} of {total} pixels inked"
    );
}

#[test]
fn shard_chart_renders() {
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
    assert_has_content("shards", &svg, (960, 640));
}

#[test]
fn profile_chart_renders() {
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
    assert_has_content("profile", &svg, (960, 730));
}
