//! The describe views (SPEC §7): plain data, everything already decided. `resolve::describe`
//! builds them from the decision layer; `report::describe` renders them (JSON is these structs
//! as they are).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::resolve::cell::JsonRef;

/// The JSON document of every describe.
#[derive(Debug, Serialize)]
pub struct DescribeDoc {
    pub version: u32,
    pub istio_version: String,
    #[serde(flatten)]
    pub view: View,
}

#[derive(Debug, Serialize)]
#[serde(tag = "describe", rename_all = "lowercase")]
pub enum View {
    Workload(Box<WorkloadView>),
    Service(Box<ServiceView>),
    Namespace(Box<NamespaceView>),
}

#[derive(Debug, Serialize)]
pub struct WorkloadView {
    /// `ns/name`.
    pub id: String,
    pub kind: String,
    pub namespace: String,
    pub at: JsonRef,
    pub labels: BTreeMap<String, String>,
    pub service_account: String,
    pub pods: Vec<String>,
    pub proxy: ProxyView,
    pub container_ports: Vec<ContainerPortView>,
    pub probes: Vec<ProbeView>,
    pub services: Vec<ServicePortsView>,
    pub mtls: Vec<PortMtlsView>,
    pub clients: Vec<ClientsView>,
    pub destination_rules: Vec<DestinationRuleView>,
    pub request_authentications: Vec<PolicyView>,
    pub authorization_policies: Vec<PolicyView>,
    /// Set when the chosen Istio version does not read AuthorizationPolicy.
    pub authorization_note: Option<String>,
    pub findings: Vec<FindingView>,
    pub inbound: Vec<InboundView>,
    /// For a workload that policies imply (the inputs hold none there, issue 13): the policy
    /// that implies it, `Kind ns/name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub implied_by: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ProxyView {
    pub kind: &'static str,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct ContainerPortView {
    pub container: String,
    pub name: Option<String>,
    pub port: i32,
    pub protocol: String,
}

#[derive(Debug, Serialize)]
pub struct ProbeView {
    pub container: String,
    /// `liveness`, `readiness`, `startup`.
    pub probe: &'static str,
    /// `httpGet /healthz port 8080`, `tcpSocket port 80`, `exec`.
    pub action: String,
}

/// A Service and the ports it maps (to one workload, or as declared).
#[derive(Debug, Serialize)]
pub struct ServicePortsView {
    /// `name.namespace`.
    pub service: String,
    pub at: Option<JsonRef>,
    pub ports: Vec<ServicePortView>,
}

#[derive(Debug, Serialize)]
pub struct ServicePortView {
    pub name: String,
    pub port: i32,
    /// The protocol Istio assigns (`HTTP`, `TCP`, …).
    pub protocol: String,
    /// The pod port it targets (`None`: a named port the workload does not define).
    pub target_port: Option<i32>,
    /// The target port as written, when it is a name.
    pub target_port_name: Option<String>,
}

/// The server mode of one target port and every policy considered.
#[derive(Debug, Serialize)]
pub struct PortMtlsView {
    pub target_port: i32,
    /// `svc.ns:port` that reach this target port (empty: no Service targets it).
    pub via: Vec<String>,
    /// `STRICT`, `PERMISSIVE`, `DISABLE`, or `None` without a proxy.
    pub mode: Option<&'static str>,
    pub reason: String,
    pub ambiguous: bool,
    pub candidates: Vec<CandidateView>,
}

#[derive(Debug, Serialize)]
pub struct CandidateView {
    /// `mesh`, `namespace`, `workload`, `port`, `service`, `annotation`.
    pub level: String,
    /// `PeerAuthentication foo/default`, `mesh config authPolicy`, …
    pub what: String,
    pub states: String,
    pub winner: bool,
    /// Why it lost (`None` for the winner, and for policies that contributed).
    pub lost: Option<String>,
    pub at: Option<JsonRef>,
}

/// What clients send to one service port of the workload.
#[derive(Debug, Serialize)]
pub struct ClientsView {
    /// `svc.ns:port`.
    pub service_port: String,
    pub target_port: Option<i32>,
    pub server_mode: Option<&'static str>,
    /// The server's proxy (`sidecar`, `gateway`, `ambient`, `none`): what no server mode means.
    pub server_proxy: &'static str,
    pub groups: Vec<ClientGroupView>,
}

/// Client namespaces that get the same client-side decision.
#[derive(Debug, Serialize)]
pub struct ClientGroupView {
    pub namespaces: Vec<String>,
    /// What a sidecar in these namespaces sends to this workload.
    pub client_tls: &'static str,
    /// `auto mTLS`, `DestinationRule`, `plaintext`, …
    pub reason: String,
    pub destination_rule: Option<JsonRef>,
    pub decided_by: Vec<JsonRef>,
    /// Set when client and server disagree: the outcome and why.
    pub conflict: Option<String>,
}

