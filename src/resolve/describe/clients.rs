//! What sidecar clients in each client namespace send to a service port (from the decision
//! layer), and the inbound row of the matrix.

use super::view::*;
use super::workload::*;
use crate::resolve::authz::RuleRequest;
use crate::resolve::cell::{destination_name, json_ref};
use crate::resolve::classes;
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::RequestContext;
use crate::resolve::request::Request;
use crate::resolve::server_mtls::{FieldRef, ServerMode};
use crate::resolve::transport::Outcome;

/// What a sidecar in each client namespace sends to `svc:port`, grouped by decision, and
/// whether the server (`endpoint`, or the Service's first workload) accepts it. Read from the
/// decision layer: the same client classes and server decisions the mTLS rules judge.
pub(super) fn clients_view(
    a: &Decisions<'_>,
    s: usize,
    p: usize,
    endpoint: Option<usize>,
) -> ClientsView {
    let inv = &a.inv;
    let svc = &inv.services[s];
    let port = &svc.ports[p];
    let pd = a.port(s, p);
    let endpoint = endpoint.or_else(|| svc.workloads.first().copied());
    let target_port = endpoint.and_then(|w| inv.target_port(port, &inv.workloads[w]));
    let server = target_port
        .and(endpoint)
        .and_then(|w| pd.endpoints.iter().find(|e| e.workload == w));
    let http = crate::resolve::reach::curl_speaks_http(a, port);
    let mut groups: Vec<ClientGroupView> = Vec::new();
    for class in &pd.clients {
        let d = &class.decision;
        let hop = pd.hop(a, class, server);
        let sends = d.sends(a, endpoint, pd.app_tls);
        let conflict = server.and_then(|_| {
            (hop.outcome != Outcome::Ok).then(|| {
                let (code, exit) = hop.outcome.curl(http);
                let shown = match (code, exit) {
                    (Some(c), 0) => c.to_owned(),
                    (Some(c), e) => format!("{c}/{e}"),
                    (None, e) => format!("tcp/{e}"),
                };
                format!("{} ({shown}): {}", hop.outcome.as_str(), hop.why)
            })
        });
        let rule = d.rule.map(|r| object_ref(a, r));
        for ns in class.namespace_names(a) {
            let same = groups.iter_mut().find(|g| {
                g.client_tls == sends.as_str()
                    && g.reason == d.reason
                    && g.conflict == conflict
                    && g.destination_rule.as_ref().map(|r| (&r.namespace, &r.name))
                        == rule.as_ref().map(|r| (&r.namespace, &r.name))
            });
            match same {
                Some(g) => g.namespaces.push(ns.to_owned()),
                None => groups.push(ClientGroupView {
                    namespaces: vec![ns.to_owned()],
                    client_tls: sends.as_str(),
                    reason: d.reason.clone(),
                    destination_rule: rule.clone(),
                    decided_by: d.decided_by.iter().map(|f| json_ref(a, f)).collect(),
                    conflict: conflict.clone(),
                }),
            }
        }
    }
    for g in &mut groups {
        g.namespaces.sort();
    }
    groups.sort_by(|x, y| x.namespaces.cmp(&y.namespaces));
    ClientsView {
        service_port: destination_name(a, s, p),
        target_port,
        server_mode: server.and_then(|e| e.server.mode.map(ServerMode::as_str)),
        server_proxy: endpoint.map_or("none", |w| a.proxies[w].kind.as_str()),
        groups,
    }
}

/// The inbound rows of the matrix for `targets`: every workload as a client, grouped by
/// result, for `GET /` and for each request of `probes` (drawn from the ALLOW rules,
/// `authz::rule_requests`) whose results differ from `GET /`'s.
pub(super) fn inbound(
    a: &Decisions<'_>,
    targets: &[(usize, usize)],
    probes: &[RuleRequest],
) -> Vec<InboundView> {
    let mut clients: Vec<usize> = (0..a.inv.workloads.len()).collect();
    clients.sort_by_cached_key(|&i| a.inv.workloads[i].id());
    let judge = |request: Request| {
        let ctx = RequestContext {
            request,
            ..RequestContext::default()
        };
        classes::classify(a, &clients, targets, &ctx)
    };
    let plain = judge(Request::default());
    let probed: Vec<(&RuleRequest, classes::ClassMatrix)> = probes
        .iter()
        .map(|r| (r, judge(r.request.clone())))
        .collect();
    targets
        .iter()
        .enumerate()
        .map(|(ti, &(s, p))| {
            let results = grouped(a, &clients, &plain, ti);
            let by_rule = probed
                .iter()
                .map(|(r, m)| (r, grouped(a, &clients, m, ti)))
                .filter(|(_, got)| *got != results)
                .map(|(r, got)| RuleProbeView {
                    request: r.shown.clone(),
                    rule: json_ref(
                        a,
                        &FieldRef {
                            object: r.policy,
                            field: r.field.clone().into(),
                        },
                    ),
                    results: got,
                })
                .collect();
            InboundView {
                service_port: destination_name(a, s, p),
                results,
                by_rule,
            }
        })
        .collect()
}

/// The cells of target column `ti` of `m`, grouped by what curl shows (ok first).
fn grouped(
    a: &Decisions<'_>,
    clients: &[usize],
    m: &classes::ClassMatrix,
    ti: usize,
) -> Vec<InboundResult> {
    let mut results: Vec<InboundResult> = Vec::new();
    for (ci, &c) in clients.iter().enumerate() {
        let cell = m.cell(ci, ti);
        let json = crate::resolve::cell::json_cell(a, cell);
        let shown = json.code();
        let tls = cell.sends.as_str();
        let from = a.inv.workloads[c].id();
        match results.iter_mut().find(|r| r.code == shown) {
            Some(r) => {
                r.from.push(from);
                if !r.client_tls.contains(&tls) {
                    r.client_tls.push(tls);
                }
            }
            None => results.push(InboundResult {
                code: shown,
                result: cell.outcome.as_str(),
                client_tls: vec![tls],
                from: vec![from],
            }),
        }
    }
    results.sort_by_key(|r| (r.result != "ok", r.code.clone()));
    results
}
