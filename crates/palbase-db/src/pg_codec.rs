//! PostgreSQL binary values ↔ JSON, by type OID, so rows and `db.query` results come back in the
//! same JSON forms as on SQLite (see [`crate::value`]). Parameters adapt to the type PostgreSQL
//! infers for each placeholder.

use std::error::Error;
use std::fmt;

use bytes::{BufMut, BytesMut};
use jiff::{Timestamp, civil};
use serde_json::Value;
use tokio_postgres::types::{FromSql, IsNull, Kind, ToSql, Type, to_sql_checked};

use crate::value::{self, SqlVal};

/// Microseconds from the Unix epoch to PostgreSQL's (2000-01-01).
const PG_EPOCH_US: i64 = 946_684_800_000_000;
const PG_EPOCH_DAYS: i32 = 10_957;

type BoxError = Box<dyn Error + Sync + Send>;

/// A parameter that cannot become the type PostgreSQL expects.
#[derive(Debug)]
pub struct ParamError(pub String);

impl fmt::Display for ParamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Error for ParamError {}

fn perr(msg: String) -> BoxError {
    Box::new(ParamError(msg))
}

/// A value to bind.
#[derive(Debug)]
pub struct Param(pub SqlVal);

impl ToSql for Param {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        encode(ty, &self.0, out)
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

/// A column value, undecoded.
pub struct Raw<'a>(pub Option<&'a [u8]>);

impl<'a> FromSql<'a> for Raw<'a> {
    fn from_sql(_: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        Ok(Raw(Some(raw)))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(Raw(None))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

fn describe(v: &SqlVal) -> &'static str {
    match v {
        SqlVal::Null => "null",
        SqlVal::Bool(_) => "a boolean",
        SqlVal::Int(_) => "an integer",
        SqlVal::Float(_) => "a number",
        SqlVal::Text(_) | SqlVal::Uuid(_) | SqlVal::Ts(_) => "a string",
        SqlVal::Json(Value::Array(_)) => "an array",
        SqlVal::Json(_) => "an object",
    }
}

fn text_of(v: &SqlVal) -> Option<String> {
    Some(match v {
        SqlVal::Text(s) => s.clone(),
        SqlVal::Int(i) => i.to_string(),
        SqlVal::Float(f) => f.to_string(),
        SqlVal::Bool(b) => b.to_string(),
        SqlVal::Uuid(u) => u.hyphenated().to_string(),
        SqlVal::Ts(t) => value::format_timestamp(*t),
        SqlVal::Json(j) => j.to_string(),
        SqlVal::Null => return None,
    })
}

