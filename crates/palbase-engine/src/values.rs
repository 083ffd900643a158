//! Op arguments and results cross between JavaScript and Rust as values, without JSON text.
//!
//! In QuickJS (an interpreter) `JSON.stringify` of an op's arguments and `JSON.parse` of its
//! result cost more than the op itself: on `GET /todos/:id` the two and serde's parse and print
//! were a quarter of the request. These conversions give exactly what the text round trip gives
//! — `JSON.parse(JSON.stringify(v))` — for the values where that is simple to guarantee, and
//! leave the rest to the text (the caller falls back to it).

use rquickjs::{Array, Ctx, Object, Type, Value};
use serde_json::{Map, Number, Value as Json};

/// `JSON.parse(json.to_string())`, built directly: objects get their members as own data
/// properties in order (as `JSON.parse` defines them, so a `"__proto__"` key is an own property),
/// numbers become the nearest double.
pub(crate) fn json_to_js<'js>(ctx: &Ctx<'js>, v: &Json) -> rquickjs::Result<Value<'js>> {
    Ok(match v {
        Json::Null => Value::new_null(ctx.clone()),
        Json::Bool(b) => Value::new_bool(ctx.clone(), *b),
        Json::Number(n) => number_to_js(ctx, n),
        Json::String(s) => rquickjs::String::from_str(ctx.clone(), s)?.into_value(),
        Json::Array(items) => {
            let a = Array::new(ctx.clone())?;
            for (i, item) in items.iter().enumerate() {
                a.set(i, json_to_js(ctx, item)?)?;
            }
            a.into_value()
        }
        Json::Object(m) => object_from(ctx, m)?,
    })
}

/// A JSON object's members as one new object with a shape of its own, made in one call
/// (`JS_NewObjectFrom`, patched: third_party/rquickjs-sys/PATCH.md) instead of one definition per
/// member, each of which grew the object's shape. The keys of a serde map are distinct, as the
/// call requires.
#[allow(unsafe_code)]
fn object_from<'js>(ctx: &Ctx<'js>, m: &Map<String, Json>) -> rquickjs::Result<Value<'js>> {
    use rquickjs::qjs;
    let raw = ctx.as_raw().as_ptr();
    let mut atoms: Vec<qjs::JSAtom> = Vec::with_capacity(m.len());
    let mut values: Vec<Value<'js>> = Vec::with_capacity(m.len());
    let built = (|| -> rquickjs::Result<()> {
        for (k, item) in m {
            values.push(json_to_js(ctx, item)?);
            // SAFETY: `raw` is live; the atom is freed below.
            let atom = unsafe { qjs::JS_NewAtomLen(raw, k.as_ptr().cast(), k.len() as _) };
            if atom == qjs::JS_ATOM_NULL {
                return Err(rquickjs::Error::Exception);
            }
            atoms.push(atom);
        }
        Ok(())
    })();
    let out = built.and_then(|()| {
        // The call takes the values it is given: each is duplicated (the Rust handles drop as usual).
        // SAFETY: `raw` is the live context of every value; `atoms` and `owned` hold `m.len()` entries.
        let owned: Vec<qjs::JSValue> = values.iter().map(|v| unsafe { qjs::JS_DupValue(raw, v.as_raw()) }).collect();
        let obj = unsafe { qjs::JS_NewObjectFrom(raw, owned.len() as _, atoms.as_ptr(), owned.as_ptr()) };
        // SAFETY: a new reference or JS_EXCEPTION, owned by the value.
        let obj = unsafe { Value::from_raw(ctx.clone(), obj) };
        if obj.is_exception() { Err(rquickjs::Error::Exception) } else { Ok(obj) }
    });
    for atom in atoms {
        // SAFETY: each atom came from JS_NewAtomLen above; the object holds its own references.
        unsafe { qjs::JS_FreeAtom(raw, atom) };
    }
    out
}

