//! The managed runtime's commands: `palbase server`, `push`, `rollback`, `deployments`,
//! `branches`, `secrets` (palbase-deploy does the work; this parses and prints).

use std::{
    io::{IsTerminal, Read, Write},
    path::{Path, PathBuf},
    process::ExitCode,
    sync::Arc,
};

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use palbase_deploy::{
    child::{ChildEvent, Mode, emit},
    client::{DeploySettings, PushEvent, Remote},
    names::MAIN,
};

#[derive(Subcommand)]
pub enum DeployCommand {
    /// Run the managed runtime: host many projects, each with branches, deployed by `palbase push`.
    ///
    /// A branch is reached at `<project>.localhost` (main) or `<branch>--<project>.localhost`
    /// on the server's port: no DNS changes. The first start prints an admin token once.
    #[command(after_help = "Examples:\n  palbase server --data /srv/palbase --port 4100\n  palbase server token create --project shop    a deploy token for one project")]
    Server {
        #[command(subcommand)]
        action: Option<ServerAction>,
        #[command(flatten)]
        args: ServerArgs,
    },
    /// Deploy a project to a `palbase server`: only the files it lacks travel; the new version
    /// serves once it compiled, loaded and migrated (the URL is the last line printed).
    Push {
        #[arg(default_value = ".")]
        dir: PathBuf,
        /// The branch (default main).
        #[arg(long, default_value = MAIN)]
        branch: String,
        /// Apply destructive schema changes too (as `palbase migrate --accept-data-loss`).
        #[arg(long)]
        accept_data_loss: bool,
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// Switch a branch back to an earlier deployment at once (schema changes are not undone).
    Rollback {
        /// The deployment (default: the one live before the current one).
        #[arg(long)]
        to: Option<String>,
        #[arg(long, default_value = MAIN)]
        branch: String,
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// The deployments of the project, newest first.
    Deployments {
        #[command(subcommand)]
        action: DeploymentsAction,
    },
    /// The project's branches on the server.
    Branches {
        #[command(subcommand)]
        action: BranchesAction,
    },
    /// Deploy secrets: encrypted on the server, in `ctx.env` and `{ env: "NAME" }`, never shown.
    Secrets {
        #[command(subcommand)]
        action: SecretsAction,
    },
    /// (internal) Runs one deployment for `palbase server`.
    #[command(name = "__deployment", hide = true)]
    RunDeployment {
        dir: PathBuf,
        #[arg(long)]
        mode: String,
        #[arg(long, default_value_t = 1)]
        threads: usize,
        /// Behind the server's front router: key rate limits by its `X-Forwarded-For`.
        #[arg(long)]
        trust_forwarded_for: bool,
    },
}

/// Where a server keeps its state.
#[derive(Args, Clone)]
pub struct StateArgs {
    /// Where projects, deployments, data and secrets are kept (with --database-url: only what
    /// this server derives from the database, such as materialised code).
    #[arg(long, env = "PALBASE_SERVER_DATA", default_value = ".palbase-server")]
    data: PathBuf,
    /// Keep the server's state, and each branch's database (a schema `pb_<project>__<branch>`),
    /// in this PostgreSQL database: several servers on one database serve the same projects.
    /// Every server then needs the same PALBASE_SERVER_SECRET_KEY.
    #[arg(long, env = "PALBASE_SERVER_DATABASE_URL", value_name = "URL")]
    database_url: Option<String>,
}

impl StateArgs {
    fn open(&self) -> anyhow::Result<palbase_deploy::store::Store> {
        std::fs::create_dir_all(&self.data).with_context(|| format!("cannot create {}", self.data.display()))?;
        let data = self.data.canonicalize()?;
        Ok(crate::block(palbase_deploy::store::Store::open(&data, self.database_url.as_deref()))?)
    }
}

#[derive(Args)]
pub struct ServerArgs {
    #[command(flatten)]
    state: StateArgs,
    /// Redis for every deployment's cache and rate limits (namespaced per project and branch).
    #[arg(long, env = "PALBASE_SERVER_REDIS_URL", value_name = "URL")]
    redis_url: Option<String>,
    /// S3-compatible storage for every deployment (`s3://bucket/prefix`; objects under
    /// `<project>/<branch>/`); endpoint and credentials from the AWS_* environment.
    #[arg(long, env = "PALBASE_SERVER_STORAGE_URL", value_name = "URL")]
    storage_url: Option<String>,
    /// Port to listen on (0 picks a free one).
    #[arg(long, short, default_value_t = 4100)]
    port: u16,
    #[arg(long, default_value = "127.0.0.1")]
    host: String,
    /// Branch hosts are `<branch>--<project>.<domain>`.
    #[arg(long, default_value = "localhost")]
    domain: String,
    /// Worker threads of each branch's process.
    #[arg(long, default_value_t = 1)]
    threads: usize,
}

#[derive(Subcommand)]
pub enum ServerAction {
    /// Manage control-API tokens (kept as hashes in the data directory).
    Token {
        #[command(subcommand)]
        action: TokenAction,
    },
}

#[derive(Subcommand)]
pub enum TokenAction {
    /// Create a token and print it (once): an admin token, or one limited to a project.
    Create {
        #[arg(long)]
        project: Option<String>,
        #[command(flatten)]
        state: StateArgs,
    },
    /// Revoke a token by its id (`tok_…`, from `list`).
    Revoke {
        id: String,
        #[command(flatten)]
        state: StateArgs,
    },
    /// The tokens' ids, scopes and creation times (never the tokens).
    List {
        #[command(flatten)]
        state: StateArgs,
    },
}

#[derive(Args)]
pub struct RemoteArgs {
    /// The server (else PALBASE_SERVER, else `[deploy] server` of palbase.toml).
    #[arg(long)]
    server: Option<String>,
    /// The token (else PALBASE_TOKEN, else `[deploy] token`).
    #[arg(long)]
    token: Option<String>,
    /// The project (else `[deploy] project`, else package.json's name).
    #[arg(long)]
    project: Option<String>,
    /// The project directory (where palbase.toml is), for the commands other than push.
    #[arg(long = "dir", default_value = ".")]
    project_dir: PathBuf,
}

#[derive(Subcommand)]
pub enum DeploymentsAction {
    /// Every deployment: id, branch, when, files, outcome; `*` marks the live ones.
    List {
        #[arg(long)]
        branch: Option<String>,
        #[command(flatten)]
        remote: RemoteArgs,
    },
}

#[derive(Subcommand)]
pub enum BranchesAction {
    List {
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// Delete a branch: its deployments, database, queue, storage and secrets.
    Delete {
        name: String,
        #[command(flatten)]
        remote: RemoteArgs,
    },
}

#[derive(Subcommand)]
pub enum SecretsAction {
    /// Set a secret (the value from VALUE or, better, stdin); the live deployment restarts with it.
    Set {
        name: String,
        value: Option<String>,
        #[arg(long, default_value = MAIN)]
        branch: String,
        #[command(flatten)]
        remote: RemoteArgs,
    },
    /// The secrets' names and update times (never their values).
    List {
        #[arg(long, default_value = MAIN)]
        branch: String,
        #[command(flatten)]
        remote: RemoteArgs,
    },
    Unset {
        name: String,
        #[arg(long, default_value = MAIN)]
        branch: String,
        #[command(flatten)]
        remote: RemoteArgs,
    },
}

/// Server, token and project for a client command.
struct Target {
    remote: Remote,
    server: String,
    project: String,
}

fn target(dir: &Path, args: &RemoteArgs) -> anyhow::Result<Target> {
    let settings = if dir.join("palbase.toml").is_file() || dir.join("package.json").is_file() { Some(crate::load(dir)?.1) } else { None };
    let deploy = match &settings {
        Some(s) => DeploySettings::read(s).map_err(|e| anyhow::anyhow!("{e}"))?,
        None => DeploySettings::default(),
    };
    let env = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty());
    let server = args.server.clone().or_else(|| env("PALBASE_SERVER")).or(deploy.server.clone()).context("which server? pass --server URL, set PALBASE_SERVER, or `[deploy] server` in palbase.toml")?;
    let token = args.token.clone().or_else(|| env("PALBASE_TOKEN")).or(deploy.token.clone()).context("no token: pass --token, or set PALBASE_TOKEN (`palbase server token create --project …` makes one)")?;
    let project = match &args.project {
        Some(p) => p.clone(),
        None => palbase_deploy::client::project_name(dir, &deploy)?,
    };
    palbase_deploy::names::check("project", &project).map_err(|m| anyhow::anyhow!(m))?;
    Ok(Target { remote: Remote::new(&server, &token), server, project })
}

fn size(b: u64) -> String {
    if b < 1024 {
        format!("{b} B")
    } else if b < 1 << 20 {
        format!("{:.1} KiB", b as f64 / 1024.0)
    } else {
        format!("{:.1} MiB", b as f64 / (1u64 << 20) as f64)
    }
}

/// One line of `palbase push` / `rollback` output.
pub fn push_line(ev: &PushEvent) -> String {
    match ev {
        PushEvent::Bundle { files, bytes, missing: 0, .. } => format!("bundle: {files} files ({}), all already on the server", size(*bytes)),
        PushEvent::Bundle { files, bytes, missing, missing_bytes } => format!("bundle: {files} files ({}), uploading {missing} ({})", size(*bytes), size(*missing_bytes)),
        PushEvent::Uploaded { files, bytes } => format!("uploaded {files} file{} ({})", if *files == 1 { "" } else { "s" }, size(*bytes)),
        PushEvent::Progress(m) => m.clone(),
        PushEvent::Live { deployment, ms, .. } => format!("live in {ms} ms: deployment {deployment}"),
    }
}

fn print_push(ev: PushEvent) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", push_line(&ev));
    if let PushEvent::Live { url, .. } = &ev {
        let _ = writeln!(out, "{url}");
    }
    let _ = out.flush();
}

fn finish(r: Result<(), palbase_deploy::client::Failed>, what: &str, branch: &str) -> ExitCode {
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("{}", f.0);
            eprintln!("{what} failed: nothing was changed, {branch} keeps serving its current version");
            ExitCode::FAILURE
        }
    }
}

