//! The shard chart: per-shard heartbeats against the mean and the ε band,
//! the atomic-block floor, and per-shard cross-shard ingress below.

use crate::axis::{bytes, linear_ticks, short, Frame};
use crate::svg::{Anchor, Font, Svg};

/// What the chart shows, one entry per shard in shard-id order.
#[derive(Clone, Debug)]
pub struct ShardChart<'a> {
    pub title: &'a str,
    pub heartbeats: &'a [u64],
    /// Bytes of foreign blocks each shard ingresses.
    pub ingress: &'a [u64],
    /// The balance tolerance: a shard may weigh up to (1 + ε) × mean.
    pub epsilon: f64,
    /// Heartbeats of the heaviest single block: no shard can weigh less.
    pub largest_block: u64,
}

const WIDTH: f64 = 960.0;
const HEIGHT: f64 = 640.0;
const BAR: &str = "#4c78a8";
const OVER: &str = "#e45756";
const BAND: &str = "#f58518";
const FLOOR: &str = "#8e44ad";
const INGRESS: &str = "#54a24b";

/// The chart as SVG text.
pub fn shard_chart(chart: &ShardChart) -> String {
    let mut svg = Svg::new(WIDTH, HEIGHT);
    let shards = chart.heartbeats.len();
    let total: u64 = chart.heartbeats.iter().sum();
    let mean = total as f64 / shards.max(1) as f64;
    let max = chart.heartbeats.iter().copied().max().unwrap_or(0);
    let ingress_total: u64 = chart.ingress.iter().sum();
    let subtitle = format!(
        "{shards} shards · mean {} heartbeats · max/mean {:.3} · ε = {} · total ingress {}",
        short(mean),
        if mean > 0.0 { max as f64 / mean } else { 1.0 },
        chart.epsilon,
        bytes(ingress_total as f64),
    );
    svg.headings(chart.title, &subtitle);
    let upper = Frame::first_panel(300.0);
    let lower = Frame {
        top: 440.0,
        height: 150.0,
        ..upper
    };
    legend(&mut svg, 66.0);
    heartbeat_panel(&mut svg, upper, chart, mean);
    ingress_panel(&mut svg, lower, chart.ingress);
    shard_axis(&mut svg, lower, shards);
    svg.finish()
}

fn legend(svg: &mut Svg, y: f64) {
    let font = Font::new(11.0, Anchor::Start);
    let mut x = 90.0;
    let mut entry = |svg: &mut Svg, label: &str, draw: &dyn Fn(&mut Svg, f64)| {
        draw(svg, x);
        svg.text(x + 24.0, y + 4.0, font, label);
        x += 34.0 + 6.3 * label.chars().count() as f64;
    };
    entry(svg, "shard heartbeats", &|svg, x| {
        svg.rect(x, y - 6.0, 18.0, 10.0, BAR)
    });
    entry(svg, "over (1 + ε) × mean", &|svg, x| {
        svg.rect(x, y - 6.0, 18.0, 10.0, OVER)
    });
    entry(svg, "mean", &|svg, x| {
        svg.line((x, y), (x + 18.0, y), "#222", 2.0, "")
    });
    entry(svg, "mean ± ε", &|svg, x| {
        svg.rect_with(x, y - 6.0, 18.0, 10.0, BAND, "fill-opacity=\"0.25\"")
    });
    entry(svg, "largest block (atomic-block floor)", &|svg, x| {
        svg.line((x, y), (x + 18.0, y), FLOOR, 2.0, "5 3")
    });
    entry(svg, "cross-shard ingress", &|svg, x| {
        svg.rect(x, y - 6.0, 18.0, 10.0, INGRESS)
    });
}

