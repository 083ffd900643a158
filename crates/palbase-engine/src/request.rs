//! `req`, built by the host. A handler gets an object whose prototype is the SDK's `Req`
//! (packages/backend/src/runtime/dispatch.ts): `input` (and `errors`) as own properties, the
//! rest in one array read by `Req`'s getters. The parts most handlers never read — the header
//! map and the query string's pairs — travel into JavaScript as they are, inside an opaque
//! [`RequestParts`] (no JSON text, no copy), and become plain objects on first read.

use rquickjs::{Ctx, JsLifetime, Object, Value, class::Trace};

use crate::values;

/// The request's headers (names are lowercase already) and the query string's decoded pairs.
#[derive(Trace, JsLifetime)]
#[rquickjs::class(rename = "RequestParts")]
pub(crate) struct RequestParts {
    #[qjs(skip_trace)]
    headers: http::HeaderMap,
    #[qjs(skip_trace)]
    query: Vec<(String, String)>,
}

impl RequestParts {
    pub(crate) fn new(headers: http::HeaderMap, query: Vec<(String, String)>) -> Self {
        Self { headers, query }
    }
}

#[rquickjs::methods]
impl RequestParts {
    /// The headers as an object of strings: own enumerable data properties in the map's order (a
    /// `__proto__` header is an own property), a repeated header's values joined with `, `,
    /// bytes that are not UTF-8 replaced.
    pub fn headers<'js>(&self, ctx: Ctx<'js>) -> rquickjs::Result<Object<'js>> {
        let out = Object::new(ctx)?;
        for name in self.headers.keys() {
            let mut all = self.headers.get_all(name).iter();
            let first = all.next().map(|v| String::from_utf8_lossy(v.as_bytes())).unwrap_or_default();
            let value = match all.next() {
                None => first,
                Some(second) => {
                    let mut joined = first.into_owned();
                    for v in std::iter::once(second).chain(all) {
                        joined.push_str(", ");
                        joined.push_str(&String::from_utf8_lossy(v.as_bytes()));
                    }
                    joined.into()
                }
            };
            values::define_str(&out, name.as_str(), &value)?;
        }
        Ok(out)
    }

    /// The query as `JSON.parse` would make it of `{"k":"v",…}`: a repeated key keeps its first
    /// position and its last value; `__proto__` is an own key.
    pub fn query<'js>(&self, ctx: Ctx<'js>) -> rquickjs::Result<Object<'js>> {
        values::string_record(&ctx, self.query.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    }
}

/// The slots of `Req`'s array (`_x` in dispatch.ts), in order.
pub(crate) struct Slots<'js> {
    pub params: Value<'js>,
    /// `undefined` unless the query is the input (then both are one object).
    pub query: Value<'js>,
    pub user: Value<'js>,
    pub method: Value<'js>,
    pub ids: Value<'js>,
    pub path: Value<'js>,
    pub parts: Value<'js>,
}

/// A `req` with prototype `proto`: own properties `input` and `_x` (the array of `Slots`, then
/// the slots `Req` fills on first use).
#[allow(unsafe_code)]
pub(crate) fn build<'js>(ctx: &Ctx<'js>, proto: &Object<'js>, input: Value<'js>, s: Slots<'js>) -> rquickjs::Result<Object<'js>> {
    use rquickjs::qjs;
    let undefined = Value::new_undefined(ctx.clone());
    let items = [s.params, s.query, s.user, s.method, s.ids, s.path, s.parts, undefined.clone(), undefined.clone(), undefined.clone(), undefined];
    let raw = ctx.as_raw().as_ptr();
    // SAFETY: `raw` is the live context of every value here. JS_NewArrayFrom takes ownership of
    // the values it is given, so each is duplicated first (the Rust handles drop as usual); it
    // returns a new reference or JS_EXCEPTION, which `from_raw` owns. JS_NewObjectProto takes
    // `proto` as a borrowed reference and returns a new one (or JS_EXCEPTION).
    let (array, req) = unsafe {
        let mut dup: [qjs::JSValue; 11] = std::array::from_fn(|i| qjs::JS_DupValue(raw, items[i].as_raw()));
        let array = Value::from_raw(ctx.clone(), qjs::JS_NewArrayFrom(raw, dup.len() as _, dup.as_mut_ptr()));
        let req = Value::from_raw(ctx.clone(), qjs::JS_NewObjectProto(raw, proto.as_raw()));
        (array, req)
    };
    if array.is_exception() || req.is_exception() {
        return Err(rquickjs::Error::Exception);
    }
    let req = req.into_object().ok_or(rquickjs::Error::Unknown)?;
    values::define(&req, "input", input)?;
    values::define(&req, "_x", array)?;
    Ok(req)
}
