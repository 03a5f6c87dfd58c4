//! Reading a lean4export file straight into kernel terms, on a thread of
//! its own: no `ix_lean` copy of the terms is ever built, no list of every
//! declaration is ever held, and the checker adds each declaration to its
//! environment while the rest of the file is still being read.

use crate::expr::{Expr, Literal};
use crate::level::{Level, LevelData, Levels, MAX_DEPTH};
use ix_lean::ndjson::ReadError;
use ix_lean::terms::{Node, TermBuilder};
use ix_lean::{Declaration, Name};
use std::io::BufRead;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::thread::JoinHandle;

/// A declaration as read, with whether it uses a level deeper than
/// `level::MAX_DEPTH` (replaced by [`too_deep_marker`]; it is declined).
pub struct ReadDeclaration {
    pub decl: Declaration<Expr>,
    pub too_deep: bool,
}

/// Declarations per message from the reader: one per declaration cost
/// more in wake-ups than the overlap gained.
const BATCH: usize = 256;
/// Batches in flight: bounds what is read ahead of the checker. Enough to
/// keep reading through one of the checker's parallel rounds
/// (`check::ROUND` declarations).
const BATCHES_AHEAD: usize = 32;

/// An export being read on its own thread, its declarations coming out in
/// file order.
pub struct ExportStream {
    batches: Receiver<Vec<ReadDeclaration>>,
    reader: JoinHandle<Result<usize, ReadError>>,
    label: String,
}

impl ExportStream {
    /// The next declarations, in file order; `None` once the file is read
    /// (or the reader stopped: [`ExportStream::finish`] says why).
    pub fn next_batch(&self) -> Option<Vec<ReadDeclaration>> {
        self.batches.recv().ok()
    }

    /// Reads the rest of the file without taking its declarations and
    /// gives the number of declarations, or why the file is malformed: a
    /// malformed file is reported as such even after a failing declaration.
    pub fn finish(self) -> Result<usize, ReadError> {
        drop(self.batches);
        let label = self.label;
        self.reader.join().unwrap_or_else(|_| {
            Err(ReadError {
                file: label,
                line: 0,
                message: "the reader stopped on an internal error".into(),
            })
        })
    }
}

/// Starts reading an export on a thread of its own; `label` names it in
/// errors.
pub fn stream_export(
    input: impl BufRead + Send + 'static,
    label: &str,
) -> Result<ExportStream, ReadError> {
    let name = label.to_string();
    ExportStream::spawn(label, move |sink| {
        let mut each = |decl: Declaration<Expr>, terms: &KernelTerms| {
            let too_deep = terms.deep_levels && mentions_too_deep_level(&decl);
            sink.send(ReadDeclaration { decl, too_deep });
        };
        ix_lean::ndjson::read_each(input, &name, KernelTerms::default(), &mut each).map(|_| ())
    })
}

/// Where a producer puts its declarations, in order: they go out in
/// batches while the receiver listens, and are counted always.
pub struct DeclarationSink {
    sender: SyncSender<Vec<ReadDeclaration>>,
    batch: Vec<ReadDeclaration>,
    count: usize,
    listening: bool,
}

impl DeclarationSink {
    /// Takes the next declaration. Once the receiver is gone the producer
    /// still reads on (a flaw later in the input is still the error), and
    /// its declarations are only counted.
    pub fn send(&mut self, decl: ReadDeclaration) {
        self.count += 1;
        if !self.listening {
            return;
        }
        self.batch.push(decl);
        if self.batch.len() == BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.listening = self.sender.send(full).is_ok();
        }
    }

    /// Sends what is left; the number of declarations taken.
    fn close(self) -> usize {
        if self.listening && !self.batch.is_empty() {
            // The receiver may be gone already: nothing is then waiting for these.
            let _ = self.sender.send(self.batch);
        }
        self.count
    }
}

impl ExportStream {
    /// Runs `produce` on a thread of its own, its declarations coming out
    /// of the stream in the order it sends them; `label` names the input in
    /// errors.
    pub fn spawn<P>(label: &str, produce: P) -> Result<ExportStream, ReadError>
    where
        P: FnOnce(&mut DeclarationSink) -> Result<(), ReadError> + Send + 'static,
    {
        let (sender, batches) = sync_channel(BATCHES_AHEAD);
        let reader = std::thread::Builder::new()
            .name("ix-read".into())
            .spawn(move || {
                let mut sink = DeclarationSink {
                    sender,
                    batch: Vec::with_capacity(BATCH),
                    count: 0,
                    listening: true,
                };
                produce(&mut sink)?;
                Ok(sink.close())
            })
            .map_err(|e| ReadError {
                file: label.to_string(),
                line: 0,
                message: format!("cannot start the reader thread: {e}"),
            })?;
        Ok(ExportStream {
            batches,
            reader,
            label: label.to_string(),
        })
    }
}

