//! Flags through the real server: services.md's example verbatim, decisions that match the
//! library's (and so GrowthBook's), context attributes, `ctx.flags` in a worker, hot reload,
//! an invalid file, environment overrides, unknown flags, the CLI, and typed names.

mod common;

use std::time::{Duration, Instant};

use common::*;
use serde_json::{Value, json};

/// services.md's Flags example, verbatim.
const EXAMPLE: &str = r#"import { defineEndpoint, z, Flags } from "@palbase/backend";

export default defineEndpoint({
method: "GET",
auth: { required: true }, // req.user is non-null here
output: z.object({ enabled: z.boolean() }),
handler: async (req) => {
const { data: enabled } = await Flags.isEnabled("new-checkout", { userId: req.user.id });
const { data: variant } = await Flags.getVariant("button-color", { userId: req.user.id });
return { enabled: enabled ?? false };
},
});
"#;

/// Everything a handler can ask, driven by the query.
const PROBE: &str = r#"import { defineEndpoint, Flags, Queue } from "@palbase/backend";
export default defineEndpoint({
  method: "POST",
  handler: async (req) => {
    const b = req.input as any;
    if (b.worker) return await Queue.push("flagged", { userId: b.context.userId });
    const on = await Flags.isEnabled(b.flag, b.context);
    const variant = await Flags.getVariant(b.flag, b.context);
    const why = await Flags.evaluate(b.flag, b.context);
    return { on: on.data, variant: variant.data, why: why.data, error: on.error };
  },
});
"#;

const WORKER: &str = r#"import { defineWorker } from "@palbase/backend";
export default defineWorker({
  name: "flagged",
  handler: async (ctx, p: { userId: string }) => {
    const { data } = await ctx.flags.isEnabled("new-checkout", { userId: p.userId });
    ctx.log.info(`worker flag ${p.userId}=${data}`);
  },
});
"#;

const FLAGS: &str = r#"
[new-checkout]
description = "The one-page checkout"
rollout = 25
allow = ["vip"]

[[new-checkout.rules]]
when = [{ attr = "role", op = "eq", value = "admin" }, { attr = "appVersion", op = "semver_gte", value = "2.3.0" }]

[button-color]
variants = { blue = 50, green = 30, red = 20 }
default = "blue"
"#;

fn library_decision(flag: &str, ctx: Value) -> palbase_flags::Evaluation {
    let set = palbase_flags::FlagSet::parse(FLAGS).unwrap();
    set.flags[flag].evaluate(ctx.as_object().unwrap())
}

fn project() -> Project {
    Project::new(&[("endpoints/checkout/get.ts", EXAMPLE), ("endpoints/probe/post.ts", PROBE), ("workers/flagged.ts", WORKER), ("flags.toml", FLAGS)])
}

async fn probe(c: &reqwest::Client, s: &Server, flag: &str, context: Value) -> Value {
    send(c.post(s.url("/probe")).json(&json!({ "flag": flag, "context": context }))).await.json()
}

