//! The `flags.*` ops: synchronous (evaluation does no I/O), one JSON object in, one out.

use std::sync::Arc;

use palbase_core::{
    ApiError,
    ops::{OpRegistry, OpScope, SyncFn, parse_args},
};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::Flags;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Args {
    flag: String,
    #[serde(default)]
    context: Option<Map<String, Value>>,
}

pub fn register_ops(reg: &mut OpRegistry, flags: Arc<Flags>) {
    let one = |name: &'static str, flags: Arc<Flags>, answer: fn(crate::Evaluation) -> Value| {
        SyncFn(move |_scope: OpScope, args: Value| -> Result<Value, ApiError> {
            let a: Args = parse_args(name, args)?;
            Ok(answer(flags.evaluate(&a.flag, &a.context.unwrap_or_default())))
        })
    };
    reg.register("flags.isEnabled", one("flags.isEnabled", flags.clone(), |e| Value::Bool(e.enabled)));
    reg.register("flags.getVariant", one("flags.getVariant", flags.clone(), |e| e.variant.map_or(Value::Null, Value::String)));
    reg.register("flags.evaluate", one("flags.evaluate", flags, |e| serde_json::to_value(e).unwrap_or_else(|_| json!(null))));
}
