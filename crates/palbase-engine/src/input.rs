//! The input of a GET or DELETE validated by the host, from the query string's pairs: what the
//! compiled validator of `compile` (packages/backend/src/runtime/fastcheck.ts) makes of the query
//! object, for the object plans it attaches (fields of strings, string literals and enums,
//! optional and nullable ones). The result is that validator's — which is Zod's parse — built
//! straight into a JavaScript object, without the query's JSON text or the validator's run. A
//! query the plan refuses is left to JavaScript, where Zod reports its issues.

use rquickjs::{Ctx, Object};

use crate::plan::{Absent, Plan};

/// One field's outcome.
enum Field<'a> {
    Value(&'a str),
    /// `undefined`: the key is left out.
    Undefined,
    Fail,
}

/// The value of `name` in the query object: the last pair of that name (the query's JSON has
/// every pair, and `JSON.parse` keeps the last).
fn lookup<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// What the field `plan` makes of a query value (`None`: the key is absent).
fn field<'a>(plan: &Plan, v: Option<&'a str>) -> Field<'a> {
    match plan {
        Plan::String => v.map_or(Field::Fail, Field::Value),
        Plan::Optional { of } => match v {
            None => Field::Undefined,
            Some(_) => field(of, v),
        },
        // A query value is never null.
        Plan::Nullable { of } => field(of, v),
        Plan::Literal { v: values, undef, .. } => match v {
            None if *undef => Field::Undefined,
            None => Field::Fail,
            Some(s) if values.iter().any(|x| x.as_str() == Some(s)) => Field::Value(s),
            Some(_) => Field::Fail,
        },
        _ => Field::Fail,
    }
}

/// Whether a plan is one this validator walks (the compiler attaches no other to a query object,
/// but the plan crosses from JavaScript: anything else leaves the query to it).
fn walkable(plan: &Plan) -> bool {
    match plan {
        Plan::String | Plan::Literal { .. } => true,
        Plan::Optional { of } | Plan::Nullable { of } => walkable(of),
        _ => false,
    }
}

/// The validated input, or `None` when the query fails the plan (or the plan is not one of a
/// query object).
pub(crate) fn validate<'js>(ctx: &Ctx<'js>, plan: &Plan, pairs: &[(String, String)]) -> rquickjs::Result<Option<Object<'js>>> {
    let Plan::Object { f } = plan else { return Ok(None) };
    // Values are borrowed until every field has passed: a failure builds nothing.
    let mut values: Vec<(&str, &str)> = Vec::with_capacity(f.len());
    for (key, plan, absent) in f {
        if !walkable(plan) {
            return Ok(None);
        }
        let v = lookup(pairs, key);
        let r = match (v, absent) {
            (Some(_), _) => field(plan, v),
            (None, Absent::Skip) => continue,
            (None, Absent::Fail) => return Ok(None),
            (None, Absent::TrySwallow) => match field(plan, None) {
                Field::Fail => continue,
                r => r,
            },
            (None, Absent::Try) => field(plan, None),
        };
        match r {
            Field::Value(s) => values.push((key, s)),
            Field::Undefined => {}
            Field::Fail => return Ok(None),
        }
    }
    crate::values::string_record(ctx, values).map(Some)
}