#[tokio::test]
async fn the_spec_example_and_decisions() {
    let p = project();
    let s = p.serve();
    let c = client();
    // auth: { required: true }.
    send(c.get(s.url("/checkout"))).await.envelope(401, "unauthorized");
    // The same decisions as the library (whose bucketing is GrowthBook's), per user.
    let mut on = 0;
    for i in 0..40 {
        let user = format!("user_{i}");
        let t = token(p.path(), &user, "member");
        let got = send(c.get(s.url("/checkout")).bearer_auth(&t)).await.json();
        let want = library_decision("new-checkout", json!({ "userId": user })).enabled;
        assert_eq!(got, json!({ "enabled": want }), "{user}");
        on += usize::from(want);
    }
    assert!((3..=20).contains(&on), "a 25 % rollout turned on {on} of 40");
    let t = token(p.path(), "vip", "member");
    assert_eq!(send(c.get(s.url("/checkout")).bearer_auth(&t)).await.json(), json!({ "enabled": true }), "allow list");

    // Attributes and reasons.
    let r = probe(&c, &s, "new-checkout", json!({ "userId": "user_1", "role": "admin", "appVersion": "2.10.0" })).await;
    assert_eq!((&r["on"], &r["why"]["reason"], &r["why"]["rule"]), (&json!(true), &json!("rule"), &json!(1)), "{r}");
    let r = probe(&c, &s, "new-checkout", json!({ "userId": "user_1", "role": "admin", "appVersion": "2.2.0" })).await;
    assert_eq!(r["why"]["reason"], json!("rollout"), "{r}");
    assert_eq!(r["why"]["bucket"], json!(palbase_flags::hash::bucket("new-checkout", "user_1")), "{r}");
    let r = probe(&c, &s, "button-color", json!({ "userId": "user_7" })).await;
    assert_eq!(r["variant"], json!(library_decision("button-color", json!({ "userId": "user_7" })).variant), "{r}");
    // Without a userId: the default (off for the rollout, "blue" for the variants).
    let r = probe(&c, &s, "new-checkout", json!({})).await;
    assert_eq!((&r["on"], &r["why"]["reason"]), (&json!(false), &json!("default")), "{r}");
    assert_eq!(probe(&c, &s, "button-color", json!({})).await["variant"], json!("blue"));

    // An unknown flag is off, without an error, logged once per name.
    for _ in 0..3 {
        let r = probe(&c, &s, "nope", json!({ "userId": "u" })).await;
        assert_eq!((&r["on"], &r["variant"], &r["error"], &r["why"]["reason"]), (&json!(false), &Value::Null, &Value::Null, &json!("unknown")), "{r}");
    }
    assert!(s.wait_for_err(|e| e.contains("unknown flag `nope`").then_some(()), Duration::from_secs(5)).is_some(), "{}", s.err());
    assert_eq!(s.err().matches("unknown flag `nope`").count(), 1, "{}", s.err());
    // Bad arguments are `{ error }`.
    let r = send(c.post(s.url("/probe")).json(&json!({ "flag": 42, "context": {} }))).await.json();
    assert_eq!(r["error"]["code"], json!("invalid_arguments"), "{r}");

    // ctx.flags in a worker: the same decision.
    send(c.post(s.url("/probe")).json(&json!({ "worker": true, "context": { "userId": "vip" } }))).await;
    assert!(s.wait_for_err(|e| e.contains("worker flag vip=true").then_some(()), Duration::from_secs(10)).is_some(), "{}", s.err());
}

#[tokio::test]
async fn no_flags_file_means_off() {
    let p = Project::new(&[("endpoints/checkout/get.ts", EXAMPLE)]);
    let s = p.serve();
    let t = token(p.path(), "u1", "member");
    assert_eq!(send(client().get(s.url("/checkout")).bearer_auth(&t)).await.json(), json!({ "enabled": false }));
}

