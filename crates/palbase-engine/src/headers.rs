//! `req.headers`, made only when a handler reads it. The request's header map travels into
//! JavaScript as it is, inside an opaque object (no JSON text, no copy); the SDK's getter calls
//! `record()` once and keeps the plain object it returns. Most handlers never read the headers,
//! and a browser sends a dozen or more.

use rquickjs::{Ctx, JsLifetime, Object, class::Trace};

/// The request's headers (names are lowercase already).
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "RequestHeaders")]
pub(crate) struct RequestHeaders {
    #[qjs(skip_trace)]
    map: http::HeaderMap,
}

impl RequestHeaders {
    pub(crate) fn new(map: http::HeaderMap) -> Self {
        Self { map }
    }
}

#[rquickjs::methods]
impl RequestHeaders {
    /// The headers as an object of strings: own enumerable data properties in the map's order (a
    /// `__proto__` header is an own property), a repeated header's values joined with `, `,
    /// bytes that are not UTF-8 replaced.
    pub fn record<'js>(&self, ctx: Ctx<'js>) -> rquickjs::Result<Object<'js>> {
        let out = Object::new(ctx)?;
        for name in self.map.keys() {
            let mut values = self.map.get_all(name).iter();
            let first = values.next().map(|v| String::from_utf8_lossy(v.as_bytes())).unwrap_or_default();
            let value = match values.next() {
                None => first,
                Some(second) => {
                    let mut joined = first.into_owned();
                    for v in std::iter::once(second).chain(values) {
                        joined.push_str(", ");
                        joined.push_str(&String::from_utf8_lossy(v.as_bytes()));
                    }
                    joined.into()
                }
            };
            crate::values::define_str(&out, name.as_str(), &value)?;
        }
        Ok(out)
    }
}
