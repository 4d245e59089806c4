//! Tests of token extraction, RequestAuthentication and v1alpha1 origins.
use super::*;
use crate::model::istio::legacy::{Jwt, OriginMethod};
use crate::model::istio::security::JwtHeader;

const NOW: i64 = 1_700_000_000;
const ISS: &str = "testing@secure.istio.io";

fn req(path: &str, token: Option<&str>) -> Request {
    Request {
        method: "GET".into(),
        path: path.into(),
        host: None,
        headers: Vec::new(),
        token: token.map(|t| Token::parse(t).unwrap()),
        source_ip: None,
    }
}

fn store() -> JwksStore {
    let mut s = JwksStore::new();
    s.insert(
        "https://keys",
        include_str!("../../../testdata/request/jwks.json"),
    )
    .unwrap();
    s
}

const VALID: &str = include_str!("../../../testdata/request/valid.jwt");
const EXPIRED: &str = include_str!("../../../testdata/request/expired.jwt");
const FORGED: &str = include_str!("../../../testdata/request/forged.jwt");

fn origin_policy(trigger: Vec<TriggerRule>, optional: bool) -> PolicySpec {
    PolicySpec {
        origins: vec![OriginMethod {
            jwt: Some(Jwt {
                issuer: ISS.into(),
                jwks_uri: "https://keys".into(),
                trigger_rules: trigger,
                ..Jwt::default()
            }),
        }],
        origin_is_optional: optional,
        principal_binding: PrincipalBinding::UseOrigin,
        ..PolicySpec::default()
    }
}

fn verdict(r: AuthnResult) -> &'static str {
    match r.verdict {
        Authn::Pass(Some(_)) => "pass-principal",
        Authn::Pass(None) => "pass",
        Authn::Unauthenticated => "401",
        Authn::Forbidden => "403",
    }
}

/// §12: a v1alpha1 origin rejects a request without a token (unlike RequestAuthentication).
#[test]
fn v1alpha1_origin_requires_a_token() {
    let p = origin_policy(Vec::new(), false);
    let s = store();
    let o = |r: &Request| verdict(legacy_origins(0, &p, r, "/headers", NOW, &s));
    assert_eq!(o(&req("/headers", None)), "401");
    assert_eq!(o(&req("/headers", Some(VALID))), "pass-principal");
    assert_eq!(o(&req("/headers", Some(EXPIRED))), "401");
    assert_eq!(o(&req("/headers", Some(FORGED))), "401");
}

/// §12 originIsOptional: a missing or failed origin is accepted.
#[test]
fn v1alpha1_origin_is_optional() {
    let p = origin_policy(Vec::new(), true);
    let s = store();
    assert_eq!(
        verdict(legacy_origins(0, &p, &req("/", None), "/", NOW, &s)),
        "pass"
    );
}

/// §12 trigger rules: excluded paths skip the origin; included paths limit it.
#[test]
fn v1alpha1_trigger_rules() {
    let s = store();
    let excl = origin_policy(
        vec![TriggerRule {
            excluded_paths: vec![StringMatch {
                exact: Some("/user-agent".into()),
                ..StringMatch::default()
            }],
            included_paths: Vec::new(),
        }],
        false,
    );
    let r = req("/user-agent", None);
    assert_eq!(
        verdict(legacy_origins(0, &excl, &r, "/user-agent", NOW, &s)),
        "pass"
    );
    assert_eq!(
        verdict(legacy_origins(0, &excl, &r, "/headers", NOW, &s)),
        "401"
    );
    let incl = origin_policy(
        vec![TriggerRule {
            excluded_paths: Vec::new(),
            included_paths: vec![StringMatch {
                prefix: Some("/ip".into()),
                ..StringMatch::default()
            }],
        }],
        false,
    );
    assert_eq!(
        verdict(legacy_origins(0, &incl, &r, "/user-agent", NOW, &s)),
        "pass"
    );
    assert_eq!(verdict(legacy_origins(0, &incl, &r, "/ip", NOW, &s)), "401");
}

/// §8 token locations: default Authorization Bearer and access_token; fromHeaders with
/// prefix; fromParams.
#[test]
fn token_locations() {
    let tok = VALID.trim();
    let mut r = req(&format!("/x?access_token={tok}"), None);
    assert!(matches!(
        extract(&r, &Location::Param("access_token".into())),
        Some(Ok(_))
    ));
    r.headers.push(("x-jwt".into(), format!("Bearer {tok}")));
    let rule = JwtRule {
        issuer: ISS.into(),
        from_headers: vec![JwtHeader {
            name: "X-Jwt".into(),
            prefix: "Bearer ".into(),
        }],
        ..JwtRule::default()
    };
    let locs = rule_locations(&rule);
    assert_eq!(locs.len(), 1);
    assert!(matches!(extract(&r, &locs[0]), Some(Ok(_))));
    let no_prefix = Location::Header {
        name: "x-jwt".into(),
        prefix: "Token ".into(),
    };
    assert!(extract(&r, &no_prefix).is_none());
    assert_eq!(rule_locations(&JwtRule::default()), default_locations());
}

/// §8: 60 s clock skew on `exp`; audiences checked only when configured (403 on mismatch).
#[test]
fn expiry_skew_and_audiences() {
    let t = Token::parse(EXPIRED).unwrap();
    let exp = t.expires().unwrap();
    let s = JwksStore::new();
    assert!(validate(&t, "", "", &[], exp + 30, &s).is_ok());
    assert!(validate(&t, "", "", &[], exp + 61, &s).is_err());
    let v = Token::parse(VALID).unwrap();
    assert!(matches!(
        validate(&v, "", "", &["other".into()], NOW, &s),
        Err(Failure::Audience(_))
    ));
    let note = validate(&v, "", "https://unknown", &[], NOW, &s).unwrap();
    assert!(note.contains("signature not checked"));
}

/// §1: CORS preflight bypasses JWT validation.
#[test]
fn cors_preflight() {
    let mut r = req("/", None);
    r.method = "OPTIONS".into();
    r.headers.push(("origin".into(), "https://x".into()));
    assert!(!is_cors_preflight(&r));
    r.headers
        .push(("access-control-request-method".into(), "GET".into()));
    assert!(is_cors_preflight(&r));
}
