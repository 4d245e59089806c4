//! Semantic checks that Istio's validating webhook performs on top of the CRD schema
//! (`istio/istio:pkg/config/validation/validation.go`, `pkg/config/validation/agent/validation.go`
//! and `pkg/config/security/security.go`; research/istioctl.md §3.3, research/authz-semantics.md).
//!
//! An object with a violation would be rejected by `kubectl apply`, so it must not take part in
//! resolution. [`violations`] lists them with the exact field path (as understood by
//! [`Object::locate`]); the rules `invalid-resource` and `authz-invalid` report them.

mod authorization_policy;
mod destination_rule;
mod fields;
mod gateway;
mod legacy_policy;
mod mesh;
mod peer_authentication;
mod request_authentication;
mod server;
mod service_entry;
mod sidecar;
mod traffic_settings;

use std::net::IpAddr;

pub use mesh::mesh_config_violations;

use super::istio::common::{TargetRef, WorkloadSelector};
use super::kind::Kind;
use super::resource::{Body, Object};
use crate::version::{Behaviour, Profile};

/// One webhook rejection: where, what, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Field path inside the object, e.g. `spec.rules[0].from[1].source.ipBlocks[2]`.
    pub path: String,
    /// Lowercase, no trailing period.
    pub message: String,
    pub help: String,
}

/// Collects violations while walking a spec, and knows the release whose checks apply.
#[derive(Debug)]
pub(crate) struct Out<'p> {
    pub list: Vec<Violation>,
    pub profile: &'p Profile,
}

impl Out<'_> {
    /// Whether the chosen release has `b` (a check or field of the version table).
    pub(crate) fn has(&self, b: Behaviour) -> bool {
        self.profile.has(b)
    }

    pub(crate) fn push(
        &mut self,
        path: impl Into<String>,
        message: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.list.push(Violation {
            path: path.into(),
            message: message.into(),
            help: help.into(),
        });
    }
}

/// Every violation of `obj` at `profile`'s release (fields that release does not have yet, CRD
/// and webhook checks), with a fix-it hint for each. Empty for valid objects and for kinds the
/// webhook does not check (or that failed decoding already: `Body::Invalid`).
pub fn violations(obj: &Object, profile: &Profile) -> Vec<Violation> {
    let mut out = Out {
        list: Vec::new(),
        profile,
    };
    if !matches!(obj.body, Body::Invalid) {
        fields::check(obj, &mut out);
    }
    let is_istio = matches!(
        obj.kind,
        Kind::PeerAuthentication
            | Kind::RequestAuthentication
            | Kind::AuthorizationPolicy
            | Kind::DestinationRule
            | Kind::ServiceEntry
            | Kind::Gateway
            | Kind::Sidecar
    );
    if is_istio && !matches!(obj.body, Body::Invalid) {
        dry_run_annotation(obj, &mut out);
    }
    match &obj.body {
        Body::PeerAuthentication(s) => peer_authentication::check(obj, s, &mut out),
        Body::RequestAuthentication(s) => request_authentication::check(s, &mut out),
        Body::AuthorizationPolicy(s) => authorization_policy::check(s, &mut out),
        Body::DestinationRule(s) => destination_rule::check(obj, s, &mut out),
        Body::ServiceEntry(s) => service_entry::check(obj, s, &mut out),
        Body::Gateway(s) => gateway::check(obj, s, &mut out),
        Body::Sidecar(s) => sidecar::check(s, &mut out),
        Body::Policy(s) => legacy_policy::check(s, &mut out),
        _ => {}
    }
    out.list
}

const DRY_RUN: &str = "istio.io/dry-run";

/// validation.go `checkDryRunAnnotation`: only AuthorizationPolicy with ALLOW or DENY may carry
/// `istio.io/dry-run`, and its value must parse as a Go boolean.
fn dry_run_annotation(obj: &Object, out: &mut Out<'_>) {
    let Some(value) = obj.annotations().get(DRY_RUN) else {
        return;
    };
    let path = format!("metadata.annotations[\"{DRY_RUN}\"]");
    let action = match &obj.body {
        Body::AuthorizationPolicy(s) => s.action,
        _ => {
            out.push(
                path,
                format!("annotation {DRY_RUN} is only supported on AuthorizationPolicy"),
                "remove the annotation",
            );
            return;
        }
    };
    use super::istio::security::AuthzAction;
    if !matches!(action, AuthzAction::Allow | AuthzAction::Deny) {
        out.push(
            path,
            format!(
                "annotation {DRY_RUN} only supports action ALLOW or DENY, found {}",
                action.as_str()
            ),
            "remove the annotation or change the action to ALLOW or DENY",
        );
    } else if !is_go_bool(value) {
        out.push(
            path,
            format!("annotation {DRY_RUN} has invalid value {value:?}"),
            "use \"true\" or \"false\"",
        );
    }
}

