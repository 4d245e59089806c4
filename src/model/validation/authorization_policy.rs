//! AuthorizationPolicy: validation.go `ValidateAuthorizationPolicy` with security.go
//! `ValidateIPs`, `ValidatePorts`, `CheckEmptyValues`, `CheckValidPathTemplate` and
//! `ValidateAttribute` (research/authz-semantics.md §3–§5, §10).

use super::{Out, ip_or_cidr_error, one_of_selector, target_ref, workload_selector};
use crate::model::istio::security::{
    AuthorizationPolicySpec, AuthzAction, Condition, Operation, Rule, Source,
};
use crate::version::{Behaviour, Profile};

const EMPTY_RULE_HELP: &str =
    "add an empty rule `rules: [{}]` to match every request, or add the rules that should match";

pub(super) fn check(s: &AuthorizationPolicySpec, out: &mut Out<'_>) {
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
    target_refs_limit(s.target_refs.len(), out);
    // CRD maxItems 512 on `rules` and on each rule's `from` (istio/api release-1.25
    // authorization_policy.proto:273,306).
    if out.has(Behaviour::AuthzServiceAccounts) {
        let rules = s.rules.as_deref().unwrap_or_default();
        if rules.len() > 512 {
            out.push(
                "spec.rules",
                format!(
                    "spec.rules has {} items: must have at most 512",
                    rules.len()
                ),
                "split the policy into several policies",
            );
        }
        for (i, r) in rules.iter().enumerate() {
            let n = r.from.as_ref().map_or(0, Vec::len);
            if n > 512 {
                out.push(
                    format!("spec.rules[{i}].from"),
                    format!("from has {n} items: must have at most 512"),
                    "split the rule into several rules",
                );
            }
        }
    }

    let custom = s.action == AuthzAction::Custom;
    if custom {
        if s.rules.is_none() {
            out.push(
                "spec.action",
                "action CUSTOM without rules is meaningless: it is never triggered",
                EMPTY_RULE_HELP,
            );
        } else if s.provider.as_ref().is_none_or(|p| p.name.is_empty()) {
            let path = if s.provider.is_some() {
                "spec.provider.name"
            } else {
                "spec.action"
            };
            out.push(
                path,
                "action CUSTOM requires provider.name",
                "name an extension provider defined in meshConfig.extensionProviders",
            );
        }
    } else if s.provider.is_some() {
        out.push(
            "spec.provider",
            format!(
                "provider must not be set with a non-CUSTOM action, found {}",
                s.action.as_str()
            ),
            "remove provider, or set action: CUSTOM",
        );
    }
    if s.action == AuthzAction::Deny && s.rules.is_none() {
        out.push(
            "spec.action",
            "action DENY without rules is meaningless: it is never triggered",
            EMPTY_RULE_HELP,
        );
    }
    for (i, rule) in s.rules.iter().flatten().enumerate() {
        check_rule(rule, &format!("spec.rules[{i}]"), custom, out);
    }
}

fn check_rule(rule: &Rule, path: &str, custom: bool, out: &mut Out<'_>) {
    if let Some(from) = &rule.from {
        if from.is_empty() {
            out.push(
                format!("{path}.from"),
                "from must not be empty",
                "remove `from: []` (absent means any source) or add a source",
            );
        }
        for (j, f) in from.iter().enumerate() {
            let fp = format!("{path}.from[{j}]");
            match &f.source {
                None => out.push(
                    fp,
                    "from entry without source",
                    "add a source with at least one field, or remove the entry",
                ),
                Some(src) => check_source(src, &format!("{fp}.source"), custom, out),
            }
        }
    }
    if let Some(to) = &rule.to {
        if to.is_empty() {
            out.push(
                format!("{path}.to"),
                "to must not be empty",
                "remove `to: []` (absent means any operation) or add an operation",
            );
        }
        for (j, t) in to.iter().enumerate() {
            let tp = format!("{path}.to[{j}]");
            match &t.operation {
                None => out.push(
                    tp,
                    "to entry without operation",
                    "add an operation with at least one field, or remove the entry",
                ),
                Some(op) => check_operation(op, &format!("{tp}.operation"), out),
            }
        }
    }
    for (j, c) in rule.when.iter().flatten().enumerate() {
        check_condition(c, &format!("{path}.when[{j}]"), custom, out);
    }
}

