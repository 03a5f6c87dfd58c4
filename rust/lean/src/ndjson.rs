//! Reader for lean4export NDJSON, formats 3.0 and 3.1.
//!
//! Each record is resolved as it is read when everything it refers to is
//! already known, as in every lean4export file, so the raw form of a record
//! never outlives its line. Indices may still be sparse and may point
//! forwards: a record that refers ahead waits in raw tables and is resolved
//! once the whole file is in; cycles are errors.

use crate::decl::*;
use crate::expr::{BinderInfo, Literal};
use crate::name::{Name, NamePart};
use crate::terms::{LeanTerms, Node, TermBuilder};
use num_bigint::BigUint;
use serde_json::{Map, Value};
use std::io::BufRead;
use std::path::Path;
use std::sync::Arc;

mod canonical;
mod canonical_decl;
mod decl;
mod fast;
mod json;
mod table;
use decl::{decl_record, DeclRecord};
use fast::{exact_record, exact_record_prefix, serde_record};
use json::{as_u64, get_bool, get_idx_list, get_str, get_u64, FieldResult};
use table::IndexTable;

/// A read failure, with the file and the 1-based line it concerns (0: the
/// file as a whole, or an input that is not made of lines).
#[derive(Debug, thiserror::Error)]
#[error("{file}{}: {message}", at_line(*line))]
pub struct ReadError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

fn at_line(line: usize) -> String {
    if line == 0 {
        String::new()
    } else {
        format!(":{line}")
    }
}

/// Reads an export file.
pub fn read_file(path: &Path) -> Result<Environment, ReadError> {
    let file = std::fs::File::open(path).map_err(|e| ReadError {
        file: path.display().to_string(),
        line: 0,
        message: format!("cannot open: {e}"),
    })?;
    read(std::io::BufReader::new(file), &path.display().to_string())
}

/// Reads an export from any buffered reader; `label` names it in errors.
pub fn read(input: impl BufRead + Send, label: &str) -> Result<Environment, ReadError> {
    read_into(input, label, LeanTerms).map(|(env, _)| env)
}

/// Reads an export, building its terms with `builder` (returned with the
/// environment, for whatever it gathered while building).
pub fn read_into<B: TermBuilder>(
    input: impl BufRead + Send,
    label: &str,
    builder: B,
) -> Result<(Environment<B::Expr>, B), ReadError> {
    let mut decls = Vec::new();
    let (meta, builder) = read_each(input, label, builder, |decl, _| decls.push(decl))?;
    Ok((Environment { meta, decls }, builder))
}

/// Reads an export and hands each declaration to `sink` in file order, as
/// soon as it is resolved, so a consumer can work while the file is still
/// being read and no list of every declaration is ever held. The sink also
/// sees the builder, for what it has gathered so far. Lines are parsed on
/// a thread of their own while this one builds the terms.
///
/// A declaration that refers ahead (no real export does) holds back itself
/// and every later one until the end of the file, which keeps the order.
/// A malformed file is an error even when some declarations went out.
pub fn read_each<B: TermBuilder>(
    input: impl BufRead + Send,
    label: &str,
    builder: B,
    sink: impl FnMut(Declaration<B::Expr>, &B),
) -> Result<(ExportMeta, B), ReadError> {
    let err = |line: usize, message: String| ReadError {
        file: label.to_string(),
        line,
        message,
    };
    std::thread::scope(|scope| {
        let (sender, parsed) = std::sync::mpsc::sync_channel(PARSED_AHEAD);
        std::thread::Builder::new()
            .name("ix-parse".into())
            .spawn_scoped(scope, move || parse_lines(input, label, &sender))
            .map_err(|e| err(0, format!("cannot start the parser thread: {e}")))?;
        let mut raw = Resolver::new(label, builder, sink);
        let mut saw_meta = false;
        for line in parsed.iter().flatten() {
            match line {
                Parsed::Meta(meta) => {
                    raw.raw.meta = meta;
                    saw_meta = true;
                }
                Parsed::Record(record, line) => {
                    raw.insert(record, line).map_err(|m| err(line, m))?
                }
                Parsed::Failed(e) => return Err(e),
            }
        }
        if !saw_meta {
            return Err(err(1, "empty file: expected the `meta` header".into()));
        }
        raw.resolve()
    })
}

/// Lines per message from the parser thread.
const PARSED_BATCH: usize = 1024;
/// Messages in flight: bounds what is parsed ahead of the resolver.
const PARSED_AHEAD: usize = 4;

/// One line of an export, parsed.
enum Parsed {
    Meta(ExportMeta),
    Record(Record, usize),
    /// The first malformed line (or read failure): nothing follows it.
    Failed(ReadError),
}

