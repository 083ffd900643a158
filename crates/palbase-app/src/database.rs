//! The Database service (palbase-db): `[database]`, migrations on every version.

use std::{
    path::Path,
    sync::{Arc, Mutex},
};

use palbase_core::ops::OpRegistry;
use palbase_project::{ProjectError, ProjectErrors, config::Settings};
use palbase_server::{Notice, Service, VersionContext};
use serde::Deserialize;

use crate::AppError;

/// `[database]` in `palbase.toml`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `postgres://…` to use PostgreSQL instead of the embedded SQLite (also
    /// `PALBASE_DATABASE_URL`, which wins).
    pub url: Option<String>,
}

/// The embedded SQLite in `.palbase/`, or PostgreSQL when `database.url` /
/// `PALBASE_DATABASE_URL` is set.
pub fn open(root: &Path, settings: &Settings) -> Result<Arc<palbase_db::Db>, AppError> {
    let mut s: DatabaseSettings = settings.section("database")?;
    if let Some(url) = std::env::var("PALBASE_DATABASE_URL").ok().filter(|v| !v.is_empty()) {
        s.url = Some(url);
    }
    let what = if s.url.is_some() { "PostgreSQL database (check database.url / PALBASE_DATABASE_URL)" } else { "embedded SQLite database in .palbase/" };
    palbase_db::Db::open(s.url.as_deref(), &palbase_project::data_dir(root)).map_err(|e| AppError::Open { what, source: Box::new(e) })
}

pub(crate) struct DatabaseService {
    db: Arc<palbase_db::Db>,
    /// The schema the database was last brought to by this process.
    last_schema: Mutex<Option<serde_json::Value>>,
}

impl DatabaseService {
    pub(crate) fn new(db: Arc<palbase_db::Db>) -> Self {
        Self { db, last_schema: Mutex::new(None) }
    }
}

impl Service for DatabaseService {
    fn name(&self) -> &'static str {
        "database"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_db::register_ops(ops, self.db.clone());
        let db = self.db.clone();
        // Transactions a request leaves open end with it.
        ops.on_request_end(Arc::new(move |id| db.end_request(id)));
    }

    /// Brings the database to `db/schema.ts` when it changed. A refused (destructive) change is
    /// a warning with the command that applies it; the code still loads, against the previous
    /// schema.
    fn on_version(&self, v: &VersionContext<'_>) -> Result<Vec<Notice>, ProjectErrors> {
        let (Some(schema), Some(file)) = (v.schema, v.graph.schema.as_deref()) else { return Ok(Vec::new()) };
        let mut last = self.last_schema.lock().unwrap_or_else(|p| p.into_inner());
        if last.as_ref() == Some(schema) {
            return Ok(Vec::new());
        }
        let report = self.db.migrate(schema, palbase_db::MigrateOptions::default()).map_err(|e| ProjectErrors(vec![ProjectError::new(file, e.to_string())]))?;
        *last = Some(schema.clone());
        if !report.refused.is_empty() {
            let mut lines: Vec<String> = report.refused.iter().map(|r| format!("- {}", r.message)).collect();
            lines.push("hint: review the change, then run `palbase migrate --accept-data-loss` to apply it".into());
            return Ok(vec![Notice::warning(format!("{file}: the schema change was not applied:"), lines)]);
        }
        if report.applied.is_empty() {
            return Ok(Vec::new());
        }
        let n = report.applied.len();
        let lines = report.applied.iter().map(|sql| sql.lines().next().unwrap_or("").to_string()).collect();
        Ok(vec![Notice::info(format!("migrated the database ({n} statement{}):", if n == 1 { "" } else { "s" }), lines)])
    }
}