/// Reports empty strings in a value list (security.go `CheckEmptyValues`).
fn empty_values(values: &[String], path: &str, field: &str, out: &mut Out<'_>) {
    for (k, v) in values.iter().enumerate() {
        if v.is_empty() {
            out.push(
                format!("{path}.{field}[{k}]"),
                format!("empty value not allowed in {field}"),
                "remove the empty string; use \"*\" to mean any non-empty value",
            );
        }
    }
}

fn check_source(src: &Source, path: &str, custom: bool, out: &mut Out<'_>) {
    let trust_domains = out.has(Behaviour::AuthzTrustDomains);
    let fields: [(&str, &[String]); 14] = [
        ("principals", &src.principals),
        ("notPrincipals", &src.not_principals),
        ("requestPrincipals", &src.request_principals),
        ("notRequestPrincipals", &src.not_request_principals),
        ("namespaces", &src.namespaces),
        ("notNamespaces", &src.not_namespaces),
        ("ipBlocks", &src.ip_blocks),
        ("notIpBlocks", &src.not_ip_blocks),
        ("remoteIpBlocks", &src.remote_ip_blocks),
        ("notRemoteIpBlocks", &src.not_remote_ip_blocks),
        ("serviceAccounts", &src.service_accounts),
        ("notServiceAccounts", &src.not_service_accounts),
        // Counted from 1.30.2 only: 1.30.0 and 1.30.1 have the CRD field but the webhook's
        // emptiness test leaves it out (istio/istio 1.30.1 validation.go:1496-1499).
        (
            "trustDomains",
            if trust_domains {
                &src.trust_domains
            } else {
                &[]
            },
        ),
        (
            "notTrustDomains",
            if trust_domains {
                &src.not_trust_domains
            } else {
                &[]
            },
        ),
    ];
    if fields.iter().all(|(_, v)| v.is_empty()) {
        let td = !src.trust_domains.is_empty() || !src.not_trust_domains.is_empty();
        let sa = !src.service_accounts.is_empty() || !src.not_service_accounts.is_empty();
        // Fields the release does not have are reported as unknown (fields.rs); the empty
        // source that results is not a second finding.
        if (td && !out.has(Behaviour::AuthzTrustDomainFields))
            || (sa && !out.has(Behaviour::AuthzServiceAccounts))
        {
            return;
        }
        let message = if td {
            format!(
                "source must not be empty: Istio {} does not count trustDomains here (it does from 1.30.2)",
                out.profile.version
            )
        } else {
            "source must not be empty".to_owned()
        };
        out.push(
            path,
            message,
            "set at least one field in source, or remove the from entry",
        );
        return;
    }
    for (name, values) in fields {
        empty_values(values, path, name, out);
        if matches!(
            name,
            "ipBlocks" | "notIpBlocks" | "remoteIpBlocks" | "notRemoteIpBlocks"
        ) {
            for (k, v) in values.iter().enumerate() {
                if v.is_empty() {
                    continue;
                }
                if let Some(e) = ip_or_cidr_error(v) {
                    out.push(
                        format!("{path}.{name}[{k}]"),
                        e,
                        "write a single IP (10.0.0.1) or a CIDR (10.0.0.0/16); wildcards are not supported",
                    );
                }
            }
        }
    }
    // The CRD's CEL on `source` (istio/api release-1.25 authorization_policy.proto:474-485:
    // "Cannot set serviceAccounts with namespaces or principals") and security.go
    // CheckServiceAccount on each list.
    let sa = !src.service_accounts.is_empty() || !src.not_service_accounts.is_empty();
    if sa && out.has(Behaviour::AuthzServiceAccounts) {
        let mixed = [
            ("principals", &src.principals),
            ("notPrincipals", &src.not_principals),
            ("namespaces", &src.namespaces),
            ("notNamespaces", &src.not_namespaces),
        ];
        for (name, values) in mixed {
            if !values.is_empty() {
                out.push(
                    format!("{path}.{name}"),
                    format!("cannot set serviceAccounts with namespaces or principals ({name})"),
                    "express the identity with serviceAccounts only, or with principals/namespaces only",
                );
            }
        }
        for (name, values) in [
            ("serviceAccounts", &src.service_accounts),
            ("notServiceAccounts", &src.not_service_accounts),
        ] {
            if let Some((k, e)) = service_account_error(values, name) {
                out.push(
                    k.map_or_else(|| format!("{path}.{name}"), |k| format!("{path}.{name}[{k}]")),
                    e,
                    "write `namespace/name` or `name` (the policy's namespace), exactly; at most 16",
                );
            }
        }
    }
    if trust_domains {
        for (name, values) in [
            ("trustDomains", &src.trust_domains),
            ("notTrustDomains", &src.not_trust_domains),
        ] {
            if let Some((k, e)) = trust_domain_error(values, name, true) {
                out.push(
                    format!("{path}.{name}[{k}]"),
                    e,
                    "write a trust domain such as cluster.local, optionally with one * at its start or end",
                );
            }
        }
    }
    if custom {
        for (name, values) in [
            ("namespaces", &src.namespaces),
            ("notNamespaces", &src.not_namespaces),
            ("principals", &src.principals),
            ("notPrincipals", &src.not_principals),
            ("requestPrincipals", &src.request_principals),
            ("notRequestPrincipals", &src.not_request_principals),
            ("serviceAccounts", &src.service_accounts),
            ("notServiceAccounts", &src.not_service_accounts),
            ("trustDomains", &src.trust_domains),
            ("notTrustDomains", &src.not_trust_domains),
        ] {
            if !values.is_empty() {
                out.push(
                    format!("{path}.{name}"),
                    format!("{name} is not supported with CUSTOM action"),
                    "match on IPs, hosts, paths, methods, ports or headers, and let the external authorizer check identities",
                );
            }
        }
    }
}