/// Parses `input` line by line, sending batches in file order, until the
/// end, the first malformed line, or the receiver is gone.
fn parse_lines(
    mut input: impl BufRead,
    label: &str,
    sender: &std::sync::mpsc::SyncSender<Vec<Parsed>>,
) {
    let mut batch = Vec::with_capacity(PARSED_BATCH);
    let mut saw_meta = false;
    // One buffer for every line: a fresh `String` per line showed up in profiles.
    let mut buf = Vec::new();
    let mut lineno = 0;
    loop {
        lineno += 1;
        let in_place = if saw_meta {
            exact_record_in_place(&mut input)
        } else {
            Ok(None)
        };
        let parsed = match in_place {
            Ok(Some(record)) => Ok(Some(Parsed::Record(record, lineno))),
            Ok(None) => {
                buf.clear();
                match input.read_until(b'\n', &mut buf) {
                    Ok(0) => break,
                    Ok(_) => parse_line(strip_line_end(&buf), lineno, saw_meta),
                    Err(e) => Err(format!("cannot read: {e}")),
                }
            }
            Err(e) => Err(format!("cannot read: {e}")),
        };
        let parsed = match parsed {
            Ok(None) => continue,
            Ok(Some(parsed)) => parsed,
            Err(message) => Parsed::Failed(ReadError {
                file: label.to_string(),
                line: lineno,
                message,
            }),
        };
        saw_meta = saw_meta || matches!(parsed, Parsed::Meta(_));
        let failed = matches!(parsed, Parsed::Failed(_));
        batch.push(parsed);
        if failed || batch.len() == PARSED_BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(PARSED_BATCH));
            if sender.send(full).is_err() || failed {
                return;
            }
        }
    }
    // The receiver may be gone already: nothing then waits for these.
    let _ = sender.send(batch);
}

/// The record on the next line, decoded where it lies in the reader's
/// buffer, with no search for the line end and no copy, when it is one of
/// the exact shapes and its line end is in the buffer too; both are then
/// consumed. Otherwise `None` with nothing consumed: the line is read the
/// general way.
fn exact_record_in_place(input: &mut impl BufRead) -> std::io::Result<Option<Record>> {
    let available = match input.fill_buf() {
        Ok(available) => available,
        // `read_until` retries these itself.
        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => return Ok(None),
        Err(e) => return Err(e),
    };
    let Some((record, rest)) = exact_record_prefix(available) else {
        return Ok(None);
    };
    // The line ends as `strip_line_end` would cut it, or is read again.
    let end = match rest {
        [b'\n', ..] => 1,
        [b'\r', b'\n', ..] => 2,
        _ => return Ok(None),
    };
    let used = available.len() - rest.len() + end;
    input.consume(used);
    Ok(Some(record))
}

/// What reading a line that is not UTF-8 reports, as `BufRead::read_line`
/// words it.
const NOT_UTF8: &str = "cannot read: stream did not contain valid UTF-8";

/// Line `lineno`: the `meta` header first, then records; `None` for a
/// blank line.
fn parse_line(line: &[u8], lineno: usize, saw_meta: bool) -> Result<Option<Parsed>, String> {
    if saw_meta {
        if let Some(record) = exact_record(line) {
            return Ok(Some(Parsed::Record(record, lineno)));
        }
    }
    // Checked only here: a line decoded above is UTF-8 already.
    let line = std::str::from_utf8(line).map_err(|_| NOT_UTF8.to_string())?;
    if line.trim().is_empty() {
        return Ok(None);
    }
    if saw_meta {
        if let Some(record) = serde_record(line) {
            return Ok(Some(Parsed::Record(record, lineno)));
        }
    }
    let value: Value = serde_json::from_str(line).map_err(|e| format!("malformed JSON: {e}"))?;
    let Value::Object(obj) = value else {
        return Err("expected a JSON object".into());
    };
    if saw_meta {
        Ok(Some(Parsed::Record(record_from_object(obj)?, lineno)))
    } else {
        Ok(Some(Parsed::Meta(parse_meta(&obj)?)))
    }
}

/// Drops the line terminator the way `BufRead::lines` does (`\n`, then `\r`).
fn strip_line_end(buf: &[u8]) -> &[u8] {
    let line = buf.strip_suffix(b"\n").unwrap_or(buf);
    line.strip_suffix(b"\r").unwrap_or(line)
}

