//! Bearer-token verification for endpoints (endpoints.md "Auth"), following RFC 8725:
//! an allow-list of algorithms, one algorithm family per key (an HS256 secret never verifies an
//! RS256/ES256 token and the reverse), `alg: none` rejected, `exp`/`nbf` checked with a small
//! leeway, `iss`/`aud` checked when configured.
//!
//! Claims map to the spec's `User`:
//! `id` ← `sub`; `email` ← `email` (or `""`); `role` ← `role` (or `"authenticated"`);
//! `metadata` ← `metadata`, else `user_metadata`, else `{}`.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, jwk::{AlgorithmParameters, JwkSet}};
use serde_json::{Map, Value, json};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AuthError {
    #[error("the token is malformed: {0}")]
    Malformed(String),
    #[error("the token's algorithm {0} is not accepted here")]
    Algorithm(String),
    #[error("no key matches the token's key id")]
    UnknownKey,
    #[error("the token is not valid: {0}")]
    Invalid(String),
}

struct Key {
    kid: Option<String>,
    alg: Algorithm,
    key: DecodingKey,
}

pub struct Verifier {
    secret: Option<DecodingKey>,
    /// Replaced as a whole when a JWKS URL is refetched.
    keys: std::sync::RwLock<Vec<Key>>,
    /// Called when a token names a key id we do not have (a JWKS URL may have rotated keys).
    on_unknown_kid: Option<Box<dyn Fn() + Send + Sync>>,
    issuer: Option<String>,
    audience: Option<String>,
    leeway: u64,
}

/// Default clock skew allowed for `exp` and `nbf`.
pub const DEFAULT_LEEWAY_SECONDS: u64 = 30;

impl Verifier {
    /// A verifier that accepts no token (for tools that never see requests).
    pub fn none() -> Self {
        Self { secret: None, keys: std::sync::RwLock::new(Vec::new()), on_unknown_kid: None, issuer: None, audience: None, leeway: DEFAULT_LEEWAY_SECONDS }
    }

    pub fn new(secret: Option<&str>, jwks: Option<&str>, issuer: Option<String>, audience: Option<String>, leeway: Option<u64>) -> Result<Self, String> {
        let keys = match jwks {
            Some(text) => parse_jwks(text)?,
            None => Vec::new(),
        };
        Ok(Self {
            secret: secret.map(|s| DecodingKey::from_secret(s.as_bytes())),
            keys: std::sync::RwLock::new(keys),
            on_unknown_kid: None,
            issuer,
            audience,
            leeway: leeway.unwrap_or(DEFAULT_LEEWAY_SECONDS),
        })
    }

    /// Replaces the keys with those of a freshly fetched JWKS.
    pub fn set_jwks(&self, text: &str) -> Result<usize, String> {
        let keys = parse_jwks(text)?;
        let n = keys.len();
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
        Ok(n)
    }

    /// Registers what to do when a token names an unknown key id (e.g. wake the JWKS refresher,
    /// which rate-limits itself).
    pub fn on_unknown_kid(&mut self, f: impl Fn() + Send + Sync + 'static) {
        self.on_unknown_kid = Some(Box::new(f));
    }

    /// Verifies `token` and returns the `User` object handlers see.
    pub fn verify(&self, token: &str) -> Result<Value, AuthError> {
        let header = jsonwebtoken::decode_header(token).map_err(|e| AuthError::Malformed(e.to_string()))?;
        let keys = self.keys.read().unwrap_or_else(|p| p.into_inner());
        let key = match header.alg {
            Algorithm::HS256 => self.secret.as_ref().ok_or_else(|| AuthError::Algorithm("HS256".into()))?,
            Algorithm::RS256 | Algorithm::ES256 => {
                let mut candidates = keys.iter().filter(|k| k.alg == header.alg);
                let found = match &header.kid {
                    Some(kid) => candidates.find(|k| k.kid.as_deref() == Some(kid)),
                    None => candidates.next(),
                };
                match found {
                    Some(k) => &k.key,
                    None => {
                        if let Some(f) = &self.on_unknown_kid {
                            f();
                        }
                        return Err(AuthError::UnknownKey);
                    }
                }
            }
            other => return Err(AuthError::Algorithm(format!("{other:?}"))),
        };
        let mut v = Validation::new(header.alg);
        v.leeway = self.leeway;
        v.validate_nbf = true;
        v.set_required_spec_claims(&["exp", "sub"]);
        match &self.audience {
            Some(a) => v.set_audience(&[a]),
            None => v.validate_aud = false,
        }
        if let Some(i) = &self.issuer {
            v.set_issuer(&[i]);
        }
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, key, &v).map_err(|e| AuthError::Invalid(e.to_string()))?;
        Ok(user_from_claims(&data.claims))
    }
}

