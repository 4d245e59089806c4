//! One answer each for the namespace questions every rule and command asks: which namespaces
//! the platform owns, in which namespaces sidecar clients run (the hypothetical clients of
//! SPEC §3.6), which Services are mesh servers, and which object holds the mesh config.

use std::collections::BTreeSet;

use super::proxy::{NamespaceInjection, ProxyDecision, ProxyKind, namespace_injection};
use crate::model::inventory::{Inventory, ServiceInfo};
use crate::model::kind::Kind;
use crate::model::labels::Labels;
use crate::version::Profile;

/// Namespaces Kubernetes (or kind's storage provisioner) owns: no mesh workload runs there
/// and no finding is about them (Istio's `IgnoredNamespaces`, `pkg/kube/inject/inject.go`,
/// lists the `kube-*` ones).
pub fn is_platform_namespace(ns: &str) -> bool {
    ns.starts_with("kube-") || ns == "local-path-storage"
}

/// The namespaces where sidecar clients run, sorted: those holding a workload with a sidecar
/// or a gateway, those whose labels make the webhook inject new pods, and those holding a
/// DestinationRule (client-side configuration, written for the proxies there). When the inputs say
/// nothing of either (policies only: no proxied workload, no injection label), every
/// namespace of the inputs and the root namespace stand in, as if injected.
///
/// The client namespace decides which DestinationRule a client uses (SPEC §3.3), so this is
/// the set of hypothetical clients the mTLS rules, `describe` and `check` all reason about.
pub fn client_namespaces(
    inv: &Inventory,
    proxies: &[ProxyDecision],
    profile: &Profile,
) -> Vec<String> {
    let mut out: BTreeSet<&str> = BTreeSet::new();
    for (w, d) in inv.workloads.iter().zip(proxies) {
        if matches!(d.kind, ProxyKind::Sidecar | ProxyKind::Gateway) {
            out.insert(&w.namespace);
        }
    }
    for ns in &inv.namespaces {
        if matches!(
            namespace_injection(inv.namespace_labels(ns), profile),
            NamespaceInjection::Enabled(_)
        ) {
            out.insert(ns);
        }
    }
    for (_, o) in inv.of_kind(Kind::DestinationRule) {
        out.insert(o.namespace());
    }
    if out.is_empty() {
        out.extend(inv.namespaces.iter().map(String::as_str));
        out.insert(inv.root_namespace());
    }
    out.into_iter()
        .filter(|ns| !ns.is_empty() && !is_platform_namespace(ns))
        .map(str::to_owned)
        .collect()
}

/// Whether a Service is a mesh server the rules judge: a real Service object outside platform
/// namespaces, and not the control plane (root-namespace Services selecting `istio:
/// <component>` pods, which Istio secures on its own; istioctl's analyzer skips them too,
/// research/istioctl.md §3.1).
pub fn is_mesh_service(inv: &Inventory, s: &ServiceInfo) -> bool {
    let component = |labels: &Labels| {
        labels
            .get("istio")
            .is_some_and(|v| !v.ends_with("gateway") && v != "router")
    };
    let control_plane = s.namespace == inv.root_namespace()
        && (inv.service_selector(s).is_some_and(component)
            || s.object.is_some_and(|i| component(inv.objects[i].labels())));
    s.object.is_some() && !is_platform_namespace(&s.namespace) && !control_plane
}

/// The ConfigMap whose `data.mesh` holds the mesh config, when it is in the inputs (index into
/// `inv.objects`).
pub fn mesh_config_object(inv: &Inventory) -> Option<usize> {
    inv.of_kind(Kind::ConfigMap).map(|(i, _)| i).find(|&i| {
        let o = &inv.objects[i];
        inv.mesh_sources
            .iter()
            .any(|s| s.origin == o.origin && s.description.starts_with("ConfigMap"))
    })
}
