//! The Flags service (palbase-flags): the project's `flags.toml`, read again with every
//! project version (so an edit applies like a code change), with `PALBASE_FLAGS_<NAME>`
//! overrides from the environment.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use palbase_core::ops::OpRegistry;
use palbase_flags::{FlagSet, Flags};
use palbase_project::{ProjectError, ProjectErrors};
use palbase_server::{Notice, Service, VersionContext};

/// The file flags are defined in, at the project root.
pub const FLAGS_FILE: &str = "flags.toml";

/// Reads the project's flags (none without a `flags.toml`) with the environment's overrides
/// (process variables win over `.env`).
pub fn load(root: &Path) -> Result<FlagSet, ProjectError> {
    let path = root.join(FLAGS_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FlagSet::default()),
        Err(e) => return Err(ProjectError::new(FLAGS_FILE, format!("cannot read it: {e}"))),
    };
    let located = |e: palbase_flags::FlagsError, file: &str| {
        let mut p = ProjectError::new(file, e.message);
        if let (Some(l), Some(c)) = (e.line, e.column) {
            p = p.at(l, c);
        }
        p.hint(e.hint.unwrap_or_else(|| palbase_flags::FORMAT_HINT.into()))
    };
    let mut set = FlagSet::parse(&text).map_err(|e| located(e, FLAGS_FILE))?;
    let env = palbase_project::config::load_env(root).unwrap_or_default();
    set.apply_overrides(|k| palbase_project::config::lookup(&env, k)).map_err(|e| located(e, "environment"))?;
    Ok(set)
}

pub(crate) struct FlagsService {
    root: PathBuf,
    flags: Arc<Flags>,
}

impl FlagsService {
    pub(crate) fn new(root: &Path) -> Self {
        Self { root: root.to_path_buf(), flags: Arc::new(Flags::default()) }
    }
}

impl Service for FlagsService {
    fn name(&self) -> &'static str {
        "flags"
    }

    fn register_ops(&self, ops: &mut OpRegistry) {
        palbase_flags::ops::register_ops(ops, self.flags.clone());
    }

    /// An invalid file fails the version (the error is shown with its position) and the
    /// previous flags keep serving.
    fn check(&self, _v: &VersionContext<'_>) -> Result<(), ProjectErrors> {
        load(&self.root).map(drop).map_err(|e| ProjectErrors(vec![e]))
    }

    fn on_version(&self, _v: &VersionContext<'_>) -> Result<Vec<Notice>, ProjectErrors> {
        let set = load(&self.root).map_err(|e| ProjectErrors(vec![e]))?;
        if *self.flags.current() == set {
            return Ok(Vec::new());
        }
        let lines = set.flags.values().map(describe).collect::<Vec<_>>();
        self.flags.replace(set);
        Ok(if lines.is_empty() { Vec::new() } else { vec![Notice::info("flags:", lines)] })
    }
}

/// One line per flag for the terminal: `new-checkout  25 %, 2 rules, allow 1`.
pub fn describe(f: &palbase_flags::Flag) -> String {
    let mut parts = Vec::new();
    if let Some(o) = &f.overridden {
        parts.push(format!(
            "overridden: {}",
            match o {
                palbase_flags::Serve::Off => "off".to_string(),
                palbase_flags::Serve::On => "on".to_string(),
                palbase_flags::Serve::Variant(v) => v.clone(),
            }
        ));
    }
    if !f.enabled {
        parts.push("disabled".into());
    } else if f.rollout < 100.0 {
        parts.push(format!("{} %", f.rollout));
    } else {
        parts.push("on".into());
    }
    if !f.variants.is_empty() {
        parts.push(format!("variants {}", f.variants.iter().map(|(n, w)| format!("{n}={w}")).collect::<Vec<_>>().join(" ")));
    }
    if !f.rules.is_empty() {
        parts.push(format!("{} rule{}", f.rules.len(), if f.rules.len() == 1 { "" } else { "s" }));
    }
    if !f.allow.is_empty() {
        parts.push(format!("allow {}", f.allow.len()));
    }
    format!("{:<24} {}", f.name, parts.join(", "))
}
