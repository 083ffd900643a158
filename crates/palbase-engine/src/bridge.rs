//! `__pb_host`: the one door from JavaScript to Rust services (see `packages/backend/src/host.ts`).
//!
//! `op(name, json)` returns a promise: the op's future runs as a local tokio task and its result
//! is delivered back into JavaScript inside a new segment (so the CPU limit and the current
//! request id apply to the continuation). `opSync(name, json)` returns the JSON directly.
//! `opBytes(name, json, bytes?)` is `op` for ops that take or answer bytes (Storage).
//! The `log` op is built in: logging is part of the runtime, not a service.

use std::{future::Future, pin::Pin, rc::Rc};

use bytes::Bytes;
use palbase_core::{
    ApiError,
    ops::{BytesFuture, BytesOut, OpFuture, OpRegistry, OpScope},
};
use rquickjs::{
    CatchResultExt, Ctx, Function, Object, Persistent, Promise,
    prelude::{Func, Opt},
};
use serde_json::Value;

use crate::State;

fn scope(state: &State) -> OpScope {
    OpScope { kind: state.kind, request_id: state.current_request().as_deref().map(Into::into) }
}

fn throw_json(ctx: &Ctx<'_>, err: &ApiError) -> rquickjs::Error {
    match rquickjs::String::from_str(ctx.clone(), &err.to_op_json()) {
        Ok(s) => ctx.throw(s.into_value()),
        Err(e) => e,
    }
}

/// Runs the synchronous op `name` (or the log).
fn call_sync(st: &State, name: &str, args: Value) -> Result<Value, ApiError> {
    if name == "log" {
        return log(st, &args);
    }
    match st.ops.get(name) {
        Some(op) => op.call_sync(scope(st), args),
        None => Err(OpRegistry::unknown(name)),
    }
}

/// Starts the async op `name` on its parsed arguments.
fn start(st: &State, name: &str, args: Result<Value, ApiError>) -> OpFuture {
    match args {
        Ok(args) => match st.ops.get(name) {
            Some(op) => op.call(scope(st), args),
            None => Box::pin(std::future::ready(Err(OpRegistry::unknown(name)))),
        },
        Err(e) => Box::pin(std::future::ready(Err(e))),
    }
}

fn parse_args(args: &str) -> Result<Value, ApiError> {
    serde_json::from_str(args).map_err(|e| ApiError::bad_request("invalid_arguments", format!("arguments are not JSON: {e}")))
}

/// An op's arguments from a JavaScript value: what `JSON.parse(JSON.stringify(args))` gives, through
/// the text only when values.rs cannot convert directly. A value `JSON.stringify` throws on (a
/// cycle, a `BigInt`) throws the same error here.
fn value_args<'js>(ctx: &Ctx<'js>, args: &rquickjs::Value<'js>) -> rquickjs::Result<Result<Value, ApiError>> {
    if let Some(v) = crate::values::js_to_json(args)? {
        return Ok(Ok(v));
    }
    match ctx.json_stringify(args.clone())? {
        Some(text) => Ok(parse_args(&text.to_string()?)),
        // `JSON.stringify` gives nothing for a function or `undefined`: no arguments text.
        None => Err(rquickjs::Error::new_from_js(args.type_name(), "String")),
    }
}