/// Defines `key: value` on `o` as an own writable, enumerable, configurable data property — what
/// `JSON.parse` and CreateDataProperty do (a `"__proto__"` key is an own property) — straight
/// through QuickJS: rquickjs's `prop` spends more converting its arguments (the atom, the
/// property's flags, three context handles) than QuickJS spends defining.
#[allow(unsafe_code)]
pub(crate) fn define<'js>(o: &Object<'js>, key: &str, value: Value<'js>) -> rquickjs::Result<()> {
    use rquickjs::qjs;
    let ctx = o.ctx().as_raw().as_ptr();
    // SAFETY: `ctx` is the live context of `o` and `value`; the atom is freed after use; the
    // definition takes its own reference to the value (JS_DupValue), so `value` drops as usual.
    let defined = unsafe {
        let atom = qjs::JS_NewAtomLen(ctx, key.as_ptr().cast(), key.len() as _);
        if atom == qjs::JS_ATOM_NULL {
            return Err(rquickjs::Error::Exception);
        }
        let r = qjs::JS_DefinePropertyValue(ctx, o.as_raw(), atom, qjs::JS_DupValue(ctx, value.as_raw()), qjs::JS_PROP_C_W_E as _);
        qjs::JS_FreeAtom(ctx, atom);
        r
    };
    if defined < 0 { Err(rquickjs::Error::Exception) } else { Ok(()) }
}

/// [`define`] with a string value.
pub(crate) fn define_str(o: &Object<'_>, key: &str, value: &str) -> rquickjs::Result<()> {
    define(o, key, rquickjs::String::from_str(o.ctx().clone(), value)?.into_value())
}

fn number_to_js<'js>(ctx: &Ctx<'js>, n: &Number) -> Value<'js> {
    if let Some(i) = n.as_i64() {
        return match i32::try_from(i) {
            Ok(i) => Value::new_int(ctx.clone(), i),
            Err(_) => Value::new_float(ctx.clone(), i as f64),
        };
    }
    if let Some(u) = n.as_u64() {
        return Value::new_float(ctx.clone(), u as f64);
    }
    Value::new_float(ctx.clone(), n.as_f64().unwrap_or(f64::NAN))
}

/// What converting one JavaScript value gave.
enum Conv {
    Val(Json),
    /// `JSON.stringify` leaves it out (`undefined`, a function, a symbol).
    Omit,
    /// Not converted here: the caller uses the JSON text instead.
    Text,
}

/// An object of string values with own enumerable data properties, as `JSON.parse` of
/// `{"k":"v",…}` makes it (a repeated key: the last value; `__proto__` is an own key).
pub(crate) fn string_record<'js, 'a>(ctx: &Ctx<'js>, pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> rquickjs::Result<Object<'js>> {
    let out = Object::new(ctx.clone())?;
    for (k, v) in pairs {
        define_str(&out, k, v)?;
    }
    Ok(out)
}

/// Nesting deeper than this goes through the text (which also reports cycles).
const MAX_DEPTH: u32 = 64;

/// 2^53: integral doubles below it print as their digits and parse back as serde integers.
const EXACT_INT: f64 = 9_007_199_254_740_992.0;

/// `serde_json::from_str(JSON.stringify(v))` without the text, for null, booleans, strings,
/// integers (|n| < 2^53; non-finite numbers are `null`), arrays, and objects whose prototype is
/// `Object.prototype` or `null` (JSON.stringify treats every such object alike: its own
/// enumerable string keys), neither with a `toJSON`. `Ok(None)` for anything else — a `Date` or
/// another object with `toJSON`, class instances, boxed primitives, proxies, `BigInt`, strings
/// with lone surrogates, fractional numbers (serde's float parse is not always the nearest
/// double), deep nesting — which the caller then converts through the text.
///
/// Getters run as `JSON.stringify` runs them; one that throws fails the call with its error.
pub(crate) fn js_to_json<'js>(v: &Value<'js>) -> rquickjs::Result<Option<Json>> {
    Ok(match convert(v, 0)? {
        Conv::Val(j) => Some(j),
        Conv::Omit | Conv::Text => None,
    })
}

/// Whether `JSON.stringify` leaves the value out of an object (and writes `null` in an array).
fn omitted(t: Type) -> bool {
    matches!(t, Type::Undefined | Type::Symbol | Type::Function | Type::Constructor)
}

