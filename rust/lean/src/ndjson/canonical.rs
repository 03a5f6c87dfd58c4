//! The quickest path: name, level and expression lines in the exact shape
//! lean4export writes them (keys in sorted order, no spaces, strings without
//! escapes), decoded by matching bytes. Anything else, however valid, gives
//! `None` and goes down the serde paths (see `fast.rs`); on every line it
//! decodes, this path gives the record they give.

use super::{binder_info, parse_nat_literal, RawExpr, RawLevel, RawName, Record};
use crate::expr::BinderInfo;
use std::sync::Arc;

/// Decodes a record of the canonical shape at the start of `bytes`, or
/// `None`; with the bytes after it. The index key may come first (as some
/// exporters write it) or where sorting puts it. A record never runs past
/// a line end: no byte it takes is a control character.
pub(super) fn canonical_prefix(bytes: &[u8]) -> Option<(Record, &[u8])> {
    let mut c = Cursor(bytes);
    c.expect(b"{\"")?;
    let record = match index(&mut c) {
        Some((table, idx)) => {
            c.expect(b",\"")?;
            record_of(table, idx, &mut c)?
        }
        None => kind_then_index(&mut c)?,
    };
    c.expect(b"}")?;
    Some((record, c.0))
}

/// Which table an index key names.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Table {
    Name,
    Level,
    Expr,
}

/// `ie":N`, `il":N` or `in":N`.
fn index(c: &mut Cursor) -> Option<(Table, u64)> {
    // Matched as a pattern, not by `eat`: every term line tries this first.
    let (table, rest) = match c.0 {
        [b'i', b'e', b'"', b':', rest @ ..] => (Table::Expr, rest),
        [b'i', b'l', b'"', b':', rest @ ..] => (Table::Level, rest),
        [b'i', b'n', b'"', b':', rest @ ..] => (Table::Name, rest),
        _ => return None,
    };
    c.0 = rest;
    Some((table, c.num()?))
}

/// A record of `table` at `idx`, from its kind's key on.
fn record_of(table: Table, idx: u64, c: &mut Cursor) -> Option<Record> {
    Some(match table {
        Table::Expr => Record::Expr(idx, expr(c)?),
        Table::Level => Record::Level(idx, level(c)?),
        Table::Name => Record::Name(idx, name(c)?),
    })
}

/// The kind and its body first, then `,"ie":N` (or `il`, `in`).
fn kind_then_index(c: &mut Cursor) -> Option<Record> {
    let start = c.0;
    for table in [Table::Expr, Table::Level, Table::Name] {
        c.0 = start;
        let Some(record) = record_of(table, 0, c) else {
            continue;
        };
        c.expect(b",\"")?;
        let (key, idx) = index(c)?;
        return match record {
            _ if key != table => None,
            Record::Expr(_, e) => Some(Record::Expr(idx, e)),
            Record::Level(_, l) => Some(Record::Level(idx, l)),
            Record::Name(_, n) => Some(Record::Name(idx, n)),
            Record::Decl(..) => None,
        };
    }
    None
}

