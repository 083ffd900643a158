//! The module graph of a project: every entry file, compiled, with each import resolved.
//!
//! Entries are the method files under `endpoints/`, every file under `workers/`, `jobs/`,
//! `hooks/`, `webhooks/`, and `db/schema.ts`. Middleware files are loaded when an endpoint
//! imports them (the spec attaches middleware per endpoint). The engine loads modules from this
//! graph only: it never touches the filesystem, and a reload swaps one immutable graph for
//! another. Compiled files are cached by (path, mtime, size), so a reload recompiles only what
//! changed.
//!
//! Every file of the graph lies inside the project once symbolic links are resolved
//! ([`Confinement`]): an entry file or directory that links outside is an error, and so is an
//! import that leads outside.

use std::{
    collections::{BTreeMap, HashMap, VecDeque},
    path::{Path, PathBuf},
    sync::Arc,
    time::SystemTime,
};

use crate::{
    ProjectError, ProjectErrors,
    config::ImportSettings,
    rel_id,
    resolve::{Confinement, Resolved},
    routes::{self, Route},
};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dep {
    /// Another module of the graph, by id.
    Module(String),
    /// A module the engine provides (`@palbase/backend`, `zod`, `node:*`).
    Builtin(String),
}

#[derive(Debug)]
pub struct Module {
    /// Path relative to the project root with `/` separators, e.g. `endpoints/hello/get.ts`.
    pub id: String,
    /// ES module JavaScript.
    pub code: String,
    /// Import specifier → what it resolved to.
    pub deps: BTreeMap<String, Dep>,
    /// Positions in `code` → positions in the file (for errors that JavaScript reports).
    pub positions: palbase_ts::PositionMap,
}

/// One immutable snapshot of the project, ready to load into engines.
#[derive(Debug, Default)]
pub struct ProjectGraph {
    pub routes: Vec<Route>,
    /// `workers/`, `jobs/`, `hooks/`, `webhooks/` files, in [`crate::kinds::KINDS`] order.
    pub background: Vec<crate::kinds::BackgroundFile>,
    pub schema: Option<String>,
    pub modules: HashMap<String, Arc<Module>>,
}

/// Names the engine's built-in module for a specifier (`node:path` → its id), if any.
type Builtin = Box<dyn Fn(&str) -> Option<String> + Send + Sync>;

type Cached = (SystemTime, u64, Arc<Result<palbase_ts::Compiled, Vec<palbase_ts::Diagnostic>>>);

/// Builds [`ProjectGraph`]s for one project root, caching compiled files between builds.
pub struct Compiler {
    root: PathBuf,
    builtin: Builtin,
    cache: HashMap<PathBuf, Cached>,
    /// Rebuilt by every build (the root may move, `palbase.toml` may change).
    confine: Confinement,
}

/// `[imports]` of `palbase.toml` (defaults when the file is absent or unreadable: the
/// settings loader reports its errors).
fn import_settings(root: &Path) -> ImportSettings {
    #[derive(serde::Deserialize, Default)]
    struct Only {
        #[serde(default)]
        imports: ImportSettings,
    }
    std::fs::read_to_string(root.join("palbase.toml")).ok().and_then(|t| toml::from_str::<Only>(&t).ok()).unwrap_or_default().imports
}