fn parse_meta(obj: &Map<String, Value>) -> FieldResult<ExportMeta> {
    let meta = obj
        .get("meta")
        .and_then(Value::as_object)
        .ok_or("the first line must be the `meta` header")?;
    let text = |path: &[&str]| -> String {
        let mut cur = Some(meta.get(path[0]));
        for key in &path[1..] {
            cur = cur.map(|v| v.and_then(|v| v.get(*key)));
        }
        cur.flatten()
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let parsed = ExportMeta {
        exporter_name: text(&["exporter", "name"]),
        exporter_version: text(&["exporter", "version"]),
        format_version: text(&["format", "version"]),
        lean_version: text(&["lean", "version"]),
        lean_githash: text(&["lean", "githash"]),
    };
    let supported =
        parsed.format_version.starts_with("3.0.") || parsed.format_version.starts_with("3.1.");
    if !supported {
        return Err(format!(
            "unsupported export format version {:?} (supported: 3.0.x, 3.1.x)",
            parsed.format_version
        ));
    }
    Ok(parsed)
}

#[derive(Clone, Debug)]
enum RawName {
    Str(u64, triomphe::Arc<str>),
    Num(u64, u64),
}

#[derive(Clone, Copy, Debug)]
enum RawLevel {
    Succ(u64),
    Max(u64, u64),
    IMax(u64, u64),
    Param(u64),
}

#[derive(Clone, Debug)]
enum RawExpr {
    BVar(u64),
    Sort(u64),
    Const(u64, Vec<u64>),
    App(u64, u64),
    Lam(u64, BinderInfo, u64, u64),
    Pi(u64, BinderInfo, u64, u64),
    Let(u64, u64, u64, u64, bool),
    Nat(Arc<BigUint>),
    Str(Arc<str>),
    Proj(u64, u64, u64),
    MData(u64),
}

impl RawExpr {
    /// The child expression indices, without allocating.
    fn children(&self) -> impl Iterator<Item = u64> {
        let (kids, len) = match *self {
            RawExpr::App(f, a) => ([f, a, 0], 2),
            RawExpr::Lam(_, _, t, b) | RawExpr::Pi(_, _, t, b) => ([t, b, 0], 2),
            RawExpr::Let(_, t, v, b, _) => ([t, v, b], 3),
            RawExpr::Proj(_, _, e) | RawExpr::MData(e) => ([e, 0, 0], 1),
            _ => ([0; 3], 0),
        };
        kids.into_iter().take(len)
    }
}

#[derive(Default)]
struct RawExport {
    meta: ExportMeta,
    names: IndexTable<(RawName, usize)>,
    levels: IndexTable<(RawLevel, usize)>,
    exprs: IndexTable<(RawExpr, usize)>,
}

/// A declaration record that refers to records further down: it waits, and
/// its declarations go before the `position`-th one resolved when read.
struct WaitingDecl {
    position: usize,
    line: usize,
    raw: DeclRecord,
}

const DECL_KINDS: [&str; 6] = ["axiom", "def", "thm", "opaque", "quot", "inductive"];

/// One parsed line after the header.
#[derive(Debug)]
enum Record {
    Name(u64, RawName),
    Level(u64, RawLevel),
    Expr(u64, RawExpr),
    Decl(DeclRecord),
}

/// The general path: any JSON object, with a precise message for every way a
/// record can be wrong.
fn record_from_object(mut obj: Map<String, Value>) -> FieldResult<Record> {
    if let Some(idx) = obj.get("in") {
        Ok(Record::Name(as_u64(idx, "in")?, parse_raw_name(&obj)?))
    } else if let Some(idx) = obj.get("il") {
        Ok(Record::Level(as_u64(idx, "il")?, parse_raw_level(&obj)?))
    } else if let Some(idx) = obj.get("ie") {
        Ok(Record::Expr(as_u64(idx, "ie")?, parse_raw_expr(&obj)?))
    } else {
        let kind = DECL_KINDS
            .into_iter()
            .find(|k| obj.contains_key(*k))
            .ok_or("unknown record: expected a name, level, expression or declaration")?;
        let body = obj.remove(kind).unwrap_or(Value::Null);
        Ok(Record::Decl(decl_record(kind, &body)))
    }
}

fn parse_raw_name(obj: &Map<String, Value>) -> FieldResult<RawName> {
    if let Some(s) = obj.get("str").and_then(Value::as_object) {
        Ok(RawName::Str(
            get_u64(s, "pre")?,
            triomphe::Arc::from(get_str(s, "str")?),
        ))
    } else if let Some(n) = obj.get("num").and_then(Value::as_object) {
        Ok(RawName::Num(get_u64(n, "pre")?, get_u64(n, "i")?))
    } else {
        Err("a name record needs `str` or `num`".into())
    }
}

fn parse_pair(v: &Value, key: &str) -> FieldResult<(u64, u64)> {
    match v.as_array().map(Vec::as_slice) {
        Some([a, b]) => Ok((as_u64(a, key)?, as_u64(b, key)?)),
        _ => Err(format!("`{key}` must be a pair of level indices")),
    }
}

fn parse_raw_level(obj: &Map<String, Value>) -> FieldResult<RawLevel> {
    if let Some(v) = obj.get("succ") {
        Ok(RawLevel::Succ(as_u64(v, "succ")?))
    } else if let Some(v) = obj.get("max") {
        let (a, b) = parse_pair(v, "max")?;
        Ok(RawLevel::Max(a, b))
    } else if let Some(v) = obj.get("imax") {
        let (a, b) = parse_pair(v, "imax")?;
        Ok(RawLevel::IMax(a, b))
    } else if let Some(v) = obj.get("param") {
        Ok(RawLevel::Param(as_u64(v, "param")?))
    } else {
        Err("a level record needs `succ`, `max`, `imax` or `param`".into())
    }
}

fn parse_binder_info(s: &str) -> FieldResult<BinderInfo> {
    binder_info(s.as_bytes()).ok_or_else(|| format!("unknown binderInfo {s:?}"))
}

fn binder_info(s: &[u8]) -> Option<BinderInfo> {
    match s {
        b"default" => Some(BinderInfo::Default),
        b"implicit" => Some(BinderInfo::Implicit),
        b"strictImplicit" => Some(BinderInfo::StrictImplicit),
        b"instImplicit" => Some(BinderInfo::InstImplicit),
        _ => None,
    }
}

fn parse_binder(b: &Map<String, Value>) -> FieldResult<(u64, BinderInfo, u64, u64)> {
    Ok((
        get_u64(b, "name")?,
        parse_binder_info(get_str(b, "binderInfo")?)?,
        get_u64(b, "type")?,
        get_u64(b, "body")?,
    ))
}

fn parse_nat_literal(digits: &str) -> FieldResult<BigUint> {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("malformed Nat literal {digits:?}"));
    }
    Ok(decimal_value(digits.as_bytes()))
}