fn check_operation(op: &Operation, path: &str, out: &mut Out<'_>) {
    let fields: [(&str, &[String]); 8] = [
        ("hosts", &op.hosts),
        ("notHosts", &op.not_hosts),
        ("ports", &op.ports),
        ("notPorts", &op.not_ports),
        ("methods", &op.methods),
        ("notMethods", &op.not_methods),
        ("paths", &op.paths),
        ("notPaths", &op.not_paths),
    ];
    if fields.iter().all(|(_, v)| v.is_empty()) {
        out.push(
            path,
            "operation must not be empty",
            "set at least one field in operation, or remove the to entry",
        );
        return;
    }
    for (name, values) in fields {
        empty_values(values, path, name, out);
        for (k, v) in values.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            // The field's path is written only for a violation: most values have none.
            let p = || format!("{path}.{name}[{k}]");
            if (name == "ports" || name == "notPorts") && port_error(v) {
                out.push(
                    p(),
                    format!("bad port {v:?}"),
                    "ports are workload port numbers 0..65535, written as strings, without wildcards",
                );
            } else if (name == "paths" || name == "notPaths") && unsupported_path_template(v) {
                out.push(
                    p(),
                    format!("invalid or unsupported path template {v:?}"),
                    "use {*} for one segment and {**} (last) for any number; no named variables, no bare * next to /",
                );
            }
        }
    }
}

/// `targetRefs` maxItems 16 (CRD, istio/api release-1.24 authorization_policy.proto and
/// request_authentication.proto).
pub(super) fn target_refs_limit(n: usize, out: &mut Out<'_>) {
    if n > 16 && out.has(Behaviour::TargetRefsLimit) {
        out.push(
            "spec.targetRefs",
            format!("spec.targetRefs has {n} items: must have at most 16"),
            "split the policy into several policies",
        );
    }
}

