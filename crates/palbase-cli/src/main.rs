//! `palbase`: runs file-based TypeScript backends. Argument parsing and terminal output only;
//! everything else lives in the library crates (see crates/README.md).

use std::{
    io::IsTerminal,
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use palbase_project::config;

mod contract;
mod deploy;
mod render;
mod sdk;

#[derive(Parser)]
#[command(name = "palbase", version = concat!(env!("CARGO_PKG_VERSION"), " (the @palbase/backend 2.0.2 API)"), about = "Run a file-based TypeScript backend (the @palbase/backend SDK) locally, in one binary.", long_about = None)]
#[command(
    after_help = "Examples:\n  palbase serve examples/hello            serve a project on http://127.0.0.1:4003 with hot reload\n  palbase token --user u1 --role admin    print a token the local server accepts\n  palbase types                           install the SDK's TypeScript types into ./node_modules"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve a project: endpoints/ as an HTTP API, with hot reload.
    ///
    /// Everything is embedded (JS engine, SQLite). Settings come from palbase.toml and .env in
    /// the project directory; flags win over both.
    Serve {
        /// Project directory (the one holding endpoints/).
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Port to listen on (default 4003; 0 picks a free one).
        #[arg(long, short)]
        port: Option<u16>,
        /// Address to bind (default 127.0.0.1).
        #[arg(long)]
        host: Option<String>,
        /// Worker threads, each with its own JS engine (default: one per core).
        #[arg(long)]
        threads: Option<usize>,
        /// Do not watch files for changes.
        #[arg(long)]
        no_watch: bool,
    },
    /// Load a project once and report errors (exit code 1) or the route table.
    Check {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Bring the database to db/schema.ts, including changes that lose data when allowed.
    ///
    /// `palbase serve` applies safe changes by itself; destructive ones (dropping a column or
    /// table, changing a type, NOT NULL on existing rows, removing an enum value) wait for this.
    Migrate {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Print the SQL that would run, change nothing.
        #[arg(long)]
        dry_run: bool,
        /// Apply destructive changes too.
        #[arg(long)]
        accept_data_loss: bool,
    },
    /// Inspect and operate the job queue (workers' jobs).
    Jobs {
        #[command(subcommand)]
        action: JobsAction,
    },
    /// Inspect and run cron jobs (jobs/).
    Cron {
        #[command(subcommand)]
        action: CronAction,
    },
    /// Operate the project's file storage.
    Storage {
        #[command(subcommand)]
        action: StorageAction,
    },
    /// Deliver auth events to the hooks of a running server (auth.onUserCreated, …).
    Hooks {
        #[command(subcommand)]
        action: HooksAction,
    },
    /// Show the project's feature flags (flags.toml) and how they decide.
    Flags {
        #[command(subcommand)]
        action: FlagsAction,
    },
    /// Inspect the notifications outbox: every email, push and SMS sent (or kept, with no
    /// provider configured) with its status and what it rendered to.
    Outbox {
        #[command(subcommand)]
        action: OutboxAction,
    },
    /// Print a signed token (HS256) that the local server accepts as `Authorization: Bearer …`.
    Token {
        /// The user id (`sub`, `req.user.id`).
        #[arg(long)]
        user: String,
        #[arg(long, default_value = "")]
        email: String,
        #[arg(long, default_value = "authenticated")]
        role: String,
        /// Lifetime in seconds.
        #[arg(long, default_value_t = 3600)]
        ttl: u64,
        /// Project directory (its secret is used).
        #[arg(long, default_value = ".")]
        dir: PathBuf,
    },
    /// Print the project's OpenAPI 3.1 document (what `palbase serve` serves at GET /openapi.json).
    ///
    /// Made from the loaded endpoints: routes, input and output schemas, auth, rate limits, and
    /// every declared and runtime error in the Palbase error envelope.
    Openapi {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Write the document to FILE instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Generate a typed client of the project's API (from its OpenAPI document).
    Codegen {
        #[command(subcommand)]
        target: contract::CodegenTarget,
    },
    /// Create a starter project in DIR: getting-started.md's package.json, a tsconfig.json for
    /// `tsc --noEmit`, endpoints/hello/get.ts, and a .gitignore for .palbase/ and node_modules/.
    New { dir: PathBuf },
    /// Write the SDK's JavaScript and TypeScript types to DIR/node_modules/@palbase/backend, so
    /// `tsc --strict` and editors know `@palbase/backend` (no npm install needed).
    Types {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    #[command(flatten)]
    Deploy(deploy::DeployCommand),
}

#[derive(Subcommand)]
enum HooksAction {
    /// Send an auth event to the running local server, signed with the project's auth hook
    /// secret (Standard Webhooks), as an auth service would: its `auth.*` hooks run.
    #[command(after_help = "Example:\n  palbase hooks fire auth.onUserCreated --user '{\"id\":\"u1\",\"email\":\"ann@example.com\"}' --provider google")]
    Fire {
        /// auth.onUserCreated, auth.onSignIn, auth.onSignOut or auth.onPasswordReset.
        event: String,
        /// The user, as JSON: `{"id": …, "email": …, "role": …, "metadata": {…}}` (`id` required).
        #[arg(long)]
        user: String,
        /// How the user signed up or in, e.g. `google` (the event's `provider`).
        #[arg(long)]
        provider: Option<String>,
        /// The server's base URL (default: http://127.0.0.1:<port of palbase.toml or PALBASE_PORT>).
        #[arg(long)]
        url: Option<String>,
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum FlagsAction {
    /// Every flag of flags.toml: rollout, variants, rules, allow list, environment overrides.
    List {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Evaluate a flag for a user and attributes, and say why: the reason, the rule that
    /// matched, the user's bucket.
    #[command(after_help = "Example:\n  palbase flags eval new-checkout --user u_42 --attr role=admin --attr appVersion=2.3.0")]
    Eval {
        /// The flag's name.
        name: String,
        /// The context's userId (what percentage rollouts and variants hash).
        #[arg(long)]
        user: Option<String>,
        /// An attribute of the context, KEY=VALUE (numbers and true/false are typed; repeatable).
        #[arg(long = "attr", value_name = "KEY=VALUE")]
        attrs: Vec<String>,
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum JobsAction {
    /// List jobs, newest first: queued, running, succeeded, failed (waiting to retry) or dead.
    List {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// Only jobs with this status (queued, running, succeeded, failed, dead).
        #[arg(long)]
        status: Option<String>,
        /// Only jobs of this worker.
        #[arg(long)]
        worker: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Show one job with the error of every attempt.
    Show { dir: PathBuf, id: String },
    /// Queue a dead (or failed) job again, now.
    Retry { dir: PathBuf, id: String },
    /// Drop a queued, failed or dead job for good.
    Discard { dir: PathBuf, id: String },
}

#[derive(Subcommand)]
enum OutboxAction {
    /// The newest messages: id, channel, status, created, recipients and subject.
    List {
        #[arg(default_value = ".")]
        dir: PathBuf,
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// One message: its status, the provider's answer, and the rendered message (an email's
    /// headers and text/html parts).
    Show {
        id: String,
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum StorageAction {
    /// Replace the key that signs storage URLs: every signed URL handed out so far stops working
    /// at once; no file is touched. (On S3, presigned URLs are revoked by rotating the S3 access
    /// key instead.) Run it while the server is stopped, or restart the server after it.
    RotateKey {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum CronAction {
    /// The cron jobs with their schedule, next run and last run.
    List {
        #[arg(default_value = ".")]
        dir: PathBuf,
    },
    /// Run a cron job now (for local testing) and wait for it.
    Run { dir: PathBuf, name: String },
    /// Past runs (start, end, outcome, error), newest first.
    History {
        #[arg(default_value = ".")]
        dir: PathBuf,
        name: Option<String>,
        #[arg(long, default_value_t = 20)]
        limit: u32,
    },
}

// mimalloc for Rust and, through its `override` feature, for the C code too (QuickJS, SQLite):
// on the request path malloc/free were ~15 % of the instructions with glibc's allocator; with
// mimalloc GET /hello takes 13 % fewer instructions and GET /todos/:id 17 % fewer (callgrind,
// bench/README.md). `no_thp` keeps its arenas off transparent huge pages (idle RSS +2 MiB instead
// of +40 MiB).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    use tracing_subscriber::{EnvFilter, fmt};
    let filter = EnvFilter::try_from_env("PALBASE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let json = match std::env::var("PALBASE_LOG_FORMAT").as_deref() {
        Ok("json") => true,
        Ok("pretty") => false,
        _ => !std::io::stderr().is_terminal(),
    };
    let b = fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if json {
        b.json().flatten_event(true).with_current_span(false).init();
    } else {
        b.compact().init();
    }
}

/// The HS256 secret: configured, or a per-project development secret kept in `.palbase/`.
fn jwt_secret(root: &Path, settings: &config::Settings) -> anyhow::Result<String> {
    if let Some(s) = &settings.auth.jwt_secret {
        return Ok(s.clone());
    }
    let dir = palbase_project::data_dir(root);
    let file = dir.join("dev-jwt-secret");
    if let Ok(s) = std::fs::read_to_string(&file)
        && !s.trim().is_empty()
    {
        return Ok(s.trim().to_string());
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let secret = format!("{}{}", uuid_like(), uuid_like());
    std::fs::write(&file, &secret)?;
    Ok(secret)
}

fn uuid_like() -> String {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos()));
    format!("{:016x}{:016x}", h.finish(), std::collections::hash_map::RandomState::new().build_hasher().finish())
}

pub(crate) fn load(dir: &Path) -> anyhow::Result<(PathBuf, config::Settings)> {
    load_with_env(dir).map(|(r, s, _)| (r, s))
}

fn load_with_env(dir: &Path) -> anyhow::Result<(PathBuf, config::Settings, config::Env)> {
    let root = dir.canonicalize().with_context(|| format!("no project directory at {}", dir.display()))?;
    if !root.join("endpoints").is_dir() && !root.join("package.json").is_file() {
        bail!("{} does not look like a Palbase project (no endpoints/ and no package.json)\n  hint: pass the project directory, e.g. `palbase serve examples/hello`", root.display());
    }
    let env = config::load_env(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
    let settings = config::load_settings(&root, &env).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok((root, settings, env))
}

fn verifier(root: &Path, settings: &config::Settings) -> anyhow::Result<Arc<palbase_auth::Verifier>> {
    let secret = jwt_secret(root, settings)?;
    let url = settings.auth.jwks.as_deref().filter(|s| s.starts_with("https://") || s.starts_with("http://"));
    let jwks = match (&settings.auth.jwks, url) {
        (Some(src), Some(_)) => Some(reqwest_blocking(src).with_context(|| format!("cannot fetch the JWKS from {src}"))?),
        (Some(path), None) => Some(std::fs::read_to_string(root.join(path)).with_context(|| format!("cannot read the JWKS file {path}"))?),
        (None, _) => None,
    };
    let mut v = palbase_auth::Verifier::new(Some(&secret), jwks.as_deref(), settings.auth.issuer.clone(), settings.auth.audience.clone(), settings.auth.leeway_seconds).map_err(|e| anyhow::anyhow!(e))?;
    if let Some(url) = url {
        // Refetch every 10 minutes, and when a token names an unknown key id — at most once per
        // 30 s (RFC 8725 practice: rotated keys are picked up, a flood of bad kids is not).
        let (tx, rx) = std::sync::mpsc::sync_channel::<()>(1);
        v.on_unknown_kid(move || {
            let _ = tx.try_send(());
        });
        let v = Arc::new(v);
        spawn_jwks_refresher(url.to_string(), Arc::downgrade(&v), rx);
        return Ok(v);
    }
    Ok(Arc::new(v))
}

fn spawn_jwks_refresher(url: String, verifier: std::sync::Weak<palbase_auth::Verifier>, wake: std::sync::mpsc::Receiver<()>) {
    let _ = std::thread::Builder::new().name("palbase-jwks".into()).spawn(move || {
        let mut last = std::time::Instant::now();
        loop {
            match wake.recv_timeout(std::time::Duration::from_secs(600)) {
                Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => return,
                _ if last.elapsed() < std::time::Duration::from_secs(30) => continue,
                _ => {}
            }
            last = std::time::Instant::now();
            let Some(v) = verifier.upgrade() else { return };
            match reqwest_blocking(&url).map_err(|e| e.to_string()).and_then(|text| v.set_jwks(&text)) {
                Ok(n) => tracing::info!(target: "palbase::auth", "refreshed the JWKS from {url}: {n} keys"),
                Err(e) => tracing::warn!(target: "palbase::auth", "cannot refresh the JWKS from {url}: {e}"),
            }
        }
    });
}

fn open_db(root: &Path, settings: &config::Settings) -> anyhow::Result<Arc<palbase_db::Db>> {
    Ok(palbase_app::open_database(root, settings)?)
}

fn reqwest_blocking(url: &str) -> anyhow::Result<String> {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    rt.block_on(async {
        let r = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build()?.get(url).send().await?.error_for_status()?;
        Ok(r.text().await?)
    })
}

fn run() -> anyhow::Result<ExitCode> {
    let cli = Cli::parse();
    let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
    match cli.command {
        Command::Serve { dir, port, host, threads, no_watch } => {
            init_logging();
            let (root, mut settings, env) = load_with_env(&dir)?;
            let env_json: Arc<str> = Arc::from(serde_json::to_string(&env)?);
            if let Some(p) = port {
                settings.server.port = p;
            }
            if let Some(h) = host {
                settings.server.host = h;
            }
            if let Some(t) = threads {
                settings.server.threads = t;
            }
            let auth = verifier(&root, &settings)?;
            // getting-started.md's `npm install` brings npm's unrelated @palbase/backend: put
            // this SDK's types in its place, as `palbase types` does.
            // The types are for editors, not for serving: written beside the start (a first
            // start writes ~2 MB of SDK files), not before it.
            if root.join("package.json").is_file() && sdk::types_need_install(&root) {
                let root = root.clone();
                std::thread::spawn(move || match sdk::install(&root) {
                    Ok(done) => eprintln!(
                        "installed the @palbase/backend {} types into node_modules{}",
                        palbase_openapi::SDK_VERSION,
                        if done.added_postinstall { " (and \"postinstall\": \"palbase types\" into package.json, so npm install keeps them)" } else { "" }
                    ),
                    Err(e) => eprintln!("warning: could not install the @palbase/backend types into node_modules: {e:#}"),
                });
            }
            let app = palbase_app::App::open(&root, &settings)?;
            palbase_server::serve(palbase_server::ServeOptions { root, settings, services: app.services, ops: app.ops, auth, env_json, watch: !no_watch, shared_limiter: app.shared_limiter, on_event: Box::new(render::serve_event) })?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Check { dir } => {
            let (root, settings) = load(&dir)?;
            // The code, and the files services read with each version (flags.toml).
            let flags = palbase_app::load_flags(&root);
            match (palbase_server::check(&root, &settings), flags) {
                (Ok(routes), Ok(_)) => {
                    print!("{}", render::route_table(&routes));
                    Ok(ExitCode::SUCCESS)
                }
                (code, flags) => {
                    if let Err(e) = code {
                        eprintln!("{e}");
                    }
                    if let Err(e) = flags {
                        eprintln!("{e}");
                    }
                    Ok(ExitCode::FAILURE)
                }
            }
        }
        Command::Migrate { dir, dry_run, accept_data_loss } => {
            let (root, settings, env) = load_with_env(&dir)?;
            let db = open_db(&root, &settings)?;
            let env_json: Arc<str> = Arc::from(serde_json::to_string(&env)?);
            let schema = palbase_server::read_schema(&root, &settings, env_json).map_err(|e| anyhow::anyhow!("{e}"))?;
            let Some(schema) = schema else {
                println!("no db/schema.ts: nothing to migrate");
                return Ok(ExitCode::SUCCESS);
            };
            let report = db.migrate(&schema, palbase_db::MigrateOptions { allow_data_loss: accept_data_loss, dry_run })?;
            for r in &report.refused {
                eprintln!("refused: {}", r.message);
            }
            let sql = if report.applied.is_empty() { &report.planned } else { &report.applied };
            if sql.is_empty() && report.refused.is_empty() {
                println!("the database is up to date");
            }
            for stmt in sql {
                println!("{stmt};");
            }
            if dry_run {
                println!("-- dry run: nothing was changed");
            } else if !report.applied.is_empty() {
                println!("-- applied {} statement(s)", report.applied.len());
            }
            Ok(if report.refused.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        Command::Deploy(c) => deploy::run(c),
        Command::Jobs { action } => jobs_command(action),
        Command::Cron { action } => cron_command(action),
        Command::Outbox { action: OutboxAction::List { dir, limit } } => {
            let (root, settings) = load(&dir)?;
            print!("{}", render::outbox_list(&palbase_app::outbox_list(&root, &settings, limit)?));
            Ok(ExitCode::SUCCESS)
        }
        Command::Outbox { action: OutboxAction::Show { id, dir } } => {
            let (root, settings) = load(&dir)?;
            let Some(m) = palbase_app::outbox_get(&root, &settings, &id)? else { bail!("no message {id} in the outbox") };
            print!("{}", render::outbox_show(&m));
            Ok(ExitCode::SUCCESS)
        }
        Command::Storage { action: StorageAction::RotateKey { dir } } => {
            let (root, settings, _) = load_with_env(&dir)?;
            palbase_app::rotate_storage_key(&root, &settings)?;
            println!("storage signing key rotated: every signed URL handed out before is revoked; files are untouched");
            Ok(ExitCode::SUCCESS)
        }
        Command::Hooks { action: HooksAction::Fire { event, user, provider, url, dir } } => {
            let (root, settings) = load(&dir)?;
            if palbase_app::auth_event_kind(&event).is_none() {
                bail!("`{event}` is not an auth event\n  hint: auth.onUserCreated, auth.onSignIn, auth.onSignOut or auth.onPasswordReset");
            }
            let user: serde_json::Value = serde_json::from_str(&user).context("--user is not JSON")?;
            if !user.get("id").is_some_and(serde_json::Value::is_string) {
                bail!("--user needs an \"id\" (a string)");
            }
            let mut data = serde_json::json!({ "user": user });
            if let Some(p) = provider {
                data["provider"] = serde_json::Value::String(p);
            }
            let now = jiff::Timestamp::now();
            let body = serde_json::to_vec(&serde_json::json!({ "type": event, "timestamp": now.to_string(), "data": data }))?;
            let secret = palbase_app::auth_hook_secret(&root)?;
            let id = format!("msg_{}", uuid_like());
            let ts = now.as_second() as u64;
            let sig = palbase_webhooks::sign_standard_webhooks(&secret, &id, ts, &body).context("the auth hook secret is not a whsec_… (base64) secret")?;
            let base = url.unwrap_or_else(|| format!("http://127.0.0.1:{}", settings.server.port));
            let target = format!("{}{}", base.trim_end_matches('/'), palbase_app::AUTH_EVENTS_PATH);
            let r = block(async {
                let c = reqwest::Client::new();
                let r = c.post(&target).header("content-type", "application/json").header("webhook-id", &id).header("webhook-timestamp", ts.to_string()).header("webhook-signature", sig).body(body).send().await?;
                let status = r.status();
                Ok::<_, reqwest::Error>((status, r.text().await.unwrap_or_default()))
            })
            .with_context(|| format!("cannot reach {target}: is `palbase serve` running? (--url)"))?;
            if !r.0.is_success() {
                bail!("{target} answered {}: {}", r.0, r.1);
            }
            let v: serde_json::Value = serde_json::from_str(&r.1).unwrap_or_default();
            println!("{event} delivered ({id}): {} hook{} queued", v["hooks"], if v["hooks"] == 1 { "" } else { "s" });
            Ok(ExitCode::SUCCESS)
        }
        Command::Flags { action: FlagsAction::List { dir } } => {
            let (root, _) = load(&dir)?;
            let set = palbase_app::load_flags(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
            print!("{}", render::flag_list(&set));
            Ok(ExitCode::SUCCESS)
        }
        Command::Flags { action: FlagsAction::Eval { name, user, attrs, dir } } => {
            let (root, _) = load(&dir)?;
            let set = palbase_app::load_flags(&root).map_err(|e| anyhow::anyhow!("{e}"))?;
            let mut ctx = serde_json::Map::new();
            if let Some(u) = user {
                ctx.insert("userId".into(), serde_json::Value::String(u));
            }
            for a in attrs {
                let Some((k, v)) = a.split_once('=') else { bail!("--attr {a}: expected KEY=VALUE") };
                let value = match v {
                    "true" => serde_json::Value::Bool(true),
                    "false" => serde_json::Value::Bool(false),
                    _ => v.parse::<f64>().ok().filter(|n| n.is_finite() && !v.starts_with('+')).and_then(serde_json::Number::from_f64).map_or_else(|| serde_json::Value::String(v.into()), serde_json::Value::Number),
                };
                ctx.insert(k.to_string(), value);
            }
            let e = match set.flags.get(&name) {
                Some(f) => f.evaluate(&ctx),
                None => palbase_flags::Evaluation::unknown(&name),
            };
            print!("{}", render::flag_evaluation(&e, set.flags.get(&name)));
            Ok(ExitCode::SUCCESS)
        }
        Command::Token { user, email, role, ttl, dir } => {
            let (root, settings) = load(&dir)?;
            let secret = jwt_secret(&root, &settings)?;
            let now = palbase_auth::now();
            let claims = serde_json::json!({"sub": user, "email": email, "role": role, "iat": now, "exp": now + ttl});
            println!("{}", palbase_auth::mint(&secret, &claims).map_err(|e| anyhow::anyhow!(e))?);
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi { dir, out } => {
            let (root, settings) = load(&dir)?;
            contract::openapi(&root, &settings, out.as_deref())
        }
        Command::Codegen { target } => contract::codegen(target),
        Command::Types { dir } => {
            let done = sdk::install(&dir)?;
            let typed = if done.flags == 0 { String::new() } else { format!(" (with {} flag{} from flags.toml)", done.flags, if done.flags == 1 { "" } else { "s" }) };
            println!("wrote the @palbase/backend {} types to {}{typed}", palbase_openapi::SDK_VERSION, done.target.display());
            if done.added_postinstall {
                println!("added \"postinstall\": \"palbase types\" to package.json, so npm install keeps these types (npm's @palbase/backend is another package)");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::New { dir } => {
            let files = sdk::create(&dir)?;
            println!("created {} with {}", dir.display(), files.join(", "));
            println!("next:\n  cd {}\n  npm install       # TypeScript; its postinstall writes the SDK types\n  npm run dev       # serves GET /hello on http://127.0.0.1:4003\n  npm run typecheck", dir.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn block<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a tokio runtime").block_on(f)
}

/// A project with its database and queue open, for the `jobs` and `cron` commands.
type QueueProject = (PathBuf, config::Settings, config::Env, Arc<palbase_db::Db>, Arc<palbase_queue::Queue>);

fn queue_for(dir: &Path) -> anyhow::Result<QueueProject> {
    let (root, settings, env) = load_with_env(dir)?;
    let db = open_db(&root, &settings)?;
    let queue = palbase_app::open_queue(&db, &settings)?;
    Ok((root, settings, env, db, queue))
}

fn ts(t: Option<jiff::Timestamp>) -> String {
    t.map_or_else(|| "-".to_string(), |t| t.strftime("%Y-%m-%d %H:%M:%S").to_string())
}

fn jobs_command(action: JobsAction) -> anyhow::Result<ExitCode> {
    match action {
        JobsAction::List { dir, status, worker, limit } => {
            let (.., queue) = queue_for(&dir)?;
            let status = status.map(|s| s.parse::<palbase_queue::JobStatus>()).transpose().map_err(|e| anyhow::anyhow!(e))?;
            let jobs = block(queue.list(palbase_queue::ListFilter { status, name: worker, limit }))?;
            if jobs.is_empty() {
                println!("no jobs");
            }
            for j in jobs {
                println!(
                    "{}  {:<10} {:<20} attempts {}/{}  created {}{}",
                    j.id,
                    j.status.as_str(),
                    j.name,
                    j.attempts,
                    j.max_attempts,
                    ts(Some(j.created_at)),
                    j.last_error.map(|e| format!("  error: {}", e.lines().next().unwrap_or(""))).unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        JobsAction::Show { dir, id } => {
            let (.., queue) = queue_for(&dir)?;
            let Some(j) = block(queue.get(&id))? else { bail!("no job {id}") };
            println!(
                "job {}
  worker:   {}
  status:   {}
  attempts: {}/{}
  payload:  {}
  created:  {}
  run at:   {}",
                j.id,
                j.name,
                j.status.as_str(),
                j.attempts,
                j.max_attempts,
                j.payload,
                ts(Some(j.created_at)),
                ts(j.run_at)
            );
            for e in &j.errors {
                println!("  attempt {} at {}: {}", e.attempt, ts(Some(e.at)), e.error);
            }
            Ok(ExitCode::SUCCESS)
        }
        JobsAction::Retry { dir, id } => {
            let (.., queue) = queue_for(&dir)?;
            block(queue.retry(&id))?;
            println!("job {id} queued again");
            Ok(ExitCode::SUCCESS)
        }
        JobsAction::Discard { dir, id } => {
            let (.., queue) = queue_for(&dir)?;
            block(queue.discard(&id))?;
            println!("job {id} discarded");
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn cron_command(action: CronAction) -> anyhow::Result<ExitCode> {
    match action {
        CronAction::List { dir } => {
            let (root, settings, env, db, queue) = queue_for(&dir)?;
            define_background(&root, &settings, &env, &db, &queue, false)?;
            let jobs = block(queue.jobs())?;
            if jobs.is_empty() {
                println!("no cron jobs (add one in jobs/)");
            }
            for j in jobs {
                println!("{:<24} {:<14} next {}  last {}", j.name, j.schedule, ts(j.next_run), j.last_run.map(|r| format!("{} ({:?})", ts(Some(r.started_at)), r.status)).unwrap_or_else(|| "-".into()));
            }
            Ok(ExitCode::SUCCESS)
        }
        CronAction::Run { dir, name } => {
            init_logging();
            let (root, settings, env, db, queue) = queue_for(&dir)?;
            define_background(&root, &settings, &env, &db, &queue, true)?;
            let run = block(queue.run_job_now(&name))?;
            println!("{} {:?}{}", run.job, run.status, run.error.as_ref().map(|e| format!(": {e}")).unwrap_or_default());
            Ok(if run.error.is_none() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        CronAction::History { dir, name, limit } => {
            let (.., queue) = queue_for(&dir)?;
            for r in block(queue.history(name.as_deref(), limit))? {
                println!("{}  {:<20} {:?}  start {}  end {}{}", r.run_id, r.job, r.status, ts(Some(r.started_at)), ts(r.finished_at), r.error.map(|e| format!("  error: {e}")).unwrap_or_default());
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// Loads `workers/` and `jobs/` and gives their declarations to the queue (for `palbase cron`);
/// with `start`, the queue runs through that engine.
fn define_background(root: &Path, settings: &config::Settings, env: &config::Env, db: &Arc<palbase_db::Db>, queue: &Arc<palbase_queue::Queue>, start: bool) -> anyhow::Result<()> {
    let ops = palbase_app::tool_ops(root, settings, db, queue)?;
    let (metas, host) = palbase_server::load_background(root, settings, &env_json(env)?, ops).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (workers, jobs) = palbase_app::background_specs(&metas);
    let errors = queue.set_definitions(workers, jobs);
    if let Some(e) = errors.first() {
        bail!("{}s: {e}", e.kind);
    }
    if start {
        queue.start(host);
    }
    Ok(())
}

fn env_json(env: &config::Env) -> anyhow::Result<Arc<str>> {
    Ok(Arc::from(serde_json::to_string(env)?))
}