fn ts(t: &jiff::Timestamp) -> String {
    t.strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// `palbase deployments list`.
pub fn deployments_table(rows: &[palbase_deploy::server::DeploymentRow]) -> String {
    if rows.is_empty() {
        return "no deployments yet: `palbase push`\n".into();
    }
    let mut s = String::new();
    for r in rows {
        let d = &r.deployment;
        let status = match d.status {
            palbase_deploy::store::Status::Ready if r.live => "live",
            palbase_deploy::store::Status::Ready => "ready",
            palbase_deploy::store::Status::Failed => "failed",
            palbase_deploy::store::Status::Pending => "pending",
            palbase_deploy::store::Status::Interrupted => "interrupted",
        };
        s.push_str(&format!("{} {}  {:<12} {:<11} {}  {} files, {}\n", if r.live { "*" } else { " " }, d.id, d.branch, status, ts(&d.created_at), d.files, size(d.bytes)));
    }
    s
}

/// `palbase branches list`.
pub fn branches_table(rows: &[palbase_deploy::server::BranchRow]) -> String {
    if rows.is_empty() {
        return "no branches yet: `palbase push [--branch NAME]`\n".into();
    }
    let mut s = String::new();
    for b in rows {
        let state = match (&b.deployment, b.serving) {
            (Some(d), true) => format!("serving {d}"),
            (Some(d), false) => format!("starting {d}"),
            (None, _) => "nothing deployed".into(),
        };
        s.push_str(&format!("{:<16} {:<28} {}\n", b.name, state, b.url));
    }
    s
}

pub fn run(cmd: DeployCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        DeployCommand::Server { action: Some(ServerAction::Token { action }), .. } => token_command(action),
        DeployCommand::Server { action: None, args } => {
            crate::init_logging();
            std::fs::create_dir_all(&args.state.data).with_context(|| format!("cannot create {}", args.state.data.display()))?;
            let data = args.state.data.canonicalize()?;
            let var = |k: &str| std::env::var(k).ok().filter(|v| !v.is_empty()).map(|v| (k.to_string(), v));
            let child_env: Vec<(String, String)> = ["PATH", "PALBASE_LOG", "TMPDIR", "LANG"].iter().filter_map(|k| var(k)).collect();
            let mut services_env: Vec<(String, String)> = Vec::new();
            if let Some(u) = args.redis_url {
                services_env.push(("PALBASE_REDIS_URL".into(), u));
            }
            if let Some(u) = args.storage_url {
                services_env.push(("PALBASE_STORAGE_URL".into(), u));
                services_env.extend(["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"].iter().filter_map(|k| var(k)));
            }
            let opts = palbase_deploy::server::ServerOptions {
                data: data.clone(),
                database_url: args.state.database_url,
                secret_key: std::env::var(palbase_deploy::secrets::KEY_VAR).ok(),
                services_env,
                host: args.host,
                port: args.port,
                domain: args.domain,
                threads: args.threads.max(1),
                child: palbase_deploy::server::ChildCommand { program: std::env::current_exe()?, args: vec!["__deployment".into()] },
                env_token: std::env::var("PALBASE_SERVER_TOKEN").ok(),
                child_env,
                on_event: Box::new(server_event),
            };
            palbase_deploy::server::run(opts)?;
            Ok(ExitCode::SUCCESS)
        }
        DeployCommand::Push { dir, branch, accept_data_loss, remote } => {
            palbase_deploy::names::check("branch", &branch).map_err(|m| anyhow::anyhow!(m))?;
            let (root, _) = crate::load(&dir)?;
            let t = target(&root, &remote)?;
            println!("pushing {} to {branch} of {}", t.project, t.server);
            // node_modules travels as far as the project imports it: the graph knows.
            let imported: Vec<String> = palbase_project::graph::Compiler::new(&root, palbase_server::builtin).build().map(|g| g.modules.keys().cloned().collect()).unwrap_or_default();
            let r = crate::block(t.remote.push(&t.project, &branch, &root, &imported, accept_data_loss, &mut print_push))?;
            Ok(finish(r, "push", &branch))
        }
        DeployCommand::Rollback { to, branch, remote } => {
            let t = target(&remote.project_dir, &remote)?;
            let r = crate::block(t.remote.rollback(&t.project, &branch, to.as_deref(), &mut print_push))?;
            if r.is_ok() {
                eprintln!("note: a rollback switches code only; schema changes made since are not undone");
            }
            Ok(finish(r, "rollback", &branch))
        }
        DeployCommand::Deployments { action: DeploymentsAction::List { branch, remote } } => {
            let t = target(&remote.project_dir, &remote)?;
            print!("{}", deployments_table(&crate::block(t.remote.deployments(&t.project, branch.as_deref()))?));
            Ok(ExitCode::SUCCESS)
        }
        DeployCommand::Branches { action: BranchesAction::List { remote } } => {
            let t = target(&remote.project_dir, &remote)?;
            print!("{}", branches_table(&crate::block(t.remote.branches(&t.project))?));
            Ok(ExitCode::SUCCESS)
        }
        DeployCommand::Branches { action: BranchesAction::Delete { name, remote } } => {
            let t = target(&remote.project_dir, &remote)?;
            crate::block(t.remote.delete_branch(&t.project, &name))?;
            println!("deleted the branch {name} of {}: its deployments, data and secrets", t.project);
            Ok(ExitCode::SUCCESS)
        }
        DeployCommand::Secrets { action } => secrets_command(action),
        DeployCommand::RunDeployment { dir, mode, threads, trust_forwarded_for } => {
            let Some(mode) = Mode::from_arg(&mode) else { bail!("unknown mode {mode}") };
            if trust_forwarded_for {
                palbase_server::trust_forwarded_for();
            }
            palbase_deploy::child::stop_when_stdin_closes();
            crate::init_logging();
            match run_deployment(&dir, mode, threads) {
                Ok(code) => Ok(code),
                Err(e) => {
                    emit(&ChildEvent::Failed { errors: format!("error: {e:#}") });
                    Ok(ExitCode::FAILURE)
                }
            }
        }
    }
}