fn int_of(v: &SqlVal) -> Option<i64> {
    match v {
        SqlVal::Int(i) => Some(*i),
        SqlVal::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
        SqlVal::Text(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn encode(ty: &Type, v: &SqlVal, out: &mut BytesMut) -> Result<IsNull, BoxError> {
    if *v == SqlVal::Null {
        return Ok(IsNull::Yes);
    }
    let mismatch = || perr(format!("expected a value of type {} but got {}", ty.name(), describe(v)));
    match ty.kind() {
        Kind::Domain(base) => return encode(base, v, out),
        Kind::Enum(_) => {
            let SqlVal::Text(s) = v else { return Err(mismatch()) };
            out.put_slice(s.as_bytes());
            return Ok(IsNull::No);
        }
        Kind::Array(elem) => {
            let SqlVal::Json(Value::Array(items)) = v else { return Err(mismatch()) };
            return encode_array(elem, items, out);
        }
        _ => {}
    }
    match *ty {
        Type::BOOL => match v {
            SqlVal::Bool(b) => out.put_u8(u8::from(*b)),
            SqlVal::Int(i @ (0 | 1)) => out.put_u8(*i as u8),
            _ => return Err(mismatch()),
        },
        Type::INT2 => out.put_i16(int_of(v).and_then(|i| i16::try_from(i).ok()).ok_or_else(mismatch)?),
        Type::INT4 => out.put_i32(int_of(v).and_then(|i| i32::try_from(i).ok()).ok_or_else(mismatch)?),
        Type::INT8 => out.put_i64(int_of(v).ok_or_else(mismatch)?),
        Type::OID => out.put_u32(int_of(v).and_then(|i| u32::try_from(i).ok()).ok_or_else(mismatch)?),
        Type::FLOAT4 | Type::FLOAT8 => {
            let f = match v {
                SqlVal::Int(i) => *i as f64,
                SqlVal::Float(f) => *f,
                SqlVal::Text(s) => s.trim().parse().map_err(|_| mismatch())?,
                _ => return Err(mismatch()),
            };
            if *ty == Type::FLOAT4 { out.put_f32(f as f32) } else { out.put_f64(f) }
        }
        Type::NUMERIC => {
            let s = match v {
                SqlVal::Int(i) => i.to_string(),
                SqlVal::Float(f) if f.is_finite() => f.to_string(),
                SqlVal::Text(s) => s.trim().to_owned(),
                _ => return Err(mismatch()),
            };
            encode_numeric(&s, out).ok_or_else(mismatch)?;
        }
        Type::UUID => {
            let u = match v {
                SqlVal::Uuid(u) => *u,
                SqlVal::Text(s) => uuid::Uuid::parse_str(s).map_err(|_| perr(format!("{s:?} is not a UUID")))?,
                _ => return Err(mismatch()),
            };
            out.put_slice(u.as_bytes());
        }
        Type::TIMESTAMPTZ | Type::TIMESTAMP => {
            let t = match v {
                SqlVal::Ts(t) => *t,
                SqlVal::Text(s) => value::parse_timestamp(s).ok_or_else(|| perr(format!("{s:?} is not an ISO-8601 timestamp")))?,
                _ => return Err(mismatch()),
            };
            out.put_i64(t.as_microsecond() - PG_EPOCH_US);
        }
        Type::DATE => {
            let d = match v {
                SqlVal::Ts(t) => t.to_zoned(jiff::tz::TimeZone::UTC).date(),
                SqlVal::Text(s) => match s.parse::<civil::Date>() {
                    Ok(d) => d,
                    Err(_) => value::parse_timestamp(s).ok_or_else(|| perr(format!("{s:?} is not a date")))?.to_zoned(jiff::tz::TimeZone::UTC).date(),
                },
                _ => return Err(mismatch()),
            };
            let days = (d - civil::date(2000, 1, 1)).get_days();
            out.put_i32(days);
        }
        Type::JSON | Type::JSONB => {
            let j = match v {
                SqlVal::Json(j) => j.clone(),
                other => value::canonical_json(other),
            };
            if *ty == Type::JSONB {
                out.put_u8(1);
            }
            out.put_slice(j.to_string().as_bytes());
        }
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN => {
            out.put_slice(text_of(v).ok_or_else(mismatch)?.as_bytes());
        }
        _ if ty.name() == "citext" => out.put_slice(text_of(v).ok_or_else(mismatch)?.as_bytes()),
        _ => {
            return Err(perr(format!("parameters of type {} are not supported; cast the placeholder, e.g. $1::text", ty.name())));
        }
    }
    Ok(IsNull::No)
}

fn encode_array(elem: &Type, items: &[Value], out: &mut BytesMut) -> Result<IsNull, BoxError> {
    let has_null = items.iter().any(Value::is_null);
    out.put_i32(1);
    out.put_i32(i32::from(has_null));
    out.put_u32(elem.oid());
    out.put_i32(i32::try_from(items.len()).map_err(|_| perr("array too long".into()))?);
    out.put_i32(1);
    for item in items {
        let v = value::from_param(item);
        let mut buf = BytesMut::new();
        match encode(elem, &v, &mut buf)? {
            IsNull::Yes => out.put_i32(-1),
            IsNull::No => {
                out.put_i32(i32::try_from(buf.len()).map_err(|_| perr("array element too long".into()))?);
                out.put_slice(&buf);
            }
        }
    }
    Ok(IsNull::No)
}

/// A decimal string (`-12.340`, `1e3`) in PostgreSQL's NUMERIC binary form.
fn encode_numeric(s: &str, out: &mut BytesMut) -> Option<()> {
    let (neg, s) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    let (mantissa, exp) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], s[i + 1..].parse::<i32>().ok()?),
        None => (s, 0),
    };
    let (ip, fp) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if ip.is_empty() && fp.is_empty() || !ip.bytes().chain(fp.bytes()).all(|b| b.is_ascii_digit()) || exp.abs() > 1000 {
        return None;
    }
    // All digits with the decimal point moved by the exponent.
    let mut digits: String = format!("{ip}{fp}");
    let mut point = ip.len() as i64 + i64::from(exp);
    if point < 0 {
        digits = format!("{}{digits}", "0".repeat((-point) as usize));
        point = 0;
    }
    if point as usize > digits.len() {
        digits.push_str(&"0".repeat(point as usize - digits.len()));
    }
    let (ip, fp) = digits.split_at(point as usize);
    let dscale = fp.len() as u16;
    let ipad = format!("{}{ip}", "0".repeat((4 - ip.len() % 4) % 4));
    let fpad = format!("{fp}{}", "0".repeat((4 - fp.len() % 4) % 4));
    let mut groups: Vec<i16> = Vec::new();
    for chunk in ipad.as_bytes().chunks(4).chain(fpad.as_bytes().chunks(4)) {
        groups.push(std::str::from_utf8(chunk).ok()?.parse().ok()?);
    }
    let mut weight = (ipad.len() / 4) as i16 - 1;
    while groups.first() == Some(&0) {
        groups.remove(0);
        weight -= 1;
    }
    while groups.last() == Some(&0) {
        groups.pop();
    }
    if groups.is_empty() {
        weight = 0;
    }
    out.put_i16(groups.len() as i16);
    out.put_i16(weight);
    out.put_u16(if neg && !groups.is_empty() { 0x4000 } else { 0 });
    out.put_u16(dscale);
    for g in groups {
        out.put_i16(g);
    }
    Some(())
}

