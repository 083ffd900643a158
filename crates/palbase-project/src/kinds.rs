//! The kinds of background code: one table that the project graph (which directory holds
//! them), the engine (which builder a file's export comes from) and the queue (how a run is
//! scheduled) iterate. Every kind runs the same way: a job of a queue worker, in the background
//! engine, with the `ctx` model; only what creates the job differs ([`Trigger`]). A new kind
//! is one entry here and one registrar in the SDK's `runtime/background.ts`.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Worker,
    Job,
    Hook,
    Webhook,
}

/// What creates the jobs of a kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trigger {
    /// `Queue.push(name, payload)`.
    Push,
    /// A cron schedule.
    Schedule,
    /// A platform event (auth, storage, documents), recorded with the write that caused it.
    Event,
    /// A verified delivery to `POST /webhooks/<name>`, stored before it is acknowledged.
    Delivery,
}

#[derive(Debug, Clone, Copy)]
pub struct KindInfo {
    pub kind: Kind,
    /// The project directory its files live in.
    pub dir: &'static str,
    /// What a file exports (for errors and hints).
    pub builder: &'static str,
    pub trigger: Trigger,
    /// The prefix of the queue worker names of this kind (`hook:hooks/auth.ts#onSignIn`);
    /// empty for workers, whose names are the user's.
    pub worker_prefix: &'static str,
}

pub const KINDS: [KindInfo; 4] = [
    KindInfo { kind: Kind::Worker, dir: "workers", builder: "defineWorker", trigger: Trigger::Push, worker_prefix: "" },
    KindInfo { kind: Kind::Job, dir: "jobs", builder: "defineJob", trigger: Trigger::Schedule, worker_prefix: "" },
    KindInfo { kind: Kind::Hook, dir: "hooks", builder: "auth.*, storage.* or documents.* hook builders", trigger: Trigger::Event, worker_prefix: "hook:" },
    KindInfo { kind: Kind::Webhook, dir: "webhooks", builder: "defineWebhook", trigger: Trigger::Delivery, worker_prefix: "webhook:" },
];

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        KINDS.iter().find(|k| k.kind == self).expect("every kind is in KINDS")
    }

    pub fn dir(self) -> &'static str {
        self.info().dir
    }
}

/// The platform events hooks subscribe to: the SDK's builder name and the event kind the
/// services record (`palbase_db::EventLog`).
pub const HOOK_EVENTS: [(&str, &str); 9] = [
    ("auth.onUserCreated", "auth.user_created"),
    ("auth.onSignIn", "auth.signed_in"),
    ("auth.onSignOut", "auth.signed_out"),
    ("auth.onPasswordReset", "auth.password_reset"),
    ("storage.onFileUploaded", "storage.uploaded"),
    ("storage.onFileDeleted", "storage.deleted"),
    ("documents.onDocumentCreated", "documents.created"),
    ("documents.onDocumentUpdated", "documents.updated"),
    ("documents.onDocumentDeleted", "documents.deleted"),
];

/// The recorded event kind of a hook builder (`documents.onDocumentCreated` → `documents.created`).
pub fn event_kind(hook_event: &str) -> Option<&'static str> {
    HOOK_EVENTS.iter().find(|(h, _)| *h == hook_event).map(|(_, k)| *k)
}

/// A file of background code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackgroundFile {
    pub kind: Kind,
    /// Relative to the project root, e.g. `hooks/auth.ts`.
    pub file: String,
}

/// The name of a webhook file, its path under `webhooks/` without the extension
/// (`webhooks/stripe.ts` → `stripe`): it is served at `POST /webhooks/<name>`.
pub fn webhook_name(file: &str) -> &str {
    let name = file.strip_prefix("webhooks/").unwrap_or(file);
    [".mts", ".ts", ".mjs", ".js"].iter().find_map(|ext| name.strip_suffix(ext)).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    #[test]
    fn webhook_names() {
        assert_eq!(super::webhook_name("webhooks/stripe.ts"), "stripe");
        assert_eq!(super::webhook_name("webhooks/shop/orders.mjs"), "shop/orders");
    }
}
