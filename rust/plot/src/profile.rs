//! The profile chart: how block heartbeats are distributed (a histogram over
//! power-of-two bins, block counts on a log scale, each bin labelled with its
//! share of all heartbeats) and the most-unfolded producers by name.

use crate::axis::{linear_ticks, short, Frame};
use crate::svg::{Anchor, Font, Svg};

#[derive(Clone, Debug)]
pub struct ProfileChart<'a> {
    pub title: &'a str,
    /// Heartbeats of every block.
    pub heartbeats: &'a [u64],
    pub delta_edges: usize,
    /// The most-unfolded producers, most first: name and consumer blocks.
    pub top_producers: &'a [(String, u64)],
}

/// Blocks and heartbeats in one histogram bin. Bin 0 holds blocks with no
/// heartbeats; bin k ≥ 1 holds [2^(k−1), 2^k).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Bin {
    pub blocks: u64,
    pub heartbeats: u128,
}

/// The power-of-two histogram, up to the last non-empty bin.
pub fn log2_bins(heartbeats: &[u64]) -> Vec<Bin> {
    let mut bins = vec![Bin::default(); 65];
    for &h in heartbeats {
        let bin = &mut bins[(u64::BITS - h.leading_zeros()) as usize];
        bin.blocks += 1;
        bin.heartbeats += u128::from(h);
    }
    let used = bins.iter().rposition(|b| b.blocks > 0).map_or(0, |i| i + 1);
    bins.truncate(used);
    bins
}

/// The lowest heartbeat count of bin `k`.
fn bin_start(k: usize) -> u64 {
    if k == 0 {
        0
    } else {
        1u64 << (k - 1)
    }
}

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 730.0;
const BAR: &str = "#4c78a8";
const PRODUCER: &str = "#f58518";
const PRODUCER_ROWS: usize = 12;
const NAME_CHARS: usize = 52;

/// The chart as SVG text.
pub fn profile_chart(chart: &ProfileChart) -> String {
    let mut svg = Svg::new(WIDTH, HEIGHT);
    let total: u128 = chart.heartbeats.iter().map(|&h| u128::from(h)).sum();
    let mut sorted = chart.heartbeats.to_vec();
    sorted.sort_unstable();
    let median = sorted.get(sorted.len() / 2).copied().unwrap_or(0);
    let max = sorted.last().copied().unwrap_or(0);
    let subtitle = format!(
        "{} blocks · {} delta edges · {} heartbeats · median block {} · heaviest block {}",
        short(chart.heartbeats.len() as f64),
        short(chart.delta_edges as f64),
        short(total as f64),
        short(median as f64),
        short(max as f64),
    );
    svg.headings(chart.title, &subtitle);
    let histogram = Frame::first_panel(250.0);
    histogram_panel(&mut svg, histogram, &log2_bins(chart.heartbeats), total);
    let producers = Frame {
        left: 400.0,
        top: 440.0,
        width: 480.0,
        height: 22.0 * PRODUCER_ROWS as f64,
    };
    producer_panel(&mut svg, producers, chart.top_producers);
    svg.finish()
}

/// A panel's bold title from `left` and its grey caption flush with the
/// panel's right edge, both just above it.
fn panel_heading(svg: &mut Svg, left: f64, frame: Frame, title: &str, caption: &str) {
    let y = frame.top - 22.0;
    svg.text(left, y, Font::new(14.0, Anchor::Start).bold(), title);
    let grey = Font::new(11.0, Anchor::End).color("#555");
    svg.text(frame.right(), y, grey, caption);
}

fn histogram_panel(svg: &mut Svg, frame: Frame, bins: &[Bin], total: u128) {
    panel_heading(
        svg,
        frame.left,
        frame,
        "Heartbeats per block",
        "bars: blocks (log scale) · label: share of all heartbeats",
    );
    let most = bins.iter().map(|b| b.blocks).max().unwrap_or(1).max(1);
    let decades = (most as f64).log10().ceil().max(1.0);
    // Bars start at 0.5 blocks so a bin with one block is still visible.
    let y = |count: f64| {
        let share = ((count.max(0.5)).log10() - 0.5f64.log10()) / (decades - 0.5f64.log10());
        frame.bottom() - share.clamp(0.0, 1.0) * frame.height
    };
    let ticks: Vec<f64> = (0..=decades as i32).map(|d| 10f64.powi(d)).collect();
    frame.y_grid(svg, &ticks, y, short);
    let slot = frame.width / bins.len().max(1) as f64;
    let label_every = (bins.len() / 16).max(1);
    for (k, bin) in bins.iter().enumerate() {
        let x = frame.left + k as f64 * slot;
        if bin.blocks > 0 {
            let top = y(bin.blocks as f64);
            svg.rect(x + slot * 0.1, top, slot * 0.8, frame.bottom() - top, BAR);
            let share = if total > 0 {
                100.0 * bin.heartbeats as f64 / total as f64
            } else {
                0.0
            };
            let label = if share >= 10.0 {
                format!("{share:.0}%")
            } else if bin.heartbeats == 0 {
                "0%".to_string()
            } else if share < 0.05 {
                "<0.1%".to_string()
            } else {
                format!("{share:.1}%")
            };
            svg.text(
                x + slot / 2.0,
                top - 4.0,
                Font::new(10.0, Anchor::Middle).color("#333"),
                &label,
            );
        }
        if k % label_every == 0 {
            frame.x_tick(svg, x, &short(bin_start(k) as f64));
        }
    }
    frame.axes(svg);
    frame.y_title(svg, "blocks");
    frame.x_title(
        svg,
        "heartbeats of the block (bins of powers of two, lower edge shown)",
    );
}

