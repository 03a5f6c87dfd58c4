//! Assembling the circuit program: shared fragments plus one side of each
//! #432 optimization ([`Variant`]).

use std::fmt;

/// A circuit fragment: its file name under `circuits/` and its text.
type Fragment = (&'static str, &'static str);

/// `circuits/NAME` as a [`Fragment`].
macro_rules! fragment {
    ($name:literal) => {
        ($name, include_str!(concat!("../circuits/", $name)))
    };
}

/// Fragments every program contains, in order.
const COMMON: &[Fragment] = &[
    fragment!("list.aiur"),
    fragment!("bytes32.aiur"),
    fragment!("blake3_core.aiur"),
    fragment!("blake3_stream.aiur"),
    fragment!("rbtree_common.aiur"),
    fragment!("ixon.aiur"),
    fragment!("ingress.aiur"),
    fragment!("claim.aiur"),
    fragment!("kernel_levels.aiur"),
    fragment!("kernel_expr.aiur"),
    fragment!("kernel_typing.aiur"),
    fragment!("kernel_nat.aiur"),
    fragment!("kernel_check.aiur"),
    fragment!("kernel_recursor.aiur"),
    fragment!("kernel_quot.aiur"),
    fragment!("kernel_nested.aiur"),
];

/// Each knob's fragments, in [`KNOBS`] order: (old side, new side).
const KNOB_FRAGMENTS: [(Fragment, Fragment); 6] = [
    (fragment!("convert_val.aiur"), fragment!("convert_ptr.aiur")),
    (
        fragment!("rbtree_cmp_two.aiur"),
        fragment!("rbtree_cmp_one.aiur"),
    ),
    (
        fragment!("rbtree_balance_mono.aiur"),
        fragment!("rbtree_balance_split.aiur"),
    ),
    (
        fragment!("lookup_linear.aiur"),
        fragment!("lookup_map_first.aiur"),
    ),
    (
        fragment!("env_per_leaf.aiur"),
        fragment!("env_ingest_once.aiur"),
    ),
    (fragment!("kernel_off.aiur"), fragment!("kernel_on.aiur")),
];

/// Test-only entry points.
const TESTING: &str = include_str!("../circuits/testing.aiur");

/// Which side of each #432 optimization a program uses. The default is the
/// #432 side of every one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Variant {
    /// `convert_expr(&Expr)` (true) or `convert_expr(Expr)`.
    pub convert_by_pointer: bool,
    /// One `u32_less_than` per RB-tree node (true) or two.
    pub one_comparison: bool,
    /// Colour dispatch + `balance_fix` (true) or one monolithic `balance`.
    pub split_balance: bool,
    /// RB-tree probe then content scan (true) or content scan only.
    pub map_first_lookup: bool,
    /// `ingress_env` once over all leaves (true) or `check_env_iter` per leaf.
    pub ingest_once: bool,
    /// The kernel type-checks the constants (true), or ingress runs alone
    /// (to measure it; such a run is never an accept).
    pub kernel: bool,
}

impl Default for Variant {
    fn default() -> Self {
        Variant::NEW
    }
}

/// The knobs by name, for `--variant` and reports: (name, old side, new side).
pub const KNOBS: [(&str, &str, &str); 6] = [
    ("convert", "value", "pointer"),
    ("compare", "two", "one"),
    ("balance", "monolithic", "split"),
    ("lookup", "linear", "map-first"),
    ("env", "per-leaf", "ingest-once"),
    ("kernel", "off", "on"),
];

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown variant `{0}`: use `new`, `old`, or comma-separated knob=side ({sides})", sides = knob_help())]
pub struct VariantError(pub String);

fn knob_help() -> String {
    KNOBS
        .iter()
        .map(|(k, old, new)| format!("{k}={old}|{new}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Variant {
    /// Every #432 optimization applied.
    pub const NEW: Variant = Variant {
        convert_by_pointer: true,
        one_comparison: true,
        split_balance: true,
        map_first_lookup: true,
        ingest_once: true,
        kernel: true,
    };
    /// None applied (the seed before #432, which had its kernel).
    pub const OLD: Variant = Variant {
        convert_by_pointer: false,
        one_comparison: false,
        split_balance: false,
        map_first_lookup: false,
        ingest_once: false,
        kernel: true,
    };

    fn knob(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "convert" => &mut self.convert_by_pointer,
            "compare" => &mut self.one_comparison,
            "balance" => &mut self.split_balance,
            "lookup" => &mut self.map_first_lookup,
            "env" => &mut self.ingest_once,
            "kernel" => &mut self.kernel,
            _ => return None,
        })
    }

    fn sides(&self) -> [bool; 6] {
        [
            self.convert_by_pointer,
            self.one_comparison,
            self.split_balance,
            self.map_first_lookup,
            self.ingest_once,
            self.kernel,
        ]
    }

    /// Parses `new`, `old`, or `knob=side,...` applied on top of `new`
    /// (a spec may start with `old,` to apply the knobs on top of `old`).
    pub fn parse(spec: &str) -> Result<Variant, VariantError> {
        let bad = || VariantError(spec.to_string());
        let mut v = Variant::NEW;
        for (i, part) in spec.split(',').map(str::trim).enumerate() {
            match part {
                "new" if i == 0 => v = Variant::NEW,
                "old" if i == 0 => v = Variant::OLD,
                _ => {
                    let (name, side) = part.split_once('=').ok_or_else(bad)?;
                    let (_, old, new) = KNOBS.iter().find(|k| k.0 == name).ok_or_else(bad)?;
                    let value = match side {
                        s if s == *new => true,
                        s if s == *old => false,
                        _ => return Err(bad()),
                    };
                    *v.knob(name).ok_or_else(bad)? = value;
                }
            }
        }
        Ok(v)
    }

    /// The variant with one knob flipped to its old side.
    pub fn with_old(mut self, name: &str) -> Option<Variant> {
        *self.knob(name)? = false;
        Some(self)
    }
}

