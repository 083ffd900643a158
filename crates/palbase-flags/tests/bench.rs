//! The Flags figure of bench/README.md, run by hand (not a timed assertion):
//!
//! ```text
//! cargo test --release -p palbase-flags --test bench -- --ignored --nocapture
//! ```
//!
//! One `flags.isEnabled` op call as a handler makes it (JSON arguments in, JSON out, through the
//! op registry), for a flag with a rollout and two rules and for a multivariate flag.

use std::{hint::black_box, sync::Arc, time::Instant};

use palbase_core::ops::{CallerKind, OpRegistry, OpScope};
use palbase_flags::{FlagSet, Flags};
use serde_json::json;

#[test]
#[ignore = "a benchmark: run by hand"]
fn evaluation_cost() {
    let set = FlagSet::parse(
        "[new-checkout]\nrollout = 25\n[[new-checkout.rules]]\nwhen = [{ attr = \"role\", op = \"eq\", value = \"admin\" }]\n[[new-checkout.rules]]\nwhen = [{ attr = \"appVersion\", op = \"semver_gte\", value = \"2.3.0\" }]\nrollout = 50\n\n[button-color]\nvariants = { blue = 50, green = 30, red = 20 }\n",
    )
    .unwrap();
    let flags = Arc::new(Flags::new(set));
    let mut reg = OpRegistry::new();
    palbase_flags::ops::register_ops(&mut reg, flags.clone());
    let op = reg.get("flags.isEnabled").unwrap().clone();
    let variant = reg.get("flags.getVariant").unwrap().clone();
    let scope = OpScope { kind: CallerKind::Endpoint, request_id: None };
    let n = 200_000;
    for (name, op, flag) in [("isEnabled, rollout + 2 rules", &op, "new-checkout"), ("getVariant, 3 variants", &variant, "button-color")] {
        let t = Instant::now();
        for i in 0..n {
            let args = json!({ "flag": flag, "context": { "userId": format!("user_{i}"), "role": "member", "appVersion": "2.1.0" } });
            black_box(op.call_sync(scope.clone(), args).unwrap());
        }
        let per = t.elapsed().as_nanos() as f64 / f64::from(n);
        // The evaluation alone, without building and parsing the JSON arguments.
        let ctx = json!({ "userId": "user_1", "role": "member", "appVersion": "2.1.0" });
        let ctx = ctx.as_object().unwrap();
        let t = Instant::now();
        for _ in 0..n {
            black_box(flags.evaluate(flag, ctx));
        }
        let eval = t.elapsed().as_nanos() as f64 / f64::from(n);
        println!("{name}: {per:.0} ns per op call (JSON in and out), {eval:.0} ns per evaluation");
    }
}
