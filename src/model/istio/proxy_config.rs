//! ProxyConfig, the per-proxy settings of mesh config `defaultConfig` and of a workload's
//! `proxy.istio.io/config` annotation: only what changes a security outcome — the gateway
//! topology, which tells a gateway how many proxies in front of it append to X-Forwarded-For
//! (istio/api `mesh/v1alpha1/proxy.proto` `Topology`, from api 1.6.0, d5c7faf1). Other fields
//! are accepted and ignored.

use serde::Deserialize;

/// `ProxyConfig`: the fields meshlint reads.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct ProxyConfig {
    pub gateway_topology: Option<Topology>,
}

/// `gatewayTopology`: "This configuration only effects gateways and is applied to all the
/// gateways in the cluster unless overridden via annotations of the gateway workloads"
/// (istio/api master `mesh/v1alpha1/proxy.proto`).
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct Topology {
    /// The number of trusted proxies in front of the gateway: the gateway's HCM
    /// `xff_num_trusted_hops` (istio/istio 1.6.0+ `gateway.go` createGatewayHTTPFilterChainOpts;
    /// master `pilot/pkg/networking/core/gateway.go:729-741`). 0 when absent.
    #[serde(default)]
    pub num_trusted_proxies: u32,
}
