//! Typed clients generated from a Palbase OpenAPI document (made by palbase-openapi): a Swift
//! package ([`swift`]) and a TypeScript fetch client ([`ts`]). Both give every endpoint its own
//! error type — a case per declared error (with its `data`) plus the runtime's errors — so a
//! caller handles exactly what the endpoint can answer.

pub mod model;
pub mod swift;
pub mod ts;

pub use model::Api;

#[derive(Debug, thiserror::Error)]
pub enum CodegenError {
    #[error("the OpenAPI document cannot be used: {0}")]
    Document(String),
}

/// The files of a generated client: (relative path, contents).
pub type Files = Vec<(String, String)>;

/// The Swift package for `doc`.
pub fn swift_package(doc: &serde_json::Value) -> Result<Files, CodegenError> {
    Ok(swift::package(&Api::read(doc)?))
}

/// The TypeScript client for `doc`: `client.ts`.
pub fn typescript_client(doc: &serde_json::Value) -> Result<Files, CodegenError> {
    Ok(vec![("client.ts".into(), ts::client(&Api::read(doc)?))])
}
