//! The ops registry: how a service becomes callable from JavaScript.
//!
//! A service crate implements [`Op`] for each operation and registers it under a dotted name
//! (`db.insert`, `cache.get`, …). The engine exposes one generic bridge to JS
//! (`__pb_host.op(name, json)`), so adding a service never touches the engine.
//!
//! Bytes (Storage uploads and downloads) never travel as JSON: a bytes op
//! ([`OpRegistry::register_bytes`]) gets the caller's `ArrayBuffer`/`Uint8Array` as [`Bytes`]
//! next to its JSON arguments, and may answer bytes next to its JSON result
//! (`__pb_host.opBytes(name, json, bytes?)`).

use std::{collections::HashMap, future::Future, pin::Pin, sync::Arc};

use bytes::Bytes;
use serde_json::Value;

use crate::ApiError;

/// Which kind of code made the call. Endpoints use imported singletons; workers, jobs, hooks and
/// webhooks use `ctx` — the spec forbids mixing them, and ops may check it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallerKind {
    Endpoint,
    Background,
}

/// What an op knows about its caller.
#[derive(Debug, Clone)]
pub struct OpScope {
    pub kind: CallerKind,
    /// The request (or job) id, when known.
    pub request_id: Option<Arc<str>>,
}

pub type OpResult = Result<Value, ApiError>;
pub type OpFuture = Pin<Box<dyn Future<Output = OpResult> + 'static>>;

/// What a bytes op answers: its JSON result and, optionally, bytes (a download).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct BytesOut {
    pub json: Value,
    pub bytes: Option<Bytes>,
}

pub type BytesFuture = Pin<Box<dyn Future<Output = Result<BytesOut, ApiError>> + 'static>>;

/// One operation. Async ops return a future; sync ops (`log`, `storage.getPublicUrl`) implement
/// [`Op::call_sync`] and must not block.
pub trait Op: Send + Sync + 'static {
    fn call(&self, scope: OpScope, args: Value) -> OpFuture {
        let r = self.call_sync(scope, args);
        Box::pin(async move { r })
    }

    fn call_sync(&self, _scope: OpScope, _args: Value) -> OpResult {
        Err(ApiError::new(500, "op_not_sync", "this operation is asynchronous"))
    }

    /// The call through `opBytes`: `bytes` is what the caller passed (if anything). By default
    /// an op takes no bytes and answers only JSON.
    fn call_bytes(&self, scope: OpScope, args: Value, bytes: Option<Bytes>) -> BytesFuture {
        if bytes.is_some() {
            return Box::pin(std::future::ready(Err(ApiError::bad_request("invalid_arguments", "this operation takes no bytes"))));
        }
        let f = self.call(scope, args);
        Box::pin(async move { f.await.map(|json| BytesOut { json, bytes: None }) })
    }
}

/// A bytes op: see [`OpRegistry::register_bytes`].
pub struct BytesFn<F>(pub F);

impl<F> Op for BytesFn<F>
where
    F: Fn(OpScope, Value, Option<Bytes>) -> BytesFuture + Send + Sync + 'static,
{
    fn call(&self, scope: OpScope, args: Value) -> OpFuture {
        let f = (self.0)(scope, args, None);
        Box::pin(async move { f.await.map(|o| o.json) })
    }

    fn call_bytes(&self, scope: OpScope, args: Value, bytes: Option<Bytes>) -> BytesFuture {
        (self.0)(scope, args, bytes)
    }
}

/// A closure-backed op, handy for small services.
pub struct SyncFn<F>(pub F);

impl<F> Op for SyncFn<F>
where
    F: Fn(OpScope, Value) -> OpResult + Send + Sync + 'static,
{
    fn call_sync(&self, scope: OpScope, args: Value) -> OpResult {
        (self.0)(scope, args)
    }
}

/// An async closure-backed op.
pub struct AsyncFn<F>(pub F);

impl<F> Op for AsyncFn<F>
where
    F: Fn(OpScope, Value) -> OpFuture + Send + Sync + 'static,
{
    fn call(&self, scope: OpScope, args: Value) -> OpFuture {
        (self.0)(scope, args)
    }
}

/// Called when a request (or background run) has finished, e.g. to roll back a transaction it
/// left open.
pub type EndHook = Arc<dyn Fn(&str) + Send + Sync>;

#[derive(Default, Clone)]
pub struct OpRegistry {
    ops: HashMap<&'static str, Arc<dyn Op>>,
    end_hooks: Vec<EndHook>,
}

