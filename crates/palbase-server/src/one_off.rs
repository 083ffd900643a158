//! A project compiled once, for tools that load it without serving (`palbase check`,
//! `palbase openapi`, a push's checks): engines load on a current-thread runtime with no ops.

use std::sync::Arc;

use palbase_engine::{Engine, Role};
use palbase_project::{ProjectError, ProjectErrors, config::Settings, graph::ProjectGraph};

pub(crate) struct OneOff {
    pub graph: Arc<ProjectGraph>,
    rt: tokio::runtime::Runtime,
    local: tokio::task::LocalSet,
}

/// Both results' errors, endpoints' first.
pub(crate) fn both<A, B>(a: Result<A, ProjectErrors>, b: Result<B, ProjectErrors>) -> Result<(A, B), ProjectErrors> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (a, b) => Err(ProjectErrors(a.err().map(|e| e.0).unwrap_or_default().into_iter().chain(b.err().map(|e| e.0).unwrap_or_default()).collect())),
    }
}

impl OneOff {
    pub fn compile(root: &std::path::Path) -> Result<Self, ProjectErrors> {
        let graph = Arc::new(palbase_project::graph::Compiler::new(root, crate::builtin).build()?);
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|e| ProjectErrors(vec![ProjectError::new("runtime", e.to_string())]))?;
        Ok(Self { graph, rt, local: tokio::task::LocalSet::new() })
    }

    /// Loads an engine of `role` and hands it to `then`; load errors are located.
    pub fn load<T>(&self, settings: &Settings, role: Role, then: impl AsyncFnOnce(&Engine) -> Result<T, ProjectErrors>) -> Result<T, ProjectErrors> {
        let config = crate::worker::engine_config(settings, role, Arc::from("{}"));
        let graph = self.graph.clone();
        self.local.block_on(&self.rt, async move {
            let (engine, _) = Engine::new(graph, Arc::new(palbase_core::ops::OpRegistry::new()), config).await.map_err(|e| ProjectErrors(e.0))?;
            then(&engine).await
        })
    }

    /// Loads the background engine (workers, jobs, hooks, webhooks) when there is background
    /// code, as serving does; its declarations.
    pub fn load_background(&self, settings: &Settings) -> Result<Vec<palbase_engine::BackgroundMeta>, ProjectErrors> {
        if self.graph.background.is_empty() {
            return Ok(Vec::new());
        }
        self.load(settings, Role::Background, async |e| Ok(e.background.clone()))
    }
}
