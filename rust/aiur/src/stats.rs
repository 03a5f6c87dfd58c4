//! Circuit statistics at #432: per-circuit width, height, hits and FFT cost, plus totals.

use crate::exec::Execution;
use crate::Program;
use serde_json::{json, Value};
use std::fmt::Write;

/// Memory circuits are counted as size + 11 columns at #432 (docs/AIUR.md §2).
pub const MEMORY_EXTRA_WIDTH: u64 = 11;

#[derive(Clone, Debug, PartialEq)]
pub struct CircuitRow {
    /// A function name, or `memory[size]`.
    pub name: String,
    pub width: u64,
    pub height: u64,
    pub hits: u64,
    pub cost: f64,
    pub percent: f64,
    pub cumulative_percent: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Stats {
    pub rows: Vec<CircuitRow>,
    pub total_width: u64,
    pub total_cost: f64,
    pub total_hits: u64,
    /// What memoization saves: the cost at height h + hits minus the cost at h.
    pub total_saved: f64,
}

/// FFT cost of a circuit: w·h·log2(max(h, 2)), 0 for an empty circuit.
pub fn fft_cost(width: u64, height: u64) -> f64 {
    if height == 0 {
        return 0.0;
    }
    width as f64 * height as f64 * (height.max(2) as f64).log2()
}

pub fn compute(program: &Program, exec: &Execution) -> Stats {
    let mut rows = Vec::new();
    for (f, table) in program.functions.iter().zip(&exec.functions) {
        if f.has_circuit {
            rows.push(row(
                f.name.clone(),
                f.layout.width(),
                table.height(),
                table.hits(),
            ));
        }
    }
    for &size in &program.memory_sizes {
        let table = exec.memory.iter().find(|(s, _)| *s == size).map(|(_, t)| t);
        let (height, hits) = table.map_or((0, 0), |t| (t.height(), t.hits()));
        rows.push(row(
            format!("memory[{size}]"),
            u64::from(size) + MEMORY_EXTRA_WIDTH,
            height,
            hits,
        ));
    }
    rows.sort_by(|a, b| b.cost.total_cmp(&a.cost).then_with(|| a.name.cmp(&b.name)));
    let total_cost: f64 = rows.iter().map(|r| r.cost).sum();
    let mut cumulative = 0.0;
    for r in &mut rows {
        r.percent = if total_cost > 0.0 {
            100.0 * r.cost / total_cost
        } else {
            0.0
        };
        cumulative += r.percent;
        r.cumulative_percent = cumulative;
    }
    let total_saved = rows
        .iter()
        .map(|r| fft_cost(r.width, r.height + r.hits) - r.cost)
        .sum();
    Stats {
        total_width: rows.iter().map(|r| r.width).sum(),
        total_hits: rows.iter().map(|r| r.hits).sum(),
        total_cost,
        total_saved,
        rows,
    }
}

fn row(name: String, width: u64, height: u64, hits: u64) -> CircuitRow {
    CircuitRow {
        name,
        width,
        height,
        hits,
        cost: fft_cost(width, height),
        percent: 0.0,
        cumulative_percent: 0.0,
    }
}

impl Stats {
    /// The `=== Circuit Statistics ===` table.
    pub fn render(&self) -> String {
        let mut out = String::new();
        let name_width = self
            .rows
            .iter()
            .map(|r| r.name.len())
            .max()
            .unwrap_or(4)
            .max(4);
        let _ = writeln!(out, "=== Circuit Statistics ===");
        let _ = writeln!(out, "Circuits: {}", self.rows.len());
        let _ = writeln!(out, "Total width: {}", self.total_width);
        let _ = writeln!(out, "Total FFT cost: {:.0}", self.total_cost);
        let _ = writeln!(out, "Total cache hits: {}", self.total_hits);
        let _ = writeln!(out, "Total saved cost: {:.0}", self.total_saved);
        let _ = writeln!(
            out,
            "{:<name_width$}  {:>6}  {:>8}  {:>8}  {:>14}  {:>7}  {:>7}",
            "Name", "Width", "Height", "Hits", "FFT cost", "%", "cum %"
        );
        for r in &self.rows {
            let _ = writeln!(
                out,
                "{:<name_width$}  {:>6}  {:>8}  {:>8}  {:>14.0}  {:>7.2}  {:>7.2}",
                r.name, r.width, r.height, r.hits, r.cost, r.percent, r.cumulative_percent
            );
        }
        out
    }

    pub fn to_json(&self) -> Value {
        let rows: Vec<Value> = self
            .rows
            .iter()
            .map(|r| {
                json!({
                    "name": r.name, "width": r.width, "height": r.height, "hits": r.hits,
                    "fft_cost": r.cost, "percent": r.percent, "cumulative_percent": r.cumulative_percent,
                })
            })
            .collect();
        json!({
            "circuits": self.rows.len(),
            "total_width": self.total_width,
            "total_fft_cost": self.total_cost,
            "total_cache_hits": self.total_hits,
            "total_saved_cost": self.total_saved,
            "rows": rows,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cost_formula() {
        assert_eq!(fft_cost(10, 0), 0.0);
        assert_eq!(fft_cost(10, 1), 10.0); // log2(max(1, 2)) = 1
        assert_eq!(fft_cost(10, 2), 20.0);
        assert_eq!(fft_cost(3, 8), 72.0);
    }
}
