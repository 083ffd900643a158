//! A JWKS document and a token (split at the first NUL byte): parsing and verification.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let (jwks, token) = match data.iter().position(|b| *b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (&b""[..], data),
    };
    let jwks = String::from_utf8_lossy(jwks);
    let token = String::from_utf8_lossy(token);
    let _ = palbase_auth::Verifier::new(Some("secret"), None, Some("iss".into()), Some("aud".into()), None).map(|v| v.verify(&token));
    if let Ok(v) = palbase_auth::Verifier::new(None, Some(&jwks), None, None, None) {
        let _ = v.verify(&token);
        let _ = v.set_jwks(&jwks);
    }
});
