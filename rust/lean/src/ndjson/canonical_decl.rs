//! The quick path for declaration lines: the one key naming the kind, then
//! the fields lean4export writes, in any order, each of the type it should
//! have, decoded by matching bytes straight into a [`DeclRecord`]. A line
//! with anything else (an unknown, repeated, missing or mistyped field, a
//! number out of range, escapes, spaces) gives `None` and goes down the
//! serde path, which alone words the errors; on every line this path
//! decodes, it gives the record that path gives.

use super::canonical::Cursor;
use super::decl::{
    parse_quot_kind, parse_safety, DeclRecord, RawBody, RawConstant, RawConstructor, RawInductive,
    RawRecursor, RawRule,
};
use super::DECL_KINDS;
use crate::decl::ReducibilityHints;

/// Decodes a declaration of the expected shape at the start of `bytes`, or
/// `None`; with the bytes after it (it never runs past a line end).
pub(super) fn canonical_decl_prefix(bytes: &[u8]) -> Option<(DeclRecord, &[u8])> {
    let mut c = Cursor(bytes);
    c.expect(b"{")?;
    let key = c.plain_bytes()?;
    let kind = DECL_KINDS.into_iter().find(|k| k.as_bytes() == key)?;
    c.expect(b":")?;
    let bodies = if c.0.first() == Some(&b'[') {
        array(&mut c, |c| body(kind, c))?
    } else {
        vec![body(kind, &mut c)?]
    };
    c.expect(b"}")?;
    Some((DeclRecord::of(bodies), c.0))
}

fn body(kind: &str, c: &mut Cursor) -> Option<RawBody> {
    match kind {
        "axiom" => axiom(c),
        "def" => def(c),
        "thm" => thm(c),
        "opaque" => opaque(c),
        "quot" => quot(c),
        _ => inductive(c),
    }
}

/// Reads an object, handing each key to `field`, which reads its value (or
/// gives `None` for a key it does not take).
fn fields<'a>(
    c: &mut Cursor<'a>,
    mut field: impl FnMut(&'a [u8], &mut Cursor<'a>) -> Option<()>,
) -> Option<()> {
    c.expect(b"{")?;
    if c.eat(b"}") {
        return Some(());
    }
    loop {
        // Compared with ASCII keys only, so left unchecked as UTF-8.
        let key = c.plain_bytes()?;
        c.expect(b":")?;
        field(key, c)?;
        if c.eat(b"}") {
            return Some(());
        }
        c.expect(b",")?;
    }
}

/// Reads an array, each item by `item`.
fn array<'a, T>(
    c: &mut Cursor<'a>,
    mut item: impl FnMut(&mut Cursor<'a>) -> Option<T>,
) -> Option<Vec<T>> {
    c.expect(b"[")?;
    let mut items = Vec::new();
    if c.eat(b"]") {
        return Some(items);
    }
    loop {
        items.push(item(c)?);
        if c.eat(b"]") {
            return Some(items);
        }
        c.expect(b",")?;
    }
}

/// Fills `slot` once; a repeated key gives `None`.
fn put<T>(slot: &mut Option<T>, value: Option<T>) -> Option<()> {
    if slot.is_some() {
        return None;
    }
    *slot = Some(value?);
    Some(())
}

fn nums(c: &mut Cursor) -> Option<Vec<u64>> {
    array(c, Cursor::num)
}

fn num_u32(c: &mut Cursor) -> Option<u32> {
    u32::try_from(c.num()?).ok()
}

/// The fields every constant has.
#[derive(Default)]
struct Constant {
    name: Option<u64>,
    level_params: Option<Vec<u64>>,
    ty: Option<u64>,
}

impl Constant {
    /// Reads the value of `key` if it is one of the constant's.
    fn field(&mut self, key: &[u8], c: &mut Cursor) -> Option<()> {
        match key {
            b"name" => put(&mut self.name, c.num()),
            b"levelParams" => put(&mut self.level_params, nums(c)),
            b"type" => put(&mut self.ty, c.num()),
            _ => None,
        }
    }

    fn done(self) -> Option<RawConstant> {
        Some(RawConstant {
            name: Ok(self.name?),
            level_params: Ok(self.level_params?),
            ty: Ok(self.ty?),
        })
    }
}

fn axiom(c: &mut Cursor) -> Option<RawBody> {
    let (mut k, mut is_unsafe) = (Constant::default(), None);
    fields(c, |key, c| match key {
        b"isUnsafe" => put(&mut is_unsafe, c.boolean()),
        _ => k.field(key, c),
    })?;
    Some(RawBody::Axiom {
        cval: k.done()?,
        is_unsafe: Ok(is_unsafe?),
    })
}

