//! A Documents query as JSON (what `docs.query` receives), planned onto the indexes.
#![no_main]
use palbase_docs::{IndexDef, Query, query};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(q) = serde_json::from_slice::<Query>(data) else { return };
    let composites: Vec<IndexDef> = [("rooms", &["active", "name"][..]), ("messages", &["tags array-contains", "at desc"][..])]
        .iter()
        .filter_map(|(c, f)| IndexDef::parse(c, &f.iter().map(|s| s.to_string()).collect::<Vec<_>>()).ok())
        .collect();
    if let Ok(plan) = query::plan(&q, &composites) {
        let _ = plan.key_ranges();
    }
});
