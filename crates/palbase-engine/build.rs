//! Compiles the embedded runtime (`js/runtime.js`: the SDK bundled with Zod, ~500 KB) to QuickJS
//! bytecode at build time. Parsing it costs ~20 ms at every process start (more on a slow
//! machine); loading its bytecode ~3 ms. The bytecode comes from the same rquickjs (same
//! QuickJS) the binary links; should it ever be refused at run time, the engine compiles the
//! source instead (loader.rs).

use std::{env, fs, path::PathBuf};

use rquickjs::{Context, Module, Runtime, module::WriteOptions};

fn main() {
    println!("cargo:rerun-if-changed=js/runtime.js");
    let source = fs::read_to_string("js/runtime.js").expect("reading js/runtime.js");
    let rt = Runtime::new().expect("a QuickJS runtime");
    let ctx = Context::full(&rt).expect("a QuickJS context");
    let bytecode = ctx.with(|ctx| Module::declare(ctx.clone(), "palbase:runtime", source)?.write(WriteOptions::default())).expect("js/runtime.js compiles (run `npm run bundle` in packages/backend)");
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR")).join("runtime.qjsbc");
    fs::write(out, bytecode).expect("writing the runtime bytecode");
}
