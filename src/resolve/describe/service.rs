//! `describe service`: each port, the server modes of its endpoints and what clients send.

use std::collections::BTreeSet;

use super::view::*;
use super::*;
use super::{clients::*, mtls::*, workload::*};
use crate::model::labels::Labels;
use crate::resolve::authz::rule_requests;
use crate::resolve::decisions::Decisions;

/// The view of Service `s` (index into `inv.services`) and the scope of its findings.
pub fn service_view(a: &Decisions<'_>, s: usize) -> (ServiceView, FindingScope) {
    let inv = &a.inv;
    let svc = &inv.services[s];
    let mut own: BTreeSet<usize> = svc.object.into_iter().collect();
    let workloads: Vec<ServiceWorkloadView> = svc
        .workloads
        .iter()
        .map(|&w| {
            let ports = mtls_views(a, w, &[s]);
            for m in &ports {
                own.extend(m.candidates.iter().filter_map(|c| c.object));
            }
            ServiceWorkloadView {
                id: inv.workloads[w].id(),
                proxy: a.proxies[w].kind.as_str(),
                mtls: ports
                    .into_iter()
                    .filter(|m| !m.view.via.is_empty())
                    .map(|m| m.view)
                    .collect(),
            }
        })
        .collect();
    let targets: Vec<(usize, usize)> = (0..svc.ports.len()).map(|p| (s, p)).collect();
    for &(_, p) in &targets {
        own.extend(a.port(s, p).clients.iter().filter_map(|c| c.decision.rule));
    }
    let scope = FindingScope {
        shared: shared_objects(a, &own),
        needles: needles(a, None, &[s]),
        objects: own,
    };
    let view = ServiceView {
        id: format!("{}/{}", svc.namespace, svc.name),
        namespace: svc.namespace.clone(),
        at: svc.object.map(|o| object_ref(a, o)),
        selector: a
            .inv
            .service_selector(svc)
            .map(Labels::to_btree)
            .unwrap_or_default(),
        ports: svc
            .ports
            .iter()
            .map(|p| port_view(a, p, svc.workloads.first().copied()))
            .collect(),
        workloads,
        clients: targets
            .iter()
            .map(|&(s, p)| clients_view(a, s, p, None))
            .collect(),
        findings: Vec::new(),
        inbound: inbound(a, &targets, &rule_requests(a, &svc.workloads)),
    };
    (view, scope)
}
