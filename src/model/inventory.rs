//! The inventory: every loaded object plus the indexes resolution needs — objects by kind and
//! namespace, workloads (pod templates named after their top controller), Services with their
//! port mappings to each workload, the ServiceAccounts in use, namespaces, and the mesh config.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::istio::mesh::MeshConfig;
use super::kind::Kind;
use super::labels::Labels;
use super::pod::PodSpec;
use super::resource::{Body, Object};
use super::selector::LabelSelector;
use super::service::ServicePort;
use crate::source::Origin;
use crate::source::Pos;

/// A workload: one pod template, named after its top controller or its Pod.
#[derive(Debug, Clone)]
pub struct Workload {
    /// Index of the object that defines the pod template (controller or Pod).
    pub object: usize,
    /// Kind of the top controller (may be inferred from a Pod's owner, e.g. Deployment).
    pub kind: Kind,
    pub name: String,
    pub namespace: String,
    pub labels: Labels,
    pub annotations: BTreeMap<String, String>,
    pub service_account: String,
    /// Pod objects that are instances of this workload.
    pub pods: Vec<usize>,
}

impl Workload {
    /// `ns/name`, the form selectors and output use.
    pub fn id(&self) -> String {
        format!("{}/{}", self.namespace, self.name)
    }
}

/// One port of a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    pub name: String,
    pub port: i32,
    pub protocol: String,
    pub app_protocol: Option<String>,
    pub target_port: Option<IntOrString>,
}

/// `(namespace, name)` of the API server's Service, which every cluster has: the inventory
/// holds it even when the inputs do not.
pub const API_SERVER: (&str, &str) = ("default", "kubernetes");

/// A Service (or the implicit `kubernetes.default`) and the workloads it selects.
#[derive(Debug, Clone)]
pub struct ServiceInfo {
    /// `None` for the implicit API server Service.
    pub object: Option<usize>,
    pub name: String,
    pub namespace: String,
    /// Whether the Service has a non-empty `spec.selector` ([`Inventory::service_selector`]
    /// reads it from the object: a copy per Service was 11 MB on the SPEC §9 corpus).
    pub has_selector: bool,
    pub ports: Vec<PortInfo>,
    pub headless: bool,
    /// Indexes into `Inventory::workloads`.
    pub workloads: Vec<usize>,
}

impl ServiceInfo {
    /// `name.namespace.svc.cluster.local`.
    pub fn fqdn(&self, domain: &str) -> String {
        format!("{}.{}.svc.{domain}", self.name, self.namespace)
    }

    pub fn is_api_server(&self) -> bool {
        self.name == API_SERVER.1 && self.namespace == API_SERVER.0
    }
}

/// Where the mesh configuration came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeshConfigSource {
    pub origin: Origin,
    pub description: String,
}

#[derive(Debug, Default)]
pub struct Inventory {
    pub objects: Vec<Object>,
    pub by_kind: BTreeMap<Kind, Vec<usize>>,
    /// Namespaces declared by Namespace objects.
    pub declared_namespaces: BTreeMap<String, usize>,
    /// Every namespace that appears anywhere (declared or holding an object).
    pub namespaces: BTreeSet<String>,
    pub workloads: Vec<Workload>,
    pub workloads_by_namespace: BTreeMap<String, Vec<usize>>,
    pub services: Vec<ServiceInfo>,
    pub services_by_namespace: BTreeMap<String, Vec<usize>>,
    /// Per workload (index into `workloads`): the Services that select it, ascending; the
    /// reverse of [`ServiceInfo::workloads`].
    pub services_of: Vec<Vec<usize>>,
    /// `(namespace, service account)` used by at least one workload.
    pub service_accounts_in_use: BTreeSet<(String, String)>,
    pub mesh: MeshConfig,
    pub mesh_sources: Vec<MeshConfigSource>,
    /// Problems decoding mesh config embedded in ConfigMaps (reported by `invalid-resource`).
    pub mesh_errors: Vec<(usize, Pos, String)>,
}

