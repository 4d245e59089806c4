//! `authz-http-fields-on-tcp`: AuthorizationPolicy rules with HTTP-only fields applied to
//! workload ports whose filter chain is TCP (SPEC §3.5, research/authz-semantics.md §7).
//!
//! The port's chain comes from the Service port protocol (`request::http_chain`, the same
//! decision the request evaluator uses); ambient workloads without a waypoint are enforced by
//! ztunnel, which only sees L4, so all their ports count as TCP. On such a port an ALLOW rule
//! with an HTTP-only field is dropped entirely, and a DENY rule loses the field and so
//! matches more (builder.go / model.go in istio/istio).

use std::collections::BTreeSet;

use crate::diagnostic::Finding;
use crate::facts::proxy::ProxyKind;
use crate::model::istio::security::{AuthzAction, Rule};
use crate::resolve::authz;
use crate::resolve::decisions::Decisions;
use crate::resolve::gateway;
use crate::resolve::protocol::service_port_protocol;
use crate::resolve::request::http_chain;
use crate::rules::declare_rule;
use crate::rules::support::authz::{
    dry_run, policies, policy_workloads, port_label, rule_ports, workload_ports,
};
use crate::rules::support::list_text;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Finds AuthorizationPolicy rules that use HTTP-only fields — `hosts`, `methods`,
    /// `paths` (and their `not*` forms), `requestPrincipals`/`notRequestPrincipals`, and
    /// `when` keys `request.headers[...]` and `request.auth.*` — and applies, through a
    /// workload the policy selects, to a port whose protocol is TCP (a Service port named
    /// `tcp-*`, `mongo`, `redis`, `mysql`, …, or `appProtocol: tcp`; every port of an ambient
    /// workload, which ztunnel enforces at L4). A rule restricted to other ports with
    /// `to.operation.ports` is not reported for this one.
    ///
    /// ## Why is this bad?
    /// A TCP connection has no method, path, host or JWT. Istio does not reject the policy;
    /// it rewrites the rule for TCP filter chains:
    ///
    /// - an **ALLOW** rule with any HTTP-only field is dropped entirely; if no other ALLOW
    ///   rule matches, every connection to the port is refused (more restrictive than meant);
    /// - a **DENY** rule loses its HTTP-only fields and keeps the rest, so it matches more:
    ///   `methods: [DELETE]` becomes "every connection".
    ///
    /// Either way the port behaves differently from what the policy reads like, usually
    /// because the Service port name does not say HTTP (`name: web` instead of `http-web`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: tcp-policy, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: tcp-echo}}
    ///   rules:
    ///   - to:
    ///     - operation: {methods: [GET], ports: ["9000"]}   # 9000 is a TCP port
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   rules:
    ///   - to:
    ///     - operation: {ports: ["9000"]}
    /// ```
    /// or, if the port really carries HTTP, name the Service port `http-…` (or set
    /// `appProtocol: http`).
    ///
    /// ## References
    /// - istio.io task "Authorization for TCP traffic" (an ALLOW rule with `methods` makes
    ///   the TCP ports reject connections)
    /// - `AuthorizationPolicy` reference: "For a DENY rule, missing attributes are treated as
    ///   matches"; istio/istio `pilot/pkg/security/authz/builder/builder.go`
    pub static RULE = {
        code: "ML0305",
        name: "authz-http-fields-on-tcp",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "rule with HTTP-only fields applied to a TCP port (ALLOW dropped, DENY widened)",
        check: check,
    }
}

/// Whether a rule has conditions left once its HTTP-only fields are removed.
fn has_other_conditions(rule: &Rule) -> bool {
    let from = rule.from.iter().flatten().any(|f| {
        f.source.as_ref().is_some_and(|s| {
            s.fields().iter().any(|(name, v)| {
                !v.is_empty() && !matches!(*name, "requestPrincipals" | "notRequestPrincipals")
            })
        })
    });
    let to = rule.to.iter().flatten().any(|t| {
        t.operation
            .as_ref()
            .is_some_and(|o| !o.ports.is_empty() || !o.not_ports.is_empty())
    });
    let when = rule
        .when
        .iter()
        .flatten()
        .any(|c| !authz::is_http_only_key(&c.key));
    from || to || when
}

