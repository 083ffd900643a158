//! File-based routing (routing.md): `endpoints/posts/[id]/get.ts` → `GET /posts/:id`.
//!
//! Rules beyond the spec, documented in docs/routing.md:
//! - files and directories whose name starts with `_` are private helpers, not routes;
//! - `.d.ts` files are ignored; any other file under `endpoints/` must be a method file;
//! - symbolic links are followed only while they stay inside the project (a link out is an
//!   error naming it), and a directory is not walked again inside itself.

use std::path::{Path, PathBuf};

use crate::{ProjectError, rel_id, resolve::Confinement};

pub const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];
pub const EXTENSIONS: [&str; 4] = ["ts", "mts", "js", "mjs"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// Upper-case HTTP method.
    pub method: String,
    /// Display form, `/posts/:id`.
    pub path: String,
    /// Router form, `/posts/{id}` (matchit syntax).
    pub pattern: String,
    pub params: Vec<String>,
    /// Module id of the method file, e.g. `endpoints/posts/[id]/get.ts`.
    pub file: String,
}

fn is_private(name: &str) -> bool {
    name.starts_with('_') || name.starts_with('.')
}

/// Walks `endpoints/` and returns the routes sorted by path then method, or every problem found.
pub fn discover(root: &Path) -> Result<Vec<Route>, Vec<ProjectError>> {
    let mut routes = Vec::new();
    let mut errors = Vec::new();
    let dir = root.join("endpoints");
    let confine = Confinement::new(root, false);
    if let Err(why) = confine.check_link(&dir) {
        errors.push(why.about("endpoints"));
    } else if dir.is_dir() {
        let mut walk = Walk { root, confine: &confine, stack: Vec::new(), routes: &mut routes, errors: &mut errors };
        walk.dir(&dir, &mut Vec::new());
    }
    // Two files for one route: `[id]/get.ts` and `[slug]/get.ts`, or `get.ts` beside `get.js`.
    routes.sort_by(|a: &Route, b| (&a.path, &a.method, &a.file).cmp(&(&b.path, &b.method, &b.file)));
    let normal = |r: &Route| {
        let shape: Vec<&str> = r.pattern.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect();
        (shape.join("/"), r.method.clone())
    };
    for pair in routes.windows(2) {
        if normal(&pair[0]) == normal(&pair[1]) {
            errors.push(ProjectError::new(&pair[1].file, format!("{} {} is also defined by {}", pair[1].method, pair[1].path, pair[0].file)).hint("one route, one file: delete or rename one of them"));
        }
    }
    if errors.is_empty() { Ok(routes) } else { Err(errors) }
}

struct Walk<'a> {
    root: &'a Path,
    confine: &'a Confinement,
    /// The real paths of the directories being walked (a link to one of them is not followed).
    stack: Vec<PathBuf>,
    routes: &'a mut Vec<Route>,
    errors: &'a mut Vec<ProjectError>,
}

impl Walk<'_> {
    fn dir(&mut self, dir: &Path, segments: &mut Vec<String>) {
        let Ok(real) = dir.canonicalize() else { return };
        if self.stack.contains(&real) {
            return;
        }
        self.stack.push(real);
        walk(self, dir, segments);
        self.stack.pop();
    }
}

fn walk(w: &mut Walk<'_>, dir: &Path, segments: &mut Vec<String>) {
    let root = w.root;
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => {
            w.errors.push(ProjectError::new(rel_id(root, dir), format!("cannot read directory: {e}")));
            return;
        }
    };
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name().to_string_lossy().into_owned();
        let path = entry.path();
        if is_private(&name) {
            continue;
        }
        if entry.file_type().is_ok_and(|t| t.is_symlink())
            && let Err(why) = w.confine.check_link(&path)
        {
            w.errors.push(why.about(rel_id(root, &path)));
            continue;
        }
        if path.is_dir() {
            if name == "node_modules" {
                continue;
            }
            let seg = match parse_segment(&name) {
                Ok(s) => s,
                Err(msg) => {
                    w.errors.push(ProjectError::new(rel_id(root, &path), msg).hint("use a plain name like `posts` or a parameter like `[id]`"));
                    continue;
                }
            };
            segments.push(seg);
            w.dir(&path, segments);
            segments.pop();
            continue;
        }
        if name.ends_with(".d.ts") {
            continue;
        }
        let file = rel_id(root, &path);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        if !EXTENSIONS.contains(&ext) || !METHODS.contains(&stem) {
            w.errors.push(
                ProjectError::new(&file, "not a method file: files under endpoints/ are named after their HTTP method")
                    .hint("name it get.ts, post.ts, put.ts, patch.ts or delete.ts; put shared code in a `_lib/` folder or outside endpoints/"),
            );
            continue;
        }
        let mut params = Vec::new();
        let mut path_s = String::new();
        let mut pattern = String::new();
        for s in segments.iter() {
            if let Some(p) = s.strip_prefix(':') {
                params.push(p.to_string());
                path_s.push_str(&format!("/:{p}"));
                pattern.push_str(&format!("/{{{p}}}"));
            } else {
                path_s.push('/');
                path_s.push_str(s);
                pattern.push('/');
                pattern.push_str(s);
            }
        }
        if path_s.is_empty() {
            path_s.push('/');
            pattern.push('/');
        }
        if let Some(dup) = params.iter().enumerate().find(|(i, p)| params[..*i].contains(p)) {
            w.errors.push(ProjectError::new(&file, format!("the parameter [{}] appears twice in this path", dup.1)));
            continue;
        }
        w.routes.push(Route { method: stem.to_ascii_uppercase(), path: path_s, pattern, params, file });
    }
}

