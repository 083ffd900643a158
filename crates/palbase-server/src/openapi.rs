//! The project's OpenAPI document: made from a loaded engine (its endpoints' metadata and
//! `__pb_describe`) by palbase-openapi, served at `GET /openapi.json` and printed by
//! `palbase openapi`.

use std::path::Path;

use palbase_engine::{EndpointMeta, Engine};
use palbase_openapi::{Auth, Described, Endpoint, Info, RateLimit};
use palbase_project::graph::ProjectGraph;
use serde_json::Value;

/// Where `palbase serve` serves the document.
pub const PATH: &str = "/openapi.json";

/// The document's title and version: package.json's `name` and `version`, else the directory's
/// name and `0.0.0`.
pub fn info(root: &Path) -> Info {
    let pkg: Option<Value> = std::fs::read_to_string(root.join("package.json")).ok().and_then(|s| serde_json::from_str(&s).ok());
    let field = |k: &str| pkg.as_ref().and_then(|p| p.get(k)).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
    let dir = root.canonicalize().ok().and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()));
    Info { title: field("name").or(dir).unwrap_or_else(|| "palbase project".into()), version: field("version").unwrap_or_else(|| "0.0.0".into()) }
}

/// The document of a loaded version.
pub(crate) async fn document(graph: &ProjectGraph, engine: &Engine, info: &Info) -> Result<Value, String> {
    let described = engine.describe().await?;
    let described: Vec<Option<Described>> = serde_json::from_str(&described).map_err(|e| format!("internal: bad endpoint description: {e}"))?;
    let endpoints: Vec<Endpoint> = graph
        .routes
        .iter()
        .zip(&engine.endpoints)
        .zip(described)
        .map(|((r, m), d): ((_, &EndpointMeta), _)| Endpoint {
            method: r.method.clone(),
            pattern: r.pattern.clone(),
            params: r.params.clone(),
            file: r.file.clone(),
            auth: match &m.auth {
                None => Auth::Public,
                Some(a) => Auth::Required { role: a.role.clone() },
            },
            rate_limit: m.rate_limit.map(|rl| RateLimit { max: rl.max, window: rl.window }),
            described: d.unwrap_or_default(),
        })
        .collect();
    Ok(palbase_openapi::document(info, &endpoints))
}
