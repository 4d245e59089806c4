//! The kinds meshlint reads, with their API group, the versions it understands, and whether
//! they are namespaced. One table, so loading, `deprecated-api` and the cluster source agree.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Namespace,
    Pod,
    Deployment,
    StatefulSet,
    DaemonSet,
    ReplicaSet,
    Job,
    CronJob,
    Service,
    ServiceAccount,
    ConfigMap,
    Endpoints,
    EndpointSlice,
    PeerAuthentication,
    RequestAuthentication,
    AuthorizationPolicy,
    DestinationRule,
    ServiceEntry,
    Sidecar,
    Gateway,
    VirtualService,
    Policy,
    MeshPolicy,
    ClusterRbacConfig,
    RbacConfig,
    ServiceRole,
    ServiceRoleBinding,
    IstioOperator,
}

/// What meshlint knows about one kind.
#[derive(Debug)]
pub struct KindInfo {
    pub kind: Kind,
    pub name: &'static str,
    /// API group ("" for the core group).
    pub group: &'static str,
    /// Versions ever served for this kind, oldest first.
    pub versions: &'static [&'static str],
    pub namespaced: bool,
    /// Istio kinds are decoded strictly (unknown fields are findings).
    pub strict: bool,
}

macro_rules! kinds {
    ($($kind:ident, $group:literal, [$($v:literal),*], $ns:literal, $strict:literal;)*) => {
        pub const KINDS: &[KindInfo] = &[
            $(KindInfo { kind: Kind::$kind, name: stringify!($kind), group: $group,
                versions: &[$($v),*], namespaced: $ns, strict: $strict },)*
        ];
    };
}

kinds! {
    Namespace, "", ["v1"], false, false;
    Pod, "", ["v1"], true, false;
    Deployment, "apps", ["v1", "v1beta1", "v1beta2"], true, false;
    StatefulSet, "apps", ["v1", "v1beta1", "v1beta2"], true, false;
    DaemonSet, "apps", ["v1", "v1beta2"], true, false;
    ReplicaSet, "apps", ["v1", "v1beta2"], true, false;
    Job, "batch", ["v1"], true, false;
    CronJob, "batch", ["v1", "v1beta1", "v2alpha1"], true, false;
    Service, "", ["v1"], true, false;
    ServiceAccount, "", ["v1"], true, false;
    ConfigMap, "", ["v1"], true, false;
    Endpoints, "", ["v1"], true, false;
    EndpointSlice, "discovery.k8s.io", ["v1", "v1beta1"], true, false;
    PeerAuthentication, "security.istio.io", ["v1beta1", "v1"], true, true;
    RequestAuthentication, "security.istio.io", ["v1beta1", "v1"], true, true;
    AuthorizationPolicy, "security.istio.io", ["v1beta1", "v1"], true, true;
    DestinationRule, "networking.istio.io", ["v1alpha3", "v1beta1", "v1"], true, true;
    ServiceEntry, "networking.istio.io", ["v1alpha3", "v1beta1", "v1"], true, false;
    Sidecar, "networking.istio.io", ["v1alpha3", "v1beta1", "v1"], true, false;
    Gateway, "networking.istio.io", ["v1alpha3", "v1beta1", "v1"], true, false;
    VirtualService, "networking.istio.io", ["v1alpha3", "v1beta1", "v1"], true, false;
    Policy, "authentication.istio.io", ["v1alpha1"], true, true;
    MeshPolicy, "authentication.istio.io", ["v1alpha1"], false, true;
    ClusterRbacConfig, "rbac.istio.io", ["v1alpha1"], false, false;
    RbacConfig, "rbac.istio.io", ["v1alpha1"], true, false;
    ServiceRole, "rbac.istio.io", ["v1alpha1"], true, false;
    ServiceRoleBinding, "rbac.istio.io", ["v1alpha1"], true, false;
    IstioOperator, "install.istio.io", ["v1alpha1"], true, false;
}

/// Workload controllers whose pod template meshlint reads. `extensions/v1beta1` is accepted for
/// the old Deployment/DaemonSet/ReplicaSet manifests of Istio 0.x samples.
const EXTENSIONS_KINDS: &[Kind] = &[Kind::Deployment, Kind::DaemonSet, Kind::ReplicaSet];

