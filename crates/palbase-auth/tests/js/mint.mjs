// Mints keys, a JWKS and tokens with the `jose` library for palbase-auth's tests (tests/jose.rs).
// Prints one JSON object: { jwks, tokens: { name: compact JWT }, hs_secret, rsa_public_pem }.
// Every key is generated afresh on each run; nothing here is a real credential.
import * as jose from "jose";

const ISS = "https://issuer.test";
const AUD = "palbase-tests";
const now = Math.floor(Date.now() / 1000);

async function pair(alg, opts = {}) {
  return jose.generateKeyPair(alg, { extractable: true, ...opts });
}

async function publicJwk(key, fields) {
  const jwk = await jose.exportJWK(key.publicKey);
  return { ...jwk, ...fields };
}

// One key per signature algorithm, each published with its `alg` and `use: "sig"`.
const algs = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA"];
const keys = {};
const jwks = { keys: [] };
for (const alg of algs) {
  keys[alg] = await pair(alg, alg === "EdDSA" ? { crv: "Ed25519" } : {});
  jwks.keys.push(await publicJwk(keys[alg], { kid: alg.toLowerCase(), alg, use: "sig" }));
}
// Keys published without `alg`: the key type's one default algorithm applies.
keys.rsaNoAlg = await pair("RS256");
jwks.keys.push(await publicJwk(keys.rsaNoAlg, { kid: "rsa-noalg" }));
keys.ecNoAlg = await pair("ES384");
jwks.keys.push(await publicJwk(keys.ecNoAlg, { kid: "ec384-noalg" }));
// Encryption keys: never verify a signature.
keys.enc = await pair("RS256");
jwks.keys.push(await publicJwk(keys.enc, { kid: "enc-oaep", alg: "RSA-OAEP-256", use: "enc" }));
keys.encNoAlg = await pair("RS256");
jwks.keys.push(await publicJwk(keys.encNoAlg, { kid: "enc-noalg", use: "enc" }));
keys.encOps = await pair("RS256");
jwks.keys.push(await publicJwk(keys.encOps, { kid: "ops-encrypt", key_ops: ["encrypt", "wrapKey"] }));
keys.verifyOps = await pair("RS256");
jwks.keys.push(await publicJwk(keys.verifyOps, { kid: "ops-verify", alg: "RS256", key_ops: ["verify"] }));
// Keys we cannot use must not make the whole set unusable: a P-521 key and a symmetric key.
keys.es512 = await pair("ES512");
jwks.keys.push(await publicJwk(keys.es512, { kid: "es512", alg: "ES512", use: "sig" }));
jwks.keys.push({ kty: "oct", kid: "oct-1", alg: "HS256", k: jose.base64url.encode("a-symmetric-key-in-a-jwks-is-never-used") });

const full = { iss: ISS, aud: AUD, sub: "u1", email: "a@b.c", role: "admin" };

// WebCrypto binds a key to one algorithm; the same private key material re-imported for another.
async function as(alg, privateKey) {
  const { alg: _alg, ...jwk } = await jose.exportJWK(privateKey);
  return jose.importJWK(jwk, alg);
}

async function sign(alg, privateKey, { kid, claims = full, header = {}, exp = now + 300, nbf, crit } = {}) {
  const jwt = new jose.SignJWT(claims).setProtectedHeader({ alg, typ: "JWT", ...(kid === undefined ? {} : { kid }), ...header });
  if (exp !== null) jwt.setExpirationTime(exp);
  if (nbf !== undefined) jwt.setNotBefore(nbf);
  return jwt.sign(privateKey, crit ? { crit } : undefined);
}

const tokens = {};
// Each algorithm with its own key.
for (const alg of algs) tokens[`ok_${alg}`] = await sign(alg, keys[alg].privateKey, { kid: alg.toLowerCase() });
tokens.ok_rsa_noalg_RS256 = await sign("RS256", keys.rsaNoAlg.privateKey, { kid: "rsa-noalg" });
tokens.ok_ec384_noalg_ES384 = await sign("ES384", keys.ecNoAlg.privateKey, { kid: "ec384-noalg" });
tokens.ok_ops_verify = await sign("RS256", keys.verifyOps.privateKey, { kid: "ops-verify" });
tokens.ok_no_kid_PS384 = await sign("PS384", keys.PS384.privateKey);

