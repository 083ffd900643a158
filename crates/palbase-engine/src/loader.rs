//! Module loading for one engine: project modules come from the immutable [`ProjectGraph`],
//! built-ins from the binary. The engine never reads the filesystem.

use std::sync::{Arc, OnceLock};

use palbase_project::graph::{Dep, ProjectGraph};
use rquickjs::{
    Ctx, Error, Module, Result,
    loader::{Loader, Resolver},
    module::Declared,
};

/// The SDK and Zod, bundled by `packages/backend` (`npm run bundle`), embedded at build time.
pub const RUNTIME_JS: &str = include_str!("../js/runtime.js");
/// Re-exports Zod's named exports from the bundle, so `import { z } from "zod"` is the same Zod.
pub const ZOD_SHIM_JS: &str = include_str!("../js/zod-shim.js");
/// `@palbase/backend` for user code: the SDK's public exports of [`RUNTIME`], none of its `__pb_*`
/// entry points (generated with the bundle).
const SDK_SHIM: &str = include_str!("../js/sdk-shim.js");

pub const RUNTIME: &str = "palbase:runtime";
pub const ENTRY: &str = "palbase:entry";

/// Modules the engine provides by name, whatever `node_modules` holds.
const NODE_BUILTINS: [&str; 8] = ["buffer", "crypto", "events", "path", "timers", "url", "util", "stream/web"];

/// Maps an import specifier to the engine's built-in module name, if it is one.
pub fn builtin(specifier: &str) -> Option<String> {
    match specifier {
        "@palbase/backend" => Some("@palbase/backend".into()),
        "zod" | "zod/v4" | "zod/v4/classic" => Some("zod".into()),
        s => {
            let bare = s.strip_prefix("node:").unwrap_or(s);
            NODE_BUILTINS.contains(&bare).then(|| format!("node:{bare}"))
        }
    }
}

/// QuickJS bytecode of [`RUNTIME_JS`], compiled at build time (build.rs): parsing the ~500 KB
/// bundle costs ~20 ms, loading bytecode ~3 ms.
static BUILT_BYTECODE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/runtime.qjsbc"));

/// The same, compiled by the first engine of the process, should the built bytecode be refused.
static RUNTIME_BYTECODE: OnceLock<Vec<u8>> = OnceLock::new();

pub struct GraphLoader {
    pub graph: Arc<ProjectGraph>,
    /// Source of `palbase:entry`, generated per engine.
    pub entry: String,
}

fn is_builtin_name(name: &str) -> bool {
    name == RUNTIME || name == ENTRY || name == "@palbase/backend" || name == "zod"
}

impl Resolver for GraphLoader {
    fn resolve<'js>(&mut self, _ctx: &Ctx<'js>, base: &str, name: &str) -> Result<String> {
        if is_builtin_name(name) || name.starts_with("node:") {
            return Ok(name.to_string());
        }
        if base == ENTRY && self.graph.modules.contains_key(name) {
            return Ok(name.to_string());
        }
        match self.graph.modules.get(base).and_then(|m| m.deps.get(name)) {
            Some(Dep::Module(id)) => Ok(id.clone()),
            Some(Dep::Builtin(b)) => Ok(b.clone()),
            // Dynamic `import()` of something the graph never saw.
            None => Err(Error::new_resolving_message(base, name, "not part of the project's module graph (only static imports are resolved ahead of time)")),
        }
    }
}

impl Loader for GraphLoader {
    fn load<'js>(&mut self, ctx: &Ctx<'js>, name: &str) -> Result<Module<'js, Declared>> {
        match name {
            RUNTIME => load_runtime(ctx),
            ENTRY => Module::declare(ctx.clone(), ENTRY, self.entry.clone()),
            "@palbase/backend" => Module::declare(ctx.clone(), name, SDK_SHIM),
            "zod" => Module::declare(ctx.clone(), name, ZOD_SHIM_JS),
            "node:buffer" => Module::declare_def::<llrt_modules::buffer::BufferModule, _>(ctx.clone(), name),
            "node:crypto" => Module::declare_def::<llrt_modules::crypto::CryptoModule, _>(ctx.clone(), name),
            "node:events" => Module::declare_def::<llrt_modules::events::EventsModule, _>(ctx.clone(), name),
            "node:path" => Module::declare_def::<llrt_modules::path::PathModule, _>(ctx.clone(), name),
            "node:timers" => Module::declare_def::<llrt_modules::timers::TimersModule, _>(ctx.clone(), name),
            "node:url" => Module::declare_def::<llrt_modules::url::UrlModule, _>(ctx.clone(), name),
            "node:util" => Module::declare_def::<llrt_modules::util::UtilModule, _>(ctx.clone(), name),
            "node:stream/web" => Module::declare_def::<llrt_modules::stream_web::StreamWebModule, _>(ctx.clone(), name),
            _ => match self.graph.modules.get(name) {
                Some(m) => Module::declare(ctx.clone(), name, m.code.clone()),
                None => Err(Error::new_loading_message(name, "unknown module")),
            },
        }
    }
}

fn load_runtime<'js>(ctx: &Ctx<'js>) -> Result<Module<'js, Declared>> {
    // SAFETY: build.rs wrote these bytes with `Module::write` of the same rquickjs version (the
    // same QuickJS source) from `js/runtime.js`; QuickJS checks the bytecode version on reading.
    #[allow(unsafe_code)]
    if let Ok(m) = unsafe { Module::load(ctx.clone(), BUILT_BYTECODE) } {
        return Ok(m);
    }
    if let Some(bc) = RUNTIME_BYTECODE.get() {
        // SAFETY: the bytes were written by `Module::write` in this same process, by the same
        // QuickJS build, so they are valid bytecode for `JS_ReadObject`.
        #[allow(unsafe_code)]
        return unsafe { Module::load(ctx.clone(), bc) };
    }
    let m = Module::declare(ctx.clone(), RUNTIME, RUNTIME_JS)?;
    if let Ok(bc) = m.write(rquickjs::module::WriteOptions::default()) {
        let _ = RUNTIME_BYTECODE.set(bc);
    }
    Ok(m)
}
