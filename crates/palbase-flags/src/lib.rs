//! The Flags service: feature flags defined as code in the project's `flags.toml`
//! ([`def`]), evaluated in process ([`eval`]) with GrowthBook's v2 bucketing ([`hash`]), so a
//! decision is the same in every process, instance and restart, and a client SDK can
//! reproduce it. The app swaps in a new [`FlagSet`] when the file changes ([`Flags::replace`]).

pub mod def;
pub mod eval;
pub mod hash;
pub mod ops;

use std::{
    collections::HashSet,
    sync::{Arc, Mutex, RwLock},
};

pub use def::{Flag, FlagSet, Serve, override_var};
pub use eval::{Evaluation, Reason};
use serde_json::{Map, Value};

/// What the error messages point to for the format.
pub const FORMAT_HINT: &str = "see docs/runtime.md (Flags) for the format of flags.toml";

/// A mistake in `flags.toml` (or in an override), with its position when it has one.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FlagsError {
    pub line: Option<u32>,
    pub column: Option<u32>,
    pub message: String,
    pub hint: Option<String>,
}

impl FlagsError {
    /// An error at byte `offset` of `text` (1-based line and column, in characters).
    pub fn at(text: &str, offset: usize, message: String) -> Self {
        let before = &text[..offset.min(text.len())];
        let line = before.matches('\n').count() as u32 + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) as u32 + 1;
        FlagsError { line: Some(line), column: Some(column), message, hint: None }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The flags a server evaluates: one immutable [`FlagSet`] at a time.
#[derive(Default)]
pub struct Flags {
    set: RwLock<Arc<FlagSet>>,
    /// Unknown names already logged (once each).
    warned: Mutex<HashSet<String>>,
}

impl Flags {
    pub fn new(set: FlagSet) -> Self {
        Flags { set: RwLock::new(Arc::new(set)), warned: Mutex::default() }
    }

    /// The current definitions.
    pub fn current(&self) -> Arc<FlagSet> {
        self.set.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Serves `set` from now on (a reload).
    pub fn replace(&self, set: FlagSet) {
        *self.set.write().unwrap_or_else(|p| p.into_inner()) = Arc::new(set);
        self.warned.lock().unwrap_or_else(|p| p.into_inner()).clear();
    }

    /// Evaluates `name` for `ctx` (`userId` and any attributes). An unknown flag is off, and
    /// logged once per name.
    pub fn evaluate(&self, name: &str, ctx: &Map<String, Value>) -> Evaluation {
        let set = self.current();
        match set.flags.get(name) {
            Some(f) => f.evaluate(ctx),
            None => {
                let first = self.warned.lock().unwrap_or_else(|p| p.into_inner()).insert(name.to_string());
                if first {
                    tracing::warn!(flag = name, "unknown flag `{name}`: it evaluates to off (define it in flags.toml)");
                }
                Evaluation::unknown(name)
            }
        }
    }
}
