//! The `docs.*` ops (`Documents` in `packages/backend/src/documents.ts`):
//!
//! | op | arguments | result |
//! |---|---|---|
//! | `docs.add` | `{collection, data}` | `{id, path}` |
//! | `docs.get` | `{path}` | `{id, path, data, createTime, updateTime}` or `null` |
//! | `docs.set` | `{path, data, merge?}` | `{id, path}` |
//! | `docs.update` | `{path, data}` (dotted field paths) | `{id, path}` |
//! | `docs.delete` | `{path}` | `null` |
//! | `docs.query` | `{collection, where?, orderBy?, limit?, startAt?, startAfter?, endAt?, endBefore?}` | snapshots |
//! | `docs.count` | the same as `docs.query` | `{count}` |
//! | `docs.batch` | `{writes: [{op: "set", path, data, merge?} \| {op: "update", path, data} \| {op: "delete", path}]}` | `null` |
//!
//! A cursor is `{values: [...]}` or `{snapshot: {id, data}}`. Every op made while the calling
//! request has a `Database.transaction` open is part of that transaction.

use std::sync::Arc;

use palbase_core::ops::OpRegistry;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::{Docs, Query, Write, update_fields};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AddArgs {
    collection: String,
    data: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PathArgs {
    path: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SetArgs {
    path: String,
    data: Value,
    #[serde(default)]
    merge: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateArgs {
    path: String,
    data: Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, tag = "op", rename_all = "lowercase")]
enum BatchWrite {
    Set {
        path: String,
        data: Map<String, Value>,
        #[serde(default)]
        merge: bool,
    },
    Update {
        path: String,
        data: Map<String, Value>,
    },
    Delete {
        path: String,
    },
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BatchArgs {
    writes: Vec<BatchWrite>,
}

/// Registers the `docs.*` ops.
pub fn register_ops(reg: &mut OpRegistry, docs: Arc<Docs>) {
    reg.register_async("docs.add", docs.clone(), |d, s, a: AddArgs| async move { d.add(s.request_id.as_deref(), &a.collection, a.data).await });
    reg.register_async("docs.get", docs.clone(), |d, s, a: PathArgs| async move { d.get(s.request_id.as_deref(), &a.path).await });
    reg.register_async("docs.set", docs.clone(), |d, s, a: SetArgs| async move { d.set(s.request_id.as_deref(), &a.path, a.data, a.merge).await });
    reg.register_async("docs.update", docs.clone(), |d, s, a: UpdateArgs| async move { d.update(s.request_id.as_deref(), &a.path, a.data).await });
    reg.register_async("docs.delete", docs.clone(), |d, s, a: PathArgs| async move { d.delete(s.request_id.as_deref(), &a.path).await });
    reg.register_async("docs.query", docs.clone(), |d, s, q: Query| async move { d.query(s.request_id.as_deref(), &q).await });
    reg.register_async("docs.count", docs.clone(), |d, s, q: Query| async move { d.count(s.request_id.as_deref(), &q).await });
    reg.register_async("docs.batch", docs, |d, s, a: BatchArgs| async move {
        let mut writes = Vec::with_capacity(a.writes.len());
        for w in a.writes {
            writes.push(match w {
                BatchWrite::Set { path, data, merge } => Write::Set { path, data, merge },
                BatchWrite::Update { path, data } => Write::Update { path, fields: update_fields(data)? },
                BatchWrite::Delete { path } => Write::Delete { path },
            });
        }
        d.batch(s.request_id.as_deref(), writes).await.map(|_| Value::Null)
    });
}
