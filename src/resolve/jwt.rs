//! JSON Web Tokens as Envoy's `jwt_authn` filter sees them (research/authz-semantics.md §8):
//! decoding, claims, and signature checks against a key set (JWKS).
//!
//! A [`Token`] keeps the decoded header and claims; the raw text stays private and is only used
//! to check the signature. Nothing here prints or serializes the raw token: explanations name a
//! token by issuer and subject ([`Token::describe`]).
//!
//! Key sets come from a jwtRule's inline `jwks`, or from `--jwks URI=FILE` pairs held in a
//! [`JwksStore`] (meshlint never fetches a `jwksUri`).

use std::collections::BTreeMap;
use std::fmt;

use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde_json::{Map, Value};

/// A decoded (not yet verified) JWT.
#[derive(Clone)]
pub struct Token {
    raw: String,
    /// `alg` of the header, e.g. `RS256`; `Err` with the text for algorithms Envoy does not
    /// accept (such as `none`), whose tokens never verify.
    pub alg: Result<Algorithm, String>,
    pub kid: Option<String>,
    pub claims: Map<String, Value>,
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never the raw token (SPEC §5: tokens are shown by issuer/subject only).
        f.debug_struct("Token")
            .field("alg", &self.alg)
            .field("kid", &self.kid)
            .field("iss", &self.issuer())
            .field("sub", &self.subject())
            .finish()
    }
}

impl PartialEq for Token {
    fn eq(&self, other: &Token) -> bool {
        self.raw == other.raw
    }
}

/// The result of checking a token's signature.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signature {
    Valid,
    /// Checked and wrong (no key verifies it), with the reason.
    Invalid(String),
}

impl Token {
    /// Decodes a compact JWS (`header.payload.signature`); surrounding whitespace is ignored.
    /// An error means Envoy rejects the token as malformed (401).
    pub fn parse(text: &str) -> Result<Token, String> {
        let raw = text.trim();
        if raw.split('.').count() != 3 {
            return Err("token is not a JWT (expected three dot-separated parts)".into());
        }
        let mut parts = raw.split('.');
        let part = |p: Option<&str>, what: &str| -> Result<Map<String, Value>, String> {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(p.unwrap_or_default().trim_end_matches('='))
                .map_err(|e| format!("token {what} is not base64url: {e}"))?;
            serde_json::from_slice(&bytes)
                .map_err(|e| format!("token {what} is not a JSON object: {e}"))
        };
        let header = part(parts.next(), "header")?;
        let claims = part(parts.next(), "payload")?;
        let alg_text = header
            .get("alg")
            .and_then(Value::as_str)
            .unwrap_or_default();
        Ok(Token {
            raw: raw.to_owned(),
            alg: alg_text
                .parse::<Algorithm>()
                .map_err(|_| format!("unsupported algorithm `{alg_text}`")),
            kid: header.get("kid").and_then(Value::as_str).map(str::to_owned),
            claims,
        })
    }

    /// Reads a token file (as `--token FILE` does).
    pub fn from_file(path: &std::path::Path) -> Result<Token, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read token file {}: {e}", path.display()))?;
        Token::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    fn str_claim(&self, name: &str) -> Option<&str> {
        self.claims.get(name).and_then(Value::as_str)
    }

    pub fn issuer(&self) -> Option<&str> {
        self.str_claim("iss")
    }

    pub fn subject(&self) -> Option<&str> {
        self.str_claim("sub")
    }

    /// `aud` as a list (a single string counts as a one-element list).
    pub fn audiences(&self) -> Vec<&str> {
        match self.claims.get("aud") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        }
    }

    fn time_claim(&self, name: &str) -> Option<i64> {
        let v = self.claims.get(name)?;
        v.as_i64().or_else(|| v.as_f64().map(|f| f as i64))
    }

    pub fn expires(&self) -> Option<i64> {
        self.time_claim("exp")
    }

    pub fn not_before(&self) -> Option<i64> {
        self.time_claim("nbf")
    }

    /// `iss=…, sub=…`: how explanations name a token.
    pub fn describe(&self) -> String {
        format!(
            "iss={}, sub={}",
            self.issuer().unwrap_or("(none)"),
            self.subject().unwrap_or("(none)")
        )
    }

    /// Checks the signature with the keys of `set`: the key named by `kid` when the token has
    /// one, otherwise every key of the set (as Envoy does).
    pub fn verify(&self, set: &JwkSet) -> Signature {
        let Some((message, signature)) = self.raw.rsplit_once('.') else {
            return Signature::Invalid("token has no signature".into());
        };
        let candidates: Vec<&Jwk> = match &self.kid {
            Some(kid)
                if set
                    .keys
                    .iter()
                    .any(|k| k.common.key_id.as_deref() == Some(kid)) =>
            {
                set.keys
                    .iter()
                    .filter(|k| k.common.key_id.as_deref() == Some(kid))
                    .collect()
            }
            _ => set.keys.iter().collect(),
        };
        if candidates.is_empty() {
            return Signature::Invalid("the key set has no keys".into());
        }
        let alg = match &self.alg {
            Ok(alg) => *alg,
            Err(e) => return Signature::Invalid(e.clone()),
        };
        for jwk in candidates {
            let Ok(key) = DecodingKey::from_jwk(jwk) else {
                continue;
            };
            if key.family() != alg.family() {
                continue;
            }
            if let Ok(true) = jsonwebtoken::crypto::verify(signature, message.as_bytes(), &key, alg)
            {
                return Signature::Valid;
            }
        }
        Signature::Invalid(format!(
            "no key of the key set verifies the {alg:?} signature"
        ))
    }
}

