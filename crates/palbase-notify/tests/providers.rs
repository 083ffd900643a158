//! The HTTP providers against a loopback server that checks each request exactly as the
//! provider documents it (method, path, auth, headers, JSON or form body; the APNs and FCM JWTs
//! verified with the public keys) and answers, in turn: success, 429 with `Retry-After`, 503,
//! and a 4xx refusal.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use base64::Engine;
use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::{TokioExecutor, TokioIo};
use palbase_notify::message::{self, EmailParams, PushParams, SmsParams};
use palbase_notify::{Apns, DeliveryError, Fcm, Prepared, Provider, Record, Resend, Twilio};
use serde_json::{Value, json};

/// One request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    version: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

impl Seen {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap()
    }
    fn form(&self) -> HashMap<String, String> {
        form_urlencoded::parse(&self.body).into_owned().collect()
    }
}

type Answer = (u16, Vec<(&'static str, String)>, String);

/// A loopback HTTP server (HTTP/1.1, or HTTP/2 with prior knowledge) answering from a script.
struct Loopback {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    script: Arc<Mutex<Vec<Answer>>>,
}

impl Loopback {
    async fn start(h2: bool) -> Loopback {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let script: Arc<Mutex<Vec<Answer>>> = Arc::default();
        let (s2, sc2) = (seen.clone(), script.clone());
        tokio::spawn(async move {
            loop {
                let Ok((tcp, _)) = listener.accept().await else { return };
                let (seen, script) = (s2.clone(), sc2.clone());
                let svc = service_fn(move |req: Request<hyper::body::Incoming>| {
                    let (seen, script) = (seen.clone(), script.clone());
                    async move {
                        let (parts, body) = req.into_parts();
                        let body = body.collect().await.map(|b| b.to_bytes().to_vec()).unwrap_or_default();
                        let headers = parts.headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or_default().to_owned())).collect();
                        seen.lock().unwrap().push(Seen { method: parts.method.to_string(), path: parts.uri.path().to_owned(), version: format!("{:?}", parts.version), headers, body });
                        let (status, hs, text) = {
                            let mut s = script.lock().unwrap();
                            if s.is_empty() { (500, vec![], "no scripted answer".to_owned()) } else { s.remove(0) }
                        };
                        let mut r = Response::builder().status(status);
                        for (k, v) in hs {
                            r = r.header(k, v);
                        }
                        Ok::<_, Infallible>(r.body(Full::new(Bytes::from(text))).unwrap())
                    }
                });
                tokio::spawn(async move {
                    let io = TokioIo::new(tcp);
                    if h2 {
                        let _ = hyper::server::conn::http2::Builder::new(TokioExecutor::new()).serve_connection(io, svc).await;
                    } else {
                        let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, svc).await;
                    }
                });
            }
        });
        Loopback { url, seen, script }
    }

    fn answer(&self, a: Answer) {
        self.script.lock().unwrap().push(a);
    }

    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

fn record(id: &str, p: Prepared) -> Record {
    Record {
        id: id.to_owned(),
        channel: p.channel.as_str().to_owned(),
        status: "queued".into(),
        provider: "test".into(),
        summary: p.summary,
        params: p.params,
        rendered: p.rendered,
        envelope: p.envelope,
        idempotency_key: None,
        job_id: None,
        attempts: 0,
        provider_id: None,
        answer: None,
        last_error: None,
        created_at: 0,
        updated_at: 0,
        sent_at: None,
        done: Vec::new(),
    }
}

