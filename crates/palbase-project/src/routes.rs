//! File-based routing (routing.md): `endpoints/posts/[id]/get.ts` → `GET /posts/:id`.
//!
//! Rules beyond the spec, documented in docs/routing.md:
//! - files and directories whose name starts with `_` are private helpers, not routes;
//! - `.d.ts` files are ignored; any other file under `endpoints/` must be a method file.

use std::path::Path;

use crate::{ProjectError, rel_id};

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
    if dir.is_dir() {
        walk(root, &dir, &mut Vec::new(), &mut routes, &mut errors);
    }
    // Two files for one route: `[id]/get.ts` and `[slug]/get.ts`, or `get.ts` beside `get.js`.
    routes.sort_by(|a: &Route, b| (&a.path, &a.method, &a.file).cmp(&(&b.path, &b.method, &b.file)));
    let normal = |r: &Route| {
        let shape: Vec<&str> = r.pattern.split('/').map(|s| if s.starts_with('{') { "{}" } else { s }).collect();
        (shape.join("/"), r.method.clone())
    };
    for pair in routes.windows(2) {
        if normal(&pair[0]) == normal(&pair[1]) {
            errors.push(
                ProjectError::new(&pair[1].file, format!("{} {} is also defined by {}", pair[1].method, pair[1].path, pair[0].file))
                    .hint("one route, one file: delete or rename one of them"),
            );
        }
    }
    if errors.is_empty() { Ok(routes) } else { Err(errors) }
}

fn walk(root: &Path, dir: &Path, segments: &mut Vec<String>, routes: &mut Vec<Route>, errors: &mut Vec<ProjectError>) {
    let mut entries: Vec<_> = match std::fs::read_dir(dir) {
        Ok(rd) => rd.filter_map(Result::ok).collect(),
        Err(e) => {
            errors.push(ProjectError::new(rel_id(root, dir), format!("cannot read directory: {e}")));
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
        if path.is_dir() {
            if name == "node_modules" {
                continue;
            }
            let seg = match parse_segment(&name) {
                Ok(s) => s,
                Err(msg) => {
                    errors.push(ProjectError::new(rel_id(root, &path), msg).hint("use a plain name like `posts` or a parameter like `[id]`"));
                    continue;
                }
            };
            segments.push(seg);
            walk(root, &path, segments, routes, errors);
            segments.pop();
            continue;
        }
        if name.ends_with(".d.ts") {
            continue;
        }
        let file = rel_id(root, &path);
        let (stem, ext) = name.rsplit_once('.').unwrap_or((&name, ""));
        if !EXTENSIONS.contains(&ext) || !METHODS.contains(&stem) {
            errors.push(
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
            errors.push(ProjectError::new(&file, format!("the parameter [{}] appears twice in this path", dup.1)));
            continue;
        }
        routes.push(Route { method: stem.to_ascii_uppercase(), path: path_s, pattern, params, file });
    }
}

fn parse_segment(name: &str) -> Result<String, String> {
    if let Some(inner) = name.strip_prefix('[').and_then(|n| n.strip_suffix(']')) {
        let ok = !inner.is_empty()
            && inner.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && inner.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
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
        let d = project(&[
            "endpoints/hello/get.ts",
            "endpoints/items/post.ts",
            "endpoints/posts/[id]/get.ts",
            "endpoints/posts/[id]/patch.ts",
            "endpoints/rooms/[id]/sessions/post.ts",
            "endpoints/_lib/helpers.ts",
            "endpoints/types.d.ts",
        ]);
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
}
