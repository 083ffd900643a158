//! The op contract between the SDK and the services: `packages/backend/src/ops.ts` declares
//! every op the SDK calls; this test fails when a declared op is not registered by a service,
//! when a service registers an op the SDK does not declare, or when the SDK calls an op that is
//! neither declared nor listed as planned.

use std::{collections::BTreeSet, path::Path};

fn sdk_src() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packages/backend/src")
}

/// The quoted names between `start` and the first line that is exactly `end`.
fn names_in(text: &str, start: &str, end: &str) -> BTreeSet<String> {
    let from = text.find(start).unwrap_or_else(|| panic!("ops.ts has no `{start}`"));
    let body = &text[from + start.len()..];
    let body = &body[..body.find(end).unwrap_or(body.len())];
    body.lines()
        .filter_map(|l| {
            let l = l.trim_start().strip_prefix('"')?;
            Some(l[..l.find('"')?].to_string())
        })
        .collect()
}

/// Every op name the SDK's sources pass to `op`, `opSync`, `result` or `resultSync`.
fn called_ops(dir: &Path, out: &mut BTreeSet<(String, String)>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            called_ops(&p, out);
            continue;
        }
        if p.extension().is_none_or(|e| e != "ts") || p.ends_with("ops.ts") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        for call in ["op(\"", "opSync(\"", "result(\"", "resultSync(\""] {
            for (i, _) in text.match_indices(call) {
                let before = text[..i].chars().last();
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue; // e.g. `loop("`
                }
                let rest = &text[i + call.len()..];
                out.insert((rest[..rest.find('"').unwrap()].to_string(), p.file_name().unwrap().to_string_lossy().into_owned()));
            }
        }
    }
}

#[test]
fn sdk_ops_and_registered_ops_agree() {
    let ops_ts = std::fs::read_to_string(sdk_src().join("ops.ts")).unwrap();
    let declared = names_in(&ops_ts, "export interface OpTypes {", "\n}");
    let planned = names_in(&ops_ts, "export const PLANNED_OPS = [", "]");
    assert!(declared.contains("cache.fill.begin") && declared.contains("flags.isEnabled"), "parsed {declared:?} / {planned:?}");

    let dir = tempfile::tempdir().unwrap();
    let app = palbase_app::App::open(dir.path(), &palbase_project::config::Settings::default()).unwrap();
    // `log` is answered by the engine's bridge itself (it knows the request ids).
    let registered: BTreeSet<String> = app.ops.names().map(|n| n.to_string()).chain(["log".to_string()]).collect();

    let missing: Vec<_> = declared.difference(&registered).collect();
    assert!(missing.is_empty(), "ops.ts declares ops no service registers: {missing:?}");
    let undeclared: Vec<_> = registered.difference(&declared).collect();
    assert!(undeclared.is_empty(), "services register ops that ops.ts does not declare: {undeclared:?}");
    let done: Vec<_> = planned.intersection(&registered).collect();
    assert!(done.is_empty(), "planned ops are registered now: move them into OpTypes: {done:?}");

    let mut calls = BTreeSet::new();
    called_ops(&sdk_src(), &mut calls);
    assert!(calls.iter().any(|(n, _)| n == "cache.get"), "found no calls: {calls:?}");
    let unknown: Vec<_> = calls.iter().filter(|(n, _)| !declared.contains(n) && !planned.contains(n)).collect();
    assert!(unknown.is_empty(), "the SDK calls ops that no service registers and that are not planned: {unknown:?}");
}
