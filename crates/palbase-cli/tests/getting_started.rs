//! getting-started.md, followed as a new user would: `palbase new`, `npm install` (the
//! registry's `@palbase/backend` is another package; the postinstall puts this SDK's types
//! back), `npm run typecheck`, `npm run dev`, the first endpoint answering.

mod common;

use std::{path::Path, process::Command, time::Duration};

use common::*;

fn npm(dir: &Path, args: &[&str]) -> (bool, String) {
    // The postinstall runs `palbase types`: the binary under test comes first on PATH.
    let bin_dir = Path::new(bin()).parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    let o = Command::new("npm").args(args).current_dir(dir).env("PATH", path).env("npm_config_audit", "false").env("npm_config_fund", "false").output().unwrap();
    (o.status.success(), format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr)))
}

fn installed_sdk(dir: &Path) -> String {
    let pkg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("node_modules/@palbase/backend/package.json")).unwrap()).unwrap();
    pkg["version"].as_str().unwrap().to_string()
}

#[test]
fn palbase_new_writes_the_starter_project() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("my-backend");
    let (ok, out, err) = palbase(&["new", dir.to_str().unwrap()]);
    assert!(ok, "{err}");
    assert!(out.contains("npm run dev"), "{out}");
    let pkg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).unwrap()).unwrap();
    assert_eq!(pkg["name"], "my-backend");
    assert_eq!(pkg["scripts"]["dev"], "palbase serve");
    assert_eq!(pkg["scripts"]["deploy"], "palbase push");
    assert_eq!(pkg["scripts"]["typecheck"], "tsc --noEmit");
    assert_eq!(pkg["scripts"]["postinstall"], "palbase types");
    assert_eq!(pkg["dependencies"]["@palbase/backend"], "latest");
    assert!(std::fs::read_to_string(dir.join(".gitignore")).unwrap().contains(".palbase/"));
    assert!(dir.join("endpoints/hello/get.ts").is_file() && dir.join("tsconfig.json").is_file());
    assert_eq!(installed_sdk(&dir), "2.0.2");
    // Never over a project.
    let (ok, _, err) = palbase(&["new", dir.to_str().unwrap()]);
    assert!(!ok && err.contains("not empty"), "{err}");
}

#[tokio::test]
async fn serve_replaces_a_foreign_sdk_in_node_modules() {
    let p = Project::new(&[("endpoints/hello/get.ts", "import { defineEndpoint } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", handler: async () => ({ ok: true }) });\n")]);
    // What `npm install` of "latest" leaves: another package under the same name.
    p.write("node_modules/@palbase/backend/package.json", r#"{"name":"@palbase/backend","version":"41.2.0","main":"index.js"}"#);
    let s = p.serve();
    assert!(s.wait_for_err(|e| e.contains("installed the @palbase/backend 2.0.2 types").then_some(()), Duration::from_secs(10)).is_some(), "{}", s.err());
    assert_eq!(installed_sdk(p.path()), "2.0.2");
    let pkg: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p.path().join("package.json")).unwrap()).unwrap();
    assert_eq!(pkg["scripts"]["postinstall"], "palbase types");
    assert_eq!(send(client().get(s.url("/hello"))).await.json()["ok"], true);
}

/// The whole first session, with the real npm registry (a network failure fails under CI).
#[tokio::test]
async fn getting_started_verbatim() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("my-backend");
    let (ok, _, err) = palbase(&["new", dir.to_str().unwrap()]);
    assert!(ok, "{err}");
    std::fs::remove_dir_all(dir.join("node_modules")).unwrap();
    let (ok, log) = npm(&dir, &["install", "--no-audit", "--no-fund", "--loglevel=error"]);
    if !ok {
        palbase_testkit::skip("npm install", &format!("failed (no registry?):\n{log}"));
        return;
    }
    assert_eq!(installed_sdk(&dir), "2.0.2", "the postinstall put this SDK's types in place: {log}");
    let (ok, log) = npm(&dir, &["run", "typecheck"]);
    assert!(ok, "npm run typecheck failed:\n{log}");
    // The type check can fail: a wrong field is an error.
    std::fs::create_dir_all(dir.join("endpoints/bad")).unwrap();
    std::fs::write(
        dir.join("endpoints/bad/get.ts"),
        "import { defineEndpoint, z } from \"@palbase/backend\";\nexport default defineEndpoint({ method: \"GET\", output: z.object({ n: z.number() }), handler: async () => ({ n: \"one\" }) });\n",
    )
    .unwrap();
    let (ok, log) = npm(&dir, &["run", "typecheck"]);
    assert!(!ok && log.contains("endpoints/bad/get.ts"), "{log}");
    std::fs::remove_dir_all(dir.join("endpoints/bad")).unwrap();

    let s = Server::start(&dir, &[]);
    let r = send(client().get(s.url("/hello?name=you"))).await;
    assert_eq!(r.json(), serde_json::json!({ "message": "hello, you!", "user": null }));
}
