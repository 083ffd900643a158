//! Module resolution, the way TypeScript-with-ESM and Node do it, restricted to the project.
//!
//! - Relative specifiers (`./x.js`, `../db/schema.js`): a `.js` specifier finds the `.ts` file
//!   beside it (schema.md's note); an extensionless one tries `.ts`, `.mts`, `.js`, `.mjs`, then
//!   `index.*`.
//! - Bare specifiers (`lodash`, `@scope/pkg/sub`): the nearest `node_modules`, then the package's
//!   `exports` (conditions `import`, `module`, `default`, `require`), `module`, `main`, `index.js`.
//! - Built-ins (`@palbase/backend`, `zod`, `node:*`) are decided by the caller.
//!
//! Nothing outside the project root is ever loaded ([`Confinement`]): every resolved file lies
//! inside the project after its symbolic links are resolved; a package's entry (`main`,
//! `module`, `exports`, a subpath) lies inside that package, and a bare specifier's subpath has no
//! `.` or `..` segment (as in Node); a package in `node_modules` that is a symbolic link out of
//! the project (`npm link`) is refused unless `[imports] allow_symlinked_packages = true`, and
//! then only files inside that package's own directory load through it.

use std::{
    fmt,
    path::{Component, Path, PathBuf},
};

use serde_json::Value;

use crate::rel_id;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    Builtin(String),
    File(PathBuf),
}

/// Why a specifier did not resolve; `hint` when there is advice specific to the failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveError {
    pub message: String,
    pub hint: Option<String>,
}

