//! Shared vocabulary of Palbase.
//!
//! - [`ApiError`]: the one error classification (status, code, description, data) that every
//!   layer produces and that becomes the spec's error envelope in exactly one place
//!   ([`ApiError::envelope`]).
//! - [`ops`]: the seam services plug into. JavaScript calls `op(name, args)`; the engine looks the
//!   name up in an [`ops::OpRegistry`] filled by service crates (database, cache, queue, …).

pub mod ops;

use serde_json::{Map, Value};

/// An error a client may see. `description` is safe to show; internal detail goes to the log.
/// Deserialises from the `{status, code, description, data?}` JSON that JavaScript reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error, serde::Deserialize)]
#[error("{status} {code}: {description}")]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub description: String,
    #[serde(default)]
    pub data: Option<Value>,
}

impl ApiError {
    pub fn new(status: u16, code: impl Into<String>, description: impl Into<String>) -> Self {
        Self { status, code: code.into(), description: description.into(), data: None }
    }

    pub fn with_data(mut self, data: Value) -> Self {
        self.data = Some(data);
        self
    }

    pub fn bad_request(code: &str, description: impl Into<String>) -> Self {
        Self::new(400, code, description)
    }

    pub fn not_found(code: &str, description: impl Into<String>) -> Self {
        Self::new(404, code, description)
    }

    /// A 500 whose description never carries internal detail.
    pub fn internal() -> Self {
        Self::new(500, "internal_error", "Internal server error")
    }

    /// The spec's envelope: `{error, error_description, status, request_id[, data]}`.
    pub fn envelope(&self, request_id: &str) -> Value {
        let mut m = Map::with_capacity(5);
        m.insert("error".into(), Value::String(self.code.clone()));
        m.insert("error_description".into(), Value::String(self.description.clone()));
        m.insert("status".into(), Value::from(self.status));
        m.insert("request_id".into(), Value::String(request_id.to_owned()));
        if let Some(d) = &self.data {
            m.insert("data".into(), d.clone());
        }
        Value::Object(m)
    }

    /// The JSON form that crosses into JavaScript when an op fails (read by `host.ts`).
    pub fn to_op_json(&self) -> String {
        let mut m = Map::with_capacity(4);
        m.insert("status".into(), Value::from(self.status));
        m.insert("code".into(), Value::String(self.code.clone()));
        m.insert("description".into(), Value::String(self.description.clone()));
        if let Some(d) = &self.data {
            m.insert("data".into(), d.clone());
        }
        Value::Object(m).to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_has_the_spec_fields() {
        let e = ApiError::new(423, "todo_locked", "Locked").with_data(serde_json::json!({"retryAfter": 30}));
        assert_eq!(e.envelope("req_1"), serde_json::json!({"error":"todo_locked","error_description":"Locked","status":423,"request_id":"req_1","data":{"retryAfter":30}}));
        let e = ApiError::not_found("todo_not_found", "No such todo");
        assert!(e.envelope("r").get("data").is_none());
    }
}
