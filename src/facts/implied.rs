//! Policies-only inputs (issue 13, field/partial-inputs/README.md): where the inputs hold no
//! workload and no Service of a namespace, the policies there imply what they govern, and
//! meshlint evaluates that instead of nothing:
//! - a DestinationRule host of a cluster Service (`name`, or `name.<ns>.svc.<domain>` of any
//!   namespace) implies that Service, backed by a sidecar-injected workload (ports: those of
//!   `portLevelSettings`, else one port standing for any);
//! - a `selector` of a PeerAuthentication, RequestAuthentication or AuthorizationPolicy implies
//!   a sidecar-injected workload with those labels in the policy's namespace, behind a Service
//!   on the port that stands for any;
//! - a namespace-wide policy (no selector, or a DestinationRule host `*.<ns>.svc.<domain>`)
//!   implies, where nothing else is implied in that namespace, a Service [`ANY_SERVICE`]
//!   standing for any workload of it;
//! - a mesh-wide policy (a root-namespace PeerAuthentication without selector, a DestinationRule
//!   host that names no namespace such as `*.local`) implies, when the inputs hold no workload
//!   or Service at all, the Service [`ANY_SERVICE`] in [`ANY_NAMESPACE`], standing for a
//!   namespace with no policies of its own.
//!
//! Each implied namespace is injected (its workloads carry sidecars), as the README says.
//! Implied objects carry the annotation [`IMPLIED_BY`] and the position of the policy that
//! implies them; findings about them are not reported, and findings that rest on them say so.

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashSet;

use crate::model::labels::Labels;
use crate::model::meta::ObjectMeta;
use crate::model::selector::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::model::inventory::API_SERVER;
use crate::model::kind::Kind;
use crate::model::resource::{Body, ControllerSpec, Object, ObjectData};
use crate::model::{pod, service};

/// Annotation on implied objects: `Kind ns/name` of the policy that implies them.
pub const IMPLIED_BY: &str = "meshlint.io/implied-by";

/// The Service port an implied Service gets when no `portLevelSettings` names one: it stands
/// for "any port" (messages say so).
pub const ANY_PORT: i32 = 80;

/// The name of the implied Service (and workload) that stands for any workload of a namespace.
pub const ANY_SERVICE: &str = "any";

/// The implied namespace that stands for a namespace of the mesh with no policies of its own
/// (mesh-wide policies, inputs without any workload).
pub const ANY_NAMESPACE: &str = "any-namespace";

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

/// What a DestinationRule host names, for implication.
enum HostScope {
    /// One cluster Service: `(namespace, name)`.
    Service(String, String),
    /// Every Service of a namespace (`*.<ns>.svc.<domain>`).
    Namespace(String),
    /// Services of every namespace (`*`, `*.local`, `*.cluster.local`, `*.svc.cluster.local`).
    Mesh,
}

/// The scope of DestinationRule `host` written in namespace `ns`, by Istio's host matching
/// (research/istio-semantics.md §4 "Host matching": a short name is `<host>.<ns>.svc.<domain>`,
/// a name with a dot is taken as written, a wildcard matches every host its text after `*` is a
/// suffix of, so `*`, `*.local` … `*.svc.cluster.local` cover every Service); hosts outside the
/// cluster domain name nothing.
fn host_scope(host: &str, ns: &str) -> Option<HostScope> {
    if host.is_empty() {
        return None;
    }
    if host == "*" {
        return Some(HostScope::Mesh);
    }
    if !host.contains('.') {
        return (!host.contains('*')).then(|| HostScope::Service(ns.to_owned(), host.to_owned()));
    }
    if let Some(rest) = host.strip_prefix("*.") {
        // `*.local` … `*.svc.cluster.local`: a suffix of the cluster domain on a label boundary.
        if "svc.cluster.local".ends_with(rest) && "svc.cluster.local".len() == rest.len()
            || "svc.cluster.local".ends_with(&format!(".{rest}"))
        {
            return Some(HostScope::Mesh);
        }
        let mut parts = rest.splitn(3, '.');
        let (host_ns, svc) = (parts.next()?, parts.next()?);
        return (svc == "svc" && !host_ns.contains('*'))
            .then(|| HostScope::Namespace(host_ns.to_owned()));
    }
    let mut parts = host.splitn(4, '.');
    let (name, host_ns, svc) = (parts.next()?, parts.next()?, parts.next()?);
    (svc == "svc" && !name.contains('*') && !host_ns.contains('*'))
        .then(|| HostScope::Service(host_ns.to_owned(), name.to_owned()))
}

