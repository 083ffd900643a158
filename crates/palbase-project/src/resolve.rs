//! Module resolution, the way TypeScript-with-ESM and Node do it, restricted to the project.
//!
//! - Relative specifiers (`./x.js`, `../db/schema.js`): a `.js` specifier finds the `.ts` file
//!   beside it (schema.md's note); an extensionless one tries `.ts`, `.mts`, `.js`, `.mjs`, then
//!   `index.*`.
//! - Bare specifiers (`lodash`, `@scope/pkg/sub`): the nearest `node_modules`, then the package's
//!   `exports` (conditions `import`, `module`, `default`, `require`), `module`, `main`, `index.js`.
//! - Built-ins (`@palbase/backend`, `zod`, `node:*`) are decided by the caller.
//!
//! Nothing outside the project root is ever loaded.

use std::path::{Component, Path, PathBuf};

use serde_json::Value;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Builtin(String),
    File(PathBuf),
}

const TRY_EXT: [&str; 4] = ["ts", "mts", "js", "mjs"];

/// Resolves `specifier` imported from the file `importer`. `builtin` maps a specifier to the
/// engine's built-in module name, if it is one.
pub fn resolve(root: &Path, importer: &Path, specifier: &str, builtin: &dyn Fn(&str) -> Option<String>) -> Result<Resolved, String> {
    if let Some(b) = builtin(specifier) {
        return Ok(Resolved::Builtin(b));
    }
    if specifier.starts_with("./") || specifier.starts_with("../") || specifier == "." || specifier == ".." {
        let base = importer.parent().unwrap_or(root).join(specifier);
        let base = normalize(&base);
        if !base.starts_with(root) {
            return Err("resolves outside the project directory".into());
        }
        return file_or_dir(&base).map(Resolved::File).ok_or_else(|| "no such file".into());
    }
    if specifier.starts_with('/') || specifier.contains(':') {
        return Err("absolute paths and URLs cannot be imported; use a relative path or a package name".into());
    }
    resolve_package(root, importer, specifier).map(Resolved::File)
}