impl OpRegistry {
    pub fn new() -> Self {
        Self::default()
    }

    /// Registers `op` under `name`. Names are unique: a second registration is a programming
    /// error in the binary's wiring, so it panics at start-up rather than shadowing silently.
    pub fn register(&mut self, name: &'static str, op: impl Op) -> &mut Self {
        let prev = self.ops.insert(name, Arc::new(op));
        assert!(prev.is_none(), "op {name} registered twice");
        self
    }

    /// Registers an async op with typed arguments: `args` are read into `A` with [`parse_args`]
    /// (a malformed argument never reaches `f`), and `f` gets a clone of `state`.
    pub fn register_async<S, A, F, Fut>(&mut self, name: &'static str, state: S, f: F) -> &mut Self
    where
        S: Clone + Send + Sync + 'static,
        A: serde::de::DeserializeOwned,
        F: Fn(S, OpScope, A) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = OpResult> + 'static,
    {
        self.register(
            name,
            AsyncFn(move |scope: OpScope, args: Value| -> OpFuture {
                match parse_args::<A>(name, args) {
                    Ok(a) => Box::pin(f(state.clone(), scope, a)),
                    Err(e) => Box::pin(std::future::ready(Err(e))),
                }
            }),
        )
    }

    /// Registers an op that takes and answers bytes next to its typed JSON arguments (called
    /// through `opBytes`; see the module docs).
    pub fn register_bytes<S, A, F, Fut>(&mut self, name: &'static str, state: S, f: F) -> &mut Self
    where
        S: Clone + Send + Sync + 'static,
        A: serde::de::DeserializeOwned,
        F: Fn(S, OpScope, A, Option<Bytes>) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<BytesOut, ApiError>> + 'static,
    {
        self.register(
            name,
            BytesFn(move |scope: OpScope, args: Value, bytes: Option<Bytes>| -> BytesFuture {
                match parse_args::<A>(name, args) {
                    Ok(a) => Box::pin(f(state.clone(), scope, a, bytes)),
                    Err(e) => Box::pin(std::future::ready(Err(e))),
                }
            }),
        )
    }

    /// Registers a hook run when each request or background run finishes.
    pub fn on_request_end(&mut self, hook: EndHook) -> &mut Self {
        self.end_hooks.push(hook);
        self
    }

    /// Tells the services that `request_id` has finished.
    pub fn request_ended(&self, request_id: &str) {
        for h in &self.end_hooks {
            h(request_id);
        }
    }

    pub fn get(&self, name: &str) -> Option<&Arc<dyn Op>> {
        self.ops.get(name)
    }

    pub fn names(&self) -> impl Iterator<Item = &&'static str> {
        self.ops.keys()
    }

    /// The error for a name nobody registered: the service is not available in this build.
    pub fn unknown(name: &str) -> ApiError {
        let service = name.split('.').next().unwrap_or(name);
        ApiError::new(501, "service_unavailable", format!("`{name}` is not available: the {service} service is not enabled in this Palbase runtime"))
    }
}

/// Reads an op's arguments into its declared type. A malformed argument is one 400
/// `invalid_arguments` envelope that names the op and the field (serde's message names it:
/// "missing field `key`", "invalid type: integer `1`, expected a string").
pub fn parse_args<T: serde::de::DeserializeOwned>(op: &str, args: Value) -> Result<T, ApiError> {
    T::deserialize(args).map_err(|e| ApiError::bad_request("invalid_arguments", format!("{op}: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Args {
        key: String,
        ttl: Option<f64>,
    }

    #[test]
    fn malformed_arguments_name_the_field() {
        let e = parse_args::<Args>("cache.get", serde_json::json!({"key": 1})).unwrap_err();
        assert_eq!((e.status, e.code.as_str()), (400, "invalid_arguments"));
        assert!(e.description.starts_with("cache.get: invalid type: integer `1`"), "{}", e.description);
        let e = parse_args::<Args>("cache.get", serde_json::json!({})).unwrap_err();
        assert!(e.description.contains("missing field `key`"), "{}", e.description);
        let e = parse_args::<Args>("cache.get", serde_json::json!({"key": "k", "tll": 1})).unwrap_err();
        assert!(e.description.contains("unknown field `tll`"), "{}", e.description);
        assert_eq!(parse_args::<Args>("cache.get", serde_json::json!({"key": "k"})).unwrap().key, "k");
    }
}