/// A value PostgreSQL returned that has no JSON form here.
#[derive(Debug)]
pub struct Unsupported(pub String);

fn rd<const N: usize>(b: &[u8], at: usize) -> Result<[u8; N], Unsupported> {
    b.get(at..at + N).and_then(|s| s.try_into().ok()).ok_or_else(|| Unsupported("truncated value".into()))
}

fn text(raw: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(raw).into_owned())
}

/// Decodes one binary value of type `ty`.
pub fn decode(ty: &Type, raw: &[u8]) -> Result<Value, Unsupported> {
    match ty.kind() {
        Kind::Domain(base) => return decode(base, raw),
        Kind::Enum(_) => return Ok(text(raw)),
        Kind::Array(elem) => return decode_array(elem, raw),
        _ => {}
    }
    Ok(match *ty {
        Type::BOOL => Value::Bool(raw.first().copied().unwrap_or(0) != 0),
        Type::INT2 => Value::from(i16::from_be_bytes(rd(raw, 0)?)),
        Type::INT4 => Value::from(i32::from_be_bytes(rd(raw, 0)?)),
        Type::INT8 => Value::from(i64::from_be_bytes(rd(raw, 0)?)),
        Type::OID => Value::from(u32::from_be_bytes(rd(raw, 0)?)),
        Type::FLOAT4 => value::float_json(f64::from(f32::from_be_bytes(rd(raw, 0)?))),
        Type::FLOAT8 => value::float_json(f64::from_be_bytes(rd(raw, 0)?)),
        Type::NUMERIC => decode_numeric(raw)?,
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN | Type::CHAR => text(raw),
        Type::UUID => Value::String(uuid::Uuid::from_bytes(rd(raw, 0)?).hyphenated().to_string()),
        Type::TIMESTAMPTZ | Type::TIMESTAMP => {
            let us = i64::from_be_bytes(rd(raw, 0)?);
            match us {
                i64::MAX => Value::String("infinity".into()),
                i64::MIN => Value::String("-infinity".into()),
                _ => match us.checked_add(PG_EPOCH_US).and_then(|u| Timestamp::from_microsecond(u).ok()) {
                    Some(t) => Value::String(value::format_timestamp(t)),
                    None => return Err(Unsupported("a timestamp outside the years -9999…9999".into())),
                },
            }
        }
        Type::DATE => {
            let days = i32::from_be_bytes(rd(raw, 0)?);
            match days {
                i32::MAX => Value::String("infinity".into()),
                i32::MIN => Value::String("-infinity".into()),
                _ => {
                    let d = civil::date(1970, 1, 1).checked_add(jiff::Span::new().days(i64::from(days) + i64::from(PG_EPOCH_DAYS))).map_err(|_| Unsupported("a date outside the years -9999…9999".into()))?;
                    Value::String(d.strftime("%Y-%m-%d").to_string())
                }
            }
        }
        Type::JSON => serde_json::from_slice(raw).map_err(|e| Unsupported(format!("invalid json: {e}")))?,
        Type::JSONB => match raw.split_first() {
            Some((1, rest)) => serde_json::from_slice(rest).map_err(|e| Unsupported(format!("invalid jsonb: {e}")))?,
            _ => return Err(Unsupported("an unknown jsonb format version".into())),
        },
        Type::BYTEA => {
            let mut s = String::with_capacity(2 + raw.len() * 2);
            s.push_str("\\x");
            for b in raw {
                s.push_str(&format!("{b:02x}"));
            }
            Value::String(s)
        }
        Type::VOID => Value::Null,
        _ if ty.name() == "citext" => text(raw),
        _ => return Err(Unsupported(format!("type {}", ty.name()))),
    })
}

