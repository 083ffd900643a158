//! The control API's client: `palbase push`, `rollback`, `deployments`, `branches`, `secrets`.

use std::path::Path;

use futures::StreamExt;
use serde::{Deserialize, de::DeserializeOwned};

use crate::{
    Error,
    manifest::{self, Entry},
    secrets::SecretInfo,
    server::{BranchRow, DeploymentRow},
};

/// A server and the token for it.
pub struct Remote {
    base: String,
    token: String,
    http: reqwest::Client,
}

/// What a push reports as it goes; the CLI prints each one.
#[derive(Debug, Clone, PartialEq)]
pub enum PushEvent {
    Bundle { files: usize, bytes: u64, missing: usize, missing_bytes: u64 },
    Uploaded { files: usize, bytes: u64 },
    Progress(String),
    Live { deployment: String, url: String, ms: u64 },
}

/// How a push (or rollback) ended when it did not go live.
#[derive(Debug, Clone, PartialEq)]
pub struct Failed(pub String);

#[derive(Deserialize)]
struct ErrorBody {
    error: String,
    error_description: String,
}

#[derive(Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
enum Line {
    Progress { message: String },
    Live { deployment: String, url: String, ms: u64 },
    Failed { errors: String },
}

impl Remote {
    pub fn new(base: &str, token: &str) -> Self {
        Self { base: base.trim_end_matches('/').to_string(), token: token.to_string(), http: reqwest::Client::builder().connect_timeout(std::time::Duration::from_secs(10)).build().unwrap_or_default() }
    }

