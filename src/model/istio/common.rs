//! Types shared by several Istio kinds: workload selectors, policy target references, and the
//! helper that tells "field present but null" from "field absent" (protobuf JSON semantics).

use crate::model::labels::Labels;

use serde::{Deserialize, Deserializer};

/// `selector` of PeerAuthentication, RequestAuthentication and AuthorizationPolicy;
/// `workloadSelector` of DestinationRule and Sidecar use `labels` instead, see [`LabelsSelector`].
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct WorkloadSelector {
    #[serde(default)]
    pub match_labels: Labels,
}

/// `workloadSelector: {labels: …}` (DestinationRule, Sidecar, ServiceEntry).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct LabelsSelector {
    #[serde(default)]
    pub labels: Labels,
}

/// `targetRef` / `targetRefs` entries (waypoints, gateways, services).
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TargetRef {
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub namespace: String,
}

/// Deserializes a field whose mere presence matters: `mtls: null` is `Some(default)`.
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// A sub-object meshlint does not interpret; only whether it is set.
pub type Opaque = Option<serde::de::IgnoredAny>;
