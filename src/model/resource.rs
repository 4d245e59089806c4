//! One decoded object: identity, metadata, origin (file, document, position), the positioned
//! YAML tree it came from (its source map), and its typed body.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as core;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use serde::{Deserialize, Serialize};

use super::istio::{legacy, mesh, networking, security};
use super::kind::Kind;
use crate::input::yaml::{Node, NodeKind, Pos};

/// Where an object (or a finding) comes from. `file` is the path as given by the user, or
/// `cluster/<context>` for objects read from a cluster (which have no positions).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    /// Index of the YAML document in the file (0-based).
    pub doc: usize,
    pub pos: Pos,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.pos.line, self.pos.col)
        }
    }
}

/// Identity of an object as Kubernetes sees it: the same key twice means the later replaces
/// the earlier (like `kubectl apply`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct ResourceRef {
    pub kind: String,
    pub api_version: String,
    pub namespace: Option<String>,
    pub name: String,
}

impl fmt::Display for ResourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.namespace {
            Some(ns) => write!(f, "{} {}/{}", self.kind, ns, self.name),
            None => write!(f, "{} {}", self.kind, self.name),
        }
    }
}

/// `spec` of workload controllers, read leniently: only the pod template and selector matter.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ControllerSpec {
    pub selector: Option<LabelSelector>,
    pub template: Option<core::PodTemplateSpec>,
    pub job_template: Option<JobTemplate>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct JobTemplate {
    pub spec: Option<Box<ControllerSpec>>,
}

impl ControllerSpec {
    /// The pod template, looking through a CronJob's job template.
    pub fn pod_template(&self) -> Option<&core::PodTemplateSpec> {
        self.template.as_ref().or_else(|| {
            self.job_template
                .as_ref()
                .and_then(|j| j.spec.as_ref())
                .and_then(|s| s.template.as_ref())
        })
    }
}

/// The typed content of an object.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Namespace,
    Pod(Box<core::PodSpec>),
    Controller(Box<ControllerSpec>),
    Service(Box<core::ServiceSpec>),
    ServiceAccount,
    ConfigMap(BTreeMap<String, String>),
    Endpoints(Box<core::Endpoints>),
    EndpointSlice(Box<k8s_openapi::api::discovery::v1::EndpointSlice>),
    PeerAuthentication(security::PeerAuthenticationSpec),
    RequestAuthentication(security::RequestAuthenticationSpec),
    AuthorizationPolicy(security::AuthorizationPolicySpec),
    DestinationRule(networking::DestinationRuleSpec),
    ServiceEntry(networking::ServiceEntrySpec),
    Sidecar(networking::SidecarSpec),
    Gateway(networking::GatewaySpec),
    VirtualService(networking::VirtualServiceSpec),
    /// Policy and MeshPolicy.
    Policy(legacy::PolicySpec),
    ServiceRole(legacy::ServiceRoleSpec),
    ServiceRoleBinding(legacy::ServiceRoleBindingSpec),
    /// ClusterRbacConfig and RbacConfig.
    RbacConfig(legacy::RbacConfigSpec),
    IstioOperator(Box<mesh::IstioOperatorSpec>),
    /// The object failed decoding or validation that the API server or Istio's webhook would
    /// have rejected: it takes no part in resolution.
    Invalid,
}

/// A loaded object.
#[derive(Debug, Clone)]
pub struct Object {
    pub kind: Kind,
    pub api_version: String,
    pub meta: ObjectMeta,
    /// Namespace after defaulting (`-n` or `default`); `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    pub origin: Origin,
    /// The positioned YAML tree of this object: its source map.
    pub node: Node,
    pub body: Body,
}

impl Object {
    pub fn name(&self) -> &str {
        self.meta.name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    pub fn labels(&self) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        self.meta.labels.as_ref().unwrap_or(&EMPTY)
    }

    pub fn annotations(&self) -> &BTreeMap<String, String> {
        static EMPTY: BTreeMap<String, String> = BTreeMap::new();
        self.meta.annotations.as_ref().unwrap_or(&EMPTY)
    }

    /// `ns/name`, or `name` for cluster-scoped objects, as messages name an object.
    pub fn qualified_name(&self) -> String {
        match &self.namespace {
            Some(ns) => format!("{ns}/{}", self.name()),
            None => self.name().to_owned(),
        }
    }

    pub fn reference(&self) -> ResourceRef {
        ResourceRef {
            kind: self.kind.name().to_owned(),
            api_version: self.api_version.clone(),
            namespace: self.namespace.clone(),
            name: self.name().to_owned(),
        }
    }

    /// `creationTimestamp` as RFC 3339 text, for oldest-wins ordering; objects without one sort
    /// as if created now (after every dated object), as the API server would stamp them.
    pub fn creation_key(&self) -> (bool, String) {
        match &self.meta.creation_timestamp {
            Some(t) => (false, t.0.to_string()),
            None => (true, String::new()),
        }
    }

    /// Position of a field given as a path like `spec.rules[0].from[1]` or
    /// `metadata.labels["istio.io/rev"]`: the deepest part of the path that exists.
    pub fn locate(&self, path: &str) -> Location {
        let (pos, found) = locate_in(&self.node, path);
        Location {
            file: self.origin.file.clone(),
            pos: if pos.line == 0 { self.origin.pos } else { pos },
            field: if found {
                path.to_owned()
            } else {
                String::new()
            },
        }
    }
}

/// A resolved position of a field in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: Arc<str>,
    pub pos: Pos,
    /// The field path the position stands for (empty when it is the object itself).
    pub field: String,
}

/// Splits `a.b[0]["x.y"]` into segments.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]").unwrap_or(r.len());
            out.push(Segment::Key(&r[..end]));
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            match r[..end].parse() {
                Ok(i) => out.push(Segment::Index(i)),
                Err(_) => out.push(Segment::Key(&r[..end])),
            }
            rest = r.get(end + 1..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('.') {
            rest = r;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Segment::Key(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// Walks `path` in `root`; returns the position reached and whether the whole path existed.
/// Map entries report the key's position (where an editor should put the cursor).
fn locate_in(root: &Node, path: &str) -> (Pos, bool) {
    let mut node = root;
    let mut pos = root.pos;
    for seg in segments(path) {
        match (seg, &node.kind) {
            (Segment::Key(k), NodeKind::Map(_)) => match node.entry(k) {
                Some(e) => {
                    pos = e.key.pos;
                    node = &e.value;
                }
                None => return (pos, false),
            },
            (Segment::Index(i), NodeKind::Seq(items)) => match items.get(i) {
                Some(item) => {
                    pos = item.pos;
                    node = item;
                }
                None => return (pos, false),
            },
            _ => return (pos, false),
        }
    }
    (pos, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::parse_documents;

    #[test]
    fn locates_fields_by_path() {
        let text = "metadata:\n  labels:\n    istio.io/rev: canary\nspec:\n  rules:\n  - from:\n    - source:\n        namespaces: [a, b]\n";
        let node = parse_documents(text).pop().unwrap().root.unwrap().unwrap();
        let (p, ok) = locate_in(&node, "spec.rules[0].from[0].source.namespaces[1]");
        assert!(ok);
        assert_eq!((p.line, p.col), (8, 25));
        let (p, ok) = locate_in(&node, "metadata.labels[\"istio.io/rev\"]");
        assert!(ok);
        assert_eq!((p.line, p.col), (3, 5));
        let (p, ok) = locate_in(&node, "spec.rules[0].to");
        assert!(!ok);
        assert_eq!(p.line, 6);
    }
}
