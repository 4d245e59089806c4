//! Which fields of a rule exist only on HTTP filter chains (research/authz-semantics.md §7).

use super::*;

/// The field paths of `rule` among: the `source` fields `remote_ip` adds to
/// `requestPrincipals`/`notRequestPrincipals` (when true, `remoteIpBlocks`/`notRemoteIpBlocks`
/// too), the `operation` fields `hosts`, `methods`, `paths` (and `not` forms), and the `when`
/// conditions whose key `when_key` picks.
fn fields_in(
    rule: &Rule,
    path: &str,
    remote_ip: bool,
    when_key: impl Fn(&str) -> bool,
) -> Vec<String> {
    let mut out = Vec::new();
    for (j, f) in rule.from.iter().flatten().enumerate() {
        if let Some(s) = &f.source {
            let mut fields = vec![
                ("requestPrincipals", &s.request_principals),
                ("notRequestPrincipals", &s.not_request_principals),
            ];
            if remote_ip {
                fields.push(("remoteIpBlocks", &s.remote_ip_blocks));
                fields.push(("notRemoteIpBlocks", &s.not_remote_ip_blocks));
            }
            for (name, v) in fields {
                if !v.is_empty() {
                    out.push(format!("{path}.from[{j}].source.{name}"));
                }
            }
        }
    }
    for (j, t) in rule.to.iter().flatten().enumerate() {
        if let Some(o) = &t.operation {
            for (name, v) in [
                ("hosts", &o.hosts),
                ("notHosts", &o.not_hosts),
                ("methods", &o.methods),
                ("notMethods", &o.not_methods),
                ("paths", &o.paths),
                ("notPaths", &o.not_paths),
            ] {
                if !v.is_empty() {
                    out.push(format!("{path}.to[{j}].operation.{name}"));
                }
            }
        }
    }
    for (j, c) in rule.when.iter().flatten().enumerate() {
        if when_key(&c.key) {
            out.push(format!("{path}.when[{j}]"));
        }
    }
    out
}

/// The HTTP-only fields and `when` keys a rule uses, as field paths (§7).
pub fn http_only_fields(rule: &Rule, path: &str) -> Vec<String> {
    fields_in(rule, path, false, is_http_only_key)
}

/// `when` keys that exist only on HTTP chains (§7, §10).
pub fn is_http_only_key(key: &str) -> bool {
    key.starts_with("request.headers[") || key.starts_with("request.auth.")
}

/// Whether a field must match (`principals`, `requestPrincipals`) or must not
/// (`notPrincipals`): an absent attribute (plaintext, no token) fails the first and passes
/// the second (research/authz-semantics.md §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Polarity {
    Positive,
    Negative,
}

/// The fields of one rule that read the validated JWT (`requestPrincipals`, `request.auth.*`
/// conditions): (field path, display name, polarity), research/authz-semantics.md §8.
pub fn jwt_fields(rule: &Rule, path: &str) -> Vec<(String, String, Polarity)> {
    polar_fields(
        rule,
        path,
        |s| {
            vec![
                (
                    "requestPrincipals",
                    &s.request_principals,
                    Polarity::Positive,
                ),
                (
                    "notRequestPrincipals",
                    &s.not_request_principals,
                    Polarity::Negative,
                ),
            ]
        },
        |k| k.starts_with("request.auth."),
    )
}

/// The fields of one rule that need a peer identity, which only mTLS gives (`principals`,
/// `namespaces`, `serviceAccounts`, identity `when` keys): (field path, display name,
/// polarity), research/authz-semantics.md §5, §6.
pub fn identity_fields(rule: &Rule, path: &str) -> Vec<(String, String, Polarity)> {
    polar_fields(
        rule,
        path,
        |s| {
            vec![
                ("principals", &s.principals, Polarity::Positive),
                ("notPrincipals", &s.not_principals, Polarity::Negative),
                ("namespaces", &s.namespaces, Polarity::Positive),
                ("notNamespaces", &s.not_namespaces, Polarity::Negative),
                ("serviceAccounts", &s.service_accounts, Polarity::Positive),
                (
                    "notServiceAccounts",
                    &s.not_service_accounts,
                    Polarity::Negative,
                ),
                ("trustDomains", &s.trust_domains, Polarity::Positive),
                ("notTrustDomains", &s.not_trust_domains, Polarity::Negative),
            ]
        },
        |k| {
            matches!(
                k,
                "source.principal"
                    | "source.namespace"
                    | "source.serviceAccount"
                    | "source.trustDomain"
                    | "connection.sni"
            )
        },
    )
}

/// The populated `source` fields `source_fields` lists and the `when` conditions whose key
/// `when_key` picks (values positive, notValues negative), as (path, name, polarity).
fn polar_fields<'r>(
    rule: &'r Rule,
    path: &str,
    source_fields: impl Fn(&'r Source) -> Vec<(&'static str, &'r Vec<String>, Polarity)>,
    when_key: impl Fn(&str) -> bool,
) -> Vec<(String, String, Polarity)> {
    let mut out = Vec::new();
    for (j, f) in rule.from.iter().flatten().enumerate() {
        let Some(s) = &f.source else { continue };
        for (name, v, pol) in source_fields(s) {
            if !v.is_empty() {
                out.push((
                    format!("{path}.from[{j}].source.{name}"),
                    name.to_owned(),
                    pol,
                ));
            }
        }
    }
    for (j, c) in rule.when.iter().flatten().enumerate() {
        if !when_key(&c.key) {
            continue;
        }
        if !c.values.is_empty() {
            out.push((
                format!("{path}.when[{j}].values"),
                format!("`when` {}", c.key),
                Polarity::Positive,
            ));
        }
        if !c.not_values.is_empty() {
            out.push((
                format!("{path}.when[{j}].notValues"),
                format!("`when` {} notValues", c.key),
                Polarity::Negative,
            ));
        }
    }
    out
}

