//! `describe pod|workload`: the workload, its ports, probes and Services, and everything that
//! applies to it, with the objects whose findings belong on it.

use std::collections::BTreeSet;

use crate::model::pod::Probe;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::view::*;
use super::*;
use super::{clients::*, destination_rules::destination_rules_view, mtls::*, policy::*};
use crate::analysis::Analysis;
use crate::facts::implied::IMPLIED_BY;
use crate::model::inventory::PortInfo;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authn::applicable_request_authentications;
use crate::resolve::authz;
use crate::resolve::cell::{JsonRef, json_ref};
use crate::resolve::decisions::Decisions;
use crate::resolve::protocol::service_port_protocol;
use crate::resolve::server_mtls::FieldRef;
use crate::version::Behaviour;

pub(super) fn object_ref(a: &Analysis, object: usize) -> JsonRef {
    json_ref(
        a,
        &FieldRef {
            object,
            field: "metadata.name".into(),
        },
    )
}

/// The view of workload `w` (index into `inv.workloads`) and the scope of its findings.
pub fn workload_view(a: &Decisions<'_>, w: usize) -> (WorkloadView, FindingScope) {
    let inv = &a.inv;
    let wl = &inv.workloads[w];
    let spec = inv.pod_spec(wl);
    let mut container_ports = Vec::new();
    let mut probes = Vec::new();
    for c in spec.map(|s| s.containers.as_slice()).unwrap_or_default() {
        for p in c.ports.iter().flatten() {
            container_ports.push(ContainerPortView {
                container: c.name.clone(),
                name: p.name.clone(),
                port: p.container_port,
                protocol: p.protocol.clone().unwrap_or_else(|| "TCP".to_owned()),
            });
        }
        for (probe, p) in [
            ("liveness", &c.liveness_probe),
            ("readiness", &c.readiness_probe),
            ("startup", &c.startup_probe),
        ] {
            if let Some(p) = p {
                probes.push(ProbeView {
                    container: c.name.clone(),
                    probe,
                    action: probe_action(p),
                });
            }
        }
    }
    let services = services_of(a, w);
    let services_view = services
        .iter()
        .map(|&s| ServicePortsView {
            service: format!("{}.{}", inv.services[s].name, inv.services[s].namespace),
            at: inv.services[s].object.map(|o| object_ref(a, o)),
            ports: inv.services[s]
                .ports
                .iter()
                .map(|p| port_view(a, p, Some(w)))
                .collect(),
        })
        .collect();
    let mtls = mtls_views(a, w, &services);
    let targets: Vec<(usize, usize)> = services
        .iter()
        .flat_map(|&s| (0..inv.services[s].ports.len()).map(move |p| (s, p)))
        .collect();
    let clients = targets
        .iter()
        .map(|&(s, p)| clients_view(a, s, p, Some(w)))
        .collect();
    // Refused policies that would select the workload are listed as not applied.
    let refused = crate::resolve::rejected::would_select(a, w);
    let refused_of = |kind: Kind| {
        refused
            .iter()
            .copied()
            .filter(move |&i| inv.objects[i].kind == kind)
    };
    let ras = applicable_request_authentications(a, w)
        .into_iter()
        .chain(refused_of(Kind::RequestAuthentication))
        .map(|i| policy_view(a, i))
        .collect();
    let mut aps = authz::applicable(a, w);
    aps.sort_by_key(|&i| match &inv.objects[i].body {
        Body::AuthorizationPolicy(s) => action_rank(s.action),
        _ => 9,
    });
    let authorization_note = (!aps.is_empty() && !a.profile.has(Behaviour::AuthorizationPolicy))
        .then(|| {
            format!(
                "Istio {} does not read AuthorizationPolicy",
                a.profile.version
            )
        });
    let aps: Vec<PolicyView> = aps
        .into_iter()
        .chain(refused_of(Kind::AuthorizationPolicy))
        .map(|i| policy_view(a, i))
        .collect();
    // Findings on the workload's own objects and on every policy that selects it.
    let mut own: BTreeSet<usize> = BTreeSet::new();
    own.insert(wl.object);
    own.extend(wl.pods.iter().copied());
    own.extend(services.iter().filter_map(|&s| inv.services[s].object));
    for m in &mtls {
        own.extend(m.candidates.iter().filter_map(|c| c.object));
    }
    own.extend(applicable_request_authentications(a, w));
    own.extend(authz::applicable(a, w));
    // Refused policies that would select it: their findings say they are not applied, and
    // belong on this workload even when namespace-wide.
    own.extend(refused.iter().copied());
    for &(s, p) in &targets {
        own.extend(a.port(s, p).clients.iter().filter_map(|c| c.decision.rule));
    }
    let mut shared = shared_objects(a, &own);
    shared.retain(|i| !refused.contains(i));
    let scope = FindingScope {
        shared,
        needles: needles(a, Some(w), &services),
        objects: own,
    };
    let implied_by = a
        .is_implied(wl.object)
        .then(|| {
            a.inv.objects[wl.object]
                .annotations()
                .get(IMPLIED_BY)
                .cloned()
        })
        .flatten();
    let view = WorkloadView {
        implied_by,
        id: wl.id(),
        kind: wl.kind.name().to_owned(),
        namespace: wl.namespace.clone(),
        at: object_ref(a, wl.object),
        labels: wl.labels.to_btree(),
        service_account: wl.service_account.clone(),
        pods: wl
            .pods
            .iter()
            .map(|&p| inv.objects[p].name().to_owned())
            .collect(),
        proxy: ProxyView {
            kind: a.proxies[w].kind.as_str(),
            reason: a.proxies[w].reason.clone(),
        },
        container_ports,
        probes,
        services: services_view,
        mtls: mtls.into_iter().map(|m| m.view).collect(),
        clients,
        destination_rules: destination_rules_view(a, w, &targets),
        request_authentications: ras,
        authorization_policies: aps,
        authorization_note,
        findings: Vec::new(),
        inbound: inbound(a, &targets, &authz::rule_requests(a, &[w])),
    };
    (view, scope)
}

