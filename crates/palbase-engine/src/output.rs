//! An endpoint's output schema, validated and written as JSON by the host: what the compiled
//! writer of `compileJson` (packages/backend/src/runtime/fastcheck.ts) does, for the schemas its
//! `Plan` describes, without running JavaScript. The result is exactly that writer's, which is
//! exactly `JSON.stringify(schema.parse(value))`; anything else — a value the schema refuses, a
//! string with a lone surrogate — is [`Written::Fallback`], and the JavaScript path (compiled
//! writer, then Zod with its issues) decides.
//!
//! Reads go through the object's own property access, so getters and proxies run as the compiled
//! writer would run them; a read that throws is [`Written::Threw`], reported as the handler's
//! failure.

use std::fmt::Write as _;

use rquickjs::{Coerced, Type, Value};
use serde_json::Value as Json;

use crate::{
    plan::{Absent, Plan},
    values::push_str,
};

/// What the host's writer made of a value.
pub(crate) enum Written {
    Json(String),
    /// No body (a 204): an endpoint without an output schema returned nothing.
    Empty,
    /// The JavaScript path decides (a failure, an omitted result, or a value this writer leaves).
    Fallback,
    /// Reading the value threw (a getter or a proxy trap).
    Threw,
}

/// One field or element: JSON text appended, left out (`undefined`), or failed.
enum Step {
    Wrote,
    Omit,
    Fail,
}

/// Writes `v` as `plan` says. A top-level result that would be left out goes to JavaScript too
/// (it then fails the schema or becomes a 204 there).
pub(crate) fn write(plan: &Plan, v: &Value<'_>) -> Written {
    let mut out = String::with_capacity(64);
    match step(plan, v, &mut out) {
        Ok(Step::Wrote) => Written::Json(out),
        Ok(Step::Omit | Step::Fail) => Written::Fallback,
        Err(Stop::Threw) => Written::Threw,
        Err(Stop::Leave) => Written::Fallback,
    }
}

/// Why a walk stopped early.
enum Stop {
    /// A read threw: the exception is pending in the context.
    Threw,
    /// A value this writer does not write itself (see the module docs).
    Leave,
}

impl From<rquickjs::Error> for Stop {
    fn from(e: rquickjs::Error) -> Self {
        if matches!(e, rquickjs::Error::Exception) { Stop::Threw } else { Stop::Leave }
    }
}

/// 2^53 − 1.
const MAX_SAFE: f64 = 9_007_199_254_740_991.0;

fn number(v: &Value<'_>) -> Option<f64> {
    match v.type_of() {
        Type::Int => v.as_int().map(f64::from),
        Type::Float => v.as_float(),
        _ => None,
    }
}

/// `String(v)` of a finite number.
fn push_number(v: &Value<'_>, f: f64, out: &mut String) -> Result<(), Stop> {
    if let Some(i) = v.as_int() {
        let _ = write!(out, "{i}");
    } else if f.trunc() == f && f.abs() <= MAX_SAFE {
        // -0 prints as "0".
        let _ = write!(out, "{}", f as i64);
    } else {
        // The shortest round-trip digits, laid out as JavaScript lays them out: its own.
        let s: Coerced<String> = v.get()?;
        out.push_str(&s.0);
    }
    Ok(())
}

fn literal_index(values: &[Json], v: &Value<'_>) -> Option<usize> {
    let text = v.as_string().and_then(|js| js.to_string().ok());
    values.iter().position(|x| match x {
        Json::Null => v.is_null(),
        Json::Bool(b) => v.as_bool() == Some(*b),
        Json::String(s) => text.as_deref() == Some(s.as_str()),
        Json::Number(n) => n.as_f64().is_some_and(|n| number(v) == Some(n)),
        _ => false,
    })
}

fn step(plan: &Plan, v: &Value<'_>, out: &mut String) -> Result<Step, Stop> {
    Ok(match plan {
        Plan::String => match v.as_string() {
            // A lone surrogate is not UTF-8: JavaScript escapes it.
            Some(s) => {
                push_str(out, &s.to_string().map_err(|_| Stop::Leave)?);
                Step::Wrote
            }
            None => Step::Fail,
        },
        Plan::Number => match number(v) {
            Some(f) if f.is_finite() => {
                push_number(v, f, out)?;
                Step::Wrote
            }
            _ => Step::Fail,
        },
        Plan::Safeint => match number(v) {
            Some(f) if f.trunc() == f && f.abs() <= MAX_SAFE => {
                push_number(v, f, out)?;
                Step::Wrote
            }
            _ => Step::Fail,
        },
        Plan::Boolean => match v.as_bool() {
            Some(b) => {
                out.push_str(if b { "true" } else { "false" });
                Step::Wrote
            }
            None => Step::Fail,
        },
        Plan::Null if v.is_null() => {
            out.push_str("null");
            Step::Wrote
        }
        Plan::Undefined if v.is_undefined() => Step::Omit,
        Plan::Null | Plan::Undefined | Plan::Never => Step::Fail,
        Plan::Literal { v: values, j, undef } => {
            if v.is_undefined() {
                return Ok(if *undef { Step::Omit } else { Step::Fail });
            }
            match literal_index(values, v).and_then(|i| j.get(i)) {
                Some(text) => {
                    out.push_str(text);
                    Step::Wrote
                }
                None => Step::Fail,
            }
        }
        Plan::Optional { of } => {
            if v.is_undefined() {
                Step::Omit
            } else {
                step(of, v, out)?
            }
        }
        Plan::Nullable { of } => {
            if v.is_null() {
                out.push_str("null");
                Step::Wrote
            } else {
                step(of, v, out)?
            }
        }
        Plan::Array { of } => {
            if v.type_of() != Type::Array {
                return Ok(Step::Fail);
            }
            let Some(a) = v.as_array() else { return Err(Stop::Leave) };
            out.push('[');
            for i in 0..a.len() {
                if i > 0 {
                    out.push(',');
                }
                let item: Value = a.get(i)?;
                match step(of, &item, out)? {
                    Step::Wrote => {}
                    Step::Omit => out.push_str("null"),
                    Step::Fail => return Ok(Step::Fail),
                }
            }
            out.push(']');
            Step::Wrote
        }
        Plan::Object { f } => {
            // `typeof v === "object"`, not null, not an array.
            if !matches!(v.type_of(), Type::Object | Type::Promise | Type::Exception) {
                return Ok(Step::Fail);
            }
            let Some(o) = v.as_object() else { return Ok(Step::Fail) };
            out.push('{');
            let mut first = true;
            for (key, plan, absent) in f {
                let x: Value = o.get(key.as_str())?;
                let mark = out.len();
                let sep = if first { "" } else { "," };
                out.push_str(sep);
                push_str(out, key);
                out.push(':');
                let r = if x.is_undefined() && !o.contains_key(key.as_str())? {
                    match absent {
                        Absent::Skip => Step::Omit,
                        Absent::Fail => return Ok(Step::Fail),
                        Absent::TrySwallow => match step(plan, &x, out)? {
                            Step::Fail => Step::Omit,
                            r => r,
                        },
                        Absent::Try => step(plan, &x, out)?,
                    }
                } else {
                    step(plan, &x, out)?
                };
                match r {
                    Step::Wrote => first = false,
                    Step::Omit => out.truncate(mark),
                    Step::Fail => return Ok(Step::Fail),
                }
            }
            out.push('}');
            Step::Wrote
        }
    })
}
