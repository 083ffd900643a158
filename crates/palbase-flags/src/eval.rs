//! Evaluating a flag for a context: no I/O, a few hashes at most.
//!
//! Order: the environment override, the kill switch (`enabled = false`), the allow list, the
//! rules (first match decides; a rule's rollout lets the users outside it fall through), then
//! the flag's own rollout. Deciding by percentage needs `userId`; without it the flag's
//! `default` answers.

use serde::Serialize;
use serde_json::{Map, Value};

use crate::{
    def::{Condition, Flag, Op, Serve, Then},
    hash,
};

/// Why a flag answered what it did (`Flags.evaluate`, `palbase flags eval`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Reason {
    /// No such flag: off.
    Unknown,
    /// `PALBASE_FLAGS_<NAME>` decided.
    Override,
    /// `enabled = false`.
    Disabled,
    /// The user id is in `allow`.
    AllowList,
    /// Rule number `rule` matched.
    Rule,
    /// The flag's rollout decided (in or out).
    Rollout,
    /// Deciding needed a `userId` the context lacks: the flag's `default`.
    Default,
}

/// One decision.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    pub flag: String,
    pub enabled: bool,
    pub variant: Option<String>,
    pub reason: Reason,
    /// The matching rule, 1-based, when `reason` is `rule`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<usize>,
    /// The user's rollout bucket in [0, 1), when a percentage was consulted.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bucket: Option<f64>,
}

impl Evaluation {
    pub fn unknown(flag: &str) -> Self {
        Evaluation { flag: flag.to_string(), enabled: false, variant: None, reason: Reason::Unknown, rule: None, bucket: None }
    }
}

