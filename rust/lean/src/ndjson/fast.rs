//! The fast paths for the reader's lines.
//!
//! Lines of the exact shapes lean4export writes are decoded from their bytes
//! (`canonical.rs` for names, levels and expressions, `canonical_decl.rs` for
//! declarations). Other record lines go through serde into typed fields,
//! numbers as `u64` and strings borrowed from the line, instead of through a
//! `serde_json::Value` map; a declaration's body is read from a `Value` into
//! the same typed record (`decl.rs`). These paths never
//! reports an error: any line it does not decode cleanly (malformed,
//! duplicated keys, a wrongly typed field, an unknown binder) gives `None`,
//! and the caller re-reads that line on the general path, which alone words
//! the errors. When it does decode a line, it picks the record the general
//! path would: the same key priorities, unknown keys ignored.

use super::canonical_decl::canonical_decl_prefix;
use super::decl::decl_record;
use super::{parse_binder_info, parse_nat_literal, RawExpr, RawLevel, RawName, Record};
use crate::expr::BinderInfo;
use serde::de::{Deserializer, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::borrow::Cow;
use std::sync::Arc;

/// Decodes a record of the exact shapes lean4export writes at the start of
/// `bytes`, or `None`; with the bytes after it. Such a record is UTF-8: its
/// strings are checked as they are read, and all else is ASCII.
pub(super) fn exact_record_prefix(bytes: &[u8]) -> Option<(Record, &[u8])> {
    if let Some(found) = super::canonical::canonical_prefix(bytes) {
        return Some(found);
    }
    canonical_decl_prefix(bytes).map(|(decl, rest)| (Record::Decl(decl), rest))
}

/// [`exact_record_prefix`] on a whole line.
pub(super) fn exact_record(line: &[u8]) -> Option<Record> {
    let (record, rest) = exact_record_prefix(line)?;
    rest.is_empty().then_some(record)
}

/// Decodes one record line, or `None` to send it down the general path.
#[cfg(test)]
fn fast_record(line: &str) -> Option<Record> {
    exact_record(line.as_bytes()).or_else(|| serde_record(line))
}

/// [`fast_record`] through serde.
pub(super) fn serde_record(line: &str) -> Option<Record> {
    // serde would also accept an array for a struct; only objects are records.
    if !line.trim_start().starts_with('{') {
        return None;
    }
    let fields: Fields = serde_json::from_str(line).ok()?;
    fields.into_record()
}

/// A string borrowed from the line when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

/// A key that is present; unlike a plain `Option`, `null` is a type error
/// (the general path rejects `null` where it wants a number or an object).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

#[derive(Deserialize)]
struct NameStr<'a> {
    pre: u64,
    #[serde(borrow)]
    str: Text<'a>,
}

#[derive(Deserialize)]
struct NameNum {
    pre: u64,
    i: u64,
}

#[derive(Deserialize)]
struct Const {
    name: u64,
    us: Vec<u64>,
}

#[derive(Deserialize)]
struct App {
    #[serde(rename = "fn")]
    fun: u64,
    arg: u64,
}

#[derive(Deserialize)]
struct Binder<'a> {
    name: u64,
    #[serde(rename = "binderInfo", borrow)]
    info: Text<'a>,
    #[serde(rename = "type")]
    ty: u64,
    body: u64,
}

#[derive(Deserialize)]
struct Let {
    name: u64,
    #[serde(rename = "type")]
    ty: u64,
    value: u64,
    body: u64,
    nondep: bool,
}

#[derive(Deserialize)]
struct Proj {
    #[serde(rename = "typeName")]
    type_name: u64,
    idx: u64,
    #[serde(rename = "struct")]
    structure: u64,
}

#[derive(Deserialize)]
struct MData {
    expr: u64,
}

