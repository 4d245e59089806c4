//! `selector-matches-nothing`: PeerAuthentication, RequestAuthentication and
//! AuthorizationPolicy objects that apply to no workload of the mesh, so they protect nothing.
//!
//! The scope rules follow istioctl's `AuthorizationPoliciesAnalyzer` (IST0127,
//! research/istioctl.md §3.2) for all three kinds, and Kiali's workload selector checker
//! (KIA0004) for the selector case. Only workloads with a proxy count (sidecar, ambient or
//! gateway, as decided by `resolve::proxy`, plus pods that ztunnel already captured).

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::model::istio::common::{TargetRef, WorkloadSelector};
use crate::model::kind::Kind;
use crate::model::labels::Labels;
use crate::model::resource::{Body, Object};
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports PeerAuthentication, RequestAuthentication and AuthorizationPolicy objects that
    /// apply to no workload with an Istio proxy (sidecar, ambient or gateway) in the inputs:
    ///
    /// - a `selector.matchLabels` that matches no such workload of the policy's namespace;
    /// - in the root namespace (`istio-system` unless mesh config says otherwise), a
    ///   RequestAuthentication or AuthorizationPolicy selector that matches no such workload in
    ///   any namespace (root-namespace selectors apply mesh-wide);
    /// - a PeerAuthentication with a selector in the root namespace: Istio ignores it;
    /// - a policy without selector in a namespace that has no workload with a proxy.
    ///
    /// Policies without selector in the root namespace (mesh-wide) and policies that use
    /// `targetRef`/`targetRefs` instead of a selector are not checked. When the inputs contain
    /// no workload at all (policy-only manifests), nothing is reported: meshlint cannot tell
    /// what the cluster runs.
    ///
    /// ## Why is this bad?
    /// A policy that selects nothing enforces nothing. Usually a label is misspelt (`app:
    /// reviews` vs `app: review`), the pods live in another namespace, or the pods have no
    /// proxy: the ALLOW/DENY rules, the mTLS mode or the JWT requirement you think is in force
    /// is not. A selector on a PeerAuthentication in the root namespace looks like a workload
    /// policy but is silently skipped by Istio.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: httpbin, namespace: httpbin}
    /// spec:
    ///   selector:
    ///     matchLabels: {app: http-bin}   # the pods are labelled app: httpbin
    ///   rules:
    ///   - from:
    ///     - source: {namespaces: [frontend]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   selector:
    ///     matchLabels: {app: httpbin}
    /// ```
    /// For a workload PeerAuthentication, put it in the workload's namespace, not the root
    /// namespace.
    ///
    /// ## References
    /// - istioctl IST0127 (NoMatchingWorkloadsFound), `pkg/config/analysis/analyzers/authz/authorizationpolicies.go`
    /// - Kiali KIA0004, `business/checkers/common/workload_selector_checker.go`
    /// - Istio `PeerAuthentication` reference: "a selector in the root namespace is ignored"
    pub static RULE = {
        code: "ML0301",
        name: "selector-matches-nothing",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: ["IST0127"],
        kiali: ["KIA0004"],
        summary: "security policy whose selector or namespace holds no workload in the mesh",
        check: check,
    }
}

/// Set by the ambient CNI on pods ztunnel captured: the pod is in the mesh even if nothing in
/// the manifest says so (live cluster dumps, istioctl's test data).
const AMBIENT_REDIRECTION: &str = "ambient.istio.io/redirection";

/// The selector and target references of a policy, if the object is one of the three kinds.
fn scope(o: &Object) -> Option<(Option<&WorkloadSelector>, bool)> {
    let has_targets =
        |one: &Option<TargetRef>, many: &[TargetRef]| one.is_some() || !many.is_empty();
    match &o.body {
        Body::PeerAuthentication(s) => Some((s.selector.as_ref(), false)),
        Body::RequestAuthentication(s) => Some((
            s.selector.as_ref(),
            has_targets(&s.target_ref, &s.target_refs),
        )),
        Body::AuthorizationPolicy(s) => Some((
            s.selector.as_ref(),
            has_targets(&s.target_ref, &s.target_refs),
        )),
        _ => None,
    }
}

