//! Writer for lean4export NDJSON (format 3.1.0): the inverse of the reader.
//!
//! The output is a strict lean4export: every name, level and expression is
//! written once (interned structurally, so two equal terms built apart share
//! one index) and indices are dense from 0. A DAG stays a DAG on disk.
//!
//! Remembering every record written makes memory grow with the file. A
//! generator that knows when its constants stop being referenced can keep it
//! flat with scopes: it writes each declaration in a [`Scope`] and, once no
//! later declaration will mention that scope's constants, retires it
//! ([`NdjsonWriter::retire`]). Every record is filed under the newest scope
//! among the constants it mentions (its anchor); retiring a scope forgets the
//! names it declared and the records filed under it. A forgotten record can
//! never be needed again, since it mentions a constant no later declaration
//! mentions, so the output stays strict.
//!
//! A scope whose constants stay referenced for long can be narrowed instead
//! ([`NdjsonWriter::narrow`]): it keeps its names and its small records (at
//! most [`HANDLE_SIZE`] nodes, such as a constant applied to a type and an
//! instance) and forgets the larger ones. Writing a large record filed under
//! a narrowed scope that it no longer remembers is refused with an error, as
//! it might repeat a forgotten one.

use crate::decl::*;
use crate::expr::{BinderInfo, Expr, ExprRef, Literal};
use crate::level::{Level, LevelRef};
use crate::name::{Name, NamePart};
use rustc_hash::{FxHashMap, FxHashSet};
use serde_json::{json, Value};
use std::io::{self, Write};

/// A group of declarations whose records are forgotten together. Scopes are
/// numbered in the order they are opened; [`GLOBAL`] is never retired.
pub type Scope = u32;

/// The scope of everything written with [`NdjsonWriter::declaration`].
pub const GLOBAL: Scope = 0;

/// The most nodes (counted as a tree) of a record a narrowed scope keeps.
pub const HANDLE_SIZE: u8 = 5;

/// An expression met by address: its index, anchor and tree size (saturating).
#[derive(Clone, Copy)]
struct Met {
    idx: u64,
    anchor: Scope,
    size: u8,
}

/// An expression record with its children as indices: equal keys are equal
/// records, as names, levels and expressions each have one index.
#[derive(Clone, PartialEq, Eq, Hash)]
enum ExprKey {
    BVar(u64),
    Sort(u64),
    Const(u64, Box<[u64]>),
    App(u64, u64),
    Binder {
        pi: bool,
        info: BinderInfo,
        name: u64,
        ty: u64,
        body: u64,
    },
    Let(Box<LetKey>),
    Nat(Box<str>),
    Str(Box<str>),
    Proj(u64, u64, u64),
}

#[derive(Clone, PartialEq, Eq, Hash)]
struct LetKey {
    name: u64,
    ty: u64,
    value: u64,
    body: u64,
    non_dep: bool,
}

/// Streams records to `out`, numbering names, levels and expressions as it goes.
pub struct NdjsonWriter<W: Write> {
    out: W,
    /// Every name written and not retired, with its index and scope.
    names: FxHashMap<Name, (u64, Scope)>,
    next_name: u64,
    /// The names each open scope declared (what retiring it forgets).
    scope_names: FxHashMap<Scope, Vec<Name>>,
    levels: FxHashMap<*const Level, u64>,
    level_keys: FxHashMap<String, u64>,
    /// Expressions met by address.
    exprs: FxHashMap<*const Expr, Met>,
    /// Every expression record written and not forgotten, by anchor: its
    /// index and tree size.
    expr_keys: FxHashMap<Scope, FxHashMap<ExprKey, (u64, u8)>>,
    narrowed: FxHashSet<Scope>,
    next_expr: u64,
    /// Keeps every expression met by address alive so its address is not reused.
    pinned: Vec<ExprRef>,
    pinned_levels: Vec<LevelRef>,
}