pub(crate) fn install<'js>(ctx: &Ctx<'js>, state: Rc<State>) -> rquickjs::Result<()> {
    let host = Object::new(ctx.clone())?;

    let st = state.clone();
    host.set(
        "opSync",
        Func::from(move |ctx: Ctx<'js>, name: String, args: String| -> rquickjs::Result<String> {
            let result = parse_args(&args).and_then(|args| call_sync(&st, &name, args));
            match result {
                Ok(v) => Ok(v.to_string()),
                Err(e) => Err(throw_json(&ctx, &e)),
            }
        }),
    )?;

    let st = state.clone();
    host.set(
        "op",
        Func::from(move |ctx: Ctx<'js>, name: String, args: String| -> rquickjs::Result<Promise<'js>> {
            let fut = start(&st, &name, parse_args(&args));
            settle(&ctx, &st, fut, |ctx, v| rquickjs::String::from_str(ctx.clone(), &v.to_string()).map(|s| s.into_value()), None)
        }),
    )?;

    // `opValue(name, args, toError?)` / `opSyncValue(name, args)`: `op` / `opSync` with the
    // arguments and the result as JavaScript values: no JSON text either way where values.rs can
    // convert directly (the common case), the text where it cannot. `opValue` rejects with
    // `toError(json)` when given.
    let st = state.clone();
    host.set(
        "opValue",
        Func::from(move |ctx: Ctx<'js>, name: String, args: rquickjs::Value<'js>, to_error: Opt<Function<'js>>| -> rquickjs::Result<Promise<'js>> {
            let fut = start(&st, &name, value_args(&ctx, &args)?);
            settle(&ctx, &st, fut, |ctx, v| crate::values::json_to_js(ctx, &v), to_error.0)
        }),
    )?;

    let st = state.clone();
    host.set(
        "opSyncValue",
        Func::from(move |ctx: Ctx<'js>, name: String, args: rquickjs::Value<'js>| -> rquickjs::Result<rquickjs::Value<'js>> {
            let result = value_args(&ctx, &args)?.and_then(|args| call_sync(&st, &name, args));
            match result {
                Ok(v) => crate::values::json_to_js(&ctx, &v),
                Err(e) => Err(throw_json(&ctx, &e)),
            }
        }),
    )?;

    // `json(value)`: `JSON.stringify(value)` written in Rust (values.rs), or `undefined` for a
    // value it leaves to `JSON.stringify` (the response body of a handler without a compiled
    // output writer: `JSON.stringify` is one of QuickJS's costliest calls).
    host.set("json", Func::from(|v: rquickjs::Value<'js>| -> rquickjs::Result<Option<String>> { crate::values::js_to_json_text(&v) }))?;

    // `opBytes(name, json, bytes?)` → `[json, ArrayBuffer | undefined]`: bytes cross as bytes
    // (one copy each way), never as text.
    let st = state;
    host.set(
        "opBytes",
        Func::from(move |ctx: Ctx<'js>, name: String, args: String, bytes: Opt<rquickjs::Value<'js>>| -> rquickjs::Result<Promise<'js>> {
            let input = match bytes.0.filter(|v| !v.is_undefined() && !v.is_null()) {
                None => Ok(None),
                Some(v) => bytes_of(&v).map(Some),
            };
            let fut: BytesFuture = match input.and_then(|b| parse_args(&args).map(|a| (a, b))) {
                Ok((args, bytes)) => match st.ops.get(&name) {
                    Some(op) => op.call_bytes(scope(&st), args, bytes),
                    None => Box::pin(std::future::ready(Err(OpRegistry::unknown(&name)))),
                },
                Err(e) => Box::pin(std::future::ready(Err(e))),
            };
            settle(
                &ctx,
                &st,
                fut,
                |ctx, out: BytesOut| {
                    let arr = rquickjs::Array::new(ctx.clone())?;
                    arr.set(0, out.json.to_string())?;
                    match out.bytes {
                        Some(b) => arr.set(1, rquickjs::ArrayBuffer::new(ctx.clone(), Vec::from(b))?)?,
                        None => arr.set(1, rquickjs::Undefined)?,
                    }
                    Ok(arr.into_value())
                },
                None,
            )
        }),
    )?;
    ctx.globals().set("__pb_host", host)?;
    Ok(())
}

/// The bytes of an `ArrayBuffer` or of a typed array's view (`Uint8Array`, `req.file.bytes`).
fn bytes_of(v: &rquickjs::Value<'_>) -> Result<Bytes, ApiError> {
    let not_bytes = || ApiError::bad_request("invalid_arguments", "bytes must be an ArrayBuffer or a Uint8Array");
    if let Some(ab) = rquickjs::ArrayBuffer::from_value(v.clone()) {
        return ab.as_bytes().map(Bytes::copy_from_slice).ok_or_else(not_bytes);
    }
    if let Ok(ta) = rquickjs::TypedArray::<u8>::from_value(v.clone()) {
        return ta.as_bytes().map(Bytes::copy_from_slice).ok_or_else(not_bytes);
    }
    Err(not_bytes())
}

/// A promise settled with `value` — fulfilled, or rejected when `reject` — exactly as calling
/// the resolving functions of a new promise would settle it, without creating them (a third of
/// an op's cost on the request path; third_party/rquickjs-sys/PATCH.md).
#[allow(unsafe_code)]
fn settled<'js>(ctx: &Ctx<'js>, value: rquickjs::Value<'js>, reject: bool) -> rquickjs::Result<Promise<'js>> {
    // SAFETY: `ctx` is a live context for 'js; JS_NewSettledPromise borrows `value` (which
    // outlives the call) and returns a new reference, or JS_EXCEPTION, which `from_raw` owns.
    let out = unsafe { rquickjs::Value::from_raw(ctx.clone(), rquickjs::qjs::JS_NewSettledPromise(ctx.as_raw().as_ptr(), value.as_raw(), reject)) };
    if out.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    out.into_promise().ok_or(rquickjs::Error::Unknown)
}