fn parse_segment(name: &str) -> Result<String, String> {
    if let Some(inner) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        let ok = !inner.is_empty() && inner.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_') && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        return if ok { Ok(format!(":{inner}")) } else { Err(format!("`{name}` is not a valid parameter name")) };
    }
    if name.contains(['[', ']', '{', '}', ':', '*', '?', '#', '%']) || name.contains(char::is_whitespace) {
        return Err(format!("`{name}` cannot be part of a URL path"));
    }
    Ok(name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project(files: &[&str]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for f in files {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, "export default 1;").unwrap();
        }
        dir
    }

    #[test]
    fn routing_md_table() {
        let d = project(&["endpoints/hello/get.ts", "endpoints/items/post.ts", "endpoints/posts/[id]/get.ts", "endpoints/posts/[id]/patch.ts", "endpoints/rooms/[id]/sessions/post.ts", "endpoints/_lib/helpers.ts", "endpoints/types.d.ts"]);
        let r = discover(d.path()).unwrap();
        let got: Vec<_> = r.iter().map(|r| format!("{} {} {}", r.method, r.path, r.file)).collect();
        assert_eq!(
            got,
            [
                "GET /hello endpoints/hello/get.ts",
                "POST /items endpoints/items/post.ts",
                "GET /posts/:id endpoints/posts/[id]/get.ts",
                "PATCH /posts/:id endpoints/posts/[id]/patch.ts",
                "POST /rooms/:id/sessions endpoints/rooms/[id]/sessions/post.ts",
            ]
        );
        assert_eq!(r[2].pattern, "/posts/{id}");
        assert_eq!(r[4].params, ["id"]);
    }

    #[test]
    fn project_errors_name_the_file() {
        let d = project(&["endpoints/a/[id]/get.ts", "endpoints/a/[slug]/get.ts", "endpoints/b/index.ts", "endpoints/c/get.ts", "endpoints/c/get.js", "endpoints/[x-y]/get.ts"]);
        let e = discover(d.path()).unwrap_err();
        let msgs: Vec<_> = e.iter().map(|e| format!("{}: {}", e.file, e.message)).collect();
        assert!(msgs.iter().any(|m| m.starts_with("endpoints/a/[slug]/get.ts: GET /a/:slug is also defined by endpoints/a/[id]/get.ts")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("endpoints/b/index.ts: not a method file")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("endpoints/c/get.ts: GET /c is also defined by endpoints/c/get.js")), "{msgs:?}");
        assert!(msgs.iter().any(|m| m.starts_with("endpoints/[x-y]: `[x-y]` is not a valid parameter name")), "{msgs:?}");
    }

    fn link(target: &Path, root: &Path, at: &str) {
        let p = root.join(at);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::os::unix::fs::symlink(target, p).unwrap();
    }

    #[test]
    fn symlinks_out_of_the_project_are_not_followed() {
        let d = tempfile::tempdir().unwrap();
        let (root, out) = (&d.path().join("project"), &d.path().join("outside"));
        std::fs::create_dir_all(root.join("lib/ep")).unwrap();
        std::fs::write(root.join("lib/ep/get.ts"), "export default 1;").unwrap();
        std::fs::create_dir_all(out.join("api")).unwrap();
        std::fs::write(out.join("secret"), "root:x:0:0").unwrap();
        std::fs::write(out.join("api/get.ts"), "export default 1;").unwrap();
        link(&out.join("secret"), root, "endpoints/passwd/get.ts");
        link(&out.join("api"), root, "endpoints/linked");
        link(&root.join("lib/ep"), root, "endpoints/inside");
        link(&root.join("endpoints"), root, "endpoints/loop");
        link(&out.join("missing.ts"), root, "endpoints/dangling/get.ts");
        let e = discover(root).unwrap_err();
        let msgs: Vec<_> = e.iter().map(|e| format!("{}: {} ({})", e.file, e.message, e.hint.as_deref().unwrap_or(""))).collect();
        let want = ["endpoints/linked: leads outside the project directory through a symbolic link", "endpoints/passwd/get.ts: leads outside the project directory through a symbolic link"];
        for w in want {
            assert!(msgs.iter().any(|m| m.starts_with(w) && m.contains("copy the file into the project")), "{w}: {msgs:?}");
        }
        assert_eq!(msgs.len(), 2, "{msgs:?}");
        // The links that stay inside are followed; `loop` (a link to an ancestor) is not walked
        // into itself. A dangling link is left to the compiler, which reports it unreadable.
        std::fs::remove_file(root.join("endpoints/passwd/get.ts")).unwrap();
        std::fs::remove_file(root.join("endpoints/linked")).unwrap();
        let r = discover(root).unwrap();
        let got: Vec<_> = r.iter().map(|r| format!("{} {}", r.path, r.file)).collect();
        assert_eq!(got, ["/dangling endpoints/dangling/get.ts", "/inside endpoints/inside/get.ts"]);
        // `endpoints` itself linked out of the project.
        let other = d.path().join("other");
        std::fs::create_dir_all(&other).unwrap();
        link(&out.join("api"), &other, "endpoints");
        let e = discover(&other).unwrap_err();
        assert_eq!(e[0].to_string().lines().next().unwrap(), "endpoints: leads outside the project directory through a symbolic link");
    }
}
