//! Reading a lean4export file straight into kernel terms: no `ix_lean` copy
//! of the terms is ever built, so a check holds one representation only.

use crate::expr::{Expr, Literal};
use crate::level::{Level, LevelData, MAX_DEPTH};
use ix_lean::ndjson::ReadError;
use ix_lean::terms::{Node, TermBuilder};
use ix_lean::{Declaration, Environment, Name};
use std::io::BufRead;

/// An export read into kernel terms.
pub struct Export {
    pub env: Environment<Expr>,
    /// Whether some level was deeper than `level::MAX_DEPTH` (each was
    /// replaced by [`too_deep_marker`]; the declarations using one are
    /// declined, see [`mentions_too_deep_level`]).
    pub deep_levels: bool,
}

/// Reads an export; `label` names it in errors.
pub fn read_export(input: impl BufRead, label: &str) -> Result<Export, ReadError> {
    let (env, terms) = ix_lean::ndjson::read_into(input, label, KernelTerms::default())?;
    Ok(Export {
        env,
        deep_levels: terms.deep_levels,
    })
}

/// Builds kernel terms; a level deeper than `MAX_DEPTH` becomes the marker
/// parameter, so nothing downstream ever walks it.
#[derive(Default)]
struct KernelTerms {
    deep_levels: bool,
}

impl KernelTerms {
    fn bounded(&mut self, l: Level) -> Level {
        if l.depth() <= MAX_DEPTH {
            return l;
        }
        self.deep_levels = true;
        Level::param(too_deep_marker())
    }
}

/// The parameter standing for a level too deep to check. A declaration that
/// happens to use a parameter of this name in a file with deep levels is
/// declined too, which is never an accept.
pub fn too_deep_marker() -> Name {
    Name::from_dotted("_ix_kernel.level_too_deep")
}

impl TermBuilder for KernelTerms {
    type Level = Level;
    type Expr = Expr;

    fn zero(&mut self) -> Level {
        Level::zero()
    }
    fn succ(&mut self, l: Level) -> Level {
        self.bounded(Level::succ(l))
    }
    fn max(&mut self, a: Level, b: Level) -> Level {
        self.bounded(Level::max(a, b))
    }
    fn imax(&mut self, a: Level, b: Level) -> Level {
        self.bounded(Level::imax(a, b))
    }
    fn param(&mut self, name: Name) -> Level {
        Level::param(name)
    }
    fn expr(&mut self, node: Node<Level, Expr>) -> Expr {
        match node {
            Node::BVar(i) => Expr::bvar(i),
            Node::Sort(l) => Expr::sort(l),
            Node::Const(n, ls) => Expr::cnst(n, ls),
            Node::App(f, a) => Expr::app(f, a),
            Node::Lam(name, info, ty, body) => Expr::lam(name, info, ty, body),
            Node::Pi(name, info, ty, body) => Expr::pi(name, info, ty, body),
            Node::Let(name, ty, value, body, non_dep) => Expr::let_(name, ty, value, body, non_dep),
            Node::Lit(ix_lean::Literal::Nat(n)) => Expr::lit(Literal::Nat(n)),
            Node::Lit(ix_lean::Literal::Str(s)) => Expr::lit(Literal::Str(s)),
            Node::Proj(s, i, e) => Expr::proj(s, i, e),
        }
    }
}

/// Whether any term of `decl` mentions the too-deep marker.
pub fn mentions_too_deep_level(decl: &Declaration<Expr>) -> bool {
    let marker = too_deep_marker();
    let mut found = false;
    decl.map_terms(&mut |e: &Expr| {
        found = found || e.has_level_param() && mentions_param(e, &marker);
    });
    found
}

/// Walks the distinct nodes that have level parameters below them.
fn mentions_param(root: &Expr, name: &Name) -> bool {
    use crate::expr::ExprData;
    let mut seen = rustc_hash::FxHashSet::default();
    let mut todo = vec![root.clone()];
    while let Some(e) = todo.pop() {
        if !e.has_level_param() || !seen.insert(e.ptr()) {
            continue;
        }
        let hit = match e.data() {
            ExprData::Sort(l) => level_mentions(l, name),
            ExprData::Const(_, ls) => ls.iter().any(|l| level_mentions(l, name)),
            _ => false,
        };
        if hit {
            return true;
        }
        e.map_children(|c, _| {
            todo.push(c.clone());
            c.clone()
        });
    }
    false
}

fn level_mentions(l: &Level, name: &Name) -> bool {
    let mut todo = vec![l];
    while let Some(l) = todo.pop() {
        match l.data() {
            LevelData::Param(n) if n == name => return true,
            LevelData::Succ(a) => todo.push(a),
            LevelData::Max(a, b) | LevelData::IMax(a, b) => todo.extend([a, b]),
            _ => {}
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{check_export, CheckOptions, KernelError};

    const META: &str = r#"{"meta":{"exporter":{"name":"t","version":"0"},"format":{"version":"3.1.0"},"lean":{"githash":"","version":"4"}}}"#;

    /// An export whose level 1..=depth is a `succ` chain; `A : Sort 0` and
    /// then `B : Sort (succ^depth 0)`, preceded by `first` when given.
    fn export(depth: u64, first: Option<&str>) -> String {
        let mut lines = vec![META.to_string()];
        lines.push(r#"{"in":1,"str":{"pre":0,"str":"A"}}"#.into());
        lines.push(r#"{"in":2,"str":{"pre":0,"str":"B"}}"#.into());
        for i in 1..=depth {
            lines.push(format!(r#"{{"il":{i},"succ":{}}}"#, i - 1));
        }
        lines.push(r#"{"ie":0,"sort":0}"#.into());
        lines.push(format!(r#"{{"ie":1,"sort":{depth}}}"#));
        lines.push(r#"{"ie":2,"bvar":0}"#.into());
        lines.extend(first.map(String::from));
        lines.push(r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":0}}"#.into());
        lines.push(r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":2,"type":1}}"#.into());
        lines.join("\n")
    }

    fn check(text: &str) -> Result<(), KernelError> {
        let export = read_export(text.as_bytes(), "test").expect("reads");
        check_export(export, &CheckOptions::default()).result
    }

    #[test]
    fn shallow_levels_are_checked() {
        assert_eq!(check(&export(3, None)), Ok(()));
    }

    #[test]
    fn a_level_past_the_limit_declines_the_declaration_using_it() {
        let depth = u64::from(MAX_DEPTH) + 10;
        let r = check(&export(depth, None));
        let Err(KernelError::Decline { decl, .. }) = &r else {
            panic!("expected a decline, got {r:?}")
        };
        assert_eq!(decl.to_string(), "B");
    }

    #[test]
    fn an_earlier_failure_still_comes_first() {
        // `A : #0` is ill-typed and comes before the deep-level declaration.
        let bad = r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":2}}"#;
        let r = check(&export(u64::from(MAX_DEPTH) + 10, Some(bad)));
        assert!(matches!(r, Err(KernelError::Reject { .. })), "{r:?}");
    }
}
