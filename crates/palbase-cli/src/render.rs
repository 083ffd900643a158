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

#[cfg(test)]
mod tests {
    use super::*;

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
