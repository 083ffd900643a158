//! The `notify.*` ops (`Notifications` in `packages/backend/src/notifications.ts`):
//!
//! | op | arguments | result |
//! |---|---|---|
//! | `notify.email` | [`crate::message::EmailParams`] | `{id, status}` |
//! | `notify.push` | [`crate::message::PushParams`] | `{id, status}` |
//! | `notify.sms` | [`crate::message::SmsParams`] | `{id, status}` |
//!
//! `status` is `queued` (a provider will deliver it), or `outbox` (no provider: kept, not sent);
//! a repeated `idempotencyKey` answers the first send's id and current status. A send made while
//! the calling request has a `Database.transaction` open is part of that transaction.

use std::sync::Arc;

use palbase_core::ops::OpRegistry;
use serde_json::Value;

use crate::{Channel, Notifications};

/// Registers the `notify.*` ops.
pub fn register_ops(reg: &mut OpRegistry, n: Arc<Notifications>) {
    reg.register_async("notify.email", n.clone(), |n, s, a: Value| async move { n.send(s.request_id.as_deref(), Channel::Email, a).await });
    reg.register_async("notify.push", n.clone(), |n, s, a: Value| async move { n.send(s.request_id.as_deref(), Channel::Push, a).await });
    reg.register_async("notify.sms", n, |n, s, a: Value| async move { n.send(s.request_id.as_deref(), Channel::Sms, a).await });
}