fn server_event(ev: palbase_deploy::server::ServerEvent) {
    use palbase_deploy::server::ServerEvent as E;
    let mut out = std::io::stdout().lock();
    let _ = match ev {
        E::AdminToken(t) => writeln!(out, "admin token (shown once, only its hash is kept): {t}\n  export PALBASE_TOKEN={t}"),
        E::Listening(addr) => writeln!(out, "palbase server on http://{addr}: projects at http://<project>.localhost:{}", addr.port()),
        E::Live { project, branch, deployment, url, pid, port } => writeln!(out, "{branch} of {project} serves {deployment} at {url} (process {}, port {port})", pid.unwrap_or(0)),
        E::StartFailed { project, branch, deployment, errors } => writeln!(std::io::stderr(), "{branch} of {project}: {deployment} did not start:\n{errors}"),
        E::Crashed { project, branch, deployment, status, restart_in } => {
            writeln!(std::io::stderr(), "{branch} of {project}: the process of {deployment} exited unexpectedly ({status}); restarting it{}", if restart_in.is_zero() { String::new() } else { format!(" in {restart_in:?}") })
        }
        E::Log { project, branch, line } => writeln!(std::io::stderr(), "[{project}/{branch}] {line}"),
    };
    let _ = out.flush();
}

fn token_command(action: TokenAction) -> anyhow::Result<ExitCode> {
    let tokens = palbase_deploy::tokens::Tokens::new(None);
    match action {
        TokenAction::Create { project, state } => {
            let store = state.open()?;
            let (token, rec) = crate::block(tokens.create(&store, project.as_deref()))?;
            eprintln!("{} ({}): shown once, only its hash is kept", rec.id, rec.project.as_deref().map_or("admin".to_string(), |p| format!("project {p}")));
            println!("{token}");
        }
        TokenAction::Revoke { id, state } => {
            let store = state.open()?;
            if !crate::block(tokens.revoke(&store, &id))? {
                bail!("no token {id} (`palbase server token list`)");
            }
            println!("revoked {id}: it is refused from now on");
        }
        TokenAction::List { state } => {
            let store = state.open()?;
            for t in crate::block(tokens.list(&store))? {
                println!("{}  {:<20} created {}", t.id, t.project.as_deref().map_or("admin".to_string(), |p| format!("project {p}")), ts(&t.created_at));
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn secrets_command(action: SecretsAction) -> anyhow::Result<ExitCode> {
    match action {
        SecretsAction::Set { name, value, branch, remote } => {
            let t = target(&remote.project_dir, &remote)?;
            let value = match value {
                Some(v) => v,
                None => {
                    if std::io::stdin().is_terminal() {
                        eprint!("value of {name} (not echoed back, end with Enter): ");
                    }
                    let mut v = String::new();
                    std::io::stdin().read_to_string(&mut v)?;
                    v.trim_end_matches(['\n', '\r']).to_string()
                }
            };
            let restarted = crate::block(t.remote.set_secret(&t.project, &branch, &name, &value))?;
            println!("set {name} on {branch} of {}{}", t.project, restarted.map(|d| format!(" ({d} restarted with it)")).unwrap_or_default());
        }
        SecretsAction::List { branch, remote } => {
            let t = target(&remote.project_dir, &remote)?;
            let list = crate::block(t.remote.secrets(&t.project, &branch))?;
            if list.is_empty() {
                println!("no secrets on {branch} (`palbase secrets set NAME`)");
            }
            for s in list {
                println!("{:<32} updated {}", s.name, ts(&s.updated_at));
            }
        }
        SecretsAction::Unset { name, branch, remote } => {
            let t = target(&remote.project_dir, &remote)?;
            let restarted = crate::block(t.remote.unset_secret(&t.project, &branch, &name))?;
            println!("unset {name} on {branch} of {}{}", t.project, restarted.map(|d| format!(" ({d} restarted without it)")).unwrap_or_default());
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// The deployment's process: check, migrate, then serve as `palbase serve` does, reporting
/// [`ChildEvent`]s on stdout.
fn run_deployment(dir: &Path, mode: Mode, threads: usize) -> anyhow::Result<ExitCode> {
    let (root, mut settings, mut env) = crate::load_with_env(dir)?;
    for (k, v) in palbase_deploy::child::secrets_from_env() {
        env.insert(k, v);
    }
    let env_json: Arc<str> = Arc::from(serde_json::to_string(&env)?);
    settings.server.port = 0;
    settings.server.host = "127.0.0.1".into();
    settings.server.threads = threads;
    // Hosted code: `fetch` reaches no loopback, private or metadata address but those the
    // project's `[fetch] allow` names (docs/runtime.md, Outgoing fetch).
    settings.fetch.allow_private = false;
    let app = palbase_app::App::open(&root, &settings)?;
    if mode != Mode::Restart {
        // Compiled and loaded exactly as `palbase check` does, and checked by every service
        // (a webhook's secret, flags.toml): nothing migrates if this fails.
        let errors = match palbase_server::check_version(&root, &settings, env_json.clone(), &app.services) {
            Err(e) => Some(e.to_string()),
            Ok(checked) => match checked.schema {
                Some(schema) => migrate(&app.db, &schema, mode)?,
                None => None,
            },
        };
        if let Some(errors) = errors {
            emit(&ChildEvent::Failed { errors });
            return Ok(ExitCode::FAILURE);
        }
    }
    let auth = crate::verifier(&root, &settings)?;
    palbase_server::serve(palbase_server::ServeOptions { root, settings, services: app.services, ops: app.ops, auth, env_json, watch: false, shared_limiter: app.shared_limiter, on_event: Box::new(child_event) })?;
    Ok(ExitCode::SUCCESS)
}

/// Brings the branch's database to `schema` (a push), or checks that it already serves it (a
/// rollback: tables and columns the old code does not know are fine, anything it needs and the
/// database lacks is not). The errors to show, if it must not go live.
fn migrate(db: &palbase_db::Db, schema: &serde_json::Value, mode: Mode) -> anyhow::Result<Option<String>> {
    if let Mode::Push { accept_data_loss } = mode {
        let report = db.migrate(schema, palbase_db::MigrateOptions { allow_data_loss: accept_data_loss, dry_run: false })?;
        if !report.refused.is_empty() {
            let mut e: Vec<String> = report.refused.iter().map(|r| format!("error: db/schema.ts: {}", r.message)).collect();
            e.push("  hint: review the change, then push again with --accept-data-loss to apply it".into());
            return Ok(Some(e.join("\n")));
        }
        if !report.applied.is_empty() {
            let n = report.applied.len();
            let mut m = format!("migrated the {} database ({n} statement{}):", settings_branch(), if n == 1 { "" } else { "s" });
            for c in &report.changes {
                m.push_str(&format!("\n  {c}"));
            }
            emit(&ChildEvent::Progress { message: m });
        }
        return Ok(None);
    }
    let report = db.migrate(schema, palbase_db::MigrateOptions { allow_data_loss: false, dry_run: true })?;
    let needs: Vec<&String> = report.changes.iter().filter(|c| !c.starts_with("- ")).collect();
    Ok((!needs.is_empty()).then(|| {
        format!(
            "error: this deployment's db/schema.ts does not match the current database, which a rollback does not change:\n{}\n  hint: a rollback switches code only; push a version that works on the current schema instead",
            needs.iter().map(|c| format!("  {c}")).collect::<Vec<_>>().join("\n")
        )
    }))
}

fn settings_branch() -> String {
    std::env::var("PALBASE_BRANCH").unwrap_or_else(|_| MAIN.into())
}

fn child_event(ev: palbase_server::ServeEvent) {
    use palbase_server::ServeEvent as E;
    match ev {
        E::Listening { addr, .. } => emit(&ChildEvent::Listening { addr: addr.to_string() }),
        E::Ready { elapsed, .. } => emit(&ChildEvent::Ready { ms: elapsed.as_millis() as u64 }),
        E::LoadFailed { errors, .. } => emit(&ChildEvent::Failed { errors: errors.to_string() }),
        E::Notice(n) => emit(&ChildEvent::Progress { message: std::iter::once(n.title.clone()).chain(n.lines.iter().map(|l| format!("  {l}"))).collect::<Vec<_>>().join("\n") }),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_output() {
        let lines: Vec<String> = [
            PushEvent::Bundle { files: 6, bytes: 3210, missing: 2, missing_bytes: 800 },
            PushEvent::Uploaded { files: 2, bytes: 800 },
            PushEvent::Progress("deployment d1: compiling, loading and migrating".into()),
            PushEvent::Live { deployment: "d1".into(), url: "http://t.localhost:4100/".into(), ms: 312 },
            PushEvent::Bundle { files: 6, bytes: 3210, missing: 0, missing_bytes: 0 },
        ]
        .iter()
        .map(push_line)
        .collect();
        insta::assert_snapshot!(lines.join("\n"), @r"
        bundle: 6 files (3.1 KiB), uploading 2 (800 B)
        uploaded 2 files (800 B)
        deployment d1: compiling, loading and migrating
        live in 312 ms: deployment d1
        bundle: 6 files (3.1 KiB), all already on the server
        ");
    }

    #[test]
    fn lists() {
        use palbase_deploy::{
            server::{BranchRow, DeploymentRow},
            store::{Deployment, Status},
        };
        let at: jiff::Timestamp = "2026-01-02T03:04:05Z".parse().unwrap();
        let d = |id: &str, status, live| DeploymentRow { deployment: Deployment { id: id.into(), project: "shop".into(), branch: "main".into(), created_at: at, files: 4, bytes: 2048, status, error: None }, live };
        insta::assert_snapshot!(deployments_table(&[d("d2", Status::Ready, true), d("d1", Status::Failed, false), d("d0", Status::Ready, false)]), @r"
        * d2  main         live        2026-01-02 03:04:05  4 files, 2.0 KiB
          d1  main         failed      2026-01-02 03:04:05  4 files, 2.0 KiB
          d0  main         ready       2026-01-02 03:04:05  4 files, 2.0 KiB
        ");
        let b = BranchRow { name: "dev".into(), deployment: Some("d2".into()), since: Some(at), serving: true, url: "http://dev--shop.localhost:4100/".into() };
        insta::assert_snapshot!(branches_table(&[b]), @"dev              serving d2                   http://dev--shop.localhost:4100/");
    }
}
