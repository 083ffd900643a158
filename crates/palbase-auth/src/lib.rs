//! Bearer-token verification for endpoints (endpoints.md "Auth"), following RFC 8725:
//! an allow-list of algorithms, one algorithm per key (an HS256 secret never verifies an
//! asymmetric token and the reverse; a JWKS key verifies only the algorithm its `alg` names, or
//! its key type's one default when it has none: RSA → RS256, P-256 → ES256, P-384 → ES384,
//! Ed25519 → EdDSA), keys published for encryption (`use: "enc"`, `key_ops` without `verify`)
//! never verify, `alg: none` rejected, a `crit` header refused (we understand no extension,
//! RFC 7515 §4.1.11), `exp`/`nbf` checked with a small leeway, and `iss`/`aud` required and
//! checked when configured.
//!
//! Algorithms: HS256 (the shared secret); RS256/384/512, PS256/384/512, ES256, ES384 and EdDSA
//! (Ed25519) from a JWKS.
//!
//! Claims map to the spec's `User`:
//! `id` ← `sub`; `email` ← `email` (or `""`); `role` ← `role` (or `"authenticated"`);
//! `metadata` ← `metadata`, else `user_metadata`, else `{}`.

use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation,
    jwk::{AlgorithmParameters, EllipticCurve, Jwk, JwkSet, KeyAlgorithm, KeyOperations, PublicKeyUse},
};
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
        Ok(Self { secret: secret.map(|s| DecodingKey::from_secret(s.as_bytes())), keys: std::sync::RwLock::new(keys), on_unknown_kid: None, issuer, audience, leeway: leeway.unwrap_or(DEFAULT_LEEWAY_SECONDS) })
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
        // RFC 7515 §4.1.11: a recipient must reject a token whose `crit` names an extension it
        // does not understand, and we understand none (an empty list is not allowed either).
        if let Some(crit) = &header.crit {
            return Err(AuthError::Invalid(format!("the header marks extensions as critical that this server does not understand: {crit:?}")));
        }
        let keys = self.keys.read().unwrap_or_else(|p| p.into_inner());
        let key = match header.alg {
            Algorithm::HS256 => self.secret.as_ref().ok_or_else(|| AuthError::Algorithm("HS256".into()))?,
            alg if ASYMMETRIC.contains(&alg) => {
                let mut candidates = keys.iter().filter(|k| k.alg == alg);
                let found = match &header.kid {
                    Some(kid) => candidates.find(|k| k.kid.as_deref() == Some(kid)),
                    None => candidates.next(),
                };
                match found {
                    Some(k) => &k.key,
                    None => {
                        // A kid we have, but for another algorithm, is a refusal, not a reason to
                        // refetch the key set.
                        let known = header.kid.as_deref().is_some_and(|kid| keys.iter().any(|k| k.kid.as_deref() == Some(kid)));
                        if let (false, Some(f)) = (known, &self.on_unknown_kid) {
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
        // A configured issuer or audience is required, not only checked when present.
        let mut required = vec!["exp", "sub"];
        match &self.audience {
            Some(a) => {
                v.set_audience(&[a]);
                required.push("aud");
            }
            None => v.validate_aud = false,
        }
        if let Some(i) = &self.issuer {
            v.set_issuer(&[i]);
            required.push("iss");
        }
        v.set_required_spec_claims(&required);
        let data = jsonwebtoken::decode::<Map<String, Value>>(token, key, &v).map_err(|e| AuthError::Invalid(e.to_string()))?;
        Ok(user_from_claims(&data.claims))
    }
}

/// The algorithms a JWKS key may verify.
const ASYMMETRIC: [Algorithm; 9] = [Algorithm::RS256, Algorithm::RS384, Algorithm::RS512, Algorithm::PS256, Algorithm::PS384, Algorithm::PS512, Algorithm::ES256, Algorithm::ES384, Algorithm::EdDSA];

/// The one algorithm `jwk` verifies, or `None` when it must not verify signatures here: a key
/// for encryption, a symmetric key (it would reopen algorithm confusion), a curve or algorithm
/// we do not support, or an `alg` that does not fit the key's type.
pub fn jwk_algorithm(jwk: &Jwk) -> Option<Algorithm> {
    match &jwk.common.public_key_use {
        None | Some(PublicKeyUse::Signature) => {}
        Some(_) => return None,
    }
    if let Some(ops) = &jwk.common.key_operations
        && !ops.contains(&KeyOperations::Verify)
    {
        return None;
    }
    // The algorithms the key's type allows; the first is its default.
    let allowed: &[Algorithm] = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => &[Algorithm::RS256, Algorithm::RS384, Algorithm::RS512, Algorithm::PS256, Algorithm::PS384, Algorithm::PS512],
        AlgorithmParameters::EllipticCurve(p) => match p.curve {
            EllipticCurve::P256 => &[Algorithm::ES256],
            EllipticCurve::P384 => &[Algorithm::ES384],
            _ => return None,
        },
        AlgorithmParameters::OctetKeyPair(p) => match p.curve {
            EllipticCurve::Ed25519 => &[Algorithm::EdDSA],
            _ => return None,
        },
        _ => return None,
    };
    let alg = match jwk.common.key_algorithm {
        None => allowed[0],
        Some(ka) => match ka {
            KeyAlgorithm::RS256 => Algorithm::RS256,
            KeyAlgorithm::RS384 => Algorithm::RS384,
            KeyAlgorithm::RS512 => Algorithm::RS512,
            KeyAlgorithm::PS256 => Algorithm::PS256,
            KeyAlgorithm::PS384 => Algorithm::PS384,
            KeyAlgorithm::PS512 => Algorithm::PS512,
            KeyAlgorithm::ES256 => Algorithm::ES256,
            KeyAlgorithm::ES384 => Algorithm::ES384,
            KeyAlgorithm::EdDSA => Algorithm::EdDSA,
            _ => return None,
        },
    };
    allowed.contains(&alg).then_some(alg)
}

/// The keys of a JWKS that verify signatures; the others are left out (a provider's set may
/// also hold encryption keys or keys of curves we do not support).
fn parse_jwks(text: &str) -> Result<Vec<Key>, String> {
    let set: JwkSet = serde_json::from_str(text).map_err(|e| format!("JWKS is not valid: {e}"))?;
    let mut keys = Vec::new();
    for jwk in &set.keys {
        let Some(alg) = jwk_algorithm(jwk) else { continue };
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
        for bad in [json!({"iss": "iss-1", "aud": "aud-1", "exp": now() - 61}), json!({"iss": "iss-1", "aud": "aud-1", "nbf": now() + 120}), json!({"iss": "other", "aud": "aud-1"}), json!({"iss": "iss-1", "aud": "other"})] {
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