impl<W: Write> NdjsonWriter<W> {
    /// Starts a file with the `meta` header.
    pub fn new(mut out: W, meta: &ExportMeta) -> io::Result<Self> {
        let header = json!({"meta": {
            "exporter": {"name": meta.exporter_name, "version": meta.exporter_version},
            "format": {"version": meta.format_version},
            "lean": {"githash": meta.lean_githash, "version": meta.lean_version},
        }});
        writeln!(out, "{header}")?;
        Ok(NdjsonWriter {
            out,
            names: FxHashMap::default(),
            next_name: 1,
            scope_names: FxHashMap::default(),
            levels: FxHashMap::default(),
            level_keys: FxHashMap::default(),
            exprs: FxHashMap::default(),
            expr_keys: FxHashMap::default(),
            narrowed: FxHashSet::default(),
            next_expr: 0,
            pinned: Vec::new(),
            pinned_levels: Vec::new(),
        })
    }

    /// Unpins the expressions written so far, so their memory can be freed;
    /// only their compact records stay, so a later equal term still gets the
    /// same index. Generators of very large files call this between chunks.
    pub fn forget_expressions(&mut self) {
        self.exprs.clear();
        self.pinned.clear();
    }

    /// Forgets the names `scope` declared and every record filed under it.
    /// The caller promises that no later declaration mentions a constant
    /// `scope` declared; [`GLOBAL`] is never retired.
    pub fn retire(&mut self, scope: Scope) {
        if scope == GLOBAL {
            return;
        }
        self.expr_keys.remove(&scope);
        self.narrowed.remove(&scope);
        for name in self.scope_names.remove(&scope).unwrap_or_default() {
            self.names.remove(&name);
        }
        self.exprs.retain(|_, met| met.anchor != scope);
    }

    /// Forgets the records filed under `scope` larger than [`HANDLE_SIZE`]
    /// nodes, keeping its names. The caller promises that later
    /// declarations mention `scope`'s constants only in small records.
    pub fn narrow(&mut self, scope: Scope) {
        if scope == GLOBAL {
            return;
        }
        if let Some(table) = self.expr_keys.get_mut(&scope) {
            table.retain(|_, &mut (_, size)| size <= HANDLE_SIZE);
            table.shrink_to_fit();
        }
        self.narrowed.insert(scope);
        self.exprs.retain(|_, met| met.anchor != scope);
    }

    /// Records currently remembered for deduplication: names, expressions.
    pub fn remembered(&self) -> (usize, usize) {
        let exprs = self.expr_keys.values().map(|t| t.len()).sum();
        (self.names.len(), exprs)
    }

    pub fn into_inner(self) -> W {
        self.out
    }

    fn line(&mut self, v: Value) -> io::Result<()> {
        writeln!(self.out, "{v}")
    }

    fn name(&mut self, n: &Name) -> io::Result<u64> {
        Ok(self.name_in(n, GLOBAL)?.0)
    }

    /// The index and scope of `n`, writing it (and its prefixes) first if
    /// new: a new name is filed under `scope`.
    fn name_in(&mut self, n: &Name, scope: Scope) -> io::Result<(u64, Scope)> {
        if n.is_anonymous() {
            return Ok((0, GLOBAL));
        }
        if let Some(&entry) = self.names.get(n) {
            return Ok(entry);
        }
        let (pre, _) = self.name_in(&n.prefix(), scope)?;
        let idx = self.next_name;
        let record = match n.last() {
            Some(NamePart::Num(k)) => json!({"in": idx, "num": {"pre": pre, "i": k}}),
            Some(NamePart::Str(s)) => json!({"in": idx, "str": {"pre": pre, "str": &**s}}),
            None => return Ok((0, GLOBAL)),
        };
        self.line(record)?;
        self.next_name += 1;
        self.names.insert(n.clone(), (idx, scope));
        if scope != GLOBAL {
            self.scope_names.entry(scope).or_default().push(n.clone());
        }
        Ok((idx, scope))
    }

    fn level(&mut self, l: &LevelRef) -> io::Result<u64> {
        if let Level::Zero = **l {
            return Ok(0);
        }
        if let Some(&i) = self.levels.get(&std::sync::Arc::as_ptr(l)) {
            return Ok(i);
        }
        let body = match &**l {
            Level::Zero => return Ok(0),
            Level::Succ(a) => json!({"succ": self.level(a)?}),
            Level::Max(a, b) => json!({"max": [self.level(a)?, self.level(b)?]}),
            Level::IMax(a, b) => json!({"imax": [self.level(a)?, self.level(b)?]}),
            Level::Param(n) => json!({"param": self.name(n)?}),
        };
        // Structurally equal levels behind different pointers share one index.
        let key = body.to_string();
        let idx = match self.level_keys.get(&key) {
            Some(&i) => i,
            None => {
                let idx = self.level_keys.len() as u64 + 1;
                let mut record = body;
                record["il"] = json!(idx);
                self.line(record)?;
                self.level_keys.insert(key, idx);
                idx
            }
        };
        self.levels.insert(std::sync::Arc::as_ptr(l), idx);
        self.pinned_levels.push(l.clone());
        Ok(idx)
    }

