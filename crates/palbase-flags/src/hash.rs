//! Bucketing: GrowthBook's hash v2, so a client SDK (or GrowthBook's own) reproduces every
//! decision: `fnv1a32(decimal(fnv1a32(seed + id))) % 10000 / 10000`, a number in [0, 1) with
//! four decimals. FNV-1a runs over UTF-16 code units, as JavaScript's `charCodeAt` sees them.

const OFFSET: u32 = 0x811c_9dc5;
const PRIME: u32 = 0x0100_0193;

/// 32-bit FNV-1a over the UTF-16 code units of `s` (GrowthBook's `hashFnv32a`).
pub fn fnv1a32(s: &str) -> u32 {
    s.encode_utf16().fold(OFFSET, |h, u| (h ^ u32::from(u)).wrapping_mul(PRIME))
}

/// GrowthBook's `hash(seed, value, 2)`.
pub fn bucket(seed: &str, id: &str) -> f64 {
    let mut s = String::with_capacity(seed.len() + id.len());
    s.push_str(seed);
    s.push_str(id);
    let inner = fnv1a32(&s);
    f64::from(fnv1a32(&inner.to_string()) % 10_000) / 10_000.0
}

/// The seed of a flag's variant assignment: a different seed than its rollout's, so who is in
/// a rollout and which variant they see are independent.
pub fn variant_seed(flag: &str) -> String {
    format!("{flag}:variants")
}

/// In a rollout of `percent` %: GrowthBook's coverage test (`n <= coverage`, 0 is nobody).
pub fn in_rollout(n: f64, percent: f64) -> bool {
    percent > 0.0 && n <= percent / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_vectors() {
        // The reference vectors of FNV-1a 32.
        for (s, h) in [("", 0x811c9dc5), ("a", 0xe40c292c), ("foo", 0xa9f37ed7), ("foobar", 0xbf9cf968)] {
            assert_eq!(fnv1a32(s), h, "{s:?}");
        }
    }
}
