//! One cell of the reachability matrix: a client workload sends a request to a service port.
//! Combines the client decision, the server decision of each endpoint, the transport outcome
//! and — when the connection is made — the request-level stages (JWT, CUSTOM, DENY, ALLOW);
//! with several endpoints the worst outcome is reported (a request may land on it).

use crate::analysis::Analysis;
use crate::facts::proxy::ProxyKind;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::resolve::client_tls::{self, ClientDecision, Sends};
use crate::resolve::decisions::Decisions;
use crate::resolve::protocol::{Protocol, service_port_protocol};
use crate::resolve::request::{self, Peer, Stage};
pub use crate::resolve::request::{Detail, RequestContext};
use crate::resolve::server_mtls::{FieldRef, ServerDecision};
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
    /// The whole story in one line: client side, server side, transport, request stage.
    /// Empty past the endpoints when the request asks for [`Detail::Outcome`].
    pub reason: String,
    /// The transport part alone (what the `transport` stage of a trace says); empty with
    /// [`Detail::Outcome`].
    pub transport: String,
    /// Request-level stages, when the transport succeeded and the server has a proxy; their
    /// details are empty with [`Detail::Outcome`].
    pub stages: Vec<Stage>,
    /// With [`Outcome::Depends`]: the fields whose value the inputs do not give.
    pub depends_on: Vec<FieldRef>,
    /// When the endpoints do not all give the same outcome: each endpoint (workload index) and
    /// its outcome; `outcome` is the worst of them. Empty when they agree.
    pub endpoints: Vec<(usize, Outcome)>,
}

/// The peer the server sees: identity only over Istio mTLS (authz-semantics §6).
pub fn peer(a: &Decisions<'_>, client: usize, sends: Sends) -> Peer {
    let w = &a.inv.workloads[client];
    let mtls = matches!(sends, Sends::IstioMutual | Sends::Hbone);
    Peer {
        mtls,
        principal: mtls.then(|| a.principal(client).to_owned()),
        namespace: mtls.then(|| w.namespace.clone()),
        ip: None,
        gateway: a.proxies[client].kind == ProxyKind::Gateway,
    }
}