    fn levels(&mut self, ls: &[LevelRef]) -> io::Result<Vec<u64>> {
        ls.iter().map(|l| self.level(l)).collect()
    }

    /// Writes `e` and everything below it not yet written; iterative, so
    /// deep terms are fine.
    fn expr(&mut self, e: &ExprRef) -> io::Result<u64> {
        let mut stack: Vec<(ExprRef, bool)> = vec![(e.clone(), false)];
        while let Some((node, expanded)) = stack.pop() {
            let key = std::sync::Arc::as_ptr(&node);
            if self.exprs.contains_key(&key) {
                continue;
            }
            if !expanded {
                stack.push((node.clone(), true));
                for child in node.children() {
                    stack.push((child.clone(), false));
                }
                continue;
            }
            let (record, anchor) = self.expr_key(&node)?;
            let size = node.children().iter().fold(1u8, |size, child| {
                size.saturating_add(self.exprs[&std::sync::Arc::as_ptr(child)].size)
            });
            let table = self.expr_keys.entry(anchor).or_default();
            let idx = match table.get(&record) {
                Some(&(i, _)) => i,
                None if size > HANDLE_SIZE && self.narrowed.contains(&anchor) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidInput,
                        format!(
                            "an expression of {size}+ nodes filed under narrowed scope {anchor} \
                             may repeat a forgotten record"
                        ),
                    ));
                }
                None => {
                    let idx = self.next_expr;
                    let body = render(&record).to_string();
                    write_with_index(&mut self.out, &body, idx)?;
                    table.insert(record, (idx, size));
                    self.next_expr += 1;
                    idx
                }
            };
            self.exprs.insert(key, Met { idx, anchor, size });
            self.pinned.push(node);
        }
        Ok(self.exprs[&std::sync::Arc::as_ptr(e)].idx)
    }

    fn child(&self, e: &ExprRef) -> (u64, Scope) {
        let met = self.exprs[&std::sync::Arc::as_ptr(e)];
        (met.idx, met.anchor)
    }

    /// The record of `e` (its children already written) and its anchor: the
    /// newest scope among the names it mentions and its children's anchors.
    fn expr_key(&mut self, e: &Expr) -> io::Result<(ExprKey, Scope)> {
        Ok(match e {
            Expr::BVar(i) => (ExprKey::BVar(*i), GLOBAL),
            Expr::Sort(l) => (ExprKey::Sort(self.level(l)?), GLOBAL),
            Expr::Const(n, us) => {
                let (name, scope) = self.name_in(n, GLOBAL)?;
                (ExprKey::Const(name, self.levels(us)?.into()), scope)
            }
            Expr::App(f, a) => {
                let ((f, fs), (a, as_)) = (self.child(f), self.child(a));
                (ExprKey::App(f, a), fs.max(as_))
            }
            Expr::Lam {
                name,
                info,
                ty,
                body,
            }
            | Expr::Pi {
                name,
                info,
                ty,
                body,
            } => {
                let (name, ns) = self.name_in(name, GLOBAL)?;
                let ((ty, ts), (body, bs)) = (self.child(ty), self.child(body));
                let pi = matches!(e, Expr::Pi { .. });
                let key = ExprKey::Binder {
                    pi,
                    info: *info,
                    name,
                    ty,
                    body,
                };
                (key, ns.max(ts).max(bs))
            }
            Expr::Let {
                name,
                ty,
                value,
                body,
                non_dep,
            } => {
                let (name, ns) = self.name_in(name, GLOBAL)?;
                let ((ty, ts), (value, vs), (body, bs)) =
                    (self.child(ty), self.child(value), self.child(body));
                let key = LetKey {
                    name,
                    ty,
                    value,
                    body,
                    non_dep: *non_dep,
                };
                (ExprKey::Let(Box::new(key)), ns.max(ts).max(vs).max(bs))
            }
            Expr::Lit(Literal::Nat(n)) => (ExprKey::Nat(n.to_string().into()), GLOBAL),
            Expr::Lit(Literal::Str(s)) => (ExprKey::Str((**s).into()), GLOBAL),
            Expr::Proj(s, i, x) => {
                let (s, ss) = self.name_in(s, GLOBAL)?;
                let (x, xs) = self.child(x);
                (ExprKey::Proj(s, *i, x), ss.max(xs))
            }
        })
    }

    fn names(&mut self, ns: &[Name]) -> io::Result<Vec<u64>> {
        ns.iter().map(|n| self.name(n)).collect()
    }

    /// The name, level-parameter and type fields every constant has.
    fn cval(&mut self, c: &ConstantVal) -> io::Result<serde_json::Map<String, Value>> {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), json!(self.name(&c.name)?));
        m.insert("levelParams".into(), json!(self.names(&c.level_params)?));
        m.insert("type".into(), json!(self.expr(&c.ty)?));
        Ok(m)
    }

    /// Writes one declaration (and any names, levels and expressions it needs first).
    pub fn declaration(&mut self, d: &Declaration) -> io::Result<()> {
        self.declaration_in(GLOBAL, d)
    }

    /// Writes one declaration in `scope`: the names it declares (and their
    /// prefixes not yet written) belong to `scope`, so records that mention
    /// them are forgotten when it is retired.
    pub fn declaration_in(&mut self, scope: Scope, d: &Declaration) -> io::Result<()> {
        if scope != GLOBAL {
            for name in d.names() {
                self.name_in(name, scope)?;
            }
        }
        let record = match d {
            Declaration::Axiom(v) => {
                let mut m = self.cval(&v.cval)?;
                m.insert("isUnsafe".into(), json!(v.is_unsafe));
                json!({"axiom": m})
            }
            Declaration::Definition(v) => {
                let mut m = self.cval(&v.cval)?;
                m.insert("value".into(), json!(self.expr(&v.value)?));
                m.insert("hints".into(), hints(v.hints));
                m.insert("safety".into(), json!(safety(v.safety)));
                m.insert("all".into(), json!(self.names(&v.all)?));
                json!({"def": m})
            }
            Declaration::Theorem(v) => {
                let mut m = self.cval(&v.cval)?;
                m.insert("value".into(), json!(self.expr(&v.value)?));
                m.insert("all".into(), json!(self.names(&v.all)?));
                json!({"thm": m})
            }
            Declaration::Opaque(v) => {
                let mut m = self.cval(&v.cval)?;
                m.insert("value".into(), json!(self.expr(&v.value)?));
                m.insert("isUnsafe".into(), json!(v.is_unsafe));
                m.insert("all".into(), json!(self.names(&v.all)?));
                json!({"opaque": m})
            }
            Declaration::Quot(v) => {
                let mut m = self.cval(&v.cval)?;
                m.insert("kind".into(), json!(quot_kind(v.kind)));
                json!({"quot": m})
            }
            Declaration::Inductive(b) => self.inductive(b)?,
        };
        self.line(record)
    }

    fn inductive(&mut self, b: &InductiveBlock) -> io::Result<Value> {
        let mut types = Vec::new();
        for t in &b.types {
            let mut m = self.cval(&t.cval)?;
            m.insert("numParams".into(), json!(t.num_params));
            m.insert("numIndices".into(), json!(t.num_indices));
            m.insert("all".into(), json!(self.names(&t.all)?));
            m.insert("ctors".into(), json!(self.names(&t.ctors)?));
            m.insert("numNested".into(), json!(t.num_nested));
            m.insert("isRec".into(), json!(t.is_rec));
            m.insert("isUnsafe".into(), json!(t.is_unsafe));
            m.insert("isReflexive".into(), json!(t.is_reflexive));
            types.push(Value::Object(m));
        }
        let mut ctors = Vec::new();
        for c in &b.ctors {
            let mut m = self.cval(&c.cval)?;
            m.insert("induct".into(), json!(self.name(&c.induct)?));
            m.insert("cidx".into(), json!(c.cidx));
            m.insert("numParams".into(), json!(c.num_params));
            m.insert("numFields".into(), json!(c.num_fields));
            m.insert("isUnsafe".into(), json!(c.is_unsafe));
            ctors.push(Value::Object(m));
        }
        let mut recs = Vec::new();
        for r in &b.recs {
            let mut m = self.cval(&r.cval)?;
            m.insert("all".into(), json!(self.names(&r.all)?));
            m.insert("numParams".into(), json!(r.num_params));
            m.insert("numIndices".into(), json!(r.num_indices));
            m.insert("numMotives".into(), json!(r.num_motives));
            m.insert("numMinors".into(), json!(r.num_minors));
            let mut rules = Vec::new();
            for rule in &r.rules {
                rules.push(json!({"ctor": self.name(&rule.ctor)?, "nfields": rule.num_fields, "rhs": self.expr(&rule.rhs)?}));
            }
            m.insert("rules".into(), json!(rules));
            m.insert("k".into(), json!(r.k));
            m.insert("isUnsafe".into(), json!(r.is_unsafe));
            recs.push(Value::Object(m));
        }
        Ok(json!({"inductive": {"types": types, "ctors": ctors, "recs": recs}}))
    }
}

