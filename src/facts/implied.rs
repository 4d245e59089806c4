//! Policies-only inputs (issue 13, field/partial-inputs/README.md): where the inputs hold no
//! workload and no Service of a namespace, the policies there imply what they govern, and
//! meshlint evaluates that instead of nothing:
//! - a DestinationRule host of a cluster Service (`name` or `name.<ns>.svc.<domain>`) implies
//!   that Service, backed by a sidecar-injected workload (ports: those of `portLevelSettings`,
//!   else one port standing for any);
//! - a `selector` of a PeerAuthentication, RequestAuthentication or AuthorizationPolicy implies
//!   a sidecar-injected workload with those labels in the policy's namespace (ports unknown).
//!
//! Implied objects carry the annotation [`IMPLIED_BY`] and the position of the policy that
//! implies them; findings about them are not reported, and findings that rest on them say so.

use std::collections::{BTreeMap, BTreeSet};

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::kind::Kind;
use crate::model::resource::{Body, ControllerSpec, Object};

/// Annotation on implied objects: `Kind ns/name` of the policy that implies them.
pub const IMPLIED_BY: &str = "meshlint.io/implied-by";

/// The Service port an implied Service gets when no `portLevelSettings` names one: it stands
/// for "any port" (messages say so).
pub const ANY_PORT: i32 = 80;

/// One implied object: what it is, which policy implies it, and how findings name it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Implied {
    /// Index into `inv.objects` (set when appended).
    pub object: usize,
    /// Index of the implying policy.
    pub by: usize,
    /// Strings a finding's message uses when it judges traffic to it: `host:` (a Service port
    /// follows) or `ns/name` (a workload).
    pub mentions: Vec<String>,
    /// The note appended to findings that rest on it.
    pub note: String,
}

fn is_workload_kind(k: Kind) -> bool {
    k.is_workload_controller() || k == Kind::Pod
}

/// The objects the policies of `objects` imply (see the module doc), each with its [`Implied`]
/// (object index relative to the end of `objects`).
/// Nothing is implied in `root` (the mesh root namespace): its selector policies apply mesh-wide
/// and its rules configure the mesh, not workloads that live there.
pub fn implied_objects(objects: &[Object], root: &str) -> Vec<(Object, Implied)> {
    let mut known: BTreeSet<&str> = BTreeSet::new();
    for o in objects {
        if is_workload_kind(o.kind) || o.kind == Kind::Service {
            known.insert(o.namespace());
        }
    }
    let mut out: Vec<(Object, Implied)> = Vec::new();
    let mut services: BTreeSet<(String, String)> = BTreeSet::new();
    let mut selectors: BTreeSet<(String, BTreeMap<String, String>)> = BTreeSet::new();
    // DestinationRule hosts first, then selectors: a selector that an implied Service's
    // workload already satisfies implies nothing more.
    let dr_first = objects
        .iter()
        .enumerate()
        .filter(|(_, o)| o.kind == Kind::DestinationRule)
        .chain(
            objects
                .iter()
                .enumerate()
                .filter(|(_, o)| o.kind != Kind::DestinationRule),
        );
    for (i, o) in dr_first {
        let ns = o.namespace();
        if known.contains(ns) || ns.is_empty() || ns == root {
            continue;
        }
        let by = format!("{} {}/{}", o.kind.name(), ns, o.name());
        match &o.body {
            Body::DestinationRule(dr) => {
                let Some(name) = service_name(&dr.host, ns) else {
                    continue;
                };
                if !services.insert((ns.to_owned(), name.clone())) {
                    continue;
                }
                let mut ports: Vec<i32> = dr
                    .traffic_policy
                    .iter()
                    .flat_map(|t| &t.port_level_settings)
                    .filter_map(|p| p.port.as_ref().map(|p| p.number as i32))
                    .filter(|&p| p > 0)
                    .collect();
                ports.sort_unstable();
                ports.dedup();
                let any = ports.is_empty();
                if any {
                    ports.push(ANY_PORT);
                }
                let labels = BTreeMap::from([("app".to_owned(), name.clone())]);
                let host = format!("{name}.{ns}.svc.cluster.local");
                let note = format!(
                    "rests on Service {ns}/{name} implied by {by} (the inputs hold no workload of {ns}; {})",
                    if any {
                        "its ports are unknown: port 80 stands for any"
                    } else {
                        "ports from its portLevelSettings"
                    }
                );
                out.push((
                    workload(o, &name, &labels, &ports, &by),
                    Implied {
                        object: 0,
                        by: i,
                        // Traffic findings name the Service by `host:port` (below).
                        mentions: Vec::new(),
                        note: note.clone(),
                    },
                ));
                out.push((
                    service(o, &name, &labels, &ports, &by),
                    Implied {
                        object: 0,
                        by: i,
                        mentions: vec![format!("{host}:"), format!("{name}.{ns}:")],
                        note,
                    },
                ));
            }
            Body::PeerAuthentication(_)
            | Body::RequestAuthentication(_)
            | Body::AuthorizationPolicy(_) => {
                let selector = match &o.body {
                    Body::PeerAuthentication(s) => s.selector.as_ref(),
                    Body::RequestAuthentication(s) => s.selector.as_ref(),
                    Body::AuthorizationPolicy(s) => s.selector.as_ref(),
                    _ => None,
                };
                let Some(labels) = selector.map(|s| &s.match_labels).filter(|l| !l.is_empty())
                else {
                    continue;
                };
                let covered = out.iter().any(|(w, _)| {
                    w.kind == Kind::Deployment
                        && w.namespace() == ns
                        && matches!(&w.body, Body::Controller(c) if c
                            .pod_template()
                            .and_then(|t| t.metadata.as_ref())
                            .and_then(|m| m.labels.as_ref())
                            .is_some_and(|l| labels.iter().all(|(k, v)| l.get(k) == Some(v))))
                });
                if covered || !selectors.insert((ns.to_owned(), labels.clone())) {
                    continue;
                }
                let name = labels
                    .get("app")
                    .cloned()
                    .unwrap_or_else(|| format!("implied-{}", selectors.len()));
                let note = format!(
                    "rests on a workload {} implied by the selector of {by} (the inputs hold no workload of {ns})",
                    labels
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                );
                out.push((
                    workload(o, &name, labels, &[], &by),
                    Implied {
                        object: 0,
                        by: i,
                        mentions: vec![format!("{ns}/{name}")],
                        note,
                    },
                ));
            }
            _ => {}
        }
    }
    out
}

