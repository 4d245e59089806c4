//! Which AuthorizationPolicies apply to a workload: root-namespace, namespace and selector
//! scope, targetRefs, dry-run (research/authz-semantics.md §2).

use super::*;

/// Whether the workload is a Kubernetes Gateway API gateway or waypoint (§2.3).
pub fn is_gateway_api(labels: &crate::model::labels::Labels) -> bool {
    gateway_name(labels).is_some()
}

/// The `gateway.networking.k8s.io/gateway-name` label, looked up interned: it is asked of
/// every workload for every policy (issue 14).
fn gateway_name(labels: &crate::model::labels::Labels) -> Option<crate::model::labels::Name> {
    static KEY: std::sync::LazyLock<crate::model::labels::Name> =
        std::sync::LazyLock::new(|| GATEWAY_NAME_LABEL.into());
    labels.get_name(*KEY)
}

/// Whether a policy of `policy_ns` with this selector/targetRefs applies to `workload` (§2.1–3).
/// Shared by AuthorizationPolicy and RequestAuthentication (§8 "Selection").
pub fn applies_to(
    a: &Analysis,
    policy_ns: &str,
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    workload: usize,
) -> bool {
    let w = &a.inv.workloads[workload];
    if policy_ns != a.inv.root_namespace() && policy_ns != w.namespace {
        return false;
    }
    let mut refs = target_ref.into_iter().chain(target_refs);
    if let Some(name) = gateway_name(&w.labels) {
        // A Gateway API gateway or waypoint (`is_gateway_api`): only targetRefs attach; kind
        // Gateway in the same namespace naming this gateway.
        return refs.any(|r| {
            r.kind == "Gateway"
                && r.name == name
                && policy_ns == w.namespace
                && (r.namespace.is_empty() || r.namespace == w.namespace)
        });
    }
    if refs.next().is_some() {
        // Ordinary sidecars (and Istio's own ingress gateways) ignore targetRef policies.
        return false;
    }
    selector.is_none_or(|s| s.match_labels.selects(&w.labels))
}

/// The workloads (indexes into `inv.workloads`, ascending) a policy of `policy_ns` with this
/// selector/targetRefs applies to ([`applies_to`]): only those of its namespace are looked at,
/// or every workload for the root namespace.
pub fn selected_workloads(
    a: &Analysis,
    policy_ns: &str,
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
) -> Vec<usize> {
    let check = |&w: &usize| applies_to(a, policy_ns, selector, target_ref, target_refs, w);
    if policy_ns == a.inv.root_namespace() {
        (0..a.inv.workloads.len()).filter(check).collect()
    } else {
        a.inv
            .workloads_by_namespace
            .get(policy_ns)
            .into_iter()
            .flatten()
            .copied()
            .filter(check)
            .collect()
    }
}

/// The AuthorizationPolicies (object indexes) that apply to `workload`, oldest first.
pub fn applicable(a: &Analysis, workload: usize) -> Vec<usize> {
    applicable_of(a, Kind::AuthorizationPolicy, workload)
}

/// The policies of `kind` (AuthorizationPolicy or RequestAuthentication) that apply to
/// `workload` by namespace, selector or targetRef, oldest first (authz-semantics §2, §8
/// "Selection"): the one scope rule both kinds share.
pub fn applicable_of(a: &Analysis, kind: Kind, workload: usize) -> Vec<usize> {
    let ns = a.inv.workloads[workload].namespace.as_str();
    a.policies
        .request_policies_in(kind, &[ns, a.inv.root_namespace()])
        .into_iter()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            let (selector, target_ref, target_refs) = match &o.body {
                Body::AuthorizationPolicy(s) => {
                    (s.selector.as_ref(), s.target_ref.as_ref(), &s.target_refs)
                }
                Body::RequestAuthentication(s) => {
                    (s.selector.as_ref(), s.target_ref.as_ref(), &s.target_refs)
                }
                _ => return false,
            };
            applies_to(
                a,
                o.namespace(),
                selector,
                target_ref,
                target_refs,
                workload,
            )
        })
        .collect()
}

/// `istio.io/dry-run` parsed like Go's `strconv.ParseBool` (§2.6).
pub fn is_dry_run(annotations: &std::collections::BTreeMap<String, String>) -> bool {
    matches!(
        annotations.get(DRY_RUN_ANNOTATION).map(String::as_str),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True")
    )
}

/// `ns[<namespace>]-policy[<name>]-rule[<index>]`, the name Envoy logs (§2).
pub fn rule_name(ns: &str, name: &str, rule: usize) -> String {
    format!("ns[{ns}]-policy[{name}]-rule[{rule}]")
}