/// The user id of a context: `userId` as a string (a number is taken as its decimal text).
fn user_id(ctx: &Map<String, Value>) -> Option<String> {
    match ctx.get("userId")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl Flag {
    pub fn evaluate(&self, ctx: &Map<String, Value>) -> Evaluation {
        let uid = user_id(ctx);
        let mut out = Evaluation { flag: self.name.clone(), enabled: false, variant: None, reason: Reason::Default, rule: None, bucket: None };
        if let Some(s) = &self.overridden {
            out.reason = Reason::Override;
            self.serve(s, uid.as_deref(), &mut out);
            return out;
        }
        if !self.enabled {
            out.reason = Reason::Disabled;
            return out;
        }
        if let Some(u) = &uid
            && self.allow.iter().any(|a| a == u)
        {
            out.reason = Reason::AllowList;
            self.serve(&Serve::On, uid.as_deref(), &mut out);
            return out;
        }
        for (i, rule) in self.rules.iter().enumerate() {
            if !rule.when.iter().all(|c| c.matches(ctx)) {
                continue;
            }
            match &rule.then {
                Then::Serve(s) => {
                    out.reason = Reason::Rule;
                    out.rule = Some(i + 1);
                    self.serve(s, uid.as_deref(), &mut out);
                    return out;
                }
                Then::Rollout(p) => {
                    let Some(u) = &uid else { continue };
                    let n = hash::bucket(&self.name, u);
                    if hash::in_rollout(n, *p) {
                        out.reason = Reason::Rule;
                        out.rule = Some(i + 1);
                        out.bucket = Some(n);
                        self.serve(&Serve::On, uid.as_deref(), &mut out);
                        return out;
                    }
                }
            }
        }
        if self.rollout >= 100.0 {
            out.reason = Reason::Rollout;
            self.serve(&Serve::On, uid.as_deref(), &mut out);
            return out;
        }
        let Some(u) = &uid else {
            out.reason = Reason::Default;
            self.serve(&self.default, None, &mut out);
            return out;
        };
        let n = hash::bucket(&self.name, u);
        out.reason = Reason::Rollout;
        out.bucket = Some(n);
        if hash::in_rollout(n, self.rollout) {
            self.serve(&Serve::On, uid.as_deref(), &mut out);
        }
        out
    }

    /// Fills `out` for the decision `s`: a multivariate flag that is on picks its variant by
    /// weight from the user id, or answers its `default` without one.
    fn serve(&self, s: &Serve, uid: Option<&str>, out: &mut Evaluation) {
        match s {
            Serve::Off => {}
            Serve::Variant(v) => {
                out.enabled = true;
                out.variant = Some(v.clone());
            }
            Serve::On if self.variants.is_empty() => out.enabled = true,
            Serve::On => match uid {
                Some(u) => {
                    out.enabled = true;
                    out.variant = Some(self.pick(u).to_string());
                }
                None => match &self.default {
                    Serve::Variant(v) => {
                        out.enabled = true;
                        out.variant = Some(v.clone());
                        out.reason = Reason::Default;
                    }
                    _ => out.reason = Reason::Default,
                },
            },
        }
    }

    /// The variant of `uid`: its variant bucket falls in one of the ranges the weights cut
    /// [0, 1) into, in file order.
    fn pick(&self, uid: &str) -> &str {
        let n = hash::bucket(&hash::variant_seed(&self.name), uid);
        let total: f64 = self.variants.iter().map(|(_, w)| w).sum();
        let mut end = 0.0;
        for (name, w) in &self.variants {
            end += w / total;
            if n < end {
                return name;
            }
        }
        // Rounding left the top of the range uncovered: the last variant with weight.
        self.variants.iter().rev().find(|(_, w)| *w > 0.0).map_or("", |(n, _)| n.as_str())
    }
}

impl Condition {
    /// A missing (or null) attribute never matches, whatever the operator (`exists = false`
    /// aside).
    pub fn matches(&self, ctx: &Map<String, Value>) -> bool {
        let v = ctx.get(&self.attr).filter(|v| !v.is_null());
        if self.op == Op::Exists {
            return v.is_some() == self.value.as_bool().unwrap_or(true);
        }
        let Some(v) = v else { return false };
        match self.op {
            Op::Eq => same(v, &self.value),
            Op::Ne => !same(v, &self.value),
            Op::In => self.value.as_array().is_some_and(|a| a.iter().any(|x| same(v, x))),
            Op::NotIn => self.value.as_array().is_some_and(|a| !a.iter().any(|x| same(v, x))),
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => {
                let (Some(a), Some(b)) = (number(v), self.value.as_f64()) else { return false };
                match self.op {
                    Op::Gt => a > b,
                    Op::Gte => a >= b,
                    Op::Lt => a < b,
                    _ => a <= b,
                }
            }
            Op::SemverEq | Op::SemverGt | Op::SemverGte | Op::SemverLt | Op::SemverLte => {
                let (Some(a), Some(b)) = (v.as_str().and_then(parse_version), self.value.as_str().and_then(parse_version)) else { return false };
                match self.op {
                    Op::SemverEq => a == b,
                    Op::SemverGt => a > b,
                    Op::SemverGte => a >= b,
                    Op::SemverLt => a < b,
                    _ => a <= b,
                }
            }
            Op::Contains | Op::StartsWith | Op::EndsWith => {
                let (Some(a), Some(b)) = (v.as_str(), self.value.as_str()) else { return false };
                match self.op {
                    Op::Contains => a.contains(b),
                    Op::StartsWith => a.starts_with(b),
                    _ => a.ends_with(b),
                }
            }
            Op::Exists => unreachable!("handled above"),
        }
    }
}

/// Equality across JSON kinds the way a user means it: numbers by value.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

/// A number, or a string holding one (`"42"` from a header).
fn number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A version as apps write it: `2.3.0`, `v2.3`, `2`, `1.0.0-beta.1` (missing parts are 0).
pub fn parse_version(s: &str) -> Option<semver::Version> {
    let s = s.trim();
    let s = s.strip_prefix(['v', 'V']).unwrap_or(s);
    if let Ok(v) = semver::Version::parse(s) {
        return Some(v);
    }
    let (core, rest) = match s.find(['-', '+']) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let parts: Vec<&str> = core.split('.').collect();
    if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
        return None;
    }
    let mut full = parts.join(".");
    for _ in parts.len()..3 {
        full.push_str(".0");
    }
    semver::Version::parse(&format!("{full}{rest}")).ok()
}
