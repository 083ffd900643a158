//! The server's state, one suite on both implementations: the data directory and PostgreSQL
//! (`palbase server --database-url`). "Another server" is a second `Store` over the same state
//! with a data directory of its own (PostgreSQL) or the same one (files).

use std::time::Duration;

use palbase_deploy::{
    manifest::{Entry, sha256_hex},
    secrets::Secrets,
    store::{Status, Store},
    tokens::{Access, Tokens},
};
use palbase_testkit::PgTemp;

struct Fx {
    dirs: Vec<tempfile::TempDir>,
    pg: Option<PgTemp>,
}

impl Fx {
    fn files() -> Result<Fx, String> {
        Ok(Fx { dirs: vec![tempfile::tempdir().unwrap()], pg: None })
    }

    fn postgres() -> Result<Fx, String> {
        palbase_testkit::pg::available()?;
        Ok(Fx { dirs: vec![tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()], pg: Some(PgTemp::try_create()?) })
    }

    /// Server `n`'s view of the state (0 or 1).
    async fn server(&self, n: usize) -> Store {
        let dir = &self.dirs[n.min(self.dirs.len() - 1)];
        Store::open(dir.path(), self.pg.as_ref().map(PgTemp::url)).await.unwrap()
    }

    fn data(&self, n: usize) -> &std::path::Path {
        self.dirs[n.min(self.dirs.len() - 1)].path()
    }
}

fn entry(path: &str, bytes: &[u8]) -> Entry {
    Entry { path: path.into(), sha256: sha256_hex(bytes), size: bytes.len() as u64 }
}

async fn blobs_deployments_and_the_live_pointer(fx: &Fx) {
    let (s, other) = (fx.server(0).await, fx.server(1).await);
    let sha = sha256_hex(b"hello");
    let one = std::slice::from_ref(&sha);
    assert_eq!(s.missing("p", one).await.unwrap(), one);
    assert!(s.put_blob("p", &sha, b"tampered").await.is_err(), "a blob must hash to its name");
    s.put_blob("p", &sha, b"hello").await.unwrap();
    s.put_blob("p", &sha, b"hello").await.unwrap();
    assert!(other.missing("p", one).await.unwrap().is_empty(), "every server sees the blob");
    assert_eq!(s.missing("other", one).await.unwrap(), one, "blob stores are per project");

    let a = s.create_deployment("p", "main", &[entry("a/b.ts", b"hello")]).await.unwrap();
    assert_eq!(a.status, Status::Pending);
    assert_eq!(std::fs::read_to_string(s.code_dir("p", &a.id).join("a/b.ts")).unwrap(), "hello");
    // Another server writes the code from the state the first time it needs it.
    let code = other.materialise("p", &a.id).await.unwrap();
    assert_eq!(std::fs::read_to_string(code.join("a/b.ts")).unwrap(), "hello");
    tokio::time::sleep(Duration::from_millis(2)).await;
    let mut b = s.create_deployment("p", "main", &[]).await.unwrap();
    assert!(b.id > a.id, "ids sort by time");
    b.status = Status::Ready;
    s.save_deployment(&b).await.unwrap();
    assert_eq!(other.deployment("p", &b.id).await.unwrap().unwrap().status, Status::Ready);
    assert!(other.deployment("p", "../etc").await.unwrap().is_none());

    assert!(s.live("p", "main").await.unwrap().is_none());
    s.set_live("p", "main", &a.id).await.unwrap();
    let l = other.set_live("p", "main", &b.id).await.unwrap();
    assert_eq!((l.deployment.as_str(), l.history.as_slice()), (b.id.as_str(), [a.id.clone()].as_slice()));
    let back = s.set_live("p", "main", &a.id).await.unwrap();
    assert_eq!((back.deployment.as_str(), back.history.as_slice()), (a.id.as_str(), [b.id.clone()].as_slice()), "a rollback moves the pointer back");
    assert_eq!(s.deployments("p", Some("main")).await.unwrap().iter().map(|d| d.id.clone()).collect::<Vec<_>>(), [b.id.clone(), a.id.clone()]);
    assert!(s.deployments("p", Some("dev")).await.unwrap().is_empty());
    assert_eq!(other.projects().await.unwrap(), ["p"]);
    assert_eq!(other.branches("p").await.unwrap(), ["main"]);
    let stamps = other.stamps().await.unwrap();
    assert_eq!(stamps.len(), 1);
    assert_eq!(stamps[0].1.deployment.as_deref(), Some(a.id.as_str()));
    assert_eq!(other.stamp("p", "main").await.unwrap(), stamps[0].1, "one branch's stamp is the same as in the list");
    assert_eq!(other.stamp("p", "nope").await.unwrap(), Default::default());

    // A deployment left pending by a killed server is marked interrupted at the next start.
    s.mark_interrupted().await.unwrap();
    assert_eq!(s.deployment("p", &a.id).await.unwrap().unwrap().status, Status::Interrupted);
    assert_eq!(s.deployment("p", &b.id).await.unwrap().unwrap().status, Status::Ready);
}

