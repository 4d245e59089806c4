//! Ambient waypoints: which waypoint serves a Service, and which policies attach to it by
//! targetRef (research/authz-semantics.md §2.3, §14.9).

use super::*;

/// Label enrolling a namespace, Service or pod in a waypoint (istio-semantics §9).
pub const USE_WAYPOINT_LABEL: &str = "istio.io/use-waypoint";
/// Label naming the waypoint's namespace when it is not the labelled object's own.
pub const USE_WAYPOINT_NAMESPACE_LABEL: &str = "istio.io/use-waypoint-namespace";
/// Istio's own gateway-name label, also carried by waypoint pods.
pub const ISTIO_GATEWAY_NAME_LABEL: &str = "istio.io/gateway-name";
/// The GatewayClass every waypoint belongs to (§2.3: a root-namespace policy targeting it
/// attaches to all waypoints).
pub const WAYPOINT_CLASS: &str = "istio-waypoint";

/// The waypoint a destination uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waypoint {
    /// The waypoint Gateway's name and namespace.
    pub name: String,
    pub namespace: String,
    /// Which label enrolled the destination, for explanations.
    pub by: String,
    /// The waypoint's own workload, when its Deployment is among the inputs.
    pub workload: Option<usize>,
}

impl Waypoint {
    /// The waypoint's service account: its workload's, else the Gateway's name (the account
    /// Istio's deployment controller creates for it).
    pub fn service_account(&self, a: &Analysis) -> String {
        self.workload.map_or_else(
            || self.name.clone(),
            |w| a.inv.workloads[w].service_account.clone(),
        )
    }
}

/// The `istio.io/use-waypoint` label of one object: `Some(None)` opts out (`none`).
fn use_waypoint(
    labels: &crate::model::labels::Labels,
    own_ns: &str,
) -> Option<Option<(String, String)>> {
    let name = labels.get(USE_WAYPOINT_LABEL)?;
    if name.is_empty() || name == "none" {
        return Some(None);
    }
    let ns = labels
        .get(USE_WAYPOINT_NAMESPACE_LABEL)
        .filter(|n| !n.is_empty())
        .unwrap_or(own_ns);
    Some(Some((name.to_owned(), ns.to_owned())))
}

/// The waypoint a request to `svc` landing on `workload` goes through (istio-semantics §9):
/// the pod label beats the Service label beats the namespace label; `none` opts out at that
/// level. The label alone is taken as proof the waypoint exists (meshlint does not read
/// Gateway API Gateways); its workload is found by its gateway-name label.
pub fn waypoint_for(a: &Analysis, svc: &ServiceInfo, workload: usize) -> Option<Waypoint> {
    let w = &a.inv.workloads[workload];
    let svc_labels = svc.object.map(|i| a.inv.objects[i].labels());
    let levels = [
        ("pod", Some(&w.labels), w.namespace.as_str()),
        ("Service", svc_labels, svc.namespace.as_str()),
        (
            "namespace",
            Some(a.inv.namespace_labels(&svc.namespace)),
            svc.namespace.as_str(),
        ),
    ];
    let (level, name, namespace) = levels.iter().find_map(|&(level, labels, ns)| {
        use_waypoint(labels?, ns).map(|found| found.map(|(n, ns)| (level, n, ns)))
    })??;
    let workload = a.inv.workloads.iter().position(|x| {
        x.namespace == namespace
            && [GATEWAY_NAME_LABEL, ISTIO_GATEWAY_NAME_LABEL]
                .iter()
                .any(|l| x.labels.get(l) == Some(&name))
    });
    Some(Waypoint {
        by: format!("{level} label {USE_WAYPOINT_LABEL}={name}"),
        name,
        namespace,
        workload,
    })
}

/// Whether a ServiceEntry named `name` in `ns` declares the host of `svc`.
fn service_entry_for(a: &Analysis, ns: &str, name: &str, svc: &ServiceInfo) -> bool {
    let hosts = [
        svc.fqdn("cluster.local"),
        format!("{}.{}.svc", svc.name, svc.namespace),
        format!("{}.{}", svc.name, svc.namespace),
        svc.name.clone(),
    ];
    a.inv.of_kind(Kind::ServiceEntry).any(|(_, o)| {
        o.namespace() == ns
            && o.name() == name
            && matches!(&o.body, Body::ServiceEntry(s) if s.hosts.iter().any(|h| hosts.contains(h)))
    })
}

