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
            Body::AuthorizationPolicy(s) => Some((i, o, &**s)),
            _ => None,
        })
}

/// The workloads (with any kind of proxy) an AuthorizationPolicy applies to.
pub(crate) fn policy_workloads(
    a: &Analysis,
    o: &Object,
    s: &AuthorizationPolicySpec,
) -> Vec<usize> {
    authz::selected_workloads(
        a,
        o.namespace(),
        s.selector.as_ref(),
        s.target_ref.as_ref(),
        &s.target_refs,
    )
    .into_iter()
    .filter(|&w| a.proxies[w].kind != ProxyKind::None)
    .collect()
}

pub(crate) use crate::resolve::ports::{WorkloadPort, workload_ports};

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