fn decode_array(elem: &Type, raw: &[u8]) -> Result<Value, Unsupported> {
    let ndim = i32::from_be_bytes(rd(raw, 0)?);
    if ndim == 0 {
        return Ok(Value::Array(Vec::new()));
    }
    let ndim = usize::try_from(ndim).map_err(|_| Unsupported("bad array".into()))?;
    let mut at = 12;
    let mut dims = Vec::with_capacity(ndim);
    for _ in 0..ndim {
        let len = i32::from_be_bytes(rd(raw, at)?);
        dims.push(usize::try_from(len).map_err(|_| Unsupported("bad array".into()))?);
        at += 8;
    }
    let total: usize = dims.iter().product();
    let mut flat = Vec::with_capacity(total);
    for _ in 0..total {
        let len = i32::from_be_bytes(rd(raw, at)?);
        at += 4;
        if len < 0 {
            flat.push(Value::Null);
        } else {
            let len = len as usize;
            let bytes = raw.get(at..at + len).ok_or_else(|| Unsupported("truncated array".into()))?;
            flat.push(decode(elem, bytes)?);
            at += len;
        }
    }
    // Nest row-major: the last dimension varies fastest.
    let mut level = flat;
    for d in dims[1..].iter().rev() {
        let mut next = Vec::with_capacity(level.len() / d.max(&1));
        let mut it = level.into_iter();
        loop {
            let chunk: Vec<Value> = it.by_ref().take(*d).collect();
            if chunk.is_empty() {
                break;
            }
            next.push(Value::Array(chunk));
        }
        level = next;
    }
    Ok(Value::Array(level))
}

fn decode_numeric(raw: &[u8]) -> Result<Value, Unsupported> {
    let ndigits = i16::from_be_bytes(rd(raw, 0)?) as usize;
    let weight = i16::from_be_bytes(rd(raw, 2)?) as i32;
    let sign = u16::from_be_bytes(rd(raw, 4)?);
    let dscale = u16::from_be_bytes(rd(raw, 6)?) as usize;
    match sign {
        0xC000 => return Ok(Value::String("NaN".into())),
        0xD000 => return Ok(Value::String("Infinity".into())),
        0xF000 => return Ok(Value::String("-Infinity".into())),
        _ => {}
    }
    let mut digits = Vec::with_capacity(ndigits);
    for i in 0..ndigits {
        digits.push(i16::from_be_bytes(rd(raw, 8 + i * 2)?));
    }
    let mut s = String::new();
    if sign == 0x4000 {
        s.push('-');
    }
    if weight < 0 {
        s.push('0');
    } else {
        for i in 0..=weight {
            let g = digits.get(i as usize).copied().unwrap_or(0);
            if i == 0 {
                s.push_str(&g.to_string());
            } else {
                s.push_str(&format!("{g:04}"));
            }
        }
    }
    if dscale > 0 {
        let mut frac = String::new();
        let mut k = weight + 1;
        while frac.len() < dscale {
            let g = if k < 0 { 0 } else { digits.get(k as usize).copied().unwrap_or(0) };
            frac.push_str(&format!("{g:04}"));
            k += 1;
        }
        frac.truncate(dscale);
        s.push('.');
        s.push_str(&frac);
    }
    if dscale == 0
        && let Ok(i) = s.parse::<i64>()
    {
        return Ok(Value::from(i));
    }
    Ok(s.parse::<f64>().ok().and_then(serde_json::Number::from_f64).map(Value::Number).unwrap_or(Value::String(s)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn roundtrip(s: &str) -> Value {
        let mut b = BytesMut::new();
        encode_numeric(s, &mut b).unwrap();
        decode_numeric(&b).unwrap()
    }

    #[test]
    fn numeric_roundtrip() {
        assert_eq!(roundtrip("0"), Value::from(0));
        assert_eq!(roundtrip("12345678"), Value::from(12345678));
        assert_eq!(roundtrip("-1.5"), serde_json::json!(-1.5));
        assert_eq!(roundtrip("0.0001234"), serde_json::json!(0.0001234));
        assert_eq!(roundtrip("1e3"), Value::from(1000));
        assert_eq!(roundtrip("10000.5"), serde_json::json!(10000.5));
    }
}
