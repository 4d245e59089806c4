//! One cell of the reachability matrix: a client workload sends a request to a service port.
//! Combines the client decision, the server decision of each endpoint, and the transport
//! outcome; with several endpoints the worst outcome is reported (a request may land on it).

use crate::analysis::Analysis;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::resolve::client_tls::{self, ClientDecision, Sends};
use crate::resolve::protocol::{Protocol, service_port_protocol};
use crate::resolve::proxy::ProxyKind;
use crate::resolve::server_mtls::{self, FieldRef, ServerDecision, Target};
use crate::resolve::transport::{self, Outcome, ServerEnd};
use crate::version::Behaviour;

/// The evaluated request.
#[derive(Debug, Clone)]
pub struct Cell {
    pub client: usize,
    pub service: usize,
    pub port: usize,
    pub outcome: Outcome,
    /// Whether curl sees an HTTP response code on this port (false for TCP ports).
    pub http: bool,
    pub client_decision: ClientDecision,
    /// The endpoint the outcome stands for, its target port and its server decision.
    pub endpoint: Option<(usize, i32, ServerDecision)>,
    pub sends: Sends,
    pub reason: String,
}

impl Cell {
    /// The resources that decided, in order: client side, then server side.
    pub fn decided_by(&self) -> Vec<FieldRef> {
        let mut v = self.client_decision.decided_by.clone();
        if let Some((_, _, d)) = &self.endpoint {
            v.extend(d.decided_by.iter().cloned());
        }
        v
    }

    pub fn server_mode_text(&self) -> String {
        match &self.endpoint {
            Some((_, _, d)) => d
                .mode
                .map_or_else(|| "none".to_owned(), |m| m.as_str().to_owned()),
            None => "none".to_owned(),
        }
    }
}

/// Whether curl gets an HTTP status from this port.
pub fn curl_speaks_http(a: &Analysis, port: &PortInfo) -> bool {
    let (p, _) = service_port_protocol(
        port.port,
        &port.name,
        &port.protocol,
        port.app_protocol.as_deref(),
        a.profile.has(Behaviour::AppProtocol),
    );
    !matches!(
        p,
        Protocol::Tcp
            | Protocol::Tls
            | Protocol::Mongo
            | Protocol::Mysql
            | Protocol::Redis
            | Protocol::Udp
    )
}

/// Evaluates `client` (workload index) → `services[service].ports[port]`.
pub fn evaluate(a: &Analysis, client: usize, service: usize, port: usize) -> Cell {
    let svc: &ServiceInfo = &a.inv.services[service];
    let p = &svc.ports[port];
    let http = curl_speaks_http(a, p);
    let app_tls = client_tls::app_speaks_tls(svc, p);
    let decision = client_tls::decide(a, &client_tls::Client::of(a, client), svc, p);
    let client_proxy = a.proxies[client].kind;
    if svc.workloads.is_empty() {
        let sends = decision.sends(a, None, app_tls);
        let (outcome, why) = if svc.object.is_none() || svc.selector.is_none() {
            // The API server or a selector-less Service: an endpoint outside the mesh.
            transport::outcome(
                client_proxy,
                sends,
                ServerEnd {
                    proxy: ProxyKind::None,
                    mode: None,
                    app_tls,
                },
            )
        } else {
            (
                Outcome::UpstreamError,
                "the service selects no workload in the inputs: no endpoint".to_owned(),
            )
        };
        return Cell {
            client,
            service,
            port,
            outcome,
            http,
            reason: format!(
                "client sends {}: {}; {why}",
                sends.as_str(),
                decision.reason
            ),
            client_decision: decision,
            endpoint: None,
            sends,
        };
    }
    let mut worst: Option<(Outcome, usize, i32, ServerDecision, Sends, String)> = None;
    for &w in &svc.workloads {
        let target_port = a.inv.target_port(p, &a.inv.workloads[w]).unwrap_or(p.port);
        let server = server_mtls::decide(
            a,
            Target {
                workload: w,
                service: Some((svc, p)),
                target_port,
            },
        );
        let sends = decision.sends(a, Some(w), app_tls);
        let (outcome, why) = transport::outcome(
            client_proxy,
            sends,
            ServerEnd {
                proxy: server.proxy,
                mode: server.mode,
                app_tls,
            },
        );
        if worst.as_ref().is_none_or(|(o, ..)| outcome > *o) {
            worst = Some((outcome, w, target_port, server, sends, why));
        }
    }
    let (outcome, w, target_port, server, sends, why) = worst.expect("service has workloads");
    let reason = format!(
        "client sends {} ({}); server {} on target port {target_port} ({}); {why}",
        sends.as_str(),
        decision.reason,
        server.mode.map_or("has no sidecar", |m| m.as_str()),
        server.reason
    );
    Cell {
        client,
        service,
        port,
        outcome,
        http,
        client_decision: decision,
        endpoint: Some((w, target_port, server)),
        sends,
        reason,
    }
}
