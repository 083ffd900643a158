//! The order-preserving byte encoding of JSON values that every index key is made of.
//!
//! `encode(a) < encode(b)` (as bytes: SQLite's `memcmp` on BLOB, PostgreSQL's `bytea`
//! comparison) exactly when `a` sorts before `b` in Firestore's value order:
//!
//! null < booleans < numbers < strings < arrays < maps
//!
//! (JSON has no timestamps, bytes, references or geo points: an ISO timestamp is a string, and
//! ISO strings of one format sort chronologically.) Numbers compare as IEEE doubles (`-0 == 0`);
//! strings by their UTF-8 bytes, never by a collation; arrays element by element, then by length;
//! maps key by key (keys by UTF-8 bytes), then value by value, then by size.
//!
//! Every encoding is *prefix-free* (no encoding is a proper prefix of another), so the
//! concatenation of encodings (a composite index key) sorts as the tuple of its values.
//!
//! A descending component of a composite key is the bitwise NOT of its encoding
//! ([`encode_dir_into`]): NOT keeps the encodings prefix-free and reverses the order of any two
//! of them (they differ at a byte inside both, never by one being a prefix of the other), so the
//! key still sorts as the tuple, that component reversed.

use serde_json::{Map, Value};

pub const NULL: u8 = 0x05;
pub const BOOL: u8 = 0x0A;
pub const NUMBER: u8 = 0x0F;
pub const STRING: u8 = 0x14;
pub const ARRAY: u8 = 0x28;
pub const MAP: u8 = 0x2D;

/// Ends an array or a map: below every type rank and every map-entry marker.
const END: u8 = 0x00;
/// Starts a map entry.
const ENTRY: u8 = 0x01;

/// The type rank (first byte of the encoding) of `v`.
pub fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => NULL,
        Value::Bool(_) => BOOL,
        Value::Number(_) => NUMBER,
        Value::String(_) => STRING,
        Value::Array(_) => ARRAY,
        Value::Object(_) => MAP,
    }
}

/// The encoding of `v`.
pub fn encode(v: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    encode_into(v, &mut out);
    out
}

pub fn encode_into(v: &Value, out: &mut Vec<u8>) {
    out.push(rank(v));
    match v {
        Value::Null => {}
        Value::Bool(b) => out.push(u8::from(*b)),
        Value::Number(n) => out.extend_from_slice(&number_bytes(n.as_f64().unwrap_or(0.0))),
        Value::String(s) => string_into(s, out),
        Value::Array(a) => {
            for e in a {
                encode_into(e, out);
            }
            out.push(END);
        }
        Value::Object(m) => {
            for (k, e) in sorted(m) {
                out.push(ENTRY);
                string_into(k, out);
                encode_into(e, out);
            }
            out.push(END);
        }
    }
}

/// The encoding of `v`, as a descending component (bitwise NOT) when `desc`.
pub fn encode_dir_into(v: &Value, desc: bool, out: &mut Vec<u8>) {
    let start = out.len();
    encode_into(v, out);
    if desc {
        invert(&mut out[start..]);
    }
}

/// Bitwise NOT, in place.
pub fn invert(bytes: &mut [u8]) {
    for b in bytes {
        *b = !*b;
    }
}

/// A `[lo, hi)` range of keys (of one component and what follows it) as the same set of values
/// in that component's descending form. Each bound is one no encoding is a proper prefix of (an
/// encoding, its [`successor`], a type rank, empty or [`TOP`]), so `key >= b` holds of whole
/// component values: in NOT form those are the keys `< successor(!b)`.
pub fn descending_range(lo: &[u8], hi: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let flip = |b: &[u8]| -> Vec<u8> {
        if b == TOP {
            return Vec::new();
        }
        let mut n = b.to_vec();
        invert(&mut n);
        successor(&n).unwrap_or_else(|| TOP.to_vec())
    };
    (flip(hi), flip(lo))
}

/// Map entries by key bytes (what `encode` and the reference order use).
pub fn sorted(m: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut v: Vec<_> = m.iter().collect();
    v.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
    v
}

