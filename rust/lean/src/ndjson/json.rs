//! What the reader asks of a JSON value, so one set of field readers, with
//! one wording of every error, serves both `serde_json::Value` and the
//! borrowed subset of `lite.rs`.

use serde_json::{Map, Value};

pub(super) trait JsonValue: Sized {
    type Object: JsonObject<Value = Self>;
    fn as_u64(&self) -> Option<u64>;
    fn as_bool(&self) -> Option<bool>;
    fn as_str(&self) -> Option<&str>;
    fn as_array(&self) -> Option<&[Self]>;
    fn as_object(&self) -> Option<&Self::Object>;
}

pub(super) trait JsonObject {
    type Value: JsonValue<Object = Self>;
    fn get(&self, key: &str) -> Option<&Self::Value>;
}

impl JsonValue for Value {
    type Object = Map<String, Value>;
    fn as_u64(&self) -> Option<u64> {
        Value::as_u64(self)
    }
    fn as_bool(&self) -> Option<bool> {
        Value::as_bool(self)
    }
    fn as_str(&self) -> Option<&str> {
        Value::as_str(self)
    }
    fn as_array(&self) -> Option<&[Value]> {
        Value::as_array(self).map(Vec::as_slice)
    }
    fn as_object(&self) -> Option<&Map<String, Value>> {
        Value::as_object(self)
    }
}

impl JsonObject for Map<String, Value> {
    type Value = Value;
    fn get(&self, key: &str) -> Option<&Value> {
        Map::get(self, key)
    }
}

pub(super) type FieldResult<T> = Result<T, String>;

pub(super) fn get<'a, O: JsonObject>(obj: &'a O, key: &str) -> FieldResult<&'a O::Value> {
    obj.get(key).ok_or_else(|| format!("missing field `{key}`"))
}

pub(super) fn get_u64<O: JsonObject>(obj: &O, key: &str) -> FieldResult<u64> {
    as_u64(get(obj, key)?, key)
}

pub(super) fn as_u64<V: JsonValue>(v: &V, what: &str) -> FieldResult<u64> {
    v.as_u64()
        .ok_or_else(|| format!("`{what}` must be a non-negative integer"))
}

pub(super) fn get_u32<O: JsonObject>(obj: &O, key: &str) -> FieldResult<u32> {
    u32::try_from(get_u64(obj, key)?).map_err(|_| format!("`{key}` is too large"))
}

pub(super) fn get_bool<O: JsonObject>(obj: &O, key: &str) -> FieldResult<bool> {
    get(obj, key)?
        .as_bool()
        .ok_or_else(|| format!("`{key}` must be a boolean"))
}

pub(super) fn get_str<'a, O: JsonObject>(obj: &'a O, key: &str) -> FieldResult<&'a str> {
    get(obj, key)?
        .as_str()
        .ok_or_else(|| format!("`{key}` must be a string"))
}

pub(super) fn get_idx_list<O: JsonObject>(obj: &O, key: &str) -> FieldResult<Vec<u64>> {
    get(obj, key)?
        .as_array()
        .ok_or_else(|| format!("`{key}` must be an array"))?
        .iter()
        .map(|v| as_u64(v, key))
        .collect()
}