/// Values Go's `strconv.ParseBool` accepts.
fn is_go_bool(s: &str) -> bool {
    matches!(
        s,
        "1" | "t" | "T" | "TRUE" | "true" | "True" | "0" | "f" | "F" | "FALSE" | "false" | "False"
    )
}

pub(crate) use crate::source::key_path;

/// validation.go `validateWorkloadSelector`: no empty keys, no `*` in keys or values.
pub(crate) fn workload_selector(sel: Option<&WorkloadSelector>, path: &str, out: &mut Out<'_>) {
    let Some(sel) = sel else { return };
    for (k, v) in &sel.match_labels {
        let p = key_path(&format!("{path}.matchLabels"), k);
        if k.is_empty() {
            out.push(
                p.clone(),
                "empty label key in selector",
                "give the label a key or remove it",
            );
        }
        // CRD (1.23+, istio/api type/v1beta1/selector.proto): label values at most 63
        // characters, as Kubernetes label values.
        if v.len() > 63 && out.has(Behaviour::CrdCelValidation) {
            out.push(
                p.clone(),
                format!(
                    "selector label value of {k} is {} characters long: may not be longer than 63",
                    v.len()
                ),
                "Kubernetes label values are at most 63 characters: no pod can carry this one",
            );
        }
        if k.contains('*') || v.contains('*') {
            out.push(
                p,
                format!("wildcard in selector label {k}={v}"),
                "selectors match labels exactly: write the full label value",
            );
        }
    }
}

/// validation.go `validateOneOfSelectorType`: `selector`, `targetRef` and `targetRefs` are
/// mutually exclusive.
pub(crate) fn one_of_selector(
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    out: &mut Out<'_>,
) {
    let set = [
        selector.is_some(),
        target_ref.is_some(),
        !target_refs.is_empty(),
    ];
    if set.iter().filter(|b| **b).count() > 1 {
        let path = if target_ref.is_some() {
            "spec.targetRef"
        } else {
            "spec.targetRefs"
        };
        out.push(
            path,
            "only one of selector, targetRef or targetRefs can be set",
            "use targetRef(s) for gateways and waypoints, selector for sidecars; split the policy in two if both are needed",
        );
    }
}

/// validation.go `validatePolicyTargetReference`: a name, no namespace, and a kind that can be
/// targeted (Service, ServiceEntry, Gateway API Gateway; GatewayClass for waypoints).
pub(crate) fn target_ref(t: &TargetRef, path: &str, out: &mut Out<'_>) {
    if t.name.is_empty() {
        out.push(
            format!("{path}.name"),
            "targetRef name must be set",
            "name the Gateway, Service or ServiceEntry to attach to",
        );
    }
    if !t.namespace.is_empty() {
        out.push(
            format!("{path}.namespace"),
            "targetRef namespace must not be set: cross-namespace references are not supported",
            "remove namespace and create the policy in the target's namespace",
        );
    }
    let group = if t.group.is_empty() {
        "core"
    } else {
        t.group.as_str()
    };
    // The kinds a policy may target, per release (validation.go allowedTargetRefs: 1.20
    // Gateway; 1.22 + Service; 1.24 + ServiceEntry; 1.25 + GatewayClass).
    let kinds: [(&str, &str, Option<Behaviour>); 4] = [
        ("core", "Service", Some(Behaviour::TargetRefService)),
        (
            "networking.istio.io",
            "ServiceEntry",
            Some(Behaviour::TargetRefServiceEntry),
        ),
        ("gateway.networking.k8s.io", "Gateway", None),
        (
            "gateway.networking.k8s.io",
            "GatewayClass",
            Some(Behaviour::TargetRefGatewayClass),
        ),
    ];
    let allowed: Vec<_> = kinds
        .iter()
        .filter(|(_, _, b)| b.is_none_or(|b| out.has(b)))
        .collect();
    if !allowed.iter().any(|(g, k, _)| *g == group && *k == t.kind) {
        let names: Vec<String> = allowed.iter().map(|(g, k, _)| format!("{g}/{k}")).collect();
        out.push(
            format!("{path}.kind"),
            format!(
                "targetRef must be to one of [{}] in Istio {}, found {}/{}",
                names.join(", "),
                out.profile.version,
                group,
                t.kind
            ),
            "use kind Service (group \"\"), ServiceEntry (networking.istio.io) or Gateway (gateway.networking.k8s.io), as the release supports",
        );
    }
}

