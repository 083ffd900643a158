//! Async functions settle in the engine exactly as in Node: tests/async_order.js logs every
//! observable event of async functions that return, throw, return promises and thenables, or
//! await, interleaved with a promise chain, and both runtimes must log the same lines. QuickJS is
//! patched where an async function's first segment ends (third_party/rquickjs-sys/PATCH.md);
//! this is the check that the patch changes nothing a program can see.

use std::{process::Command, rc::Rc, sync::Arc, time::Duration};

use palbase_core::{ApiError, ops::OpRegistry};
use palbase_engine::{Engine, EngineConfig, Outcome, RequestArgs, Role};
use palbase_project::graph::Compiler;

const SCRIPT: &str = include_str!("async_order.js");
const OPS: &str = include_str!("op_order.js");

fn in_node(script: &str, run: &str) -> String {
    let out = Command::new("node").args(["--input-type=module", "-e", &format!("{script}\n{run}.then((s) => process.stdout.write(s));")]).output().expect("node runs (the test compares against it)");
    assert!(out.status.success(), "node failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

fn in_engine(script: &str, run: &str) -> String {
    // One directory per call: the tests run in parallel.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!("palbase-async-{}-{n}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let path = root.join("endpoints/order/get.ts");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let endpoint = format!("import {{ defineEndpoint, Cache }} from \"@palbase/backend\";\n{script}\nexport default defineEndpoint({{ method: \"GET\", handler: async () => ({{ log: await {run} }}) }});\n");
    std::fs::write(&path, endpoint).unwrap();
    let graph = Arc::new(Compiler::new(root.clone(), palbase_engine::loader::builtin).build().unwrap());
    let config = EngineConfig { memory_limit: 64 << 20, stack_limit: 1 << 20, cpu_limit: Duration::from_secs(5), timeout: Duration::from_secs(5), role: Role::Endpoints, env_json: Arc::from("{}"), activity: None };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let outcome = tokio::task::LocalSet::new().block_on(&rt, async {
        // Ops that finish at once, as the embedded services' reads do.
        let mut ops = OpRegistry::new();
        #[derive(serde::Deserialize)]
        struct Key {
            key: String,
        }
        ops.register_async("cache.get", (), |_, _, Key { key }| async move {
            match key.as_str() {
                "fail" => Err(ApiError::new(400, "test_failed", "fail")),
                json => Ok(serde_json::from_str(json).unwrap_or_default()),
            }
        });
        let (engine, _) = Engine::new(graph, Arc::new(ops), config).await.expect("the project loads");
        let args = RequestArgs { path: "/order".into(), request_id: Rc::from("req"), trace_id: "0".repeat(32), span_id: "0".repeat(16), ..Default::default() };
        engine.dispatch(0, args).await
    });
    let _ = std::fs::remove_dir_all(&root);
    match outcome {
        Outcome::Success { status: 200, body: Some(body) } => {
            let v: serde_json::Value = serde_json::from_str(&body).unwrap();
            v["log"].as_str().expect("a log").to_owned()
        }
        other => panic!("the endpoint failed: {other:?}"),
    }
}

/// Runs `script` in both, calling `in_engine` there and `in_node` in Node, and requires the same
/// log of at least `min_lines` lines.
fn same_order(script: &str, in_engine_call: &str, in_node_call: &str, min_lines: usize) {
    let engine = in_engine(script, in_engine_call);
    let node = in_node(script, in_node_call);
    assert!(node.lines().count() >= min_lines, "node logged too little:\n{node}");
    assert_eq!(engine, node, "the engine's order (left) differs from Node's (right)");
}

#[test]
fn async_functions_settle_as_in_node() {
    same_order(SCRIPT, "run()", "run()", 30);
}

#[test]
fn op_promises_settled_at_once_order_as_promise_resolve() {
    // `Cache.get` is `async (key) => await op("cache.get", { key })`: Node gets the same shape.
    same_order(
        OPS,
        "runOps((name, args) => Cache.get(name === \"test.fail\" ? \"fail\" : JSON.stringify(args)))",
        "runOps(async (name, args) => await (name === \"test.fail\" ? Promise.reject(new Error(\"fail\")) : Promise.resolve(args)))",
        12,
    );
}
