//! The protocol between the server and a deployment's process: one JSON event per line on the
//! child's stdout; the child stops when its stdin closes (the server stopped it, or died).

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ChildEvent {
    /// Something to show the pusher (a migration, a step).
    Progress {
        message: String,
    },
    Listening {
        addr: String,
    },
    /// Compiled, loaded, migrated and serving.
    Ready {
        ms: u64,
    },
    /// Every error, rendered with `file:line:col` as `palbase check` prints them.
    Failed {
        errors: String,
    },
}

/// How a deployment's process starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// A push: check (compile and load), migrate (`accept_data_loss` as `palbase migrate`),
    /// then serve.
    Push { accept_data_loss: bool },
    /// A rollback: check, refuse when the code needs a schema the database does not have, serve.
    Rollback,
    /// A restart of a version that served (server start, new secrets): serve.
    Restart,
}

impl Mode {
    pub fn as_arg(self) -> &'static str {
        match self {
            Mode::Push { accept_data_loss: false } => "push",
            Mode::Push { accept_data_loss: true } => "push-accept-data-loss",
            Mode::Rollback => "rollback",
            Mode::Restart => "restart",
        }
    }

    pub fn from_arg(s: &str) -> Option<Self> {
        Some(match s {
            "push" => Mode::Push { accept_data_loss: false },
            "push-accept-data-loss" => Mode::Push { accept_data_loss: true },
            "rollback" => Mode::Rollback,
            "restart" => Mode::Restart,
            _ => return None,
        })
    }
}

/// Writes one event line to stdout.
pub fn emit(ev: &ChildEvent) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", serde_json::to_string(ev).unwrap_or_default());
    let _ = out.flush();
}

/// The environment variable listing the names of the deploy secrets in the child's environment.
pub const SECRETS_VAR: &str = "PALBASE_DEPLOY_SECRETS";

/// The deploy secrets the server put into this process's environment (for `ctx.env`).
pub fn secrets_from_env() -> Vec<(String, String)> {
    let names = std::env::var(SECRETS_VAR).unwrap_or_default();
    names.split(',').filter(|n| !n.is_empty()).filter_map(|n| std::env::var(n).ok().map(|v| (n.to_string(), v))).collect()
}

/// Stops this process gracefully (SIGTERM to itself: the server's shutdown path) when stdin
/// reaches its end, i.e. when the server closes it or dies.
pub fn stop_when_stdin_closes() {
    let _ = std::thread::Builder::new().name("palbase-parent".into()).spawn(|| {
        use std::io::Read;
        let mut buf = [0u8; 64];
        let mut stdin = std::io::stdin();
        while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
        let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::TERM);
        // Not stopped within the grace period (a stuck job): leave anyway.
        std::thread::sleep(std::time::Duration::from_secs(15));
        std::process::exit(0);
    });
}