/// An expression kind and its body, from its key on: `app":{..}`.
fn expr(c: &mut Cursor) -> Option<RawExpr> {
    if c.eat(b"app\":{") {
        let (arg, fun) = c.two_keys(b"\"arg\":", b",\"fn\":")?;
        Some(RawExpr::App(fun, arg))
    } else if c.eat(b"bvar\":") {
        Some(RawExpr::BVar(c.num()?))
    } else if c.eat(b"const\":{\"name\":") {
        let name = c.num()?;
        c.expect(b",\"us\":[")?;
        let mut levels = Vec::new();
        if !c.eat(b"]") {
            loop {
                levels.push(c.num()?);
                if c.eat(b"]") {
                    break;
                }
                c.expect(b",")?;
            }
        }
        c.expect(b"}")?;
        Some(RawExpr::Const(name, levels))
    } else if c.eat(b"forallE\":") {
        let (name, info, ty, body) = binder(c)?;
        Some(RawExpr::Pi(name, info, ty, body))
    } else if c.eat(b"lam\":") {
        let (name, info, ty, body) = binder(c)?;
        Some(RawExpr::Lam(name, info, ty, body))
    } else if c.eat(b"letE\":{") {
        let body = c.key_num(b"\"body\":")?;
        let name = c.key_num(b",\"name\":")?;
        c.expect(b",\"nondep\":")?;
        let non_dep = c.boolean()?;
        let ty = c.key_num(b",\"type\":")?;
        let value = c.key_num(b",\"value\":")?;
        c.expect(b"}")?;
        Some(RawExpr::Let(name, ty, value, body, non_dep))
    } else if c.eat(b"natVal\":") {
        let digits = c.plain_str()?;
        Some(RawExpr::Nat(Arc::new(parse_nat_literal(digits).ok()?)))
    } else if c.eat(b"proj\":{") {
        let idx = c.key_num(b"\"idx\":")?;
        let structure = c.key_num(b",\"struct\":")?;
        let type_name = c.key_num(b",\"typeName\":")?;
        c.expect(b"}")?;
        Some(RawExpr::Proj(type_name, idx, structure))
    } else if c.eat(b"sort\":") {
        Some(RawExpr::Sort(c.num()?))
    } else {
        None
    }
}

/// `{"binderInfo":"..","body":B,"name":N,"type":T}`.
fn binder(c: &mut Cursor) -> Option<(u64, BinderInfo, u64, u64)> {
    c.expect(b"{\"binderInfo\":")?;
    let info = binder_info(c.plain_bytes()?)?;
    let body = c.key_num(b",\"body\":")?;
    let name = c.key_num(b",\"name\":")?;
    let ty = c.key_num(b",\"type\":")?;
    c.expect(b"}")?;
    Some((name, info, ty, body))
}

fn name(c: &mut Cursor) -> Option<RawName> {
    if c.eat(b"num\":{") {
        let (i, pre) = c.two_keys(b"\"i\":", b",\"pre\":")?;
        Some(RawName::Num(pre, i))
    } else {
        c.expect(b"str\":{\"pre\":")?;
        let pre = c.num()?;
        c.expect(b",\"str\":")?;
        let s = c.plain_str()?;
        c.expect(b"}")?;
        Some(RawName::Str(pre, triomphe::Arc::from(s)))
    }
}

fn level(c: &mut Cursor) -> Option<RawLevel> {
    if c.eat(b"imax\":[") {
        let (a, b) = pair(c)?;
        Some(RawLevel::IMax(a, b))
    } else if c.eat(b"max\":[") {
        let (a, b) = pair(c)?;
        Some(RawLevel::Max(a, b))
    } else if c.eat(b"param\":") {
        Some(RawLevel::Param(c.num()?))
    } else {
        c.expect(b"succ\":")?;
        Some(RawLevel::Succ(c.num()?))
    }
}

/// `A,B]`.
fn pair(c: &mut Cursor) -> Option<(u64, u64)> {
    let a = c.num()?;
    c.expect(b",")?;
    let b = c.num()?;
    c.expect(b"]")?;
    Some((a, b))
}

/// The rest of a line.
pub(super) struct Cursor<'a>(pub(super) &'a [u8]);

impl<'a> Cursor<'a> {
    /// Consumes `prefix` if the rest starts with it. Of a length known when
    /// compiling, so the comparison is a few loads, not a call to `memcmp`.
    #[inline]
    pub(super) fn eat<const N: usize>(&mut self, prefix: &[u8; N]) -> bool {
        match self.0.split_first_chunk::<N>() {
            Some((head, rest)) if head == prefix => {
                self.0 = rest;
                true
            }
            _ => false,
        }
    }

    #[inline]
    pub(super) fn expect<const N: usize>(&mut self, prefix: &[u8; N]) -> Option<()> {
        self.eat(prefix).then_some(())
    }