/// Whether a policy of `policy_ns` with these targetRefs is enforced by `wp` for traffic to
/// `svc` (§2.3, §14.9): selector-only policies never are; `Service` (core group) and
/// `ServiceEntry` refs in the service's namespace, `Gateway` refs naming the waypoint in its
/// namespace, and `GatewayClass istio-waypoint` refs in the root namespace attach.
pub fn applies_at_waypoint(
    a: &Analysis,
    policy_ns: &str,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    svc: &ServiceInfo,
    wp: &Waypoint,
) -> bool {
    target_ref.into_iter().chain(target_refs).any(|r| {
        let ns_ok = |ns: &str| policy_ns == ns && (r.namespace.is_empty() || r.namespace == ns);
        match (r.kind.as_str(), r.group.as_str()) {
            ("Service", "" | "core") => r.name == svc.name && ns_ok(&svc.namespace),
            ("ServiceEntry", "" | "networking.istio.io") => {
                ns_ok(&svc.namespace) && service_entry_for(a, policy_ns, &r.name, svc)
            }
            ("Gateway", "" | "gateway.networking.k8s.io") => {
                r.name == wp.name && ns_ok(&wp.namespace)
            }
            ("GatewayClass", "" | "gateway.networking.k8s.io") => {
                r.name == WAYPOINT_CLASS && policy_ns == a.inv.root_namespace()
            }
            _ => false,
        }
    })
}

/// Whether a policy targets `svc` itself (`Service` or `ServiceEntry` refs): such a policy is
/// enforced only by a waypoint.
pub fn targets_service(
    a: &Analysis,
    policy_ns: &str,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    svc: &ServiceInfo,
) -> bool {
    let nowhere = Waypoint {
        name: String::new(),
        namespace: String::new(),
        by: String::new(),
        workload: None,
    };
    target_ref.into_iter().chain(target_refs).any(|r| {
        matches!(r.kind.as_str(), "Service" | "ServiceEntry")
            && applies_at_waypoint(a, policy_ns, Some(r), &[], svc, &nowhere)
    })
}

/// The targetRefs of an AuthorizationPolicy or RequestAuthentication.
fn refs_of(body: &Body) -> Option<(Option<&TargetRef>, &[TargetRef])> {
    match body {
        Body::AuthorizationPolicy(s) => Some((s.target_ref.as_ref(), &s.target_refs)),
        Body::RequestAuthentication(s) => Some((s.target_ref.as_ref(), &s.target_refs)),
        _ => None,
    }
}

/// The policies of `kind` (AuthorizationPolicy or RequestAuthentication) the waypoint `wp`
/// enforces for traffic to `svc`, oldest first.
pub fn applicable_at_waypoint(
    a: &Analysis,
    kind: Kind,
    svc: &ServiceInfo,
    wp: &Waypoint,
) -> Vec<usize> {
    let namespaces = [
        svc.namespace.as_str(),
        wp.namespace.as_str(),
        a.inv.root_namespace(),
    ];
    a.policies
        .request_policies_in(kind, &namespaces)
        .into_iter()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            refs_of(&o.body)
                .is_some_and(|(r, rs)| applies_at_waypoint(a, o.namespace(), r, rs, svc, wp))
        })
        .collect()
}

/// The policies of `kind` targeting `svc` through Service/ServiceEntry refs, oldest first.
pub fn targeting_service(a: &Analysis, kind: Kind, svc: &ServiceInfo) -> Vec<usize> {
    a.policies
        .request_policies_in(kind, &[svc.namespace.as_str(), a.inv.root_namespace()])
        .into_iter()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            refs_of(&o.body).is_some_and(|(r, rs)| targets_service(a, o.namespace(), r, rs, svc))
        })
        .collect()
}
