//! RequestAuthentication: validation.go `ValidateRequestAuthentication` and `validateJwtRule`.

use super::{
    Out, duration_error, is_header_name, jwks_error, jwks_uri_error, one_of_selector, target_ref,
    workload_selector,
};
use crate::model::istio::security::{JwtRule, RequestAuthenticationSpec};
use crate::version::Behaviour;

pub(super) fn check(s: &RequestAuthenticationSpec, out: &mut Out<'_>) {
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
    super::authorization_policy::target_refs_limit(s.target_refs.len(), out);
    if s.jwt_rules.len() > 4096 && out.has(Behaviour::CrdCelValidation) {
        out.push(
            "spec.jwtRules",
            format!(
                "spec.jwtRules has {} items: must have at most 4096",
                s.jwt_rules.len()
            ),
            "split the policy",
        );
    }
    for (i, rule) in s.jwt_rules.iter().enumerate() {
        jwt_rule(rule, &format!("spec.jwtRules[{i}]"), out);
    }
}

fn jwt_rule(r: &JwtRule, path: &str, out: &mut Out<'_>) {
    // validation.go validateJwtRule: from 1.27 `issuer` may be left out when a JWKS URI is
    // given ("issuer or jwksUri must be non-empty string"); before, "issuer must be set".
    if r.issuer.is_empty() {
        if !out.has(Behaviour::JwtIssuerOptional) {
            out.push(
                path,
                format!(
                    "jwt rule without issuer: issuer must be set in Istio {} (from 1.27 jwksUri alone is enough)",
                    out.profile.version
                ),
                "set issuer to the token's `iss` claim (optional with jwksUri from Istio 1.27)",
            );
        } else if r.jwks_uri().is_empty() {
            out.push(
                path,
                "issuer or jwksUri must be non-empty string",
                "set issuer to the token's `iss` claim, or jwksUri to where its keys are published",
            );
        }
    }
    // The CRD's CEL (istio/api release-1.23 request_authentication.proto): one key source
    // only (`jwksUri` and its alias `jwks_uri` count apart), URIs at most 2048 characters.
    if out.has(Behaviour::CrdCelValidation) {
        let sources = [
            !r.jwks_uri.is_empty(),
            !r.jwks_uri_alt.is_empty(),
            !r.jwks.is_empty(),
        ];
        if sources.iter().filter(|b| **b).count() > 1 {
            out.push(
                path,
                "only one of jwks or jwksUri can be set",
                "keep either the inline jwks or the jwksUri (written once, as jwksUri)",
            );
        }
        for (name, uri) in [("jwksUri", &r.jwks_uri), ("jwks_uri", &r.jwks_uri_alt)] {
            if uri.len() > 2048 {
                out.push(
                    format!("{path}.{name}"),
                    format!(
                        "{name} is {} characters long: may not be longer than 2048",
                        uri.len()
                    ),
                    "use a shorter URL",
                );
            }
        }
    }
    // CRD (istio/api release-1.28 request_authentication.proto:488): at most 64 claim names,
    // none empty.
    if r.space_delimited_claims.len() > 64 {
        out.push(
            format!("{path}.spaceDelimitedClaims"),
            format!(
                "spaceDelimitedClaims has {} items: must have at most 64",
                r.space_delimited_claims.len()
            ),
            "list only the claims that hold space-separated values",
        );
    }
    for (i, c) in r.space_delimited_claims.iter().enumerate() {
        if c.is_empty() {
            out.push(
                format!("{path}.spaceDelimitedClaims[{i}]"),
                "spaceDelimitedClaims entries should be at least 1 chars long",
                "remove the empty entry",
            );
        }
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
    for (name, uri) in [("jwksUri", &r.jwks_uri), ("jwks_uri", &r.jwks_uri_alt)] {
        if !uri.is_empty()
            && let Some(e) = jwks_uri_error(uri)
        {
            out.push(
                format!("{path}.{name}"),
                e,
                "use an absolute http:// or https:// URL",
            );
        }
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
