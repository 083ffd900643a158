//! `palbase openapi` and `palbase codegen`: the API contract of a project, printed or turned
//! into clients.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use clap::Subcommand;
use palbase_project::config;

#[derive(Subcommand)]
pub enum CodegenTarget {
    /// A Swift package (URLSession, async/await, Codable) with one function and one error enum
    /// per endpoint.
    Swift {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the package (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
    /// A typed TypeScript fetch client: request, response and error types per endpoint.
    Ts {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Where to write the client (created if missing).
        #[arg(long)]
        out: PathBuf,
    },
}

/// Loads the project and makes its document; load errors are printed as `palbase check` does.
fn document(root: &Path, settings: &config::Settings) -> Result<serde_json::Value, ExitCode> {
    palbase_server::openapi_document(root, settings).map_err(|e| {
        eprintln!("{e}");
        ExitCode::FAILURE
    })
}

pub fn openapi(root: &Path, settings: &config::Settings, out: Option<&Path>) -> anyhow::Result<ExitCode> {
    let doc = match document(root, settings) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let text = serde_json::to_string_pretty(&doc)? + "\n";
    match out {
        Some(file) => {
            std::fs::write(file, text).with_context(|| format!("cannot write {}", file.display()))?;
            eprintln!("wrote the OpenAPI document of {} operations to {}", count_operations(&doc), file.display());
        }
        None => print!("{text}"),
    }
    Ok(ExitCode::SUCCESS)
}

fn count_operations(doc: &serde_json::Value) -> usize {
    doc["paths"].as_object().map_or(0, |p| p.values().filter_map(|i| i.as_object()).map(|i| i.len()).sum())
}

pub fn codegen(target: CodegenTarget) -> anyhow::Result<ExitCode> {
    let (dir, out, swift) = match target {
        CodegenTarget::Swift { dir, out } => (dir, out, true),
        CodegenTarget::Ts { dir, out } => (dir, out, false),
    };
    let (root, settings) = crate::load(&dir)?;
    let doc = match document(&root, &settings) {
        Ok(d) => d,
        Err(code) => return Ok(code),
    };
    let files = if swift { palbase_codegen::swift_package(&doc) } else { palbase_codegen::typescript_client(&doc) }?;
    for (rel, text) in &files {
        let path = out.join(rel);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
        }
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    let what = if swift { "Swift package" } else { "TypeScript client" };
    println!("wrote the {what} of {} operations to {} ({})", count_operations(&doc), out.display(), files.iter().map(|(f, _)| f.as_str()).collect::<Vec<_>>().join(", "));
    Ok(ExitCode::SUCCESS)
}