impl Inventory {
    /// Builds the indexes over `objects`. `mesh_override` (from `--mesh-config`) wins over files.
    pub fn new(objects: Vec<Object>, mesh_override: Option<MeshConfig>) -> Inventory {
        let mut inv = Inventory {
            objects,
            ..Inventory::default()
        };
        // Each object's kind, and whether it names a namespace the object before it does not
        // (a file usually holds one namespace), read on both cores: out of cache after
        // loading, reading them in the loop below was 10 ms of one core on the SPEC §9
        // corpus (issue 14, perf).
        let objects = &inv.objects;
        let firsts: Vec<(Kind, bool)> = objects
            .par_iter()
            .enumerate()
            .map(|(i, o)| {
                let new_namespace =
                    o.namespace.is_some() && (i == 0 || objects[i - 1].namespace != o.namespace);
                (o.kind, new_namespace)
            })
            .collect();
        for (i, (o, &(kind, new_namespace))) in inv.objects.iter().zip(&firsts).enumerate() {
            inv.by_kind.entry(kind).or_default().push(i);
            if new_namespace
                && let Some(ns) = &o.namespace
                && !inv.namespaces.contains(ns)
            {
                inv.namespaces.insert(ns.clone());
            }
            if kind == Kind::Namespace {
                inv.declared_namespaces.insert(o.name().to_owned(), i);
                inv.namespaces.insert(o.name().to_owned());
            }
        }
        inv.read_mesh_config(mesh_override);
        inv.build_workloads();
        inv.build_services();
        inv
    }

