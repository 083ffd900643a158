//! The plans an endpoint registers (crates/palbase-engine/src/plan.rs): the host validates a GET's
//! query and writes a result itself only when the schema compilers send one, so a plain schema
//! must arrive with its plans and one the host cannot follow without them. (That the host's work
//! equals Zod's is palbase-cli's tests/zod_conformance.rs.)

use std::{sync::Arc, time::Duration};

use palbase_core::ops::OpRegistry;
use palbase_engine::{
    Engine, EngineConfig, Role,
    plan::{Absent, Plan},
};
use palbase_project::graph::Compiler;

const PLAIN: &str = r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "GET",
  input: z.object({ name: z.string().optional(), e: z.enum(["a", "b"]) }),
  output: z.object({ message: z.string(), n: z.int().nullable() }),
  handler: async () => ({ message: "", n: null }),
});
"#;

const CHECKED: &str = r#"import { defineEndpoint, z } from "@palbase/backend";
export default defineEndpoint({
  method: "GET",
  input: z.object({ name: z.string().min(2) }),
  output: z.object({ message: z.string().refine((s) => s.length > 0) }),
  handler: async () => ({ message: "x" }),
});
"#;

#[test]
fn plain_schemas_register_their_plans_and_others_none() {
    let root = std::env::temp_dir().join(format!("palbase-plans-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (file, text) in [("endpoints/plain/get.ts", PLAIN), ("endpoints/checked/get.ts", CHECKED)] {
        let path = root.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let graph = Arc::new(Compiler::new(root.clone(), palbase_engine::loader::builtin).build().unwrap());
    let files: Vec<String> = graph.routes.iter().map(|r| r.file.clone()).collect();
    let config = EngineConfig { memory_limit: 64 << 20, stack_limit: 1 << 20, cpu_limit: Duration::from_secs(5), timeout: Duration::from_secs(5), role: Role::Endpoints, env_json: Arc::from("{}"), activity: None };
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let metas = tokio::task::LocalSet::new().block_on(&rt, async { Engine::new(graph, Arc::new(OpRegistry::new()), config).await.map(|(e, _)| e.endpoints.clone()) }).unwrap();
    let _ = std::fs::remove_dir_all(&root);
    let meta = |name: &str| &metas[files.iter().position(|f| f.contains(name)).unwrap()];

    let plain = meta("plain");
    let string = Plan::String;
    let e = Plan::Literal { v: vec!["a".into(), "b".into()], j: vec![], undef: false };
    assert_eq!(plain.query, Some(Plan::Object { f: vec![("name".into(), Plan::Optional { of: Box::new(string.clone()) }, Absent::Skip), ("e".into(), e, Absent::Fail)] }));
    assert_eq!(plain.output, Some(Plan::Object { f: vec![("message".into(), string, Absent::Fail), ("n".into(), Plan::Nullable { of: Box::new(Plan::Safeint) }, Absent::Fail)] }));
    assert!(plain.has_output);

    let checked = meta("checked");
    assert_eq!((&checked.query, &checked.output, checked.has_output), (&None, &None, true));
}