/// Digits below which the library's schoolbook parse is fastest.
const DIRECT_DIGITS: usize = 4096;

/// The value of ASCII decimal `digits` (checked by the caller). Long runs are
/// split in two and joined as `high * 10^len(low) + low`, so the cost follows
/// big-integer multiplication instead of growing with the square of the
/// length (4 million digits took 24 s digit by digit).
fn decimal_value(digits: &[u8]) -> BigUint {
    if digits.len() <= DIRECT_DIGITS {
        return BigUint::parse_bytes(digits, 10).unwrap_or_default();
    }
    let (high, low) = digits.split_at(digits.len() / 2);
    let scale = BigUint::from(10u8).pow(low.len() as u32);
    decimal_value(high) * scale + decimal_value(low)
}

fn parse_raw_expr(obj: &Map<String, Value>) -> FieldResult<RawExpr> {
    if let Some(v) = obj.get("bvar") {
        return Ok(RawExpr::BVar(as_u64(v, "bvar")?));
    }
    if let Some(v) = obj.get("sort") {
        return Ok(RawExpr::Sort(as_u64(v, "sort")?));
    }
    if let Some(v) = obj.get("natVal") {
        let digits = v.as_str().ok_or("`natVal` must be a string of digits")?;
        return Ok(RawExpr::Nat(Arc::new(parse_nat_literal(digits)?)));
    }
    if let Some(v) = obj.get("strVal") {
        let s = v.as_str().ok_or("`strVal` must be a string")?;
        return Ok(RawExpr::Str(Arc::from(s)));
    }
    if let Some(c) = obj.get("const").and_then(Value::as_object) {
        return Ok(RawExpr::Const(get_u64(c, "name")?, get_idx_list(c, "us")?));
    }
    if let Some(a) = obj.get("app").and_then(Value::as_object) {
        return Ok(RawExpr::App(get_u64(a, "fn")?, get_u64(a, "arg")?));
    }
    if let Some(b) = obj.get("lam").and_then(Value::as_object) {
        let (n, i, t, body) = parse_binder(b)?;
        return Ok(RawExpr::Lam(n, i, t, body));
    }
    if let Some(b) = obj.get("forallE").and_then(Value::as_object) {
        let (n, i, t, body) = parse_binder(b)?;
        return Ok(RawExpr::Pi(n, i, t, body));
    }
    if let Some(l) = obj.get("letE").and_then(Value::as_object) {
        return Ok(RawExpr::Let(
            get_u64(l, "name")?,
            get_u64(l, "type")?,
            get_u64(l, "value")?,
            get_u64(l, "body")?,
            get_bool(l, "nondep")?,
        ));
    }
    if let Some(p) = obj.get("proj").and_then(Value::as_object) {
        return Ok(RawExpr::Proj(
            get_u64(p, "typeName")?,
            get_u64(p, "idx")?,
            get_u64(p, "struct")?,
        ));
    }
    if let Some(m) = obj.get("mdata").and_then(Value::as_object) {
        return Ok(RawExpr::MData(get_u64(m, "expr")?));
    }
    Err("unknown expression record".into())
}

