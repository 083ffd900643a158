//! `flags.toml`: the project's flag definitions, read into a [`FlagSet`] with every mistake
//! reported at its line and column.
//!
//! ```toml
//! [new-checkout]                      # a flag: one table per name
//! description = "The one-page checkout"
//! rollout = 25                        # % of user ids on (default 100: everyone)
//! allow = ["user_1"]                  # always on for these user ids
//!
//! [[new-checkout.rules]]              # evaluated in order, the first match decides
//! when = [{ attr = "role", op = "eq", value = "admin" }]
//! serve = true
//!
//! [button-color]                      # a multivariate flag
//! variants = { blue = 50, green = 30, red = 20 }
//! default = "blue"                    # for a context without userId
//! ```

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;
use toml::Spanned;

use crate::FlagsError;

/// Every flag of a project, by name.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FlagSet {
    pub flags: BTreeMap<String, Flag>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Flag {
    pub name: String,
    pub description: Option<String>,
    /// `false`: off for everyone, whatever the rules say (the kill switch).
    pub enabled: bool,
    /// Percent of user ids that get the flag when no rule decides (100: everyone).
    pub rollout: f64,
    /// What a context gets when deciding needs a `userId` and it has none.
    pub default: Serve,
    /// User ids that always get the flag.
    pub allow: Vec<String>,
    pub rules: Vec<Rule>,
    /// Weighted variants, in file order (the order is part of the assignment); empty for a
    /// boolean flag.
    pub variants: Vec<(String, f64)>,
    /// Where the flag's table starts in the file (1-based).
    pub line: u32,
    /// Set by `PALBASE_FLAGS_<NAME>`: wins over everything else.
    pub overridden: Option<Serve>,
}

/// What a flag answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serve {
    Off,
    /// On; a multivariate flag picks the variant by weight.
    On,
    /// On with this variant.
    Variant(String),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    /// All must hold (an empty list always holds).
    pub when: Vec<Condition>,
    pub then: Then,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Then {
    Serve(Serve),
    /// On for this percent of user ids; the others (and contexts without `userId`) go on to
    /// the next rule.
    Rollout(f64),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    pub attr: String,
    pub op: Op,
    pub value: Value,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    In,
    NotIn,
    Gt,
    Gte,
    Lt,
    Lte,
    SemverEq,
    SemverGt,
    SemverGte,
    SemverLt,
    SemverLte,
    Contains,
    StartsWith,
    EndsWith,
    Exists,
}

impl Op {
    pub const ALL: [(&'static str, Op); 17] = [
        ("eq", Op::Eq),
        ("ne", Op::Ne),
        ("in", Op::In),
        ("not_in", Op::NotIn),
        ("gt", Op::Gt),
        ("gte", Op::Gte),
        ("lt", Op::Lt),
        ("lte", Op::Lte),
        ("semver_eq", Op::SemverEq),
        ("semver_gt", Op::SemverGt),
        ("semver_gte", Op::SemverGte),
        ("semver_lt", Op::SemverLt),
        ("semver_lte", Op::SemverLte),
        ("contains", Op::Contains),
        ("starts_with", Op::StartsWith),
        ("ends_with", Op::EndsWith),
        ("exists", Op::Exists),
    ];

    pub fn as_str(self) -> &'static str {
        Op::ALL.iter().find(|(_, o)| *o == self).map_or("?", |(n, _)| n)
    }
}

// --- the file as written -------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFlag {
    description: Option<String>,
    enabled: Option<bool>,
    rollout: Option<Spanned<Num>>,
    default: Option<Spanned<toml::Value>>,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    rules: Vec<Spanned<RawRule>>,
    variants: Option<Spanned<Variants>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    #[serde(default)]
    when: Vec<Spanned<RawCondition>>,
    serve: Option<Spanned<toml::Value>>,
    rollout: Option<Spanned<Num>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCondition {
    attr: String,
    op: Spanned<String>,
    value: Option<Spanned<toml::Value>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(untagged)]
enum Num {
    Int(i64),
    Float(f64),
}

impl Num {
    fn get(self) -> f64 {
        match self {
            Num::Int(i) => i as f64,
            Num::Float(f) => f,
        }
    }
}

/// `variants = { a = 50, b = 50 }`, in file order.
struct Variants(Vec<(String, Num)>);