fn def(c: &mut Cursor) -> Option<RawBody> {
    let mut k = Constant::default();
    let (mut value, mut hints, mut safety, mut all) = (None, None, None, None);
    fields(c, |key, c| match key {
        b"value" => put(&mut value, c.num()),
        b"hints" => put(&mut hints, reducibility_hints(c)),
        b"safety" => put(&mut safety, parse_safety(c.plain_str()?).ok()),
        b"all" => put(&mut all, nums(c)),
        _ => k.field(key, c),
    })?;
    Some(RawBody::Def {
        cval: k.done()?,
        value: Ok(value?),
        hints: Ok(hints?),
        safety: Ok(safety?),
        all: Ok(all?),
    })
}

/// `"opaque"`, `"abbrev"` or `{"regular":H}`.
fn reducibility_hints(c: &mut Cursor) -> Option<ReducibilityHints> {
    if c.eat(b"{\"regular\":") {
        let height = num_u32(c)?;
        c.expect(b"}")?;
        return Some(ReducibilityHints::Regular(height));
    }
    match c.plain_str()? {
        "opaque" => Some(ReducibilityHints::Opaque),
        "abbrev" => Some(ReducibilityHints::Abbrev),
        _ => None,
    }
}

fn thm(c: &mut Cursor) -> Option<RawBody> {
    let (mut k, mut value, mut all) = (Constant::default(), None, None);
    fields(c, |key, c| match key {
        b"value" => put(&mut value, c.num()),
        b"all" => put(&mut all, nums(c)),
        _ => k.field(key, c),
    })?;
    Some(RawBody::Thm {
        cval: k.done()?,
        value: Ok(value?),
        all: Ok(all?),
    })
}

fn opaque(c: &mut Cursor) -> Option<RawBody> {
    let mut k = Constant::default();
    let (mut value, mut is_unsafe, mut all) = (None, None, None);
    fields(c, |key, c| match key {
        b"value" => put(&mut value, c.num()),
        b"isUnsafe" => put(&mut is_unsafe, c.boolean()),
        b"all" => put(&mut all, nums(c)),
        _ => k.field(key, c),
    })?;
    Some(RawBody::Opaque {
        cval: k.done()?,
        value: Ok(value?),
        is_unsafe: Ok(is_unsafe?),
        all: Ok(all?),
    })
}

fn quot(c: &mut Cursor) -> Option<RawBody> {
    let (mut k, mut kind) = (Constant::default(), None);
    fields(c, |key, c| match key {
        b"kind" => put(&mut kind, parse_quot_kind(c.plain_str()?).ok()),
        _ => k.field(key, c),
    })?;
    Some(RawBody::Quot {
        cval: k.done()?,
        kind: Ok(kind?),
    })
}

/// Format 3.1's keys or 3.0's, each list under one of them only.
fn inductive(c: &mut Cursor) -> Option<RawBody> {
    let (mut types, mut ctors, mut recs) = (None, None, None);
    fields(c, |key, c| match key {
        b"types" | b"inductiveVals" => put(&mut types, array(c, inductive_type)),
        b"ctors" | b"constructorVals" => put(&mut ctors, array(c, constructor)),
        b"recs" | b"recursorVals" => put(&mut recs, array(c, recursor)),
        _ => None,
    })?;
    Some(RawBody::Inductive {
        types: Ok(types?),
        ctors: Ok(ctors?),
        recs: Ok(recs?),
    })
}

fn inductive_type(c: &mut Cursor) -> Option<RawInductive> {
    let mut k = Constant::default();
    let (mut num_params, mut num_indices, mut all, mut ctors) = (None, None, None, None);
    let (mut num_nested, mut is_rec, mut is_unsafe, mut is_reflexive) = (None, None, None, None);
    fields(c, |key, c| match key {
        b"numParams" => put(&mut num_params, num_u32(c)),
        b"numIndices" => put(&mut num_indices, num_u32(c)),
        b"all" => put(&mut all, nums(c)),
        b"ctors" => put(&mut ctors, nums(c)),
        b"numNested" => put(&mut num_nested, num_u32(c)),
        b"isRec" => put(&mut is_rec, c.boolean()),
        b"isUnsafe" => put(&mut is_unsafe, c.boolean()),
        b"isReflexive" => put(&mut is_reflexive, c.boolean()),
        _ => k.field(key, c),
    })?;
    Some(RawInductive {
        cval: k.done()?,
        num_params: Ok(num_params?),
        num_indices: Ok(num_indices?),
        all: Ok(all?),
        ctors: Ok(ctors?),
        num_nested: Ok(num_nested?),
        is_rec: Ok(is_rec?),
        is_unsafe: Ok(is_unsafe?),
        is_reflexive: Ok(is_reflexive?),
    })
}

