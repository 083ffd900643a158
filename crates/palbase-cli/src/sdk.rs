//! The SDK a project type-checks against, and the starter project.
//!
//! npm's `@palbase/backend` is not this SDK (the registry's current package is another,
//! class-based API), so the types come from the binary: `palbase types` writes them into
//! `node_modules/@palbase/backend`, and adds `"postinstall": "palbase types"` to package.json so
//! the next `npm install` puts them back. `palbase serve` does the same when it finds the types
//! missing or foreign, so getting-started.md works as written.

use std::path::{Path, PathBuf};

use anyhow::Context;
use palbase_openapi::SDK_VERSION;

/// The SDK's `PalbaseFlags` as published: empty, so any string is a flag name.
const EMPTY_FLAGS: &str = "export interface PalbaseFlags {\n}";

/// The package as installed: dist/ (flat), the JSON Schema of flags.toml, and the docs (which
/// llms.txt links to).
const SDK_FILES: [(&str, &str); 17] = [
    ("package.json", include_str!("../../../packages/backend/dist/package.json")),
    ("index.js", include_str!("../../../packages/backend/dist/index.js")),
    ("index.d.ts", include_str!("../../../packages/backend/dist/index.d.ts")),
    ("llms.txt", include_str!("../../../packages/backend/dist/llms.txt")),
    ("llms-full.txt", include_str!("../../../packages/backend/dist/llms-full.txt")),
    // The JSON Schema of flags.toml, for editors (`#:schema ./node_modules/@palbase/backend/flags.schema.json`).
    ("flags.schema.json", include_str!("../../../packages/backend/flags.schema.json")),
    ("docs/README.md", include_str!("../../../packages/backend/docs/README.md")),
    ("docs/getting-started.md", include_str!("../../../packages/backend/docs/getting-started.md")),
    ("docs/routing.md", include_str!("../../../packages/backend/docs/routing.md")),
    ("docs/endpoints.md", include_str!("../../../packages/backend/docs/endpoints.md")),
    ("docs/database.md", include_str!("../../../packages/backend/docs/database.md")),
    ("docs/schema.md", include_str!("../../../packages/backend/docs/schema.md")),
    ("docs/services.md", include_str!("../../../packages/backend/docs/services.md")),
    ("docs/errors.md", include_str!("../../../packages/backend/docs/errors.md")),
    ("docs/background.md", include_str!("../../../packages/backend/docs/background.md")),
    ("docs/events.md", include_str!("../../../packages/backend/docs/events.md")),
    ("docs/api.md", include_str!("../../../packages/backend/docs/api.md")),
];

const POSTINSTALL: &str = "palbase types";

/// What `install` did.
pub struct Installed {
    pub target: PathBuf,
    pub flags: usize,
    /// package.json gained the postinstall script.
    pub added_postinstall: bool,
}

/// Writes the SDK (with the project's flags as typed names) into `dir/node_modules/@palbase/backend`
/// and makes sure package.json reinstalls it after `npm install`.
pub fn install(dir: &Path) -> anyhow::Result<Installed> {
    let target = dir.join("node_modules/@palbase/backend");
    std::fs::create_dir_all(&target).with_context(|| format!("cannot create {}", target.display()))?;
    // The project's flags become the SDK's `PalbaseFlags` (typed names and variants).
    let flags = match dir.canonicalize() {
        Ok(root) => palbase_app::load_flags(&root).map_err(|e| anyhow::anyhow!("{e}"))?,
        Err(_) => Default::default(),
    };
    std::fs::create_dir_all(target.join("docs"))?;
    // package.json, which says which version is installed (`types_need_install`), goes last: an
    // install cut short is done again.
    let (marker, files): (Vec<_>, Vec<_>) = SDK_FILES.iter().partition(|(name, _)| *name == "package.json");
    for &(name, text) in files.into_iter().chain(marker) {
        let text = if name == "index.d.ts" && !flags.flags.is_empty() { text.replacen(EMPTY_FLAGS, &flags.typescript_interface(), 1) } else { text.to_string() };
        std::fs::write(target.join(name), text)?;
    }
    let added_postinstall = add_postinstall(&dir.join("package.json"))?;
    Ok(Installed { target, flags: flags.flags.len(), added_postinstall })
}