/// Every key a record line may have; absent keys stay `None`.
#[derive(Deserialize)]
struct Fields<'a> {
    #[serde(rename = "in", default, deserialize_with = "present")]
    name_idx: Option<u64>,
    #[serde(rename = "il", default, deserialize_with = "present")]
    level_idx: Option<u64>,
    #[serde(rename = "ie", default, deserialize_with = "present")]
    expr_idx: Option<u64>,

    #[serde(default, deserialize_with = "present", borrow)]
    str: Option<NameStr<'a>>,
    #[serde(default, deserialize_with = "present")]
    num: Option<NameNum>,

    #[serde(default, deserialize_with = "present")]
    succ: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    max: Option<(u64, u64)>,
    #[serde(default, deserialize_with = "present")]
    imax: Option<(u64, u64)>,
    #[serde(default, deserialize_with = "present")]
    param: Option<u64>,

    #[serde(default, deserialize_with = "present")]
    bvar: Option<u64>,
    #[serde(default, deserialize_with = "present")]
    sort: Option<u64>,
    #[serde(rename = "natVal", default, deserialize_with = "present", borrow)]
    nat_val: Option<Text<'a>>,
    #[serde(rename = "strVal", default, deserialize_with = "present", borrow)]
    str_val: Option<Text<'a>>,
    #[serde(rename = "const", default, deserialize_with = "present")]
    constant: Option<Const>,
    #[serde(default, deserialize_with = "present")]
    app: Option<App>,
    #[serde(default, deserialize_with = "present", borrow)]
    lam: Option<Binder<'a>>,
    #[serde(rename = "forallE", default, deserialize_with = "present", borrow)]
    forall: Option<Binder<'a>>,
    #[serde(rename = "letE", default, deserialize_with = "present")]
    let_e: Option<Let>,
    #[serde(default, deserialize_with = "present")]
    proj: Option<Proj>,
    #[serde(default, deserialize_with = "present")]
    mdata: Option<MData>,

    // Declarations, in the general path's order of precedence; boxed to keep
    // this struct small, as it is built and moved once per line.
    #[serde(default, deserialize_with = "present")]
    axiom: Option<Box<Value>>,
    #[serde(default, deserialize_with = "present")]
    def: Option<Box<Value>>,
    #[serde(default, deserialize_with = "present")]
    thm: Option<Box<Value>>,
    #[serde(default, deserialize_with = "present")]
    opaque: Option<Box<Value>>,
    #[serde(default, deserialize_with = "present")]
    quot: Option<Box<Value>>,
    #[serde(default, deserialize_with = "present")]
    inductive: Option<Box<Value>>,
}

impl Fields<'_> {
    fn into_record(self) -> Option<Record> {
        if let Some(idx) = self.name_idx {
            return Some(Record::Name(idx, self.name()?));
        }
        if let Some(idx) = self.level_idx {
            return Some(Record::Level(idx, self.level()?));
        }
        if let Some(idx) = self.expr_idx {
            return Some(Record::Expr(idx, self.expr()?));
        }
        self.declaration()
    }

    fn name(self) -> Option<RawName> {
        if let Some(s) = self.str {
            return Some(RawName::Str(s.pre, triomphe::Arc::from(s.str.0.as_ref())));
        }
        self.num.map(|n| RawName::Num(n.pre, n.i))
    }

    fn level(&self) -> Option<RawLevel> {
        if let Some(a) = self.succ {
            return Some(RawLevel::Succ(a));
        }
        if let Some((a, b)) = self.max {
            return Some(RawLevel::Max(a, b));
        }
        if let Some((a, b)) = self.imax {
            return Some(RawLevel::IMax(a, b));
        }
        self.param.map(RawLevel::Param)
    }

    fn expr(self) -> Option<RawExpr> {
        if let Some(i) = self.bvar {
            return Some(RawExpr::BVar(i));
        }
        if let Some(l) = self.sort {
            return Some(RawExpr::Sort(l));
        }
        if let Some(digits) = self.nat_val {
            return Some(RawExpr::Nat(Arc::new(parse_nat_literal(&digits.0).ok()?)));
        }
        if let Some(s) = self.str_val {
            return Some(RawExpr::Str(Arc::from(s.0.as_ref())));
        }
        if let Some(c) = self.constant {
            return Some(RawExpr::Const(c.name, c.us));
        }
        if let Some(a) = self.app {
            return Some(RawExpr::App(a.fun, a.arg));
        }
        if let Some(b) = self.lam {
            let (n, info, t, body) = binder(b)?;
            return Some(RawExpr::Lam(n, info, t, body));
        }
        if let Some(b) = self.forall {
            let (n, info, t, body) = binder(b)?;
            return Some(RawExpr::Pi(n, info, t, body));
        }
        if let Some(l) = self.let_e {
            return Some(RawExpr::Let(l.name, l.ty, l.value, l.body, l.nondep));
        }
        if let Some(p) = self.proj {
            return Some(RawExpr::Proj(p.type_name, p.idx, p.structure));
        }
        self.mdata.map(|m| RawExpr::MData(m.expr))
    }

    fn declaration(self) -> Option<Record> {
        let kinds = [
            ("axiom", self.axiom),
            ("def", self.def),
            ("thm", self.thm),
            ("opaque", self.opaque),
            ("quot", self.quot),
            ("inductive", self.inductive),
        ];
        kinds
            .into_iter()
            .find_map(|(kind, body)| Some(Record::Decl(decl_record(kind, &*body?))))
    }
}