impl fmt::Display for Variant {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = KNOBS
            .iter()
            .zip(self.sides())
            .map(|((k, old, new), on)| format!("{k}={}", if on { new } else { old }))
            .collect();
        f.write_str(&parts.join(","))
    }
}

/// The program source for `variant`, optionally with the test entries.
pub fn program_source(variant: Variant, with_tests: bool) -> String {
    let chosen = KNOB_FRAGMENTS
        .iter()
        .zip(variant.sides())
        .map(|(&(old, new), on)| if on { new } else { old });
    let mut src = String::new();
    for (name, text) in COMMON.iter().copied().chain(chosen) {
        src.push_str(&format!("// ---- {name}\n"));
        src.push_str(text);
    }
    if with_tests {
        src.push_str("// ---- testing.aiur\n");
        src.push_str(TESTING);
    }
    src
}

/// The pipeline stage a circuit belongs to, for cost tables: by the fragment
/// that defines the function (generic instances by their base name), or
/// `memory` for memory circuits.
pub fn stage_of(circuit: &str) -> &'static str {
    if circuit.starts_with("memory[") {
        return "memory";
    }
    let base = circuit.split('<').next().unwrap_or(circuit);
    let defines = |text: &str| {
        text.lines().any(|l| {
            let l = l.trim_start().trim_start_matches("pub ");
            l.strip_prefix("fn ")
                .and_then(|rest| rest.strip_prefix(base))
                .is_some_and(|rest| rest.starts_with('(') || rest.starts_with('<'))
        })
    };
    let file = COMMON
        .iter()
        .copied()
        .chain(KNOB_FRAGMENTS.iter().flat_map(|&(old, new)| [new, old]))
        .find(|(_, text)| defines(text))
        .map_or("", |(name, _)| name);
    STAGES
        .iter()
        .find(|(prefix, _)| file.starts_with(prefix))
        .map_or("other", |(_, stage)| *stage)
}

/// Fragment name prefix → stage.
const STAGES: &[(&str, &str)] = &[
    ("blake3", "blake3"),
    ("ixon", "parsing"),
    ("bytes32", "parsing"),
    ("list", "lists"),
    ("ingress", "layout"),
    ("rbtree", "layout"),
    ("lookup", "layout"),
    ("convert", "conversion"),
    ("kernel", "kernel"),
    ("claim", "claims"),
    ("env", "claims"),
];

/// Total FFT cost per stage, largest first.
pub fn stage_costs(stats: &ix_aiur::Stats) -> Vec<(&'static str, f64)> {
    let mut out: Vec<(&'static str, f64)> = Vec::new();
    for row in &stats.rows {
        let stage = stage_of(&row.name);
        match out.iter_mut().find(|(s, _)| *s == stage) {
            Some((_, c)) => *c += row.cost,
            None => out.push((stage, row.cost)),
        }
    }
    out.sort_by(|a, b| b.1.total_cmp(&a.1));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variant_specs() {
        assert_eq!(Variant::parse("new"), Ok(Variant::NEW));
        assert_eq!(Variant::parse("old"), Ok(Variant::OLD));
        let v = Variant::parse("env=per-leaf").unwrap();
        assert_eq!(v, Variant::NEW.with_old("env").unwrap());
        assert_eq!(Variant::parse(&v.to_string()), Ok(v));
        assert_eq!(Variant::parse(&Variant::OLD.to_string()), Ok(Variant::OLD));
        assert!(Variant::parse("env=sideways").is_err());
        assert!(Variant::parse("bogus").is_err());
    }

    #[test]
    fn circuits_have_stages() {
        assert_eq!(stage_of("blake3_g"), "blake3");
        assert_eq!(stage_of("get_expr"), "parsing");
        assert_eq!(stage_of("list_get<&KExpr>"), "lists");
        assert_eq!(stage_of("rbtree_map_ins<G>"), "layout");
        assert_eq!(stage_of("convert_expr"), "conversion");
        assert_eq!(stage_of("is_def_eq"), "kernel");
        assert_eq!(stage_of("univ_leq"), "kernel");
        assert_eq!(stage_of("verify_claim"), "claims");
        assert_eq!(stage_of("memory[3]"), "memory");
    }

    #[test]
    fn every_variant_compiles() {
        for bits in 0..64u32 {
            let v = Variant {
                convert_by_pointer: bits & 1 != 0,
                one_comparison: bits & 2 != 0,
                split_balance: bits & 4 != 0,
                map_first_lookup: bits & 8 != 0,
                ingest_once: bits & 16 != 0,
                kernel: bits & 32 != 0,
            };
            let src = program_source(v, false);
            if let Err(e) = ix_aiur::compile(&src) {
                let line = e.pos.line as usize;
                let text = src.lines().nth(line.saturating_sub(1)).unwrap_or("");
                panic!("{v}: {e}\n{text}");
            }
        }
    }
}