/// Turns raw indices into shared values: records that refer only to known
/// ones as they are read, the rest at the end.
struct Resolver<B: TermBuilder, S> {
    raw: RawExport,
    label: String,
    builder: B,
    /// Level 0, which no record defines.
    zero: B::Level,
    names: IndexTable<Name>,
    levels: IndexTable<B::Level>,
    exprs: IndexTable<B::Expr>,
    /// Where declarations go, in file order.
    sink: S,
    /// Declarations read since the first one that had to wait, in file
    /// order; they go out at the end, with the waiting ones resolved.
    held: Vec<Declaration<B::Expr>>,
    waiting: Vec<WaitingDecl>,
}

impl<B: TermBuilder, S: FnMut(Declaration<B::Expr>, &B)> Resolver<B, S> {
    fn new(label: &str, mut builder: B, sink: S) -> Resolver<B, S> {
        Resolver {
            raw: RawExport::default(),
            label: label.to_string(),
            zero: builder.zero(),
            builder,
            names: IndexTable::default(),
            levels: IndexTable::default(),
            exprs: IndexTable::default(),
            sink,
            held: Vec::new(),
            waiting: Vec::new(),
        }
    }

    /// Takes one record: an index defined twice is an error; a record whose
    /// references are all resolved is resolved now, any other kept raw.
    fn insert(&mut self, record: Record, line: usize) -> FieldResult<()> {
        match record {
            Record::Name(idx, name) => {
                if idx == 0 || self.names.contains_key(&idx) || self.raw.names.contains_key(&idx) {
                    return Err(format!("name index {idx} defined twice (0 is reserved)"));
                }
                let pre = match &name {
                    RawName::Str(pre, _) | RawName::Num(pre, _) => *pre,
                };
                match self.known_name(pre) {
                    Some(prefix) => {
                        let resolved = match name {
                            RawName::Str(_, s) => prefix.extend(NamePart::Str(s)),
                            RawName::Num(_, n) => prefix.num(n),
                        };
                        self.names.insert(idx, resolved);
                    }
                    None => {
                        self.raw.names.insert(idx, (name, line));
                    }
                }
            }
            Record::Level(idx, level) => {
                if idx == 0 || self.levels.contains_key(&idx) || self.raw.levels.contains_key(&idx)
                {
                    return Err(format!("level index {idx} defined twice (0 is reserved)"));
                }
                let known = |l: u64| self.known_level(l);
                let resolved = match level {
                    RawLevel::Succ(a) => known(a).map(|a| self.builder.succ(a)),
                    RawLevel::Max(a, b) => {
                        known(a).zip(known(b)).map(|(a, b)| self.builder.max(a, b))
                    }
                    RawLevel::IMax(a, b) => {
                        known(a).zip(known(b)).map(|(a, b)| self.builder.imax(a, b))
                    }
                    RawLevel::Param(n) => self.known_name(n).map(|n| self.builder.param(n)),
                };
                match resolved {
                    Some(l) => {
                        self.levels.insert(idx, l);
                    }
                    None => {
                        self.raw.levels.insert(idx, (level, line));
                    }
                }
            }
            Record::Expr(idx, expr) => {
                if self.exprs.contains_key(&idx) || self.raw.exprs.contains_key(&idx) {
                    return Err(format!("expression index {idx} defined twice"));
                }
                if self.refers_only_to_known(&expr) {
                    let built = self.build_expr(expr, line).map_err(|(_, m)| m)?;
                    self.exprs.insert(idx, built);
                } else {
                    self.raw.exprs.insert(idx, (expr, line));
                }
            }
            Record::Decl(raw) => {
                // A declaration that fails now may only refer ahead: it is
                // resolved again, and any error reported, at the end.
                match self.declaration(&raw, line) {
                    Ok(decls) if self.waiting.is_empty() => {
                        for decl in decls {
                            (self.sink)(decl, &self.builder);
                        }
                    }
                    Ok(decls) => self.held.extend(decls),
                    Err(_) => self.waiting.push(WaitingDecl {
                        position: self.held.len(),
                        line,
                        raw,
                    }),
                }
            }
        }
        Ok(())
    }