/// The short name of a field path (`methods`, `when request.headers[x]`).
fn short(rule: &Rule, path: &str) -> String {
    if let Some(idx) = path
        .rsplit_once(".when[")
        .and_then(|(_, r)| r.trim_end_matches(']').parse::<usize>().ok())
        && let Some(c) = rule.when.as_ref().and_then(|w| w.get(idx))
    {
        return format!("`when` {}", c.key);
    }
    path.rsplit('.').next().unwrap_or(path).to_owned()
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for (_, o, spec) in policies(a) {
        if !matches!(spec.action, AuthzAction::Allow | AuthzAction::Deny) || dry_run(o) {
            continue;
        }
        let Some(rules) = &spec.rules else { continue };
        let mut workloads: Option<Vec<usize>> = None;
        for (i, rule) in rules.iter().enumerate() {
            let fields = authz::http_only_fields(rule, &format!("spec.rules[{i}]"));
            let Some(first) = fields.first() else {
                continue;
            };
            let ws = workloads.get_or_insert_with(|| policy_workloads(a, o, spec));
            let only = rule_ports(rule);
            let mut tcp_ports = BTreeSet::new();
            for &w in ws.iter() {
                let ambient = a.proxies[w].kind == ProxyKind::Ambient;
                let gateway = a.proxies[w].kind == ProxyKind::Gateway;
                if !matches!(
                    a.proxies[w].kind,
                    ProxyKind::Sidecar | ProxyKind::Ambient | ProxyKind::Gateway
                ) {
                    continue;
                }
                for p in workload_ports(a, w) {
                    if only.as_ref().is_some_and(|s| !s.contains(&p.target)) {
                        continue;
                    }
                    let Some((si, pi)) = p.service else {
                        if ambient {
                            tcp_ports
                                .insert(format!("{} (ambient, L4 only)", port_label(a, w, &p)));
                        }
                        continue;
                    };
                    let port = &a.inv.services[si].ports[pi];
                    // At a gateway the Gateway servers decide the chain (resolve/gateway.rs).
                    let (sp, tp) = (
                        u32::try_from(port.port).unwrap_or(0),
                        u32::try_from(p.target).unwrap_or(0),
                    );
                    if gateway && !gateway::servers_on(a, w, sp, tp).is_empty() {
                        if gateway::has_tcp_chain(a, w, sp, tp) {
                            tcp_ports.insert(format!(
                                "{} (a TCP/TLS server of a Gateway on port {})",
                                port_label(a, w, &p),
                                port.port
                            ));
                        }
                        continue;
                    }
                    if ambient {
                        tcp_ports.insert(format!("{} (ambient, L4 only)", port_label(a, w, &p)));
                    } else if !http_chain(a, port) {
                        let (proto, _) = service_port_protocol(
                            port.port,
                            &port.name,
                            &port.protocol,
                            port.app_protocol.as_deref(),
                            a.profile.has(Behaviour::AppProtocol),
                        );
                        tcp_ports.insert(format!(
                            "{} ({} via {}:{})",
                            port_label(a, w, &p),
                            proto.as_str(),
                            a.inv.services[si].name,
                            port.port
                        ));
                    }
                }
            }
            if tcp_ports.is_empty() {
                continue;
            }
            let names: Vec<String> = fields.iter().map(|f| short(rule, f)).collect();
            let names = list_text(names);
            let ports = list_text(&tcp_ports);
            let (message, help) = if spec.action == AuthzAction::Allow {
                (
                    format!(
                        "{names} {} HTTP-only, but the rule applies to {ports}, {}: Istio drops the whole rule there, so it allows no connection on {}",
                        if fields.len() == 1 { "is" } else { "are" },
                        if tcp_ports.len() == 1 { "a TCP port" } else { "TCP ports" },
                        if tcp_ports.len() == 1 { "that port" } else { "those ports" },
                    ),
                    "restrict the rule to the HTTP ports with `to.operation.ports`, add a separate rule without HTTP-only fields for the TCP ports, or declare the port as HTTP (Service port name `http-…` or `appProtocol: http`)".to_owned(),
                )
            } else {
                let rest = if has_other_conditions(rule) {
                    "every connection that matches the rest of the rule"
                } else {
                    "every connection"
                };
                (
                    format!(
                        "{names} {} HTTP-only, but the rule applies to {ports}, {}: Istio removes {} there, so this DENY rule rejects {rest}",
                        if fields.len() == 1 { "is" } else { "are" },
                        if tcp_ports.len() == 1 { "a TCP port" } else { "TCP ports" },
                        if fields.len() == 1 { "the field" } else { "those fields" },
                    ),
                    "restrict the rule to the HTTP ports with `to.operation.ports` (or `notPorts` for the TCP ones), or declare the port as HTTP (Service port name `http-…` or `appProtocol: http`)".to_owned(),
                )
            };
            out.push(Finding::new(&RULE, message).on(o, first).help(help));
        }
    }
}