/// security.go `CheckServiceAccount` (istio/istio release-1.25 on): the first failing check,
/// in Istio's order, with the index of the value (`None` for the count).
fn service_account_error(values: &[String], field: &str) -> Option<(Option<usize>, String)> {
    if values.len() > 16 {
        return Some((None, format!("{field} may not have more than 16 values")));
    }
    for (k, v) in values.iter().enumerate() {
        let e = if v.is_empty() {
            format!("empty value not allowed, found in {field}")
        } else if v.contains('*') {
            format!("wildcard not allowed, found in {field}")
        } else if v.matches('/').count() > 1 {
            format!(
                "expected format 'serviceAccount' or 'namespace/serviceAccount', found {v:?} in {field}"
            )
        } else if v.len() > 320 {
            format!("value cannot exceed 320 characters, found {v:?} in {field}")
        } else if v.ends_with('/') {
            format!(
                "expected format 'serviceAccount' or 'namespace/serviceAccount', found empty serviceAccount {v:?} in {field}"
            )
        } else if v.starts_with('/') {
            format!(
                "expected format 'serviceAccount' or 'namespace/serviceAccount', found empty namespace {v:?} in {field}"
            )
        } else {
            continue;
        };
        return Some((Some(k), e));
    }
    None
}

/// security.go `CheckTrustDomainValues` (`slash`: the `trustDomains` fields) and
/// `CheckWildcardValues` (the `source.trustDomain` key), istio/istio 1.30.2 on.
fn trust_domain_error(values: &[String], field: &str, slash: bool) -> Option<(usize, String)> {
    for (k, v) in values.iter().enumerate() {
        let stars = v.matches('*').count();
        let e = if v.is_empty() {
            format!("empty value not allowed, found in {field}")
        } else if stars > 1 {
            format!("at most one wildcard is allowed, found in {field}: {v:?}")
        } else if stars == 1 && v != "*" && !v.starts_with('*') && !v.ends_with('*') {
            format!("wildcard is only allowed at the start or end, found in {field}: {v:?}")
        } else if slash && v.contains('/') {
            format!("trust domain must not contain '/', found in {field}: {v:?}")
        } else {
            continue;
        };
        return Some((k, e));
    }
    None
}

/// security.go `ValidatePorts`: a decimal number no greater than 65535.
fn port_error(v: &str) -> bool {
    !(v.bytes().all(|b| b.is_ascii_digit()) && v.parse::<u64>().is_ok_and(|p| p <= 65535))
}

/// security.go `CheckValidPathTemplate`: a path with `{*}`/`{**}` must not also contain named
/// variables (`{x}`, `{x=*}`), empty braces, or `*`/`**` next to a slash.
fn unsupported_path_template(path: &str) -> bool {
    if !(path.contains("{*}") || path.contains("{**}")) {
        return false;
    }
    if path.contains("/*") || path.contains("*/") {
        return true;
    }
    // `{\w*}` or `/{\w+=*}` / `/{\w+=**}`.
    let b = path.as_bytes();
    for (i, &c) in b.iter().enumerate() {
        if c != b'{' {
            continue;
        }
        let mut j = i + 1;
        while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
            j += 1;
        }
        let word = j - i - 1;
        if j < b.len() && b[j] == b'}' {
            return true;
        }
        if word > 0 && i > 0 && b[i - 1] == b'/' && b.get(j) == Some(&b'=') {
            let tail = &path[j + 1..];
            if tail.starts_with("*}") || tail.starts_with("**}") {
                return true;
            }
        }
    }
    false
}