    /// The number after `key`.
    #[inline]
    fn key_num<const N: usize>(&mut self, key: &[u8; N]) -> Option<u64> {
        self.expect(key)?;
        self.num()
    }

    /// The rest of an object of two numbers, `first A second B}`: `(A, B)`.
    #[inline]
    fn two_keys<const F: usize, const S: usize>(
        &mut self,
        first: &[u8; F],
        second: &[u8; S],
    ) -> Option<(u64, u64)> {
        let a = self.key_num(first)?;
        let b = self.key_num(second)?;
        self.expect(b"}")?;
        Some((a, b))
    }

    /// A JSON number that is a `u64`: digits, no sign, fraction, exponent
    /// or leading zero (which JSON forbids); anything else is `None`.
    pub(super) fn num(&mut self) -> Option<u64> {
        let mut value: u64 = 0;
        let mut len = 0;
        while let Some(digit) = self.0.get(len).and_then(|b| char::from(*b).to_digit(10)) {
            value = value.checked_mul(10)?.checked_add(u64::from(digit))?;
            len += 1;
        }
        let rest = &self.0[len..];
        if len == 0
            || len > 1 && self.0[0] == b'0'
            || matches!(rest.first(), Some(b'.' | b'e' | b'E'))
        {
            return None;
        }
        self.0 = rest;
        Some(value)
    }

    pub(super) fn boolean(&mut self) -> Option<bool> {
        if self.eat(b"true") {
            Some(true)
        } else {
            self.expect(b"false").map(|()| false)
        }
    }

    /// A string with no escape or control character, borrowed.
    pub(super) fn plain_str(&mut self) -> Option<&'a str> {
        // Cut at ASCII quotes of a `str`: still UTF-8.
        std::str::from_utf8(self.plain_bytes()?).ok()
    }

    /// The bytes of a string with no escape or control character, for a
    /// caller that compares them with ASCII only (they may not be UTF-8).
    pub(super) fn plain_bytes(&mut self) -> Option<&'a [u8]> {
        let rest = self.0.strip_prefix(b"\"")?;
        let end = rest
            .iter()
            .position(|&b| b == b'"' || b == b'\\' || b < 0x20)?;
        if rest[end] != b'"' {
            return None;
        }
        self.0 = &rest[end + 1..];
        Some(&rest[..end])
    }
}

#[cfg(test)]
mod tests {
    use super::super::fast::serde_record;
    use super::*;

    /// A whole line of the canonical shape.
    fn canonical_record(line: &[u8]) -> Option<Record> {
        canonical_prefix(line).and_then(|(record, rest)| rest.is_empty().then_some(record))
    }

    /// The canonical path declines a line or agrees with the serde path.
    fn agrees(line: &str) -> bool {
        match canonical_record(line.as_bytes()) {
            Some(record) => {
                Some(format!("{record:?}")) == serde_record(line).map(|r| format!("{r:?}"))
            }
            None => true,
        }
    }

    #[test]
    fn every_term_line_lean4export_wrote_is_canonical_and_all_agree() {
        let (mut decoded, mut anywhere) = (0, 0);
        for export in ix_testkit::exports() {
            let path = export.file();
            let text = std::fs::read_to_string(&path).unwrap();
            for line in text.lines().skip(1) {
                let term = [
                    "{\"ie\"",
                    "{\"il\"",
                    "{\"in\"",
                    "{\"app\"",
                    "{\"bvar\"",
                    "{\"const\"",
                    "{\"forallE\"",
                ]
                .iter()
                .any(|p| line.starts_with(p));
                let odd = ["\"mdata\"", "\"strVal\"", "\\"]
                    .iter()
                    .any(|p| line.contains(p));
                // Other exporters order keys their own way: those lines need
                // only agree.
                let by_lean4export = export.path.starts_with("lean4export/");
                if term && !odd && by_lean4export {
                    assert!(
                        canonical_record(line.as_bytes()).is_some(),
                        "{}: declined {line}",
                        path.display()
                    );
                    decoded += 1;
                }
                assert!(agrees(line), "{}: disagrees on {line}", path.display());
                anywhere += usize::from(canonical_record(line.as_bytes()).is_some());
            }
        }
        assert!(decoded > 500, "only {decoded} lines from lean4export");
        assert!(anywhere > 10_000, "only {anywhere} lines in all");
    }