/// The shared answers: 429 with Retry-After, 503, then the given refusal.
async fn transient_then_permanent(srv: &Loopback, p: &dyn Provider, m: &Record, target: Option<&str>, refusal: Answer, permanent_text: &str) {
    srv.answer((429, vec![("retry-after", "7".into())], "{\"message\":\"slow down\"}".into()));
    match p.deliver(m, target).await {
        Err(DeliveryError::Transient { retry_after, message }) => {
            assert_eq!(retry_after, Some(Duration::from_secs(7)), "{message}");
            assert!(message.contains("429"), "{message}");
        }
        other => panic!("429: {other:?}"),
    }
    srv.answer((503, vec![], "unavailable".into()));
    match p.deliver(m, target).await {
        Err(DeliveryError::Transient { retry_after: None, message }) => assert!(message.contains("503"), "{message}"),
        other => panic!("503: {other:?}"),
    }
    srv.answer(refusal);
    match p.deliver(m, target).await {
        Err(DeliveryError::Permanent { message }) => assert!(message.contains(permanent_text), "{message}"),
        other => panic!("refusal: {other:?}"),
    }
}

#[tokio::test]
async fn resend_email_api() {
    let srv = Loopback::start(false).await;
    let resend = Resend::new(&srv.url, "re_test_key".into(), Duration::from_secs(5)).unwrap();
    let p: EmailParams = serde_json::from_value(json!({
        "to": ["Ann <ann@example.com>"], "cc": "carl@example.com", "bcc": "hidden@example.com", "replyTo": "help@example.com",
        "subject": "Grüße", "text": "Hi", "html": "<p>Hi</p>", "headers": {"X-Campaign": "spring"}, "tags": {"kind": "welcome"},
        "attachments": [{"filename": "a.txt", "content": "aGVsbG8=", "contentType": "text/plain"}]
    }))
    .unwrap();
    let m = record("msg_1", message::email(&p, Some("App <app@example.com>"), None).unwrap());
    srv.answer((200, vec![], "{\"id\":\"4ef9a417-02e9-4d39-ad75-9611e0fcc33c\"}".into()));
    let d = resend.deliver(&m, None).await.unwrap();
    assert_eq!(d.provider_id.as_deref(), Some("4ef9a417-02e9-4d39-ad75-9611e0fcc33c"));
    let seen = srv.take();
    assert_eq!(seen.len(), 1);
    let r = &seen[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/emails"));
    assert_eq!(r.headers["authorization"], "Bearer re_test_key");
    assert!(r.headers["content-type"].starts_with("application/json"));
    assert_eq!(r.headers["idempotency-key"], "msg_1");
    assert_eq!(
        r.json(),
        json!({
            "from": "App <app@example.com>", "to": ["Ann <ann@example.com>"], "subject": "Grüße",
            "cc": ["carl@example.com"], "bcc": ["hidden@example.com"], "reply_to": ["help@example.com"],
            "text": "Hi", "html": "<p>Hi</p>", "headers": {"X-Campaign": "spring"}, "tags": [{"name": "kind", "value": "welcome"}],
            "attachments": [{"filename": "a.txt", "content": "aGVsbG8=", "content_type": "text/plain"}]
        })
    );
    transient_then_permanent(&srv, &resend, &m, None, (422, vec![], "{\"name\":\"validation_error\",\"message\":\"Invalid `to` field\"}".into()), "validation_error").await;
}

#[tokio::test]
async fn twilio_sms_api() {
    let srv = Loopback::start(false).await;
    let twilio = Twilio::new(&srv.url, "AC0123456789abcdef".into(), "auth-token".into(), Duration::from_secs(5)).unwrap();
    let p: SmsParams = serde_json::from_value(json!({"to": ["+14155550100", "+14155550101"], "body": "Your code: 123 & more"})).unwrap();
    let m = record("msg_2", message::sms(&p, Some("+14155550199")).unwrap());
    srv.answer((201, vec![], "{\"sid\":\"SM1\",\"status\":\"queued\"}".into()));
    let d = twilio.deliver(&m, Some("+14155550101")).await.unwrap();
    assert_eq!(d.provider_id.as_deref(), Some("SM1"));
    let r = &srv.take()[0];
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/2010-04-01/Accounts/AC0123456789abcdef/Messages.json"));
    let basic = base64::engine::general_purpose::STANDARD.encode("AC0123456789abcdef:auth-token");
    assert_eq!(r.headers["authorization"], format!("Basic {basic}"));
    assert_eq!(r.headers["content-type"], "application/x-www-form-urlencoded");
    let form = r.form();
    assert_eq!(form, HashMap::from([("To".into(), "+14155550101".into()), ("From".into(), "+14155550199".into()), ("Body".into(), "Your code: 123 & more".into())]));
    transient_then_permanent(&srv, &twilio, &m, Some("+14155550100"), (400, vec![], "{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\"}".into()), "21211").await;
}

fn claims(token: &str, alg: jsonwebtoken::Algorithm, pem: &[u8], ec: bool, aud: Option<&str>) -> (jsonwebtoken::Header, Value) {
    let key = if ec { jsonwebtoken::DecodingKey::from_ec_pem(pem).unwrap() } else { jsonwebtoken::DecodingKey::from_rsa_pem(pem).unwrap() };
    let mut v = jsonwebtoken::Validation::new(alg);
    v.required_spec_claims.clear();
    v.validate_exp = false;
    match aud {
        Some(a) => v.set_audience(&[a]),
        None => v.validate_aud = false,
    }
    let d = jsonwebtoken::decode::<Value>(token, &key, &v).unwrap_or_else(|e| panic!("the JWT does not verify with the public key: {e}"));
    (d.header, d.claims)
}

fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64
}