    fn known_name(&self, idx: u64) -> Option<Name> {
        if idx == 0 {
            return Some(Name::anonymous());
        }
        self.names.get(&idx).cloned()
    }

    fn known_level(&self, idx: u64) -> Option<B::Level> {
        if idx == 0 {
            return Some(self.zero.clone());
        }
        self.levels.get(&idx).cloned()
    }

    /// Whether building `e` now needs nothing that is still raw or undefined.
    fn refers_only_to_known(&self, e: &RawExpr) -> bool {
        // Checked without cloning: a clone of a shared name or level is
        // an atomic increment and decrement per reference.
        let name_known = |n: u64| n == 0 || self.names.contains_key(&n);
        let level_known = |l: u64| l == 0 || self.levels.contains_key(&l);
        let names_known = match e {
            RawExpr::Const(n, us) => name_known(*n) && us.iter().all(|u| level_known(*u)),
            RawExpr::Sort(l) => level_known(*l),
            RawExpr::Lam(n, ..)
            | RawExpr::Pi(n, ..)
            | RawExpr::Let(n, ..)
            | RawExpr::Proj(n, ..) => name_known(*n),
            _ => true,
        };
        names_known && e.children().all(|c| self.exprs.contains_key(&c))
    }

    fn error(&self, line: usize, message: String) -> ReadError {
        ReadError {
            file: self.label.clone(),
            line,
            message,
        }
    }

    /// Resolves the waiting declarations and sends out every held one.
    fn resolve(mut self) -> Result<(ExportMeta, B), ReadError> {
        let mut held = std::mem::take(&mut self.held).into_iter();
        let mut sent = 0;
        for w in std::mem::take(&mut self.waiting) {
            for decl in held.by_ref().take(w.position - sent) {
                (self.sink)(decl, &self.builder);
            }
            sent = w.position;
            let late = self
                .declaration(&w.raw, w.line)
                .map_err(|(line, message)| self.error(line, message))?;
            for decl in late {
                (self.sink)(decl, &self.builder);
            }
        }
        for decl in held {
            (self.sink)(decl, &self.builder);
        }
        Ok((std::mem::take(&mut self.raw.meta), self.builder))
    }

    /// Resolves a name index; `line` is the referencing record's line.
    fn name(&mut self, idx: u64, line: usize) -> Result<Name, (usize, String)> {
        if idx == 0 {
            return Ok(Name::anonymous());
        }
        if let Some(n) = self.names.get(&idx) {
            return Ok(n.clone());
        }
        // Walk the prefix chain iteratively, then build outwards.
        let mut chain = Vec::new();
        let mut cur = idx;
        let base = loop {
            if cur == 0 {
                break Name::anonymous();
            }
            if let Some(n) = self.names.get(&cur) {
                break n.clone();
            }
            let (raw, _) = self
                .raw
                .names
                .get(&cur)
                .ok_or_else(|| (line, format!("undefined name index {cur}")))?;
            if chain.len() > self.raw.names.len() {
                return Err((line, format!("cyclic name index {idx}")));
            }
            chain.push((cur, raw.clone()));
            cur = match raw {
                RawName::Str(pre, _) | RawName::Num(pre, _) => *pre,
            };
        };
        let mut name = base;
        for (i, raw) in chain.into_iter().rev() {
            name = match raw {
                RawName::Str(_, s) => name.extend(NamePart::Str(s)),
                RawName::Num(_, n) => name.num(n),
            };
            self.names.insert(i, name.clone());
        }
        Ok(name)
    }