/// An array or object that the conversions walk themselves (see [`js_to_json`]).
fn plain<'js>(v: &Value<'js>, t: Type) -> rquickjs::Result<Option<Object<'js>>> {
    let Some(o) = v.as_object() else { return Ok(None) };
    if t == Type::Object && o.get_prototype().is_some_and(|p| p.get_prototype().is_some()) {
        return Ok(None);
    }
    if !o.get::<_, Value>(rquickjs::atom::PredefinedAtom::ToJSON)?.is_undefined() {
        return Ok(None);
    }
    Ok(Some(o.clone()))
}

/// Calls `f` with the text of a C string QuickJS returned (`c`, `len` bytes), then frees it;
/// `None` when it is not valid UTF-8 (a lone surrogate). A null `c` is QuickJS's exception.
///
/// # Safety
/// `c` is null or came from `JS_ToCStringLen` / `JS_AtomToCStringLen` on `raw`, with `len` bytes.
#[allow(unsafe_code)]
unsafe fn borrowed_text<R>(raw: *mut rquickjs::qjs::JSContext, c: *const std::ffi::c_char, len: usize, f: impl FnOnce(&str) -> R) -> rquickjs::Result<Option<R>> {
    if c.is_null() {
        return Err(rquickjs::Error::Exception);
    }
    // SAFETY: (the caller's) `c` holds `len` bytes until JS_FreeCString, after `f` is done.
    unsafe {
        let out = std::str::from_utf8(std::slice::from_raw_parts(c.cast::<u8>(), len)).ok().map(f);
        rquickjs::qjs::JS_FreeCString(raw, c);
        Ok(out)
    }
}

/// Calls `f` with the text of `s`, borrowed from QuickJS (no copy); `None` when it is not valid
/// UTF-8 (a lone surrogate).
#[allow(unsafe_code)]
fn with_str<R>(s: &rquickjs::String<'_>, f: impl FnOnce(&str) -> R) -> rquickjs::Result<Option<R>> {
    let raw = s.ctx().as_raw().as_ptr();
    let mut len: usize = 0;
    // SAFETY: `raw` is the string's live context; the C string is handed to `borrowed_text` as
    // QuickJS returned it.
    unsafe {
        let c = rquickjs::qjs::JS_ToCStringLen(raw, &mut len, s.as_raw());
        borrowed_text(raw, c, len, f)
    }
}

/// What [`entries`] does after one entry.
enum Step {
    Next,
    /// Leave the whole value to the text.
    Text,
}

/// Calls `f` with each own enumerable string key of `o` (in `Object.keys` order, the set fixed
/// before the first read, as `JSON.stringify` takes it) and its value, read by a get (a getter
/// runs; one that throws fails the call). The key's text is borrowed from QuickJS, not copied.
/// `Ok(false)`: `f` said [`Step::Text`], or a key is not valid UTF-8 (a lone surrogate).
#[allow(unsafe_code)]
fn entries<'js>(o: &Object<'js>, mut f: impl FnMut(&str, Value<'js>) -> rquickjs::Result<Step>) -> rquickjs::Result<bool> {
    use rquickjs::qjs;
    let ctx = o.ctx();
    let raw = ctx.as_raw().as_ptr();
    let mut tab: *mut qjs::JSPropertyEnum = std::ptr::null_mut();
    let mut len: u32 = 0;
    // SAFETY: `raw` is the live context of `o`; on success QuickJS hands over `len` property
    // entries, each holding a reference to its atom, freed below by JS_FreePropertyEnum.
    if unsafe { qjs::JS_GetOwnPropertyNames(raw, &mut tab, &mut len, o.as_raw(), (qjs::JS_GPN_STRING_MASK | qjs::JS_GPN_ENUM_ONLY) as _) } < 0 {
        return Err(rquickjs::Error::Exception);
    }
    let mut walk = || -> rquickjs::Result<bool> {
        for i in 0..len as usize {
            // SAFETY: `i < len`, and the table lives until it is freed after this walk.
            let atom = unsafe { (*tab.add(i)).atom };
            // SAFETY: JS_GetProperty returns a new reference (or JS_EXCEPTION), owned by `value`.
            let value = unsafe { Value::from_raw(ctx.clone(), qjs::JS_GetProperty(raw, o.as_raw(), atom)) };
            if value.is_exception() {
                return Err(rquickjs::Error::Exception);
            }
            let mut klen: qjs::size_t = 0;
            // SAFETY: the atom is alive (the table holds it); the C string is handed to
            // `borrowed_text` as QuickJS returned it.
            let step = unsafe {
                let c = qjs::JS_AtomToCStringLen(raw, &mut klen, atom);
                borrowed_text(raw, c, klen as usize, |key| f(key, value))?
            };
            // A key that is not UTF-8 leaves the value to the text, as `f` can.
            if !matches!(step.transpose()?, Some(Step::Next)) {
                return Ok(false);
            }
        }
        Ok(true)
    };
    let out = walk();
    // SAFETY: the table and its `len` atoms came from JS_GetOwnPropertyNames above.
    unsafe { qjs::JS_FreePropertyEnum(raw, tab, len) };
    out
}