/// validation.go `validateExportTo` (istio/istio 1.31.0-rc.0 pkg/config/validation/
/// validation.go:690-746, pkg/config/visibility/visibility.go): no duplicates (`.` is the
/// namespace itself), `.`/`*`/a DNS label (`~` only on ServiceEntry, and alone), `*` alone,
/// and a DestinationRule with a workload selector exported to its own namespace only.
pub(crate) fn export_to(
    ns: &str,
    list: &[String],
    service_entry: bool,
    dr_with_selector: bool,
    out: &mut Out<'_>,
) {
    if list.is_empty() {
        return;
    }
    let path = "spec.exportTo";
    let mut set: Vec<&str> = Vec::new();
    for (i, e) in list.iter().enumerate() {
        let key = if e == "." { ns } else { e.as_str() };
        let p = format!("{path}[{i}]");
        if set.contains(&key) {
            let m = if key != e {
                format!("duplicate entries in exportTo: . and current namespace {ns}")
            } else {
                format!("duplicate entries in exportTo for entry {e}")
            };
            out.push(p, m, "list each namespace once");
        } else if service_entry && e == "~" {
            set.push(key);
        } else if key == "~" {
            out.push(
                p,
                "exportTo ~ (none) is not allowed for Istio configuration objects",
                "use . for this namespace only",
            );
        } else if key != "*" && !is_dns1123_label(key) {
            out.push(
                p,
                "only .,*, or a valid DNS 1123 label is allowed as exportTo entry",
                "use ., * or namespace names",
            );
        } else {
            set.push(key);
        }
    }
    if dr_with_selector && !set.is_empty() {
        if set.contains(&ns) {
            if set.len() > 1 {
                out.push(
                    path,
                    "destination rule with workload selector cannot have multiple entries in exportTo",
                    "export it to . only",
                );
            }
        } else {
            out.push(
                path,
                "destination rule with workload selector cannot have exportTo beyond current namespace",
                "export it to . only",
            );
        }
    }
    if set.contains(&"*") && list.len() > 1 {
        out.push(
            path,
            "cannot have both public (*) and non-public exportTo values for a resource",
            "use * alone",
        );
    }
    if set.contains(&"~") && list.len() > 1 {
        out.push(
            path,
            "cannot export service entry to no one (~) and someone",
            "use ~ alone",
        );
    }
}

/// Go `netip.ParseAddr` / `ParsePrefix` as used by security.go `ValidateIPs`.
pub(crate) fn ip_or_cidr_error(v: &str) -> Option<String> {
    if let Some((addr, len)) = v.split_once('/') {
        let ok = addr.parse::<IpAddr>().ok().is_some_and(|a| {
            let max = if a.is_ipv4() { 32 } else { 128 };
            !len.is_empty()
                && len.len() <= 3
                && len.bytes().all(|b| b.is_ascii_digit())
                && !(len.len() > 1 && len.starts_with('0'))
                && len.parse::<u32>().is_ok_and(|n| n <= max)
        });
        (!ok).then(|| format!("bad CIDR range {v:?}"))
    } else {
        v.parse::<IpAddr>()
            .is_err()
            .then(|| format!("bad IP address {v:?}"))
    }
}

/// `labels.IsDNS1123Label`: 1–63 of `[a-zA-Z0-9-]`, alphanumeric at both ends.
pub(crate) fn is_dns1123_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
}

/// agent.ValidateWildcardDomain: a hostname whose first label may be `*` or `*suffix`.
pub(crate) fn wildcard_domain_error(domain: &str) -> Option<String> {
    if domain.is_empty() {
        return Some("host must not be empty".to_owned());
    }
    if domain.len() > 255 {
        return Some(format!("domain name {domain:?} too long (max 255)"));
    }
    let (first, rest) = match domain.split_once('.') {
        Some((f, r)) => (f, Some(r)),
        None => (domain, None),
    };
    // IsWildcardDNS1123Label: `*`, `*label`, `*-label` or a label.
    let first_ok = first == "*"
        || first
            .strip_prefix("*-")
            .or_else(|| first.strip_prefix('*'))
            .map_or_else(|| is_dns1123_label(first), is_dns1123_label);
    if !first_ok {
        return Some(format!("domain name {domain:?} invalid (label {first:?})"));
    }
    let rest = rest?;
    let parts: Vec<&str> = rest.split('.').collect();
    let tld = parts[parts.len() - 1];
    if !tld.is_empty() && tld.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!(
            "domain name {domain:?} invalid (top level domain {tld:?} cannot be all-numeric)"
        ));
    }
    for (i, label) in parts.iter().enumerate() {
        if i == parts.len() - 1 && label.is_empty() {
            break;
        }
        if !is_dns1123_label(label) {
            return Some(format!("domain name {domain:?} invalid (label {label:?})"));
        }
    }
    None
}