// A key's `alg` binds it to one algorithm: a valid signature under another algorithm is refused.
tokens.bad_RS256_with_PS256_key = await sign("RS256", await as("RS256", keys.PS256.privateKey), { kid: "ps256" });
tokens.bad_PS256_with_RS256_key = await sign("PS256", await as("PS256", keys.RS256.privateKey), { kid: "rs256" });
tokens.bad_RS512_with_RS256_key = await sign("RS512", await as("RS512", keys.RS256.privateKey), { kid: "rs256" });
tokens.bad_PS256_with_noalg_rsa_key = await sign("PS256", await as("PS256", keys.rsaNoAlg.privateKey), { kid: "rsa-noalg" });
// Encryption keys never verify signatures.
tokens.bad_RS256_with_enc_key = await sign("RS256", keys.enc.privateKey, { kid: "enc-oaep" });
tokens.bad_RS256_with_enc_noalg_key = await sign("RS256", keys.encNoAlg.privateKey, { kid: "enc-noalg" });
tokens.bad_RS256_with_key_ops_encrypt = await sign("RS256", keys.encOps.privateKey, { kid: "ops-encrypt" });
// Unusable keys in the set.
tokens.bad_ES512 = await sign("ES512", keys.es512.privateKey, { kid: "es512" });
// Right kid, wrong private key (a key the set does not publish).
const stranger = await pair("EdDSA", { crv: "Ed25519" });
tokens.bad_EdDSA_foreign_signature = await sign("EdDSA", stranger.privateKey, { kid: "eddsa" });
// A kid naming a key of another curve.
tokens.bad_ES256_kid_of_ES384_key = await sign("ES256", keys.ES256.privateKey, { kid: "es384" });

// `crit` naming extensions the verifier does not understand (RFC 7515 section 4.1.11).
tokens.bad_crit_unknown = await sign("RS256", keys.RS256.privateKey, { kid: "rs256", header: { crit: ["urn:x-ext"], "urn:x-ext": 1 }, crit: { "urn:x-ext": true } });
tokens.bad_crit_b64 = await sign("RS256", keys.RS256.privateKey, { kid: "rs256", header: { crit: ["b64"], b64: true } });

// Registered claims.
const { iss: _i, ...noIss } = full;
const { aud: _a, ...noAud } = full;
tokens.bad_missing_iss = await sign("ES256", keys.ES256.privateKey, { kid: "es256", claims: noIss });
tokens.bad_missing_aud = await sign("ES256", keys.ES256.privateKey, { kid: "es256", claims: noAud });
tokens.bad_wrong_iss = await sign("ES256", keys.ES256.privateKey, { kid: "es256", claims: { ...full, iss: "https://evil.test" } });
tokens.bad_wrong_aud = await sign("ES256", keys.ES256.privateKey, { kid: "es256", claims: { ...full, aud: "other" } });
tokens.ok_aud_array = await sign("ES256", keys.ES256.privateKey, { kid: "es256", claims: { ...full, aud: ["other", AUD] } });
tokens.bad_expired = await sign("ES256", keys.ES256.privateKey, { kid: "es256", exp: now - 120 });
tokens.ok_expired_within_leeway = await sign("ES256", keys.ES256.privateKey, { kid: "es256", exp: now - 5 });
tokens.bad_not_yet_valid = await sign("ES256", keys.ES256.privateKey, { kid: "es256", nbf: now + 300 });
tokens.bad_no_exp = await sign("ES256", keys.ES256.privateKey, { kid: "es256", exp: null });
tokens.ok_no_iss_no_aud = await sign("ES256", keys.ES256.privateKey, { kid: "es256", claims: { sub: "u1" } });

// alg none, and HS256 "signed" with the RSA public key (algorithm confusion).
tokens.bad_alg_none = new jose.UnsecuredJWT(full).setExpirationTime(now + 300).encode();
const rsaPublicPem = await jose.exportSPKI(keys.RS256.publicKey);
tokens.bad_HS256_with_public_key = await sign("HS256", new TextEncoder().encode(rsaPublicPem), { kid: "rs256" });
// An HS256 token with the configured shared secret.
const hsSecret = "shared-secret-shared-secret-shared-secret";
tokens.ok_HS256_secret = await sign("HS256", new TextEncoder().encode(hsSecret));

process.stdout.write(JSON.stringify({ iss: ISS, aud: AUD, jwks, tokens, hs_secret: hsSecret }));
