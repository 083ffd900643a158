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

/// `palbase flags list`.
pub fn flag_list(set: &palbase_flags::FlagSet) -> String {
    if set.flags.is_empty() {
        return "no flags (define them in flags.toml: see docs/runtime.md, Flags)\n".into();
    }
    let mut s = String::new();
    for f in set.flags.values() {
        s.push_str(&palbase_app::describe_flag(f));
        s.push('\n');
        if let Some(d) = &f.description {
            s.push_str(&format!("  {d}\n"));
        }
        for (i, r) in f.rules.iter().enumerate() {
            let when = if r.when.is_empty() { "always".to_string() } else { r.when.iter().map(|c| format!("{} {} {}", c.attr, c.op.as_str(), c.value)).collect::<Vec<_>>().join(" and ") };
            let then = match &r.then {
                palbase_flags::def::Then::Serve(sv) => serve(sv),
                palbase_flags::def::Then::Rollout(p) => format!("{p} %"),
            };
            s.push_str(&format!("  rule {}: {when} → {then}\n", i + 1));
        }
    }
    s
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

fn serve(s: &palbase_flags::Serve) -> String {
    match s {
        palbase_flags::Serve::Off => "off".into(),
        palbase_flags::Serve::On => "on".into(),
        palbase_flags::Serve::Variant(v) => format!("variant {v}"),
    }
}

/// `palbase flags eval`: the decision and why.
pub fn flag_evaluation(e: &palbase_flags::Evaluation, flag: Option<&palbase_flags::Flag>) -> String {
    let mut s = format!("{}: {}", e.flag, if e.enabled { "on" } else { "off" });
    if let Some(v) = &e.variant {
        s.push_str(&format!(", variant {v}"));
    }
    s.push('\n');
    let why = match e.reason {
        palbase_flags::Reason::Unknown => "no such flag in flags.toml (off)".to_string(),
        palbase_flags::Reason::Override => format!("overridden by {}", palbase_flags::override_var(&e.flag)),
        palbase_flags::Reason::Disabled => "enabled = false".into(),
        palbase_flags::Reason::AllowList => "the user id is in `allow`".into(),
        palbase_flags::Reason::Rule => format!("rule {} matched", e.rule.unwrap_or(0)),
        palbase_flags::Reason::Rollout => match flag {
            Some(f) if f.rollout < 100.0 => format!("rollout {} %", f.rollout),
            Some(f) if !f.variants.is_empty() => "on for everyone; the variant by weight from the user id".into(),
            _ => "on for everyone".into(),
        },
        palbase_flags::Reason::Default => "the flag's default (deciding needs a userId: pass --user)".into(),
    };
    s.push_str(&format!("  reason  {why}\n"));
    if let Some(b) = e.bucket {
        s.push_str(&format!("  bucket  {b} (GrowthBook hash v2 of the flag name and user id)\n"));
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

    #[test]
    fn flags_snapshot() {
        let set = palbase_flags::FlagSet::parse(
            "[new-checkout]\ndescription = \"The one-page checkout\"\nrollout = 25\nallow = [\"u1\"]\n[[new-checkout.rules]]\nwhen = [{ attr = \"role\", op = \"eq\", value = \"admin\" }, { attr = \"appVersion\", op = \"semver_gte\", value = \"2.3.0\" }]\n\n[button-color]\nvariants = { blue = 50, green = 30, red = 20 }\ndefault = \"blue\"\n\n[legacy]\nenabled = false\n",
        )
        .unwrap();
        insta::assert_snapshot!("flag_list", flag_list(&set));
        let f = &set.flags["new-checkout"];
        let ctx = |v: serde_json::Value| v.as_object().cloned().unwrap();
        let out = [
            flag_evaluation(&f.evaluate(&ctx(serde_json::json!({"userId": "user_1"}))), Some(f)),
            flag_evaluation(&f.evaluate(&ctx(serde_json::json!({"role": "admin", "appVersion": "2.4"}))), Some(f)),
            flag_evaluation(&f.evaluate(&ctx(serde_json::json!({}))), Some(f)),
            flag_evaluation(&set.flags["button-color"].evaluate(&ctx(serde_json::json!({"userId": "user_1"}))), set.flags.get("button-color")),
            flag_evaluation(&palbase_flags::Evaluation::unknown("nope"), None),
        ];
        insta::assert_snapshot!("flag_evaluations", out.join("\n"));
    }
}
