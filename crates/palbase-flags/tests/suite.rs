//! The Flags service: bucketing against GrowthBook's own SDK, distributions, stickiness,
//! rules, defaults, overrides and the file's errors.

use palbase_flags::{FlagSet, Flags, Reason, hash};
use serde_json::{Map, Value, json};

fn ctx(v: Value) -> Map<String, Value> {
    v.as_object().cloned().unwrap()
}

fn set(text: &str) -> FlagSet {
    FlagSet::parse(text).unwrap_or_else(|e| panic!("{e} at {:?}:{:?}", e.line, e.column))
}

fn user(i: usize) -> Map<String, Value> {
    ctx(json!({ "userId": format!("user_{i}") }))
}

/// tests/growthbook/vectors.json comes from GrowthBook's JavaScript SDK (generate.mjs).
#[test]
fn reproduces_growthbook() {
    let v: Value = serde_json::from_str(include_str!("growthbook/vectors.json")).unwrap();
    for h in v["hashes"].as_array().unwrap() {
        let (seed, id, want) = (h[0].as_str().unwrap(), h[1].as_str().unwrap(), h[2].as_f64().unwrap());
        assert_eq!(hash::bucket(seed, id), want, "hash({seed:?}, {id:?})");
    }
    let s = set("[new-checkout]\nrollout = 25\n\n[button-color]\nvariants = { blue = 50, green = 30, red = 20 }\n");
    let decisions = v["decisions"].as_array().unwrap();
    assert!(decisions.len() > 1000);
    for d in decisions {
        let id = d[0].as_str().unwrap();
        let c = ctx(json!({ "userId": id }));
        assert_eq!(s.flags["new-checkout"].evaluate(&c).enabled, d[1].as_bool().unwrap(), "rollout of {id:?}");
        assert_eq!(s.flags["button-color"].evaluate(&c).variant.as_deref(), d[2].as_str(), "variant of {id:?}");
    }
}

#[test]
fn rollout_and_weights_are_accurate_and_sticky() {
    let at = |p: u32| set(&format!("[f]\nrollout = {p}\nvariants = {{ a = 50, b = 30, c = 20 }}\n"));
    let (s25, s50) = (at(25), at(50));
    let n = 10_000;
    let on25: Vec<bool> = (0..n).map(|i| s25.flags["f"].evaluate(&user(i)).enabled).collect();
    let share = on25.iter().filter(|b| **b).count() as f64 / n as f64;
    assert!((share - 0.25).abs() <= 0.015, "25 % rollout gave {share}");
    let mut counts = std::collections::HashMap::new();
    for (i, was_on) in on25.iter().enumerate() {
        let e50 = s50.flags["f"].evaluate(&user(i));
        // Raising the rollout keeps everyone who was on.
        if *was_on {
            assert!(e50.enabled, "user_{i} lost the flag going from 25 % to 50 %");
            // ...and their variant: variants do not depend on the rollout.
            assert_eq!(e50.variant, s25.flags["f"].evaluate(&user(i)).variant);
        }
        *counts.entry(at(100).flags["f"].evaluate(&user(i)).variant.unwrap()).or_insert(0) += 1;
    }
    for (v, want) in [("a", 0.5), ("b", 0.3), ("c", 0.2)] {
        let got = f64::from(counts[v]) / n as f64;
        assert!((got - want).abs() <= 0.02, "variant {v}: {got} (want {want})");
    }
    // The same answer from a second, independently parsed set (another process, a restart).
    let again = at(25);
    assert!((0..n).all(|i| again.flags["f"].evaluate(&user(i)) == s25.flags["f"].evaluate(&user(i))));
}

#[test]
fn the_same_decisions_from_two_processes() {
    // This test binary, run as a child, prints its decisions: they must equal ours.
    if std::env::var("PALBASE_FLAGS_CHILD").is_ok() {
        let s = set("[f]\nrollout = 30\nvariants = { x = 1, y = 1 }\n");
        let out: Vec<Value> = (0..500).map(|i| serde_json::to_value(s.flags["f"].evaluate(&user(i))).unwrap()).collect();
        println!("DECISIONS {}", serde_json::to_string(&out).unwrap());
        return;
    }
    let exe = std::env::current_exe().unwrap();
    let child = std::process::Command::new(exe).args(["the_same_decisions_from_two_processes", "--exact", "--nocapture"]).env("PALBASE_FLAGS_CHILD", "1").output().unwrap();
    let text = String::from_utf8_lossy(&child.stdout);
    let line = text.lines().find_map(|l| l.strip_prefix("DECISIONS ")).unwrap_or_else(|| panic!("child printed {text}"));
    let theirs: Vec<Value> = serde_json::from_str(line).unwrap();
    let s = set("[f]\nrollout = 30\nvariants = { x = 1, y = 1 }\n");
    let ours: Vec<Value> = (0..500).map(|i| serde_json::to_value(s.flags["f"].evaluate(&user(i))).unwrap()).collect();
    assert_eq!(theirs, ours);
}