/// A double as 8 bytes whose unsigned order is the numeric order.
fn number_bytes(f: f64) -> [u8; 8] {
    let f = if f == 0.0 { 0.0 } else { f };
    let bits = f.to_bits();
    let bits = if bits >> 63 == 1 { !bits } else { bits | (1 << 63) };
    bits.to_be_bytes()
}

/// UTF-8 bytes with `00` escaped as `00 FF`, closed by `00 01`.
fn string_into(s: &str, out: &mut Vec<u8>) {
    for &b in s.as_bytes() {
        out.push(b);
        if b == 0 {
            out.push(0xFF);
        }
    }
    out.extend_from_slice(&[0x00, 0x01]);
}

/// The smallest byte string above every string that starts with `p` (`None`: no such bound,
/// `p` is all `FF`).
pub fn successor(p: &[u8]) -> Option<Vec<u8>> {
    let mut v = p.to_vec();
    while let Some(last) = v.pop() {
        if last < 0xFF {
            v.push(last + 1);
            return Some(v);
        }
    }
    None
}

/// Above every key (every key starts with a type rank below `FF`).
pub const TOP: &[u8] = &[0xFF];

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cross_type_and_value_order() {
        let ordered = [
            json!(null),
            json!(false),
            json!(true),
            json!(-1e300),
            json!(-2),
            json!(-0.5),
            json!(0),
            json!(1),
            json!(1.5),
            json!(9007199254740993u64),
            json!(1e300),
            json!(""),
            json!("\u{0}"),
            json!("A"),
            json!("a"),
            json!("a\u{0}"),
            json!("ab"),
            json!("é"),
            json!("😀"),
            json!([]),
            json!([null]),
            json!([1]),
            json!([1, 2]),
            json!([2]),
            json!({}),
            json!({"a": 1}),
            json!({"a": 1, "b": 0}),
            json!({"a": 2}),
            json!({"b": 0}),
        ];
        for w in ordered.windows(2) {
            assert!(encode(&w[0]) < encode(&w[1]), "{} < {}", w[0], w[1]);
        }
        assert_eq!(encode(&json!(-0.0)), encode(&json!(0)));
        assert_eq!(encode(&json!(1.0)), encode(&json!(1)));
    }

    #[test]
    fn descending_components_reverse_and_keep_the_tuple_order() {
        let vals = [json!(null), json!(false), json!(-2), json!(0), json!(1.5), json!(""), json!("a"), json!("a\u{0}"), json!("ab"), json!([]), json!([1]), json!([1, 2]), json!({}), json!({"a": 1})];
        let key = |a: &Value, b: &Value, id: &str| {
            let mut k = Vec::new();
            encode_dir_into(a, false, &mut k);
            encode_dir_into(b, true, &mut k);
            encode_dir_into(&json!(id), true, &mut k);
            k
        };
        let mut tuples = Vec::new();
        for (i, a) in vals.iter().enumerate() {
            for (j, b) in vals.iter().enumerate() {
                for id in ["x", "y"] {
                    tuples.push(((i, std::cmp::Reverse(j), std::cmp::Reverse(id)), key(a, b, id)));
                }
            }
        }
        for x in &tuples {
            for y in &tuples {
                assert_eq!(x.0.cmp(&y.0), x.1.cmp(&y.1), "{:?} {:?}", x.0, y.0);
            }
        }
        // A range of values in descending form: exactly the same values.
        let ranges = [(encode(&json!(0)), vec![STRING]), (successor(&encode(&json!("a"))).unwrap(), TOP.to_vec()), (Vec::new(), encode(&json!([1])))];
        for (lo, hi) in ranges {
            let (dlo, dhi) = descending_range(&lo, &hi);
            for v in &vals {
                let (mut a, mut d) = (encode(v), Vec::new());
                a.extend_from_slice(&encode(&json!("id")));
                encode_dir_into(v, true, &mut d);
                d.extend_from_slice(&encode(&json!("id")));
                assert_eq!(a >= lo && a < hi, d >= dlo && d < dhi, "{v}");
            }
        }
    }

    #[test]
    fn successor_bounds_prefixes() {
        assert_eq!(successor(&[1, 2]), Some(vec![1, 3]));
        assert_eq!(successor(&[1, 0xFF]), Some(vec![2]));
        assert_eq!(successor(&[0xFF]), None);
    }
}
