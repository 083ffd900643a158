//! Op calls made the way the engine makes them: on the calling thread, inside a `LocalSet` on a
//! current-thread runtime.

use std::sync::Arc;

use palbase_core::ApiError;
use palbase_core::ops::{CallerKind, OpRegistry, OpScope};
use serde_json::Value;

/// Calls the op `name` as an endpoint of `request`; panics when no such op is registered.
pub fn call(reg: &OpRegistry, rt: &tokio::runtime::Runtime, request: Option<&str>, name: &str, args: Value) -> Result<Value, ApiError> {
    let scope = OpScope { kind: CallerKind::Endpoint, request_id: request.map(Arc::from) };
    let fut = reg.get(name).unwrap_or_else(|| panic!("op {name} not registered")).call(scope, args);
    let local = tokio::task::LocalSet::new();
    local.block_on(rt, fut)
}
