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
    if let Some(s) = rule.from.iter().flatten().find_map(|f| {
        f.source
            .as_ref()
            .filter(|s| source_matches(ctx, policy_ns, s))
    }) {
        let fields = source_checks(ctx, policy_ns, s);
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
        let fields = operation_checks(ctx, o);
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
fn listed(fields: &[Check<'_>]) -> String {
    fields
        .iter()
        .filter(|c| c.enforced && !(c.pos.is_empty() && c.neg.is_empty()))
        .flat_map(|c| {
            let mut out = Vec::new();
            if !c.pos.is_empty() {
                out.push(describe(c.name, c.pos, &[]));
            }
            if !c.neg.is_empty() {
                out.push(describe(c.name, &[], c.neg));
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
    first_failing(&source_checks(ctx, policy_ns, s))
        .map(|c| (c.name, describe(c.name, c.pos, c.neg)))
}

/// `name [values]` of the first field of `o` that fails.
fn failing_operation_field(ctx: &Ctx<'_>, o: &Operation) -> Option<String> {
    first_failing(&operation_checks(ctx, o)).map(|c| describe(c.name, c.pos, c.neg))
}

fn first_failing<'c, 'a>(checks: &'c [Check<'a>]) -> Option<&'c Check<'a>> {
    checks
        .iter()
        .find(|c| !field(c.pos, c.neg, |v| (c.matches)(v)))
}

/// One field of a source or operation: its name, values, `not` values, the matcher of one
/// value (`rule_match`'s), and whether it is enforced where `ctx` stands (HTTP fields are not
/// on a TCP chain or at ztunnel, §7, §9).
struct Check<'a> {
    name: &'static str,
    pos: &'a [String],
    neg: &'a [String],
    matches: Box<dyn Fn(&str) -> bool + 'a>,
    enforced: bool,
}

fn check<'a>(
    name: &'static str,
    pos: &'a [String],
    neg: &'a [String],
    enforced: bool,
    matches: impl Fn(&str) -> bool + 'a,
) -> Check<'a> {
    Check {
        name,
        pos,
        neg,
        matches: Box::new(matches),
        enforced,
    }
}

/// The fields of a source, in the order `source_matches` ANDs them.
fn source_checks<'a>(ctx: &'a Ctx<'a>, policy_ns: &'a str, s: &'a Source) -> [Check<'a>; 7] {
    let l7 = ctx.ztunnel.is_none();
    [
        check("principals", &s.principals, &s.not_principals, true, |v| {
            match_principal(ctx, v)
        }),
        check("namespaces", &s.namespaces, &s.not_namespaces, true, |v| {
            match_namespace(ctx, v)
        }),
        check(
            "serviceAccounts",
            &s.service_accounts,
            &s.not_service_accounts,
            true,
            move |v| match_service_account(ctx, policy_ns, v),
        ),
        check("ipBlocks", &s.ip_blocks, &s.not_ip_blocks, true, |v| {
            match_ip(ctx, v)
        }),
        check(
            "remoteIpBlocks",
            &s.remote_ip_blocks,
            &s.not_remote_ip_blocks,
            l7,
            |v| match_remote_ip(ctx, v),
        ),
        check(
            "requestPrincipals",
            &s.request_principals,
            &s.not_request_principals,
            ctx.http && l7,
            |v| match_request_principal(ctx, v),
        ),
        check(
            "trustDomains",
            &s.trust_domains,
            &s.not_trust_domains,
            ctx.trust_domains_enforced && l7,
            |v| match_trust_domain(ctx, v),
        ),
    ]
}

/// The fields of an operation, in the order `operation_matches` ANDs them.
fn operation_checks<'a>(ctx: &'a Ctx<'a>, o: &'a Operation) -> [Check<'a>; 4] {
    let l7 = ctx.http && ctx.ztunnel.is_none();
    [
        check("ports", &o.ports, &o.not_ports, true, |v| {
            match_port(ctx, v)
        }),
        check("hosts", &o.hosts, &o.not_hosts, l7, |v| match_host(ctx, v)),
        check("methods", &o.methods, &o.not_methods, l7, |v| {
            match_method(ctx, v)
        }),
        check("paths", &o.paths, &o.not_paths, l7, |v| match_path(ctx, v)),
    ]
}

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