/// Writes a whole environment.
pub fn write_environment<W: Write>(out: W, env: &Environment) -> io::Result<W> {
    let mut writer = NdjsonWriter::new(out, &env.meta)?;
    for d in &env.decls {
        writer.declaration(d)?;
    }
    Ok(writer.into_inner())
}

/// The JSON record of an expression, without its index.
fn render(key: &ExprKey) -> Value {
    match key {
        ExprKey::BVar(i) => json!({"bvar": i}),
        ExprKey::Sort(l) => json!({"sort": l}),
        ExprKey::Const(name, us) => json!({"const": {"name": name, "us": us}}),
        ExprKey::App(f, a) => json!({"app": {"fn": f, "arg": a}}),
        ExprKey::Binder {
            pi,
            info,
            name,
            ty,
            body,
        } => {
            let binder =
                json!({"name": name, "type": ty, "body": body, "binderInfo": binder_info(*info)});
            if *pi {
                json!({ "forallE": binder })
            } else {
                json!({ "lam": binder })
            }
        }
        ExprKey::Let(k) => json!({"letE": {
            "name": k.name, "type": k.ty, "value": k.value, "body": k.body, "nondep": k.non_dep}}),
        ExprKey::Nat(n) => json!({ "natVal": &**n }),
        ExprKey::Str(s) => json!({ "strVal": &**s }),
        ExprKey::Proj(s, i, x) => json!({"proj": {"typeName": s, "idx": i, "struct": x}}),
    }
}