/// Adds `"postinstall": "palbase types"` to package.json's scripts when no postinstall runs it;
/// `Ok(false)` when there was nothing to do (or no package.json).
fn add_postinstall(file: &Path) -> anyhow::Result<bool> {
    let Ok(text) = std::fs::read_to_string(file) else { return Ok(false) };
    let mut pkg: serde_json::Value = serde_json::from_str(&text).with_context(|| format!("{} is not valid JSON", file.display()))?;
    let Some(obj) = pkg.as_object_mut() else { return Ok(false) };
    let scripts = obj.entry("scripts").or_insert_with(|| serde_json::json!({}));
    let Some(scripts) = scripts.as_object_mut() else { return Ok(false) };
    match scripts.get("postinstall").and_then(|v| v.as_str()) {
        Some(s) if s.contains(POSTINSTALL) => return Ok(false),
        Some(s) => {
            let joined = format!("{s} && {POSTINSTALL}");
            scripts.insert("postinstall".into(), joined.into());
        }
        None => {
            scripts.insert("postinstall".into(), POSTINSTALL.into());
        }
    }
    std::fs::write(file, serde_json::to_string_pretty(&pkg)? + "\n").with_context(|| format!("cannot write {}", file.display()))?;
    Ok(true)
}

/// Whether `dir/node_modules/@palbase/backend` is missing, or is not this SDK's version.
pub fn types_need_install(dir: &Path) -> bool {
    let installed = std::fs::read_to_string(dir.join("node_modules/@palbase/backend/package.json")).ok().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok());
    let current = installed.as_ref().and_then(|p| p["version"].as_str()) == Some(SDK_VERSION) && dir.join("node_modules/@palbase/backend/index.d.ts").is_file();
    !current
}

/// The starter project of `palbase new`: getting-started.md's package.json and first endpoint.
pub const STARTER: [(&str, &str); 5] = [
    ("endpoints/hello/get.ts", include_str!("starter/get.ts")),
    ("tsconfig.json", include_str!("starter/tsconfig.json")),
    (".gitignore", "node_modules/\n.palbase/\n"),
    ("palbase.toml", include_str!("starter/palbase.toml")),
    ("README.md", include_str!("starter/README.md")),
];

/// package.json of a new project named `name` (getting-started.md's, plus the postinstall that
/// keeps the SDK's types after `npm install`).
pub fn starter_package_json(name: &str) -> String {
    let pkg = serde_json::json!({
        "name": name,
        "private": true,
        "scripts": { "dev": "palbase serve", "deploy": "palbase push", "typecheck": "tsc --noEmit", "postinstall": POSTINSTALL },
        "dependencies": { "@palbase/backend": "latest" },
        "devDependencies": { "@types/node": "^22", "typescript": "^5" }
    });
    serde_json::to_string_pretty(&pkg).unwrap_or_default() + "\n"
}

/// Creates the starter project in `dir` (which must be missing or empty) and installs the types.
pub fn create(dir: &Path) -> anyhow::Result<Vec<String>> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        anyhow::bail!("{} exists and is not empty\n  hint: pick a new directory, e.g. `palbase new my-backend`", dir.display());
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let name = dir.canonicalize()?.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "my-backend".into());
    let mut written = vec!["package.json".to_string()];
    std::fs::write(dir.join("package.json"), starter_package_json(&name))?;
    for (rel, text) in STARTER {
        let path = dir.join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p)?;
        }
        std::fs::write(&path, text)?;
        written.push(rel.to_string());
    }
    install(dir)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_embedded_sdk_is_the_version_the_runtime_implements() {
        let pkg: serde_json::Value = serde_json::from_str(super::SDK_FILES[0].1).unwrap();
        assert_eq!(pkg["version"], super::SDK_VERSION);
    }

    #[test]
    fn the_cli_reports_the_sdk_version() {
        use clap::CommandFactory;
        let version = crate::Cli::command().get_version().unwrap_or_default().to_string();
        assert!(version.ends_with(&format!("(the @palbase/backend {} API)", super::SDK_VERSION)), "{version}");
    }
}