const RULES: &str = r#"
[new-checkout]
description = "The one-page checkout"
rollout = 0
allow = ["vip"]

[[new-checkout.rules]]
when = [{ attr = "role", op = "eq", value = "admin" }]
serve = true

[[new-checkout.rules]]
when = [{ attr = "country", op = "in", value = ["TR", "DE"] }, { attr = "appVersion", op = "semver_gte", value = "2.3" }]
rollout = 100

[[new-checkout.rules]]
when = [{ attr = "plan", op = "ne", value = "free" }, { attr = "seats", op = "gt", value = 10 }]

[[new-checkout.rules]]
when = [{ attr = "email", op = "ends_with", value = "@palbase.dev" }]
serve = false

[[new-checkout.rules]]
when = [{ attr = "email", op = "exists" }]
"#;

#[test]
fn rules_in_order() {
    let s = set(RULES);
    let f = &s.flags["new-checkout"];
    let e = |c: Value| f.evaluate(&ctx(c));
    let r = e(json!({ "userId": "u1", "role": "admin" }));
    assert_eq!((r.enabled, r.reason, r.rule), (true, Reason::Rule, Some(1)));
    // Rules need no userId.
    assert!(e(json!({ "role": "admin" })).enabled);
    assert_eq!(e(json!({ "userId": "vip" })).reason, Reason::AllowList);
    // Semver: 2.10 > 2.3 (not string order); "v2.3.0" and "2.3" are the same version.
    assert_eq!(e(json!({ "userId": "u", "country": "DE", "appVersion": "2.10.1" })).rule, Some(2));
    assert_eq!(e(json!({ "userId": "u", "country": "DE", "appVersion": "v2.3.0" })).rule, Some(2));
    assert_eq!(e(json!({ "userId": "u", "country": "DE", "appVersion": "2.2.9" })).reason, Reason::Rollout);
    assert!(!e(json!({ "userId": "u", "country": "DE", "appVersion": "2.3.0-beta.1" })).enabled, "a pre-release is below its release");
    // A rule's rollout needs the userId: without one, the next rules (then the default) decide.
    assert_eq!(e(json!({ "country": "TR", "appVersion": "3" })).reason, Reason::Default);
    // Numbers compare as numbers, also from strings; a missing attribute never matches, not even `ne`.
    assert_eq!(e(json!({ "userId": "u", "plan": "pro", "seats": "11" })).rule, Some(3));
    assert_eq!(e(json!({ "userId": "u", "seats": 50 })).reason, Reason::Rollout);
    assert_eq!(e(json!({ "userId": "u", "plan": "free", "seats": 50 })).rule, None);
    // The first match decides: rule 4 turns palbase.dev off before rule 5 turns every email on.
    let r = e(json!({ "userId": "u", "email": "a@palbase.dev" }));
    assert_eq!((r.enabled, r.rule), (false, Some(4)));
    assert_eq!(e(json!({ "userId": "u", "email": "a@example.com" })).rule, Some(5));
    assert!(!e(json!({ "userId": "u", "email": null })).enabled, "null is missing");
}

#[test]
fn defaults_and_the_kill_switch() {
    let s =
        set("[a]\n\n[half]\nrollout = 50\n\n[half-on]\nrollout = 50\ndefault = true\n\n[off]\nenabled = false\nallow = [\"u\"]\n[[off.rules]]\nserve = true\n\n[colors]\nrollout = 50\nvariants = { red = 1, blue = 1 }\ndefault = \"red\"\n");
    let none = Map::new();
    let get = |n: &str, c: &Map<String, Value>| s.flags[n].evaluate(c);
    // A flag with nothing else is on for everyone, also without a userId.
    assert!(get("a", &none).enabled);
    // A percentage needs a userId: without one the default (false unless set).
    assert_eq!((get("half", &none).enabled, get("half", &none).reason), (false, Reason::Default));
    assert!(get("half-on", &none).enabled);
    let c = get("colors", &none);
    assert_eq!((c.enabled, c.variant.as_deref(), c.reason), (true, Some("red"), Reason::Default));
    // enabled = false wins over the allow list and the rules.
    let o = get("off", &user(1));
    assert_eq!((o.enabled, o.reason), (false, Reason::Disabled));
    assert_eq!(get("off", &ctx(json!({ "userId": "u" }))).reason, Reason::Disabled);
    // Off means no variant.
    assert!((0..200).filter(|i| !get("colors", &user(*i)).enabled).all(|i| get("colors", &user(i)).variant.is_none()));
}

#[test]
fn unknown_flags_are_off_without_error() {
    let flags = Flags::new(set("[a]\n"));
    let e = flags.evaluate("nope", &user(1));
    assert_eq!((e.enabled, e.variant, e.reason), (false, None, Reason::Unknown));
    assert!(flags.evaluate("a", &user(1)).enabled);
    flags.replace(FlagSet::default());
    assert_eq!(flags.evaluate("a", &user(1)).reason, Reason::Unknown);
}