/// `name` of a rule host that names a cluster Service of namespace `ns`: a short name, or
/// `name.ns.svc.<domain>`.
fn service_name(host: &str, ns: &str) -> Option<String> {
    if !host.contains('.') && !host.contains('*') && !host.is_empty() {
        return Some(host.to_owned());
    }
    let mut parts = host.split('.');
    let (name, host_ns, svc) = (parts.next()?, parts.next()?, parts.next()?);
    (host_ns == ns && svc == "svc" && !name.contains('*')).then(|| name.to_owned())
}

fn meta(
    policy: &Object,
    name: &str,
    labels: Option<&BTreeMap<String, String>>,
    by: &str,
) -> ObjectMeta {
    ObjectMeta {
        name: Some(name.to_owned()),
        namespace: Some(policy.namespace().to_owned()),
        labels: labels.cloned(),
        annotations: Some(BTreeMap::from([(IMPLIED_BY.to_owned(), by.to_owned())])),
        ..ObjectMeta::default()
    }
}

/// A Deployment whose pods carry `labels` and an injected sidecar.
fn workload(
    policy: &Object,
    name: &str,
    labels: &BTreeMap<String, String>,
    ports: &[i32],
    by: &str,
) -> Object {
    let mut pod_meta = meta(policy, name, Some(labels), by);
    pod_meta
        .annotations
        .get_or_insert_with(BTreeMap::new)
        .insert(
            "sidecar.istio.io/status".to_owned(),
            "{\"containers\":[\"istio-proxy\"]}".to_owned(),
        );
    let container = core::Container {
        name: "app".to_owned(),
        ports: (!ports.is_empty()).then(|| {
            ports
                .iter()
                .map(|&p| core::ContainerPort {
                    container_port: p,
                    ..core::ContainerPort::default()
                })
                .collect()
        }),
        ..core::Container::default()
    };
    let spec = ControllerSpec {
        selector: Some(LabelSelector {
            match_labels: Some(labels.clone()),
            ..LabelSelector::default()
        }),
        template: Some(core::PodTemplateSpec {
            metadata: Some(pod_meta),
            spec: Some(core::PodSpec {
                containers: vec![container],
                ..core::PodSpec::default()
            }),
        }),
        job_template: None,
    };
    Object {
        kind: Kind::Deployment,
        api_version: "apps/v1".to_owned(),
        meta: meta(policy, name, None, by),
        namespace: policy.namespace.clone(),
        origin: policy.origin.clone(),
        node: policy.node.clone(),
        body: Body::Controller(Box::new(spec)),
    }
}

/// A Service selecting `labels` on `ports` (target port = port).
fn service(
    policy: &Object,
    name: &str,
    labels: &BTreeMap<String, String>,
    ports: &[i32],
    by: &str,
) -> Object {
    let spec = core::ServiceSpec {
        selector: Some(labels.clone()),
        ports: Some(
            ports
                .iter()
                .map(|&p| core::ServicePort {
                    port: p,
                    target_port: Some(IntOrString::Int(p)),
                    ..core::ServicePort::default()
                })
                .collect(),
        ),
        ..core::ServiceSpec::default()
    };
    Object {
        kind: Kind::Service,
        api_version: "v1".to_owned(),
        meta: meta(policy, name, None, by),
        namespace: policy.namespace.clone(),
        origin: policy.origin.clone(),
        node: policy.node.clone(),
        body: Body::Service(Box::new(spec)),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::load::{LoadOptions, load_text};

    fn implied(text: &str) -> Vec<(String, String)> {
        let (objects, issues, _) = load_text(&Arc::from("t.yaml"), text, &LoadOptions::default());
        assert!(issues.is_empty(), "{issues:?}");
        implied_objects(&objects, "istio-system")
            .into_iter()
            .map(|(o, _)| (o.kind.name().to_owned(), o.qualified_name()))
            .collect()
    }

    const DR: &str = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: api, namespace: orders}\nspec:\n  host: api.orders.svc.cluster.local\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: 8080}\n      tls: {mode: DISABLE}\n";
    const AP: &str = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: orders}\nspec:\n  selector: {matchLabels: {app: worker}}\n";

    /// field/partial-inputs/README.md: a rule host implies a Service and its injected workload, a
    /// selector a workload; real workloads or Services of the namespace imply nothing; the root
    /// namespace never implies.
    #[test]
    fn what_policies_imply() {
        assert_eq!(
            implied(&format!("{DR}---\n{AP}")),
            [
                ("Deployment".to_owned(), "orders/api".to_owned()),
                ("Service".to_owned(), "orders/api".to_owned()),
                ("Deployment".to_owned(), "orders/worker".to_owned()),
            ]
        );
        let real = "apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: orders}\nspec: {ports: [{port: 80}]}\n";
        assert!(implied(&format!("{DR}---\n{AP}---\n{real}")).is_empty());
        assert!(implied(&DR.replace("orders", "istio-system")).is_empty());
    }
}
