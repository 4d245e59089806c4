//! One-line views of RequestAuthentications and AuthorizationPolicies, in evaluation order
//! (research/authz-semantics.md §1).

use super::view::*;
use super::workload::*;
use crate::analysis::Analysis;
use crate::model::istio::security::AuthzAction;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz;
use crate::resolve::server_mtls::{self};

pub(super) fn action_rank(action: AuthzAction) -> u8 {
    match action {
        AuthzAction::Custom => 0,
        AuthzAction::Deny => 1,
        AuthzAction::Allow => 2,
        AuthzAction::Audit => 3,
    }
}

/// `ns/name` of a selector-less policy's scope, or its selector.
pub(super) fn scope_of(
    a: &Analysis,
    ns: &str,
    selector: Option<&crate::model::istio::common::WorkloadSelector>,
    refs: usize,
) -> String {
    if refs > 0 {
        return "targetRefs".to_owned();
    }
    match selector {
        Some(s) if !s.match_labels.is_empty() => format!(
            "selector {}",
            s.match_labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ if ns == a.inv.root_namespace() => "mesh-wide (root namespace)".to_owned(),
        _ => "namespace-wide".to_owned(),
    }
}

pub(super) fn policy_view(a: &Analysis, i: usize) -> PolicyView {
    let o = &a.inv.objects[i];
    let (action, scope, rules) = match &o.body {
        Body::AuthorizationPolicy(s) => {
            let n = s.target_refs.len() + usize::from(s.target_ref.is_some());
            let rules = match &s.rules {
                None => vec![
                    match s.action {
                        AuthzAction::Allow => "no rules: allows nothing (every request is denied)",
                        _ => "no rules: matches nothing",
                    }
                    .to_owned(),
                ],
                Some(r) if r.is_empty() => vec![
                    match s.action {
                        AuthzAction::Allow => "no rules: allows nothing (every request is denied)",
                        _ => "no rules: matches nothing",
                    }
                    .to_owned(),
                ],
                Some(r) => r.iter().map(rule_line).collect(),
            };
            let mut rules = rules;
            if s.action == AuthzAction::Custom {
                let provider = s.provider.as_ref().map_or("(none)", |p| p.name.as_str());
                rules.insert(0, format!("provider {provider}"));
            }
            (
                Some(s.action.as_str()),
                scope_of(a, o.namespace(), s.selector.as_ref(), n),
                rules,
            )
        }
        Body::RequestAuthentication(s) => {
            let n = s.target_refs.len() + usize::from(s.target_ref.is_some());
            let rules = if s.jwt_rules.is_empty() {
                vec!["no jwtRules: tokens are not validated".to_owned()]
            } else {
                s.jwt_rules
                    .iter()
                    .map(|j| {
                        let mut parts = vec![if j.issuer.is_empty() {
                            "any issuer".to_owned()
                        } else {
                            format!("issuer {}", j.issuer)
                        }];
                        if !j.jwks_uri().is_empty() {
                            parts.push(format!("jwksUri {}", j.jwks_uri()));
                        } else if !j.jwks.is_empty() {
                            parts.push("inline jwks".to_owned());
                        }
                        if !j.audiences.is_empty() {
                            parts.push(format!("audiences {}", j.audiences.join(",")));
                        }
                        if !j.from_headers.is_empty() {
                            parts.push(format!(
                                "from headers {}",
                                j.from_headers
                                    .iter()
                                    .map(|h| h.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(",")
                            ));
                        }
                        if !j.from_params.is_empty() {
                            parts.push(format!("from params {}", j.from_params.join(",")));
                        }
                        parts.join("; ")
                    })
                    .collect()
            };
            (
                None,
                scope_of(a, o.namespace(), s.selector.as_ref(), n),
                rules,
            )
        }
        Body::PeerAuthentication(s) => {
            let mut rules = vec![format!(
                "mtls {}",
                s.mtls.as_ref().map_or("UNSET", |m| m.mode.as_str())
            )];
            for (p, m) in &s.port_level_mtls {
                rules.push(format!("port {p}: {}", m.mode.as_str()));
            }
            (
                None,
                scope_of(a, o.namespace(), s.selector.as_ref(), 0),
                rules,
            )
        }
        Body::Policy(s) => {
            let mut rules = vec![server_mtls::policy_mode(s).1];
            if !s.targets.is_empty() {
                rules.push(format!(
                    "targets {}",
                    s.targets
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            if !s.origins.is_empty() {
                rules.push(format!("{} JWT origin(s)", s.origins.len()));
            }
            let scope = if o.kind == Kind::MeshPolicy {
                "mesh-wide".to_owned()
            } else if s.targets.is_empty() {
                "namespace-wide".to_owned()
            } else {
                "targets".to_owned()
            };
            (None, scope, rules)
        }
        Body::DestinationRule(s) => {
            let mut rules = vec![format!("host {}", s.host)];
            if let Some(tp) = &s.traffic_policy {
                if let Some(t) = &tp.tls {
                    rules.push(format!("tls {}", t.mode.as_str()));
                }
                for pl in &tp.port_level_settings {
                    let port = pl.port.as_ref().map_or(0, |p| p.number);
                    rules.push(format!(
                        "port {port}: tls {}",
                        pl.tls.as_ref().map_or("(none)", |t| t.mode.as_str())
                    ));
                }
            }
            let scope = if s.workload_selector.is_some() {
                "workloadSelector".to_owned()
            } else {
                "clients".to_owned()
            };
            (None, scope, rules)
        }
        // Refused at this release: say so, and why (the first violation).
        Body::Invalid => {
            let why = a
                .rejected
                .iter()
                .find(|r| r.object == i)
                .and_then(|r| r.violations.first())
                .map_or_else(
                    || "it does not decode".to_owned(),
                    |v| format!("{} ({})", v.message, v.path),
                );
            (
                None,
                "not applied".to_owned(),
                vec![format!("refused by Istio {}: {why}", a.profile.version)],
            )
        }
        _ => (None, String::new(), Vec::new()),
    };
    PolicyView {
        kind: o.kind.name().to_owned(),
        namespace: o.namespace().to_owned(),
        name: o.name().to_owned(),
        action,
        dry_run: authz::is_dry_run(o.annotations()),
        scope,
        at: object_ref(a, i),
        rules,
    }
}

/// One AuthorizationPolicy rule in a line: `from …; to …; when …`.
pub(super) fn rule_line(r: &crate::model::istio::security::Rule) -> String {
    fn field(out: &mut Vec<String>, name: &str, values: &[String]) {
        if !values.is_empty() {
            out.push(format!("{name} [{}]", values.join(", ")));
        }
    }
    let mut parts = Vec::new();
    for f in r.from.iter().flatten() {
        let mut v = Vec::new();
        if let Some(s) = &f.source {
            field(&mut v, "principals", &s.principals);
            field(&mut v, "notPrincipals", &s.not_principals);
            field(&mut v, "requestPrincipals", &s.request_principals);
            field(&mut v, "notRequestPrincipals", &s.not_request_principals);
            field(&mut v, "namespaces", &s.namespaces);
            field(&mut v, "notNamespaces", &s.not_namespaces);
            field(&mut v, "serviceAccounts", &s.service_accounts);
            field(&mut v, "notServiceAccounts", &s.not_service_accounts);
            field(&mut v, "trustDomains", &s.trust_domains);
            field(&mut v, "notTrustDomains", &s.not_trust_domains);
            field(&mut v, "ipBlocks", &s.ip_blocks);
            field(&mut v, "notIpBlocks", &s.not_ip_blocks);
            field(&mut v, "remoteIpBlocks", &s.remote_ip_blocks);
            field(&mut v, "notRemoteIpBlocks", &s.not_remote_ip_blocks);
        }
        parts.push(format!(
            "from {}",
            if v.is_empty() {
                "any".into()
            } else {
                v.join(" ")
            }
        ));
    }
    for t in r.to.iter().flatten() {
        let mut v = Vec::new();
        if let Some(o) = &t.operation {
            field(&mut v, "hosts", &o.hosts);
            field(&mut v, "notHosts", &o.not_hosts);
            field(&mut v, "ports", &o.ports);
            field(&mut v, "notPorts", &o.not_ports);
            field(&mut v, "methods", &o.methods);
            field(&mut v, "notMethods", &o.not_methods);
            field(&mut v, "paths", &o.paths);
            field(&mut v, "notPaths", &o.not_paths);
        }
        parts.push(format!(
            "to {}",
            if v.is_empty() {
                "any".into()
            } else {
                v.join(" ")
            }
        ));
    }
    for c in r.when.iter().flatten() {
        let mut v = vec![c.key.clone()];
        field(&mut v, "in", &c.values);
        field(&mut v, "notIn", &c.not_values);
        parts.push(format!("when {}", v.join(" ")));
    }
    if parts.is_empty() {
        "empty rule: matches every request".to_owned()
    } else {
        parts.join("; ")
    }
}

pub(super) fn policy_has_selector(o: &crate::model::resource::Object) -> bool {
    match &o.body {
        Body::PeerAuthentication(s) => s.selector.is_some(),
        Body::RequestAuthentication(s) => {
            s.selector.is_some() || s.target_ref.is_some() || !s.target_refs.is_empty()
        }
        Body::AuthorizationPolicy(s) => {
            s.selector.is_some() || s.target_ref.is_some() || !s.target_refs.is_empty()
        }
        Body::DestinationRule(s) => s.workload_selector.is_some(),
        _ => false,
    }
}
