//! Legacy APIs: authentication.istio.io/v1alpha1 Policy and MeshPolicy (Istio 0.8–1.5) and
//! rbac.istio.io/v1alpha1 (≤ 1.5). Field shapes from istio/api `authentication/v1alpha1/policy.proto`
//! and `rbac/v1alpha1/rbac.proto` (research/istio-semantics.md §2, research/authz-semantics.md §12–13).

use serde::Deserialize;

use super::common::present;

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PortSelector {
    pub number: Option<u32>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct TargetSelector {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub ports: Vec<PortSelector>,
    /// Hidden field honoured in 1.2–1.3.
    #[serde(default)]
    pub labels: crate::model::labels::Labels,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "UPPERCASE")]
pub enum LegacyMtlsMode {
    /// `mtls: {}` and `mtls: null` both mean STRICT (the enum's zero value).
    #[default]
    Strict,
    Permissive,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct MutualTls {
    #[serde(default)]
    pub mode: LegacyMtlsMode,
    #[serde(default)]
    pub allow_tls: bool,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StringMatch {
    pub exact: Option<String>,
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub regex: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub struct TriggerRule {
    #[serde(default, alias = "excludedPaths")]
    pub excluded_paths: Vec<StringMatch>,
    #[serde(default, alias = "includedPaths")]
    pub included_paths: Vec<StringMatch>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Jwt {
    #[serde(default)]
    pub issuer: String,
    #[serde(default)]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub jwks_uri: String,
    #[serde(default)]
    pub jwks: String,
    #[serde(default)]
    pub jwt_headers: Vec<String>,
    #[serde(default)]
    pub jwt_params: Vec<String>,
    #[serde(default, alias = "trigger_rules")]
    pub trigger_rules: Vec<TriggerRule>,
}

/// One entry of `peers`: either `mtls` (present, possibly null) or `jwt`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PeerMethod {
    #[serde(default, deserialize_with = "present")]
    pub mtls: Option<MutualTls>,
    pub jwt: Option<Jwt>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct OriginMethod {
    pub jwt: Option<Jwt>,
}

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrincipalBinding {
    #[default]
    UsePeer,
    UseOrigin,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PolicySpec {
    #[serde(default)]
    pub targets: Vec<TargetSelector>,
    #[serde(default)]
    pub peers: Vec<PeerMethod>,
    #[serde(default)]
    pub peer_is_optional: bool,
    #[serde(default)]
    pub origins: Vec<OriginMethod>,
    #[serde(default)]
    pub origin_is_optional: bool,
    #[serde(default)]
    pub principal_binding: PrincipalBinding,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct AccessRule {
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub not_hosts: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub not_paths: Vec<String>,
    #[serde(default)]
    pub methods: Vec<String>,
    #[serde(default)]
    pub not_methods: Vec<String>,
    #[serde(default)]
    pub ports: Vec<i64>,
    #[serde(default)]
    pub not_ports: Vec<i64>,
    #[serde(default)]
    pub constraints: Vec<RbacConstraint>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RbacConstraint {
    #[serde(default)]
    pub key: String,
    #[serde(default)]
    pub values: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct ServiceRoleSpec {
    #[serde(default)]
    pub rules: Vec<AccessRule>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    #[serde(default)]
    pub user: String,
    #[serde(default)]
    pub group: String,
    #[serde(default)]
    pub names: Vec<String>,
    #[serde(default)]
    pub not_names: Vec<String>,
    #[serde(default)]
    pub namespaces: Vec<String>,
    #[serde(default)]
    pub not_namespaces: Vec<String>,
    #[serde(default)]
    pub ips: Vec<String>,
    #[serde(default)]
    pub not_ips: Vec<String>,
    #[serde(default)]
    pub properties: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RoleRef {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceRoleBindingSpec {
    #[serde(default)]
    pub subjects: Vec<Subject>,
    #[serde(default)]
    pub role_ref: RoleRef,
    #[serde(default)]
    pub role: String,
    #[serde(default)]
    pub actions: Vec<AccessRule>,
    #[serde(default)]
    pub mode: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct RbacTarget {
    #[serde(default)]
    pub services: Vec<String>,
    #[serde(default)]
    pub namespaces: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct RbacConfigSpec {
    #[serde(default)]
    pub mode: String,
    pub inclusion: Option<RbacTarget>,
    pub exclusion: Option<RbacTarget>,
    #[serde(default)]
    pub enforcement_mode: String,
}
