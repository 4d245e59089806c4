//! Mesh configuration: the fields of Istio's MeshConfig that change security behaviour, read from
//! the `istio`/`istio-<rev>` ConfigMap (key `mesh`), IstioOperator `spec.meshConfig`, or
//! `--mesh-config FILE`. Other MeshConfig fields are accepted and ignored.

use serde::Deserialize;

/// 0.3–1.0 mesh-wide `authPolicy`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AuthPolicy {
    #[default]
    None,
    MutualTls,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct MeshConfig {
    pub enable_auto_mtls: Option<bool>,
    pub root_namespace: Option<String>,
    pub trust_domain: Option<String>,
    #[serde(default)]
    pub trust_domain_aliases: Vec<String>,
    pub auth_policy: Option<AuthPolicy>,
    #[serde(default)]
    pub mtls_excluded_services: Vec<String>,
    #[serde(default)]
    pub default_destination_rule_export_to: Vec<String>,
    pub outbound_traffic_policy: Option<OutboundTrafficPolicy>,
    /// `pathNormalization` (istio/api `mesh/v1alpha1/config.proto` ProxyPathNormalization, from
    /// 1.10): how sidecars and gateways normalize paths before authorization.
    pub path_normalization: Option<PathNormalization>,
    /// `defaultConfig`: the ProxyConfig every proxy starts from; a workload's
    /// `proxy.istio.io/config` annotation replaces the fields it sets (see
    /// `resolve::forwarded`).
    pub default_config: Option<super::proxy_config::ProxyConfig>,
}

/// `pathNormalization: {normalization: …}`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub struct PathNormalization {
    #[serde(default)]
    pub normalization: NormalizationType,
}

/// istio/api 1.10.0 `mesh/v1alpha1/config.proto` `NormalizationType`.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NormalizationType {
    /// Currently BASE.
    #[default]
    Default,
    /// Paths are used as they are.
    None,
    /// RFC 3986 (Envoy `normalize_path`): `/a/../b` is `/b`.
    Base,
    /// BASE, then consecutive slashes merged.
    MergeSlashes,
    /// `%2F`/`%5C` decoded (case-insensitive), then MERGE_SLASHES.
    DecodeAndMergeSlashes,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
pub struct OutboundTrafficPolicy {
    #[serde(default)]
    pub mode: String,
}

impl MeshConfig {
    /// Fields set in `other` replace ours (later sources win: files, then `--mesh-config`).
    pub fn overlay(&mut self, other: MeshConfig) {
        macro_rules! take {
            ($($f:ident),*) => { $(if other.$f.is_some() { self.$f = other.$f; })* };
        }
        take!(
            enable_auto_mtls,
            root_namespace,
            trust_domain,
            auth_policy,
            outbound_traffic_policy,
            path_normalization,
            default_config
        );
        if !other.trust_domain_aliases.is_empty() {
            self.trust_domain_aliases = other.trust_domain_aliases;
        }
        if !other.mtls_excluded_services.is_empty() {
            self.mtls_excluded_services = other.mtls_excluded_services;
        }
        if !other.default_destination_rule_export_to.is_empty() {
            self.default_destination_rule_export_to = other.default_destination_rule_export_to;
        }
    }

    pub fn root_namespace(&self) -> &str {
        self.root_namespace.as_deref().unwrap_or("istio-system")
    }

    pub fn trust_domain(&self) -> &str {
        self.trust_domain.as_deref().unwrap_or("cluster.local")
    }
}

/// IstioOperator: only the parts that tell the version and the mesh config.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct IstioOperatorSpec {
    pub tag: Option<serde_json_tag::Tag>,
    #[serde(default)]
    pub revision: String,
    pub mesh_config: Option<MeshConfig>,
}

/// `tag` may be written as a string or a number (`tag: 1.5`).
pub mod serde_json_tag {
    use serde::Deserialize;

    #[derive(Debug, Clone, PartialEq, Deserialize)]
    #[serde(untagged)]
    pub enum Tag {
        Text(String),
        Number(f64),
    }

    impl Tag {
        pub fn text(&self) -> String {
            match self {
                Tag::Text(s) => s.clone(),
                Tag::Number(n) => n.to_string(),
            }
        }
    }
}
