//! Axis arithmetic: round tick steps, short number labels, and the
//! rectangle a chart panel draws into.

use crate::svg::{Anchor, Font, Svg};

/// Ticks from 0 to at least `max`, about `count` of them, at a step of
/// 1, 2 or 5 times a power of ten. The last tick is the axis' top.
pub fn linear_ticks(max: f64, count: usize) -> Vec<f64> {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let raw = max / count.max(1) as f64;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|&s| s >= raw)
        .unwrap_or(10.0 * power);
    let steps = (max / step).ceil() as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// A short label: 950, 1.2k, 34M, 5.6G.
pub fn short(value: f64) -> String {
    let (unit, suffix) = scale(value, ["k", "M", "G", "T"]);
    format!("{}{suffix}", decimal(value / unit))
}

/// Bytes with a decimal unit: 512 B, 22.3 kB, 93.6 MB.
pub fn bytes(value: f64) -> String {
    let (unit, suffix) = scale(value, ["kB", "MB", "GB", "TB"]);
    let suffix = if suffix.is_empty() { "B" } else { suffix };
    format!("{} {suffix}", decimal(value / unit))
}

/// The largest power of a thousand not above `value`, with its suffix.
fn scale(value: f64, suffixes: [&'static str; 4]) -> (f64, &'static str) {
    let units = [1e3, 1e6, 1e9, 1e12];
    units
        .iter()
        .zip(suffixes)
        .rev()
        .find(|(unit, _)| value.abs() >= **unit)
        .map_or((1.0, ""), |(unit, suffix)| (*unit, suffix))
}

/// Three significant digits at most, no trailing zeros.
fn decimal(value: f64) -> String {
    let decimals = match value.abs() {
        v if v >= 100.0 => 0,
        v if v >= 10.0 => 1,
        _ => 2,
    };
    let text = format!("{value:.decimals$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// The rectangle a panel plots into, in pixels.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Frame {
    /// The first panel under a chart's headings, across the chart's width.
    pub fn first_panel(height: f64) -> Frame {
        Frame {
            left: 90.0,
            top: 90.0,
            width: 850.0,
            height,
        }
    }

    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    pub fn right(&self) -> f64 {
        self.left + self.width
    }

    /// The y pixel of `value` on a linear axis from 0 to `top_value`.
    pub fn y_linear(&self, value: f64, top_value: f64) -> f64 {
        let share = if top_value > 0.0 {
            (value / top_value).clamp(0.0, 1.0)
        } else {
            0.0
        };
        self.bottom() - share * self.height
    }

    /// Horizontal grid lines with labels at `ticks` on the left edge.
    pub fn y_grid(
        &self,
        svg: &mut Svg,
        ticks: &[f64],
        y_of: impl Fn(f64) -> f64,
        label: impl Fn(f64) -> String,
    ) {
        for &t in ticks {
            let y = y_of(t);
            svg.line((self.left, y), (self.right(), y), "#e3e3e3", 1.0, "");
            svg.text(
                self.left - 6.0,
                y + 4.0,
                Font::new(11.0, Anchor::End).color("#555"),
                &label(t),
            );
        }
    }

    /// The axis lines (left and bottom).
    pub fn axes(&self, svg: &mut Svg) {
        svg.line(
            (self.left, self.top),
            (self.left, self.bottom()),
            "#444",
            1.0,
            "",
        );
        svg.line(
            (self.left, self.bottom()),
            (self.right(), self.bottom()),
            "#444",
            1.0,
            "",
        );
    }

    /// A tick on the bottom axis at `x`, labelled below.
    pub fn x_tick(&self, svg: &mut Svg, x: f64, label: &str) {
        let axis = self.bottom();
        svg.line((x, axis), (x, axis + 4.0), "#444", 1.0, "");
        let font = Font::new(11.0, Anchor::Middle).color("#555");
        svg.text(x, axis + 17.0, font, label);
    }

    /// An x-axis title, centred under the tick labels.
    pub fn x_title(&self, svg: &mut Svg, title: &str) {
        let x = self.left + self.width / 2.0;
        svg.text(
            x,
            self.bottom() + 38.0,
            Font::new(12.0, Anchor::Middle),
            title,
        );
    }

    /// A y-axis title, turned, left of the tick labels.
    pub fn y_title(&self, svg: &mut Svg, title: &str) {
        let x = self.left - 58.0;
        let y = self.top + self.height / 2.0;
        svg.text_rotated(x, y, Font::new(12.0, Anchor::Middle), -90.0, title);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_cover_the_maximum_with_round_steps() {
        assert_eq!(
            linear_ticks(93.0, 5),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(linear_ticks(1.0, 4), vec![0.0, 0.5, 1.0]);
        let ticks = linear_ticks(30017.0, 5);
        assert!(*ticks.last().unwrap() >= 30017.0);
        assert!(ticks.len() <= 7);
        assert_eq!(linear_ticks(0.0, 5).last(), Some(&1.0));
    }

    #[test]
    fn short_labels() {
        assert_eq!(short(950.0), "950");
        assert_eq!(short(1200.0), "1.2k");
        assert_eq!(short(34_000_000.0), "34M");
        assert_eq!(short(93_612_345.0), "93.6M");
        assert_eq!(short(0.0), "0");
        assert_eq!(short(0.25), "0.25");
    }

    #[test]
    fn byte_labels() {
        assert_eq!(bytes(512.0), "512 B");
        assert_eq!(bytes(22_302.0), "22.3 kB");
        assert_eq!(bytes(93_600_000.0), "93.6 MB");
    }
}