/// Writes an expression record with its `"ie"` key placed where a sorted
/// JSON object has it (as lean4export and the reader's fast path expect).
fn write_with_index(out: &mut impl Write, body: &str, idx: u64) -> io::Result<()> {
    let kind = body
        .get(2..)
        .and_then(|b| b.split('"').next())
        .unwrap_or("");
    if kind < "ie" {
        writeln!(out, "{},\"ie\":{idx}}}", &body[..body.len() - 1])
    } else {
        writeln!(out, "{{\"ie\":{idx},{}", &body[1..])
    }
}

fn binder_info(b: BinderInfo) -> &'static str {
    match b {
        BinderInfo::Default => "default",
        BinderInfo::Implicit => "implicit",
        BinderInfo::StrictImplicit => "strictImplicit",
        BinderInfo::InstImplicit => "instImplicit",
    }
}

fn hints(h: ReducibilityHints) -> Value {
    match h {
        ReducibilityHints::Opaque => json!("opaque"),
        ReducibilityHints::Abbrev => json!("abbrev"),
        ReducibilityHints::Regular(n) => json!({"regular": n}),
    }
}

fn safety(s: DefinitionSafety) -> &'static str {
    match s {
        DefinitionSafety::Unsafe => "unsafe",
        DefinitionSafety::Safe => "safe",
        DefinitionSafety::Partial => "partial",
    }
}