impl Compiler {
    pub fn new(root: impl Into<PathBuf>, builtin: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        let root = root.into();
        let confine = Confinement::new(&root, false);
        Self { root, builtin: Box::new(builtin), cache: HashMap::new(), confine }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn build(&mut self) -> Result<ProjectGraph, ProjectErrors> {
        let root = self.root.clone();
        self.confine = Confinement::new(&root, import_settings(&root).allow_symlinked_packages);
        let mut errors = Vec::new();
        let routes = routes::discover(&root).unwrap_or_else(|e| {
            errors.extend(e);
            Vec::new()
        });
        let mut g = ProjectGraph { routes, ..Default::default() };
        for k in &crate::kinds::KINDS {
            for file in entry_files(&self.confine, &root, k.dir, &mut errors) {
                g.background.push(crate::kinds::BackgroundFile { kind: k.kind, file });
            }
        }
        let schema = root.join("db/schema.ts");
        g.schema = schema.is_file().then(|| "db/schema.ts".to_string());

        let mut queue: VecDeque<PathBuf> = VecDeque::new();
        for id in g.routes.iter().map(|r| &r.file).chain(g.background.iter().map(|b| &b.file)).chain(&g.schema) {
            let path = root.join(id);
            // An entry file that is (or lies in a directory that is) a link out of the project.
            match self.confine.check_link(&path) {
                Ok(()) => queue.push_back(path),
                Err(e) => errors.push(e.about(id.as_str())),
            }
        }
        while let Some(path) = queue.pop_front() {
            let id = rel_id(&root, &path);
            if g.modules.contains_key(&id) {
                continue;
            }
            match self.module(&path, &id) {
                Ok((module, next)) => {
                    queue.extend(next);
                    g.modules.insert(id, Arc::new(module));
                }
                Err(e) => {
                    errors.extend(e);
                    // Record a placeholder so the file is reported once.
                    g.modules.insert(id.clone(), Arc::new(Module { id, code: String::new(), deps: BTreeMap::new(), positions: Default::default() }));
                }
            }
        }
        if errors.is_empty() { Ok(g) } else { Err(ProjectErrors(errors)) }
    }

    fn compiled(&mut self, path: &Path) -> Result<Arc<Result<palbase_ts::Compiled, Vec<palbase_ts::Diagnostic>>>, String> {
        let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
        let stamp = (meta.modified().unwrap_or(SystemTime::UNIX_EPOCH), meta.len());
        if let Some((m, l, c)) = self.cache.get(path)
            && (*m, *l) == stamp
        {
            return Ok(c.clone());
        }
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let name = path.to_string_lossy();
        let out = Arc::new(if name.ends_with(".json") {
            serde_json::from_str::<serde_json::Value>(&text)
                .map(|v| palbase_ts::Compiled { code: format!("export default {v};"), positions: Default::default(), imports: vec![], commonjs: None })
                .map_err(|e| vec![palbase_ts::Diagnostic { message: e.to_string(), line: e.line() as u32, column: e.column() as u32, help: None }])
        } else {
            palbase_ts::compile(&name, &text)
        });
        self.cache.insert(path.to_path_buf(), (stamp.0, stamp.1, out.clone()));
        Ok(out)
    }

    fn module(&mut self, path: &Path, id: &str) -> Result<(Module, Vec<PathBuf>), Vec<ProjectError>> {
        let compiled = self.compiled(path).map_err(|e| vec![ProjectError::new(id, format!("cannot read: {e}"))])?;
        let compiled = match compiled.as_ref() {
            Ok(c) => c,
            Err(diags) => {
                return Err(diags
                    .iter()
                    .map(|d| {
                        let e = ProjectError::new(id, &d.message).at(d.line, d.column);
                        match &d.help {
                            Some(h) => e.hint(h),
                            None => e,
                        }
                    })
                    .collect());
            }
        };
        let mut deps = BTreeMap::new();
        let mut next = Vec::new();
        let mut errors = Vec::new();
        let (imports, strict) = match &compiled.commonjs {
            Some(cjs) => (&cjs.requires, false),
            None => (&compiled.imports, true),
        };
        for imp in imports {
            match self.confine.resolve(path, &imp.specifier, &*self.builtin) {
                Ok(Resolved::Builtin(b)) => {
                    deps.insert(imp.specifier.clone(), Dep::Builtin(b));
                }
                Ok(Resolved::File(f)) => {
                    deps.insert(imp.specifier.clone(), Dep::Module(rel_id(&self.root, &f)));
                    next.push(f);
                }
                // A `require` that cannot be resolved may sit behind a try/catch (optional
                // dependencies); it throws when called instead.
                Err(_) if !strict => {}
                Err(why) => errors.push(ProjectError::new(id, format!("cannot resolve import \"{}\": {}", imp.specifier, why.message)).at(imp.line, imp.column).hint(why.hint.unwrap_or_else(|| {
                    if imp.specifier.starts_with('.') { "check the path; relative imports name the file with a .js (or .ts) extension".into() } else { "install the package in the project (npm install), or fix the name".into() }
                }))),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let code = match &compiled.commonjs {
            Some(cjs) => commonjs_wrapper(id, &compiled.code, &deps, &cjs.exports),
            None => compiled.code.clone(),
        };
        let positions = if compiled.commonjs.is_some() { Default::default() } else { compiled.positions.clone() };
        Ok((Module { id: id.to_string(), code, deps, positions }, next))
    }
}

/// Loads a CommonJS file as an ES module. Every literal `require` was resolved ahead of time
/// and becomes a static import; `require` looks them up.
fn commonjs_wrapper(id: &str, source: &str, deps: &BTreeMap<String, Dep>, exports: &[String]) -> String {
    let mut out = String::with_capacity(source.len() + 512);
    let mut table = String::new();
    for (i, spec) in deps.keys().enumerate() {
        let s = serde_json::to_string(spec).unwrap_or_default();
        out.push_str(&format!("import * as __pb_r{i} from {s};\n"));
        table.push_str(&format!("{s}: __pb_r{i},"));
    }
    let dir = id.rsplit_once('/').map_or("", |(d, _)| d);
    out.push_str(&format!(
        "const __pb_mods = {{{table}}};\n\
         const module = {{ exports: {{}} }};\n\
         const require = (s) => {{ const m = __pb_mods[s]; if (m === undefined) throw new Error(`Cannot require \"${{s}}\" from {id}: only literal require() calls of files and installed packages work in Palbase`); return m.__pb_cjs ? m.default : m; }};\n\
         (function (exports, require, module, __filename, __dirname) {{\n{source}\n}}).call(module.exports, module.exports, require, module, {f}, {d});\n\
         export default module.exports;\nexport const __pb_cjs = true;\n",
        f = serde_json::to_string(id).unwrap_or_default(),
        d = serde_json::to_string(dir).unwrap_or_default(),
    ));
    for (i, name) in exports.iter().enumerate() {
        if name == "__pb_cjs" {
            continue;
        }
        out.push_str(&format!("const __pb_x{i} = module.exports[{n}];\nexport {{ __pb_x{i} as {name} }};\n", n = serde_json::to_string(name).unwrap_or_default()));
    }
    out
}

/// Source files under `dir` (recursive), skipping `_`-prefixed names and `.d.ts`. Symbolic
/// links are followed only while they stay inside the project (a link out is an error), and a
/// directory is not walked again inside itself (a link to an ancestor).
fn entry_files(confine: &Confinement, root: &Path, dir: &str, errors: &mut Vec<ProjectError>) -> Vec<String> {
    fn walk(confine: &Confinement, root: &Path, d: &Path, stack: &mut Vec<PathBuf>, out: &mut Vec<String>, errors: &mut Vec<ProjectError>) {
        let Ok(real) = d.canonicalize() else { return };
        if stack.contains(&real) {
            return;
        }
        let Ok(rd) = std::fs::read_dir(d) else { return };
        stack.push(real);
        let mut entries: Vec<_> = rd.filter_map(Result::ok).collect();
        entries.sort_by_key(|e| e.file_name());
        for e in entries {
            let name = e.file_name().to_string_lossy().into_owned();
            if name.starts_with('_') || name.starts_with('.') || name == "node_modules" {
                continue;
            }
            let p = e.path();
            if e.file_type().is_ok_and(|t| t.is_symlink())
                && let Err(why) = confine.check_link(&p)
            {
                errors.push(why.about(rel_id(root, &p)));
                continue;
            }
            if p.is_dir() {
                walk(confine, root, &p, stack, out, errors);
            } else if !name.ends_with(".d.ts") && routes::EXTENSIONS.iter().any(|x| name.ends_with(&format!(".{x}"))) {
                out.push(rel_id(root, &p));
            }
        }
        stack.pop();
    }
    let mut out = Vec::new();
    let d = root.join(dir);
    if let Err(why) = confine.check_link(&d) {
        errors.push(why.about(dir));
        return out;
    }
    walk(confine, root, &d, &mut Vec::new(), &mut out, errors);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(root: &Path, file: &str, text: &str) {
        let p = root.join(file);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn builtin(s: &str) -> Option<String> {
        matches!(s, "@palbase/backend" | "zod").then(|| s.to_string())
    }

    #[test]
    fn builds_graph_and_reports_bad_imports_with_position() {
        let d = tempfile::tempdir().unwrap();
        let root = d.path();
        write(
            root,
            "endpoints/a/get.ts",
            "import { defineEndpoint } from '@palbase/backend';\nimport schema from '../../db/schema.js';\nimport cjs, { one } from 'cjs';\nexport default defineEndpoint({ method: 'GET', handler: async () => [schema, cjs, one] });\n",
        );
        write(root, "db/schema.ts", "export default { tables: {} } as const;\n");
        write(root, "node_modules/cjs/package.json", "{\"main\":\"index.js\"}");
        write(root, "node_modules/cjs/index.js", "const d = require('./dep');\nexports.one = d + 1;\n");
        write(root, "node_modules/cjs/dep.js", "module.exports = 41;\n");
        write(root, "workers/w.ts", "export default 1;\n");
        let mut c = Compiler::new(root, builtin);
        let g = c.build().unwrap();
        assert_eq!(g.background, [crate::kinds::BackgroundFile { kind: crate::kinds::Kind::Worker, file: "workers/w.ts".into() }]);
        assert_eq!(g.schema.as_deref(), Some("db/schema.ts"));
        let ep = &g.modules["endpoints/a/get.ts"];
        assert_eq!(ep.deps["../../db/schema.js"], Dep::Module("db/schema.ts".into()));
        assert_eq!(ep.deps["@palbase/backend"], Dep::Builtin("@palbase/backend".into()));
        let cjs = &g.modules["node_modules/cjs/index.js"];
        assert!(cjs.code.contains("export { __pb_x0 as one }"), "{}", cjs.code);
        assert!(g.modules.contains_key("node_modules/cjs/dep.js"));

        write(root, "endpoints/b/post.ts", "import x from './missing.js';\nexport default x;\n");
        let e = c.build().unwrap_err();
        assert_eq!(e.0.len(), 1);
        assert_eq!(e.0[0].to_string().lines().next().unwrap(), "endpoints/b/post.ts:1:15: cannot resolve import \"./missing.js\": no such file");
    }

    fn link(target: &Path, root: &Path, at: &str) {
        let p = root.join(at);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }

    /// Each way a project's files can lead out of it, and the one error it gives (file, message,
    /// hint), with the project otherwise fine.
    #[test]
    fn files_outside_the_project_are_never_compiled() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("outside");
        write(&out, "x.ts", "export default 'outside';\n");
        write(&out, "dir/w.ts", "export default 'outside';\n");
        write(&out, "db/schema.ts", "export default { tables: {} };\n");
        write(&out, "data.json", "{\"secret\": true}\n");
        write(&out, "pkg/package.json", "{\"main\":\"index.js\"}");
        write(&out, "pkg/index.js", "export default 'linked';\n");
        let ok = "import { defineEndpoint } from '@palbase/backend';\nexport default defineEndpoint({ method: 'GET', handler: async () => 1 });\n";
        let importing = |spec: &str| format!("import x from '{spec}';\nexport default x;\n");
        type Setup = fn(&Path, &Path);
        let cases: &[(&str, Setup, &str, &str)] = &[
            ("method file", |root, out| link(&out.join("x.ts"), root, "endpoints/p/get.ts"), "endpoints/p/get.ts: leads outside the project directory through a symbolic link", "copy the file"),
            ("endpoint directory", |root, out| link(&out.join("dir"), root, "endpoints/p"), "endpoints/p: leads outside", "copy the file"),
            ("worker file", |root, out| link(&out.join("x.ts"), root, "workers/w.ts"), "workers/w.ts: leads outside", "copy the file"),
            ("workers directory", |root, out| link(&out.join("dir"), root, "workers"), "workers: leads outside", "copy the file"),
            ("job in a linked directory", |root, out| link(&out.join("dir"), root, "jobs/nested"), "jobs/nested: leads outside", "copy the file"),
            ("db/schema.ts", |root, out| link(&out.join("x.ts"), root, "db/schema.ts"), "db/schema.ts: leads outside", "copy the file"),
            ("db directory", |root, out| link(&out.join("db"), root, "db"), "db/schema.ts: leads outside", "copy the file"),
            ("helper", |root, out| link(&out.join("x.ts"), root, "lib/h.ts"), "endpoints/a/get.ts:1:15: cannot resolve import \"../../lib/h.js\": `lib/h.ts` leads outside the project directory through a symbolic link", "copy the file"),
            ("json", |root, out| link(&out.join("data.json"), root, "lib/h.json"), "endpoints/a/get.ts:1:15: cannot resolve import \"../../lib/h.json\": `lib/h.json` leads outside", "copy the file"),
            (
                "main above the package",
                |root, _| write(root, "node_modules/h/package.json", "{\"main\":\"../../../outside/x.ts\"}"),
                "endpoints/a/get.ts:1:15: cannot resolve import \"h\": the `main` of `node_modules/h/package.json` (\"../../../outside/x.ts\") points outside the package",
                "reinstall or fix the package",
            ),
            (
                "linked package",
                |root, out| link(&out.join("pkg"), root, "node_modules/h"),
                "endpoints/a/get.ts:1:15: cannot resolve import \"h\": package `h` (`node_modules/h`) is a symbolic link to a directory outside the project",
                "allow_symlinked_packages = true",
            ),
        ];
        for (i, (what, setup, want, hint)) in cases.iter().enumerate() {
            let root = d.path().join(format!("p{i}"));
            write(&root, "endpoints/ok/get.ts", ok);
            let spec = match *what {
                "helper" => "../../lib/h.js",
                "json" => "../../lib/h.json",
                _ => "h",
            };
            if ["helper", "json", "main above the package", "linked package"].contains(what) {
                write(&root, "endpoints/a/get.ts", &importing(spec));
            }
            setup(&root, &out);
            let got = Compiler::new(&root, builtin).build();
            let e = got.unwrap_err();
            assert_eq!(e.0.len(), 1, "{what}: {e}");
            let text = e.0[0].to_string();
            assert!(text.starts_with(want), "{what}: {text}");
            assert!(e.0[0].hint.as_deref().is_some_and(|h| h.contains(hint)), "{what}: {text}");
        }
    }

    #[test]
    fn linked_packages_load_when_allowed() {
        let d = tempfile::tempdir().unwrap();
        let (root, out) = (d.path().join("project"), d.path().join("outside"));
        write(&out, "pkg/package.json", "{\"main\":\"index.js\"}");
        write(&out, "pkg/index.js", "import u from './util.js';\nexport default u;\n");
        write(&out, "pkg/util.js", "export default 'linked';\n");
        link(&out.join("pkg"), &root, "node_modules/h");
        write(&root, "endpoints/a/get.ts", "import x from 'h';\nexport default x;\n");
        let mut c = Compiler::new(&root, builtin);
        assert!(c.build().unwrap_err().to_string().contains("is a symbolic link to a directory outside the project"));
        write(&root, "palbase.toml", "[imports]\nallow_symlinked_packages = true\n");
        let g = c.build().unwrap();
        assert_eq!(g.modules["endpoints/a/get.ts"].deps["h"], Dep::Module("node_modules/h/index.js".into()));
        assert_eq!(g.modules["node_modules/h/index.js"].deps["./util.js"], Dep::Module("node_modules/h/util.js".into()));
    }
}