/// Returns the promise of an op call and settles it with `to_js(result)` or the op's error.
/// An op that is done at once (an in-process cache read, a SQLite statement on this thread, an
/// argument error) settles its promise here: no task, no second entry into the engine. The
/// awaiting code still resumes in a microtask, as JS requires.
///
/// The rejection is the error's JSON text, or what `to_error` (the SDK's converter, passed by
/// `opValue`) makes of it: then the SDK needs no async wrapper of its own to convert it.
fn settle<'js, T: 'static>(
    ctx: &Ctx<'js>,
    st: &Rc<State>,
    mut fut: Pin<Box<dyn Future<Output = Result<T, ApiError>>>>,
    to_js: for<'a> fn(&Ctx<'a>, T) -> rquickjs::Result<rquickjs::Value<'a>>,
    to_error: Option<Function<'js>>,
) -> rquickjs::Result<Promise<'js>> {
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    if let std::task::Poll::Ready(result) = fut.as_mut().poll(&mut cx) {
        return match result {
            Ok(v) => settled(ctx, to_js(ctx, v)?, false),
            Err(e) => settled(ctx, rejection(ctx, &e, to_error.as_ref())?, true),
        };
    }
    let (promise, resolve, reject) = ctx.promise()?;
    let request = st.current_run();
    let (resolve, reject) = (Persistent::save(ctx, resolve), Persistent::save(ctx, reject));
    let to_error = to_error.map(|f| Persistent::save(ctx, f));
    let st2 = st.clone();
    tokio::task::spawn_local(async move {
        let result = fut.await;
        let Some(actx) = st2.ctx.borrow().clone() else { return };
        actx.with(|ctx| {
            let prev = st2.enter(request.clone());
            let _ = (|| -> rquickjs::Result<()> {
                match result {
                    Ok(v) => resolve.restore(&ctx)?.call::<_, ()>((to_js(&ctx, v)?,)),
                    Err(e) => {
                        let to_error = match to_error {
                            Some(f) => Some(f.restore(&ctx)?),
                            None => None,
                        };
                        reject.restore(&ctx)?.call::<_, ()>((rejection(&ctx, &e, to_error.as_ref())?,))
                    }
                }
            })();
            while ctx.execute_pending_job() {}
            st2.leave(prev);
            st2.after_segment(request.as_ref());
        })
        .await;
    });
    Ok(promise)
}

/// What an op's promise rejects with: the error's JSON text, converted by `to_error` if given.
fn rejection<'js>(ctx: &Ctx<'js>, e: &ApiError, to_error: Option<&Function<'js>>) -> rquickjs::Result<rquickjs::Value<'js>> {
    let text = rquickjs::String::from_str(ctx.clone(), &e.to_op_json())?.into_value();
    Ok(match to_error {
        // The SDK's converter does not throw; if it did, the text still settles the promise.
        Some(f) => f.call((text.clone(),)).catch(ctx).unwrap_or(text),
        None => text,
    })
}

/// `Log.*`, `ctx.log.*`: one structured line, tagged with the request id.
fn log(state: &State, args: &Value) -> Result<Value, ApiError> {
    let level = args.get("level").and_then(Value::as_str).unwrap_or("info");
    let message = args.get("message").map(|m| m.as_str().map_or_else(|| m.to_string(), str::to_string)).unwrap_or_default();
    let data = args.get("data").filter(|d| !d.is_null()).map(|d| match d.get("stack").and_then(Value::as_str) {
        // Stacks point into the compiled JavaScript: map them back to the TypeScript source.
        Some(stack) => {
            let mut d = d.clone();
            d["stack"] = Value::String(crate::map_stack(&state.graph, stack));
            d.to_string()
        }
        None => d.to_string(),
    });
    let explicit = args.get("requestId").and_then(Value::as_str);
    let current = state.current_request();
    let request_id = explicit.or(current.as_deref()).unwrap_or("-");
    let data = data.as_deref().unwrap_or("");
    match level {
        "error" => tracing::error!(target: "app", request_id, data, "{message}"),
        "warn" => tracing::warn!(target: "app", request_id, data, "{message}"),
        "debug" => tracing::debug!(target: "app", request_id, data, "{message}"),
        _ => tracing::info!(target: "app", request_id, data, "{message}"),
    }
    Ok(Value::Null)
}