#[tokio::test]
async fn apns_over_http2_with_token_auth() {
    let srv = Loopback::start(true).await;
    let key = include_bytes!("fixtures/apns_key.p8");
    let apns = Apns::new(&srv.url, key, "ABC123DEFG".into(), "TEAM123456".into(), "com.example.app".into(), Duration::from_secs(5)).unwrap();
    let p: PushParams = serde_json::from_value(json!({"token": ["tok1", "tok2"], "title": "Hi", "body": "There", "badge": 3, "sound": "default", "data": {"orderId": "42"}})).unwrap();
    let m = record("msg_01a23287840e7644a763ad6752cb72d7", message::push(&p).unwrap());
    srv.answer((200, vec![("apns-id", "01a23287-840e-7644-a763-ad6752cb72d7".into())], String::new()));
    let d = apns.deliver(&m, Some("tok1")).await.unwrap();
    assert_eq!(d.provider_id.as_deref(), Some("01a23287-840e-7644-a763-ad6752cb72d7"));
    let r = &srv.take()[0];
    assert_eq!(r.version, "HTTP/2.0", "APNs is HTTP/2 only");
    assert_eq!((r.method.as_str(), r.path.as_str()), ("POST", "/3/device/tok1"));
    assert_eq!(r.headers["apns-topic"], "com.example.app");
    assert_eq!(r.headers["apns-push-type"], "alert");
    assert_eq!(r.headers["apns-id"], "01a23287-840e-7644-a763-ad6752cb72d7");
    let jwt = r.headers["authorization"].strip_prefix("bearer ").expect("bearer <jwt>");
    let (h, c) = claims(jwt, jsonwebtoken::Algorithm::ES256, include_bytes!("fixtures/apns_pub.pem"), true, None);
    assert_eq!(h.kid.as_deref(), Some("ABC123DEFG"));
    assert_eq!(c["iss"], "TEAM123456");
    assert!((c["iat"].as_i64().unwrap() - now()).abs() < 60, "{c}");
    assert_eq!(r.json(), json!({"aps": {"alert": {"title": "Hi", "body": "There"}, "badge": 3, "sound": "default"}, "orderId": "42"}));
    // The provider token is reused (Apple throttles fresh ones).
    srv.answer((200, vec![], String::new()));
    apns.deliver(&m, Some("tok2")).await.unwrap();
    let again = srv.take();
    assert_eq!(again[0].headers["authorization"], format!("bearer {jwt}"));
    transient_then_permanent(&srv, &apns, &m, Some("tok1"), (410, vec![], "{\"reason\":\"Unregistered\"}".into()), "Unregistered").await;
}

