//! A small JSON tree borrowed from its line, for declaration lines.
//!
//! Declaration bodies are read field by field (see `decl.rs`); building a
//! `serde_json::Value` for them (a map with an owned key per field) was most
//! of their cost. This reads only the subset lean4export writes: objects,
//! arrays, `u64` numbers, booleans and strings without escapes, with no
//! whitespace. Anything else, however valid, gives `None` and the line goes
//! down the serde path; on what it reads, every accessor answers as
//! `serde_json::Value`'s does, so the fields and their errors are the same.

use super::json::{JsonObject, JsonValue};

/// A JSON value of the subset.
#[derive(Debug)]
pub(super) enum Lite<'a> {
    Num(u64),
    Bool(bool),
    Str(&'a str),
    Array(Vec<Lite<'a>>),
    Object(LiteObject<'a>),
}

/// An object's fields in line order, every key distinct.
#[derive(Debug)]
pub(super) struct LiteObject<'a>(Vec<(&'a str, Lite<'a>)>);

/// Nesting deeper than any declaration needs; deeper lines go to serde,
/// whose own limit words the error.
const MAX_DEPTH: usize = 16;

/// The line as one object, or `None` if it is not entirely of the subset.
pub(super) fn object(line: &str) -> Option<LiteObject<'_>> {
    let mut c = super::canonical::Cursor(line.as_bytes());
    let obj = object_at(&mut c, 0)?;
    c.0.is_empty().then_some(obj)
}

fn value_at<'a>(c: &mut super::canonical::Cursor<'a>, depth: usize) -> Option<Lite<'a>> {
    if depth > MAX_DEPTH {
        return None;
    }
    Some(match c.0.first()? {
        b'{' => Lite::Object(object_at(c, depth + 1)?),
        b'[' => {
            c.expect(b"[")?;
            let mut items = Vec::new();
            if !c.eat(b"]") {
                loop {
                    items.push(value_at(c, depth + 1)?);
                    if c.eat(b"]") {
                        break;
                    }
                    c.expect(b",")?;
                }
            }
            Lite::Array(items)
        }
        b'"' => Lite::Str(c.plain_str()?),
        b't' | b'f' => Lite::Bool(c.boolean()?),
        _ => Lite::Num(c.num()?),
    })
}

fn object_at<'a>(c: &mut super::canonical::Cursor<'a>, depth: usize) -> Option<LiteObject<'a>> {
    c.expect(b"{")?;
    let mut fields: Vec<(&str, Lite)> = Vec::new();
    if c.eat(b"}") {
        return Some(LiteObject(fields));
    }
    loop {
        let key = c.plain_str()?;
        // serde keeps the last of repeated keys; the subset has none.
        if fields.iter().any(|(k, _)| *k == key) {
            return None;
        }
        c.expect(b":")?;
        fields.push((key, value_at(c, depth)?));
        if c.eat(b"}") {
            return Some(LiteObject(fields));
        }
        c.expect(b",")?;
    }
}

impl<'a> LiteObject<'a> {
    /// The value of the first of `keys` present, in that order.
    pub(super) fn first_of<'k>(&self, keys: &[&'k str]) -> Option<(&'k str, &Lite<'a>)> {
        keys.iter()
            .find_map(|k| JsonObject::get(self, k).map(|v| (*k, v)))
    }
}

impl<'a> JsonObject for LiteObject<'a> {
    type Value = Lite<'a>;
    fn get(&self, key: &str) -> Option<&Lite<'a>> {
        self.0.iter().find(|(k, _)| *k == key).map(|(_, v)| v)
    }
}

impl<'a> JsonValue for Lite<'a> {
    type Object = LiteObject<'a>;
    fn as_u64(&self) -> Option<u64> {
        match self {
            Lite::Num(n) => Some(*n),
            _ => None,
        }
    }
    fn as_bool(&self) -> Option<bool> {
        match self {
            Lite::Bool(b) => Some(*b),
            _ => None,
        }
    }
    fn as_str(&self) -> Option<&str> {
        match self {
            Lite::Str(s) => Some(s),
            _ => None,
        }
    }
    fn as_array(&self) -> Option<&[Self]> {
        match self {
            Lite::Array(items) => Some(items),
            _ => None,
        }
    }
    fn as_object(&self) -> Option<&LiteObject<'a>> {
        match self {
            Lite::Object(o) => Some(o),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_subset_is_read_and_the_rest_declined() {
        let read = [
            "{}",
            r#"{"a":[]}"#,
            r#"{"a":[1,[2,{"b":true}]],"c":"x é","d":false,"e":18446744073709551615}"#,
        ];
        for line in read {
            assert!(object(line).is_some(), "declined {line}");
        }
        let declined = [
            r#"{"a":1,"a":2}"#,
            r#"{"a":null}"#,
            r#"{"a":-1}"#,
            r#"{"a":1.5}"#,
            r#"{"a":1e3}"#,
            r#"{"a":01}"#,
            r#"{"a":18446744073709551616}"#,
            r#"{"a":"x\"y"}"#,
            r#"{"a\u0062":1}"#,
            r#"{"a": 1}"#,
            r#"{"a":1} "#,
            r#"{"a":[1,]}"#,
            r#"{"a":1,}"#,
            r#"{"a":tru}"#,
            "[1]",
            r#"{"a":1"#,
        ];
        for line in declined {
            assert!(object(line).is_none(), "read {line}");
        }
        let deep = format!("{{\"a\":{}1{}}}", "[".repeat(100), "]".repeat(100));
        assert!(object(&deep).is_none());
    }

    #[test]
    fn accessors_answer_as_serde_json_does() {
        let line = r#"{"n":7,"b":true,"s":"é","a":[1,2],"o":{"k":3}}"#;
        let lite = object(line).unwrap();
        let value: serde_json::Map<String, serde_json::Value> = serde_json::from_str(line).unwrap();
        for key in ["n", "b", "s", "a", "o", "missing"] {
            let (l, v) = (lite.get(key), JsonObject::get(&value, key));
            assert_eq!(l.is_some(), v.is_some(), "{key}");
            let (Some(l), Some(v)) = (l, v) else { continue };
            assert_eq!(l.as_u64(), JsonValue::as_u64(v), "{key}");
            assert_eq!(l.as_bool(), JsonValue::as_bool(v), "{key}");
            assert_eq!(l.as_str(), JsonValue::as_str(v), "{key}");
            assert_eq!(
                l.as_array().map(<[_]>::len),
                JsonValue::as_array(v).map(<[_]>::len),
                "{key}"
            );
            assert_eq!(
                l.as_object().map(|o| o.get("k").and_then(Lite::as_u64)),
                JsonValue::as_object(v)
                    .map(|o| JsonObject::get(o, "k").and_then(JsonValue::as_u64)),
                "{key}"
            );
        }
    }
}