impl<'de> Deserialize<'de> for Variants {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Variants;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of variant = weight")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<Variants, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<String, Num>()? {
                    out.push((k, v));
                }
                Ok(Variants(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// The flags of one file, in file order.
struct RawFile(Vec<(Spanned<String>, Spanned<RawFlag>)>);

impl<'de> Deserialize<'de> for RawFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = RawFile;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("one table per flag")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut m: A) -> Result<RawFile, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = m.next_entry::<Spanned<String>, Spanned<RawFlag>>()? {
                    out.push((k, v));
                }
                Ok(RawFile(out))
            }
        }
        d.deserialize_map(V)
    }
}

// --- reading ----------------------------------------------------------------------------------

/// Flag names: what a user would put in code and in an environment variable.
fn valid_name(n: &str) -> bool {
    !n.is_empty() && n.len() <= 100 && n.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

impl FlagSet {
    /// Reads the text of `flags.toml`.
    pub fn parse(text: &str) -> Result<FlagSet, FlagsError> {
        let at = |span: std::ops::Range<usize>, msg: String| FlagsError::at(text, span.start, msg);
        let raw: RawFile = toml::from_str(text).map_err(|e| FlagsError::at(text, e.span().map_or(0, |s| s.start), e.message().to_string()).hint(crate::FORMAT_HINT))?;
        let mut flags = BTreeMap::new();
        for (name, flag) in raw.0 {
            let span = name.span();
            let name = name.into_inner();
            if !valid_name(&name) {
                return Err(at(span, format!("invalid flag name `{name}`")).hint("names use letters, digits, `-`, `_` and `.` (up to 100)"));
            }
            let line = FlagsError::at(text, span.start, String::new()).line.unwrap_or(1);
            let f = flag.into_inner();
            let variants: Vec<(String, f64)> = match &f.variants {
                None => Vec::new(),
                Some(v) => {
                    let list: Vec<(String, f64)> = v.get_ref().0.iter().map(|(k, w)| (k.clone(), w.get())).collect();
                    if list.is_empty() || list.iter().any(|(_, w)| !w.is_finite() || *w < 0.0) || list.iter().all(|(_, w)| *w == 0.0) {
                        return Err(at(v.span(), format!("`{name}`: variant weights must be numbers ≥ 0, not all 0")).hint("e.g. variants = { blue = 50, green = 50 }"));
                    }
                    list
                }
            };
            let serve = |v: &Spanned<toml::Value>, what: &str| -> Result<Serve, FlagsError> {
                match v.get_ref() {
                    toml::Value::Boolean(false) => Ok(Serve::Off),
                    toml::Value::Boolean(true) => Ok(Serve::On),
                    toml::Value::String(s) if variants.iter().any(|(n, _)| n == s) => Ok(Serve::Variant(s.clone())),
                    toml::Value::String(s) if !variants.is_empty() => Err(at(v.span(), format!("`{name}`: {what} `{s}` is not one of its variants ({})", variants.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>().join(", ")))),
                    _ => Err(at(v.span(), format!("`{name}`: {what} must be true or false{}", if variants.is_empty() { "" } else { ", or a variant name" }))),
                }
            };
            let percent = |n: &Spanned<Num>| -> Result<f64, FlagsError> {
                let p = n.get_ref().get();
                if p.is_finite() && (0.0..=100.0).contains(&p) { Ok(p) } else { Err(at(n.span(), format!("`{name}`: rollout is a percentage from 0 to 100, not {p}"))) }
            };
            let default = match &f.default {
                Some(v) => serve(v, "default")?,
                None => Serve::Off,
            };
            let mut rules = Vec::new();
            for r in &f.rules {
                let rr = r.get_ref();
                let mut when = Vec::new();
                for c in &rr.when {
                    when.push(condition(text, &name, c)?);
                }
                let then = match (&rr.serve, &rr.rollout) {
                    (Some(_), Some(_)) => return Err(at(r.span(), format!("`{name}`: a rule has `serve` or `rollout`, not both"))),
                    (Some(s), None) => Then::Serve(serve(s, "serve")?),
                    (None, Some(p)) => Then::Rollout(percent(p)?),
                    (None, None) => Then::Serve(Serve::On),
                };
                rules.push(Rule { when, then });
            }
            let rollout = f.rollout.as_ref().map(percent).transpose()?.unwrap_or(100.0);
            flags.insert(name.clone(), Flag { name, description: f.description, enabled: f.enabled.unwrap_or(true), rollout, default, allow: f.allow, rules, variants, line, overridden: None });
        }
        Ok(FlagSet { flags })
    }

    /// Applies the emergency overrides: `PALBASE_FLAGS_<NAME>=on|off|<variant>` (the name in
    /// upper case, every character other than a letter or digit as `_`). `var` reads the
    /// environment.
    pub fn apply_overrides(&mut self, var: impl Fn(&str) -> Option<String>) -> Result<(), FlagsError> {
        for f in self.flags.values_mut() {
            let key = override_var(&f.name);
            let Some(v) = var(&key).filter(|v| !v.is_empty()) else { continue };
            f.overridden = Some(match v.to_ascii_lowercase().as_str() {
                "on" | "true" | "1" => Serve::On,
                "off" | "false" | "0" => Serve::Off,
                _ if f.variants.iter().any(|(n, _)| *n == v) => Serve::Variant(v),
                _ => return Err(FlagsError { line: None, column: None, message: format!("{key}={v}: expected on, off{}", if f.variants.is_empty() { String::new() } else { " or a variant of the flag".into() }), hint: None }),
            });
        }
        Ok(())
    }
}

/// The environment variable that overrides `flag`.
pub fn override_var(flag: &str) -> String {
    let up: String = flag.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_uppercase() } else { '_' }).collect();
    format!("PALBASE_FLAGS_{up}")
}

