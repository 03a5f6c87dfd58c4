//! Writer for lean4export NDJSON (format 3.1.0): the inverse of the reader.
//!
//! The output is a strict lean4export: every name, level and expression is
//! written once (interned structurally, so two equal terms built apart share
//! one index) and indices are dense from 0. A DAG stays a DAG on disk.

use crate::decl::*;
use crate::expr::{BinderInfo, Expr, ExprRef, Literal};
use crate::level::{Level, LevelRef};
use crate::name::{Name, NamePart};
use rustc_hash::FxHashMap;
use serde_json::{json, Value};
use std::io::{self, Write};

/// Streams records to `out`, numbering names, levels and expressions as it goes.
pub struct NdjsonWriter<W: Write> {
    out: W,
    names: FxHashMap<Name, u64>,
    levels: FxHashMap<*const Level, u64>,
    level_keys: FxHashMap<String, u64>,
    exprs: FxHashMap<*const Expr, u64>,
    /// Every expression written, by its record (children as indices): what
    /// keeps two equal terms from getting two lines.
    expr_keys: FxHashMap<Box<str>, u64>,
    /// Keeps every written expression alive so its address is not reused.
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
            levels: FxHashMap::default(),
            level_keys: FxHashMap::default(),
            exprs: FxHashMap::default(),
            expr_keys: FxHashMap::default(),
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

    pub fn into_inner(self) -> W {
        self.out
    }

    fn line(&mut self, v: Value) -> io::Result<()> {
        writeln!(self.out, "{v}")
    }

    fn name(&mut self, n: &Name) -> io::Result<u64> {
        if n.is_anonymous() {
            return Ok(0);
        }
        if let Some(&i) = self.names.get(n) {
            return Ok(i);
        }
        let pre = self.name(&n.prefix())?;
        let idx = self.names.len() as u64 + 1;
        let record = match n.last() {
            Some(NamePart::Num(k)) => json!({"in": idx, "num": {"pre": pre, "i": k}}),
            Some(NamePart::Str(s)) => json!({"in": idx, "str": {"pre": pre, "str": &**s}}),
            None => return Ok(0),
        };
        self.line(record)?;
        self.names.insert(n.clone(), idx);
        Ok(idx)
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
            let body = self.expr_body(&node)?.to_string();
            let idx = match self.expr_keys.get(body.as_str()) {
                Some(&i) => i,
                None => {
                    let idx = self.expr_keys.len() as u64;
                    write_with_index(&mut self.out, &body, idx)?;
                    self.expr_keys.insert(body.into_boxed_str(), idx);
                    idx
                }
            };
            self.exprs.insert(key, idx);
            self.pinned.push(node);
        }
        Ok(self.exprs[&std::sync::Arc::as_ptr(e)])
    }

    fn child(&self, e: &ExprRef) -> u64 {
        self.exprs[&std::sync::Arc::as_ptr(e)]
    }

    /// The record of `e` without its index (a JSON object).
    fn expr_body(&mut self, e: &Expr) -> io::Result<Value> {
        Ok(match e {
            Expr::BVar(i) => json!({"bvar": i}),
            Expr::Sort(l) => json!({"sort": self.level(l)?}),
            Expr::Const(n, us) => {
                json!({"const": {"name": self.name(n)?, "us": self.levels(us)?}})
            }
            Expr::App(f, a) => {
                json!({"app": {"fn": self.child(f), "arg": self.child(a)}})
            }
            Expr::Lam {
                name,
                info,
                ty,
                body,
            } => {
                json!({"lam": {"name": self.name(name)?, "type": self.child(ty), "body": self.child(body), "binderInfo": binder_info(*info)}})
            }
            Expr::Pi {
                name,
                info,
                ty,
                body,
            } => {
                json!({"forallE": {"name": self.name(name)?, "type": self.child(ty), "body": self.child(body), "binderInfo": binder_info(*info)}})
            }
            Expr::Let {
                name,
                ty,
                value,
                body,
                non_dep,
            } => json!({"letE": {
                "name": self.name(name)?, "type": self.child(ty), "value": self.child(value),
                "body": self.child(body), "nondep": non_dep}}),
            Expr::Lit(Literal::Nat(n)) => json!({"natVal": n.to_string()}),
            Expr::Lit(Literal::Str(s)) => json!({"strVal": &**s}),
            Expr::Proj(s, i, x) => {
                json!({"proj": {"typeName": self.name(s)?, "idx": i, "struct": self.child(x)}})
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
