//! Which filter chain a request takes at an Istio gateway: the servers of the Gateways that
//! select the gateway workload decide it, not the Kubernetes Service port name (issue 11,
//! field/gateway-https-terminated). istio/istio `pilot/pkg/networking/core/v1alpha3/gateway.go`
//! buildGatewayListeners and `pkg/config/gateway/gateway.go` IsHTTPServer/IsTLSServer (1.8.0,
//! unchanged since): an HTTP server, or an HTTPS server that terminates TLS, gets an HTTP
//! connection manager; a TLS/TCP server, or any PASSTHROUGH/AUTO_PASSTHROUGH server, gets a TCP
//! proxy; TLS chains are matched by SNI.

use crate::analysis::Analysis;
use crate::model::istio::networking::GatewayServer;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::server_mtls::FieldRef;

/// The kind of chain a request lands on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GatewayChain {
    /// HTTP connection manager (plain HTTP, or HTTPS terminated here): HTTP semantics.
    Http,
    /// TCP proxy behind a TLS handshake the client sees (PASSTHROUGH, or TLS servers): a closed
    /// connection shows as a failed handshake (curl exit 35).
    Tls,
    /// Plain TCP proxy (TCP, MONGO, … servers): a closed connection is a reset (curl exit 56).
    Tcp,
    /// Only TLS servers listen on the port and none serves this SNI: the handshake fails.
    NoMatch,
}

/// The chain and the server that decided it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainDecision {
    pub chain: GatewayChain,
    /// `servers[i]` of the Gateway that matched, if one did.
    pub by: Option<FieldRef>,
    pub reason: String,
}

fn is_http_protocol(p: &str) -> bool {
    matches!(
        p.to_ascii_uppercase().as_str(),
        "HTTP" | "HTTP2" | "GRPC" | "GRPC-WEB"
    )
}

fn passthrough(s: &GatewayServer) -> bool {
    s.tls
        .as_ref()
        .is_some_and(|t| matches!(t.mode.as_str(), "PASSTHROUGH" | "AUTO_PASSTHROUGH"))
}

/// The chain one server gives (IsHTTPServer / IsTLSServer).
fn server_chain(s: &GatewayServer) -> GatewayChain {
    let p = s.port.protocol.to_ascii_uppercase();
    if is_http_protocol(&p) || (p == "HTTPS" && s.tls.is_some() && !passthrough(s)) {
        GatewayChain::Http
    } else if s.tls.is_some() || p == "HTTPS" || p == "TLS" {
        GatewayChain::Tls
    } else {
        GatewayChain::Tcp
    }
}

/// Whether a server host (`host`, `ns/host`, `*.example.com`, `*`) names `host`.
fn host_matches(pattern: &str, host: &str) -> bool {
    let pattern = pattern.rsplit('/').next().unwrap_or(pattern);
    let host = host.split(':').next().unwrap_or(host);
    match pattern.strip_prefix('*') {
        Some(suffix) => host.ends_with(suffix),
        None => pattern.eq_ignore_ascii_case(host),
    }
}

/// Every server of a Gateway selecting gateway workload `w` that listens on `port` (the Service
/// port, or the container port it targets), with its Gateway object and index.
pub fn servers_on(
    a: &Analysis,
    w: usize,
    port: u32,
    target: u32,
) -> Vec<(usize, usize, &GatewayServer)> {
    let labels = &a.inv.workloads[w].labels;
    let mut out = Vec::new();
    for (i, o) in a.inv.of_kind(Kind::Gateway) {
        let Body::Gateway(spec) = &o.body else {
            continue;
        };
        if spec.selector.is_empty() || !spec.selector.selects(labels) {
            continue;
        }
        for (k, s) in spec.servers.iter().enumerate() {
            if s.port.number == port
                || s.port.number == target
                || s.port.target_port == Some(target)
            {
                out.push((i, k, s));
            }
        }
    }
    out
}

/// The chain a request for `host` takes at gateway workload `w` on `port` (Service port) /
/// `target` (container port); `None` when no Gateway in the inputs has a server there (the
/// Service port's protocol is all meshlint can go by).
pub fn chain(a: &Analysis, w: usize, port: u32, target: u32, host: &str) -> Option<ChainDecision> {
    let servers = servers_on(a, w, port, target);
    if servers.is_empty() {
        return None;
    }
    let at = |i: usize, k: usize| FieldRef {
        object: i,
        field: format!("spec.servers[{k}]").into(),
    };
    let matching = servers
        .iter()
        .find(|(_, _, s)| s.hosts.iter().any(|h| host_matches(h, host)));
    if let Some(&(i, k, s)) = matching {
        let o = &a.inv.objects[i];
        let chain = server_chain(s);
        let what = match chain {
            GatewayChain::Http => "HTTP filter chain",
            GatewayChain::Tls => "TCP proxy behind TLS (SNI known, HTTP attributes unknown)",
            _ => "TCP proxy",
        };
        return Some(ChainDecision {
            chain,
            by: Some(at(i, k)),
            reason: format!(
                "server {k} of Gateway {}/{} ({} {}{}) serves {host}: {what}",
                o.namespace(),
                o.name(),
                s.port.protocol,
                s.port.number,
                s.tls
                    .as_ref()
                    .map_or(String::new(), |t| format!(", tls {}", t.mode)),
            ),
        });
    }
    // No server names the host: a plain HTTP server still takes the request (the route may not
    // exist); with only TLS servers no filter chain matches the SNI.
    if let Some(&(i, k, _)) = servers
        .iter()
        .find(|(_, _, s)| server_chain(s) == GatewayChain::Http && s.tls.is_none())
    {
        return Some(ChainDecision {
            chain: GatewayChain::Http,
            by: Some(at(i, k)),
            reason: format!("no server names {host}; the plain HTTP server takes it"),
        });
    }
    Some(ChainDecision {
        chain: GatewayChain::NoMatch,
        by: None,
        reason: format!("no server on port {port} serves {host}: no filter chain matches the SNI"),
    })
}

/// Whether some server of a Gateway selecting `w` on `port`/`target` is a TCP or TLS chain,
/// where HTTP-only fields of authorization rules do not exist.
pub fn has_tcp_chain(a: &Analysis, w: usize, port: u32, target: u32) -> bool {
    servers_on(a, w, port, target)
        .iter()
        .any(|(_, _, s)| server_chain(s) != GatewayChain::Http)
}
