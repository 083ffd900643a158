//! RS256/ES256 through a JWKS, and the algorithm-confusion attacks of RFC 8725.
//! The keys in tests/keys are throwaway test keys made with openssl for these tests only.

use jsonwebtoken::{Algorithm, EncodingKey, Header};
use palbase_auth::{AuthError, Verifier, mint, now};
use serde_json::json;

const JWKS: &str = include_str!("keys/jwks.json");
const RSA: &[u8] = include_bytes!("keys/rsa.pem");
const RSA_PUB: &str = include_str!("keys/rsa.pub.pem");
const EC: &[u8] = include_bytes!("keys/ec.pem");

fn claims() -> serde_json::Value {
    json!({"sub": "u1", "email": "a@b.c", "role": "admin", "exp": now() + 300})
}

fn sign(alg: Algorithm, kid: Option<&str>, key: &EncodingKey) -> String {
    let mut h = Header::new(alg);
    h.kid = kid.map(str::to_string);
    jsonwebtoken::encode(&h, &claims(), key).unwrap()
}

#[test]
fn rs256_and_es256_from_jwks() {
    let v = Verifier::new(Some("local-secret-local-secret-local-secret"), Some(JWKS), None, None, None).unwrap();
    let rsa = EncodingKey::from_rsa_pem(RSA).unwrap();
    let ec = EncodingKey::from_ec_pem(EC).unwrap();
    assert_eq!(v.verify(&sign(Algorithm::RS256, Some("rsa-1"), &rsa)).unwrap()["id"], "u1");
    assert_eq!(v.verify(&sign(Algorithm::ES256, Some("ec-1"), &ec)).unwrap()["role"], "admin");
    // No kid: the key of the token's algorithm.
    assert!(v.verify(&sign(Algorithm::RS256, None, &rsa)).is_ok());
    // Unknown kid.
    assert_eq!(v.verify(&sign(Algorithm::RS256, Some("other"), &rsa)), Err(AuthError::UnknownKey));
    // RS256 header but an EC key id: no RS256 key with that id.
    assert_eq!(v.verify(&sign(Algorithm::RS256, Some("ec-1"), &rsa)), Err(AuthError::UnknownKey));
}

#[test]
fn hs256_signed_with_the_public_key_is_refused() {
    // The classic confusion: the attacker signs HS256 using the server's RSA public key as the secret.
    let v = Verifier::new(None, Some(JWKS), None, None, None).unwrap();
    let forged = mint(RSA_PUB, &claims()).unwrap();
    assert_eq!(v.verify(&forged), Err(AuthError::Algorithm("HS256".into())));
    // With a secret configured, the public key is still not the secret.
    let v = Verifier::new(Some("local-secret-local-secret-local-secret"), Some(JWKS), None, None, None).unwrap();
    assert!(matches!(v.verify(&forged), Err(AuthError::Invalid(_))));
    // Other algorithms are not accepted at all.
    let hs512 = jsonwebtoken::encode(&Header::new(Algorithm::HS512), &claims(), &EncodingKey::from_secret(b"local-secret-local-secret-local-secret")).unwrap();
    assert!(matches!(v.verify(&hs512), Err(AuthError::Algorithm(_))));
}

#[test]
fn keys_can_be_replaced_and_unknown_kids_are_reported() {
    use std::sync::{
        Arc,
        atomic::{AtomicUsize, Ordering},
    };
    let mut v = Verifier::new(None, Some(r#"{"keys":[]}"#), None, None, None).unwrap();
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    v.on_unknown_kid(move || {
        c.fetch_add(1, Ordering::SeqCst);
    });
    let rsa = EncodingKey::from_rsa_pem(RSA).unwrap();
    let t = sign(Algorithm::RS256, Some("rsa-1"), &rsa);
    assert_eq!(v.verify(&t), Err(AuthError::UnknownKey));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(v.set_jwks(JWKS).unwrap(), 2);
    assert_eq!(v.verify(&t).unwrap()["id"], "u1");
}
