//! The app wiring: the one place that knows which services this binary has. It reads each
//! service's `palbase.toml` section, opens the service, and gives the server the list
//! ([`palbase_server::Services`]) and their ops. Adding a service is one module here plus one
//! line in [`App::open`] (ARCHITECTURE.md, "Add a service").

mod auth_events;
mod cache;
mod database;
mod documents;
mod flags;
mod notifications;
mod queue;
mod storage;
mod webhooks;

use std::{path::Path, sync::Arc};

use palbase_core::ops::OpRegistry;
use palbase_project::{ProjectError, config::Settings};
use palbase_server::Services;

pub use auth_events::{AUTH_EVENTS_PATH, AUTH_HOOK_SECRET_VAR, auth_event_kind, auth_hook_secret};
pub use cache::CacheSettings;
pub use database::DatabaseSettings;
pub use documents::DocumentsSettings;
pub use flags::{FLAGS_FILE, describe as describe_flag, load as load_flags};
pub use notifications::{EmailSettings, NotificationsSettings, SmsSettings};
pub use queue::QueueSettings;
pub use storage::{BucketSettings, StorageSettings};
pub use webhooks::WebhooksSettings;

/// The `palbase.toml` sections the services own.
pub const SECTIONS: [&str; 7] = ["database", "queue", "cache", "storage", "documents", "notifications", "webhooks"];

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A section of `palbase.toml` (or an environment override) is invalid.
    #[error("{0}")]
    Config(ProjectError),
    #[error("cannot open the {what}: {source}")]
    Open {
        what: &'static str,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl From<ProjectError> for AppError {
    fn from(e: ProjectError) -> Self {
        AppError::Config(e)
    }
}

/// Every service of one project, opened: what `palbase_server::serve` needs of them.
pub struct App {
    pub services: Services,
    pub ops: Arc<OpRegistry>,
    /// Rate limits shared across instances (the cache's Redis), when configured.
    pub shared_limiter: Option<Arc<dyn palbase_server::ratelimit::SharedLimiter>>,
    /// The project database (the one the database service migrates and serves).
    pub db: Arc<palbase_db::Db>,
}

impl App {
    /// Opens every service from `settings` (the embedded defaults unless configured).
    pub fn open(root: &Path, settings: &Settings) -> Result<App, AppError> {
        settings.check_sections(&SECTIONS)?;
        let db = database::open(root, settings)?;
        let queue = queue::open(&db, settings)?;
        let cache = cache::open(root, settings)?;
        let (storage, fixed_base) = storage::open(root, settings, Arc::new(storage::QueueSink { queue: Arc::downgrade(&queue) }))?;
        let docs = documents::open(&db, settings, queue.event_log())?;
        let notifications = notifications::open(root, &db, &queue, settings)?;
        let services = Services(vec![
            // First: an invalid flags.toml fails the version before the database migrates.
            Arc::new(flags::FlagsService::new(root)),
            // Before the queue takes the version's workers: a webhook without its secret fails it.
            Arc::new(webhooks::WebhooksService::new(root, queue.clone(), settings)?),
            Arc::new(database::DatabaseService::new(db.clone())),
            Arc::new(queue::QueueService::new(queue.clone())),
            Arc::new(cache::CacheService::new(cache.clone())),
            Arc::new(storage::StorageService::new(storage, fixed_base, settings)),
            Arc::new(documents::DocumentsService::new(docs)),
            Arc::new(notifications::NotificationsService::new(notifications)),
            Arc::new(auth_events::AuthEventsService::new(root, queue.clone())),
        ]);
        let ops = Arc::new(services.ops());
        let shared_limiter = cache::shared_limiter(&cache);
        Ok(App { services, ops, shared_limiter, db })
    }
}

pub use database::open as open_database;
pub use queue::{open as open_queue, specs as background_specs};

/// The ops of the database, queue and notifications, for tools that run background code
/// without a server (`palbase cron run`).
pub fn tool_ops(root: &Path, settings: &Settings, db: &Arc<palbase_db::Db>, queue: &Arc<palbase_queue::Queue>) -> Result<Arc<OpRegistry>, AppError> {
    let notifications = notifications::open(root, db, queue, settings)?;
    let services = Services(vec![Arc::new(database::DatabaseService::new(db.clone())), Arc::new(queue::QueueService::new(queue.clone())), Arc::new(notifications::NotificationsService::new(notifications))]);
    Ok(Arc::new(services.ops()))
}

/// The outbox of a project, newest first (`palbase outbox list`).
pub fn outbox_list(root: &Path, settings: &Settings, limit: u32) -> Result<Vec<palbase_notify::Record>, AppError> {
    let db = database::open(root, settings)?;
    futures::executor::block_on(palbase_notify::list(&db, limit)).map_err(|e| AppError::Open { what: "outbox", source: e.description.into() })
}

/// One message of a project's outbox (`palbase outbox show`).
pub fn outbox_get(root: &Path, settings: &Settings, id: &str) -> Result<Option<palbase_notify::Record>, AppError> {
    let db = database::open(root, settings)?;
    futures::executor::block_on(async {
        palbase_notify::list(&db, 1).await?;
        palbase_notify::get(&db, id).await
    })
    .map_err(|e| AppError::Open { what: "outbox", source: e.description.into() })
}

/// One variable of the project's environment (process, else `.env`), for a lookup made once.
pub(crate) fn project_var(root: &Path, name: &str) -> Option<String> {
    palbase_project::config::lookup(&palbase_project::config::load_env(root).unwrap_or_default(), name)
}

/// The key namespace of this project in shared backends (Redis): `palbase:<name>:<branch>:`.
/// The name is `package.json`'s `name`, else the directory's name (under `palbase server`, the
/// project's name there: `PALBASE_PROJECT`); the branch is `main`, or the deployment's branch
/// under `palbase server` (`PALBASE_BRANCH`).
pub fn namespace(root: &Path) -> String {
    let from_package = std::fs::read_to_string(root.join("package.json")).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()).and_then(|v| v.get("name").and_then(|n| n.as_str()).map(str::to_owned));
    // Under `palbase server`, the project's name on the server: two projects there may share a
    // package.json name, never a server name.
    let hosted = std::env::var("PALBASE_PROJECT").ok().filter(|p| !p.is_empty());
    let name = hosted.or(from_package).or_else(|| root.file_name().map(|n| n.to_string_lossy().into_owned())).unwrap_or_else(|| "project".into());
    let clean: String = name.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@' | '/') { c } else { '_' }).collect();
    let branch = std::env::var("PALBASE_BRANCH").ok().filter(|b| !b.is_empty()).unwrap_or_else(|| "main".into());
    format!("palbase:{clean}:{branch}:")
}

/// Replaces the storage's signing key: every signed URL handed out before is refused from now
/// on (`palbase storage rotate-key`). Files are untouched.
pub fn rotate_storage_key(root: &Path, settings: &Settings) -> Result<(), AppError> {
    let (storage, _) = storage::open(root, settings, Arc::new(palbase_storage::NoEvents))?;
    storage.rotate_key().map_err(|e| AppError::Open { what: "storage", source: Box::new(e) })
}
