//! networking.istio.io (v1alpha3, v1beta1, v1): DestinationRule in full where TLS is concerned,
//! and ServiceEntry, Sidecar, Gateway, VirtualService only as far as security needs them.
//! DestinationRule and its TLS settings are strict; sub-objects meshlint does not interpret
//! (load balancing, connection pools, outlier detection) are accepted as they are.

use serde::Deserialize;

use super::common::{LabelsSelector, Opaque, WorkloadSelector};

#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TlsMode {
    #[default]
    Disable,
    Simple,
    Mutual,
    IstioMutual,
}

impl TlsMode {
    pub fn as_str(self) -> &'static str {
        match self {
            TlsMode::Disable => "DISABLE",
            TlsMode::Simple => "SIMPLE",
            TlsMode::Mutual => "MUTUAL",
            TlsMode::IstioMutual => "ISTIO_MUTUAL",
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct ClientTls {
    #[serde(default)]
    pub mode: TlsMode,
    #[serde(default)]
    pub client_certificate: String,
    #[serde(default)]
    pub private_key: String,
    #[serde(default)]
    pub ca_certificates: String,
    #[serde(default)]
    pub credential_name: String,
    #[serde(default)]
    pub subject_alt_names: Vec<String>,
    #[serde(default)]
    pub sni: String,
    pub insecure_skip_verify: Option<bool>,
    #[serde(default)]
    pub ca_crl: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct PortSelector {
    #[serde(default)]
    pub number: u32,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct PortTrafficPolicy {
    pub port: Option<PortSelector>,
    pub load_balancer: Option<LoadBalancer>,
    pub connection_pool: Opaque,
    pub outlier_detection: Opaque,
    pub tls: Option<ClientTls>,
}

/// `loadBalancer`: only what validation reads (`warmup`, istio/api release-1.24
/// destination_rule.proto:523); the rest is accepted as it is.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LoadBalancer {
    pub warmup: Option<Warmup>,
}

/// `loadBalancer.warmup` (1.24).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Warmup {
    pub duration: Option<String>,
    pub minimum_percent: Option<f64>,
    pub aggression: Option<f64>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct TrafficPolicy {
    pub load_balancer: Option<LoadBalancer>,
    pub connection_pool: Opaque,
    pub outlier_detection: Opaque,
    pub tls: Option<ClientTls>,
    #[serde(default)]
    pub port_level_settings: Vec<PortTrafficPolicy>,
    pub tunnel: Opaque,
    pub proxy_protocol: Opaque,
    pub retry_budget: Opaque,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Subset {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub labels: std::collections::BTreeMap<String, String>,
    pub traffic_policy: Option<TrafficPolicy>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct DestinationRuleSpec {
    #[serde(default)]
    pub host: String,
    pub traffic_policy: Option<TrafficPolicy>,
    #[serde(default)]
    pub subsets: Vec<Subset>,
    #[serde(default)]
    pub export_to: Vec<String>,
    /// `workloadSelector: {matchLabels: …}` (DestinationRule only; Sidecar uses `labels`).
    pub workload_selector: Option<WorkloadSelector>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    #[serde(default)]
    pub number: u32,
    #[serde(default)]
    pub protocol: String,
    #[serde(default)]
    pub name: String,
    pub target_port: Option<u32>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntrySpec {
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub addresses: Vec<String>,
    #[serde(default)]
    pub ports: Vec<ServicePort>,
    #[serde(default)]
    pub location: String,
    #[serde(default)]
    pub resolution: String,
    #[serde(default)]
    pub export_to: Vec<String>,
    pub workload_selector: Option<LabelsSelector>,
    #[serde(default)]
    pub endpoints: Vec<ServiceEntryEndpoint>,
}

/// One `endpoints[]` entry of a ServiceEntry (a WorkloadEntry spec): only what validation reads.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServiceEntryEndpoint {
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub network: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SidecarSpec {
    pub workload_selector: Option<LabelsSelector>,
    #[serde(default)]
    pub ingress: Vec<SidecarIngress>,
    #[serde(default)]
    pub egress: Vec<SidecarEgress>,
    pub outbound_traffic_policy: Option<OutboundTrafficPolicy>,
    pub inbound_connection_pool: Opaque,
}

/// A Sidecar `ingress[]` listener: what validation reads (istio/api networking/v1alpha3
/// sidecar.proto IstioIngressListener).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SidecarIngress {
    pub port: Option<SidecarPort>,
    #[serde(default)]
    pub bind: String,
    #[serde(default)]
    pub default_endpoint: String,
    pub tls: Option<ServerTls>,
}

/// A Sidecar `egress[]` listener (IstioEgressListener).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SidecarEgress {
    pub port: Option<SidecarPort>,
    #[serde(default)]
    pub bind: String,
    #[serde(default)]
    pub capture_mode: String,
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// A Sidecar listener port (SidecarPort).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct SidecarPort {
    #[serde(default)]
    pub number: u32,
    #[serde(default)]
    pub protocol: String,
    #[serde(default)]
    pub name: String,
    pub target_port: Option<u32>,
}

/// Sidecar `outboundTrafficPolicy`.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct OutboundTrafficPolicy {
    #[serde(default)]
    pub mode: String,
    pub egress_proxy: Option<EgressProxy>,
}

/// `outboundTrafficPolicy.egressProxy` (a Destination).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct EgressProxy {
    #[serde(default)]
    pub host: String,
    pub port: Option<PortSelector>,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewaySpec {
    #[serde(default)]
    pub selector: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    pub servers: Vec<GatewayServer>,
}

/// One `servers[]` entry of an Istio Gateway (only what decides the filter chain).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayServer {
    #[serde(default)]
    pub port: GatewayPort,
    #[serde(default)]
    pub hosts: Vec<String>,
    pub tls: Option<ServerTls>,
    #[serde(default)]
    pub bind: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GatewayPort {
    #[serde(default)]
    pub number: u32,
    #[serde(default)]
    pub protocol: String,
    #[serde(default)]
    pub name: String,
    pub target_port: Option<u32>,
}

/// Server TLS settings of a Gateway server or Sidecar ingress listener (istio/api
/// networking/v1alpha3 gateway.proto ServerTLSSettings): what the chain and validation read.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ServerTls {
    /// PASSTHROUGH (the default when unset), SIMPLE, MUTUAL, AUTO_PASSTHROUGH, ISTIO_MUTUAL,
    /// OPTIONAL_MUTUAL.
    #[serde(default)]
    pub mode: String,
    #[serde(default)]
    pub https_redirect: bool,
    #[serde(default)]
    pub server_certificate: String,
    #[serde(default)]
    pub private_key: String,
    #[serde(default)]
    pub ca_certificates: String,
    #[serde(default)]
    pub ca_crl: String,
    #[serde(default)]
    pub credential_name: String,
    #[serde(default)]
    pub credential_names: Vec<String>,
    #[serde(default)]
    pub tls_certificates: Vec<TlsCertificate>,
    #[serde(default)]
    pub subject_alt_names: Vec<String>,
}

/// One `tlsCertificates[]` entry (1.26).
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct TlsCertificate {
    #[serde(default)]
    pub server_certificate: String,
    #[serde(default)]
    pub private_key: String,
}

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VirtualServiceSpec {
    #[serde(default)]
    pub hosts: Vec<String>,
    #[serde(default)]
    pub gateways: Vec<String>,
    #[serde(default)]
    pub export_to: Vec<String>,
}