    fn level(&mut self, idx: u64, line: usize) -> Result<B::Level, (usize, String)> {
        if idx == 0 {
            return Ok(self.zero.clone());
        }
        if let Some(l) = self.levels.get(&idx) {
            return Ok(l.clone());
        }
        // Iterative post-order with an on-stack set to detect cycles.
        let mut stack = vec![(idx, false)];
        let mut on_stack = rustc_hash::FxHashSet::default();
        while let Some((i, expanded)) = stack.pop() {
            if i == 0 || self.levels.contains_key(&i) {
                continue;
            }
            let (raw, _) = *self
                .raw
                .levels
                .get(&i)
                .ok_or_else(|| (line, format!("undefined level index {i}")))?;
            let kids: Vec<u64> = match raw {
                RawLevel::Succ(a) => vec![a],
                RawLevel::Max(a, b) | RawLevel::IMax(a, b) => vec![a, b],
                RawLevel::Param(_) => vec![],
            };
            if !expanded {
                if !on_stack.insert(i) {
                    return Err((line, format!("cyclic level index {i}")));
                }
                stack.push((i, true));
                stack.extend(kids.into_iter().map(|k| (k, false)));
                continue;
            }
            on_stack.remove(&i);
            let level = match raw {
                RawLevel::Succ(a) => {
                    let a = self.level_done(a);
                    self.builder.succ(a)
                }
                RawLevel::Max(a, b) => {
                    let (a, b) = (self.level_done(a), self.level_done(b));
                    self.builder.max(a, b)
                }
                RawLevel::IMax(a, b) => {
                    let (a, b) = (self.level_done(a), self.level_done(b));
                    self.builder.imax(a, b)
                }
                RawLevel::Param(n) => {
                    let n = self.name(n, line)?;
                    self.builder.param(n)
                }
            };
            self.levels.insert(i, level);
        }
        self.levels
            .get(&idx)
            .cloned()
            .ok_or_else(|| (line, format!("cyclic level index {idx}")))
    }

    fn level_done(&self, idx: u64) -> B::Level {
        if idx == 0 {
            return self.zero.clone();
        }
        self.levels
            .get(&idx)
            .cloned()
            .unwrap_or_else(|| self.zero.clone())
    }

    fn expr(&mut self, idx: u64, line: usize) -> Result<B::Expr, (usize, String)> {
        if let Some(e) = self.exprs.get(&idx) {
            return Ok(e.clone());
        }
        let mut stack = vec![(idx, false)];
        let mut on_stack = rustc_hash::FxHashSet::default();
        while let Some((i, expanded)) = stack.pop() {
            if self.exprs.contains_key(&i) {
                continue;
            }
            if !expanded {
                let (raw, raw_line) = self
                    .raw
                    .exprs
                    .get(&i)
                    .ok_or_else(|| (line, format!("undefined expression index {i}")))?;
                if !on_stack.insert(i) {
                    return Err((*raw_line, format!("cyclic expression index {i}")));
                }
                stack.push((i, true));
                stack.extend(raw.children().map(|k| (k, false)));
                continue;
            }
            on_stack.remove(&i);
            let (raw, raw_line) = self
                .raw
                .exprs
                .get(&i)
                .ok_or_else(|| (line, format!("undefined expression index {i}")))?;
            let (raw, raw_line) = (raw.clone(), *raw_line);
            let expr = self.build_expr(raw, raw_line)?;
            // Once built, a node is only ever looked up in `self.exprs`; its
            // raw form stays until then, so a failed early attempt to resolve
            // a declaration leaves the tables as they were.
            self.raw.exprs.remove(&i);
            self.exprs.insert(i, expr);
        }
        self.exprs
            .get(&idx)
            .cloned()
            .ok_or_else(|| (line, format!("cyclic expression index {idx}")))
    }

    /// Builds one node whose children are already resolved.
    fn build_expr(&mut self, raw: RawExpr, line: usize) -> Result<B::Expr, (usize, String)> {
        let child = |this: &Self, i: u64| -> Result<B::Expr, (usize, String)> {
            this.exprs
                .get(&i)
                .cloned()
                .ok_or_else(|| (line, format!("cyclic expression index {i}")))
        };
        let node = match raw {
            RawExpr::BVar(i) => Node::BVar(i),
            RawExpr::Sort(l) => Node::Sort(self.level(l, line)?),
            RawExpr::Const(n, us) => {
                let name = self.name(n, line)?;
                let levels = us
                    .into_iter()
                    .map(|u| self.level(u, line))
                    .collect::<Result<_, _>>()?;
                Node::Const(name, levels)
            }
            RawExpr::App(f, a) => Node::App(child(self, f)?, child(self, a)?),
            RawExpr::Lam(n, info, t, b) => {
                Node::Lam(self.name(n, line)?, info, child(self, t)?, child(self, b)?)
            }
            RawExpr::Pi(n, info, t, b) => {
                Node::Pi(self.name(n, line)?, info, child(self, t)?, child(self, b)?)
            }
            RawExpr::Let(n, t, v, b, non_dep) => Node::Let(
                self.name(n, line)?,
                child(self, t)?,
                child(self, v)?,
                child(self, b)?,
                non_dep,
            ),
            RawExpr::Nat(n) => Node::Lit(Literal::Nat(n)),
            RawExpr::Str(s) => Node::Lit(Literal::Str(s)),
            RawExpr::Proj(n, i, e) => Node::Proj(self.name(n, line)?, i, child(self, e)?),
            // mdata is dropped: the node stands for its inner expression.
            RawExpr::MData(e) => return child(self, e),
        };
        Ok(self.builder.expr(node))
    }
}