/// A float JSON.stringify prints as an integer that serde parses back exactly.
fn exact_int(f: f64) -> Option<i64> {
    (f.trunc() == f && f.abs() < EXACT_INT).then_some(f as i64)
}

fn convert<'js>(v: &Value<'js>, depth: u32) -> rquickjs::Result<Conv> {
    let t = v.type_of();
    Ok(match t {
        Type::Null => Conv::Val(Json::Null),
        Type::Bool => Conv::Val(Json::Bool(v.as_bool().unwrap_or(false))),
        Type::Int => Conv::Val(Json::from(v.as_int().unwrap_or(0))),
        Type::Float => {
            let f = v.as_float().unwrap_or(f64::NAN);
            if !f.is_finite() {
                Conv::Val(Json::Null)
            } else if let Some(i) = exact_int(f) {
                // -0 prints as "0".
                Conv::Val(Json::from(i))
            } else {
                Conv::Text
            }
        }
        Type::String => match v.as_string().map(rquickjs::String::to_string) {
            Some(Ok(s)) => Conv::Val(Json::String(s)),
            _ => Conv::Text,
        },
        t if omitted(t) => Conv::Omit,
        Type::Array | Type::Object if depth < MAX_DEPTH => {
            let Some(o) = plain(v, t)? else { return Ok(Conv::Text) };
            if t == Type::Array {
                let Some(a) = o.as_array() else { return Ok(Conv::Text) };
                let mut out = Vec::with_capacity(a.len());
                for i in 0..a.len() {
                    let item: Value = a.get(i)?;
                    match convert(&item, depth + 1)? {
                        Conv::Val(j) => out.push(j),
                        Conv::Omit => out.push(Json::Null),
                        Conv::Text => return Ok(Conv::Text),
                    }
                }
                return Ok(Conv::Val(Json::Array(out)));
            }
            let mut out = Map::new();
            let complete = entries(&o, |k, item| {
                Ok(match convert(&item, depth + 1)? {
                    Conv::Val(j) => {
                        out.insert(k.to_owned(), j);
                        Step::Next
                    }
                    Conv::Omit => Step::Next,
                    Conv::Text => Step::Text,
                })
            })?;
            if !complete {
                return Ok(Conv::Text);
            }
            Conv::Val(Json::Object(out))
        }
        _ => Conv::Text,
    })
}

/// `JSON.stringify(v)` written here, for the values [`js_to_json`] converts (the same rules; the
/// same escapes as QuickJS's, which are serde's); `Ok(None)` for the rest.
pub(crate) fn js_to_json_text(v: &Value<'_>) -> rquickjs::Result<Option<String>> {
    let mut out = String::with_capacity(128);
    Ok(write(v, 0, &mut out)?.then_some(out))
}

/// Appends `s` as a JSON string literal.
pub(crate) fn push_str(out: &mut String, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.push('"');
        out.push_str(s);
        out.push('"');
    } else if let Ok(q) = serde_json::to_string(s) {
        out.push_str(&q);
    }
}