fn quot_kind(k: QuotKind) -> &'static str {
    match k {
        QuotKind::Type => "type",
        QuotKind::Ctor => "ctor",
        QuotKind::Lift => "lift",
        QuotKind::Ind => "ind",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn meta() -> ExportMeta {
        ExportMeta {
            exporter_name: "test".into(),
            exporter_version: "0".into(),
            format_version: "3.1.0".into(),
            lean_version: String::new(),
            lean_githash: String::new(),
        }
    }

    fn cnst(name: &str) -> ExprRef {
        Arc::new(Expr::Const(Name::from_dotted(name), Vec::new()))
    }

    /// `f x x …` with `args` arguments: a record of `2 * args + 1` nodes.
    fn apps(f: &str, x: &str, args: usize) -> ExprRef {
        (0..args).fold(cnst(f), |acc, _| Arc::new(Expr::App(acc, cnst(x))))
    }

    fn axiom(name: &str, ty: ExprRef) -> Declaration {
        Declaration::Axiom(AxiomVal {
            cval: ConstantVal {
                name: Name::from_dotted(name),
                level_params: Vec::new(),
                ty,
            },
            is_unsafe: false,
        })
    }

    fn lines(w: NdjsonWriter<Vec<u8>>) -> Vec<String> {
        let text = String::from_utf8(w.into_inner()).expect("UTF-8");
        text.lines().map(str::to_string).collect()
    }

    #[test]
    fn a_retired_scope_is_forgotten_and_the_rest_still_shared() {
        let mut w = NdjsonWriter::new(Vec::new(), &meta()).expect("header");
        w.declaration(&axiom("G", apps("Sort0", "Sort0", 1)))
            .expect("global");
        w.declaration_in(1, &axiom("S.a", apps("G", "G", 3)))
            .expect("scoped");
        w.declaration_in(1, &axiom("S.b", apps("S.a", "G", 3)))
            .expect("scoped");
        let before = w.remembered();
        w.retire(1);
        let after = w.remembered();
        assert_eq!(before.0 - after.0, 3, "S, S.a and S.b forgotten");
        assert!(after.1 < before.1, "{before:?} {after:?}");
        // A global term met again keeps its index: no second record.
        let written = w.next_expr;
        w.declaration_in(2, &axiom("T", apps("G", "G", 3)))
            .expect("scoped");
        assert_eq!(w.next_expr, written, "G G G G was remembered globally");
        let out = lines(w);
        let exprs = out.iter().filter(|l| l.contains("\"ie\"")).count();
        assert_eq!(exprs as u64, written);
    }

    #[test]
    fn a_narrowed_scope_keeps_handles_and_refuses_large_forgotten_records() {
        let mut w = NdjsonWriter::new(Vec::new(), &meta()).expect("header");
        let handle = apps("S.f", "G", 2);
        let large = apps("S.f", "G", 3);
        w.declaration_in(1, &axiom("S.f", cnst("G"))).expect("f");
        w.declaration_in(1, &axiom("S.x", large.clone()))
            .expect("x");
        w.declaration_in(1, &axiom("S.y", handle.clone()))
            .expect("y");
        w.narrow(1);
        w.forget_expressions();
        let written = w.next_expr;
        // The handle is remembered: the same index, no new record.
        w.declaration_in(2, &axiom("T.y", apps("S.f", "G", 2)))
            .expect("a handle");
        assert_eq!(w.next_expr, written);
        let err = w
            .declaration_in(2, &axiom("T.x", apps("S.f", "G", 3)))
            .expect_err("a forgotten large record");
        assert!(err.to_string().contains("narrowed scope 1"), "{err}");
    }

    #[test]
    fn global_output_is_unchanged_by_scopes() {
        let decls = [axiom("A", apps("G", "G", 2)), axiom("B", apps("A", "G", 2))];
        let mut global = NdjsonWriter::new(Vec::new(), &meta()).expect("header");
        let mut scoped = NdjsonWriter::new(Vec::new(), &meta()).expect("header");
        for d in &decls {
            global.declaration(d).expect("global");
            scoped.declaration_in(7, d).expect("scoped");
        }
        let (global, scoped) = (lines(global), lines(scoped));
        let sorted = |mut v: Vec<String>| {
            v.sort();
            v
        };
        // The same records; a scope only writes declared names earlier.
        assert_eq!(sorted(global), sorted(scoped));
    }
}
