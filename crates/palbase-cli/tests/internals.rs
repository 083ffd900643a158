//! Handler code cannot reach the runtime's internals: the ops bridge and the completion
//! callback are not on the global object, and `@palbase/backend` exports none of the `__pb_*`
//! entry points (with which a handler could answer another client's request).

mod common;

use common::*;

#[tokio::test]
async fn runtime_internals_are_out_of_reach() {
    let p = Project::new(&[(
        "endpoints/probe/get.ts",
        r#"import { defineEndpoint, Cache } from "@palbase/backend";
import * as sdk from "@palbase/backend";
export default defineEndpoint({ method: "GET", handler: async () => {
  const g = globalThis as any;
  await Cache.set("still", "works");
  return {
    host: typeof g.__pb_host, complete: typeof g.__pb_complete, dispatch: typeof g.__pb_dispatch,
    exported: Object.keys(sdk).filter((k) => k.startsWith("__pb")),
    globals: Object.getOwnPropertyNames(globalThis).filter((k) => k.startsWith("__pb")),
    cache: await Cache.get("still"),
  };
} });
"#,
    )]);
    let s = p.serve();
    let r = send(client().get(s.url("/probe"))).await;
    assert_eq!(r.status, 200, "{}\n{}", r.text, s.err());
    assert_eq!(r.json(), serde_json::json!({"host": "undefined", "complete": "undefined", "dispatch": "undefined", "exported": [], "globals": [], "cache": "works"}));

    // Importing an entry point by name is a load error naming the file, not a way in.
    p.write(
        "endpoints/forge/get.ts",
        "import { __pb_dispatch } from \"@palbase/backend\";\nimport { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ t: typeof __pb_dispatch }) });\n",
    );
    let (ok, out, err) = palbase(&["check", p.path().to_str().unwrap()]);
    assert!(!ok, "{out}");
    assert!(err.contains("endpoints/forge/get.ts") && err.contains("__pb_dispatch"), "{err}");
}