/// Writes `v` (not an omitted kind); `false`: leave it to the text.
fn write(v: &Value<'_>, depth: u32, out: &mut String) -> rquickjs::Result<bool> {
    use std::fmt::Write;
    let t = v.type_of();
    match t {
        Type::Null => out.push_str("null"),
        Type::Bool => out.push_str(if v.as_bool().unwrap_or(false) { "true" } else { "false" }),
        Type::Int => {
            let _ = write!(out, "{}", v.as_int().unwrap_or(0));
        }
        Type::Float => {
            let f = v.as_float().unwrap_or(f64::NAN);
            if !f.is_finite() {
                out.push_str("null");
            } else if let Some(i) = exact_int(f) {
                let _ = write!(out, "{i}");
            } else {
                return Ok(false);
            }
        }
        Type::String => match v.as_string() {
            Some(s) if with_str(s, |s| push_str(out, s))?.is_some() => {}
            _ => return Ok(false),
        },
        Type::Array | Type::Object if depth < MAX_DEPTH => {
            let Some(o) = plain(v, t)? else { return Ok(false) };
            if t == Type::Array {
                let Some(a) = o.as_array() else { return Ok(false) };
                out.push('[');
                for i in 0..a.len() {
                    if i > 0 {
                        out.push(',');
                    }
                    let item: Value = a.get(i)?;
                    if omitted(item.type_of()) {
                        out.push_str("null");
                    } else if !write(&item, depth + 1, out)? {
                        return Ok(false);
                    }
                }
                out.push(']');
                return Ok(true);
            }
            out.push('{');
            let mut first = true;
            let complete = entries(&o, |k, item| {
                if omitted(item.type_of()) {
                    return Ok(Step::Next);
                }
                if !first {
                    out.push(',');
                }
                first = false;
                push_str(out, k);
                out.push(':');
                Ok(if write(&item, depth + 1, out)? { Step::Next } else { Step::Text })
            })?;
            if !complete {
                return Ok(false);
            }
            out.push('}');
        }
        _ => return Ok(false),
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rquickjs::{CatchResultExt, Context, Runtime};

    /// Values whose conversions must equal the JSON text round trip (or be left to it).
    const CASES: &str = r#"[
        null, true, false, 0, -0, 1, -1, 2147483647, 2147483648, -2147483649, 9007199254740991, 9007199254740992,
        1e21, 0.1, -1.5, NaN, Infinity, -Infinity, 2 ** 31, 3 * 1.0, 1 / 3,
        "", "plain", "quote \" backslash \\ slash /", "\n\t\r\b\f\u0001\u001f\u007f", "é ü 日本 😀", "\u2028\u2029", "\ud800", "a\udc00b",
        [], [1, "a", null], [undefined, () => 1, Symbol("s")], [[[]]], new Array(3),
        {}, { a: 1, b: "x" }, { b: 1, a: 2, 10: "ten", 2: "two" }, { u: undefined, f() {}, s: Symbol("s"), k: 1 },
        JSON.parse('{"__proto__": 1, "x": 2}'), Object.create(null), Object.assign(Object.create(null), { z: 1 }),
        { get g() { return 5; } }, { nested: { deep: [1, { e: [] }] } },
        new Date(0), { d: new Date(0) }, { toJSON() { return 7; } }, { toJSON() { return undefined; } },
        new Map([[1, 2]]), new Set([1]), new (class A { constructor() { this.x = 1; } })(),
        new Number(3), new String("s"), new Boolean(false), Object(1n), { n: new Number(1) }, new Uint8Array([1, 2]),
        new Proxy({ a: 1 }, {}), new Error("e"), Promise.resolve(1), { big: 1.5 }, { [Symbol("k")]: 1, v: 2 },
        { "\ud800": 1 }, { 'a"b\\c\n': 1 }, { get a() { delete this.b; return 1; }, b: 2 },
    ]"#;

    #[test]
    fn conversions_equal_the_json_text_round_trip() {
        let rt = Runtime::new().unwrap();
        let ctx = Context::full(&rt).unwrap();
        ctx.with(|ctx| {
            let cases: rquickjs::Array = ctx.eval(format!("({CASES})")).unwrap();
            let stringify: rquickjs::Function = ctx.eval("(v) => JSON.stringify(v)").unwrap();
            let mut direct = 0;
            for i in 0..cases.len() {
                let v: Value = cases.get(i).unwrap();
                let Ok(text) = stringify.call::<_, Option<String>>((v.clone(),)).catch(&ctx) else {
                    // JSON.stringify throws (a BigInt): so must the text path the caller takes.
                    assert!(js_to_json(&v).unwrap().is_none() && js_to_json_text(&v).unwrap().is_none(), "case {i}");
                    continue;
                };
                let via_text = text.as_deref().and_then(|t| serde_json::from_str::<Json>(t).ok());
                if let Some(j) = js_to_json(&v).unwrap() {
                    direct += 1;
                    assert_eq!(Some(&j), via_text.as_ref(), "case {i}: {text:?}");
                    // The same value, the same order of keys.
                    assert_eq!(Some(j.to_string()), via_text.as_ref().map(Json::to_string), "case {i}");
                }
                if let Some(t) = js_to_json_text(&v).unwrap() {
                    assert_eq!(Some(&t), text.as_ref(), "case {i}");
                }
            }
            assert!(direct > 30, "most cases convert directly ({direct})");
        });
    }

    #[test]
    fn objects_made_at_once_are_independent_of_each_other_and_of_literals() {
        let rt = Runtime::new().unwrap();
        let ctx = Context::full(&rt).unwrap();
        ctx.with(|ctx| {
            let j: Json = serde_json::from_str(r#"{"a":1,"b":{"c":"x"},"10":true}"#).unwrap();
            let (x, y) = (json_to_js(&ctx, &j).unwrap(), json_to_js(&ctx, &j).unwrap());
            let check: rquickjs::Function = ctx
                .eval(
                    r#"(x, y) => {
                        const before = JSON.stringify({});
                        x.extra = 1; delete y.a; y.b.c = "changed"; Object.defineProperty(x, "b", { enumerable: false });
                        const literal = { a: 1, b: 2, "10": 3 }; literal.z = 4;
                        return [JSON.stringify(x), JSON.stringify(y), Object.keys(x).join(), before, JSON.stringify({}), JSON.stringify(literal)].join(" | ");
                    }"#,
                )
                .unwrap();
            let out: String = check.call((x, y)).unwrap();
            assert_eq!(out, r#"{"10":true,"a":1,"extra":1} | {"10":true,"b":{"c":"changed"}} | 10,a,extra | {} | {} | {"10":3,"a":1,"b":2,"z":4}"#);
        });
        rt.run_gc();
    }

    #[test]
    fn json_to_js_equals_json_parse() {
        let rt = Runtime::new().unwrap();
        let ctx = Context::full(&rt).unwrap();
        ctx.with(|ctx| {
            let check: rquickjs::Function = ctx
                .eval(
                    r#"(a, text) => {
                        const b = JSON.parse(text);
                        const same = (x, y) => {
                            if (typeof x !== typeof y || Array.isArray(x) !== Array.isArray(y)) return false;
                            if (typeof x !== "object" || x === null) return Object.is(x, y);
                            const kx = Reflect.ownKeys(x), ky = Reflect.ownKeys(y);
                            if (kx.join() !== ky.join() || Object.getPrototypeOf(x) !== Object.getPrototypeOf(y)) return false;
                            return kx.every((k) => same(x[k], y[k]) && JSON.stringify(Object.getOwnPropertyDescriptor(x, k)) === JSON.stringify(Object.getOwnPropertyDescriptor(y, k)));
                        };
                        return same(a, b);
                    }"#,
                )
                .unwrap();
            for text in [
                "null",
                "true",
                "0",
                "-0.0",
                "12345678901",
                "-9223372036854775808",
                "18446744073709551615",
                "0.1",
                "1e300",
                r#""é\n😀""#,
                "[]",
                r#"[1,[2,{"a":null}]]"#,
                r#"{"b":1,"a":2,"10":3,"2":4}"#,
                r#"{"__proto__":{"x":1},"constructor":2}"#,
            ] {
                let j: Json = serde_json::from_str(text).unwrap();
                let v = json_to_js(&ctx, &j).unwrap();
                let same: bool = check.call((v, j.to_string())).unwrap();
                assert!(same, "{text}");
            }
        });
    }
}