/// The `matchLabels` of a selector policy: `Some(empty)` for a namespace-wide one (no
/// selector, no `targetRefs`), `None` for other kinds and for `targetRefs` policies.
fn policy_labels(o: &Object) -> Option<&Labels> {
    static NO_LABELS: Labels = Labels::new();
    let (selector, targeted) = match &o.body {
        Body::PeerAuthentication(s) => (s.selector.as_ref(), false),
        Body::RequestAuthentication(s) => (
            s.selector.as_ref(),
            s.target_ref.is_some() || !s.target_refs.is_empty(),
        ),
        Body::AuthorizationPolicy(s) => (
            s.selector.as_ref(),
            s.target_ref.is_some() || !s.target_refs.is_empty(),
        ),
        _ => return None,
    };
    (!targeted).then(|| selector.map_or(&NO_LABELS, |s| &s.match_labels))
}

/// Collects the implied objects, one Service (and its workload) per `(namespace, name)`.
#[derive(Default)]
struct Implier {
    out: Vec<(Object, Implied)>,
    services: BTreeSet<(String, String)>,
}

impl Implier {
    /// Whether something is implied in `ns` already.
    fn has_namespace(&self, ns: &str) -> bool {
        self.services.iter().any(|(n, _)| n == ns)
    }

    /// Whether a workload implied in `ns` carries every label of `labels`.
    fn covers(&self, ns: &str, labels: &Labels) -> bool {
        self.out.iter().any(|(w, _)| {
            w.kind == Kind::Deployment
                && w.namespace() == ns
                && matches!(&w.body, Body::Controller(c) if c
                    .pod_template()
                    .and_then(|t| t.metadata.as_ref())
                    .and_then(|m| m.labels.as_ref())
                    .is_some_and(|l| labels.iter().all(|(k, v)| l.get(k) == Some(v))))
        })
    }

    /// Implies Service `ns/name` on `ports` (empty: [`ANY_PORT`]) and its injected workload with
    /// `labels`, because of policy `by` (index `i`); `stands_for` ends the note.
    #[allow(clippy::too_many_arguments)]
    fn imply(
        &mut self,
        policy: &Object,
        i: usize,
        ns: &str,
        name: &str,
        labels: &Labels,
        ports: &[i32],
        stands_for: &str,
    ) {
        if !self.services.insert((ns.to_owned(), name.to_owned())) {
            return;
        }
        let by = format!(
            "{} {}/{}",
            policy.kind.name(),
            policy.namespace(),
            policy.name()
        );
        let any = ports.is_empty();
        let ports: Vec<i32> = if any { vec![ANY_PORT] } else { ports.to_vec() };
        let port_note = if any {
            "its ports are unknown: port 80 stands for any"
        } else {
            "ports from the policy's port-level settings"
        };
        let note =
            format!("rests on Service {ns}/{name} implied by {by} ({stands_for}; {port_note})");
        let at = Placement {
            policy,
            ns,
            name,
            by: &by,
        };
        let host = format!("{name}.{ns}.svc.cluster.local");
        self.out.push((
            at.workload(labels, &ports),
            Implied {
                object: 0,
                by: i,
                // Traffic findings name a rule host's Service by `host:port` (below), and
                // `ns/name` would also match the rule itself; the workload of a selector is
                // named `ns/name`; the stand-in namespace is named bare, as a client namespace.
                mentions: if policy.kind == Kind::DestinationRule && ns != ANY_NAMESPACE {
                    Vec::new()
                } else if ns == ANY_NAMESPACE {
                    vec![format!("{ns}/{name}"), ANY_NAMESPACE.to_owned()]
                } else {
                    vec![format!("{ns}/{name}")]
                },
                note: note.clone(),
            },
        ));
        self.out.push((
            at.service(labels, &ports),
            Implied {
                object: 0,
                by: i,
                mentions: vec![format!("{host}:"), format!("{name}.{ns}:")],
                note,
            },
        ));
    }
}