fn in_mesh(a: &Analysis, i: usize) -> bool {
    a.proxies[i].kind.in_mesh()
        || a.inv.workloads[i]
            .annotations
            .get(AMBIENT_REDIRECTION)
            .is_some_and(|v| v == "enabled")
}

fn labels_text(labels: &Labels) -> String {
    labels
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(",")
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if a.inv.workloads.is_empty() {
        return;
    }
    let root = a.inv.root_namespace();
    for kind in [
        Kind::PeerAuthentication,
        Kind::RequestAuthentication,
        Kind::AuthorizationPolicy,
    ] {
        for (_, o) in a.inv.of_kind(kind) {
            let Some((selector, has_targets)) = scope(o) else {
                continue;
            };
            let labels = selector.map(|s| &s.match_labels).filter(|l| !l.is_empty());
            if has_targets && labels.is_none() {
                continue;
            }
            let ns = o.namespace();
            // Only a namespace whose workloads the inputs hold can show that a selector (or a
            // namespace-wide policy) meets none: policies kept apart from the apps say nothing.
            if ns != root && a.inv.workloads_in(ns).next().is_none() {
                continue;
            }
            let is_ap = kind == Kind::AuthorizationPolicy;
            let ist: &[&'static str] = if is_ap { &["IST0127"] } else { &[] };
            match labels {
                None if ns == root => {}
                None => {
                    if a.inv.workloads_in(ns).any(|(i, _)| in_mesh(a, i)) {
                        continue;
                    }
                    let outside = a.inv.workloads_in(ns).count();
                    let message = format!(
                        "namespace-wide {} applies to no workload: none of the {outside} workloads of namespace {ns} has an Istio proxy",
                        kind.name()
                    );
                    out.push(
                        Finding::new(&RULE, message)
                            .on(o, "metadata.namespace")
                            .help("deploy the workloads with a proxy into this namespace, or move or delete the policy")
                            .codes(ist, &[]),
                    );
                }
                Some(labels) if ns == root && kind == Kind::PeerAuthentication => {
                    out.push(
                        Finding::new(
                            &RULE,
                            format!(
                                "PeerAuthentication with a selector in the root namespace {root} is ignored by Istio"
                            ),
                        )
                        .on(o, "spec.selector")
                        .help(format!(
                            "move it to the namespace of the workloads labelled {}, or remove the selector to make it mesh-wide",
                            labels_text(labels)
                        ))
                        .codes(&[], &[]),
                    );
                }
                Some(labels) => {
                    let mesh_wide = ns == root;
                    let matching: Vec<usize> = if mesh_wide {
                        a.inv
                            .workloads
                            .iter()
                            .enumerate()
                            .filter(|(_, w)| labels.selects(&w.labels))
                            .map(|(i, _)| i)
                            .collect()
                    } else {
                        a.inv.select_workloads(ns, labels).map(|(i, _)| i).collect()
                    };
                    if matching.iter().any(|&i| in_mesh(a, i)) {
                        continue;
                    }
                    let where_ = if mesh_wide {
                        "any namespace (root-namespace selectors apply mesh-wide)".to_owned()
                    } else {
                        format!("namespace {ns}")
                    };
                    let sel = labels_text(labels);
                    let mut f = if matching.is_empty() {
                        // KIA0004 is Kiali's namespace-local check only.
                        let kia: &[&'static str] = if mesh_wide { &[] } else { &["KIA0004"] };
                        Finding::new(
                            &RULE,
                            format!("selector {sel} matches no workload in {where_}"),
                        )
                        .codes(ist, kia)
                        .help("fix the labels so they match the pods' labels, or move the policy to the pods' namespace")
                    } else {
                        Finding::new(
                            &RULE,
                            format!(
                                "selector {sel} matches only workloads without an Istio proxy in {where_}"
                            ),
                        )
                        .codes(ist, &[])
                        .help("inject a sidecar into the selected workloads (or enroll them in ambient), or the policy is not enforced")
                    };
                    f = f.on(o, "spec.selector.matchLabels");
                    for &i in &matching {
                        let w = &a.inv.workloads[i];
                        f = f.related(
                            &a.inv.objects[w.object],
                            "metadata",
                            format!("selected workload {} has no proxy", w.id()),
                        );
                    }
                    out.push(f);
                }
            }
        }
    }
}