/// The `when` keys Istio accepts (security.go `ValidateAttribute`; authz-semantics §10).
fn key_error(key: &str, profile: &Profile) -> Option<String> {
    let map_key = |prefix: &str| -> Option<String> {
        let open = key.find('[');
        let ok = key.ends_with(']') && open.is_some_and(|o| o > 0 && o < key.len() - 2);
        (!ok).then(|| format!("bad key {key:?}: should have the form {prefix}[name]"))
    };
    if key.starts_with("request.headers") {
        return map_key("request.headers");
    }
    if key.starts_with("request.auth.claims") {
        return map_key("request.auth.claims");
    }
    if key.starts_with("experimental.envoy.filters.") {
        return map_key("experimental.envoy.filters.<filter>");
    }
    // Keys of later releases (remote.ip 1.8, security.go attrSrcServiceAccount 1.25,
    // source.trustDomain 1.30.0) are unknown attributes before.
    let newer = match key {
        "remote.ip" => Some(Behaviour::RemoteIpAttribute),
        "source.serviceAccount" => Some(Behaviour::AuthzServiceAccounts),
        "source.trustDomain" => Some(Behaviour::AuthzTrustDomainFields),
        _ => None,
    };
    if let Some(b) = newer
        && !profile.has(b)
    {
        let since = crate::version::first_release(b).map_or_else(String::new, |v| {
            format!(" (added in Istio {})", v.minor_release())
        });
        return Some(format!(
            "unknown attribute {key:?} for Istio {}{since}",
            profile.version
        ));
    }
    match key {
        "source.ip"
        | "remote.ip"
        | "source.namespace"
        | "source.principal"
        | "source.serviceAccount"
        | "source.trustDomain"
        | "request.auth.principal"
        | "request.auth.audiences"
        | "request.auth.presenter"
        | "destination.ip"
        | "destination.port"
        | "connection.sni" => None,
        "destination.namespace" => Some(format!(
            "attribute {key} is replaced by the policy's metadata.namespace"
        )),
        "destination.name" | "destination.user" => Some(format!(
            "deprecated attribute {key}: only supported in v1alpha1 RBAC"
        )),
        _ if key.starts_with("destination.labels") => Some(format!(
            "attribute {key} is replaced by the workload selector"
        )),
        _ => Some(format!("unknown attribute {key:?}")),
    }
}

fn check_condition(c: &Condition, path: &str, custom: bool, out: &mut Out<'_>) {
    let key = c.key.as_str();
    if key.is_empty() {
        out.push(
            format!("{path}.key"),
            "condition key must not be empty",
            "use a supported key such as request.headers[x-token] or source.ip",
        );
        return;
    }
    if let Some(e) = key_error(key, out.profile) {
        out.push(
            format!("{path}.key"),
            e,
            "see https://istio.io/latest/docs/reference/config/security/conditions/ for supported keys",
        );
        return;
    }
    if c.values.is_empty() && c.not_values.is_empty() {
        out.push(
            path,
            format!("condition on {key} needs values or notValues"),
            "add values (any must match) or notValues (none may match)",
        );
    }
    for (field, values) in [("values", &c.values), ("notValues", &c.not_values)] {
        empty_values(values, path, field, out);
        for (k, v) in values.iter().enumerate() {
            if v.is_empty() {
                continue;
            }
            let p = || format!("{path}.{field}[{k}]");
            match key {
                "source.ip" | "remote.ip" | "destination.ip" => {
                    if let Some(e) = ip_or_cidr_error(v) {
                        out.push(
                            p(),
                            e,
                            "write a single IP or a CIDR; wildcards are not supported",
                        );
                    }
                }
                "destination.port" if port_error(v) => out.push(
                    p(),
                    format!("bad port {v:?}"),
                    "write a workload port number 0..65535",
                ),
                _ => {}
            }
        }
        // security.go ValidateAttribute: CheckServiceAccount (1.25) and CheckWildcardValues
        // (1.30.2) on the values of the identity keys.
        let found = match key {
            "source.serviceAccount" => service_account_error(values, "source.serviceAccount"),
            "source.trustDomain" if out.has(Behaviour::AuthzTrustDomains) => {
                trust_domain_error(values, "source.trustDomain", false).map(|(k, e)| (Some(k), e))
            }
            _ => None,
        };
        if let Some((k, e)) = found {
            out.push(
                k.map_or_else(
                    || format!("{path}.{field}"),
                    |k| format!("{path}.{field}[{k}]"),
                ),
                format!("invalid `{field}` for key {key}: {e}"),
                "see https://istio.io/latest/docs/reference/config/security/conditions/",
            );
        }
    }
    if custom
        && (matches!(
            key,
            "source.namespace"
                | "source.principal"
                | "source.serviceAccount"
                | "source.trustDomain"
        ) || key.starts_with("request.auth."))
    {
        out.push(
            format!("{path}.key"),
            format!("{key} is not supported with CUSTOM action"),
            "let the external authorizer check identities and tokens",
        );
    }
}