fn heartbeat_panel(svg: &mut Svg, frame: Frame, chart: &ShardChart, mean: f64) {
    let limit = (1.0 + chart.epsilon) * mean;
    let max = chart.heartbeats.iter().copied().max().unwrap_or(0) as f64;
    let ticks = linear_ticks(max.max(limit).max(chart.largest_block as f64) * 1.05, 5);
    let top = ticks.last().copied().unwrap_or(1.0);
    let y = |v: f64| frame.y_linear(v, top);
    frame.y_grid(svg, &ticks, y, short);
    let band_low = y((1.0 - chart.epsilon).max(0.0) * mean);
    svg.rect_with(
        frame.left,
        y(limit),
        frame.width,
        band_low - y(limit),
        BAND,
        "fill-opacity=\"0.25\"",
    );
    bars(svg, frame, chart.heartbeats, top, |v| {
        if v as f64 > limit {
            OVER
        } else {
            BAR
        }
    });
    svg.line(
        (frame.left, y(mean)),
        (frame.right(), y(mean)),
        "#222",
        2.0,
        "",
    );
    let floor = y(chart.largest_block as f64);
    svg.line(
        (frame.left, floor),
        (frame.right(), floor),
        FLOOR,
        2.0,
        "5 3",
    );
    let floor_label = format!("largest block {}", short(chart.largest_block as f64));
    // A white tag keeps the label readable over the bars.
    let tag_width = 6.5 * floor_label.chars().count() as f64 + 8.0;
    let tag = "fill-opacity=\"0.9\" rx=\"2\"";
    svg.rect_with(
        frame.right() - tag_width,
        floor - 17.0,
        tag_width,
        15.0,
        "#fff",
        tag,
    );
    let font = Font::new(11.0, Anchor::End).color(FLOOR).bold();
    svg.text(frame.right() - 4.0, floor - 5.0, font, &floor_label);
    frame.axes(svg);
    frame.y_title(svg, "heartbeats per shard");
}

fn ingress_panel(svg: &mut Svg, frame: Frame, ingress: &[u64]) {
    let max = ingress.iter().copied().max().unwrap_or(0) as f64;
    let ticks = linear_ticks(max * 1.05, 3);
    let top = ticks.last().copied().unwrap_or(1.0);
    frame.y_grid(svg, &ticks, |v| frame.y_linear(v, top), bytes);
    bars(svg, frame, ingress, top, |_| INGRESS);
    frame.axes(svg);
    frame.y_title(svg, "ingress per shard");
}

/// One bar per value, left to right, filling the frame's width.
fn bars(
    svg: &mut Svg,
    frame: Frame,
    values: &[u64],
    top: f64,
    color: impl Fn(u64) -> &'static str,
) {
    let slot = frame.width / values.len().max(1) as f64;
    let gap = if slot >= 4.0 { slot * 0.15 } else { 0.0 };
    for (i, &v) in values.iter().enumerate() {
        let y = frame.y_linear(v as f64, top);
        svg.rect(
            frame.left + i as f64 * slot + gap / 2.0,
            y,
            slot - gap,
            frame.bottom() - y,
            color(v),
        );
    }
}

/// Shard ids under the lower panel, at round intervals.
fn shard_axis(svg: &mut Svg, frame: Frame, shards: usize) {
    let slot = frame.width / shards.max(1) as f64;
    let ticks = linear_ticks(shards.saturating_sub(1) as f64, 8);
    let step = ticks.get(1).copied().unwrap_or(1.0).max(1.0);
    let mut id = 0.0;
    while id < shards as f64 {
        let x = frame.left + (id + 0.5) * slot;
        frame.x_tick(svg, x, &format!("{id}"));
        id += step;
    }
    frame.x_title(svg, "shard id");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> (Vec<u64>, Vec<u64>) {
        let heartbeats = (0..64u64).map(|i| 1000 + (i * 37) % 90).collect::<Vec<_>>();
        let ingress = (0..64u64).map(|i| 5000 + (i * 7919) % 3000).collect();
        (heartbeats, ingress)
    }

    #[test]
    fn one_bar_per_shard_in_each_panel() {
        let (heartbeats, ingress) = sample();
        let svg = shard_chart(&ShardChart {
            title: "t",
            heartbeats: &heartbeats,
            ingress: &ingress,
            epsilon: 0.05,
            largest_block: 300,
        });
        let bars = svg.matches(&format!("fill=\"{BAR}\"")).count();
        let ingress_bars = svg.matches(&format!("fill=\"{INGRESS}\"")).count();
        // One more of each for the legend swatch.
        assert_eq!(bars, 65);
        assert_eq!(ingress_bars, 65);
        assert!(svg.contains("largest block 300"));
    }

    #[test]
    fn shards_over_the_limit_are_marked() {
        let (mut heartbeats, ingress) = sample();
        heartbeats[3] = 5000;
        let svg = shard_chart(&ShardChart {
            title: "t",
            heartbeats: &heartbeats,
            ingress: &ingress,
            epsilon: 0.05,
            largest_block: 5000,
        });
        assert_eq!(svg.matches(&format!("fill=\"{OVER}\"")).count(), 2);
    }

    #[test]
    fn no_shards_still_draws() {
        let svg = shard_chart(&ShardChart {
            title: "empty",
            heartbeats: &[],
            ingress: &[],
            epsilon: 0.05,
            largest_block: 0,
        });
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>\n"));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }
}
