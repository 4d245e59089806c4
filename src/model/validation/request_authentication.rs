//! RequestAuthentication: validation.go `ValidateRequestAuthentication` and `validateJwtRule`.

use super::{
    Out, duration_error, is_header_name, jwks_error, jwks_uri_error, one_of_selector, target_ref,
    workload_selector,
};
use crate::model::istio::security::{JwtRule, RequestAuthenticationSpec};

pub(super) fn check(s: &RequestAuthenticationSpec, out: &mut Out) {
    one_of_selector(
        s.selector.as_ref(),
        s.target_ref.as_ref(),
        &s.target_refs,
        out,
    );
    workload_selector(s.selector.as_ref(), "spec.selector", out);
    if let Some(t) = &s.target_ref {
        target_ref(t, "spec.targetRef", out);
    }
    for (i, t) in s.target_refs.iter().enumerate() {
        target_ref(t, &format!("spec.targetRefs[{i}]"), out);
    }
    for (i, rule) in s.jwt_rules.iter().enumerate() {
        jwt_rule(rule, &format!("spec.jwtRules[{i}]"), out);
    }
}

fn jwt_rule(r: &JwtRule, path: &str, out: &mut Out) {
    if r.issuer.is_empty() {
        out.push(
            path,
            "jwt rule without issuer: issuer must be set",
            "set issuer to the token's `iss` claim",
        );
    }
    for (i, a) in r.audiences.iter().enumerate() {
        if a.is_empty() {
            out.push(
                format!("{path}.audiences[{i}]"),
                "audience must be a non-empty string",
                "remove the empty entry",
            );
        }
    }
    if !r.jwks_uri.is_empty()
        && let Some(e) = jwks_uri_error(&r.jwks_uri)
    {
        out.push(
            format!("{path}.jwksUri"),
            e,
            "use an absolute http:// or https:// URL",
        );
    }
    if !r.jwks.is_empty()
        && let Some(e) = jwks_error(&r.jwks)
    {
        out.push(
            format!("{path}.jwks"),
            format!("jwks parse error: {e}"),
            "give a JSON Web Key Set: {\"keys\": [{\"kty\": \"RSA\", \"n\": …, \"e\": …}]}",
        );
    }
    for (i, h) in r.from_headers.iter().enumerate() {
        if h.name.is_empty() {
            out.push(
                format!("{path}.fromHeaders[{i}].name"),
                "location header name must be a non-empty string",
                "name the header carrying the token, e.g. Authorization",
            );
        }
    }
    for (i, p) in r.from_params.iter().enumerate() {
        if p.is_empty() {
            out.push(
                format!("{path}.fromParams[{i}]"),
                "location query parameter must be a non-empty string",
                "remove the empty entry",
            );
        }
    }
    for (i, c) in r.from_cookies.iter().enumerate() {
        if c.is_empty() {
            out.push(
                format!("{path}.fromCookies[{i}]"),
                "cookie name must be a non-empty string",
                "remove the empty entry",
            );
        }
    }
    for (i, c) in r.output_claim_to_headers.iter().enumerate() {
        let p = format!("{path}.outputClaimToHeaders[{i}]");
        if c.claim.is_empty() || c.header.is_empty() {
            out.push(
                p,
                "outputClaimToHeaders header and claim must be non-empty strings",
                "set both header and claim",
            );
        } else if !is_header_name(&c.header) {
            out.push(
                format!("{p}.header"),
                format!("header name {:?} is not a valid header name", c.header),
                "use only letters, digits, '-' and '_'",
            );
        }
    }
    if let Some(t) = &r.timeout
        && let Some(e) = duration_error(t)
    {
        out.push(
            format!("{path}.timeout"),
            e,
            "use a duration such as 5s or 500ms",
        );
    }
}