impl Kind {
    pub fn info(self) -> &'static KindInfo {
        KINDS
            .iter()
            .find(|k| k.kind == self)
            .expect("every Kind has a row in KINDS")
    }

    pub fn name(self) -> &'static str {
        self.info().name
    }

    pub fn namespaced(self) -> bool {
        self.info().namespaced
    }

    pub fn is_workload_controller(self) -> bool {
        matches!(
            self,
            Kind::Deployment
                | Kind::StatefulSet
                | Kind::DaemonSet
                | Kind::ReplicaSet
                | Kind::Job
                | Kind::CronJob
        )
    }

    /// Looks a manifest's `apiVersion`/`kind` up: `None` for kinds meshlint does not read,
    /// `Some(Err(()))` for a known kind in a version it never had.
    pub fn resolve(api_version: &str, kind: &str) -> Option<Result<Kind, ()>> {
        let (group, version) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        if group == "extensions" {
            let k = KINDS.iter().find(|k| k.name == kind)?;
            return EXTENSIONS_KINDS.contains(&k.kind).then_some(Ok(k.kind));
        }
        let info = KINDS.iter().find(|k| k.name == kind && k.group == group)?;
        Some(if info.versions.contains(&version) {
            Ok(info.kind)
        } else {
            Err(())
        })
    }
}

/// Kinds that API groups meshlint reads also serve, besides the ones it reads: a kind in such a
/// group that is neither is a typo (`kubectl`: "no matches for kind"). Istio's groups from
/// istio/api (networking: EnvoyFilter, WorkloadEntry, WorkloadGroup, ProxyConfig; telemetry and
/// extensions are other groups); core, apps and batch from Kubernetes' built-in kinds.
const OTHER_KINDS: &[(&str, &[&str])] = &[
    ("security.istio.io", &[]),
    (
        "networking.istio.io",
        &[
            "EnvoyFilter",
            "WorkloadEntry",
            "WorkloadGroup",
            "ProxyConfig",
        ],
    ),
    ("authentication.istio.io", &[]),
    ("rbac.istio.io", &["AuthorizationPolicy"]),
    ("install.istio.io", &[]),
    (
        "",
        &[
            "Secret",
            "PersistentVolumeClaim",
            "PersistentVolume",
            "Node",
            "Event",
            "LimitRange",
            "ResourceQuota",
            "ReplicationController",
            "PodTemplate",
            "Binding",
            "ComponentStatus",
        ],
    ),
    ("apps", &["ControllerRevision"]),
    ("batch", &[]),
];

impl Kind {
    /// `group/version` of a kind meshlint reads (`v1` where served), by name; `None` otherwise.
    /// The name of every kind meshlint reads (`PeerAuthentication`, …).
    pub fn names() -> impl Iterator<Item = &'static str> {
        KINDS.iter().map(|k| k.name)
    }

    pub fn api_version_of(kind: &str) -> Option<String> {
        let info = KINDS.iter().find(|k| k.name == kind)?;
        let version = info
            .versions
            .iter()
            .find(|v| **v == "v1")
            .or(info.versions.last())?;
        Some(if info.group.is_empty() {
            (*version).to_owned()
        } else {
            format!("{}/{version}", info.group)
        })
    }

    /// For a kind that no API version of a group meshlint reads serves (`Peerauthentication`),
    /// the kinds of that group it may have meant, nearest first; `None` when the kind is real
    /// or the group is not one meshlint reads. In Istio's groups every unknown kind is a typo;
    /// in core, apps and batch only one close to a kind meshlint reads.
    pub fn misspelled(api_version: &str, kind: &str) -> Option<Vec<&'static str>> {
        let (group, _) = api_version.rsplit_once('/').unwrap_or(("", api_version));
        let (_, others) = OTHER_KINDS.iter().find(|(g, _)| *g == group)?;
        if others.contains(&kind) || KINDS.iter().any(|k| k.group == group && k.name == kind) {
            return None;
        }
        let mut near: Vec<(usize, &'static str)> = KINDS
            .iter()
            .filter(|k| k.group == group)
            .map(|k| {
                let d = if k.name.eq_ignore_ascii_case(kind) {
                    0
                } else {
                    crate::suggest::edit_distance(
                        &k.name.to_ascii_lowercase(),
                        &kind.to_ascii_lowercase(),
                    )
                };
                (d, k.name)
            })
            .collect();
        near.sort();
        let istio = group.ends_with("istio.io");
        let best = near.first().map_or(0, |(d, _)| *d);
        let close: Vec<&'static str> = near
            .iter()
            .filter(|(d, _)| *d == best && (istio || *d <= 2))
            .take(3)
            .map(|(_, n)| *n)
            .collect();
        (istio || !close.is_empty()).then_some(close)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_row() {
        for k in KINDS {
            assert_eq!(k.kind.info().name, k.name);
        }
    }

    #[test]
    fn resolves_versions() {
        assert_eq!(
            Kind::resolve("security.istio.io/v1", "PeerAuthentication"),
            Some(Ok(Kind::PeerAuthentication))
        );
        assert_eq!(
            Kind::resolve("security.istio.io/v2", "PeerAuthentication"),
            Some(Err(()))
        );
        assert_eq!(
            Kind::resolve("extensions/v1beta1", "Deployment"),
            Some(Ok(Kind::Deployment))
        );
        assert_eq!(Kind::resolve("v1", "Secret"), None);
        assert_eq!(Kind::resolve("example.com/v1", "Policy"), None);
    }
}
