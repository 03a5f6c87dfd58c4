//! Reading typed fields out of `serde_json` objects, each failure worded
//! once.

use serde_json::{Map, Value};

pub(super) type FieldResult<T> = Result<T, String>;

pub(super) fn get<'a>(obj: &'a Map<String, Value>, key: &str) -> FieldResult<&'a Value> {
    obj.get(key).ok_or_else(|| format!("missing field `{key}`"))
}

pub(super) fn get_u64(obj: &Map<String, Value>, key: &str) -> FieldResult<u64> {
    as_u64(get(obj, key)?, key)
}

pub(super) fn as_u64(v: &Value, what: &str) -> FieldResult<u64> {
    v.as_u64()
        .ok_or_else(|| format!("`{what}` must be a non-negative integer"))
}

pub(super) fn get_u32(obj: &Map<String, Value>, key: &str) -> FieldResult<u32> {
    u32::try_from(get_u64(obj, key)?).map_err(|_| format!("`{key}` is too large"))
}

pub(super) fn get_bool(obj: &Map<String, Value>, key: &str) -> FieldResult<bool> {
    get(obj, key)?
        .as_bool()
        .ok_or_else(|| format!("`{key}` must be a boolean"))
}

pub(super) fn get_str<'a>(obj: &'a Map<String, Value>, key: &str) -> FieldResult<&'a str> {
    get(obj, key)?
        .as_str()
        .ok_or_else(|| format!("`{key}` must be a string"))
}

pub(super) fn get_idx_list(obj: &Map<String, Value>, key: &str) -> FieldResult<Vec<u64>> {
    get(obj, key)?
        .as_array()
        .ok_or_else(|| format!("`{key}` must be an array"))?
        .iter()
        .map(|v| as_u64(v, key))
        .collect()
}
