//! Why a rule does or does not match a request, in words (issue 11, `check`): the first part
//! of the rule that fails — a `when` condition, the `from` sources, or the `to` operations —
//! and the field and values that fail it, beside what the request carries; or, for a rule that
//! matches, the parts that matched. The verdicts are those of `rule_match`; this only names them.

use super::*;

/// `None` when the rule matches; otherwise what fails first (`when`, then `from`, then `to`,
/// as Istio ANDs them).
pub fn explain_rule(ctx: &Ctx<'_>, policy_ns: &str, rule: &Rule) -> Option<String> {
    for c in rule.when.iter().flatten() {
        match condition_matches(ctx, policy_ns, c) {
            Ok(true) => {}
            Ok(false) => {
                let (name, list) = if c.values.is_empty() {
                    ("notValues", &c.not_values)
                } else {
                    ("values", &c.values)
                };
                return Some(format!("when ✗ {} {name} [{}]", c.key, list.join(", ")));
            }
            Err(e) => return Some(format!("skipped: {e}")),
        }
    }
    if let Some(from) = &rule.from {
        let matches = from.iter().any(|f| {
            f.source
                .as_ref()
                .is_none_or(|s| source_matches(ctx, policy_ns, s))
        });
        if !matches {
            let (name, why) = from
                .iter()
                .filter_map(|f| f.source.as_ref())
                .find_map(|s| failing_source_field(ctx, policy_ns, s))
                .unwrap_or_default();
            // The client's identity is not named here: cells of clients no policy tells
            // apart share this text (the matrix by class); `check` prints it beside.
            let peer = match name {
                "requestPrincipals" if ctx.auth.is_none() => "the request carries no valid token",
                "requestPrincipals" => "the token's principal does not match",
                "ipBlocks" if ctx.peer.ip.is_none() => UNKNOWN_ADDRESS,
                "remoteIpBlocks" if ctx.remote_ip.is_none() => UNKNOWN_ADDRESS,
                "ipBlocks" | "remoteIpBlocks" => "the client address does not match",
                _ if ctx.identity().is_none() => "the client has no identity (not Istio mTLS)",
                _ => "the client's identity does not match",
            };
            return Some(format!("from ✗ {why}: {peer}"));
        }
    }
    if let Some(to) = &rule.to {
        let matches = to.iter().any(|t| {
            t.operation
                .as_ref()
                .is_none_or(|o| operation_matches(ctx, o))
        });
        if !matches {
            let why = to
                .iter()
                .filter_map(|t| t.operation.as_ref())
                .find_map(|o| failing_operation_field(ctx, o))
                .unwrap_or_default();
            return Some(format!(
                "to ✗ {why}; the request is {} {} on target port {}",
                ctx.req.method, ctx.path, ctx.target_port
            ));
        }
    }
    None
}

/// Why an address rule fails when the address is not given: only blocks of public addresses
/// decide without it (`match_ip`), and a workload's address is private.
const UNKNOWN_ADDRESS: &str = "the client address is not given, and a workload's (private) address is never in these public blocks";

/// The parts of a matching rule that the request met, as "from ✓ namespaces [bar]; to ✓
/// methods [DELETE]", only the fields enforced where `ctx` stands (an HTTP field removed on a TCP
/// chain or at ztunnel is left out). A rule with no from, to or when matches every request.
pub fn explain_match(ctx: &Ctx<'_>, policy_ns: &str, rule: &Rule) -> String {
    let mut parts = Vec::new();
    let l4_only = ctx.ztunnel.is_some();
    if let Some(s) = rule.from.iter().flatten().find_map(|f| {
        f.source
            .as_ref()
            .filter(|s| source_matches(ctx, policy_ns, s))
    }) {
        let fields: [(&str, &Vec<String>, &Vec<String>, bool); 7] = [
            ("principals", &s.principals, &s.not_principals, true),
            ("namespaces", &s.namespaces, &s.not_namespaces, true),
            (
                "serviceAccounts",
                &s.service_accounts,
                &s.not_service_accounts,
                true,
            ),
            ("ipBlocks", &s.ip_blocks, &s.not_ip_blocks, true),
            (
                "remoteIpBlocks",
                &s.remote_ip_blocks,
                &s.not_remote_ip_blocks,
                !l4_only,
            ),
            (
                "requestPrincipals",
                &s.request_principals,
                &s.not_request_principals,
                ctx.http && !l4_only,
            ),
            (
                "trustDomains",
                &s.trust_domains,
                &s.not_trust_domains,
                ctx.trust_domains_enforced && !l4_only,
            ),
        ];
        let met = listed(&fields);
        if !met.is_empty() {
            parts.push(format!("from ✓ {met}"));
        }
    }
    if let Some(o) = rule
        .to
        .iter()
        .flatten()
        .find_map(|t| t.operation.as_ref().filter(|o| operation_matches(ctx, o)))
    {
        let l7 = ctx.http && !l4_only;
        let fields: [(&str, &Vec<String>, &Vec<String>, bool); 4] = [
            ("ports", &o.ports, &o.not_ports, true),
            ("hosts", &o.hosts, &o.not_hosts, l7),
            ("methods", &o.methods, &o.not_methods, l7),
            ("paths", &o.paths, &o.not_paths, l7),
        ];
        let met = listed(&fields);
        if !met.is_empty() {
            parts.push(format!("to ✓ {met}"));
        }
    }
    for c in rule.when.iter().flatten() {
        if is_http_only_key(&c.key) && !ctx.http {
            continue;
        }
        let (name, list) = if c.values.is_empty() {
            ("notValues", &c.not_values)
        } else {
            ("values", &c.values)
        };
        parts.push(format!("when ✓ {} {name} [{}]", c.key, list.join(", ")));
    }
    if parts.is_empty() {
        "nothing left to meet here: it matches every request".to_owned()
    } else {
        parts.join("; ")
    }
}