fn binder(b: Binder) -> Option<(u64, BinderInfo, u64, u64)> {
    Some((b.name, parse_binder_info(&b.info.0).ok()?, b.ty, b.body))
}

#[cfg(test)]
mod tests {
    use super::super::record_from_object;
    use super::*;

    /// What the general path makes of a line, as text to compare.
    fn general(line: &str) -> String {
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(obj)) => format!("{:?}", record_from_object(obj)),
            other => format!("not a record: {other:?}"),
        }
    }

    /// The fast path either declines a line or agrees with the general path.
    fn agrees(line: &str) -> bool {
        match fast_record(line) {
            Some(record) => format!("{:?}", Ok::<_, String>(record)) == general(line),
            None => true,
        }
    }

    #[test]
    fn every_line_of_every_bundled_export_takes_the_fast_path_and_agrees() {
        let lines = crate::ndjson::bundled_export_lines();
        for (path, line) in &lines {
            let record = fast_record(line);
            assert!(record.is_some(), "{}: declined {line}", path.display());
            assert!(agrees(line), "{}: disagrees on {line}", path.display());
        }
        assert!(lines.len() > 10_000, "only {} lines", lines.len());
    }

    #[test]
    fn odd_lines_are_declined_or_agree() {
        let odd = [
            r#"{"in":1,"str":{"pre":0,"str":"A\u00e9\n"}}"#,
            r#"{"in":null,"il":1,"succ":0}"#,
            r#"{"in":1,"str":"A","num":{"pre":0,"i":3}}"#,
            r#"{"in":1,"str":{"pre":0,"str":"A"},"num":{"pre":0,"i":3}}"#,
            r#"{"in":1,"in":2,"str":{"pre":0,"str":"A"}}"#,
            r#"{"il":1,"max":[1,2,3]}"#,
            r#"{"il":1,"max":[1]}"#,
            r#"{"il":1,"succ":-1}"#,
            r#"{"il":1,"succ":1.0}"#,
            r#"{"il":1,"succ":18446744073709551616}"#,
            r#"{"ie":1,"bvar":0,"app":{"fn":1,"arg":2}}"#,
            r#"{"ie":1,"app":{"fn":1}}"#,
            r#"{"ie":1,"app":{"fn":1,"arg":2,"extra":[null]}}"#,
            r#"{"ie":1,"lam":{"name":1,"binderInfo":"weird","type":1,"body":2}}"#,
            r#"{"ie":1,"natVal":"12a"}"#,
            r#"{"ie":1,"natVal":"123456789012345678901234567890"}"#,
            r#"{"ie":1,"strVal":"\ud83d\ude00 x"}"#,
            r#"{"ie":1,"const":{"name":1,"us":null}}"#,
            r#"{"ie":1,"letE":{"name":1,"type":1,"value":1,"body":1,"nondep":0}}"#,
            r#"{"def":null}"#,
            r#"{"thm":{"a":1},"def":[1]}"#,
            r#"{"ie":1,"mdata":{"expr":2,"data":{"k":1}}}"#,
            r#"{"nothing":1}"#,
            r#"[1,{"pre":0,"str":"A"}]"#,
            r#"  {"il":1,"param":2}  "#,
        ];
        for line in odd {
            assert!(agrees(line), "disagrees on {line}");
        }
        // These must be decoded fast, not merely declined.
        for line in [odd[0], odd[3], odd[12], odd[15], odd[16], odd[20], odd[21]] {
            assert!(fast_record(line).is_some(), "declined {line}");
        }
        for line in [
            odd[1], odd[2], odd[4], odd[5], odd[6], odd[13], odd[14], odd[23],
        ] {
            assert!(fast_record(line).is_none(), "accepted {line}");
        }
    }
}