impl ResolveError {
    pub fn new(message: impl Into<String>) -> Self {
        Self { message: message.into(), hint: None }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

impl ResolveError {
    /// The error as one about `file` (a module id).
    pub fn about(self, file: impl Into<String>) -> crate::ProjectError {
        let e = crate::ProjectError::new(file, self.message);
        match self.hint {
            Some(h) => e.hint(h),
            None => e,
        }
    }
}

impl fmt::Display for ResolveError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

const OUTSIDE_HINT: &str = "Palbase loads only files inside the project directory: copy the file into the project instead of linking to it";
const LINKED_HINT: &str = "install the package into the project (npm install) instead of linking it, or allow linked packages with `allow_symlinked_packages = true` under `[imports]` in palbase.toml";
const ENTRY_HINT: &str = "a package's `main`, `module` and `exports` must name files inside the package: reinstall or fix the package";

const TRY_EXT: [&str; 4] = ["ts", "mts", "js", "mjs"];

/// Resolves `specifier` imported from the file `importer`, with the default [`Confinement`] of
/// `root`. `builtin` maps a specifier to the engine's built-in module name, if it is one.
pub fn resolve(root: &Path, importer: &Path, specifier: &str, builtin: &dyn Fn(&str) -> Option<String>) -> Result<Resolved, ResolveError> {
    Confinement::new(root, false).resolve(importer, specifier, builtin)
}

/// Where files may be loaded from: the project root, after resolving symbolic links.
#[derive(Debug, Clone)]
pub struct Confinement {
    /// The root as given: module ids are relative to it, and paths stay under it lexically.
    root: PathBuf,
    /// The root with its symbolic links resolved.
    real_root: PathBuf,
    allow_symlinked_packages: bool,
}

impl Confinement {
    pub fn new(root: &Path, allow_symlinked_packages: bool) -> Self {
        let real_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        Self { root: root.to_path_buf(), real_root, allow_symlinked_packages }
    }

    /// The project root with its symbolic links resolved.
    pub fn real_root(&self) -> &Path {
        &self.real_root
    }

    /// Whether `real` (a path with its symbolic links resolved) lies inside the project.
    pub fn inside(&self, real: &Path) -> bool {
        real.starts_with(&self.real_root)
    }

    /// Checks that `path` (under the root) still lies inside the project once its symbolic links
    /// are resolved, or inside the directory of a symlinked package when those are allowed.
    pub fn check(&self, path: &Path) -> Result<(), ResolveError> {
        let id = rel_id(&self.root, path);
        let real = path.canonicalize().map_err(|e| ResolveError::new(format!("cannot read `{id}`: {e}")))?;
        if self.inside(&real) {
            return Ok(());
        }
        let linked = package_dir_of(&self.root, path).and_then(|p| p.canonicalize().ok()).filter(|p| !self.inside(p));
        match linked {
            Some(pkg) if self.allow_symlinked_packages && real.starts_with(&pkg) => Ok(()),
            Some(_) if !self.allow_symlinked_packages => Err(ResolveError::new(format!("`{id}` is in a package that is a symbolic link to a directory outside the project")).hint(LINKED_HINT)),
            _ => Err(ResolveError::new(format!("`{id}` leads outside the project directory through a symbolic link")).hint(OUTSIDE_HINT)),
        }
    }

    /// For the project's own files and directories (entries, walks): refuses `path` when it, or
    /// a directory it lies in, is a symbolic link out of the project (a path that does not exist
    /// is left to whoever reads it).
    pub fn check_link(&self, path: &Path) -> Result<(), ResolveError> {
        match path.canonicalize() {
            Ok(real) if !self.inside(&real) => Err(ResolveError::new("leads outside the project directory through a symbolic link").hint(OUTSIDE_HINT)),
            _ => Ok(()),
        }
    }

    /// Resolves `specifier` imported from the file `importer`.
    pub fn resolve(&self, importer: &Path, specifier: &str, builtin: &dyn Fn(&str) -> Option<String>) -> Result<Resolved, ResolveError> {
        if let Some(b) = builtin(specifier) {
            return Ok(Resolved::Builtin(b));
        }
        if specifier.starts_with("./") || specifier.starts_with("../") || specifier == "." || specifier == ".." {
            let base = importer.parent().unwrap_or(&self.root).join(specifier);
            let base = normalize(&base);
            if !base.starts_with(&self.root) {
                return Err(ResolveError::new("resolves outside the project directory").hint(OUTSIDE_HINT));
            }
            let file = self.file_or_dir(&base)?.ok_or_else(|| ResolveError::new("no such file"))?;
            self.check(&file)?;
            return Ok(Resolved::File(file));
        }
        if specifier.starts_with('/') || specifier.contains(':') {
            return Err(ResolveError::new("absolute paths and URLs cannot be imported; use a relative path or a package name"));
        }
        self.resolve_package(importer, specifier).map(Resolved::File)
    }

    fn file_or_dir(&self, base: &Path) -> Result<Option<PathBuf>, ResolveError> {
        self.file_or_dir_with(base, true)
    }

    /// `manifest`: whether a directory's package.json is read (not when it is the package whose
    /// entry is being looked up: `"main": "."` would loop).
    fn file_or_dir_with(&self, base: &Path, manifest: bool) -> Result<Option<PathBuf>, ResolveError> {
        let s = base.to_string_lossy();
        // TypeScript's ESM convention: `./x.js` names the source `./x.ts`.
        for (js, ts) in [(".js", ".ts"), (".mjs", ".mts"), (".jsx", ".tsx")] {
            if let Some(stem) = s.strip_suffix(js) {
                let cand = PathBuf::from(format!("{stem}{ts}"));
                if cand.is_file() {
                    return Ok(Some(cand));
                }
            }
        }
        if base.is_file() {
            return Ok(Some(base.to_path_buf()));
        }
        for ext in TRY_EXT {
            let cand = PathBuf::from(format!("{s}.{ext}"));
            if cand.is_file() {
                return Ok(Some(cand));
            }
        }
        if base.is_dir() {
            if let Some(p) = if manifest { self.package_entry(base, ".")? } else { None } {
                return Ok(Some(p));
            }
            for ext in TRY_EXT {
                let cand = base.join(format!("index.{ext}"));
                if cand.is_file() {
                    return Ok(Some(cand));
                }
            }
        }
        Ok(None)
    }

    fn resolve_package(&self, importer: &Path, spec: &str) -> Result<PathBuf, ResolveError> {
        let (name, sub) = split_package(spec);
        // As Node does: `.` and `..` segments could climb out of the package (or name another).
        let dots = |s: &str| s == "." || s == "..";
        if name.split('/').any(|s| s.is_empty() || dots(s)) || (!sub.is_empty() && sub.split('/').any(dots)) {
            return Err(ResolveError::new("a package specifier cannot have `.` or `..` segments").hint("import the package by its name and a subpath it exports; import project files with a relative path"));
        }
        let mut dir = importer.parent();
        while let Some(d) = dir {
            if !d.starts_with(&self.root) {
                break;
            }
            let pkg = d.join("node_modules").join(name);
            if pkg.is_dir() {
                let real = pkg.canonicalize().map_err(|e| ResolveError::new(format!("cannot read package `{name}`: {e}")))?;
                if !self.inside(&real) && !self.allow_symlinked_packages {
                    return Err(ResolveError::new(format!("package `{name}` (`{}`) is a symbolic link to a directory outside the project", rel_id(&self.root, &pkg))).hint(LINKED_HINT));
                }
                let subpath = if sub.is_empty() { ".".to_string() } else { format!("./{sub}") };
                if let Some(p) = self.package_entry(&pkg, &subpath)? {
                    return Ok(p);
                }
                if !sub.is_empty()
                    && let Some(p) = self.entry_file(&pkg, &format!("the subpath `{sub}`"), sub)?
                {
                    return Ok(p);
                }
                return Err(ResolveError::new(format!("package `{name}` has no entry for `{subpath}`")));
            }
            dir = d.parent();
        }
        Err(ResolveError::new(format!("package `{name}` is not installed (looked in node_modules up to the project root)")))
    }

    /// The file a package exposes at `subpath` (`.` or `./x`), from `exports`, `module` or `main`.
    fn package_entry(&self, pkg: &Path, subpath: &str) -> Result<Option<PathBuf>, ResolveError> {
        let Ok(text) = std::fs::read_to_string(pkg.join("package.json")) else { return Ok(None) };
        let Ok(json) = serde_json::from_str::<Value>(&text) else { return Ok(None) };
        let manifest = rel_id(&self.root, &pkg.join("package.json"));
        if let Some(exports) = json.get("exports") {
            let Some(target) = exports_target(exports, subpath) else { return Ok(None) };
            // Node: every `exports` target is a `./` path inside the package.
            if !target.starts_with("./") {
                return Err(ResolveError::new(format!("the `exports` of `{manifest}` map `{subpath}` to \"{target}\", which is not a `./` path inside the package")).hint(ENTRY_HINT));
            }
            return self.entry_file(pkg, &format!("the `exports` of `{manifest}` (\"{target}\")"), &target);
        }
        if subpath != "." {
            return Ok(None);
        }
        for field in ["module", "main"] {
            if let Some(m) = json.get(field).and_then(Value::as_str)
                && let Some(p) = self.entry_file(pkg, &format!("the `{field}` of `{manifest}` (\"{m}\")"), m)?
            {
                return Ok(Some(p));
            }
        }
        Ok(None)
    }

    /// The file `target` names in the package `pkg`, which must lie inside the package, by its
    /// path and after resolving symbolic links. `what` names the target in errors.
    fn entry_file(&self, pkg: &Path, what: &str, target: &str) -> Result<Option<PathBuf>, ResolveError> {
        let escape = || ResolveError::new(format!("{what} points outside the package")).hint(ENTRY_HINT);
        let (cand, pkg_dir) = (normalize(&pkg.join(target)), normalize(pkg));
        if !cand.starts_with(&pkg_dir) {
            return Err(escape());
        }
        let Some(file) = self.file_or_dir_with(&cand, cand != pkg_dir)? else { return Ok(None) };
        let (Ok(real), Ok(real_pkg)) = (file.canonicalize(), pkg.canonicalize()) else { return Ok(None) };
        if !real.starts_with(&real_pkg) {
            return Err(ResolveError::new(format!("{what} points outside the package through a symbolic link")).hint(ENTRY_HINT));
        }
        Ok(Some(file))
    }
}

/// The package directory (`…/node_modules/name` or `…/node_modules/@scope/name`) that `path`
/// lies in, by its path under `root`.
fn package_dir_of(root: &Path, path: &Path) -> Option<PathBuf> {
    let rel = path.strip_prefix(root).ok()?;
    let parts: Vec<_> = rel.components().collect();
    let at = parts.iter().rposition(|c| c.as_os_str() == "node_modules")?;
    let first = parts.get(at + 1)?;
    let len = if first.as_os_str().to_string_lossy().starts_with('@') { 2 } else { 1 };
    if parts.len() < at + 1 + len {
        return None;
    }
    Some(parts[..at + 1 + len].iter().fold(root.to_path_buf(), |p, c| p.join(c)))
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

fn split_package(spec: &str) -> (&str, &str) {
    let mut idx = spec.match_indices('/');
    let cut = if spec.starts_with('@') { idx.nth(1) } else { idx.next() };
    match cut {
        Some((i, _)) => (&spec[..i], &spec[i + 1..]),
        None => (spec, ""),
    }
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
        if let Some((pre, post)) = k.split_once('*')
            && let Some(mid) = subpath.strip_prefix(pre).and_then(|r| r.strip_suffix(post))
        {
            return conditions(v).map(|t| t.replace('*', mid));
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
        assert!(r("../../../etc/passwd").unwrap_err().message.contains("outside the project"));
        assert!(r("missing").unwrap_err().message.contains("not installed"));
        assert!(r("./nope.js").is_err());
    }

    fn link(target: &Path, root: &Path, at: &str) {
        let p = root.join(at);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }

    /// Every way out of the project that a file layout or a package can try, and what each
    /// resolves to (`Ok(id)`) or why it is refused (`Err(part of the message)`).
    #[test]
    fn escapes_are_refused() {
        let d = tempfile::tempdir().unwrap();
        let (root, out) = (&d.path().join("project"), &d.path().join("outside"));
        for f in ["x.ts", "dir/index.ts", "secret.ts", "linked-pkg/util.ts"] {
            write(out, f, "export default 1;");
        }
        write(out, "data.json", "{}");
        write(out, "linked-pkg/package.json", r#"{"main":"index.ts"}"#);
        write(out, "linked-pkg/index.ts", "");
        link(&out.join("secret.ts"), out, "linked-pkg/esc.ts");
        write(root, "endpoints/a/get.ts", "");
        write(root, "lib/real.ts", "");
        link(&out.join("x.ts"), root, "lib/link.ts");
        link(&out.join("dir"), root, "lib/linkdir");
        link(&out.join("data.json"), root, "lib/data.json");
        link(&root.join("lib/real.ts"), root, "lib/inner.ts");
        write(root, "lib/dirpkg/package.json", r#"{"main":"../../../outside/x.ts"}"#);
        let pkg = |name: &str, manifest: &str| write(root, &format!("node_modules/{name}/package.json"), manifest);
        pkg("okpkg", r#"{"main":"index.ts","exports":{".":"./index.ts","./*":"./*"}}"#);
        write(root, "node_modules/okpkg/index.ts", "");
        write(root, "node_modules/okpkg/sub/a.ts", "");
        pkg("plain", r#"{"main":"index.ts"}"#);
        write(root, "node_modules/plain/index.ts", "");
        pkg("evil-main", r#"{"main":"../../../outside/x.ts"}"#);
        pkg("evil-sibling", r#"{"main":"../okpkg/index.ts"}"#);
        pkg("evil-abs", &format!(r#"{{"main":{:?}}}"#, out.join("x.ts")));
        pkg("evil-exports", r#"{"exports":{".":"../../../outside/x.ts"}}"#);
        pkg("evil-exports-dot", r#"{"exports":{".":"./../../../outside/x.ts"}}"#);
        pkg("evil-pattern", r#"{"exports":{"./*":"./*"}}"#);
        pkg("sym-main", r#"{"main":"main.ts"}"#);
        link(&out.join("x.ts"), root, "node_modules/sym-main/main.ts");
        pkg("main-dot", r#"{"main":"."}"#);
        write(root, "node_modules/main-dot/index.js", "");
        link(out.join("linked-pkg").as_path(), root, "node_modules/linked");
        link(out.join("linked-pkg").as_path(), root, "node_modules/@sc/linked");
        write(root, "vendor/inner/package.json", r#"{"main":"index.ts"}"#);
        write(root, "vendor/inner/index.ts", "");
        link(&root.join("vendor/inner"), root, "node_modules/inner-link");

        let ep = root.join("endpoints/a/get.ts");
        let in_linked = root.join("node_modules/linked/index.ts");
        let builtin = |_: &str| None;
        let strict = Confinement::new(root, false);
        let linked = Confinement::new(root, true);
        type Case<'a> = (&'a Confinement, &'a Path, &'a str, Result<&'a str, &'a str>);
        let cases: &[Case] = &[
            // Files inside the project, also through symbolic links that stay inside.
            (&strict, &ep, "../../lib/real.ts", Ok("lib/real.ts")),
            (&strict, &ep, "../../lib/inner.ts", Ok("lib/inner.ts")),
            (&strict, &ep, "okpkg", Ok("node_modules/okpkg/index.ts")),
            (&strict, &ep, "okpkg/sub/a.ts", Ok("node_modules/okpkg/sub/a.ts")),
            (&strict, &ep, "inner-link", Ok("node_modules/inner-link/index.ts")),
            (&strict, &ep, "main-dot", Ok("node_modules/main-dot/index.js")),
            // Symbolic links out of the project: a file, a directory, a .json file.
            (&strict, &ep, "../../lib/link.ts", Err("`lib/link.ts` leads outside the project directory through a symbolic link")),
            (&strict, &ep, "../../lib/link.js", Err("`lib/link.ts` leads outside")),
            (&strict, &ep, "../../lib/linkdir", Err("`lib/linkdir/index.ts` leads outside")),
            (&strict, &ep, "../../lib/linkdir/index.ts", Err("`lib/linkdir/index.ts` leads outside")),
            (&strict, &ep, "../../lib/data.json", Err("`lib/data.json` leads outside")),
            (&strict, &ep, "../../../outside/x.ts", Err("resolves outside the project directory")),
            // A package whose entry points above the package.
            (&strict, &ep, "evil-main", Err("the `main` of `node_modules/evil-main/package.json` (\"../../../outside/x.ts\") points outside the package")),
            (&strict, &ep, "evil-sibling", Err("points outside the package")),
            (&strict, &ep, "evil-abs", Err("points outside the package")),
            (&strict, &ep, "evil-exports", Err("which is not a `./` path inside the package")),
            (&strict, &ep, "evil-exports-dot", Err("the `exports` of `node_modules/evil-exports-dot/package.json` (\"./../../../outside/x.ts\") points outside the package")),
            (&strict, &ep, "sym-main", Err("points outside the package through a symbolic link")),
            (&strict, &ep, "../../lib/dirpkg", Err("the `main` of `lib/dirpkg/package.json`")),
            // `..` in a bare specifier's subpath or name.
            (&strict, &ep, "okpkg/../../../outside/x.ts", Err("cannot have `.` or `..` segments")),
            (&strict, &ep, "okpkg/../plain", Err("cannot have `.` or `..` segments")),
            (&strict, &ep, "evil-pattern/../../../../outside/x.ts", Err("cannot have `.` or `..` segments")),
            (&strict, &ep, "okpkg/./index.ts", Err("cannot have `.` or `..` segments")),
            (&strict, &ep, "@sc/../okpkg", Err("cannot have `.` or `..` segments")),
            // Packages linked from outside the project: refused unless allowed.
            (&strict, &ep, "linked", Err("package `linked` (`node_modules/linked`) is a symbolic link to a directory outside the project")),
            (&strict, &ep, "@sc/linked", Err("package `@sc/linked`")),
            (&strict, &in_linked, "./util.ts", Err("`node_modules/linked/util.ts` is in a package that is a symbolic link")),
            (&linked, &ep, "linked", Ok("node_modules/linked/index.ts")),
            (&linked, &ep, "@sc/linked", Ok("node_modules/@sc/linked/index.ts")),
            (&linked, &ep, "linked/util.ts", Ok("node_modules/linked/util.ts")),
            (&linked, &in_linked, "./util.ts", Ok("node_modules/linked/util.ts")),
            // ... and even then nothing outside that package's own directory.
            (&linked, &in_linked, "./esc.ts", Err("`node_modules/linked/esc.ts` leads outside")),
            (&linked, &ep, "linked/esc.ts", Err("the subpath `esc.ts` points outside the package through a symbolic link")),
            (&linked, &ep, "../../lib/link.ts", Err("`lib/link.ts` leads outside")),
            (&linked, &ep, "evil-main", Err("points outside the package")),
        ];
        let mut failures = Vec::new();
        for (i, (conf, importer, spec, want)) in cases.iter().enumerate() {
            let got = conf.resolve(importer, spec, &builtin);
            let ok = match (&got, want) {
                (Ok(Resolved::File(f)), Ok(id)) => rel_id(root, f) == *id,
                (Err(e), Err(part)) => e.message.contains(part) && e.hint.is_some(),
                _ => false,
            };
            if !ok {
                failures.push(format!("case {i}: {spec} from {}: want {want:?}, got {got:?}", rel_id(root, importer)));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }
}
