//! Which cells of the reachability matrix a change between two versions of the inputs can
//! move (`meshlint diff`): computing only those keeps a one-policy change on a large mesh
//! about as cheap as one `analyze`. A cell (client → service port) can change only when an
//! object that decides it changed, and the objects of one namespace decide only the cells
//! whose client or server is in that namespace — except those that reach further, which widen
//! the scope to the namespaces their hosts name or to the whole mesh:
//! - the mesh config, the Istio version, the root namespace (mesh-wide PeerAuthentication,
//!   AuthorizationPolicy, DestinationRule defaults: research/istio-semantics.md §2–§4) and
//!   cluster-scoped policy kinds (MeshPolicy, ClusterRbacConfig) reach every cell;
//! - policies (PeerAuthentication, RequestAuthentication, AuthorizationPolicy and the legacy
//!   kinds) select servers: they reach the cells to their namespace's services only;
//! - a DestinationRule is exported to every namespace by default, so it reaches the clients of
//!   its own namespace and every client of the service its `host` names (§4);
//! - Gateways, VirtualServices, ServiceEntries, and policies bound to a waypoint or gateway
//!   (targetRefs of kind Gateway or GatewayClass) can serve other namespaces: every cell.
//!
//! A Namespace object stands for its own namespace (injection and ambient labels).

use std::collections::BTreeSet;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::model::istio::common::TargetRef;
use crate::model::kind::Kind;
use crate::model::resource::{Body, Object};

/// The cells a change can move: every cell (`all`), or those whose client is in one of
/// `clients` or whose service is in one of `servers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub all: bool,
    /// Namespaces whose workloads may send otherwise (DestinationRule, Sidecar, workloads).
    pub clients: BTreeSet<String>,
    /// Namespaces whose services may answer otherwise (PeerAuthentication, policies,
    /// workloads, Services).
    pub servers: BTreeSet<String>,
    /// Objects added, removed or changed.
    pub changed: usize,
}

impl Scope {
    /// Every namespace named, for the report.
    pub fn namespaces(&self) -> BTreeSet<&str> {
        self.clients
            .iter()
            .chain(&self.servers)
            .map(String::as_str)
            .collect()
    }
}

type Key<'a> = (Kind, &'a str, &'a str);

/// The scope of the change from `base` to `head`.
pub fn scope(base: &Analysis, head: &Analysis) -> Scope {
    let mut s = Scope::default();
    if base.profile.version != head.profile.version || base.inv.mesh != head.inv.mesh {
        s.all = true;
    }
    // Both indexes, and the comparison of every object, on both cores: on the SPEC §9 corpus
    // this was a serial 0.1–0.2 s of `diff` (issue 14, perf). The scope does not depend on
    // the order the changed objects come in.
    let (before, after) = rayon::join(|| index(base), || index(head));
    let (gone_or_changed, added) = rayon::join(
        || -> Vec<&Object> {
            before
                .par_iter()
                .filter(|(k, o)| after.get(*k).is_none_or(|n| !same(o, n)))
                .map(|(_, o)| *o)
                .collect()
        },
        || -> Vec<&Object> {
            after
                .par_iter()
                .filter(|(k, _)| !before.contains_key(*k))
                .map(|(_, o)| *o)
                .collect()
        },
    );
    let changed = gone_or_changed.into_iter().chain(added);
    let known: BTreeSet<&str> = base
        .inv
        .namespaces
        .iter()
        .chain(&head.inv.namespaces)
        .map(String::as_str)
        .collect();
    let root = head.inv.mesh.root_namespace();
    for o in changed {
        s.changed += 1;
        if s.all {
            continue;
        }
        match reach(o, root, &known) {
            Reach::All => s.all = true,
            Reach::Some { clients, servers } => {
                s.clients.extend(clients);
                s.servers.extend(servers);
            }
        }
    }
    if s.all {
        s.clients.clear();
        s.servers.clear();
    }
    s
}

