//! Module specifier resolution against a small project with packages (`exports` maps,
//! `main` pointing outside, nested packages): the specifier is the input; importers vary.
#![no_main]
use std::{path::PathBuf, sync::OnceLock};

use palbase_project::resolve::Confinement;

fn project() -> &'static (tempfile::TempDir, Vec<PathBuf>) {
    static P: OnceLock<(tempfile::TempDir, Vec<PathBuf>)> = OnceLock::new();
    P.get_or_init(|| {
        let d = tempfile::tempdir().expect("tempdir");
        let files = [
            ("package.json", r#"{"name":"p","type":"module"}"#),
            ("endpoints/a/get.ts", "export default 1;"),
            ("endpoints/_lib/x.ts", "export const x = 1;"),
            ("lib/util.ts", "export {};"),
            ("lib/data.json", "{}"),
            ("lib/index.ts", "export {};"),
            ("node_modules/okpkg/package.json", r#"{"name":"okpkg","exports":{".":{"import":"./esm/index.js","default":"./cjs/index.js"},"./sub/*":"./lib/*.js","./package.json":"./package.json"}}"#),
            ("node_modules/okpkg/esm/index.js", "export {};"),
            ("node_modules/okpkg/lib/a.js", "export {};"),
            ("node_modules/evil/package.json", r#"{"name":"evil","main":"../../../etc/passwd","exports":{"./x":"../../x.js"}}"#),
            ("node_modules/@scope/pkg/package.json", r#"{"name":"@scope/pkg","module":"./m.mjs"}"#),
            ("node_modules/@scope/pkg/m.mjs", "export {};"),
        ];
        for (f, text) in files {
            let p = d.path().join(f);
            std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
            std::fs::write(p, text).expect("write");
        }
        let importers = ["endpoints/a/get.ts", "endpoints/_lib/x.ts", "lib/util.ts", "node_modules/okpkg/esm/index.js"].iter().map(|f| d.path().join(f)).collect();
        (d, importers)
    })
}

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, spec)) = data.split_first() else { return };
    let Ok(spec) = std::str::from_utf8(spec) else { return };
    let (dir, importers) = project();
    let r = Confinement::new(dir.path(), false);
    let builtin = |s: &str| s.strip_prefix("node:").map(str::to_string);
    if let Ok(resolved) = r.resolve(&importers[usize::from(which) % importers.len()], spec, &builtin) {
        let _ = resolved;
    }
});