/// The enforced, non-empty fields among `fields`, as "name [values], notName [values]".
fn listed(fields: &[(&str, &Vec<String>, &Vec<String>, bool)]) -> String {
    fields
        .iter()
        .filter(|(_, pos, neg, enforced)| *enforced && !(pos.is_empty() && neg.is_empty()))
        .flat_map(|(name, pos, neg, _)| {
            let mut out = Vec::new();
            if !pos.is_empty() {
                out.push(describe(name, pos, &[]));
            }
            if !neg.is_empty() {
                out.push(describe(name, &[], neg));
            }
            out
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// The first field of `s` that fails: its name, and `name [values]`.
fn failing_source_field(
    ctx: &Ctx<'_>,
    policy_ns: &str,
    s: &Source,
) -> Option<(&'static str, String)> {
    let checks: [Check<'_>; 7] = [
        ("principals", &s.principals, &s.not_principals, &|v| {
            match_principal(ctx, v)
        }),
        ("namespaces", &s.namespaces, &s.not_namespaces, &|v| {
            match_namespace(ctx, v)
        }),
        (
            "serviceAccounts",
            &s.service_accounts,
            &s.not_service_accounts,
            &|v| match_service_account(ctx, policy_ns, v),
        ),
        ("ipBlocks", &s.ip_blocks, &s.not_ip_blocks, &|v| {
            match_ip(ctx, v)
        }),
        (
            "remoteIpBlocks",
            &s.remote_ip_blocks,
            &s.not_remote_ip_blocks,
            &|v| match_remote_ip(ctx, v),
        ),
        (
            "requestPrincipals",
            &s.request_principals,
            &s.not_request_principals,
            &|v| match_request_principal(ctx, v),
        ),
        (
            "trustDomains",
            &s.trust_domains,
            &s.not_trust_domains,
            &|v| match_trust_domain(ctx, v),
        ),
    ];
    checks
        .iter()
        .find(|(_, pos, neg, m)| !field(pos, neg, |v| m(v)))
        .map(|(name, pos, neg, _)| (*name, describe(name, pos, neg)))
}

/// `name [values]` of the first field of `o` that fails.
fn failing_operation_field(ctx: &Ctx<'_>, o: &Operation) -> Option<String> {
    let checks: [Check<'_>; 4] = [
        ("ports", &o.ports, &o.not_ports, &|v| match_port(ctx, v)),
        ("hosts", &o.hosts, &o.not_hosts, &|v| match_host(ctx, v)),
        ("methods", &o.methods, &o.not_methods, &|v| {
            match_method(ctx, v)
        }),
        ("paths", &o.paths, &o.not_paths, &|v| match_path(ctx, v)),
    ];
    checks
        .iter()
        .find(|(_, pos, neg, m)| !field(pos, neg, |v| m(v)))
        .map(|(name, pos, neg, _)| describe(name, pos, neg))
}

/// A field to test: its name, its values, its `not` values, and the matcher of one value.
type Check<'a> = (
    &'static str,
    &'a Vec<String>,
    &'a Vec<String>,
    &'a dyn Fn(&str) -> bool,
);

fn describe(name: &str, pos: &[String], neg: &[String]) -> String {
    if pos.is_empty() {
        let mut not = name.to_owned();
        if let Some(first) = not.get_mut(..1) {
            first.make_ascii_uppercase();
        }
        format!("not{not} [{}]", neg.join(", "))
    } else {
        format!("{name} [{}]", pos.join(", "))
    }
}