/// security.go `ParseJwksURI` (Go `url.Parse` + scheme check): an http or https URL.
pub(crate) fn jwks_uri_error(uri: &str) -> Option<String> {
    if uri.chars().any(|c| c.is_ascii_control()) {
        return Some(format!("jwksUri {uri:?} contains a control character"));
    }
    let scheme = uri.split_once(':').map(|(s, _)| s).unwrap_or("");
    let scheme_ok = scheme
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    let lower = scheme.to_ascii_lowercase();
    if !scheme_ok || !(lower == "http" || lower == "https") {
        return Some(format!("jwksUri {uri:?} must use the http or https scheme"));
    }
    let rest = &uri[scheme.len() + 1..];
    if let Some(auth) = rest.strip_prefix("//") {
        let end = auth.find(['/', '?', '#']).unwrap_or(auth.len());
        let authority = &auth[..end];
        let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
        if host_port.contains(' ') {
            return Some(format!("jwksUri {uri:?} has an invalid host"));
        }
        let port = if let Some(v6) = host_port.strip_prefix('[') {
            match v6.split_once(']') {
                Some((_, after)) => after.strip_prefix(':'),
                None => return Some(format!("jwksUri {uri:?} has an invalid host")),
            }
        } else {
            host_port.rsplit_once(':').map(|(_, p)| p)
        };
        if let Some(p) = port
            && !p.bytes().all(|b| b.is_ascii_digit())
        {
            return Some(format!("jwksUri {uri:?} has an invalid port {p:?}"));
        }
    }
    None
}

/// `jwk.Parse` (lestrrat-go/jwx) as used by validation.go `validateJwtRule`: a JSON Web Key
/// Set `{"keys": [...]}` or one JSON Web Key, each key with a known `kty` and its members.
pub(crate) fn jwks_error(jwks: &str) -> Option<String> {
    let value: serde_json::Value = match serde_json::from_str(jwks) {
        Ok(v) => v,
        Err(e) => return Some(format!("jwks is not valid JSON: {e}")),
    };
    let Some(obj) = value.as_object() else {
        return Some("jwks must be a JSON object".to_owned());
    };
    if let Some(keys) = obj.get("keys") {
        let Some(keys) = keys.as_array() else {
            return Some("jwks \"keys\" must be an array".to_owned());
        };
        for (i, k) in keys.iter().enumerate() {
            if let Some(e) = jwk_error(k) {
                return Some(format!("jwks key {i}: {e}"));
            }
        }
        None
    } else {
        jwk_error(&value)
    }
}

fn jwk_error(key: &serde_json::Value) -> Option<String> {
    let Some(key) = key.as_object() else {
        return Some("a key must be a JSON object".to_owned());
    };
    let Some(kty) = key.get("kty").and_then(|v| v.as_str()) else {
        return Some("missing \"kty\"".to_owned());
    };
    let required: &[&str] = match kty {
        "RSA" => &["n", "e"],
        "EC" => &["crv", "x", "y"],
        "oct" => &["k"],
        "OKP" => &["crv", "x"],
        _ => return Some(format!("unsupported key type {kty:?}")),
    };
    for m in required {
        if !key.get(*m).is_some_and(|v| v.is_string()) {
            return Some(format!("{kty} key without {m:?}"));
        }
    }
    None
}

/// agent.ValidateDuration on a Go-style duration string (`5s`, `1m30s`, `250ms`): at least 1ms
/// and a whole number of milliseconds.
pub(crate) fn duration_error(s: &str) -> Option<String> {
    let Some(nanos) = parse_go_duration(s) else {
        return Some(format!("invalid duration {s:?}"));
    };
    if nanos < 1_000_000.0 {
        Some(format!("duration {s:?} must be at least 1ms"))
    } else if nanos % 1_000_000.0 != 0.0 {
        Some(format!(
            "duration {s:?}: only millisecond precision is supported"
        ))
    } else {
        None
    }
}

/// Whether a duration is under 1ms either way (`0s`): Istio's "disabled" tcp idleTimeout
/// (validation.go validateConnectionPool, `Milliseconds() == 0`, from 1.26).
pub(crate) fn duration_is_zero(s: &str) -> bool {
    s.parse::<kube::core::Duration>()
        .is_ok_and(|d| std::time::Duration::from(d).as_nanos() < 1_000_000)
}

/// Go `time.ParseDuration` syntax (kube-core's parser) into nanoseconds; a negative duration
/// is invalid here.
fn parse_go_duration(s: &str) -> Option<f64> {
    let d: kube::core::Duration = s.parse().ok()?;
    if d.is_negative() {
        return None;
    }
    Some(std::time::Duration::from(d).as_nanos() as f64)
}

/// validation.go `ValidateHTTPHeaderName`: `^[-_A-Za-z0-9]+$`.
pub(crate) fn is_header_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[cfg(test)]
mod tests;
