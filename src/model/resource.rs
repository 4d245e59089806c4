//! One decoded object: identity, metadata, origin (file, document, position), the positioned
//! YAML tree it came from (its source map), and its typed body.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use k8s_openapi::api::core::v1 as core;
use serde::{Deserialize, Serialize};

use super::istio::{legacy, mesh, networking, security};
use super::kind::Kind;
use super::labels::Labels;
use super::meta::ObjectMeta;
use super::pod::{PodSpec, PodTemplateSpec};
use super::selector::LabelSelector;
use super::service::ServiceSpec;
use crate::source::{Location, Origin, Pos, SourceMap};

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
    pub template: Option<PodTemplateSpec>,
    pub job_template: Option<JobTemplate>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
pub struct JobTemplate {
    pub spec: Option<Box<ControllerSpec>>,
}

impl ControllerSpec {
    /// The pod template, looking through a CronJob's job template.
    pub fn pod_template(&self) -> Option<&PodTemplateSpec> {
        self.template.as_ref().or_else(|| {
            self.job_template
                .as_ref()
                .and_then(|j| j.spec.as_ref())
                .and_then(|s| s.template.as_ref())
        })
    }
}

/// The typed content of an object. Bodies larger than a few words are boxed, so that the
/// many objects of small kinds (Namespaces, ServiceAccounts, PeerAuthentications) do not each
/// hold the space of the largest (issue 14).
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    Namespace,
    Pod(Box<PodSpec>),
    Controller(Box<ControllerSpec>),
    Service(Box<ServiceSpec>),
    ServiceAccount,
    ConfigMap(Box<ConfigMapData>),
    Endpoints(Box<core::Endpoints>),
    EndpointSlice(Box<k8s_openapi::api::discovery::v1::EndpointSlice>),
    PeerAuthentication(security::PeerAuthenticationSpec),
    RequestAuthentication(Box<security::RequestAuthenticationSpec>),
    AuthorizationPolicy(Box<security::AuthorizationPolicySpec>),
    DestinationRule(Box<networking::DestinationRuleSpec>),
    ServiceEntry(Box<networking::ServiceEntrySpec>),
    Sidecar(Box<networking::SidecarSpec>),
    Gateway(networking::GatewaySpec),
    VirtualService(networking::VirtualServiceSpec),
    /// Policy and MeshPolicy.
    Policy(legacy::PolicySpec),
    ServiceRole(legacy::ServiceRoleSpec),
    ServiceRoleBinding(Box<legacy::ServiceRoleBindingSpec>),
    /// ClusterRbacConfig and RbacConfig.
    RbacConfig(Box<legacy::RbacConfigSpec>),
    IstioOperator(Box<mesh::IstioOperatorSpec>),
    /// The object failed decoding or validation that the API server or Istio's webhook would
    /// have rejected: it takes no part in resolution.
    Invalid,
}

/// A ConfigMap's `data`, and for the mesh config maps (`istio`, `istio-<rev>`) its `mesh` key
/// decoded by the loader (`None` for other maps or without the key; the error is the position
/// inside the block and the message).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ConfigMapData {
    pub data: BTreeMap<String, String>,
    pub mesh: Option<Result<mesh::MeshConfig, (Pos, String)>>,
}

/// A loaded object: where it was read from, and its content.
///
/// The content is shared (`Arc`) and copied on write: `meshlint diff` gives a file that both
/// versions hold with the same bytes one parse, and the two sides' objects differ only in
/// their origin. Fields of [`ObjectData`] read through `Deref` (`o.body`, `o.meta`); writing
/// one (`o.body = …`) copies the content first when the other side still shares it.
#[derive(Debug, Clone)]
pub struct Object {
    pub origin: Origin,
    data: Arc<ObjectData>,
}

/// An object's content, the same whichever file it was read from.
#[derive(Debug, Clone)]
pub struct ObjectData {
    pub kind: Kind,
    pub api_version: String,
    pub meta: ObjectMeta,
    /// Namespace after defaulting (`-n` or `default`); `None` for cluster-scoped kinds.
    pub namespace: Option<String>,
    /// Where each field of this object is in its file.
    pub source: SourceMap,
    pub body: Body,
}

impl std::ops::Deref for Object {
    type Target = ObjectData;
    fn deref(&self) -> &ObjectData {
        &self.data
    }
}

impl std::ops::DerefMut for Object {
    /// Copies the content first when another object shares it (copy on write).
    fn deref_mut(&mut self) -> &mut ObjectData {
        Arc::make_mut(&mut self.data)
    }
}

impl Object {
    /// An object read from `origin`.
    pub fn new(origin: Origin, data: ObjectData) -> Object {
        Object {
            origin,
            data: Arc::new(data),
        }
    }

    /// Whether `self` and `other` hold the same content, not a copy of it (the two sides of a
    /// diff for a file they both hold unchanged).
    pub fn shares_content(&self, other: &Object) -> bool {
        Arc::ptr_eq(&self.data, &other.data)
    }

    pub fn name(&self) -> &str {
        self.meta.name.as_deref().unwrap_or("")
    }

    pub fn namespace(&self) -> &str {
        self.namespace.as_deref().unwrap_or("")
    }

    pub fn labels(&self) -> &Labels {
        static EMPTY: Labels = Labels::new();
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
        let (pos, found) = self.source.locate(path);
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
