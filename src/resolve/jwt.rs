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
    /// `alg` of the header, e.g. `RS256`.
    pub alg: Algorithm,
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
        let data = jsonwebtoken::dangerous::insecure_decode::<Map<String, Value>>(raw)
            .map_err(|e| format!("token cannot be decoded: {e}"))?;
        Ok(Token {
            raw: raw.to_owned(),
            alg: data.header.alg,
            kid: data.header.kid,
            claims: data.claims,
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
        for jwk in candidates {
            let Ok(key) = DecodingKey::from_jwk(jwk) else {
                continue;
            };
            if key.family() != self.alg.family() {
                continue;
            }
            if let Ok(true) =
                jsonwebtoken::crypto::verify(signature, message.as_bytes(), &key, self.alg)
            {
                return Signature::Valid;
            }
        }
        Signature::Invalid(format!(
            "no key of the key set verifies the {:?} signature",
            self.alg
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