#[tokio::test]
async fn fcm_http_v1_with_a_service_account() {
    let srv = Loopback::start(false).await;
    let token_uri = format!("{}/token", srv.url);
    let sa = json!({
        "type": "service_account", "project_id": "demo-project", "client_email": "push@demo-project.iam.gserviceaccount.com",
        "private_key": String::from_utf8(include_bytes!("fixtures/fcm_key.pem").to_vec()).unwrap(), "token_uri": token_uri,
    });
    let fcm = Fcm::new(&srv.url, &sa.to_string(), Duration::from_secs(5)).unwrap();
    let p: PushParams = serde_json::from_value(json!({"token": "device-1", "title": "Hi", "data": {"k": "v"}, "fcm": {"android": {"priority": "high"}}})).unwrap();
    let m = record("msg_3", message::push(&p).unwrap());
    srv.answer((200, vec![], "{\"access_token\":\"ya29.test\",\"expires_in\":3599,\"token_type\":\"Bearer\"}".into()));
    srv.answer((200, vec![], "{\"name\":\"projects/demo-project/messages/0:1500415314455276%31bd1c9631bd1c96\"}".into()));
    let d = fcm.deliver(&m, Some("device-1")).await.unwrap();
    assert_eq!(d.provider_id.as_deref(), Some("projects/demo-project/messages/0:1500415314455276%31bd1c9631bd1c96"));
    let seen = srv.take();
    assert_eq!(seen.len(), 2);
    let t = &seen[0];
    assert_eq!((t.method.as_str(), t.path.as_str()), ("POST", "/token"));
    assert_eq!(t.headers["content-type"], "application/x-www-form-urlencoded");
    let form = t.form();
    assert_eq!(form["grant_type"], "urn:ietf:params:oauth:grant-type:jwt-bearer");
    let (h, c) = claims(&form["assertion"], jsonwebtoken::Algorithm::RS256, include_bytes!("fixtures/fcm_pub.pem"), false, Some(&token_uri));
    assert_eq!(h.alg, jsonwebtoken::Algorithm::RS256);
    assert_eq!(c["iss"], "push@demo-project.iam.gserviceaccount.com");
    assert_eq!(c["scope"], "https://www.googleapis.com/auth/firebase.messaging");
    assert_eq!(c["exp"].as_i64().unwrap() - c["iat"].as_i64().unwrap(), 3600);
    let s = &seen[1];
    assert_eq!((s.method.as_str(), s.path.as_str()), ("POST", "/v1/projects/demo-project/messages:send"));
    assert_eq!(s.headers["authorization"], "Bearer ya29.test");
    assert_eq!(s.json(), json!({"message": {"notification": {"title": "Hi"}, "data": {"k": "v"}, "android": {"priority": "high"}, "token": "device-1"}}));
    // The access token is reused until it nearly expires: no second token request.
    transient_then_permanent(&srv, &fcm, &m, Some("device-1"), (400, vec![], "{\"error\":{\"code\":400,\"status\":\"INVALID_ARGUMENT\"}}".into()), "INVALID_ARGUMENT").await;
    assert!(srv.take().iter().all(|r| r.path != "/token"));
}

struct NoJs;

impl palbase_queue::Executor for NoJs {
    fn run(&self, _task: palbase_queue::Task) -> std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>> + Send>> {
        Box::pin(async { Err("no JS workers here".to_owned()) })
    }
}