/// Parses a JWKS document (`{"keys": [...]}`).
pub fn parse_jwks(text: &str) -> Result<JwkSet, String> {
    serde_json::from_str(text).map_err(|e| format!("invalid JWKS: {e}"))
}

/// Key sets for `jwksUri` values, given with `--jwks URI=FILE`.
#[derive(Debug, Clone, Default)]
pub struct JwksStore {
    by_uri: BTreeMap<String, JwkSet>,
}

impl JwksStore {
    pub fn new() -> JwksStore {
        JwksStore::default()
    }

    /// Adds one `URI=FILE` pair; the file is read relative to the working directory.
    pub fn load_pair(&mut self, pair: &str) -> Result<(), String> {
        let (uri, file) = pair
            .rsplit_once('=')
            .filter(|(u, f)| !u.is_empty() && !f.is_empty())
            .ok_or_else(|| format!("`{pair}` is not URI=FILE"))?;
        let text = std::fs::read_to_string(file)
            .map_err(|e| format!("cannot read key set {file}: {e}"))?;
        self.insert(uri, &text).map_err(|e| format!("{file}: {e}"))
    }

    /// Adds a key set for `uri` from JWKS text.
    pub fn insert(&mut self, uri: &str, text: &str) -> Result<(), String> {
        let set = parse_jwks(text)?;
        self.by_uri.insert(uri.to_owned(), set);
        Ok(())
    }

    pub fn get(&self, uri: &str) -> Option<&JwkSet> {
        self.by_uri.get(uri)
    }

    pub fn is_empty(&self) -> bool {
        self.by_uri.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Test key and tokens from testdata/request/ (generated for meshlint; the private key was
    // not kept).
    const JWKS: &str = include_str!("../../testdata/request/jwks.json");
    const VALID: &str = include_str!("../../testdata/request/valid.jwt");
    const FORGED: &str = include_str!("../../testdata/request/forged.jwt");

    /// authz-semantics §8: an unsigned (`alg: none`) token decodes, but never verifies, so a
    /// RequestAuthentication rejects it (401) instead of meshlint refusing the input.
    #[test]
    fn alg_none_decodes_but_never_verifies() {
        // {"alg":"none"} . {"iss":"testing@secure.istio.io","sub":"x"}
        let t = Token::parse(
            "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyIsInN1YiI6IngifQ.c2ln",
        )
        .unwrap();
        assert_eq!(t.issuer(), Some("testing@secure.istio.io"));
        assert!(t.alg.is_err());
        let set = parse_jwks(JWKS).unwrap();
        assert!(matches!(t.verify(&set), Signature::Invalid(e) if e.contains("none")));
    }

    #[test]
    fn decodes_claims_without_exposing_the_token() {
        let t = Token::parse(VALID).unwrap();
        assert_eq!(t.issuer(), Some("testing@secure.istio.io"));
        assert_eq!(t.subject(), Some("testing@secure.istio.io"));
        assert!(t.expires().is_some());
        let shown = format!("{t:?} {}", t.describe());
        assert!(!shown.contains(VALID.trim()));
        assert!(!shown.contains(VALID.trim().split('.').nth(2).unwrap()));
    }

    /// authz-semantics §8: a malformed token is rejected by jwt_authn.
    #[test]
    fn malformed_tokens_are_errors() {
        assert!(Token::parse("abc").is_err());
        assert!(Token::parse("a.b.c").is_err());
    }

    /// authz-semantics §8: the signature must verify with the rule's key set.
    #[test]
    fn signature_checked_against_jwks() {
        let set = parse_jwks(JWKS).unwrap();
        assert_eq!(Token::parse(VALID).unwrap().verify(&set), Signature::Valid);
        assert!(matches!(
            Token::parse(FORGED).unwrap().verify(&set),
            Signature::Invalid(_)
        ));
    }

    #[test]
    fn store_reads_uri_file_pairs() {
        let dir = std::env::temp_dir().join(format!("meshlint-jwks-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("k.json");
        std::fs::write(&f, JWKS).unwrap();
        let mut s = JwksStore::new();
        s.load_pair(&format!("https://x.example/jwks.json={}", f.display()))
            .unwrap();
        assert!(s.get("https://x.example/jwks.json").is_some());
        assert!(s.load_pair("nofile").is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
