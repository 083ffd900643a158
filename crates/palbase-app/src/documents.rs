//! The Documents service (palbase-docs): `[documents]`, in the project database.

use std::sync::Arc;

use palbase_core::ops::OpRegistry;
use palbase_project::{ProjectError, config::Settings};
use palbase_server::Service;
use serde::Deserialize;

use crate::AppError;

/// `[documents]` in `palbase.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DocumentsSettings {
    /// Composite indexes (`[[documents.indexes]]`); single fields are indexed automatically.
    pub indexes: Vec<IndexSettings>,
}

/// `[[documents.indexes]] collection = "rooms"  fields = ["active", "name"]`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct IndexSettings {
    /// The collection id (last path segment) it covers, in every parent.
    pub collection: String,
    /// Field paths, in order: the equality fields, then the orderBy fields; `"tags array-contains"`
    /// for an `array-contains` field, `"score desc"` for a descending one (`asc` is the default),
    /// and optionally `"__name__ asc|desc"` last for the id's direction (default: the last field's).
    pub fields: Vec<String>,
}

pub fn settings(settings: &Settings) -> Result<DocumentsSettings, ProjectError> {
    settings.section("documents")
}

pub fn open(db: &Arc<palbase_db::Db>, settings: &Settings, events: Arc<dyn palbase_db::EventLog>) -> Result<Arc<palbase_docs::Docs>, AppError> {
    let s = self::settings(settings)?;
    let mut o = palbase_docs::DocsOptions::default();
    for i in &s.indexes {
        o.indexes.push(palbase_docs::IndexDef::parse(&i.collection, &i.fields).map_err(|e| AppError::Open { what: "documents", source: Box::new(e) })?);
    }
    palbase_docs::Docs::open(db.clone(), events, o).map_err(|e| AppError::Open { what: "documents", source: format!("{}: {}", e.code, e.description).into() })
}

pub(crate) struct DocumentsService {
    docs: Arc<palbase_docs::Docs>,
}

impl DocumentsService {
    pub(crate) fn new(docs: Arc<palbase_docs::Docs>) -> Self {
        Self { docs }
    }
}

impl Service for DocumentsService {
    fn name(&self) -> &'static str {
        "documents"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_docs::ops::register_ops(ops, self.docs.clone());
    }
}