/// `when` keys ztunnel enforces (L4); every other key needs a waypoint. istiod's
/// `l4WhenAttributes` (`pilot/pkg/serviceregistry/ambient/authorization.go`, istio/istio master
/// 86c9f01; the same list since 1.18's `ambientindex.go`).
pub fn is_ztunnel_l4_key(key: &str) -> bool {
    matches!(
        key,
        "source.ip"
            | "source.namespace"
            | "source.principal"
            | "destination.ip"
            | "destination.port"
    )
}

/// The fields of a rule ztunnel cannot enforce, as field paths: `hosts`, `methods`, `paths`,
/// `remoteIpBlocks`, `requestPrincipals` (and their `not` forms) and every `when` key outside
/// [`is_ztunnel_l4_key`] (istiod's `httpOperations`/`httpSources` and `handleRule`,
/// `pilot/pkg/serviceregistry/ambient/authorization.go`).
pub fn ztunnel_l7_fields(rule: &Rule, path: &str) -> Vec<String> {
    fields_in(rule, path, true, |k| !is_ztunnel_l4_key(k))
}

/// Whether a `source` keeps anything ztunnel enforces: `principals`, `namespaces`,
/// `serviceAccounts`, `ipBlocks` or their `not` forms. Without any, istiod sends an empty match,
/// which ztunnel skips: the entry never matches (`isMatchEmpty`, authorization.go).
pub fn source_has_l4(s: &Source) -> bool {
    [
        &s.principals,
        &s.not_principals,
        &s.namespaces,
        &s.not_namespaces,
        &s.service_accounts,
        &s.not_service_accounts,
        &s.ip_blocks,
        &s.not_ip_blocks,
    ]
    .iter()
    .any(|v| !v.is_empty())
}

/// Whether an `operation` keeps anything ztunnel enforces (`ports`, `notPorts`).
pub fn operation_has_l4(o: &Operation) -> bool {
    !o.ports.is_empty() || !o.not_ports.is_empty()
}

/// Which client addresses are meant: the direct peer (`ipBlocks`, `source.ip`) and the remote
/// address (`remoteIpBlocks`, `remote.ip`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Addresses {
    pub direct: bool,
    pub remote: bool,
}

/// Whether a policy's rules read one of the `which` addresses: when the inputs do not give it,
/// the outcome may depend on it.
pub fn reads_address(spec: &AuthorizationPolicySpec, which: Addresses) -> bool {
    spec.rules.iter().flatten().any(|r| {
        r.from
            .iter()
            .flatten()
            .filter_map(|f| f.source.as_ref())
            .any(|s| {
                (which.direct && !(s.ip_blocks.is_empty() && s.not_ip_blocks.is_empty()))
                    || (which.remote
                        && !(s.remote_ip_blocks.is_empty() && s.not_remote_ip_blocks.is_empty()))
            })
            || r.when.iter().flatten().any(|c| match c.key.as_str() {
                "source.ip" => which.direct,
                "remote.ip" => which.remote,
                _ => false,
            })
    })
}

/// The namespaces (as match patterns: exact, `prefix*`, `*suffix`, `*`) whose callers a rule's
/// positive identity fields admit: `namespaces`, the namespace part of `principals`
/// (`<trust domain>/ns/<ns>/sa/<sa>`; a pattern without it admits any), `serviceAccounts`
/// (`<ns>/<sa>`, or the policy's namespace), and the `source.namespace`/`source.principal`
/// conditions (authz-semantics §5, §10). Empty when the rule names no identity.
pub fn identity_namespaces(rule: &Rule, policy_ns: &str) -> Vec<String> {
    let of_principal = |p: &str| -> String {
        match p.split_once("/ns/") {
            Some((_, rest)) => rest.split('/').next().unwrap_or("*").to_owned(),
            None => "*".to_owned(),
        }
    };
    let mut out = Vec::new();
    for s in rule.from.iter().flatten().filter_map(|f| f.source.as_ref()) {
        out.extend(s.namespaces.iter().cloned());
        out.extend(s.principals.iter().map(|p| of_principal(p)));
        out.extend(
            s.service_accounts
                .iter()
                .map(|sa| match sa.split_once('/') {
                    Some((ns, _)) => ns.to_owned(),
                    None => policy_ns.to_owned(),
                }),
        );
    }
    for c in rule.when.iter().flatten() {
        match c.key.as_str() {
            "source.namespace" => out.extend(c.values.iter().cloned()),
            "source.principal" => out.extend(c.values.iter().map(|p| of_principal(p))),
            _ => {}
        }
    }
    out.sort();
    out.dedup();
    out
}