fn normalize(p: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

fn file_or_dir(base: &Path) -> Option<PathBuf> {
    let s = base.to_string_lossy();
    // TypeScript's ESM convention: `./x.js` names the source `./x.ts`.
    for (js, ts) in [(".js", ".ts"), (".mjs", ".mts"), (".jsx", ".tsx")] {
        if let Some(stem) = s.strip_suffix(js) {
            let cand = PathBuf::from(format!("{stem}{ts}"));
            if cand.is_file() {
                return Some(cand);
            }
        }
    }
    if base.is_file() {
        return Some(base.to_path_buf());
    }
    for ext in TRY_EXT {
        let cand = PathBuf::from(format!("{s}.{ext}"));
        if cand.is_file() {
            return Some(cand);
        }
    }
    if base.is_dir() {
        if let Some(p) = package_entry(base, ".") {
            return Some(p);
        }
        for ext in TRY_EXT {
            let cand = base.join(format!("index.{ext}"));
            if cand.is_file() {
                return Some(cand);
            }
        }
    }
    None
}

fn split_package(spec: &str) -> (&str, &str) {
    let mut idx = spec.match_indices('/');
    let cut = if spec.starts_with('@') { idx.nth(1) } else { idx.next() };
    match cut {
        Some((i, _)) => (&spec[..i], &spec[i + 1..]),
        None => (spec, ""),
    }
}

fn resolve_package(root: &Path, importer: &Path, spec: &str) -> Result<PathBuf, String> {
    let (name, sub) = split_package(spec);
    let mut dir = importer.parent();
    while let Some(d) = dir {
        if !d.starts_with(root) {
            break;
        }
        let pkg = d.join("node_modules").join(name);
        if pkg.is_dir() {
            let subpath = if sub.is_empty() { ".".to_string() } else { format!("./{sub}") };
            if let Some(p) = package_entry(&pkg, &subpath) {
                return Ok(p);
            }
            if !sub.is_empty() {
                if let Some(p) = file_or_dir(&pkg.join(sub)) {
                    return Ok(p);
                }
            }
            return Err(format!("package `{name}` has no entry for `{subpath}`"));
        }
        dir = d.parent();
    }
    Err(format!("package `{name}` is not installed (looked in node_modules up to the project root)"))
}

/// The file a package exposes at `subpath` (`.` or `./x`), from `exports`, `module` or `main`.
fn package_entry(pkg: &Path, subpath: &str) -> Option<PathBuf> {
    let text = std::fs::read_to_string(pkg.join("package.json")).ok()?;
    let json: Value = serde_json::from_str(&text).ok()?;
    if let Some(exports) = json.get("exports") {
        let target = exports_target(exports, subpath)?;
        return file_or_dir(&normalize(&pkg.join(target)));
    }
    if subpath != "." {
        return None;
    }
    for field in ["module", "main"] {
        if let Some(m) = json.get(field).and_then(Value::as_str) {
            if let Some(p) = file_or_dir(&normalize(&pkg.join(m))) {
                return Some(p);
            }
        }
    }
    None
}

fn exports_target(exports: &Value, subpath: &str) -> Option<String> {
    let is_subpath_map = exports.as_object().is_some_and(|m| m.keys().any(|k| k.starts_with('.')));
    if !is_subpath_map {
        return if subpath == "." { conditions(exports) } else { None };
    }
    let map = exports.as_object()?;
    if let Some(v) = map.get(subpath) {
        return conditions(v);
    }
    // Patterns: "./*": "./dist/*.js"
    for (k, v) in map {
        if let Some((pre, post)) = k.split_once('*') {
            if let Some(mid) = subpath.strip_prefix(pre).and_then(|r| r.strip_suffix(post)) {
                return conditions(v).map(|t| t.replace('*', mid));
            }
        }
    }
    None
}

fn conditions(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Array(a) => a.iter().find_map(conditions),
        Value::Object(m) => ["import", "module", "default", "require", "node"].iter().find_map(|c| m.get(*c).and_then(conditions)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, file: &str, text: &str) {
        let p = root.join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    #[test]
    fn cases() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(root, "db/schema.ts", "");
        write(root, "lib/util/index.ts", "");
        write(root, "endpoints/a/get.ts", "");
        write(root, "node_modules/esm-pkg/package.json", r#"{"exports":{".":{"types":"./x.d.ts","import":"./dist/index.mjs","require":"./dist/index.cjs"},"./feature/*":"./dist/f/*.js"}}"#);
        write(root, "node_modules/esm-pkg/dist/index.mjs", "");
        write(root, "node_modules/esm-pkg/dist/f/one.js", "");
        write(root, "node_modules/@sc/cjs/package.json", r#"{"main":"lib/main"}"#);
        write(root, "node_modules/@sc/cjs/lib/main.js", "");
        let imp = root.join("endpoints/a/get.ts");
        let b = |s: &str| (s == "zod").then(|| "zod".to_string());
        let r = |s: &str| resolve(root, &imp, s, &b);
        assert_eq!(r("../../db/schema.js"), Ok(Resolved::File(root.join("db/schema.ts"))));
        assert_eq!(r("../../lib/util"), Ok(Resolved::File(root.join("lib/util/index.ts"))));
        assert_eq!(r("zod"), Ok(Resolved::Builtin("zod".into())));
        assert_eq!(r("esm-pkg"), Ok(Resolved::File(root.join("node_modules/esm-pkg/dist/index.mjs"))));
        assert_eq!(r("esm-pkg/feature/one"), Ok(Resolved::File(root.join("node_modules/esm-pkg/dist/f/one.js"))));
        assert_eq!(r("@sc/cjs"), Ok(Resolved::File(root.join("node_modules/@sc/cjs/lib/main.js"))));
        assert!(r("../../../etc/passwd").unwrap_err().contains("outside the project"));
        assert!(r("missing").unwrap_err().contains("not installed"));
        assert!(r("./nope.js").is_err());
    }
}