/// Converts `ix_lean` declarations one at a time, sharing equal subterms
/// across all of them (each declaration's own sharing is kept by its
/// conversion; the interner finds what separately built ones have in
/// common), so the checker holds one copy of every distinct term however
/// the declarations were made.
#[derive(Default)]
pub struct SharedConversion {
    interner: crate::expr::Interner,
}

impl SharedConversion {
    /// `decl` in kernel terms, with whether it uses a level deeper than
    /// `level::MAX_DEPTH` (it is then declined).
    pub fn declaration(&mut self, decl: &ix_lean::Declaration) -> ReadDeclaration {
        let interner = std::mem::take(&mut self.interner);
        let mut conv = crate::expr::Converter::interning(interner);
        let decl = decl.map_terms(&mut |e| conv.expr(e));
        let too_deep = conv.take_too_deep();
        self.interner = conv.into_interner();
        ReadDeclaration { decl, too_deep }
    }
}

/// Builds kernel terms; a level deeper than `MAX_DEPTH` becomes the marker
/// parameter, so nothing downstream ever walks it.
#[derive(Default)]
struct KernelTerms {
    deep_levels: bool,
    /// Each distinct list of a constant's universe levels, once: an export
    /// repeats a few lists (the empty one most) over millions of constants.
    level_lists: rustc_hash::FxHashSet<Levels>,
}

impl KernelTerms {
    fn shared_levels(&mut self, ls: Vec<Level>) -> Levels {
        if let Some(shared) = self.level_lists.get(ls.as_slice()) {
            return shared.clone();
        }
        let shared = Levels::from(ls);
        self.level_lists.insert(shared.clone());
        shared
    }

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
            Node::Const(n, ls) => {
                let ls = self.shared_levels(ls);
                Expr::cnst(n, ls)
            }
            Node::App(f, a) => Expr::app(f, a),
            Node::Lam(name, info, ty, body) => Expr::lam(name, info, ty, body),
            Node::Pi(name, info, ty, body) => Expr::pi(name, info, ty, body),
            Node::Let(name, ty, value, body, non_dep) => Expr::let_(name, ty, value, body, non_dep),
            Node::Lit(ix_lean::Literal::Nat(n)) => Expr::lit(Literal::Nat(n)),
            Node::Lit(ix_lean::Literal::Str(s)) => Expr::str_lit(&s),
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
    use crate::{check_stream, CheckOptions, KernelError};

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
        let input = std::io::Cursor::new(text.to_string());
        let checked = stream_export(input, "test")
            .and_then(|stream| check_stream(stream, &CheckOptions::default()));
        match checked {
            Ok(report) => report.result,
            Err(e) => panic!("unreadable test export: {e}"),
        }
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
    fn a_malformed_line_after_a_failing_declaration_is_the_error() {
        let bad = r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":2}}"#;
        let text = format!("{}\n{{\"ie\":9,", export(1, Some(bad)));
        let stream = stream_export(std::io::Cursor::new(text), "test");
        let checked = stream.and_then(|s| check_stream(s, &CheckOptions::default()));
        let Err(e) = checked else {
            panic!("expected the malformed line to be the error")
        };
        assert!(e.to_string().contains("malformed JSON"), "{e}");
    }

    #[test]
    fn more_declarations_than_a_batch_all_arrive_in_order() {
        let mut lines = vec![export(0, None)];
        for i in 0..(2 * BATCH + 3) {
            let name = 10 + i;
            lines.push(format!(r#"{{"in":{name},"str":{{"pre":0,"str":"C{i}"}}}}"#));
            lines.push(format!(
                r#"{{"axiom":{{"isUnsafe":false,"levelParams":[],"name":{name},"type":1}}}}"#
            ));
        }
        let stream = stream_export(std::io::Cursor::new(lines.join("\n")), "test");
        let report = stream.and_then(|s| check_stream(s, &CheckOptions::default()));
        let report = report.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(report.result, Ok(()));
        assert_eq!(report.declarations, 2 * BATCH + 5);
        let names: Vec<String> = report
            .constants
            .iter()
            .map(|c| c.name.to_string())
            .collect();
        let expected: Vec<String> = ["A", "B"]
            .into_iter()
            .map(String::from)
            .chain((0..(2 * BATCH + 3)).map(|i| format!("C{i}")))
            .collect();
        assert_eq!(names, expected);
    }

    #[test]
    fn an_earlier_failure_still_comes_first() {
        // `A : #0` is ill-typed and comes before the deep-level declaration.
        let bad = r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":2}}"#;
        let r = check(&export(u64::from(MAX_DEPTH) + 10, Some(bad)));
        assert!(matches!(r, Err(KernelError::Reject { .. })), "{r:?}");
    }
}