/// Objects that apply to more than one workload: they carry findings about others too.
pub(super) fn shared_objects(a: &Analysis, objects: &BTreeSet<usize>) -> BTreeSet<usize> {
    objects
        .iter()
        .copied()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            matches!(
                o.kind,
                Kind::ConfigMap | Kind::MeshPolicy | Kind::DestinationRule | Kind::IstioOperator
            ) || (matches!(o.kind, Kind::Policy) && !o.name().is_empty())
                || (matches!(
                    o.kind,
                    Kind::PeerAuthentication
                        | Kind::AuthorizationPolicy
                        | Kind::RequestAuthentication
                ) && !policy_has_selector(o))
        })
        .collect()
}

/// How findings name a workload and its services.
pub(super) fn needles(a: &Analysis, w: Option<usize>, services: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = w.map(|w| a.inv.workloads[w].id()).into_iter().collect();
    for &s in services {
        let svc = &a.inv.services[s];
        v.push(format!("{}.{}", svc.name, svc.namespace));
        v.push(format!("{}/{}", svc.namespace, svc.name));
    }
    v
}

/// The Services that select workload `w` (the API server's implicit Service never does).
pub(super) fn services_of(a: &Analysis, w: usize) -> Vec<usize> {
    let mut v: Vec<usize> = a.inv.services_of[w].clone();
    v.sort_by_key(|&s| (&a.inv.services[s].namespace, &a.inv.services[s].name));
    v
}

pub(super) fn port_view(a: &Analysis, p: &PortInfo, w: Option<usize>) -> ServicePortView {
    let (proto, _) = service_port_protocol(
        p.port,
        &p.name,
        &p.protocol,
        p.app_protocol.as_deref(),
        a.profile.has(Behaviour::AppProtocol),
    );
    let target_port = match w {
        Some(w) => a.inv.target_port(p, &a.inv.workloads[w]),
        None => match &p.target_port {
            None => Some(p.port),
            Some(IntOrString::Int(n)) => Some(*n),
            Some(IntOrString::String(s)) => s.parse().ok(),
        },
    };
    ServicePortView {
        name: p.name.clone(),
        port: p.port,
        protocol: proto.as_str().to_owned(),
        target_port,
        target_port_name: match &p.target_port {
            Some(IntOrString::String(s)) if s.parse::<i32>().is_err() => Some(s.clone()),
            _ => None,
        },
    }
}

pub(super) fn probe_action(p: &Probe) -> String {
    let port = |p: &IntOrString| match p {
        IntOrString::Int(n) => n.to_string(),
        IntOrString::String(s) => s.clone(),
    };
    if let Some(h) = &p.http_get {
        return format!(
            "httpGet {} port {}",
            h.path.as_deref().unwrap_or("/"),
            port(&h.port)
        );
    }
    if let Some(t) = &p.tcp_socket {
        return format!("tcpSocket port {}", port(&t.port));
    }
    if let Some(g) = &p.grpc {
        return format!("grpc port {}", g.port);
    }
    "exec".to_owned()
}
