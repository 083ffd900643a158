//! Values: JSON in → a typed [`SqlVal`] checked against the column type → bound parameters; and
//! the canonical JSON forms both backends return (so rows round-trip identically).
//!
//! | schema type | JSON | SQLite storage | PostgreSQL |
//! |---|---|---|---|
//! | uuid | lower-case hyphenated string | TEXT | uuid |
//! | text | string | TEXT | text |
//! | integer | number (32-bit) | INTEGER | integer |
//! | boolean | true/false | INTEGER 0/1 | boolean |
//! | timestamp | `YYYY-MM-DDTHH:MM:SS.sssZ` | TEXT in that form | timestamptz (ms precision) |
//! | jsonb | any JSON but null | TEXT, keys in jsonb order | jsonb |
//! | enum | string | TEXT + CHECK | enum type |

use jiff::{Timestamp, civil, tz::TimeZone};
use palbase_core::ApiError;
use serde_json::{Map, Value};

use crate::error;
use crate::schema::{ColType, Column};

/// A value ready to bind.
#[derive(Debug, Clone, PartialEq)]
pub enum SqlVal {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Uuid(uuid::Uuid),
    Ts(Timestamp),
    /// A jsonb value (never JSON `null`: that is SQL NULL).
    Json(Value),
}

/// Checks `v` against `col`'s type and converts it. `null` for a NOT NULL column is a
/// `not_null_violation`.
pub fn from_input(table: &str, col: &Column, v: &Value) -> Result<SqlVal, ApiError> {
    if v.is_null() {
        return if col.not_null { Err(error::not_null(table, &col.name)) } else { Ok(SqlVal::Null) };
    }
    from_input_non_null(table, col, v)
}

/// Like [`from_input`], for a value that is not `null`.
pub fn from_input_non_null(table: &str, col: &Column, v: &Value) -> Result<SqlVal, ApiError> {
    let bad = |expected: &str| error::invalid_value(table, &col.name, expected);
    match &col.ty {
        ColType::Uuid => match v.as_str().and_then(|s| uuid::Uuid::parse_str(s).ok()) {
            Some(u) => Ok(SqlVal::Uuid(u)),
            None => Err(bad("a UUID string")),
        },
        ColType::Text => match v.as_str() {
            Some(s) if !s.contains('\0') => Ok(SqlVal::Text(s.to_owned())),
            Some(_) => Err(bad("a string without NUL characters")),
            None => Err(bad("a string")),
        },
        ColType::Integer => match as_integer(v) {
            Some(i) if i32::try_from(i).is_ok() => Ok(SqlVal::Int(i)),
            _ => Err(bad("an integer between -2147483648 and 2147483647")),
        },
        ColType::Boolean => match v.as_bool() {
            Some(b) => Ok(SqlVal::Bool(b)),
            None => Err(bad("true or false")),
        },
        ColType::Timestamp => match v.as_str().and_then(parse_timestamp) {
            Some(t) => Ok(SqlVal::Ts(t)),
            None => Err(bad("an ISO-8601 timestamp string such as 2026-01-31T12:00:00.000Z")),
        },
        ColType::Jsonb => {
            if has_nul(v) {
                Err(bad("JSON without NUL characters in strings"))
            } else {
                Ok(SqlVal::Json(v.clone()))
            }
        }
        ColType::Enum { values, .. } => match v.as_str() {
            Some(s) if values.iter().any(|x| x == s) => Ok(SqlVal::Text(s.to_owned())),
            _ => Err(error::invalid_enum(table, &col.name, values)),
        },
    }
}

/// A `db.query` parameter: converted by its JSON type only (the database decides the rest).
pub fn from_param(v: &Value) -> SqlVal {
    match v {
        Value::Null => SqlVal::Null,
        Value::Bool(b) => SqlVal::Bool(*b),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlVal::Int(i),
            None => SqlVal::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => SqlVal::Text(s.clone()),
        other => SqlVal::Json(other.clone()),
    }
}

fn as_integer(v: &Value) -> Option<i64> {
    let n = v.as_number()?;
    if let Some(i) = n.as_i64() {
        return Some(i);
    }
    let f = n.as_f64()?;
    if f.fract() == 0.0 && f.abs() < 9.0e15 { Some(f as i64) } else { None }
}

fn has_nul(v: &Value) -> bool {
    match v {
        Value::String(s) => s.contains('\0'),
        Value::Array(a) => a.iter().any(has_nul),
        Value::Object(m) => m.iter().any(|(k, v)| k.contains('\0') || has_nul(v)),
        _ => false,
    }
}

