//! authentication.istio.io/v1alpha1 Policy and MeshPolicy: validation.go (release-1.5)
//! `ValidateAuthenticationPolicy`, `validateAuthNPolicyTarget`, `validateAuthNPortSelector` and
//! `validateJwt` (research/authz-semantics.md §12). "Default policy with targets" is left to
//! `legacy-policy-misnamed`.

use super::{Out, is_dns1123_label, jwks_error, jwks_uri_error};
use crate::model::istio::legacy::{Jwt, PolicySpec};

pub(super) fn check(s: &PolicySpec, out: &mut Out<'_>) {
    for (i, t) in s.targets.iter().enumerate() {
        let p = format!("spec.targets[{i}]");
        if !is_dns1123_label(&t.name) {
            let msg = if t.name.is_empty() {
                "target name must not be empty".to_owned()
            } else {
                format!("target name {:?} must be a valid DNS-1123 label", t.name)
            };
            out.push(
                format!("{p}.name"),
                msg,
                "use the short name of a Service in the policy's namespace",
            );
        }
        for (j, port) in t.ports.iter().enumerate() {
            let pp = format!("{p}.ports[{j}]");
            match (port.number, port.name.as_deref()) {
                (Some(n), _) if n > 65535 => out.push(
                    format!("{pp}.number"),
                    format!("port number {n} must be in the range 1..65535"),
                    "use a Service port number",
                ),
                (Some(n), _) if n != 0 => {}
                (_, None | Some("")) => out.push(
                    pp,
                    "port selector needs a number or a name",
                    "set number or name of a Service port",
                ),
                (_, Some(name)) if !is_dns1123_label(name) => out.push(
                    format!("{pp}.name"),
                    format!("port name {name:?} must be a valid DNS-1123 label"),
                    "use the Service port's name",
                ),
                _ => {}
            }
        }
    }
    for (i, peer) in s.peers.iter().enumerate() {
        let p = format!("spec.peers[{i}]");
        match (&peer.mtls, &peer.jwt) {
            (Some(_), Some(_)) => out.push(
                p,
                "peer method must set exactly one of mtls or jwt, found both",
                "split it into two peers entries",
            ),
            (None, None) => out.push(
                p,
                "peer method must set exactly one of mtls or jwt",
                "write `- mtls: {}` for mutual TLS",
            ),
            (None, Some(jwt)) => check_jwt(jwt, &format!("{p}.jwt"), out),
            (Some(_), None) => {}
        }
    }
    for (i, origin) in s.origins.iter().enumerate() {
        if let Some(jwt) = &origin.jwt {
            check_jwt(jwt, &format!("spec.origins[{i}].jwt"), out);
        }
    }
}

fn check_jwt(j: &Jwt, path: &str, out: &mut Out<'_>) {
    if j.issuer.is_empty() {
        out.push(
            path,
            "jwt without issuer: issuer must be set",
            "set issuer to the token's `iss` claim",
        );
    }
    for (i, a) in j.audiences.iter().enumerate() {
        if a.is_empty() {
            out.push(
                format!("{path}.audiences[{i}]"),
                "audience must be a non-empty string",
                "remove the empty entry",
            );
        }
    }
    if !j.jwks_uri.is_empty()
        && let Some(e) = jwks_uri_error(&j.jwks_uri)
    {
        out.push(
            format!("{path}.jwksUri"),
            e,
            "use an absolute http:// or https:// URL",
        );
    }
    if !j.jwks.is_empty()
        && let Some(e) = jwks_error(&j.jwks)
    {
        out.push(
            format!("{path}.jwks"),
            format!("jwks parse error: {e}"),
            "give a JSON Web Key Set",
        );
    }
    for (i, h) in j.jwt_headers.iter().enumerate() {
        if h.is_empty() {
            out.push(
                format!("{path}.jwtHeaders[{i}]"),
                "location header must be a non-empty string",
                "remove the empty entry",
            );
        }
    }
    for (i, q) in j.jwt_params.iter().enumerate() {
        if q.is_empty() {
            out.push(
                format!("{path}.jwtParams[{i}]"),
                "location query must be a non-empty string",
                "remove the empty entry",
            );
        }
    }
    for (i, r) in j.trigger_rules.iter().enumerate() {
        if r.included_paths.is_empty() && r.excluded_paths.is_empty() {
            out.push(
                format!("{path}.triggerRules[{i}]"),
                "trigger rule needs included_paths or excluded_paths",
                "add the paths the JWT check applies to or skips",
            );
        }
    }
}
