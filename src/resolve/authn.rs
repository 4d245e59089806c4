//! End-user authentication: RequestAuthentication (v1beta1/v1) as Envoy's `jwt_authn` applies
//! it, and the legacy authentication.istio.io/v1alpha1 `origins` with trigger rules
//! (research/authz-semantics.md §1, §8, §12).
//!
//! The two differ in one rule that matters: a request **without** a token passes
//! RequestAuthentication (it only has no request principal), while a v1alpha1 origin that
//! applies to the path rejects it with 401 unless `originIsOptional`.

use crate::analysis::Analysis;
use crate::facts::proxy::ProxyKind;
use crate::model::istio::legacy::{PolicySpec, PrincipalBinding, StringMatch, TriggerRule};
use crate::model::istio::security::JwtRule;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz::header_value;
use crate::resolve::jwt::{JwksStore, Signature, Token, parse_jwks};
use crate::resolve::request::Request;
use crate::resolve::server_mtls::{self, FieldRef, Target};
use crate::version::Behaviour;

/// Envoy `jwt_authn` default clock skew (§8: a token expired less than 60 s ago still passes).
pub const CLOCK_SKEW_SECONDS: i64 = 60;

/// The result of the authentication stage.
#[derive(Debug, Clone, PartialEq)]
pub enum Authn {
    /// Passed; the validated token, if any, is the source of `request.auth.*`.
    Pass(Option<Token>),
    /// 401 from jwt_authn (or the v1alpha1 authn filter).
    Unauthenticated,
    /// 403 from jwt_authn: valid token whose audience is not allowed (§1 table).
    Forbidden,
}

/// Authentication verdict with what decided and a one-line explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct AuthnResult {
    pub verdict: Authn,
    pub by: Vec<FieldRef>,
    pub detail: String,
    /// Claims to split on spaces in `request.auth.claims[...]` (`spaceDelimitedClaims`).
    pub space_delimited: Vec<String>,
}

/// Where a jwtRule (or v1alpha1 jwt) looks for a token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    Header { name: String, prefix: String },
    Param(String),
    Cookie(String),
}

impl Location {
    fn describe(&self) -> String {
        match self {
            Location::Header { name, prefix } if prefix.is_empty() => format!("header {name}"),
            Location::Header { name, prefix } => format!("header {name} ({prefix:?} prefix)"),
            Location::Param(p) => format!("query parameter {p}"),
            Location::Cookie(c) => format!("cookie {c}"),
        }
    }
}

/// The default locations: `Authorization: Bearer` then `?access_token=` (§8).
fn default_locations() -> Vec<Location> {
    vec![
        Location::Header {
            name: "authorization".into(),
            prefix: "Bearer ".into(),
        },
        Location::Param("access_token".into()),
    ]
}

/// A jwtRule's token locations: its `fromHeaders`/`fromParams`/`fromCookies`, or the default
/// ones when none is given (§8).
pub fn rule_locations(rule: &JwtRule) -> Vec<Location> {
    let mut out: Vec<Location> = rule
        .from_headers
        .iter()
        .map(|h| Location::Header {
            name: h.name.to_ascii_lowercase(),
            prefix: h.prefix.clone(),
        })
        .chain(rule.from_params.iter().cloned().map(Location::Param))
        .chain(rule.from_cookies.iter().cloned().map(Location::Cookie))
        .collect();
    if out.is_empty() {
        out = default_locations();
    }
    out
}

fn query_param(path: &str, name: &str) -> Option<String> {
    let query = path.split_once('?')?.1;
    let query = query.split('#').next().unwrap_or(query);
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == name).then(|| v.to_owned())
    })
}