#[test]
fn environment_overrides_win() {
    let mut s = set("[new-checkout]\nenabled = false\n\n[colors]\nvariants = { red = 1, blue = 1 }\n\n[\"a.b\"]\n");
    let env = |k: &str| match k {
        "PALBASE_FLAGS_NEW_CHECKOUT" => Some("on".to_string()),
        "PALBASE_FLAGS_COLORS" => Some("blue".to_string()),
        "PALBASE_FLAGS_A_B" => Some("off".to_string()),
        _ => None,
    };
    s.apply_overrides(env).unwrap();
    let e = s.flags["new-checkout"].evaluate(&user(1));
    assert_eq!((e.enabled, e.reason), (true, Reason::Override));
    assert!((0..50).all(|i| s.flags["colors"].evaluate(&user(i)).variant.as_deref() == Some("blue")));
    assert!(!s.flags["a.b"].evaluate(&user(1)).enabled);
    let err = set("[x]\n").apply_overrides(|k| (k == "PALBASE_FLAGS_X").then(|| "maybe".into())).unwrap_err();
    assert!(err.message.contains("PALBASE_FLAGS_X=maybe"), "{err}");
}

#[test]
fn mistakes_are_located() {
    let cases: &[(&str, (u32, u32), &str)] = &[
        ("[a]\nrolout = 5\n", (2, 1), "unknown field `rolout`"),
        ("[a]\nrollout = 150\n", (2, 11), "percentage from 0 to 100"),
        ("[a]\n[[a.rules]]\nwhen = [{ attr = \"x\", op = \"like\", value = \"y\" }]\n", (3, 28), "unknown operator `like`"),
        ("[a]\n[[a.rules]]\nwhen = [{ attr = \"v\", op = \"semver_gt\", value = \"two\" }]\n", (3, 49), "a version"),
        ("[a]\n[[a.rules]]\nwhen = [{ attr = \"n\", op = \"gt\" }]\n", (3, 9), "needs a `value`"),
        ("[a]\nvariants = { x = 0 }\n", (2, 12), "not all 0"),
        ("[a]\nvariants = { x = 1 }\ndefault = \"y\"\n", (3, 11), "not one of its variants"),
        ("[a]\ndefault = \"y\"\n", (2, 11), "must be true or false"),
        ("[a]\n[[a.rules]]\nserve = true\nrollout = 5\n", (2, 1), "not both"),
        ("[\"a b\"]\n", (1, 2), "invalid flag name"),
        ("[a]\nrollout = \n", (2, 11), ""),
    ];
    for (text, (line, col), msg) in cases {
        let e = FlagSet::parse(text).expect_err(text);
        assert_eq!((e.line, e.column), (Some(*line), Some(*col)), "{text:?}: {e}");
        assert!(e.message.contains(msg), "{text:?}: {e}");
    }
}

proptest::proptest! {
    #[test]
    fn buckets_are_in_range_and_deterministic(seed in ".{0,20}", id in ".{0,40}") {
        let n = hash::bucket(&seed, &id);
        proptest::prop_assert!((0.0..1.0).contains(&n));
        proptest::prop_assert_eq!(n, hash::bucket(&seed, &id));
    }
}

/// The JSON Schema editors use (packages/backend/flags.schema.json) accepts exactly the keys and
/// operators the reader does, and the documented examples parse.
#[test]
fn the_schema_matches_the_reader() {
    let schema: Value = serde_json::from_str(include_str!("../../../packages/backend/flags.schema.json")).unwrap();
    let keys = |def: &str| -> Vec<String> {
        let mut k: Vec<String> = schema["$defs"][def]["properties"].as_object().unwrap().keys().cloned().collect();
        k.sort();
        k
    };
    // The reader lists its fields when it meets an unknown one.
    let fields = |text: &str| -> Vec<String> {
        let e = FlagSet::parse(text).unwrap_err().message;
        let list = e.split("expected one of ").nth(1).unwrap_or_else(|| panic!("{e}"));
        let mut k: Vec<String> = list.split(", ").map(|s| s.trim_matches('`').to_string()).collect();
        k.sort();
        k
    };
    assert_eq!(keys("flag"), fields("[a]\nzzz = 1\n"));
    assert_eq!(keys("rule"), fields("[a]\n[[a.rules]]\nzzz = 1\n"));
    assert_eq!(keys("condition"), fields("[a]\n[[a.rules]]\nwhen = [{ attr = \"x\", op = \"eq\", value = 1, zzz = 1 }]\n"));
    let ops: Vec<&str> = schema["$defs"]["condition"]["properties"]["op"]["enum"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(ops, palbase_flags::def::Op::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>());
    // docs/runtime.md's example and the example project's file.
    let docs = include_str!("../../../docs/runtime.md");
    let example = docs.split("## Flags").nth(1).and_then(|s| s.split("```toml\n").nth(1)).and_then(|s| s.split("```").next()).unwrap();
    assert_eq!(set(example).flags.len(), 4);
    assert_eq!(set(include_str!("../../../examples/spec-project/flags.toml")).flags.len(), 2);
}