/// Every record line of every bundled export, with its file: what the
/// byte paths' tests compare against the general reader.
#[cfg(test)]
fn bundled_export_lines() -> Vec<(std::path::PathBuf, String)> {
    let mut lines = Vec::new();
    for export in ix_testkit::exports() {
        let path = export.file();
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let records = text.lines().skip(1).filter(|l| !l.trim().is_empty());
        lines.extend(records.map(|l| (path.clone(), l.to_string())));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = r#"{"meta":{"exporter":{"name":"t","version":"0"},"format":{"version":"3.1.0"},"lean":{"githash":"","version":"4"}}}"#;

    /// The header, `n` name lines, then `tail`.
    fn export_with(n: usize, tail: &str) -> String {
        let mut lines = vec![META.to_string()];
        lines.extend((1..=n).map(|i| format!(r#"{{"in":{i},"str":{{"pre":0,"str":"n{i}"}}}}"#)));
        lines.push(tail.to_string());
        lines.join("\n")
    }

    #[test]
    fn a_flaw_batches_after_the_start_names_its_own_line() {
        let n = 3 * PARSED_BATCH + 5;
        let text = export_with(n, r#"{"ie":0,"sort":"#);
        let e = read(text.as_bytes(), "t.ndjson")
            .err()
            .map(|e| e.to_string());
        let line = n + 2;
        assert_eq!(
            e.as_deref().and_then(|e| e.split(": ").next()),
            Some(format!("t.ndjson:{line}").as_str()),
            "{e:?}"
        );
    }

    #[test]
    fn a_line_that_is_not_utf8_is_worded_as_read_line_words_it() {
        let mut bytes = export_with(2, "").into_bytes();
        bytes.extend_from_slice(b"{\"in\":9,\"str\":{\"pre\":0,\"str\":\"\xff\"}}\n");
        let mut sink = String::new();
        let expected = std::io::BufRead::read_line(&mut &b"\xff"[..], &mut sink)
            .map(|_| ())
            .map_err(|e| format!("t.ndjson:4: cannot read: {e}"));
        let got = read(bytes.as_slice(), "t.ndjson")
            .map(|_| ())
            .map_err(|e| e.to_string());
        assert_eq!(got, expected);
        assert!(got.is_err());
    }

    #[test]
    fn lines_across_buffer_ends_and_any_line_end_read_alike() {
        let export = ix_testkit::exports_dir().join("lean4export/Nat.add_succ.ndjson");
        let text = std::fs::read_to_string(export).unwrap();
        let expected = format!("{:?}", read(text.as_bytes(), "t").map(|e| e.decls));
        let crlf = text.replace('\n', "\r\n");
        let unterminated = text.trim_end().to_string();
        for variant in [&text, &crlf, &unterminated] {
            for capacity in [1, 7, 64, 200, 8192] {
                let input = std::io::BufReader::with_capacity(capacity, variant.as_bytes());
                let got = format!("{:?}", read(input, "t").map(|e| e.decls));
                assert!(got == expected, "capacity {capacity}");
            }
        }
        assert!(expected.starts_with("Ok("));
    }

    #[test]
    fn a_failing_read_mid_file_is_the_error() {
        let text = export_with(2 * PARSED_BATCH, "");
        let failing = std::io::BufReader::new(std::io::Read::chain(text.as_bytes(), FailingReader));
        let e = read(failing, "t.ndjson").err().map(|e| e.to_string());
        assert!(
            e.as_deref().is_some_and(|e| e.contains("cannot read")),
            "{e:?}"
        );
    }

    struct FailingReader;

    impl std::io::Read for FailingReader {
        fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk gone"))
        }
    }

    #[test]
    fn long_decimal_literals_parse_to_the_same_value() {
        // Digits from a fixed seed, long enough to split several times,
        // compared with the library's direct parse.
        let mut rng = ix_base::rng::Rng::new(1);
        let digits: String = (0..5 * DIRECT_DIGITS + 17)
            .map(|_| char::from(b'0' + rng.below(10) as u8))
            .collect();
        for len in [1, DIRECT_DIGITS, DIRECT_DIGITS + 1, digits.len()] {
            let d = &digits.as_bytes()[..len];
            assert_eq!(decimal_value(d), BigUint::parse_bytes(d, 10).unwrap());
        }
        assert_eq!(decimal_value(b"000123"), BigUint::from(123u32));
    }
}