#[tokio::test]
async fn edits_apply_without_a_restart_and_a_broken_file_keeps_the_previous_flags() {
    let p = project();
    let s = p.serve();
    let c = client();
    let ctx = json!({ "userId": "user_3" });
    let wait = |want: Value| {
        let (c, s, ctx) = (c.clone(), &s, ctx.clone());
        async move {
            let t0 = Instant::now();
            loop {
                let r = probe(&c, s, "new-checkout", ctx.clone()).await;
                if r["on"] == want {
                    return;
                }
                assert!(t0.elapsed() < Duration::from_secs(5), "never became {want}: {r}\n{}", s.err());
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        }
    };
    p.write("flags.toml", "[new-checkout]\nenabled = false\n");
    wait(json!(false)).await;
    p.write("flags.toml", "[new-checkout]\n");
    wait(json!(true)).await;
    assert!(s.out().contains("flags:"), "{}", s.out());
    // An invalid file: located, and the previous flags keep serving.
    p.write("flags.toml", "[new-checkout]\nrollout = 25\n[[new-checkout.rules]]\nwhen = [{ attr = \"plan\", op = \"like\", value = \"pro\" }]\n");
    assert!(s.wait_for_err(|e| e.contains("flags.toml:4:").then_some(()), Duration::from_secs(5)).is_some(), "{}", s.err());
    assert!(s.err().contains("unknown operator `like`"), "{}", s.err());
    assert_eq!(probe(&c, &s, "new-checkout", ctx.clone()).await["on"], json!(true));
    // Deleting it: no flags.
    p.remove("flags.toml");
    wait(json!(false)).await;
}

#[tokio::test]
async fn environment_overrides_win_over_the_file() {
    let p = project();
    let s = Server::start_env(p.path(), &[], &[("PALBASE_FLAGS_NEW_CHECKOUT", "off"), ("PALBASE_FLAGS_BUTTON_COLOR", "red")]);
    let c = client();
    let r = probe(&c, &s, "new-checkout", json!({ "userId": "vip" })).await;
    assert_eq!((&r["on"], &r["why"]["reason"]), (&json!(false), &json!("override")), "{r}");
    assert_eq!(probe(&c, &s, "button-color", json!({ "userId": "anyone" })).await["variant"], json!("red"));
    // A value that is neither on, off nor a variant refuses to load, naming the variable.
    let (ok, out, err) = palbase_env(&["check", p.path().to_str().unwrap()], &[("PALBASE_FLAGS_BUTTON_COLOR", "purple")]);
    assert!(!ok && format!("{out}{err}").contains("PALBASE_FLAGS_BUTTON_COLOR=purple"), "{out}{err}");
}

#[test]
fn the_flags_commands() {
    let p = project();
    let dir = p.path().to_str().unwrap();
    let (ok, out, err) = palbase(&["flags", "list", dir]);
    assert!(ok, "{err}");
    assert!(out.contains("new-checkout") && out.contains("25 %") && out.contains("rule 1: role eq \"admin\" and appVersion semver_gte \"2.3.0\" → on"), "{out}");
    assert!(out.contains("variants blue=50 green=30 red=20"), "{out}");
    let (ok, out, err) = palbase(&["flags", "eval", "new-checkout", "--user", "user_1", "--attr", "role=admin", "--attr", "appVersion=2.3.0", dir]);
    assert!(ok, "{err}");
    assert!(out.starts_with("new-checkout: on\n") && out.contains("rule 1 matched"), "{out}");
    let (_, out, _) = palbase(&["flags", "eval", "new-checkout", "--user", "user_1", dir]);
    let want = library_decision("new-checkout", json!({ "userId": "user_1" }));
    assert!(out.contains(&format!("bucket  {}", want.bucket.unwrap())) && out.contains(if want.enabled { ": on" } else { ": off" }), "{out}");
    p.write("flags.toml", "[a]\nrollout = 101\n");
    let (ok, out, err) = palbase(&["flags", "list", dir]);
    assert!(!ok && err.contains("flags.toml:2:11"), "{out}{err}");
    let (ok, out, err) = palbase(&["check", dir]);
    assert!(!ok && format!("{out}{err}").contains("flags.toml:2:11"), "{out}{err}");
}

/// `palbase types` turns flags.toml into typed names: a misspelt flag or variant fails tsc.
#[test]
fn typed_flag_names() {
    let tsc = workspace_root().join("packages/backend/node_modules/.bin/tsc");
    if !tsc.exists() {
        assert!(std::env::var("CI").is_err(), "tsc is missing (npm ci in packages/backend)");
        eprintln!("skipped: no tsc");
        return;
    }
    let code = |body: &str| format!("import {{ Flags }} from \"@palbase/backend\";\nexport async function f(userId: string) {{\n{body}\n}}\n");
    let p = project();
    p.write("tsconfig.json", r#"{"compilerOptions":{"strict":true,"noEmit":true,"module":"ESNext","moduleResolution":"Bundler","target":"ES2022","lib":["ES2022"],"types":[],"skipLibCheck":true},"include":["src/**/*.ts"]}"#);
    p.write("src/ok.ts", &code("const on = await Flags.isEnabled(\"new-checkout\", { userId });\nconst v = await Flags.getVariant(\"button-color\", { userId });\nconst c: \"blue\" | \"green\" | \"red\" | null = v.data;\nreturn [on, c];"));
    p.write(
        "src/typo.ts",
        &code("// @ts-expect-error: not a flag\nawait Flags.isEnabled(\"new-chekout\", { userId });\nconst v = await Flags.getVariant(\"button-color\", { userId });\n// @ts-expect-error: not a variant\nif (v.data === \"purple\") return;"),
    );
    let dir = p.path().to_str().unwrap();
    let (ok, out, err) = palbase(&["types", dir]);
    assert!(ok && out.contains("with 2 flags"), "{out}{err}");
    assert!(p.path().join("node_modules/@palbase/backend/flags.schema.json").is_file(), "the schema for editors");
    let run = || std::process::Command::new(&tsc).arg("-p").arg(p.path().join("tsconfig.json")).output().unwrap();
    let r = run();
    assert!(r.status.success(), "{}{}", String::from_utf8_lossy(&r.stdout), String::from_utf8_lossy(&r.stderr));
    // Without a flags file, any name goes (and the typo test's expectations fail).
    p.remove("flags.toml");
    palbase(&["types", dir]);
    let r = run();
    let text = String::from_utf8_lossy(&r.stdout);
    assert!(!r.status.success() && text.contains("Unused '@ts-expect-error' directive"), "{text}");
}