/// A DestinationRule that clients apply to the workload's service ports (istioctl's
/// "DestinationRule:" block).
#[derive(Debug, Serialize)]
pub struct DestinationRuleView {
    pub at: JsonRef,
    /// `spec.host` as written.
    pub host: String,
    /// Subsets whose labels the workload carries, and the others.
    pub matching_subsets: Vec<String>,
    pub other_subsets: Vec<String>,
    /// `trafficPolicy.tls.mode` (`None`: not set).
    pub tls_mode: Option<&'static str>,
    /// `trafficPolicy.portLevelSettings[].tls.mode`, by port.
    pub port_tls: Vec<PortTlsView>,
    /// `svc.ns:port` it applies to, and the client namespaces whose sidecars use it there.
    pub service_ports: Vec<String>,
    pub client_namespaces: Vec<String>,
}

/// A port-level TLS mode of a DestinationRule.
#[derive(Debug, Serialize)]
pub struct PortTlsView {
    pub port: u32,
    pub mode: &'static str,
}

/// A RequestAuthentication or AuthorizationPolicy, with one line per rule.
#[derive(Debug, Serialize)]
pub struct PolicyView {
    pub kind: String,
    pub namespace: String,
    pub name: String,
    /// `ALLOW`, `DENY`, … for AuthorizationPolicies.
    pub action: Option<&'static str>,
    pub dry_run: bool,
    /// `namespace-wide`, `mesh-wide (root namespace)`, `selector app=x`, `targetRefs …`.
    pub scope: String,
    pub at: JsonRef,
    pub rules: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct FindingView {
    pub code: &'static str,
    pub name: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// `Kind ns/name`.
    pub resource: Option<String>,
    pub file: Option<String>,
    pub line: Option<u32>,
}

/// One service port as the matrix sees it: which clients get which result.
#[derive(Debug, Serialize)]
pub struct InboundView {
    pub service_port: String,
    /// For `GET /`.
    pub results: Vec<InboundResult>,
    /// For the requests the ALLOW rules are written for, where they get other results.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub by_rule: Vec<RuleProbeView>,
}

/// What every client gets for one request an ALLOW rule admits (`GET /api/`).
#[derive(Debug, Serialize)]
pub struct RuleProbeView {
    pub request: String,
    /// The rule's `to` entry the request is drawn from.
    pub rule: JsonRef,
    pub results: Vec<InboundResult>,
}

#[derive(Debug, PartialEq, Serialize)]
pub struct InboundResult {
    /// `200`, `503`, `000/56`, `tcp`, …
    pub code: String,
    pub result: &'static str,
    pub client_tls: Vec<&'static str>,
    pub from: Vec<String>,
}

#[derive(Debug, Serialize)]
pub struct ServiceView {
    pub id: String,
    pub namespace: String,
    pub at: Option<JsonRef>,
    pub selector: BTreeMap<String, String>,
    pub ports: Vec<ServicePortView>,
    pub workloads: Vec<ServiceWorkloadView>,
    pub clients: Vec<ClientsView>,
    pub findings: Vec<FindingView>,
    pub inbound: Vec<InboundView>,
}

#[derive(Debug, Serialize)]
pub struct ServiceWorkloadView {
    pub id: String,
    pub proxy: &'static str,
    pub mtls: Vec<PortMtlsView>,
}

#[derive(Debug, Serialize)]
pub struct NamespaceView {
    pub namespace: String,
    pub at: Option<JsonRef>,
    pub labels: BTreeMap<String, String>,
    pub policies: Vec<PolicyView>,
    pub mtls_status: MtlsStatusView,
    pub workloads: Vec<NamespaceWorkloadView>,
    pub inbound: Vec<NamespaceReachView>,
    pub outbound: Vec<NamespaceReachView>,
    pub findings: Vec<FindingView>,
}

/// Kiali's namespace mTLS status vocabulary, decided from the resolved modes.
#[derive(Debug, Serialize)]
pub struct MtlsStatusView {
    /// `enabled`, `partially enabled`, `disabled`, `not enabled`.
    pub status: &'static str,
    pub reason: String,
}

#[derive(Debug, Serialize)]
pub struct NamespaceWorkloadView {
    pub id: String,
    pub proxy: &'static str,
    /// `80: STRICT`, one per target port.
    pub ports: Vec<String>,
}

/// Cells between this namespace and another, counted per result.
#[derive(Debug, Serialize)]
pub struct NamespaceReachView {
    pub namespace: String,
    /// Every cell: `ok`, the blocked ones and `depends`.
    pub cells: u64,
    pub ok: u64,
    /// Result → count, for the results that block the request.
    pub blocked: BTreeMap<&'static str, u64>,
    /// Cells whose result the inputs do not decide (neither ok nor blocked).
    pub depends: u64,
}