/// The objects of the inputs (implied ones follow from them) by kind, namespace and name.
fn index(a: &Analysis) -> FxHashMap<Key<'_>, &Object> {
    a.inv.objects[..a.resources()]
        .iter()
        .map(|o| ((o.kind, o.namespace(), o.name()), o))
        .collect()
}

/// The same object as far as resolution reads it.
fn same(a: &Object, b: &Object) -> bool {
    a.api_version == b.api_version
        && a.meta.labels == b.meta.labels
        && a.meta.annotations == b.meta.annotations
        && a.body == b.body
}

enum Reach {
    All,
    /// The namespaces whose clients, and those whose servers, the object can change.
    Some {
        clients: Vec<String>,
        servers: Vec<String>,
    },
}

fn reach(o: &Object, root: &str, known: &BTreeSet<&str>) -> Reach {
    let ns = o.namespace().to_owned();
    let both = |ns: String| Reach::Some {
        clients: vec![ns.clone()],
        servers: vec![ns],
    };
    match o.kind {
        Kind::Namespace => both(o.name().to_owned()),
        Kind::MeshPolicy
        | Kind::ClusterRbacConfig
        | Kind::RbacConfig
        | Kind::IstioOperator
        | Kind::Gateway
        | Kind::VirtualService
        | Kind::ServiceEntry => Reach::All,
        _ if ns == root => Reach::All,
        Kind::ConfigMap if o.name().starts_with("istio") => Reach::All,
        Kind::AuthorizationPolicy | Kind::RequestAuthentication if bound_to_gateway(o) => {
            Reach::All
        }
        // Server-side only: a policy selects the workloads of its namespace as servers; a
        // client never reads it (research/istio-semantics.md §2, §3; authz-semantics §1).
        Kind::PeerAuthentication
        | Kind::RequestAuthentication
        | Kind::AuthorizationPolicy
        | Kind::Policy
        | Kind::ServiceRole
        | Kind::ServiceRoleBinding => Reach::Some {
            clients: Vec::new(),
            servers: vec![ns],
        },
        // Client-side: what the clients of its namespace send, to the service its host names
        // (exported to every namespace by default, so every client of that service too).
        Kind::DestinationRule => match &o.body {
            Body::DestinationRule(dr) => match host_namespace(&dr.host, &ns, known) {
                Some(host_ns) => Reach::Some {
                    clients: vec![ns],
                    servers: vec![host_ns],
                },
                None => Reach::All,
            },
            _ => both(ns),
        },
        _ => both(ns),
    }
}

/// Bound through targetRefs to a gateway or waypoint, which may serve other namespaces.
fn bound_to_gateway(o: &Object) -> bool {
    let refs: Vec<&TargetRef> = match &o.body {
        Body::AuthorizationPolicy(s) => s.target_ref.iter().chain(&s.target_refs).collect(),
        Body::RequestAuthentication(s) => s.target_ref.iter().chain(&s.target_refs).collect(),
        _ => Vec::new(),
    };
    refs.iter()
        .any(|r| matches!(r.kind.as_str(), "Gateway" | "GatewayClass"))
}

/// The namespace of the service a DestinationRule `host` names (short names are in the rule's
/// own namespace); `None` for a wildcard or a host in no namespace of the inputs.
fn host_namespace(host: &str, own: &str, known: &BTreeSet<&str>) -> Option<String> {
    if host.contains('*') {
        return None;
    }
    let mut labels = host.split('.');
    let _service = labels.next()?;
    match labels.next() {
        None => Some(own.to_owned()),
        Some(ns) if known.contains(ns) => Some(ns.to_owned()),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_namespaces() {
        let known: BTreeSet<&str> = ["foo", "bar"].into_iter().collect();
        assert_eq!(
            host_namespace("httpbin", "foo", &known).as_deref(),
            Some("foo")
        );
        assert_eq!(
            host_namespace("httpbin.bar.svc.cluster.local", "foo", &known).as_deref(),
            Some("bar")
        );
        assert_eq!(
            host_namespace("*.bar.svc.cluster.local", "foo", &known),
            None
        );
        assert_eq!(host_namespace("api.example.com", "foo", &known), None);
    }
}