/// The objects the policies of `objects` imply (see the module doc), each with its [`Implied`]
/// (object index relative to the end of `objects`).
/// Nothing is implied in `root` (the mesh root namespace): its selector policies apply mesh-wide
/// and its rules configure the mesh, not workloads that live there.
pub fn implied_objects(objects: &[Object], root: &str) -> Vec<(Object, Implied)> {
    // Objects come namespace by namespace mostly: a namespace is looked up once per run.
    let mut known: FxHashSet<&str> = FxHashSet::default();
    let mut last = None;
    for o in objects {
        if (is_workload_kind(o.kind) || o.kind == Kind::Service) && last != Some(o.namespace()) {
            last = Some(o.namespace());
            known.insert(o.namespace());
        }
    }
    let open = |ns: &str| !known.contains(ns) && !ns.is_empty() && ns != root;
    let mut im = Implier::default();
    let mut namespace_wide: Vec<(usize, String)> = Vec::new();
    let mut mesh_wide: Option<usize> = None;
    // DestinationRule hosts first, then selectors: a selector that an implied Service's
    // workload already satisfies implies nothing more.
    for (i, o) in objects.iter().enumerate() {
        let Body::DestinationRule(dr) = &o.body else {
            continue;
        };
        match host_scope(&dr.host, o.namespace()) {
            // The API server's Service is always there (model/inventory.rs).
            Some(HostScope::Service(ns, name))
                if open(&ns) && (ns.as_str(), name.as_str()) != API_SERVER =>
            {
                let mut ports: Vec<i32> = dr
                    .traffic_policy
                    .iter()
                    .flat_map(|t| &t.port_level_settings)
                    .filter_map(|p| p.port.as_ref().map(|p| p.number as i32))
                    .filter(|&p| p > 0)
                    .collect();
                ports.sort_unstable();
                ports.dedup();
                let labels = Labels::from_iter([("app", name.as_str())]);
                let why = format!("the inputs hold no workload of {ns}");
                im.imply(o, i, &ns, &name, &labels, &ports, &why);
            }
            Some(HostScope::Namespace(ns)) if open(&ns) => namespace_wide.push((i, ns)),
            Some(HostScope::Mesh) => {
                mesh_wide.get_or_insert(i);
            }
            _ => {}
        }
    }
    let mut selectors = 0;
    for (i, o) in objects.iter().enumerate() {
        let Some(labels) = policy_labels(o) else {
            continue;
        };
        let ns = o.namespace();
        if labels.is_empty() {
            if ns == root && o.kind == Kind::PeerAuthentication {
                mesh_wide.get_or_insert(i);
            } else if open(ns) {
                namespace_wide.push((i, ns.to_owned()));
            }
            continue;
        }
        if !open(ns) || im.covers(ns, labels) {
            continue;
        }
        selectors += 1;
        let name = labels
            .get("app")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("implied-{selectors}"));
        let why = format!(
            "a workload {} selected by it; the inputs hold no workload of {ns}",
            labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        // A PeerAuthentication's portLevelMtls names ports of the workload it selects
        // (target ports, research/istio-semantics.md §3 "Port level").
        let ports: Vec<i32> = match &o.body {
            Body::PeerAuthentication(pa) => pa
                .port_level_mtls
                .keys()
                .filter_map(|&p| i32::try_from(p).ok().filter(|&p| p > 0))
                .collect(),
            _ => Vec::new(),
        };
        im.imply(o, i, ns, &name, labels, &ports, &why);
    }
    for (i, ns) in namespace_wide {
        if !im.has_namespace(&ns) {
            let labels = Labels::from_iter([("app", ANY_SERVICE)]);
            let why = format!("it stands for any workload of {ns}, which the inputs do not hold");
            im.imply(&objects[i], i, &ns, ANY_SERVICE, &labels, &[], &why);
        }
    }
    if let Some(i) = mesh_wide.filter(|_| known.is_empty()) {
        let labels = Labels::from_iter([("app", ANY_SERVICE)]);
        let why = "the inputs hold no workload: it stands for one in a namespace without policies of its own";
        im.imply(
            &objects[i],
            i,
            ANY_NAMESPACE,
            ANY_SERVICE,
            &labels,
            &[],
            why,
        );
    }
    im.out
}