/// Through the service and the queue: an SMS to two numbers where the second one's first try
/// gets a 503 is retried for that number only, then recorded as sent with both provider ids.
#[test]
fn a_retry_resumes_after_the_targets_already_done() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let srv = rt.block_on(Loopback::start(false));
    let dir = palbase_testkit::temp_dir();
    let db = palbase_db::Db::open(None, dir.path()).unwrap();
    let opts = palbase_queue::QueueOptions { backoff_base: Duration::from_millis(50), poll_interval: Duration::from_millis(50), ..Default::default() };
    let queue = palbase_queue::Queue::open(db.clone(), opts).unwrap();
    let twilio: Arc<dyn Provider> = Arc::new(Twilio::new(&srv.url, "AC1".into(), "tok".into(), Duration::from_secs(5)).unwrap());
    let o = palbase_notify::NotifyOptions { sms_from: Some("+14155550199".into()), providers: HashMap::from([(palbase_notify::Channel::Sms, twilio)]), ..Default::default() };
    let n = palbase_notify::Notifications::open(db, queue.clone(), o).unwrap();
    srv.answer((201, vec![], "{\"sid\":\"SM1\"}".into()));
    srv.answer((429, vec![("retry-after", "1".into())], "slow down".into()));
    srv.answer((503, vec![], "busy".into()));
    srv.answer((201, vec![], "{\"sid\":\"SM2\"}".into()));
    queue.start(Arc::new(NoJs));
    let r = rt.block_on(n.send(None, palbase_notify::Channel::Sms, json!({"to": ["+14155550100", "+14155550101"], "body": "hi"}))).unwrap();
    assert_eq!(r["status"], "queued");
    let id = r["id"].as_str().unwrap().to_owned();
    let t0 = std::time::Instant::now();
    let m = loop {
        let m = rt.block_on(n.get(&id)).unwrap().unwrap();
        if m.status == "sent" {
            break m;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "not sent: {m:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(t0.elapsed() >= Duration::from_secs(1), "the 429's Retry-After (1 s) replaced the 50 ms backoff");
    let to: Vec<String> = srv.take().iter().map(|r| r.form()["To"].clone()).collect();
    assert_eq!(to, ["+14155550100", "+14155550101", "+14155550101", "+14155550101"], "the first number is not sent twice");
    assert_eq!(m.attempts, 3);
    assert_eq!(m.provider_id.as_deref(), Some("SM1,SM2"));
    assert_eq!(m.done, ["+14155550100", "+14155550101"]);
    assert_eq!(m.last_error, None);
    // A refusal is permanent: failed after one attempt, with Twilio's answer; the job is dead.
    srv.answer((400, vec![], "{\"code\":21211,\"message\":\"Invalid 'To' Phone Number\"}".into()));
    let r = rt.block_on(n.send(None, palbase_notify::Channel::Sms, json!({"to": "+14155550102", "body": "hi"}))).unwrap();
    let id = r["id"].as_str().unwrap().to_owned();
    let t0 = std::time::Instant::now();
    let m = loop {
        let m = rt.block_on(n.get(&id)).unwrap().unwrap();
        if m.status == "failed" {
            break m;
        }
        assert!(t0.elapsed() < Duration::from_secs(10), "not failed: {m:?}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(m.attempts, 1);
    assert!(m.answer.as_deref().unwrap().contains("21211"), "{m:?}");
    let job = rt.block_on(queue.get(m.job_id.as_deref().unwrap())).unwrap().unwrap();
    wait_dead(&rt, &queue, &job.id);
    std::thread::sleep(Duration::from_millis(200));
    assert_eq!(srv.take().len(), 1, "no retry after a refusal");
    queue.shutdown(Duration::from_secs(1));
}

fn wait_dead(rt: &tokio::runtime::Runtime, q: &palbase_queue::Queue, id: &str) {
    let t0 = std::time::Instant::now();
    while rt.block_on(q.get(id)).unwrap().unwrap().status != palbase_queue::JobStatus::Dead {
        assert!(t0.elapsed() < Duration::from_secs(10), "the job is not dead");
        std::thread::sleep(Duration::from_millis(20));
    }
}