fn constructor(c: &mut Cursor) -> Option<RawConstructor> {
    let mut k = Constant::default();
    let (mut induct, mut cidx, mut num_params) = (None, None, None);
    let (mut num_fields, mut is_unsafe) = (None, None);
    fields(c, |key, c| match key {
        b"induct" => put(&mut induct, c.num()),
        b"cidx" => put(&mut cidx, num_u32(c)),
        b"numParams" => put(&mut num_params, num_u32(c)),
        b"numFields" => put(&mut num_fields, num_u32(c)),
        b"isUnsafe" => put(&mut is_unsafe, c.boolean()),
        _ => k.field(key, c),
    })?;
    Some(RawConstructor {
        cval: k.done()?,
        induct: Ok(induct?),
        cidx: Ok(cidx?),
        num_params: Ok(num_params?),
        num_fields: Ok(num_fields?),
        is_unsafe: Ok(is_unsafe?),
    })
}

fn recursor(c: &mut Cursor) -> Option<RawRecursor> {
    let mut k = Constant::default();
    let (mut rules, mut all, mut num_params, mut num_indices) = (None, None, None, None);
    let (mut num_motives, mut num_minors, mut k_rule, mut is_unsafe) = (None, None, None, None);
    fields(c, |key, c| match key {
        b"rules" => put(&mut rules, array(c, rule)),
        b"all" => put(&mut all, nums(c)),
        b"numParams" => put(&mut num_params, num_u32(c)),
        b"numIndices" => put(&mut num_indices, num_u32(c)),
        b"numMotives" => put(&mut num_motives, num_u32(c)),
        b"numMinors" => put(&mut num_minors, num_u32(c)),
        b"k" => put(&mut k_rule, c.boolean()),
        b"isUnsafe" => put(&mut is_unsafe, c.boolean()),
        _ => k.field(key, c),
    })?;
    Some(RawRecursor {
        rules: Ok(rules?),
        cval: k.done()?,
        all: Ok(all?),
        num_params: Ok(num_params?),
        num_indices: Ok(num_indices?),
        num_motives: Ok(num_motives?),
        num_minors: Ok(num_minors?),
        k: Ok(k_rule?),
        is_unsafe: Ok(is_unsafe?),
    })
}

fn rule(c: &mut Cursor) -> Option<crate::ndjson::decl::Field<RawRule>> {
    let (mut ctor, mut num_fields, mut rhs) = (None, None, None);
    fields(c, |key, c| match key {
        b"ctor" => put(&mut ctor, c.num()),
        b"nfields" => put(&mut num_fields, num_u32(c)),
        b"rhs" => put(&mut rhs, c.num()),
        _ => None,
    })?;
    Some(Ok(RawRule {
        ctor: Ok(ctor?),
        num_fields: Ok(num_fields?),
        rhs: Ok(rhs?),
    }))
}

#[cfg(test)]
mod tests {
    use super::super::{record_from_object, Record};
    use super::*;

    /// A whole declaration line of the expected shape.
    fn canonical_decl(line: &[u8]) -> Option<DeclRecord> {
        canonical_decl_prefix(line).and_then(|(d, rest)| rest.is_empty().then_some(d))
    }

    /// The general path's record for a line, as text.
    fn general(line: &str) -> String {
        match serde_json::from_str(line) {
            Ok(serde_json::Value::Object(obj)) => match record_from_object(obj) {
                Ok(Record::Decl(d)) => format!("{d:?}"),
                other => format!("not a declaration: {other:?}"),
            },
            other => format!("not an object: {other:?}"),
        }
    }

    fn agrees(line: &str) -> bool {
        canonical_decl(line.as_bytes()).is_none_or(|d| format!("{d:?}") == general(line))
    }

    #[test]
    fn every_declaration_line_of_every_bundled_export_is_decoded_alike() {
        let mut decoded = 0;
        for (path, line) in crate::ndjson::bundled_export_lines() {
            let is_decl = DECL_KINDS
                .iter()
                .any(|k| line.starts_with(&format!("{{\"{k}\":")));
            if is_decl {
                let d = canonical_decl(line.as_bytes()).map(|d| format!("{d:?}"));
                assert_eq!(d, Some(general(&line)), "{}: {line}", path.display());
                decoded += 1;
            } else {
                assert!(canonical_decl(line.as_bytes()).is_none(), "{line}");
            }
        }
        assert!(decoded > 400, "only {decoded} declaration lines");
    }