fn condition(text: &str, flag: &str, c: &Spanned<RawCondition>) -> Result<Condition, FlagsError> {
    let raw = c.get_ref();
    let op_name = raw.op.get_ref();
    let Some(op) = Op::ALL.iter().find(|(n, _)| n == op_name).map(|(_, o)| *o) else {
        return Err(FlagsError::at(text, raw.op.span().start, format!("`{flag}`: unknown operator `{op_name}`")).hint(format!("operators: {}", Op::ALL.iter().map(|(n, _)| *n).collect::<Vec<_>>().join(", "))));
    };
    let value = match &raw.value {
        Some(v) => toml_to_json(v.get_ref()),
        None if op == Op::Exists => Value::Bool(true),
        None => return Err(FlagsError::at(text, c.span().start, format!("`{flag}`: the condition on `{}` needs a `value`", raw.attr))),
    };
    let pos = raw.value.as_ref().map_or(c.span().start, |v| v.span().start);
    let bad = |want: &str| Err(FlagsError::at(text, pos, format!("`{flag}`: `{}` takes {want}", op.as_str())));
    let ok = match op {
        Op::Eq | Op::Ne => matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_)),
        Op::In | Op::NotIn => value.as_array().is_some_and(|a| a.iter().all(|v| matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_)))),
        Op::Gt | Op::Gte | Op::Lt | Op::Lte => value.is_number(),
        Op::SemverEq | Op::SemverGt | Op::SemverGte | Op::SemverLt | Op::SemverLte => value.as_str().and_then(crate::eval::parse_version).is_some(),
        Op::Contains | Op::StartsWith | Op::EndsWith => value.is_string(),
        Op::Exists => value.is_boolean(),
    };
    if !ok {
        return match op {
            Op::Eq | Op::Ne => bad("a string, number or boolean"),
            Op::In | Op::NotIn => bad("a list of strings, numbers or booleans"),
            Op::Gt | Op::Gte | Op::Lt | Op::Lte => bad("a number"),
            Op::SemverEq | Op::SemverGt | Op::SemverGte | Op::SemverLt | Op::SemverLte => bad("a version such as \"2.3.0\""),
            Op::Contains | Op::StartsWith | Op::EndsWith => bad("a string"),
            Op::Exists => bad("true or false"),
        };
    }
    Ok(Condition { attr: raw.attr.clone(), op, value })
}

fn toml_to_json(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => Value::String(s.clone()),
        toml::Value::Integer(i) => Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f).map_or(Value::Null, Value::Number),
        toml::Value::Boolean(b) => Value::Bool(*b),
        toml::Value::Array(a) => Value::Array(a.iter().map(toml_to_json).collect()),
        toml::Value::Table(_) | toml::Value::Datetime(_) => Value::Null,
    }
}

impl FlagSet {
    /// The `PalbaseFlags` interface of the SDK's types for these flags (`palbase types`):
    /// each name with the union of its variants, `never` for a boolean flag.
    pub fn typescript_interface(&self) -> String {
        let mut out = String::from("export interface PalbaseFlags {\n");
        for f in self.flags.values() {
            let variants = if f.variants.is_empty() { "never".to_string() } else { f.variants.iter().map(|(v, _)| serde_json::to_string(v).unwrap_or_default()).collect::<Vec<_>>().join(" | ") };
            out.push_str(&format!("\t{}: {variants};\n", serde_json::to_string(&f.name).unwrap_or_default()));
        }
        out.push('}');
        out
    }
}