    fn url(&self, path: &str) -> String {
        format!("{}/_palbase/v1/{path}", self.base)
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<reqwest::Response, Error> {
        let r = req.bearer_auth(&self.token).send().await.map_err(|source| Error::Connect { url: self.base.clone(), source })?;
        if r.status().is_success() {
            return Ok(r);
        }
        let status = r.status().as_u16();
        let text = r.text().await.unwrap_or_default();
        Err(match serde_json::from_str::<ErrorBody>(&text) {
            Ok(b) => Error::Remote { status, code: b.error, message: b.error_description },
            Err(_) => Error::Remote { status, code: "http_error".into(), message: format!("the server answered {status}: {text}") },
        })
    }

    async fn json<T: DeserializeOwned>(&self, req: reqwest::RequestBuilder) -> Result<T, Error> {
        let r = self.send(req).await?;
        let url = self.base.clone();
        r.json().await.map_err(|source| Error::Connect { url, source })
    }

    /// Sends the files of `root` (and the `imported` files of node_modules) as a bundle, then
    /// deploys it to `branch`: `Ok(Err(..))` when the server refused the version.
    pub async fn push(&self, project: &str, branch: &str, root: &Path, imported: &[String], accept_data_loss: bool, on: &mut (dyn FnMut(PushEvent) + Send)) -> Result<Result<(), Failed>, Error> {
        let files = manifest::collect(root, imported)?;
        let mut entries = Vec::with_capacity(files.len());
        let mut contents = std::collections::HashMap::new();
        for (rel, path) in &files {
            let bytes = std::fs::read(path)?;
            if bytes.len() as u64 > manifest::MAX_FILE {
                return Err(Error::Invalid(format!("{rel} is larger than {} MiB", manifest::MAX_FILE >> 20)));
            }
            let sha = manifest::sha256_hex(&bytes);
            entries.push(Entry { path: rel.clone(), sha256: sha.clone(), size: bytes.len() as u64 });
            contents.insert(sha, bytes);
        }
        let hashes: Vec<&String> = contents.keys().collect();
        #[derive(Deserialize)]
        struct Missing {
            missing: Vec<String>,
        }
        let missing: Missing = self.json(self.http.post(self.url(&format!("projects/{project}/blobs/missing"))).json(&serde_json::json!({ "hashes": hashes }))).await?;
        let missing_bytes: u64 = missing.missing.iter().filter_map(|h| contents.get(h)).map(|b| b.len() as u64).sum();
        on(PushEvent::Bundle { files: entries.len(), bytes: entries.iter().map(|e| e.size).sum(), missing: missing.missing.len(), missing_bytes });
        // A few uploads at a time; each blob is checked against its hash and stored whole.
        let uploads = futures::stream::iter(missing.missing.iter().filter_map(|h| contents.get(h).map(|b| (h, b.clone()))))
            .map(|(h, b)| async move { self.send(self.http.put(self.url(&format!("projects/{project}/blobs/{h}"))).body(b)).await.map(drop) })
            .buffer_unordered(8)
            .collect::<Vec<_>>()
            .await;
        uploads.into_iter().collect::<Result<Vec<()>, Error>>()?;
        if !missing.missing.is_empty() {
            on(PushEvent::Uploaded { files: missing.missing.len(), bytes: missing_bytes });
        }
        let req = self.http.post(self.url(&format!("projects/{project}/branches/{branch}/deployments"))).json(&serde_json::json!({ "files": entries, "accept_data_loss": accept_data_loss }));
        self.follow(req, on).await
    }

    /// Switches `branch` back to `to` (default: what served before the current deployment).
    pub async fn rollback(&self, project: &str, branch: &str, to: Option<&str>, on: &mut (dyn FnMut(PushEvent) + Send)) -> Result<Result<(), Failed>, Error> {
        let req = self.http.post(self.url(&format!("projects/{project}/branches/{branch}/rollback"))).json(&serde_json::json!({ "to": to }));
        self.follow(req, on).await
    }

    /// Reads a deployment's NDJSON stream to its end.
    async fn follow(&self, req: reqwest::RequestBuilder, on: &mut (dyn FnMut(PushEvent) + Send)) -> Result<Result<(), Failed>, Error> {
        let r = self.send(req).await?;
        let mut stream = r.bytes_stream();
        let mut buf: Vec<u8> = Vec::new();
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|source| Error::Connect { url: self.base.clone(), source })?;
            buf.extend_from_slice(&chunk);
            while let Some(nl) = buf.iter().position(|&b| b == b'\n') {
                let line: Vec<u8> = buf.drain(..=nl).collect();
                match serde_json::from_slice::<Line>(&line) {
                    Ok(Line::Progress { message }) => on(PushEvent::Progress(message)),
                    Ok(Line::Live { deployment, url, ms }) => {
                        on(PushEvent::Live { deployment, url, ms });
                        return Ok(Ok(()));
                    }
                    Ok(Line::Failed { errors }) => return Ok(Err(Failed(errors))),
                    Err(_) => {}
                }
            }
        }
        Err(Error::Invalid("the server closed the connection before the deployment finished: run `palbase deployments list` to see where it stands".into()))
    }

    pub async fn deployments(&self, project: &str, branch: Option<&str>) -> Result<Vec<DeploymentRow>, Error> {
        let q = branch.map(|b| format!("?branch={b}")).unwrap_or_default();
        self.json(self.http.get(self.url(&format!("projects/{project}/deployments{q}")))).await
    }

    pub async fn branches(&self, project: &str) -> Result<Vec<BranchRow>, Error> {
        self.json(self.http.get(self.url(&format!("projects/{project}/branches")))).await
    }

    pub async fn delete_branch(&self, project: &str, branch: &str) -> Result<(), Error> {
        self.send(self.http.delete(self.url(&format!("projects/{project}/branches/{branch}")))).await.map(drop)
    }

    pub async fn secrets(&self, project: &str, branch: &str) -> Result<Vec<SecretInfo>, Error> {
        self.json(self.http.get(self.url(&format!("projects/{project}/branches/{branch}/secrets")))).await
    }

    /// Sets a secret; the deployment it restarted, if one was live.
    pub async fn set_secret(&self, project: &str, branch: &str, name: &str, value: &str) -> Result<Option<String>, Error> {
        let v: serde_json::Value = self.json(self.http.put(self.url(&format!("projects/{project}/branches/{branch}/secrets/{name}"))).json(&serde_json::json!({ "value": value }))).await?;
        Ok(v["restarted"].as_str().map(str::to_owned))
    }

    pub async fn unset_secret(&self, project: &str, branch: &str, name: &str) -> Result<Option<String>, Error> {
        let v: serde_json::Value = self.json(self.http.delete(self.url(&format!("projects/{project}/branches/{branch}/secrets/{name}")))).await?;
        Ok(v["restarted"].as_str().map(str::to_owned))
    }
}

/// `[deploy]` of `palbase.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DeploySettings {
    /// The server's URL, e.g. `http://127.0.0.1:4100` (or `PALBASE_SERVER`).
    pub server: Option<String>,
    /// The project's name on the server (default: package.json's `name`).
    pub project: Option<String>,
    /// A deploy token (prefer `PALBASE_TOKEN`: this file is usually committed).
    pub token: Option<String>,
}

impl DeploySettings {
    pub fn read(settings: &palbase_project::config::Settings) -> Result<Self, palbase_project::ProjectError> {
        settings.section("deploy")
    }
}

/// The project's name: `[deploy] project`, else package.json's `name` made a host label.
pub fn project_name(root: &Path, deploy: &DeploySettings) -> Result<String, Error> {
    let name = match &deploy.project {
        Some(p) => p.clone(),
        None => {
            let pkg = std::fs::read_to_string(root.join("package.json")).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
            let n = pkg.as_ref().and_then(|v| v.get("name")).and_then(|n| n.as_str()).map(crate::names::from_package_name);
            n.ok_or_else(|| Error::Invalid("the project has no name: set `name` in package.json or `[deploy] project` in palbase.toml".into()))?
        }
    };
    crate::names::check("project", &name).map_err(|m| Error::Invalid(format!("{m}\n  hint: set `[deploy] project = \"…\"` in palbase.toml")))?;
    Ok(name)
}