async fn push_locks_hold_against_other_servers(fx: &Fx) {
    let (s, other) = (fx.server(0).await, fx.server(1).await);
    let held = s.lock_branch("p", "main").await.unwrap().expect("free at first");
    assert!(other.lock_branch("p", "main").await.unwrap().is_none(), "held against another server");
    assert!(s.lock_branch("p", "main").await.unwrap().is_none(), "and against this one");
    assert!(other.lock_branch("p", "dev").await.unwrap().is_some(), "per branch");
    // A deployment pending while its branch is locked is being pushed: not interrupted.
    let d = s.create_deployment("p", "main", &[]).await.unwrap();
    other.mark_interrupted().await.unwrap();
    assert_eq!(other.deployment("p", &d.id).await.unwrap().unwrap().status, Status::Pending);
    drop(held);
    let t0 = std::time::Instant::now();
    while other.lock_branch("p", "main").await.unwrap().is_none() {
        assert!(t0.elapsed() < Duration::from_secs(5), "the lock was not released");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn tokens_are_kept_as_hashes(fx: &Fx) {
    let (s, other) = (fx.server(0).await, fx.server(1).await);
    let t = Tokens::new(None);
    let admin = t.first_start(&s).await.unwrap().expect("the first start makes an admin token");
    assert!(t.first_start(&other).await.unwrap().is_none(), "only the first start of all servers");
    assert_eq!(t.verify(&other, &admin).await, Some(Access::Admin), "valid on every server");
    let (scoped, rec) = t.create(&s, Some("shop")).await.unwrap();
    assert_eq!(t.verify(&other, &scoped).await, Some(Access::Project("shop".into())));
    assert!(!Access::Project("shop".into()).allows("blog"));
    assert_eq!(t.verify(&s, "pbs_nope").await, None);
    let listed = t.list(&other).await.unwrap();
    assert_eq!(listed.len(), 2);
    assert!(listed.iter().all(|r| r.sha256 != admin && r.sha256 != scoped), "only hashes are stored");
    assert!(t.revoke(&other, &rec.id).await.unwrap());
    assert!(!t.revoke(&other, &rec.id).await.unwrap());
    assert_eq!(t.verify(&s, &scoped).await, None, "revoked on every server at once");
    assert!(t.create(&s, Some("Not A Name")).await.is_err());
    let env = Tokens::new(Some("from-env".into()));
    assert_eq!(env.verify(&s, "from-env").await, Some(Access::Admin));
    assert!(env.first_start(&s).await.unwrap().is_none());
}

async fn secrets_are_sealed_and_bound_to_their_branch(fx: &Fx) {
    let (s, other) = (fx.server(0).await, fx.server(1).await);
    let key = "11".repeat(32);
    let sec = Secrets::open(fx.data(0), Some(&key)).unwrap();
    s.check_key(&sec.fingerprint()).await.unwrap();
    let before = s.stamps().await.unwrap();
    sec.set(&s, "p", "main", "STRIPE_KEY", "sk_live_very_secret").await.unwrap();
    let after = other.stamps().await.unwrap();
    assert_ne!(before, after, "a secret change changes the branch's stamp (its process restarts)");
    // Nowhere at rest in clear: not in the data directory, not in the database.
    for dir in [fx.data(0), fx.data(1)] {
        for f in walk(dir) {
            assert!(!String::from_utf8_lossy(&std::fs::read(&f).unwrap()).contains("sk_live_very_secret"), "{}", f.display());
        }
    }
    let same = Secrets::open(fx.data(1), Some(&key)).unwrap();
    other.check_key(&same.fingerprint()).await.unwrap();
    assert_eq!(same.reveal(&other, "p", "main").await.unwrap(), [("STRIPE_KEY".to_string(), "sk_live_very_secret".to_string())]);
    assert!(same.reveal(&other, "p", "dev").await.unwrap().is_empty());
    assert_eq!(same.list(&other, "p", "main").await.unwrap()[0].name, "STRIPE_KEY");
    // Another key does not decrypt them; on one database, a server with another key is refused.
    let wrong = Secrets::open(fx.data(1), Some(&"22".repeat(32))).unwrap();
    assert!(wrong.reveal(&other, "p", "main").await.is_err());
    if other.is_postgres() {
        let e = other.check_key(&wrong.fingerprint()).await.unwrap_err().to_string();
        assert!(e.contains("PALBASE_SERVER_SECRET_KEY"), "{e}");
    }
    assert!(Secrets::open(fx.data(0), Some("short")).is_err());
    assert!(same.unset(&other, "p", "main", "STRIPE_KEY").await.unwrap());
    assert!(!same.unset(&other, "p", "main", "STRIPE_KEY").await.unwrap());
    assert!(sec.list(&s, "p", "main").await.unwrap().is_empty());
    assert!(sec.set(&s, "p", "main", "1BAD", "x").await.is_err());
}

async fn a_deleted_branch_leaves_nothing(fx: &Fx) {
    let (s, other) = (fx.server(0).await, fx.server(1).await);
    let d = s.create_deployment("p", "dev", &[]).await.unwrap();
    s.set_live("p", "dev", &d.id).await.unwrap();
    let sec = Secrets::open(fx.data(0), Some(&"11".repeat(32))).unwrap();
    sec.set(&s, "p", "dev", "A", "b").await.unwrap();
    if let Some(url) = s.branch_database("p", "dev", "abc123").await.unwrap() {
        assert!(url.contains("search_path%3Dpb_p__dev"), "{url}");
        assert!(url.contains(":abc123@"), "the branch's own role: {url}");
    }
    other.delete_branch("p", "dev").await.unwrap();
    assert!(!s.branch_exists("p", "dev").await.unwrap());
    assert!(s.live("p", "dev").await.unwrap().is_none());
    assert!(s.deployments("p", Some("dev")).await.unwrap().is_empty());
    assert!(sec.list(&s, "p", "dev").await.unwrap().is_empty());
    assert!(s.stamps().await.unwrap().is_empty());
}

/// With PostgreSQL, a switch made by one server wakes the others (`NOTIFY`); with files they
/// poll.
async fn switches_wake_the_other_servers(fx: &Fx) {
    let (s, other) = (fx.server(0).await, fx.server(1).await);
    let Some(mut l) = other.listen().await else {
        assert!(!other.is_postgres());
        return;
    };
    let d = s.create_deployment("p", "main", &[]).await.unwrap();
    s.set_live("p", "main", &d.id).await.unwrap();
    tokio::time::timeout(Duration::from_secs(5), l.rx.recv()).await.expect("woken by the switch").expect("listening");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

palbase_testkit::backend_suite! {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)] async
    files => Fx::files(),
    postgres => Fx::postgres();
    blobs_deployments_and_the_live_pointer, push_locks_hold_against_other_servers, tokens_are_kept_as_hashes,
    secrets_are_sealed_and_bound_to_their_branch, a_deleted_branch_leaves_nothing, switches_wake_the_other_servers,
}

#[test]
fn branch_schemas_are_distinct_and_fit() {
    use palbase_deploy::pg::{branch_schema, branch_url};
    assert_eq!(branch_schema("shop", "main"), "pb_shop__main");
    assert_eq!(branch_schema("my-shop", "feature-1"), "pb_my_shop__feature_1");
    assert_ne!(branch_schema("a-b", "c"), branch_schema("a", "b-c"));
    let long = branch_schema(&"p".repeat(40), &"b".repeat(40));
    assert!(long.len() <= 63, "{long}");
    assert_ne!(long, branch_schema(&"p".repeat(40), &format!("{}c", "b".repeat(39))));
    assert_eq!(branch_url("postgres://u@h/db", "pb_x__main", None).unwrap(), "postgres://u@h/db?options=-c%20search_path%3Dpb_x__main");
    assert_eq!(branch_url("postgres://u:p@h:5/db?sslmode=disable", "s", Some(("r", "pw"))).unwrap(), "postgres://r:pw@h:5/db?sslmode=disable&options=-c%20search_path%3Ds");
    assert!(branch_url("host=h user=u", "s", None).is_err());
    assert_ne!(palbase_deploy::pg::branch_role("db1", "p", "main"), palbase_deploy::pg::branch_role("db2", "p", "main"), "roles are per database");
}
