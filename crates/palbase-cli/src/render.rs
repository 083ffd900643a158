//! Terminal output: how the CLI shows what the library crates report.

use std::io::Write;

use palbase_server::{Level, Notice, RouteRow, ServeEvent};

/// The route table printed at start, on reload and by `palbase check`.
pub fn route_table(routes: &[RouteRow]) -> String {
    let mut s = String::new();
    let w = routes.iter().map(|r| r.path.len()).max().unwrap_or(0).max(4);
    for r in routes {
        let mut notes = Vec::new();
        match &r.auth {
            Some(Some(role)) => notes.push(format!("auth: role {role}")),
            Some(None) => notes.push("auth: required".into()),
            None => {}
        }
        if let Some((max, window)) = r.rate_limit {
            notes.push(format!("rate: {max}/{window}s"));
        }
        let notes = if notes.is_empty() { String::new() } else { format!("  [{}]", notes.join(", ")) };
        s.push_str(&format!("  {:<6} {:<w$}  {}{}\n", r.method, r.path, r.file, notes));
    }
    if routes.is_empty() {
        s.push_str("  (no endpoints yet: add endpoints/hello/get.ts)\n");
    }
    s
}

fn notice(n: &Notice) -> String {
    let mut s = match n.level {
        Level::Info => n.title.clone(),
        Level::Warning => format!("warning: {}", n.title),
        Level::Error => format!("error: {}", n.title),
    };
    for l in &n.lines {
        s.push_str("\n  ");
        s.push_str(l);
    }
    s
}

/// Prints one event of `palbase serve`.
pub fn serve_event(ev: ServeEvent) {
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let _ = match ev {
        ServeEvent::Listening { root, addr, threads } => writeln!(out, "palbase serving {} on http://{addr} ({threads} threads)", root.display()),
        ServeEvent::Notice(n) if n.level == Level::Info => writeln!(out, "{}", notice(&n)),
        ServeEvent::Notice(n) => writeln!(err, "{}", notice(&n)),
        ServeEvent::Ready { routes, elapsed } => writeln!(out, "routes:\n{}ready in {} ms", route_table(&routes), elapsed.as_millis()),
        ServeEvent::Changed(names) => writeln!(out, "change: {}", names.join(", ")),
        ServeEvent::Reloaded { routes, elapsed } => writeln!(out, "reloaded in {} ms\n{}", elapsed.as_millis(), route_table(&routes)),
        ServeEvent::LoadFailed { errors, keeps_serving } => {
            let _ = writeln!(err, "{errors}");
            if keeps_serving { writeln!(err, "the previous version keeps serving") } else { Ok(()) }
        }
        ServeEvent::ShuttingDown => writeln!(out, "shutting down"),
    };
    let _ = out.flush();
}

fn when(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms).map(|t| t.strftime("%Y-%m-%d %H:%M:%S").to_string()).unwrap_or_else(|_| "-".into())
}

/// `palbase outbox list`: one line per message, newest first.
pub fn outbox_list(messages: &[palbase_notify::Record]) -> String {
    if messages.is_empty() {
        return "the outbox is empty\n".into();
    }
    let mut s = String::new();
    for m in messages {
        s.push_str(&format!("{}  {:<5} {:<7} {}  {}\n", m.id, m.channel, m.status, when(m.created_at), m.summary));
    }
    s
}

/// `palbase outbox show ID`: the message's state, then what it rendered to (an email's
/// headers and text/html parts, as sent).
pub fn outbox_show(m: &palbase_notify::Record) -> String {
    let mut s = format!("message {}\n  channel:  {}\n  status:   {}\n  provider: {}\n  attempts: {}\n  created:  {}\n", m.id, m.channel, m.status, m.provider, m.attempts, when(m.created_at));
    if let Some(t) = m.sent_at {
        s.push_str(&format!("  sent:     {}\n", when(t)));
    }
    if let Some(k) = &m.idempotency_key {
        s.push_str(&format!("  key:      {k}\n"));
    }
    if let Some(p) = &m.provider_id {
        s.push_str(&format!("  provider id: {p}\n"));
    }
    if let Some(a) = &m.answer {
        s.push_str(&format!("  answer:   {a}\n"));
    }
    if let Some(e) = &m.last_error {
        s.push_str(&format!("  error:    {e}\n"));
    }
    s.push_str(&format!("  envelope: {}\n\n", m.envelope));
    s.push_str(m.rendered.replace("\r\n", "\n").trim_end());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record() -> palbase_notify::Record {
        palbase_notify::Record {
            id: "msg_0190aaaa".into(),
            channel: "email".into(),
            status: "outbox".into(),
            provider: "outbox".into(),
            summary: "to a@example.com: \"Hi\"".into(),
            params: serde_json::json!({}),
            rendered: "From: app@example.com\r\nTo: a@example.com\r\nSubject: Hi\r\n\r\nHello\r\n".into(),
            envelope: serde_json::json!({"from": "app@example.com", "to": ["a@example.com"]}),
            idempotency_key: Some("email:k1".into()),
            job_id: None,
            attempts: 1,
            provider_id: None,
            answer: None,
            last_error: None,
            created_at: 1_780_000_000_000,
            updated_at: 1_780_000_000_000,
            sent_at: None,
            done: Vec::new(),
        }
    }

    #[test]
    fn outbox_snapshots() {
        insta::assert_snapshot!("outbox_list", outbox_list(&[record()]));
        insta::assert_snapshot!(outbox_list(&[]), @"the outbox is empty");
        insta::assert_snapshot!("outbox_show", outbox_show(&record()));
    }

    #[test]
    fn route_table_snapshot() {
        let row = |m: &str, p: &str, f: &str, auth, rate_limit| RouteRow { method: m.into(), path: p.into(), file: f.into(), auth, rate_limit };
        let rows = [
            row("POST", "/echo/:id", "endpoints/echo/[id]/post.ts", Some(None), Some((100, 60.0))),
            row("GET", "/hello", "endpoints/hello/get.ts", None, None),
            row("DELETE", "/admin/:id", "endpoints/admin/[id]/delete.ts", Some(Some("admin".into())), None),
        ];
        insta::assert_snapshot!("route_table", route_table(&rows));
        insta::assert_snapshot!(route_table(&[]), @"  (no endpoints yet: add endpoints/hello/get.ts)");
        let n = Notice::warning("db/schema.ts: the schema change was not applied:", vec!["- drop column x".into(), "hint: run `palbase migrate --accept-data-loss`".into()]);
        insta::assert_snapshot!("refused_migration_notice", notice(&n));
    }
}
