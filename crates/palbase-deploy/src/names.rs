//! Project and branch names, and the Host rule that reaches a branch without DNS changes:
//! `<project>.<domain>` is the project's `main`, `<branch>--<project>.<domain>` one of its branches.

/// The branch a project serves when none is named.
pub const MAIN: &str = "main";

/// Checks a project or branch name: a DNS label (lowercase letters, digits, `-`; 1–40
/// characters, no leading or trailing `-`) without `--`, which separates branch and project.
pub fn check(kind: &str, name: &str) -> Result<(), String> {
    let ok = !name.is_empty() && name.len() <= 40 && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-') && !name.starts_with('-') && !name.ends_with('-') && !name.contains("--");
    if ok { Ok(()) } else { Err(format!("`{name}` is not a valid {kind} name: use 1 to 40 lowercase letters, digits and single `-` (it becomes part of a host name)")) }
}

/// A project name from `package.json`'s `name`: the scope dropped, lowercased, other
/// characters turned into `-`.
pub fn from_package_name(name: &str) -> String {
    let bare = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let mut out = String::new();
    for c in bare.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '-' };
        if !(c == '-' && out.ends_with('-')) {
            out.push(c);
        }
    }
    out.trim_matches('-').chars().take(40).collect::<String>().trim_end_matches('-').to_string()
}

/// `(project, branch)` of a `Host` header under `domain` (`localhost` by default), or `None`.
pub fn from_host(host: &str, domain: &str) -> Option<(String, String)> {
    let host = host.trim().to_ascii_lowercase();
    let host = host.rsplit_once(':').filter(|(_, p)| p.bytes().all(|b| b.is_ascii_digit())).map_or(host.as_str(), |(h, _)| h);
    let label = host.trim_end_matches('.').strip_suffix(domain)?.strip_suffix('.')?;
    if label.contains('.') {
        return None;
    }
    let (branch, project) = label.split_once("--").unwrap_or((MAIN, label));
    (check("project", project).is_ok() && check("branch", branch).is_ok()).then(|| (project.to_string(), branch.to_string()))
}

/// The host of a branch: the inverse of [`from_host`].
pub fn host(project: &str, branch: &str, domain: &str) -> String {
    if branch == MAIN { format!("{project}.{domain}") } else { format!("{branch}--{project}.{domain}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        let cases: [(&str, Option<(&str, &str)>); 9] = [
            ("shop.localhost", Some(("shop", "main"))),
            ("shop.localhost:4100", Some(("shop", "main"))),
            ("Feature-1--shop.LOCALHOST:4100", Some(("shop", "feature-1"))),
            ("shop.localhost.", Some(("shop", "main"))),
            ("localhost:4100", None),
            ("a.b.localhost", None),
            ("--shop.localhost", None),
            ("x---shop.localhost", None),
            ("shop.example.com", None),
        ];
        for (h, want) in cases {
            assert_eq!(from_host(h, "localhost"), want.map(|(p, b)| (p.to_string(), b.to_string())), "{h}");
        }
        assert_eq!(from_host("dev--api.apps.example.com", "apps.example.com"), Some(("api".into(), "dev".into())));
        assert_eq!(host("shop", "main", "localhost"), "shop.localhost");
        assert_eq!(host("shop", "dev", "localhost"), "dev--shop.localhost");
    }

    #[test]
    fn names() {
        assert!(check("project", "my-app2").is_ok());
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a.b", &"x".repeat(41)] {
            assert!(check("project", bad).is_err(), "{bad}");
        }
        assert_eq!(from_package_name("@acme/My_Backend"), "my-backend");
        assert_eq!(from_package_name("t"), "t");
        assert_eq!(from_package_name("--x--"), "x");
    }
}