impl Cell {
    /// The resources that decided, in order: client side, then server side.
    ///
    /// The transport deciders (client TLS, server mTLS), then the fields of the request stage
    /// that gave the verdict, when one did: a stage that passed the request on (`pass`,
    /// `skip`) decided nothing, so the policies it looked at are not listed (issue 11).
    pub fn decided_by(&self) -> Vec<FieldRef> {
        let mut v = self.client_decision.decided_by.clone();
        if let Some((_, _, d)) = &self.endpoint {
            v.extend(d.decided_by.iter().cloned());
        }
        if let Some(last) = self.stages.last()
            && !matches!(last.decision.as_str(), "pass" | "skip")
        {
            for f in &last.by {
                if !v.contains(f) {
                    v.push(f.clone());
                }
            }
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

/// A cell decided before any endpoint: the outcome, and `why` as its transport reason.
fn no_endpoint_cell(
    (client, service, port): (usize, usize, usize),
    outcome: Outcome,
    http: bool,
    decision: ClientDecision,
    sends: Sends,
    why: String,
) -> Cell {
    Cell {
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
        transport: why,
        stages: Vec::new(),
        depends_on: Vec::new(),
        endpoints: Vec::new(),
    }
}

/// Evaluates `client` (workload index) → `services[service].ports[port]` for `req`.
pub fn evaluate(
    a: &Decisions<'_>,
    client: usize,
    service: usize,
    port: usize,
    req: &RequestContext,
) -> Cell {
    let svc: &ServiceInfo = &a.inv.services[service];
    let p = &svc.ports[port];
    let http = curl_speaks_http(a, p);
    let app_tls = client_tls::app_speaks_tls(svc, p);
    let decision = a.client_decision(client, service, port);
    let client_proxy = a.proxies[client].kind;
    // A request the client's proxy, or the server's, refuses as malformed ends there: 400.
    let parses_http = |k: ProxyKind| matches!(k, ProxyKind::Sidecar | ProxyKind::Gateway);
    if http
        && let Some(why) = request::bad_request(&req.request)
        && (parses_http(client_proxy)
            || svc
                .workloads
                .iter()
                .any(|&w| parses_http(a.proxies[w].kind)))
    {
        let sends = decision.sends(a, svc.workloads.first().copied(), app_tls);
        return no_endpoint_cell(
            (client, service, port),
            Outcome::BadRequest,
            http,
            decision,
            sends,
            why,
        );
    }
    if svc.workloads.is_empty() {
        let sends = decision.sends(a, None, app_tls);
        let (outcome, why) = if !svc.has_selector {
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
        return no_endpoint_cell((client, service, port), outcome, http, decision, sends, why);
    }
    // Only the outcome is read (`matrix --by namespace`): no reason is written.
    let outcome_only = req.detail == Detail::Outcome;
    let mut worst: Option<Endpoint> = None;
    let mut per_endpoint: Vec<(usize, Outcome)> = Vec::new();
    // Server decisions come from the decision layer: the same ones the rules judge.
    for e in &a.port(service, port).endpoints {
        let (w, target_port) = (e.workload, e.target_port);
        let server = e.server.clone();
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
        // On a TCP port the client sidecar's refusal reaches curl as a closed connection, not
        // as HTTP 503 (SPEC §3.5: `http_code` null, exit 56).
        let why = if outcome_only {
            String::new()
        } else if outcome == Outcome::UpstreamError && !http {
            format!("{why}; on this TCP port the client sees the connection closed")
        } else {
            why
        };
        let transport_why = why.clone();
        let (outcome, why, stages) = if outcome == Outcome::Ok {
            let (o, stages) = request::evaluate(
                a,
                w,
                (service, port),
                target_port,
                &peer(a, client, sends),
                req,
            );
            let why = match (o, stages.last()) {
                _ if outcome_only => why,
                (Outcome::Ok, _) | (_, None) => why,
                (_, Some(last)) => format!("{why}; then {}: {}", last.stage, last.detail),
            };
            (o, why, stages)
        } else {
            (outcome, why, Vec::new())
        };
        per_endpoint.push((w, outcome));
        if worst.as_ref().is_none_or(|e| outcome > e.outcome) {
            worst = Some(Endpoint {
                outcome,
                workload: w,
                target_port,
                server,
                sends,
                why,
                transport: transport_why,
                stages,
            });
        }
    }
    let Endpoint {
        outcome,
        workload: w,
        target_port,
        server,
        sends,
        why,
        transport,
        stages,
    } = worst.expect("service has workloads");
    let mut reason = if outcome_only {
        String::new()
    } else {
        format!(
            "client sends {} ({}); server {} on target port {target_port} ({}); {why}",
            sends.as_str(),
            decision.reason,
            server.mode.map_or("has no sidecar", |m| m.as_str()),
            server.reason
        )
    };
    // Endpoints that disagree: only the requests that land on some of them fail, the
    // intermittent failure that is hardest to debug (issue 12).
    let mixed = per_endpoint.iter().any(|&(_, o)| o != outcome);
    if mixed && !outcome_only {
        let endpoints = &a.port(service, port).endpoints;
        let failing: Vec<String> = per_endpoint
            .iter()
            .filter(|&&(_, o)| o == outcome)
            .map(|&(e, _)| {
                let what = endpoints
                    .iter()
                    .find(|x| x.workload == e)
                    .and_then(|x| x.server.mode)
                    .map_or_else(
                        || "has no sidecar".to_owned(),
                        |m| format!("is {}", m.as_str()),
                    );
                format!("{} {what}", a.inv.workloads[e].id())
            })
            .collect();
        reason = format!(
            "{} for {} of {} endpoints: {}; {reason}",
            outcome.as_str(),
            failing.len(),
            per_endpoint.len(),
            failing.join(", ")
        );
    }
    let endpoints = if mixed { per_endpoint } else { Vec::new() };
    let depends_on = match (outcome, stages.last()) {
        (Outcome::Depends, Some(s)) => s.by.clone(),
        _ => Vec::new(),
    };
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
        transport,
        stages,
        depends_on,
        endpoints,
    }
}

/// One endpoint's evaluation; the worst of them stands for the cell.
struct Endpoint {
    outcome: Outcome,
    workload: usize,
    target_port: i32,
    server: ServerDecision,
    sends: Sends,
    /// Transport reason, with the deciding request stage appended when it refused.
    why: String,
    transport: String,
    stages: Vec<Stage>,
}