fn cookie(req: &Request, name: &str) -> Option<String> {
    let all = header_value(req, "cookie")?;
    all.split([';', ','])
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The token at one location: `None` when nothing is there (a header without the configured
/// prefix is not extracted, as Envoy's extractor skips it), otherwise the decoded token or why
/// it is malformed.
pub fn extract(req: &Request, loc: &Location) -> Option<Result<Token, String>> {
    let text = match loc {
        Location::Header { name, prefix } => {
            if name == "authorization"
                && prefix.eq_ignore_ascii_case("Bearer ")
                && let Some(t) = &req.token
            {
                return Some(Ok(t.clone()));
            }
            let v = header_value(req, name)?;
            let rest = if prefix.is_empty() {
                Some(v.as_str())
            } else if v.len() >= prefix.len() && v[..prefix.len()].eq_ignore_ascii_case(prefix) {
                Some(&v[prefix.len()..])
            } else {
                None
            }?;
            rest.trim().to_owned()
        }
        Location::Param(p) => query_param(&req.path, p)?,
        Location::Cookie(c) => cookie(req, c)?,
    };
    if text.is_empty() {
        return None;
    }
    Some(Token::parse(&text))
}

/// Whether this is a CORS preflight, which bypasses JWT validation (§1).
pub fn is_cors_preflight(req: &Request) -> bool {
    req.method == "OPTIONS"
        && header_value(req, "origin").is_some()
        && header_value(req, "access-control-request-method").is_some()
}

/// Why a token fails one issuer's checks.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    /// 401 with the reason.
    Invalid(String),
    /// 403: audience not allowed.
    Audience(String),
}

/// What a JWT stage's detail says when the token was accepted without its signature being
/// checked (no key set for the issuer): the outcome assumes the signature is valid.
pub const SIGNATURE_NOT_CHECKED: &str = "signature not checked";

/// Whether a trace accepted a token whose signature was not checked.
pub fn signature_unchecked(trace: &[crate::resolve::request::Stage]) -> bool {
    trace.iter().any(|s| {
        matches!(s.stage, "jwt" | "origin")
            && s.decision == "pass"
            && s.detail.contains(SIGNATURE_NOT_CHECKED)
    })
}

/// Checks signature, time and audience of `t` for one issuer's settings. `Ok` carries a note
/// (e.g. that the signature could not be checked).
fn validate(
    t: &Token,
    inline_jwks: &str,
    jwks_uri: &str,
    audiences: &[String],
    now: i64,
    store: &JwksStore,
) -> Result<String, Failure> {
    let mut note = String::new();
    let set = if !inline_jwks.trim().is_empty() {
        Some(parse_jwks(inline_jwks).map_err(|e| Failure::Invalid(format!("inline jwks: {e}")))?)
    } else {
        store.get(jwks_uri).cloned()
    };
    match set {
        Some(set) => {
            if let Signature::Invalid(why) = t.verify(&set) {
                return Err(Failure::Invalid(format!("bad signature: {why}")));
            }
            note.push_str("signature verified");
        }
        None => {
            note.push_str(&format!(
                "{SIGNATURE_NOT_CHECKED}: no key set for {} (give --jwks URI=FILE)",
                if jwks_uri.is_empty() {
                    "this issuer"
                } else {
                    jwks_uri
                }
            ));
        }
    }
    if let Some(exp) = t.expires()
        && now > exp + CLOCK_SKEW_SECONDS
    {
        return Err(Failure::Invalid(format!(
            "token expired at {} (now {}, 60 s clock skew)",
            rfc3339(exp),
            rfc3339(now)
        )));
    }
    if let Some(nbf) = t.not_before()
        && now + CLOCK_SKEW_SECONDS < nbf
    {
        return Err(Failure::Invalid(format!(
            "token not valid before {}",
            rfc3339(nbf)
        )));
    }
    if !audiences.is_empty() {
        let aud = t.audiences();
        if !aud.iter().any(|a| audiences.iter().any(|x| x == a)) {
            return Err(Failure::Audience(format!(
                "audience {aud:?} not in {audiences:?}"
            )));
        }
    }
    Ok(note)
}

/// The RequestAuthentications applying to `workload`, oldest first (§8 "Selection").
pub fn applicable_request_authentications(a: &Analysis, workload: usize) -> Vec<usize> {
    crate::resolve::authz::applicable_of(a, Kind::RequestAuthentication, workload)
}

/// The jwt_authn stage for RequestAuthentication (§8): all jwtRules of all applicable RAs are
/// merged; no token passes; a token must be valid for a rule of its issuer that reads the place
/// it was found.
pub fn request_authentication(
    a: &Analysis,
    workload: usize,
    req: &Request,
    now: i64,
    store: &JwksStore,
) -> AuthnResult {
    request_authentication_by(
        a,
        &applicable_request_authentications(a, workload),
        req,
        now,
        store,
    )
}

/// The jwt_authn stage for the RequestAuthentications `objects` (indexes into `inv.objects`):
/// what a sidecar runs for those selecting it, and a waypoint for those attached to the
/// Service, ServiceEntry or Gateway it serves by targetRef (authz-semantics §2.3, §8; istio/istio
/// `pilot/pkg/networking/core/listener_waypoint.go` and `policy_applier.go`).
pub fn request_authentication_by(
    a: &Analysis,
    objects: &[usize],
    req: &Request,
    now: i64,
    store: &JwksStore,
) -> AuthnResult {
    let mut rules: Vec<(FieldRef, &JwtRule)> = Vec::new();
    for &i in objects {
        if let Body::RequestAuthentication(s) = &a.inv.objects[i].body {
            for (j, r) in s.jwt_rules.iter().enumerate() {
                rules.push((
                    FieldRef {
                        object: i,
                        field: format!("spec.jwtRules[{j}]").into(),
                    },
                    r,
                ));
            }
        }
    }
    let space_delimited: Vec<String> = rules
        .iter()
        .flat_map(|(_, r)| r.space_delimited_claims.iter().cloned())
        .collect();
    let result = |verdict, by, detail: String| AuthnResult {
        verdict,
        by,
        detail,
        space_delimited: space_delimited.clone(),
    };
    if rules.is_empty() {
        let by = objects
            .iter()
            .map(|&i| FieldRef {
                object: i,
                field: "spec".into(),
            })
            .collect();
        let detail = if objects.is_empty() {
            "no RequestAuthentication applies: tokens are not validated".to_owned()
        } else {
            "RequestAuthentication without jwtRules: tokens are not validated".to_owned()
        };
        return result(Authn::Pass(None), by, detail);
    }
    if is_cors_preflight(req) {
        return result(
            Authn::Pass(None),
            Vec::new(),
            "CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) bypasses JWT validation".into(),
        );
    }
    // Every distinct location any rule reads, with the rules reading it.
    let mut locations: Vec<(Location, Vec<usize>)> = Vec::new();
    for (k, (_, r)) in rules.iter().enumerate() {
        for loc in rule_locations(r) {
            match locations.iter_mut().find(|(l, _)| *l == loc) {
                Some((_, readers)) => readers.push(k),
                None => locations.push((loc, vec![k])),
            }
        }
    }
    let mut principal: Option<Token> = None;
    let mut notes = Vec::new();
    let mut by = Vec::new();
    for (loc, readers) in &locations {
        let Some(found) = extract(req, loc) else {
            continue;
        };
        let where_ = loc.describe();
        let t = match found {
            Ok(t) => t,
            Err(e) => {
                let by = readers.iter().map(|&k| rules[k].0.clone()).collect();
                return result(
                    Authn::Unauthenticated,
                    by,
                    format!("token in {where_} is malformed ({e}): 401"),
                );
            }
        };
        let iss = t.issuer().unwrap_or("");
        let mine: Vec<usize> = readers
            .iter()
            .copied()
            // A rule without `issuer` (1.27+, with `jwksUri`) takes tokens of any `iss`:
            // istio/istio 1.27.0 pilot/pkg/security/authn/policy_applier.go:163 passes the empty
            // issuer to Envoy, whose JwtProvider.issuer is optional ("otherwise the JWT iss
            // field is not checked", envoyproxy/envoy api/envoy/extensions/filters/http/
            // jwt_authn/v3/config.proto) and whose extractor then allows all issuers
            // (source/extensions/filters/http/jwt_authn/extractor.cc JwtIssuerChecker::add).
            .filter(|&k| {
                rules[k].1.issuer.is_empty() || (!iss.is_empty() && rules[k].1.issuer == iss)
            })
            .collect();
        if mine.is_empty() {
            let by = readers.iter().map(|&k| rules[k].0.clone()).collect();
            return result(
                Authn::Unauthenticated,
                by,
                format!(
                    "token in {where_} ({}) has an issuer no jwtRule reading that place accepts: 401",
                    t.describe()
                ),
            );
        }
        let mut failure = None;
        let mut ok = None;
        for &k in &mine {
            let (at, r) = &rules[k];
            match validate(&t, &r.jwks, r.jwks_uri(), &r.audiences, now, store) {
                Ok(note) => {
                    ok = Some((at.clone(), note));
                    break;
                }
                Err(f) => {
                    if failure.is_none() {
                        failure = Some((at.clone(), f));
                    }
                }
            }
        }
        match ok {
            Some((at, note)) => {
                notes.push(format!(
                    "token in {where_} ({}) valid; {note}",
                    t.describe()
                ));
                by.push(at);
                if principal.is_none() {
                    principal = Some(t);
                }
            }
            None => {
                let (at, f) = failure.expect("one rule was tried");
                return match f {
                    Failure::Invalid(why) => result(
                        Authn::Unauthenticated,
                        vec![at],
                        format!("token in {where_} ({}) rejected: {why}: 401", t.describe()),
                    ),
                    Failure::Audience(why) => result(
                        Authn::Forbidden,
                        vec![at],
                        format!(
                            "token in {where_} ({}) rejected by jwt_authn: {why}: 403",
                            t.describe()
                        ),
                    ),
                };
            }
        }
    }
    if principal.is_none() {
        let places: Vec<String> = locations.iter().map(|(l, _)| l.describe()).collect();
        return result(
            Authn::Pass(None),
            rules.iter().map(|(at, _)| at.clone()).collect(),
            format!(
                "no token at {}: passes RequestAuthentication with no request principal",
                places.join(", ")
            ),
        );
    }
    result(Authn::Pass(principal), by, notes.join("; "))
}

// ---------------------------------------------------------------- v1alpha1 origins (§12)

/// A v1alpha1 `StringMatch` against the path (exact/prefix/suffix; regex is not evaluated).
fn string_match(m: &StringMatch, path: &str) -> Option<bool> {
    if let Some(e) = &m.exact {
        return Some(path == e);
    }
    if let Some(p) = &m.prefix {
        return Some(path.starts_with(p.as_str()));
    }
    if let Some(s) = &m.suffix {
        return Some(path.ends_with(s.as_str()));
    }
    if m.regex.is_some() {
        return None;
    }
    Some(false)
}

/// Whether a trigger rule fires (§12): the path matches none of `excludedPaths` and, when
/// `includedPaths` is set, one of them. A regex counts as not matching (noted by the caller).
pub fn trigger_fires(rule: &TriggerRule, path: &str) -> bool {
    let hit = |m: &StringMatch| string_match(m, path).unwrap_or(false);
    !rule.excluded_paths.iter().any(hit)
        && (rule.included_paths.is_empty() || rule.included_paths.iter().any(hit))
}

fn uses_regex(rules: &[TriggerRule]) -> bool {
    rules
        .iter()
        .flat_map(|r| r.excluded_paths.iter().chain(&r.included_paths))
        .any(|m| m.regex.is_some())
}

/// The origin stage of a v1alpha1 Policy (§12): the JWT methods whose trigger rules fire must
/// find a valid token, else 401 (also when there is no token) unless `originIsOptional`.
pub fn legacy_origins(
    policy: usize,
    spec: &PolicySpec,
    req: &Request,
    path: &str,
    now: i64,
    store: &JwksStore,
) -> AuthnResult {
    let result = |verdict, by: Vec<FieldRef>, detail: String| AuthnResult {
        verdict,
        by,
        detail,
        space_delimited: Vec::new(),
    };
    let at = |field: String| FieldRef {
        object: policy,
        field: field.into(),
    };
    let methods: Vec<(usize, &crate::model::istio::legacy::Jwt)> = spec
        .origins
        .iter()
        .enumerate()
        .filter_map(|(i, o)| o.jwt.as_ref().map(|j| (i, j)))
        .collect();
    if methods.is_empty() {
        return result(
            Authn::Pass(None),
            vec![at("spec".into())],
            "the Policy has no JWT origins: no end-user authentication".into(),
        );
    }
    let regex_note = if methods.iter().any(|(_, j)| uses_regex(&j.trigger_rules)) {
        " (regex trigger paths are not evaluated and count as not matching)"
    } else {
        ""
    };
    let active: Vec<(usize, &crate::model::istio::legacy::Jwt)> = methods
        .iter()
        .copied()
        .filter(|(_, j)| {
            j.trigger_rules.is_empty() || j.trigger_rules.iter().any(|r| trigger_fires(r, path))
        })
        .collect();
    if active.is_empty() {
        return result(
            Authn::Pass(None),
            methods
                .iter()
                .map(|(i, _)| at(format!("spec.origins[{i}].jwt.triggerRules")))
                .collect(),
            format!(
                "trigger rules skip every JWT origin for path {path}: no token required{regex_note}"
            ),
        );
    }
    let optional = spec.origin_is_optional;
    let binding = match spec.principal_binding {
        PrincipalBinding::UseOrigin => "principalBinding USE_ORIGIN",
        PrincipalBinding::UsePeer => "principalBinding USE_PEER",
    };
    let active_by: Vec<FieldRef> = active
        .iter()
        .map(|(i, _)| at(format!("spec.origins[{i}].jwt")))
        .collect();
    // Locations of the active methods.
    let mut found: Vec<(Location, Result<Token, String>)> = Vec::new();
    for (_, j) in &active {
        let locs: Vec<Location> = if j.jwt_headers.is_empty() && j.jwt_params.is_empty() {
            default_locations()
        } else {
            j.jwt_headers
                .iter()
                .map(|h| Location::Header {
                    name: h.to_ascii_lowercase(),
                    prefix: String::new(),
                })
                .chain(j.jwt_params.iter().cloned().map(Location::Param))
                .collect()
        };
        for loc in locs {
            if found.iter().any(|(l, _)| *l == loc) {
                continue;
            }
            if let Some(t) = extract(req, &loc) {
                found.push((loc, t));
            }
        }
    }
    let fail = |why: String| {
        if optional {
            result(
                Authn::Pass(None),
                vec![at("spec.originIsOptional".into())],
                format!("{why}; originIsOptional: true lets the request through{regex_note}"),
            )
        } else {
            result(
                Authn::Unauthenticated,
                active_by.clone(),
                format!("{why}: 401 (origin authentication required on {path}){regex_note}"),
            )
        }
    };
    if found.is_empty() {
        return fail("no token sent".into());
    }
    let mut last_error = String::new();
    for (loc, t) in &found {
        let t = match t {
            Ok(t) => t,
            Err(e) => {
                last_error = format!("token in {} is malformed ({e})", loc.describe());
                continue;
            }
        };
        let iss = t.issuer().unwrap_or("");
        let mut matched = false;
        for (i, j) in &active {
            if j.issuer != iss {
                continue;
            }
            matched = true;
            match validate(t, &j.jwks, &j.jwks_uri, &j.audiences, now, store) {
                Ok(note) => {
                    return result(
                        Authn::Pass(Some(t.clone())),
                        vec![at(format!("spec.origins[{i}].jwt"))],
                        format!(
                            "token in {} ({}) valid for origin {i}; {note}; {binding}",
                            loc.describe(),
                            t.describe()
                        ),
                    );
                }
                Err(Failure::Invalid(why) | Failure::Audience(why)) => {
                    last_error = format!(
                        "token in {} ({}) rejected: {why}",
                        loc.describe(),
                        t.describe()
                    );
                }
            }
        }
        if !matched {
            last_error = format!(
                "token in {} ({}) has an issuer no origin accepts",
                loc.describe(),
                t.describe()
            );
        }
    }
    fail(last_error)
}

/// Whether some token validation applies to `w`: a RequestAuthentication, or (≤ 1.5, while
/// no RequestAuthentication takes over) a v1alpha1 Policy with `origins` for one of its
/// Service ports.
pub fn validates_tokens(a: &Analysis, w: usize) -> bool {
    let proxy = a.proxies[w].kind;
    if proxy == ProxyKind::Ambient || proxy == ProxyKind::None {
        return false;
    }
    if a.profile.has(Behaviour::PeerAuthentication)
        && !applicable_request_authentications(a, w).is_empty()
    {
        return true;
    }
    if !a.profile.has(Behaviour::V1alpha1Policy) {
        return false;
    }
    let wl = &a.inv.workloads[w];
    a.inv.services_of[w]
        .iter()
        .map(|&s| &a.inv.services[s])
        .flat_map(|s| s.ports.iter().map(move |p| (s, p)))
        .any(|(svc, port)| {
            let target = Target {
                workload: w,
                service: Some((svc, port)),
                target_port: a.inv.target_port(port, wl).unwrap_or(port.port),
            };
            server_mtls::v1alpha1(a, target, proxy).is_some_and(|d| {
                d.decided_by.first().is_some_and(|f| {
                    matches!(&a.inv.objects[f.object].body, Body::Policy(p) if !p.origins.is_empty())
                })
            })
        })
}

/// Whether any RequestAuthentication (or v1alpha1 Policy with origins) could apply to
/// policies of namespace `ns`, judged without workloads.
pub fn any_token_validation_for(a: &Analysis, ns: &str) -> bool {
    let root = a.inv.root_namespace();
    let ra = a.profile.has(Behaviour::PeerAuthentication)
        && a.inv.of_kind(Kind::RequestAuthentication).any(|(_, o)| {
            matches!(o.body, Body::RequestAuthentication(_))
                && (o.namespace() == ns || o.namespace() == root)
        });
    let legacy = a.profile.has(Behaviour::V1alpha1Policy)
        && a.inv
            .of_kind(Kind::Policy)
            .chain(a.inv.of_kind(Kind::MeshPolicy))
            .any(|(_, o)| matches!(&o.body, Body::Policy(p) if !p.origins.is_empty()));
    ra || legacy
}

/// Unix seconds as RFC 3339 (`2020-09-13T12:26:40Z`), as people read token times (issue 15);
/// the number itself when it is out of range.
fn rfc3339(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| t.to_string())
}

#[cfg(test)]
mod tests;
