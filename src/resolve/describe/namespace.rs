//! `describe namespace`: its workloads, their modes, Kiali's mTLS status words and the
//! namespace rows of the reachability summary.

use std::collections::{BTreeMap, BTreeSet};

use super::view::*;
use super::*;
use super::{mtls::*, policy::*, workload::*};
use crate::facts::proxy::ProxyKind;
use crate::model::kind::Kind;
use crate::resolve::classes;
use crate::resolve::client_tls::Sends;
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::RequestContext;
use crate::resolve::server_mtls::ServerMode;
use crate::resolve::transport::Outcome;

/// The view of namespace `ns` and the scope of its findings (the objects in it).
pub fn namespace_view(a: &Decisions<'_>, ns: &str) -> (NamespaceView, FindingScope) {
    let inv = &a.inv;
    let policy_kinds = [
        Kind::MeshPolicy,
        Kind::PeerAuthentication,
        Kind::Policy,
        Kind::DestinationRule,
        Kind::RequestAuthentication,
        Kind::AuthorizationPolicy,
    ];
    let mut policies: Vec<usize> = Vec::new();
    for k in policy_kinds {
        for (i, o) in inv.of_kind(k) {
            let here = o.namespace.as_deref() == Some(ns);
            let mesh_wide = o.kind == Kind::MeshPolicy
                || (o.namespace.as_deref() == Some(inv.root_namespace())
                    && !policy_has_selector(o));
            if here || mesh_wide {
                policies.push(i);
            }
        }
    }
    // Workloads and the mode of each target port.
    let mut wviews = Vec::new();
    let mut modes: Vec<Option<ServerMode>> = Vec::new();
    let mut in_mesh = 0;
    for (w, wl) in inv.workloads_in(ns) {
        let services = services_of(a, w);
        let ports = mtls_views(a, w, &services);
        if a.proxies[w].kind.in_mesh() && a.proxies[w].kind != ProxyKind::Gateway {
            in_mesh += 1;
            modes.extend(ports.iter().map(|p| p.decision.mode));
        }
        wviews.push(NamespaceWorkloadView {
            id: wl.id(),
            proxy: a.proxies[w].kind.as_str(),
            ports: ports
                .iter()
                .map(|p| {
                    format!(
                        "{}: {}",
                        p.view.target_port,
                        p.view.mode.unwrap_or("no proxy")
                    )
                })
                .collect(),
        });
    }
    // What sidecar clients send to the namespace's services.
    let mut sends: Vec<Sends> = Vec::new();
    let targets: Vec<(usize, usize)> = inv
        .services_by_namespace
        .get(ns)
        .into_iter()
        .flatten()
        .flat_map(|&s| (0..inv.services[s].ports.len()).map(move |p| (s, p)))
        .collect();
    for &(s, p) in &targets {
        let svc = &inv.services[s];
        for &w in &svc.workloads {
            if !a.proxies[w].kind.in_mesh() {
                continue;
            }
            let pd = a.port(s, p);
            for class in &pd.clients {
                let sent = class.decision.sends(a, Some(w), pd.app_tls);
                sends.extend(std::iter::repeat_n(
                    sent,
                    class.len(a.client_namespaces.len()),
                ));
            }
        }
    }
    let mtls_status = mtls_status(in_mesh, &modes, &sends);
    let mut clients: Vec<usize> = (0..inv.workloads.len()).collect();
    clients.sort_by_cached_key(|&i| inv.workloads[i].id());
    let ctx = RequestContext::default();
    let inbound_summary = classes::namespace_summary(a, &clients, &targets, &ctx);
    let inbound = reach_rows(&inbound_summary, true);
    let own_clients: Vec<usize> = clients
        .iter()
        .copied()
        .filter(|&c| inv.workloads[c].namespace == ns)
        .collect();
    let all_targets: Vec<(usize, usize)> = inv
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| !s.is_api_server())
        .flat_map(|(si, s)| (0..s.ports.len()).map(move |p| (si, p)))
        .collect();
    let outbound_summary = classes::namespace_summary(a, &own_clients, &all_targets, &ctx);
    let outbound = reach_rows(&outbound_summary, false);
    let own: BTreeSet<usize> = inv
        .objects
        .iter()
        .enumerate()
        .filter(|(_, o)| {
            o.namespace.as_deref() == Some(ns) || o.name() == ns && o.kind == Kind::Namespace
        })
        .map(|(i, _)| i)
        .collect();
    let view = NamespaceView {
        namespace: ns.to_owned(),
        at: inv.declared_namespaces.get(ns).map(|&i| object_ref(a, i)),
        labels: inv.namespace_labels(ns).to_btree(),
        policies: policies.into_iter().map(|i| policy_view(a, i)).collect(),
        mtls_status,
        workloads: wviews,
        inbound,
        outbound,
        findings: Vec::new(),
    };
    let scope = FindingScope {
        objects: own,
        ..FindingScope::default()
    };
    (view, scope)
}

/// Kiali's namespace status words, from the resolved modes rather than from the policies'
/// names: enabled when every in-mesh port is STRICT and every sidecar client sends mTLS;
/// disabled when no pair can use mTLS; partially enabled otherwise.
pub(super) fn mtls_status(
    in_mesh: usize,
    modes: &[Option<ServerMode>],
    sends: &[Sends],
) -> MtlsStatusView {
    if in_mesh == 0 {
        return MtlsStatusView {
            status: "not enabled",
            reason: "no workload in the namespace has a proxy".to_owned(),
        };
    }
    let mtls = |s: &Sends| matches!(s, Sends::IstioMutual | Sends::Hbone);
    let strict = modes
        .iter()
        .filter(|m| **m == Some(ServerMode::Strict))
        .count();
    let disable = modes
        .iter()
        .filter(|m| **m == Some(ServerMode::Disable))
        .count();
    let mtls_clients = sends.iter().filter(|s| mtls(s)).count();
    let detail = format!(
        "{strict} of {} in-mesh ports STRICT, {disable} DISABLE; sidecar clients send mTLS in {mtls_clients} of {} cases",
        modes.len(),
        sends.len()
    );
    let status = if strict == modes.len() && mtls_clients == sends.len() {
        "enabled"
    } else if disable == modes.len() || (mtls_clients == 0 && strict == 0) {
        "disabled"
    } else {
        "partially enabled"
    };
    MtlsStatusView {
        status,
        reason: detail,
    }
}

pub(super) fn reach_rows(s: &classes::NamespaceSummary, inbound: bool) -> Vec<NamespaceReachView> {
    let mut rows: Vec<NamespaceReachView> = Vec::new();
    for pair in s.pairs() {
        let other = if inbound {
            s.from_name(pair)
        } else {
            s.to_name(pair)
        };
        let counts = s.counts(pair);
        let mut blocked = BTreeMap::new();
        for (o, n) in counts.by_outcome().skip(1) {
            if n > 0 && o != Outcome::Depends {
                blocked.insert(o.as_str(), u64::from(n));
            }
        }
        rows.push(NamespaceReachView {
            namespace: other.to_owned(),
            cells: counts.cells(),
            ok: counts.reachable(),
            blocked,
            depends: counts.depends(),
        });
    }
    rows
}
