//! `palbase.toml` and `.env` (split at the first NUL byte): the runtime's sections, section
//! lookups and the section check, and the dotenv parser.
#![no_main]
use palbase_project::config;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (toml, env) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b""[..]),
    };
    let env = config::parse_env(env).unwrap_or_default();
    if let Ok(text) = std::str::from_utf8(toml)
        && let Ok(s) = config::parse_settings(Some(text), &env)
    {
        let _ = s.check_sections(&["database", "queue"]);
        let _ = s.section::<serde_json::Value>("queue");
    }
});