fn parse_jwks(text: &str) -> Result<Vec<Key>, String> {
    let set: JwkSet = serde_json::from_str(text).map_err(|e| format!("JWKS is not valid: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let alg = match &jwk.algorithm {
            AlgorithmParameters::RSA(_) => Algorithm::RS256,
            AlgorithmParameters::EllipticCurve(_) => Algorithm::ES256,
            // Symmetric keys in a JWKS would reopen algorithm confusion; skip them.
            _ => continue,
        };
        let key = DecodingKey::from_jwk(jwk).map_err(|e| format!("JWKS key is not usable: {e}"))?;
        keys.push(Key { kid: jwk.common.key_id.clone(), alg, key });
    }
    Ok(keys)
}

pub fn user_from_claims(c: &Map<String, Value>) -> Value {
    let s = |k: &str| c.get(k).and_then(Value::as_str);
    let metadata = c.get("metadata").or_else(|| c.get("user_metadata")).filter(|v| v.is_object()).cloned().unwrap_or_else(|| json!({}));
    json!({
        "id": s("sub").unwrap_or_default(),
        "email": s("email").unwrap_or_default(),
        "role": s("role").unwrap_or("authenticated"),
        "metadata": metadata,
    })
}

/// Signs an HS256 token (for `palbase token` and tests).
pub fn mint(secret: &str, claims: &Value) -> Result<String, String> {
    jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &EncodingKey::from_secret(secret.as_bytes())).map_err(|e| e.to_string())
}

pub fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;

    const SECRET: &str = "test-secret-that-is-long-enough-for-hs256";

    fn claims(extra: Value) -> Value {
        let mut c = json!({"sub": "u1", "email": "a@b.c", "role": "admin", "exp": now() + 600});
        for (k, v) in extra.as_object().unwrap() {
            c[k] = v.clone();
        }
        c
    }

    fn b64(v: &Value) -> String {
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string())
    }

    #[test]
    fn accepts_valid_and_maps_claims() {
        let v = Verifier::new(Some(SECRET), None, None, None, None).unwrap();
        let t = mint(SECRET, &claims(json!({"metadata": {"plan": "pro"}}))).unwrap();
        assert_eq!(v.verify(&t).unwrap(), json!({"id":"u1","email":"a@b.c","role":"admin","metadata":{"plan":"pro"}}));
    }

    #[test]
    fn rejects_attacks() {
        let v = Verifier::new(Some(SECRET), None, Some("iss-1".into()), Some("aud-1".into()), Some(30)).unwrap();
        let good = claims(json!({"iss": "iss-1", "aud": "aud-1"}));
        assert!(v.verify(&mint(SECRET, &good).unwrap()).is_ok());
        // alg none
        let none = format!("{}.{}.", b64(&json!({"alg":"none","typ":"JWT"})), b64(&good));
        assert!(matches!(v.verify(&none), Err(AuthError::Malformed(_))));
        // expired beyond leeway, nbf in the future, wrong iss/aud, wrong secret
        for bad in [
            json!({"iss": "iss-1", "aud": "aud-1", "exp": now() - 61}),
            json!({"iss": "iss-1", "aud": "aud-1", "nbf": now() + 120}),
            json!({"iss": "other", "aud": "aud-1"}),
            json!({"iss": "iss-1", "aud": "other"}),
        ] {
            assert!(matches!(v.verify(&mint(SECRET, &claims(bad.clone())).unwrap()), Err(AuthError::Invalid(_))), "{bad}");
        }
        assert!(v.verify(&mint("another-secret-another-secret-1234", &good).unwrap()).is_err());
        // tampered payload
        let t = mint(SECRET, &good).unwrap();
        let parts: Vec<_> = t.split('.').collect();
        let tampered = format!("{}.{}.{}", parts[0], b64(&claims(json!({"iss":"iss-1","aud":"aud-1","role":"root"}))), parts[2]);
        assert!(v.verify(&tampered).is_err());
        // RS256 token when only a secret is configured: algorithm confusion is refused
        let rs = format!("{}.{}.sig", b64(&json!({"alg":"RS256","typ":"JWT"})), b64(&good));
        assert!(matches!(v.verify(&rs), Err(AuthError::UnknownKey)));
        assert!(v.verify("garbage").is_err());
    }
}
