//! Helpers the authorization rules share: the AuthorizationPolicies to look at, the workloads
//! and ports each selects, and dry-run.

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::facts::proxy::ProxyKind;
use crate::model::istio::security::{AuthorizationPolicySpec, Rule};
use crate::model::kind::Kind;
use crate::model::resource::{Body, Object};
use crate::resolve::authz;
pub(crate) use crate::resolve::authz::Polarity;
use crate::rules::support::is_tcp;
use crate::version::Behaviour;

/// The AuthorizationPolicies Istio would load (valid objects), when the version serves them.
pub(crate) fn policies(
    a: &Analysis,
) -> impl Iterator<Item = (usize, &Object, &AuthorizationPolicySpec)> {
    let served = a.profile.has(Behaviour::AuthorizationPolicy);
    a.inv
        .of_kind(Kind::AuthorizationPolicy)
        .filter(move |_| served)
        .filter_map(|(i, o)| match &o.body {
            Body::AuthorizationPolicy(s) => Some((i, o, s)),
            _ => None,
        })
}

/// The workloads (with any kind of proxy) an AuthorizationPolicy applies to.
pub(crate) fn policy_workloads(
    a: &Analysis,
    o: &Object,
    s: &AuthorizationPolicySpec,
) -> Vec<usize> {
    (0..a.inv.workloads.len())
        .filter(|&w| a.proxies[w].kind != ProxyKind::None)
        .filter(|&w| {
            authz::applies_to(
                a,
                o.namespace(),
                s.selector.as_ref(),
                s.target_ref.as_ref(),
                &s.target_refs,
                w,
            )
        })
        .collect()
}

/// One port a workload receives traffic on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WorkloadPort {
    /// The Service and port index it is reached through, if any.
    pub service: Option<(usize, usize)>,
    /// The container (target) port.
    pub target: i32,
}

/// The TCP ports of `w`: every Service port that selects it (by target port), else its
/// declared container ports.
pub(crate) fn workload_ports(a: &Analysis, w: usize) -> Vec<WorkloadPort> {
    let wl = &a.inv.workloads[w];
    let mut out = Vec::new();
    for (si, svc) in a.inv.services.iter().enumerate() {
        if !svc.workloads.contains(&w) {
            continue;
        }
        for (pi, port) in svc.ports.iter().enumerate() {
            if !is_tcp(port) {
                continue;
            }
            if let Some(target) = a.inv.target_port(port, wl) {
                out.push(WorkloadPort {
                    service: Some((si, pi)),
                    target,
                });
            }
        }
    }
    if out.is_empty()
        && let Some(spec) = a.inv.pod_spec(wl)
    {
        let mut seen = BTreeSet::new();
        for p in spec
            .containers
            .iter()
            .flat_map(|c| c.ports.iter().flatten())
        {
            let udp = p
                .protocol
                .as_deref()
                .is_some_and(|x| x.eq_ignore_ascii_case("UDP"));
            if !udp && seen.insert(p.container_port) {
                out.push(WorkloadPort {
                    service: None,
                    target: p.container_port,
                });
            }
        }
    }
    out
}

/// The ports a rule is restricted to by `to.operation.ports` (every `to` entry must list
/// ports) or a `destination.port` condition; `None` when it applies to every port.
pub(crate) fn rule_ports(rule: &Rule) -> Option<BTreeSet<i32>> {
    let parse = |v: &[String]| -> BTreeSet<i32> {
        v.iter().filter_map(|p| p.trim().parse().ok()).collect()
    };
    let mut restricted: Option<BTreeSet<i32>> = None;
    if let Some(to) = &rule.to
        && !to.is_empty()
        && to
            .iter()
            .all(|t| t.operation.as_ref().is_some_and(|o| !o.ports.is_empty()))
    {
        restricted = Some(
            to.iter()
                .flat_map(|t| parse(t.operation.as_ref().map_or(&[][..], |o| &o.ports)))
                .collect(),
        );
    }
    for c in rule.when.iter().flatten() {
        if c.key == "destination.port" && !c.values.is_empty() {
            let set = parse(&c.values);
            restricted = Some(match restricted {
                Some(r) => r.intersection(&set).copied().collect(),
                None => set,
            });
        }
    }
    restricted
}

/// `ns/name port N`, how findings name a workload port.
pub(crate) fn port_label(a: &Analysis, w: usize, p: &WorkloadPort) -> String {
    format!("{} port {}", a.inv.workloads[w].id(), p.target)
}

/// Whether a policy is a dry-run (shadow) policy.
pub(crate) fn dry_run(o: &Object) -> bool {
    authz::is_dry_run(o.annotations())
}