    /// Objects of one kind, in input order.
    pub fn of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Object)> {
        self.by_kind
            .get(&kind)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.objects[i]))
    }

    pub fn root_namespace(&self) -> &str {
        self.mesh.root_namespace()
    }

    /// The labels of a declared Namespace (empty when it is not declared).
    pub fn namespace_labels(&self, ns: &str) -> &Labels {
        static EMPTY: Labels = Labels::new();
        self.declared_namespaces
            .get(ns)
            .map_or(&EMPTY, |&i| self.objects[i].labels())
    }

    pub fn workloads_in(&self, ns: &str) -> impl Iterator<Item = (usize, &Workload)> {
        self.workloads_by_namespace
            .get(ns)
            .into_iter()
            .flatten()
            .map(|&i| (i, &self.workloads[i]))
    }

    /// A Service's non-empty `spec.selector` (`None` without one, and for the implicit API
    /// server Service).
    pub fn service_selector(&self, svc: &ServiceInfo) -> Option<&Labels> {
        match &self.objects[svc.object?].body {
            Body::Service(spec) => spec.selector.as_ref().filter(|s| !s.is_empty()),
            _ => None,
        }
    }

    /// The pod spec of a workload.
    pub fn pod_spec(&self, w: &Workload) -> Option<&PodSpec> {
        match &self.objects[w.object].body {
            Body::Pod(spec) => Some(spec),
            Body::Controller(c) => c.pod_template().and_then(|t| t.spec.as_ref()),
            _ => None,
        }
    }

    /// Workloads in `ns` whose labels match `selector` (`matchLabels`).
    pub fn select_workloads<'a>(
        &'a self,
        ns: &'a str,
        selector: &'a Labels,
    ) -> impl Iterator<Item = (usize, &'a Workload)> + 'a {
        self.workloads_in(ns)
            .filter(move |(_, w)| selector.selects(&w.labels))
    }

    /// Resolves a Service port's target port for one workload: a number as is, a name through
    /// that workload's container ports. `None` when a named target port does not exist there.
    pub fn target_port(&self, port: &PortInfo, w: &Workload) -> Option<i32> {
        match &port.target_port {
            None => Some(port.port),
            Some(IntOrString::Int(n)) => Some(*n),
            Some(IntOrString::String(name)) => {
                if let Ok(n) = name.parse() {
                    return Some(n);
                }
                self.pod_spec(w)?
                    .containers
                    .iter()
                    .flat_map(|c| c.ports.iter().flatten())
                    .find(|p| p.name.as_deref() == Some(name.as_str()))
                    .map(|p| p.container_port)
            }
        }
    }

    fn read_mesh_config(&mut self, mesh_override: Option<MeshConfig>) {
        // IstioOperator first, then ConfigMaps (what istiod really reads), then the flag.
        let mut mesh = MeshConfig::default();
        let mut sources = Vec::new();
        for (_, o) in self.of_kind(Kind::IstioOperator) {
            if let Body::IstioOperator(spec) = &o.body
                && let Some(m) = &spec.mesh_config
            {
                mesh.overlay(m.clone());
                sources.push(MeshConfigSource {
                    origin: o.origin.clone(),
                    description: format!(
                        "IstioOperator {}/{} spec.meshConfig",
                        o.namespace(),
                        o.name()
                    ),
                });
            }
        }
        let mut mesh_errors = Vec::new();
        for (i, o) in self.of_kind(Kind::ConfigMap) {
            let Body::ConfigMap(cm) = &o.body else {
                continue;
            };
            match &cm.mesh {
                None => {}
                Some(Ok(m)) => {
                    mesh.overlay(m.clone());
                    sources.push(MeshConfigSource {
                        origin: o.origin.clone(),
                        description: format!("ConfigMap {}/{} data.mesh", o.namespace(), o.name()),
                    });
                }
                Some(Err((pos, msg))) => {
                    let at = o.locate("data.mesh").pos;
                    let pos = Pos {
                        // The block starts on the line after `mesh: |`.
                        line: at.line + pos.line,
                        col: pos.col,
                    };
                    mesh_errors.push((i, pos, msg.clone()));
                }
            }
        }
        self.mesh_sources.extend(sources);
        self.mesh_errors.extend(mesh_errors);
        if let Some(m) = mesh_override {
            mesh.overlay(m);
            self.mesh_sources.push(MeshConfigSource {
                origin: Origin {
                    file: Arc::from("--mesh-config"),
                    doc: 0,
                    pos: Pos::default(),
                },
                description: "--mesh-config".to_owned(),
            });
        }
        self.mesh = mesh;
    }

    fn build_workloads(&mut self) {
        // Controllers that nothing in the inputs owns are workloads, in input order (the
        // controllers are found through the kind index, not by reading every object), each
        // built on its own: in parallel.
        let mut controllers: Vec<usize> = self
            .by_kind
            .iter()
            .filter(|(k, _)| k.is_workload_controller())
            .flat_map(|(_, list)| list.iter().copied())
            .collect();
        controllers.sort_unstable();
        let this = &*self;
        let workloads: Vec<Workload> = controllers
            .par_iter()
            .filter_map(|&i| {
                let o = &this.objects[i];
                let Body::Controller(spec) = &o.body else {
                    return None;
                };
                if this.owner_in_inputs(o).is_some() {
                    return None;
                }
                let template = spec.pod_template()?;
                let meta = template.metadata.as_ref();
                Some(Workload {
                    object: i,
                    kind: o.kind,
                    name: o.name().to_owned(),
                    namespace: o.namespace().to_owned(),
                    labels: meta.and_then(|m| m.labels.clone()).unwrap_or_default(),
                    annotations: meta.and_then(|m| m.annotations.clone()).unwrap_or_default(),
                    service_account: service_account(template.spec.as_ref()),
                    pods: Vec::new(),
                })
            })
            .collect();
        self.workloads = workloads;
        // Pods join the workload of their top controller, or form one.
        let pods = self.by_kind.get(&Kind::Pod).cloned().unwrap_or_default();
        // The workloads by (kind, namespace, name), for the pods to find theirs.
        let mut index: FxHashMap<(Kind, String, String), usize> = FxHashMap::default();
        if !pods.is_empty() {
            for (at, w) in self.workloads.iter().enumerate() {
                index.insert((w.kind, w.namespace.clone(), w.name.clone()), at);
            }
        }
        for i in pods {
            let o = &self.objects[i];
            let Body::Pod(spec) = &o.body else { continue };
            let (kind, name) = self.top_controller(o);
            let key = (kind, o.namespace().to_owned(), name.clone());
            if let Some(&w) = index.get(&key) {
                self.workloads[w].pods.push(i);
                continue;
            }
            let w = Workload {
                object: i,
                kind,
                name,
                namespace: o.namespace().to_owned(),
                labels: o.labels().clone(),
                annotations: o.annotations().clone(),
                service_account: service_account(Some(spec)),
                pods: vec![i],
            };
            index.insert(key, self.workloads.len());
            self.workloads.push(w);
        }
        for (i, w) in self.workloads.iter().enumerate() {
            match self.workloads_by_namespace.get_mut(&w.namespace) {
                Some(list) => list.push(i),
                None => {
                    self.workloads_by_namespace
                        .insert(w.namespace.clone(), vec![i]);
                }
            }
            self.service_accounts_in_use
                .insert((w.namespace.clone(), w.service_account.clone()));
        }
    }

    /// The controlling owner of `o` if that owner is itself in the inputs.
    fn owner_in_inputs(&self, o: &Object) -> Option<usize> {
        let owner = controller_owner(o)?;
        let kind = Kind::resolve(&owner.api_version, &owner.kind)?.ok()?;
        self.of_kind(kind)
            .find(|(_, c)| c.name() == owner.name && c.namespace == o.namespace)
            .map(|(i, _)| i)
    }

    /// The top controller of a Pod: follows owners present in the inputs, and infers a
    /// Deployment from a ReplicaSet named `<deployment>-<pod-template-hash>` (and a CronJob from
    /// a Job) when the owner itself was not given.
    fn top_controller(&self, pod: &Object) -> (Kind, String) {
        let mut current = pod;
        let mut result = (Kind::Pod, pod.name().to_owned());
        for _ in 0..4 {
            let Some(owner) = controller_owner(current) else {
                break;
            };
            let Some(Ok(kind)) = Kind::resolve(&owner.api_version, &owner.kind) else {
                break;
            };
            result = (kind, owner.name.clone());
            match self.owner_in_inputs(current) {
                Some(i) => current = &self.objects[i],
                None => {
                    if kind == Kind::ReplicaSet
                        && let Some(hash) = pod.labels().get("pod-template-hash")
                        && let Some(dep) = owner.name.strip_suffix(&format!("-{hash}"))
                    {
                        result = (Kind::Deployment, dep.to_owned());
                    }
                    break;
                }
            }
        }
        result
    }

    fn build_services(&mut self) {
        // Each Service on its own (selecting its workloads is the costly part), in parallel,
        // then in input order.
        let list = self
            .by_kind
            .get(&Kind::Service)
            .map_or(&[][..], Vec::as_slice);
        let services: Vec<ServiceInfo> = list
            .par_iter()
            .filter_map(|&i| self.service_info(i))
            .collect();
        let have_api_server = services.iter().any(ServiceInfo::is_api_server);
        self.services = services;
        if !have_api_server {
            self.services.push(ServiceInfo {
                object: None,
                name: API_SERVER.1.to_owned(),
                namespace: API_SERVER.0.to_owned(),
                has_selector: false,
                ports: vec![PortInfo {
                    name: "https".to_owned(),
                    port: 443,
                    protocol: "TCP".to_owned(),
                    app_protocol: None,
                    target_port: Some(IntOrString::Int(6443)),
                }],
                headless: false,
                workloads: Vec::new(),
            });
        }
        self.services_of = vec![Vec::new(); self.workloads.len()];
        for (i, s) in self.services.iter().enumerate() {
            // Looked up before inserting: a namespace's name is copied once, not per Service.
            match self.services_by_namespace.get_mut(&s.namespace) {
                Some(list) => list.push(i),
                None => {
                    self.services_by_namespace
                        .insert(s.namespace.clone(), vec![i]);
                }
            }
            for &w in &s.workloads {
                self.services_of[w].push(i);
            }
        }
    }

    /// The [`ServiceInfo`] of the Service object at `i` (`None` when its spec was refused).
    fn service_info(&self, i: usize) -> Option<ServiceInfo> {
        let o = &self.objects[i];
        let Body::Service(spec) = &o.body else {
            return None;
        };
        let selector = spec.selector.as_ref().filter(|s| !s.is_empty());
        let workloads = match selector {
            Some(sel) => self
                .select_workloads(o.namespace(), sel)
                .map(|(i, _)| i)
                .collect(),
            None => Vec::new(),
        };
        let ports = spec
            .ports
            .iter()
            .flatten()
            .map(|p: &ServicePort| PortInfo {
                name: p.name.clone().unwrap_or_default(),
                port: p.port,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".to_owned()),
                app_protocol: p.app_protocol.clone(),
                target_port: p.target_port.clone(),
            })
            .collect();
        Some(ServiceInfo {
            object: Some(i),
            name: o.name().to_owned(),
            namespace: o.namespace().to_owned(),
            has_selector: selector.is_some(),
            ports,
            headless: spec.cluster_ip.as_deref() == Some("None"),
            workloads,
        })
    }

    /// Whether a workload is selected by a Kubernetes `LabelSelector` (used for controllers'
    /// own selectors and PodDisruptionBudget-like matching).
    pub fn workload_matches(&self, w: &Workload, sel: &LabelSelector) -> bool {
        sel.matches(&w.labels)
    }
}