fn producer_panel(svg: &mut Svg, frame: Frame, producers: &[(String, u64)]) {
    panel_heading(
        svg,
        90.0,
        frame,
        "Most-unfolded producers",
        "consumer blocks that unfold its body",
    );
    let shown = &producers[..producers.len().min(PRODUCER_ROWS)];
    if shown.is_empty() {
        svg.text(
            90.0,
            frame.top + 14.0,
            Font::new(12.0, Anchor::Start).color("#555"),
            "no delta unfolds across blocks",
        );
        return;
    }
    let most = shown.iter().map(|(_, n)| *n).max().unwrap_or(1) as f64;
    let top = linear_ticks(most, 4).last().copied().unwrap_or(1.0);
    let row = frame.height / PRODUCER_ROWS as f64;
    for (i, (name, consumers)) in shown.iter().enumerate() {
        let y = frame.top + i as f64 * row;
        svg.text(
            frame.left - 8.0,
            y + row * 0.68,
            Font::new(11.0, Anchor::End),
            &clip(name),
        );
        let width = frame.width * (*consumers as f64 / top);
        svg.rect(frame.left, y + row * 0.15, width, row * 0.7, PRODUCER);
        svg.text(
            frame.left + width + 5.0,
            y + row * 0.68,
            Font::new(11.0, Anchor::Start).color("#333"),
            &short(*consumers as f64),
        );
    }
    svg.line(
        (frame.left, frame.top),
        (frame.left, frame.top + row * shown.len() as f64),
        "#444",
        1.0,
        "",
    );
}

/// A name shortened in the middle so both its namespace and its last
/// component stay readable.
fn clip(name: &str) -> String {
    let chars: Vec<char> = name.chars().collect();
    if chars.len() <= NAME_CHARS {
        return name.to_string();
    }
    let keep = (NAME_CHARS - 1) / 2;
    let head: String = chars[..keep].iter().collect();
    let tail: String = chars[chars.len() - keep..].iter().collect();
    format!("{head}…{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bins_are_powers_of_two() {
        let bins = log2_bins(&[0, 1, 2, 3, 4, 7, 8, 1000]);
        assert_eq!(bins.len(), 11);
        let blocks: Vec<u64> = bins.iter().map(|b| b.blocks).collect();
        assert_eq!(blocks, vec![1, 1, 2, 2, 1, 0, 0, 0, 0, 0, 1]);
        assert_eq!(bins[3].heartbeats, 11);
        assert_eq!(bin_start(10), 512);
        assert_eq!(log2_bins(&[u64::MAX]).len(), 65);
        assert!(log2_bins(&[]).is_empty());
    }

    #[test]
    fn long_names_keep_both_ends() {
        let name =
            "Mathlib.Algebra.Order.Group.Defs.LinearOrderedAddCommGroup.toOrderedAddCommGroup";
        let clipped = clip(name);
        assert!(clipped.chars().count() <= NAME_CHARS);
        assert!(
            clipped.starts_with("Mathlib.Algebra") && clipped.ends_with("toOrderedAddCommGroup")
        );
        assert_eq!(clip("Nat.add"), "Nat.add");
    }

    #[test]
    fn draws_every_producer_and_bin() {
        let producers: Vec<(String, u64)> = (0..5).map(|i| (format!("P{i}<x>"), 100 - i)).collect();
        let heartbeats: Vec<u64> = (0..1000).map(|i| i * i).collect();
        let svg = profile_chart(&ProfileChart {
            title: "p",
            heartbeats: &heartbeats,
            delta_edges: 12,
            top_producers: &producers,
        });
        assert_eq!(svg.matches(&format!("fill=\"{PRODUCER}\"")).count(), 5);
        assert!(svg.contains("P0&lt;x&gt;"));
        let bins = log2_bins(&heartbeats)
            .iter()
            .filter(|b| b.blocks > 0)
            .count();
        assert_eq!(svg.matches(&format!("fill=\"{BAR}\"")).count(), bins);
    }
}