/// Parses an ISO-8601 / RFC 3339 timestamp, truncated to milliseconds. Without an offset the time
/// is taken as UTC; a bare date is midnight UTC.
pub fn parse_timestamp(s: &str) -> Option<Timestamp> {
    let s = s.trim();
    let t = if let Ok(t) = s.parse::<Timestamp>() {
        t
    } else if let Ok(dt) = s.parse::<civil::DateTime>() {
        dt.to_zoned(TimeZone::UTC).ok()?.timestamp()
    } else if let Ok(d) = s.parse::<civil::Date>() {
        d.to_zoned(TimeZone::UTC).ok()?.timestamp()
    } else {
        return None;
    };
    truncate_ms(t)
}

pub fn truncate_ms(t: Timestamp) -> Option<Timestamp> {
    let ms = t.as_nanosecond().div_euclid(1_000_000);
    Timestamp::from_millisecond(i64::try_from(ms).ok()?).ok()
}

/// The one text form of a timestamp: UTC, milliseconds, `Z`.
pub fn format_timestamp(t: Timestamp) -> String {
    let t = truncate_ms(t).unwrap_or(t);
    t.strftime("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// JSON with object keys in PostgreSQL jsonb order (shorter keys first, then bytewise), which is
/// what PostgreSQL returns; SQLite stores this form so both backends return the same JSON.
pub fn jsonb_canonical(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort_by(|a, b| a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes())));
            let mut out = Map::with_capacity(m.len());
            for k in keys {
                out.insert(k.clone(), jsonb_canonical(&m[k]));
            }
            Value::Object(out)
        }
        Value::Array(a) => Value::Array(a.iter().map(jsonb_canonical).collect()),
        other => other.clone(),
    }
}

/// The JSON a value comes back as.
pub fn canonical_json(v: &SqlVal) -> Value {
    match v {
        SqlVal::Null => Value::Null,
        SqlVal::Bool(b) => Value::Bool(*b),
        SqlVal::Int(i) => Value::from(*i),
        SqlVal::Float(f) => serde_json::Number::from_f64(*f).map(Value::Number).unwrap_or(Value::Null),
        SqlVal::Text(s) => Value::String(s.clone()),
        SqlVal::Uuid(u) => Value::String(u.hyphenated().to_string()),
        SqlVal::Ts(t) => Value::String(format_timestamp(*t)),
        SqlVal::Json(v) => jsonb_canonical(v),
    }
}

/// A float as JSON (NaN and infinities, which JSON cannot hold, become strings as PostgreSQL
/// prints them).
pub fn float_json(f: f64) -> Value {
    match serde_json::Number::from_f64(f) {
        Some(n) => Value::Number(n),
        None if f.is_nan() => Value::String("NaN".into()),
        None if f > 0.0 => Value::String("Infinity".into()),
        None => Value::String("-Infinity".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn timestamps_normalise() {
        let t = parse_timestamp("2026-11-25T17:40:57.852999+01:00").unwrap();
        assert_eq!(format_timestamp(t), "2026-11-25T16:40:57.852Z");
        assert_eq!(format_timestamp(parse_timestamp("2026-01-02").unwrap()), "2026-01-02T00:00:00.000Z");
        assert_eq!(format_timestamp(parse_timestamp("2026-01-02T03:04:05").unwrap()), "2026-01-02T03:04:05.000Z");
        assert!(parse_timestamp("yesterday").is_none());
    }

    #[test]
    fn jsonb_key_order() {
        let v = json!({"bb": 1, "a": {"zz": 1, "c": 2}, "ab": [ {"y": 1, "x": 2} ]});
        assert_eq!(jsonb_canonical(&v).to_string(), r#"{"a":{"c":2,"zz":1},"ab":[{"x":2,"y":1}],"bb":1}"#);
    }

    #[test]
    fn integers_are_32_bit() {
        let c = Column { name: "n".into(), ty: ColType::Integer, primary_key: false, not_null: true, default: None, references: None };
        assert_eq!(from_input("t", &c, &json!(5)).unwrap(), SqlVal::Int(5));
        assert_eq!(from_input("t", &c, &json!(5.0)).unwrap(), SqlVal::Int(5));
        assert_eq!(from_input("t", &c, &json!(5.5)).unwrap_err().code, "invalid_value");
        assert_eq!(from_input("t", &c, &json!(3_000_000_000i64)).unwrap_err().code, "invalid_value");
        assert_eq!(from_input("t", &c, &json!("5")).unwrap_err().code, "invalid_value");
        assert_eq!(from_input("t", &c, &json!(null)).unwrap_err().code, "not_null_violation");
    }
}