fn controller_owner(
    o: &Object,
) -> Option<&k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference> {
    let owners = o.meta.owner_references.as_ref()?;
    owners
        .iter()
        .find(|r| r.controller == Some(true))
        .or_else(|| owners.first())
}

fn service_account(spec: Option<&PodSpec>) -> String {
    spec.and_then(|s| {
        s.service_account_name
            .clone()
            .or_else(|| s.service_account.clone())
    })
    .filter(|s| !s.is_empty())
    .unwrap_or_else(|| "default".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::load::{LoadOptions, load_text};

    fn inv(text: &str) -> Inventory {
        let (objects, issues, _) = load_text(&Arc::from("t.yaml"), text, &LoadOptions::default());
        assert!(issues.is_empty(), "{issues:?}");
        Inventory::new(objects, None)
    }

    const BASE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  template:
    metadata: {labels: {app: httpbin, version: v1}}
    spec:
      serviceAccountName: httpbin
      containers:
      - name: httpbin
        image: kennethreitz/httpbin
        ports: [{name: http-web, containerPort: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {app: httpbin}
  ports:
  - {name: http, port: 8000, targetPort: http-web}
---
apiVersion: v1
kind: Pod
metadata:
  name: httpbin-5b4d8f-abcde
  namespace: foo
  labels: {app: httpbin, pod-template-hash: 5b4d8f}
  ownerReferences: [{apiVersion: apps/v1, kind: ReplicaSet, name: httpbin-5b4d8f, uid: x, controller: true}]
spec:
  containers: [{name: httpbin, image: x}]
"#;

    #[test]
    fn pods_join_their_deployment_and_named_ports_resolve() {
        let inv = inv(BASE);
        assert_eq!(inv.workloads.len(), 1);
        let w = &inv.workloads[0];
        assert_eq!((w.kind, w.id().as_str()), (Kind::Deployment, "foo/httpbin"));
        assert_eq!(w.pods.len(), 1);
        let svc = inv.services.iter().find(|s| s.name == "httpbin").unwrap();
        assert_eq!(svc.workloads, vec![0]);
        assert_eq!(inv.target_port(&svc.ports[0], w), Some(80));
        assert!(
            inv.service_accounts_in_use
                .contains(&("foo".into(), "httpbin".into()))
        );
    }

    #[test]
    fn implicit_api_server_service() {
        let inv = inv(BASE);
        let api = inv.services.iter().find(|s| s.is_api_server()).unwrap();
        assert!(api.object.is_none());
        assert_eq!(api.ports[0].port, 443);
    }

    #[test]
    fn mesh_config_from_configmap() {
        let inv = inv(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    enableAutoMtls: false\n    rootNamespace: istio-config\n",
        );
        assert_eq!(inv.mesh.enable_auto_mtls, Some(false));
        assert_eq!(inv.root_namespace(), "istio-config");
    }
}