    #[test]
    fn other_shapes_are_declined() {
        let declined = [
            r#"{"bvar":0,"ie":1} "#,
            r#"{"bvar":0,"il":1}"#,
            r#"{"ie":1,"succ":0}"#,
            r#"{"ie":1,"ie":2,"bvar":0}"#,
            r#"{"bvar":01,"ie":1}"#,
            r#"{"bvar":1.0,"ie":1}"#,
            r#"{"bvar":1e2,"ie":1}"#,
            r#"{"bvar":-1,"ie":1}"#,
            r#"{"bvar":18446744073709551616,"ie":1}"#,
            r#"{"bvar":0,"ie":1,"sort":0}"#,
            r#"{"app":{"arg":1,"fn":2,"x":3},"ie":1}"#,
            r#"{"const":{"name":1,"us":[1,]},"ie":1}"#,
            r#"{"const":{"name":1,"us":[1 ,2]},"ie":1}"#,
            r#"{"ie":1,"lam":{"binderInfo":"weird","body":1,"name":1,"type":1}}"#,
            r#"{"ie":1,"natVal":"12a"}"#,
            r#"{"ie":1,"letE":{"body":1,"name":1,"nondep":0,"type":1,"value":1}}"#,
            r#"{"in":1,"str":{"pre":0,"str":"A\n"}}"#,
            r#"{"in":1,"str":{"pre":0,"str":"A\u00e9"}}"#,
            r#"{"il":1,"max":[1,2,3]}"#,
            r#"{"il":1,"succ":0}}"#,
        ];
        for line in declined {
            assert!(
                canonical_record(line.as_bytes()).is_none(),
                "decoded {line}"
            );
        }
    }

    #[test]
    fn every_canonical_kind_agrees() {
        let lines = [
            r#"{"app":{"arg":3,"fn":4},"ie":5}"#,
            r#"{"ie":5,"app":{"arg":3,"fn":4}}"#,
            r#"{"ie":3,"bvar":0}"#,
            r#"{"str":{"pre":10,"str":"x"},"in":12}"#,
            r#"{"succ":0,"il":1}"#,
            r#"{"bvar":18446744073709551615,"ie":0}"#,
            r#"{"const":{"name":1,"us":[]},"ie":1}"#,
            r#"{"const":{"name":1,"us":[2,30,4]},"ie":1}"#,
            r#"{"forallE":{"binderInfo":"instImplicit","body":1,"name":4,"type":1},"ie":2}"#,
            r#"{"ie":22,"lam":{"binderInfo":"strictImplicit","body":12,"name":10,"type":16}}"#,
            r#"{"ie":3,"letE":{"body":2,"name":3,"nondep":true,"type":1,"value":0}}"#,
            r#"{"ie":79,"natVal":"123456789012345678901234567890"}"#,
            r#"{"ie":69,"proj":{"idx":1,"struct":5,"typeName":32}}"#,
            r#"{"ie":0,"sort":0}"#,
            r#"{"il":2,"imax":[1,0]}"#,
            r#"{"il":9,"max":[5,6]}"#,
            r#"{"il":2,"param":6}"#,
            r#"{"il":1,"succ":0}"#,
            r#"{"in":8,"num":{"i":0,"pre":7}}"#,
            r#"{"in":12,"str":{"pre":10,"str":"succ ∀ é"}}"#,
        ];
        for line in lines {
            assert!(
                canonical_record(line.as_bytes()).is_some(),
                "declined {line}"
            );
            assert!(agrees(line), "disagrees on {line}");
        }
    }
}
