//! The `queue.push` op: `{name, payload}` → `{jobId}` (`Queue.push` in endpoints,
//! `ctx.queue.push` in background code; `packages/backend/src/services.ts`).

use std::sync::Arc;

use palbase_core::ApiError;
use palbase_core::ops::{AsyncFn, OpFuture, OpRegistry, OpScope};
use serde_json::{Value, json};

use crate::Queue;

/// Registers `queue.push`. A push made while the calling request (or background run) has a
/// `Database.transaction` open is part of that transaction.
pub fn register_ops(reg: &mut OpRegistry, queue: Arc<Queue>) {
    reg.register(
        "queue.push",
        AsyncFn(move |scope: OpScope, args: Value| -> OpFuture {
            let q = queue.clone();
            Box::pin(async move {
                let bad = |m: &str| ApiError::bad_request("invalid_arguments", format!("queue.push: {m}"));
                let Value::Object(mut obj) = args else { return Err(bad("arguments must be an object")) };
                let name = match obj.remove("name") {
                    Some(Value::String(s)) if !s.is_empty() => s,
                    _ => return Err(bad("`name` must be a non-empty string")),
                };
                // `Queue.push(name)` without a payload sends none: it is null.
                let payload = obj.remove("payload").unwrap_or(Value::Null);
                let id = q.push(scope.request_id.as_deref(), &name, payload).await?;
                Ok(json!({ "jobId": id }))
            })
        }),
    );
}
