//! The suite macros expand to one test per backend and name, each handed its backend; the wait
//! helpers poll until a timeout.

use std::time::{Duration, Instant};

use palbase_testkit::DbKind;
use palbase_testkit::wait::{poll, wait_for};

/// The test's name as libtest gives it (`<backend>::<name>`), when it runs on a thread of its own.
fn test_name() -> Option<String> {
    std::thread::current().name().filter(|n| *n != "main").map(str::to_owned)
}

palbase_testkit::backend_suite! {
    #[test]
    one => Ok::<_, String>(1),
    two => Ok::<_, String>(2);
    gets_its_backend,
}

fn gets_its_backend(n: u32) {
    if let Some(name) = test_name() {
        assert_eq!(name, format!("{}::gets_its_backend", ["one", "two"][n as usize - 1]));
    }
}

palbase_testkit::backend_suite! {
    #[tokio::test] async
    borrowed => Ok::<_, String>(String::from("lent"));
    async_body_borrows_it,
}

async fn async_body_borrows_it(s: &String) {
    tokio::task::yield_now().await;
    assert_eq!(s, "lent");
}

palbase_testkit::db_suite!(db_kinds);

fn db_kinds(kind: DbKind) {
    if let Some(name) = test_name() {
        assert_eq!(name, format!("{}::db_kinds", kind.name()));
    }
}

#[test]
fn poll_returns_the_first_value() {
    let t0 = Instant::now();
    assert_eq!(poll(Duration::from_secs(5), || (t0.elapsed() > Duration::from_millis(20)).then_some(3)), Some(3));
    assert_eq!(poll(Duration::from_millis(20), || None::<u8>), None);
}

#[test]
#[should_panic(expected = "timed out after 20ms waiting for nothing")]
fn wait_for_names_what_it_waited_for() {
    wait_for("nothing", Duration::from_millis(20), || false);
}