    #[test]
    fn every_kind_and_form_is_decoded_alike() {
        let lines = [
            r#"{"axiom":{"isUnsafe":true,"levelParams":[2,3],"name":1,"type":0}}"#,
            r#"{"axiom":{"type":0,"name":1,"levelParams":[],"isUnsafe":false}}"#,
            r#"{"def":{"all":[1,4],"hints":{"regular":4294967295},"levelParams":[],"name":1,"safety":"partial","type":0,"value":2}}"#,
            r#"{"def":{"all":[1],"hints":"abbrev","levelParams":[],"name":1,"safety":"unsafe","type":0,"value":18446744073709551615}}"#,
            r#"{"def":[{"all":[1],"hints":"opaque","levelParams":[],"name":1,"safety":"safe","type":0,"value":2},{"all":[1],"hints":"opaque","levelParams":[],"name":3,"safety":"safe","type":0,"value":2}]}"#,
            r#"{"def":[]}"#,
            r#"{"thm":{"all":[1,2],"levelParams":[],"name":1,"type":0,"value":2}}"#,
            r#"{"opaque":{"all":[1],"isUnsafe":true,"levelParams":[],"name":1,"type":0,"value":2}}"#,
            r#"{"quot":{"kind":"type","levelParams":[4],"name":1,"type":0}}"#,
            r#"{"quot":{"kind":"ctor","levelParams":[4],"name":1,"type":0}}"#,
            r#"{"quot":{"kind":"lift","levelParams":[4,5],"name":1,"type":0}}"#,
            r#"{"quot":{"kind":"ind","levelParams":[4],"name":1,"type":0}}"#,
            r#"{"inductive":{"ctors":[{"cidx":0,"induct":1,"isUnsafe":false,"levelParams":[],"name":2,"numFields":0,"numParams":0,"type":1}],"recs":[{"all":[1],"isUnsafe":false,"k":false,"levelParams":[6],"name":5,"numIndices":0,"numMinors":2,"numMotives":1,"numParams":0,"rules":[{"ctor":2,"nfields":0,"rhs":24},{"ctor":3,"nfields":1,"rhs":25}],"type":21}],"types":[{"all":[1],"ctors":[2,3],"isRec":true,"isReflexive":false,"isUnsafe":false,"levelParams":[],"name":1,"numIndices":0,"numNested":0,"numParams":0,"type":0}]}}"#,
            r#"{"inductive":{"constructorVals":[],"inductiveVals":[],"recursorVals":[{"all":[],"isUnsafe":true,"k":true,"levelParams":[],"name":5,"numIndices":1,"numMinors":0,"numMotives":2,"numParams":3,"rules":[],"type":21}]}}"#,
            r#"{"inductive":[{"ctors":[],"recs":[],"types":[]},{"ctors":[],"recs":[],"types":[]}]}"#,
        ];
        for line in lines {
            assert!(canonical_decl(line.as_bytes()).is_some(), "declined {line}");
            assert!(agrees(line), "disagrees on {line}");
        }
    }

    #[test]
    fn other_shapes_are_declined() {
        let declined = [
            r#"{"axiom":{"isUnsafe":1,"levelParams":[],"name":1,"type":0}}"#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1}}"#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":0,"name":1}}"#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":0,"x":0}}"#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":0},"def":{}}"#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":1,"type":0}} "#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"name":-1,"type":0}}"#,
            r#"{"axiom":{"isUnsafe":false,"levelParams":[],"n\u0061me":1,"type":0}}"#,
            r#"{"axiom": {"isUnsafe":false,"levelParams":[],"name":1,"type":0}}"#,
            r#"{"def":{"all":[1],"hints":{"regular":4294967296},"levelParams":[],"name":1,"safety":"safe","type":0,"value":2}}"#,
            r#"{"def":{"all":[1],"hints":"regular","levelParams":[],"name":1,"safety":"safe","type":0,"value":2}}"#,
            r#"{"def":{"all":[1],"hints":"opaque","levelParams":[],"name":1,"safety":"weird","type":0,"value":2}}"#,
            r#"{"def":[{"all":[1],"hints":"opaque","levelParams":[],"name":1,"safety":"safe","type":0,"value":2},3]}"#,
            r#"{"def":7}"#,
            r#"{"def":null}"#,
            r#"{"quot":{"kind":"other","levelParams":[4],"name":1,"type":0}}"#,
            r#"{"inductive":{"ctors":[],"recs":[],"types":[],"inductiveVals":[]}}"#,
            r#"{"inductive":{"ctors":[],"recs":[{"rules":[{"ctor":1,"nfields":0}]}],"types":[]}}"#,
            r#"{"inductive":{"ctors":[{"cidx":4294967296,"induct":1,"isUnsafe":false,"levelParams":[],"name":2,"numFields":0,"numParams":0,"type":1}],"recs":[],"types":[]}}"#,
            r#"{"thm":{"all":[1],"levelParams":[],"name":1,"type":0,"value":2}"#,
            r#"{"in":1,"str":{"pre":0,"str":"A"}}"#,
        ];
        for line in declined {
            assert!(canonical_decl(line.as_bytes()).is_none(), "decoded {line}");
        }
    }
}
