//! Email templates: files under `notifications/` of the project, rendered with minijinja.
//!
//! `template: "welcome"` reads `notifications/welcome.subject.txt` (the subject, one line),
//! `notifications/welcome.txt` (the text body) and `notifications/welcome.html` (the HTML body,
//! autoescaped: `{{ name }}` of `<b>` is `&lt;b&gt;`), each optional but one body is needed.
//! They are read at each send, so an edited template applies at once. A variable the data does
//! not have is an error (`invalid_template`), not an empty string.

use std::path::PathBuf;

use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use serde_json::{Map, Value};

use crate::error::NotifyError;

/// The rendered parts of a template (`None`: that file does not exist).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rendered {
    pub subject: Option<String>,
    pub text: Option<String>,
    pub html: Option<String>,
}

/// The templates of one project.
pub struct Templates {
    dir: PathBuf,
    env: Environment<'static>,
}

/// `welcome`, `orders/shipped`: names of letters, digits, `-` and `_`, separated by `/`.
fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.split('/').all(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'))
}

impl Templates {
    /// Templates read from `dir` (the project's `notifications/`).
    pub fn new(dir: PathBuf) -> Templates {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|name| if name.ends_with(".html") { AutoEscape::Html } else { AutoEscape::None });
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        Templates { dir, env }
    }

    fn part(&self, file: &str, data: &minijinja::Value) -> Result<Option<String>, NotifyError> {
        let path = self.dir.join(file);
        let source = match std::fs::read_to_string(&path) {
            Ok(s) => s,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(NotifyError::InvalidTemplate(format!("notifications/{file}: cannot read it: {e}"))),
        };
        self.env.render_named_str(file, &source, data).map(Some).map_err(|e| {
            let mut msg = format!("notifications/{file}: {e}");
            let mut src = std::error::Error::source(&e);
            while let Some(s) = src {
                msg.push_str(&format!(": {s}"));
                src = s.source();
            }
            NotifyError::InvalidTemplate(msg)
        })
    }

    /// Renders template `name` with `data`.
    pub fn render(&self, name: &str, data: &Map<String, Value>) -> Result<Rendered, NotifyError> {
        if !valid_name(name) {
            return Err(NotifyError::InvalidArguments { field: "template".into(), message: format!("template: `{name}` is not a template name (letters, digits, `-`, `_`, and `/` between them)") });
        }
        let data = minijinja::Value::from(minijinja::value::Serde(data));
        let subject = self.part(&format!("{name}.subject.txt"), &data)?.map(|s| s.trim().to_owned());
        if subject.as_deref().is_some_and(|s| s.contains(['\r', '\n'])) {
            return Err(NotifyError::InvalidTemplate(format!("notifications/{name}.subject.txt: the subject renders to more than one line")));
        }
        let text = self.part(&format!("{name}.txt"), &data)?;
        let html = self.part(&format!("{name}.html"), &data)?;
        if text.is_none() && html.is_none() {
            return Err(NotifyError::TemplateNotFound(name.to_owned()));
        }
        Ok(Rendered { subject, text, html })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_escapes_and_refuses() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("welcome.subject.txt"), "Welcome, {{ name }}!\n").unwrap();
        std::fs::write(dir.path().join("welcome.txt"), "Hi {{ name }}, {{ items | length }} items").unwrap();
        std::fs::write(dir.path().join("welcome.html"), "<p>Hi {{ name }}</p>{% for i in items %}<li>{{ i }}</li>{% endfor %}").unwrap();
        std::fs::write(dir.path().join("bad.txt"), "{{ missing }}").unwrap();
        let t = Templates::new(dir.path().to_owned());
        let data = json!({"name": "<Ann & Co>", "items": ["a<b", "c"]});
        let r = t.render("welcome", data.as_object().unwrap()).unwrap();
        assert_eq!(r.subject.as_deref(), Some("Welcome, <Ann & Co>!"));
        assert_eq!(r.text.as_deref(), Some("Hi <Ann & Co>, 2 items"));
        assert_eq!(r.html.as_deref(), Some("<p>Hi &lt;Ann &amp; Co&gt;</p><li>a&lt;b</li><li>c</li>"));
        assert_eq!(t.render("nope", &Map::new()), Err(NotifyError::TemplateNotFound("nope".into())));
        assert!(matches!(t.render("../etc/passwd", &Map::new()), Err(NotifyError::InvalidArguments { .. })));
        match t.render("bad", &Map::new()) {
            Err(NotifyError::InvalidTemplate(m)) => assert!(m.contains("bad.txt") && m.contains("undefined"), "{m}"),
            other => panic!("{other:?}"),
        }
    }
}