/// Where an implied object goes: the implying policy (for file position), its namespace and
/// name, and the `Kind ns/name` of the policy for the [`IMPLIED_BY`] annotation.
struct Placement<'a> {
    policy: &'a Object,
    ns: &'a str,
    name: &'a str,
    by: &'a str,
}

impl Placement<'_> {
    fn meta(&self, labels: Option<&Labels>) -> ObjectMeta {
        ObjectMeta {
            name: Some(self.name.to_owned()),
            namespace: Some(self.ns.to_owned()),
            labels: labels.cloned(),
            annotations: Some(BTreeMap::from([(
                IMPLIED_BY.to_owned(),
                self.by.to_owned(),
            )])),
            ..ObjectMeta::default()
        }
    }

    fn object(&self, kind: Kind, api_version: &str, body: Body) -> Object {
        Object::new(
            self.policy.origin.clone(),
            ObjectData {
                kind,
                api_version: api_version.to_owned(),
                meta: self.meta(None),
                namespace: Some(self.ns.to_owned()),
                source: self.policy.source.clone(),
                body,
            },
        )
    }

    /// A Deployment whose pods carry `labels` and an injected sidecar.
    fn workload(&self, labels: &Labels, ports: &[i32]) -> Object {
        let mut pod_meta = self.meta(Some(labels));
        pod_meta
            .annotations
            .get_or_insert_with(BTreeMap::new)
            .insert(
                "sidecar.istio.io/status".to_owned(),
                "{\"containers\":[\"istio-proxy\"]}".to_owned(),
            );
        let container = pod::Container {
            name: "app".to_owned(),
            ports: Some(
                ports
                    .iter()
                    .map(|&p| pod::ContainerPort {
                        container_port: p,
                        ..pod::ContainerPort::default()
                    })
                    .collect(),
            ),
            ..pod::Container::default()
        };
        let spec = ControllerSpec {
            selector: Some(LabelSelector {
                match_labels: Some(labels.clone()),
                ..LabelSelector::default()
            }),
            template: Some(pod::PodTemplateSpec {
                metadata: Some(pod_meta),
                spec: Some(pod::PodSpec {
                    containers: vec![container],
                    ..pod::PodSpec::default()
                }),
            }),
            job_template: None,
        };
        self.object(
            Kind::Deployment,
            "apps/v1",
            Body::Controller(Box::new(spec)),
        )
    }

    /// A Service selecting `labels` on `ports` (target port = port).
    fn service(&self, labels: &Labels, ports: &[i32]) -> Object {
        let spec = service::ServiceSpec {
            selector: Some(labels.clone()),
            ports: Some(
                ports
                    .iter()
                    .map(|&p| service::ServicePort {
                        port: p,
                        target_port: Some(IntOrString::Int(p)),
                        ..service::ServicePort::default()
                    })
                    .collect(),
            ),
            ..service::ServiceSpec::default()
        };
        self.object(Kind::Service, "v1", Body::Service(Box::new(spec)))
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

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, n)| ((*k).to_owned(), (*n).to_owned()))
            .collect()
    }

    /// field/partial-inputs/README.md: a rule host implies a Service and its injected workload, a
    /// selector a workload behind a Service; real workloads or Services of the namespace imply
    /// nothing; the root namespace never implies.
    #[test]
    fn what_policies_imply() {
        assert_eq!(
            implied(&format!("{DR}---\n{AP}")),
            pairs(&[
                ("Deployment", "orders/api"),
                ("Service", "orders/api"),
                ("Deployment", "orders/worker"),
                ("Service", "orders/worker"),
            ])
        );
        let real = "apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: orders}\nspec: {ports: [{port: 80}]}\n";
        assert!(implied(&format!("{DR}---\n{AP}---\n{real}")).is_empty());
        assert!(implied(&DR.replace("orders", "istio-system")).is_empty());
    }

    const NS_PA: &str = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: orders}\nspec: {mtls: {mode: STRICT}}\n";
    const MESH_PA: &str = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: istio-system}\nspec: {mtls: {mode: STRICT}}\n";

    /// A namespace-wide policy implies a stand-in for any workload of its namespace, unless
    /// something else is implied there; a mesh-wide one a stand-in in a namespace without
    /// policies, only when the inputs hold no workload at all.
    #[test]
    fn namespace_and_mesh_wide_policies_imply_stand_ins() {
        assert_eq!(
            implied(NS_PA),
            pairs(&[("Deployment", "orders/any"), ("Service", "orders/any")])
        );
        assert_eq!(
            implied(&format!("{NS_PA}---\n{AP}")),
            pairs(&[
                ("Deployment", "orders/worker"),
                ("Service", "orders/worker")
            ])
        );
        let ns_dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: shop}\nspec: {host: '*.orders.svc.cluster.local'}\n";
        assert_eq!(
            implied(ns_dr),
            pairs(&[("Deployment", "orders/any"), ("Service", "orders/any")])
        );
        assert_eq!(
            implied(MESH_PA),
            pairs(&[
                ("Deployment", "any-namespace/any"),
                ("Service", "any-namespace/any")
            ])
        );
        for host in ["*", "*.local", "*.cluster.local", "*.svc.cluster.local"] {
            let mesh_dr = format!(
                "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: d, namespace: istio-system}}\nspec: {{host: '{host}'}}\n"
            );
            assert_eq!(implied(&mesh_dr).len(), 2, "{host}");
        }
        let external = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: istio-system}\nspec: {host: '*.example.com'}\n";
        assert!(implied(external).is_empty());
        let real = "apiVersion: v1\nkind: Service\nmetadata: {name: other, namespace: shop}\nspec: {ports: [{port: 80}]}\n";
        assert!(implied(&format!("{MESH_PA}---\n{real}")).is_empty());
    }

    /// A DestinationRule host of another namespace implies the Service there; a
    /// PeerAuthentication's portLevelMtls gives the selected workload its ports.
    #[test]
    fn hosts_of_other_namespaces_and_port_level_mtls() {
        let dr = "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: d, namespace: shop}\nspec: {host: api.orders.svc.cluster.local}\n";
        assert_eq!(
            implied(dr),
            pairs(&[("Deployment", "orders/api"), ("Service", "orders/api")])
        );
        // The API server's Service is always there: its rule implies nothing.
        let api = dr.replace("api.orders", "kubernetes.default");
        assert!(implied(&api).is_empty());
        let pa = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: orders}\nspec:\n  selector: {matchLabels: {app: db}}\n  portLevelMtls: {5432: {mode: DISABLE}}\n";
        let (objects, _, _) = load_text(&Arc::from("t.yaml"), pa, &LoadOptions::default());
        let out = implied_objects(&objects, "istio-system");
        let Body::Service(svc) = &out[1].0.body else {
            panic!("{out:?}")
        };
        let ports: Vec<i32> = svc.ports.iter().flatten().map(|p| p.port).collect();
        assert_eq!(ports, [5432]);
    }
}
