//! `meshlint describe pod|workload|service|namespace NAME` (SPEC §7): everything that applies to
//! one object, gathered from the resolvers into a `report::describe` view (the renderers decide
//! nothing): the workload, its Services and ports, the effective mTLS mode per target port with
//! every policy considered, what each client namespace sends, request authentication,
//! authorization in evaluation order, findings, and the inbound row of the matrix.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use k8s_openapi::api::core::v1::Probe;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use super::matrix::style;
use super::{ExitStatus, load};
use crate::analysis::Analysis;
use crate::cli::{DescribeArgs, DescribeWhat, TextOrJson};
use crate::diagnostic::Finding;
use crate::engine::{self, Settings};
use crate::error::Error;
use crate::facts::proxy::ProxyKind;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::istio::security::AuthzAction;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::model::select::WorkloadSelector;
use crate::report::cell::{JsonRef, destination_name, json_ref};
use crate::report::describe::{
    self, CandidateView, ClientGroupView, ClientsView, ContainerPortView, DescribeDoc, FindingView,
    InboundResult, InboundView, MtlsStatusView, NamespaceReachView, NamespaceView,
    NamespaceWorkloadView, PolicyView, PortMtlsView, ProbeView, ProxyView, ServicePortView,
    ServicePortsView, ServiceView, ServiceWorkloadView, View, WorkloadView,
};
use crate::report::matrix::code;
use crate::resolve::authn::applicable_request_authentications;
use crate::resolve::authz;
use crate::resolve::classes;
use crate::resolve::client_tls::{self, Client, Sends};
use crate::resolve::protocol::service_port_protocol;
use crate::resolve::reach::RequestContext;
use crate::resolve::server_mtls::{self, FieldRef, ServerDecision, ServerMode, Target};
use crate::resolve::transport::{self, Outcome, ServerEnd};
use crate::version::Behaviour;

pub fn run(
    args: DescribeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let a = load(&args.input, &args.common, &[], err)?;
    let ns = args.common.namespace.as_deref();
    let findings = engine::run(&a, &Settings::default()).findings;
    let view = match args.what {
        DescribeWhat::Pod | DescribeWhat::Workload => {
            let w = pick_workload(&a, &args.name, ns)?;
            View::Workload(Box::new(workload_view(&a, w, &findings)))
        }
        DescribeWhat::Service => {
            let s = pick_service(&a, &args.name, ns)?;
            View::Service(Box::new(service_view(&a, s, &findings)))
        }
        DescribeWhat::Namespace => {
            let n = pick_namespace(&a, &args.name)?;
            View::Namespace(Box::new(namespace_view(&a, &n, &findings)))
        }
    };
    let doc = DescribeDoc {
        version: 1,
        istio_version: a.profile.version.to_string(),
        view,
    };
    match args.output {
        TextOrJson::Json => describe::render_json(&doc, out)?,
        TextOrJson::Text => {
            let st = style(&args.common);
            describe::text::render(&doc, st.color, 100, out)?;
        }
    }
    Ok(ExitStatus::Success)
}

// ------------------------------------------------------------------ choosing the object

/// A workload by pod name, controller name, `ns/name` or `name.ns`; one or a usage error.
fn pick_workload(a: &Analysis, text: &str, ns: Option<&str>) -> Result<usize, Error> {
    let mut found: BTreeSet<usize> = BTreeSet::new();
    if let Ok(sel) = WorkloadSelector::parse(text, ns) {
        found.extend((0..a.inv.workloads.len()).filter(|&i| sel.matches(&a.inv.workloads[i])));
    }
    // Pod names (`httpbin-7d4-abcde`) name the workload they belong to.
    let (pod_ns, pod_name) = split_name(text, ns);
    for (i, w) in a.inv.workloads.iter().enumerate() {
        if pod_ns.as_deref().is_none_or(|n| n == w.namespace)
            && w.pods.iter().any(|&p| a.inv.objects[p].name() == pod_name)
        {
            found.insert(i);
        }
    }
    match found.len() {
        1 => Ok(*found.first().unwrap_or(&0)),
        0 => {
            let ids: Vec<String> = a.inv.workloads.iter().map(|w| w.id()).collect();
            Err(Error::Usage(format!(
                "describe: no workload `{text}` in the inputs{}",
                crate::suggest::did_you_mean(text, &ids, "workloads")
            )))
        }
        _ => {
            let mut ids: Vec<String> = found.iter().map(|&i| a.inv.workloads[i].id()).collect();
            ids.sort();
            Err(Error::Usage(format!(
                "describe: `{text}` matches {} workloads: {}; name one as namespace/name",
                ids.len(),
                ids.join(", ")
            )))
        }
    }
}

fn pick_service(a: &Analysis, text: &str, ns: Option<&str>) -> Result<usize, Error> {
    let (want_ns, name) = split_name(text, ns);
    let found: Vec<usize> = a
        .inv
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == name && want_ns.as_deref().is_none_or(|n| n == s.namespace))
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let ids: Vec<String> = a
                .inv
                .services
                .iter()
                .map(|s| format!("{}/{}", s.namespace, s.name))
                .collect();
            Err(Error::Usage(format!(
                "describe: no service `{text}` in the inputs{}",
                crate::suggest::did_you_mean(text, &ids, "services")
            )))
        }
        many => {
            let mut ids: Vec<String> = many
                .iter()
                .map(|&i| format!("{}/{}", a.inv.services[i].namespace, a.inv.services[i].name))
                .collect();
            ids.sort();
            Err(Error::Usage(format!(
                "describe: `{text}` matches {} services: {}; name one as namespace/name",
                ids.len(),
                ids.join(", ")
            )))
        }
    }
}

fn pick_namespace(a: &Analysis, text: &str) -> Result<String, Error> {
    if a.inv.namespaces.contains(text) {
        return Ok(text.to_owned());
    }
    let names: Vec<String> = a.inv.namespaces.iter().cloned().collect();
    Err(Error::Usage(format!(
        "describe: no namespace `{text}` in the inputs{}",
        crate::suggest::did_you_mean(text, &names, "namespaces")
    )))
}

/// `ns/name` or `name.ns` into (namespace, name); a bare name takes `-n` (or any namespace).
fn split_name(text: &str, ns: Option<&str>) -> (Option<String>, String) {
    if let Some((n, name)) = text.split_once('/') {
        return (Some(n.to_owned()), name.to_owned());
    }
    if let Some((name, n)) = text.rsplit_once('.') {
        return (Some(n.to_owned()), name.to_owned());
    }
    (ns.map(str::to_owned), text.to_owned())
}

// ------------------------------------------------------------------ workload

fn object_ref(a: &Analysis, object: usize) -> JsonRef {
    json_ref(
        a,
        &FieldRef {
            object,
            field: "metadata.name".to_owned(),
        },
    )
}

fn workload_view(a: &Analysis, w: usize, findings: &[Finding]) -> WorkloadView {
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
    let ras = applicable_request_authentications(a, w)
        .into_iter()
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
    let aps: Vec<PolicyView> = aps.into_iter().map(|i| policy_view(a, i)).collect();
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
    for &(s, p) in &targets {
        for ns in &a.client_namespaces {
            if let Some(r) = client_tls::destination_rule(
                a,
                &Client::sidecar_in(ns),
                &inv.services[s],
                &inv.services[s].ports[p],
            ) {
                own.insert(r.rule);
            }
        }
    }
    let shared = shared_objects(a, &own);
    let needles = needles(a, Some(w), &services);
    WorkloadView {
        id: wl.id(),
        kind: wl.kind.name().to_owned(),
        namespace: wl.namespace.clone(),
        at: object_ref(a, wl.object),
        labels: wl.labels.clone(),
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
        request_authentications: ras,
        authorization_policies: aps,
        authorization_note,
        findings: findings_on(a, findings, &own, &shared, &needles),
        inbound: inbound(a, &targets),
    }
}

/// Objects that apply to more than one workload: they carry findings about others too.
fn shared_objects(a: &Analysis, objects: &BTreeSet<usize>) -> BTreeSet<usize> {
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
fn needles(a: &Analysis, w: Option<usize>, services: &[usize]) -> Vec<String> {
    let mut v: Vec<String> = w.map(|w| a.inv.workloads[w].id()).into_iter().collect();
    for &s in services {
        let svc = &a.inv.services[s];
        v.push(format!("{}.{}", svc.name, svc.namespace));
        v.push(format!("{}/{}", svc.namespace, svc.name));
    }
    v
}

fn action_rank(action: AuthzAction) -> u8 {
    match action {
        AuthzAction::Custom => 0,
        AuthzAction::Deny => 1,
        AuthzAction::Allow => 2,
        AuthzAction::Audit => 3,
    }
}

/// The Services that select workload `w` (the API server's implicit Service never does).
fn services_of(a: &Analysis, w: usize) -> Vec<usize> {
    let mut v: Vec<usize> = a
        .inv
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.workloads.contains(&w))
        .map(|(i, _)| i)
        .collect();
    v.sort_by_key(|&s| (&a.inv.services[s].namespace, &a.inv.services[s].name));
    v
}

fn port_view(a: &Analysis, p: &PortInfo, w: Option<usize>) -> ServicePortView {
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

fn probe_action(p: &Probe) -> String {
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

/// A port's server view and the objects it considered (for the findings filter).
struct PortMtls {
    view: PortMtlsView,
    decision: ServerDecision,
    candidates: Vec<Considered>,
}

struct Considered {
    object: Option<usize>,
}

/// The server mode per target port of `w`: every Service port that targets it (v1alpha1 and
/// annotations key on the Service port, so ports with different decisions stay apart), then
/// container ports no Service targets.
fn mtls_views(a: &Analysis, w: usize, services: &[usize]) -> Vec<PortMtls> {
    let inv = &a.inv;
    let wl = &inv.workloads[w];
    let mut entries: Vec<(i32, Vec<String>, ServerDecision)> = Vec::new();
    for &s in services {
        let svc = &inv.services[s];
        for (pi, p) in svc.ports.iter().enumerate() {
            let Some(tp) = inv.target_port(p, wl) else {
                continue;
            };
            let d = server_mtls::decide(
                a,
                Target {
                    workload: w,
                    service: Some((svc, p)),
                    target_port: tp,
                },
            );
            let name = destination_name(a, s, pi);
            match entries.iter_mut().find(|(t, _, e)| *t == tp && *e == d) {
                Some(e) => e.1.push(name),
                None => entries.push((tp, vec![name], d)),
            }
        }
    }
    let container_ports: BTreeSet<i32> = inv
        .pod_spec(wl)
        .map(|s| {
            s.containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .map(|p| p.container_port)
                .collect()
        })
        .unwrap_or_default();
    for tp in container_ports {
        if entries.iter().any(|(t, _, _)| *t == tp) {
            continue;
        }
        let d = server_mtls::decide(
            a,
            Target {
                workload: w,
                service: None,
                target_port: tp,
            },
        );
        entries.push((tp, Vec::new(), d));
    }
    entries.sort_by_key(|(t, via, _)| (*t, via.clone()));
    entries
        .into_iter()
        .map(|(tp, via, d)| {
            let service = via.first().and_then(|v| {
                services.iter().find_map(|&s| {
                    let svc = &inv.services[s];
                    svc.ports
                        .iter()
                        .enumerate()
                        .find(|(pi, _)| &destination_name(a, s, *pi) == v)
                        .map(|(_, p)| (svc, p))
                })
            });
            let cands = candidates(a, w, service, &d);
            PortMtls {
                view: PortMtlsView {
                    target_port: tp,
                    via,
                    mode: d.mode.map(ServerMode::as_str),
                    reason: d.reason.clone(),
                    ambiguous: d.ambiguous,
                    candidates: cands.iter().map(|(c, _)| c.clone_view()).collect(),
                },
                candidates: cands
                    .into_iter()
                    .map(|(_, o)| Considered { object: o })
                    .collect(),
                decision: d,
            }
        })
        .collect()
}

impl CandidateView {
    fn clone_view(&self) -> CandidateView {
        CandidateView {
            level: self.level.clone(),
            what: self.what.clone(),
            states: self.states.clone(),
            winner: self.winner,
            lost: self.lost.clone(),
            at: self.at.as_ref().map(|r| JsonRef {
                kind: r.kind.clone(),
                namespace: r.namespace.clone(),
                name: r.name.clone(),
                file: r.file.clone(),
                line: r.line,
                field: r.field.clone(),
            }),
        }
    }
}

fn what(a: &Analysis, object: usize) -> String {
    let o = &a.inv.objects[object];
    match &o.namespace {
        Some(ns) => format!("{} {ns}/{}", o.kind.name(), o.name()),
        None => format!("{} {}", o.kind.name(), o.name()),
    }
}

/// Every policy considered for one port: the resolver's candidates with the winner marked and
/// the overridden ones given their reason, plus what the resolver passed over without listing
/// (less specific v1alpha1 levels, Policies for other services, the mesh `authPolicy` under an
/// annotation).
fn candidates(
    a: &Analysis,
    w: usize,
    service: Option<(&ServiceInfo, &PortInfo)>,
    d: &ServerDecision,
) -> Vec<(CandidateView, Option<usize>)> {
    let inv = &a.inv;
    // The most specific field that decided and did not lose (UNSET inherits, ambient ignores
    // DISABLE: those stay in `decided_by` but decide nothing).
    let winner = d.decided_by.iter().rev().find(|f| {
        d.candidates
            .iter()
            .find(|c| &c.at == *f)
            .is_none_or(|c| c.lost.is_none())
    });
    let winner_desc = winner.map(|f| {
        let level = d
            .candidates
            .iter()
            .find(|c| &c.at == f)
            .map_or("", |c| c.level);
        format!("{level}-level {}", what(a, f.object))
    });
    let mut out: Vec<(CandidateView, Option<usize>)> = d
        .candidates
        .iter()
        .map(|c| {
            let is_winner = c.lost.is_none() && Some(&c.at) == winner;
            let lost = match (&c.lost, is_winner) {
                (Some(l), _) => Some(l.clone()),
                (None, true) => None,
                (None, false) => Some(format!(
                    "overridden by the more specific {}",
                    winner_desc.clone().unwrap_or_default()
                )),
            };
            (
                CandidateView {
                    level: c.level.to_owned(),
                    what: what(a, c.at.object),
                    states: c.states.clone(),
                    winner: is_winner,
                    lost,
                    at: Some(json_ref(a, &c.at)),
                },
                Some(c.at.object),
            )
        })
        .collect();
    let seen: BTreeSet<usize> = d.candidates.iter().map(|c| c.at.object).collect();
    let wl = &inv.workloads[w];
    let p = &a.profile;
    if d.mode.is_none() {
        return out;
    }
    // v1alpha1 Policies the resolver did not list.
    if p.has(Behaviour::V1alpha1Policy) {
        let pa_won = winner.is_some_and(|f| inv.objects[f.object].kind == Kind::PeerAuthentication);
        let ns = service.map_or(wl.namespace.as_str(), |(s, _)| s.namespace.as_str());
        let in_ns = a.policies.policies.get(ns).into_iter().flatten();
        for &i in in_ns.chain(a.policies.mesh_policies.iter()) {
            if seen.contains(&i) {
                continue;
            }
            let o = &inv.objects[i];
            let Body::Policy(spec) = &o.body else {
                continue;
            };
            let level = if o.kind == Kind::MeshPolicy {
                "mesh"
            } else if spec.targets.is_empty() {
                "namespace"
            } else {
                "service"
            };
            let lost = if pa_won {
                "a PeerAuthentication applies, and it beats v1alpha1 Policy".to_owned()
            } else if level == "service" {
                match service {
                    Some((svc, port)) => format!(
                        "targets another service or port, not {}:{}",
                        svc.name, port.port
                    ),
                    None => "targets a service port; this pod port has no Service".to_owned(),
                }
            } else if level == "namespace"
                && !crate::facts::policies::v1alpha1_name_accepted(o, &a.profile)
            {
                "a namespace-wide Policy must be named `default`".to_owned()
            } else if let Some(wd) = &winner_desc {
                format!("overridden by the more specific {wd}")
            } else {
                "not applied".to_owned()
            };
            out.push((
                CandidateView {
                    level: level.to_owned(),
                    what: what(a, i),
                    states: server_mtls::policy_mode(spec).1,
                    winner: false,
                    lost: Some(lost),
                    at: Some(json_ref(
                        a,
                        &FieldRef {
                            object: i,
                            field: if level == "service" {
                                "spec.targets".to_owned()
                            } else {
                                "spec.peers".to_owned()
                            },
                        },
                    )),
                },
                Some(i),
            ));
        }
    }
    // 0.x: the annotation and the mesh authPolicy.
    if p.has(Behaviour::MeshAuthPolicy) && !p.has(Behaviour::V1alpha1Policy) {
        let mesh_ref = crate::facts::namespaces::mesh_config_object(&a.inv);
        let policy = match inv.mesh.auth_policy.unwrap_or_default() {
            crate::model::istio::mesh::AuthPolicy::MutualTls => "authPolicy MUTUAL_TLS",
            crate::model::istio::mesh::AuthPolicy::None => "authPolicy NONE",
        };
        let annotation_won = d.candidates.iter().any(|c| c.level == "annotation");
        out.push((
            CandidateView {
                level: "mesh".to_owned(),
                what: "mesh config".to_owned(),
                states: policy.to_owned(),
                winner: !annotation_won,
                lost: annotation_won
                    .then(|| "overridden by the Service annotation for this port".to_owned()),
                at: mesh_ref.map(|o| {
                    json_ref(
                        a,
                        &FieldRef {
                            object: o,
                            field: "data.mesh".to_owned(),
                        },
                    )
                }),
            },
            mesh_ref,
        ));
        if let Some((svc, port)) = service
            && let Some(o) = svc.object
        {
            for (k, v) in inv.objects[o].annotations() {
                let Some(n) = k.strip_prefix("auth.istio.io/") else {
                    continue;
                };
                if n == port.port.to_string() {
                    continue;
                }
                out.push((
                    CandidateView {
                        level: "annotation".to_owned(),
                        what: what(a, o),
                        states: v.clone(),
                        winner: false,
                        lost: Some(format!("for service port {n}, not {}", port.port)),
                        at: Some(json_ref(
                            a,
                            &FieldRef {
                                object: o,
                                field: format!("metadata.annotations[\"{k}\"]"),
                            },
                        )),
                    },
                    Some(o),
                ));
            }
        }
    }
    // Winner first, then by level from specific to general.
    out.sort_by_key(|(c, _)| (!c.winner, level_rank(&c.level)));
    out
}

fn level_rank(level: &str) -> u8 {
    match level {
        "port" => 0,
        "annotation" | "service" | "workload" => 1,
        "namespace" => 2,
        _ => 3,
    }
}

/// What a sidecar in each client namespace sends to `svc:port`, grouped by decision, and
/// whether the server (`endpoint`, or the Service's first workload) accepts it.
fn clients_view(a: &Analysis, s: usize, p: usize, endpoint: Option<usize>) -> ClientsView {
    let inv = &a.inv;
    let svc = &inv.services[s];
    let port = &svc.ports[p];
    let endpoint = endpoint.or_else(|| svc.workloads.first().copied());
    let target_port = endpoint.and_then(|w| inv.target_port(port, &inv.workloads[w]));
    let server = endpoint.zip(target_port).map(|(w, tp)| {
        (
            w,
            server_mtls::decide(
                a,
                Target {
                    workload: w,
                    service: Some((svc, port)),
                    target_port: tp,
                },
            ),
        )
    });
    let app_tls = client_tls::app_speaks_tls(svc, port);
    let http = crate::resolve::reach::curl_speaks_http(a, port);
    let mut groups: Vec<ClientGroupView> = Vec::new();
    for ns in &a.client_namespaces {
        let d = client_tls::decide(a, &Client::sidecar_in(ns), svc, port);
        let sends = d.sends(a, endpoint, app_tls);
        let conflict = server.as_ref().and_then(|(w, sd)| {
            let (outcome, why) = transport::outcome(
                ProxyKind::Sidecar,
                sends,
                ServerEnd {
                    proxy: a.proxies[*w].kind,
                    mode: sd.mode,
                    app_tls,
                },
            );
            (outcome != Outcome::Ok).then(|| {
                let (code, exit) = outcome.curl(http);
                let shown = match (code, exit) {
                    (Some(c), 0) => c.to_owned(),
                    (Some(c), e) => format!("{c}/{e}"),
                    (None, e) => format!("tcp/{e}"),
                };
                format!("{} ({shown}): {why}", outcome.as_str())
            })
        });
        let rule = d.rule.map(|r| object_ref(a, r));
        let decided_by: Vec<JsonRef> = d.decided_by.iter().map(|f| json_ref(a, f)).collect();
        let same = groups.iter_mut().find(|g| {
            g.client_tls == sends.as_str()
                && g.reason == d.reason
                && g.conflict == conflict
                && g.destination_rule.as_ref().map(|r| (&r.namespace, &r.name))
                    == rule.as_ref().map(|r| (&r.namespace, &r.name))
        });
        match same {
            Some(g) => g.namespaces.push(ns.clone()),
            None => groups.push(ClientGroupView {
                namespaces: vec![ns.clone()],
                client_tls: sends.as_str(),
                reason: d.reason.clone(),
                destination_rule: rule,
                decided_by,
                conflict,
            }),
        }
    }
    ClientsView {
        service_port: destination_name(a, s, p),
        target_port,
        server_mode: server.and_then(|(_, d)| d.mode.map(ServerMode::as_str)),
        groups,
    }
}

/// `ns/name` of a selector-less policy's scope, or its selector.
fn scope_of(
    a: &Analysis,
    ns: &str,
    selector: Option<&crate::model::istio::common::WorkloadSelector>,
    refs: usize,
) -> String {
    if refs > 0 {
        return "targetRefs".to_owned();
    }
    match selector {
        Some(s) if !s.match_labels.is_empty() => format!(
            "selector {}",
            s.match_labels
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join(",")
        ),
        _ if ns == a.inv.root_namespace() => "mesh-wide (root namespace)".to_owned(),
        _ => "namespace-wide".to_owned(),
    }
}

fn policy_view(a: &Analysis, i: usize) -> PolicyView {
    let o = &a.inv.objects[i];
    let (action, scope, rules) = match &o.body {
        Body::AuthorizationPolicy(s) => {
            let n = s.target_refs.len() + usize::from(s.target_ref.is_some());
            let rules = match &s.rules {
                None => vec![
                    match s.action {
                        AuthzAction::Allow => "no rules: allows nothing (every request is denied)",
                        _ => "no rules: matches nothing",
                    }
                    .to_owned(),
                ],
                Some(r) if r.is_empty() => vec![
                    match s.action {
                        AuthzAction::Allow => "no rules: allows nothing (every request is denied)",
                        _ => "no rules: matches nothing",
                    }
                    .to_owned(),
                ],
                Some(r) => r.iter().map(rule_line).collect(),
            };
            let mut rules = rules;
            if s.action == AuthzAction::Custom {
                let provider = s.provider.as_ref().map_or("(none)", |p| p.name.as_str());
                rules.insert(0, format!("provider {provider}"));
            }
            (
                Some(s.action.as_str()),
                scope_of(a, o.namespace(), s.selector.as_ref(), n),
                rules,
            )
        }
        Body::RequestAuthentication(s) => {
            let n = s.target_refs.len() + usize::from(s.target_ref.is_some());
            let rules = if s.jwt_rules.is_empty() {
                vec!["no jwtRules: tokens are not validated".to_owned()]
            } else {
                s.jwt_rules
                    .iter()
                    .map(|j| {
                        let mut parts = vec![format!("issuer {}", j.issuer)];
                        if !j.jwks_uri.is_empty() {
                            parts.push(format!("jwksUri {}", j.jwks_uri));
                        } else if !j.jwks.is_empty() {
                            parts.push("inline jwks".to_owned());
                        }
                        if !j.audiences.is_empty() {
                            parts.push(format!("audiences {}", j.audiences.join(",")));
                        }
                        if !j.from_headers.is_empty() {
                            parts.push(format!(
                                "from headers {}",
                                j.from_headers
                                    .iter()
                                    .map(|h| h.name.as_str())
                                    .collect::<Vec<_>>()
                                    .join(",")
                            ));
                        }
                        if !j.from_params.is_empty() {
                            parts.push(format!("from params {}", j.from_params.join(",")));
                        }
                        parts.join("; ")
                    })
                    .collect()
            };
            (
                None,
                scope_of(a, o.namespace(), s.selector.as_ref(), n),
                rules,
            )
        }
        Body::PeerAuthentication(s) => {
            let mut rules = vec![format!(
                "mtls {}",
                s.mtls.as_ref().map_or("UNSET", |m| m.mode.as_str())
            )];
            for (p, m) in &s.port_level_mtls {
                rules.push(format!("port {p}: {}", m.mode.as_str()));
            }
            (
                None,
                scope_of(a, o.namespace(), s.selector.as_ref(), 0),
                rules,
            )
        }
        Body::Policy(s) => {
            let mut rules = vec![server_mtls::policy_mode(s).1];
            if !s.targets.is_empty() {
                rules.push(format!(
                    "targets {}",
                    s.targets
                        .iter()
                        .map(|t| t.name.as_str())
                        .collect::<Vec<_>>()
                        .join(",")
                ));
            }
            if !s.origins.is_empty() {
                rules.push(format!("{} JWT origin(s)", s.origins.len()));
            }
            let scope = if o.kind == Kind::MeshPolicy {
                "mesh-wide".to_owned()
            } else if s.targets.is_empty() {
                "namespace-wide".to_owned()
            } else {
                "targets".to_owned()
            };
            (None, scope, rules)
        }
        Body::DestinationRule(s) => {
            let mut rules = vec![format!("host {}", s.host)];
            if let Some(tp) = &s.traffic_policy {
                if let Some(t) = &tp.tls {
                    rules.push(format!("tls {}", t.mode.as_str()));
                }
                for pl in &tp.port_level_settings {
                    let port = pl.port.as_ref().map_or(0, |p| p.number);
                    rules.push(format!(
                        "port {port}: tls {}",
                        pl.tls.as_ref().map_or("(none)", |t| t.mode.as_str())
                    ));
                }
            }
            let scope = if s.workload_selector.is_some() {
                "workloadSelector".to_owned()
            } else {
                "clients".to_owned()
            };
            (None, scope, rules)
        }
        _ => (None, String::new(), Vec::new()),
    };
    PolicyView {
        kind: o.kind.name().to_owned(),
        namespace: o.namespace().to_owned(),
        name: o.name().to_owned(),
        action,
        dry_run: authz::is_dry_run(o.annotations()),
        scope,
        at: object_ref(a, i),
        rules,
    }
}

/// One AuthorizationPolicy rule in a line: `from …; to …; when …`.
fn rule_line(r: &crate::model::istio::security::Rule) -> String {
    fn field(out: &mut Vec<String>, name: &str, values: &[String]) {
        if !values.is_empty() {
            out.push(format!("{name} [{}]", values.join(", ")));
        }
    }
    let mut parts = Vec::new();
    for f in r.from.iter().flatten() {
        let mut v = Vec::new();
        if let Some(s) = &f.source {
            field(&mut v, "principals", &s.principals);
            field(&mut v, "notPrincipals", &s.not_principals);
            field(&mut v, "requestPrincipals", &s.request_principals);
            field(&mut v, "notRequestPrincipals", &s.not_request_principals);
            field(&mut v, "namespaces", &s.namespaces);
            field(&mut v, "notNamespaces", &s.not_namespaces);
            field(&mut v, "serviceAccounts", &s.service_accounts);
            field(&mut v, "notServiceAccounts", &s.not_service_accounts);
            field(&mut v, "ipBlocks", &s.ip_blocks);
            field(&mut v, "notIpBlocks", &s.not_ip_blocks);
            field(&mut v, "remoteIpBlocks", &s.remote_ip_blocks);
            field(&mut v, "notRemoteIpBlocks", &s.not_remote_ip_blocks);
        }
        parts.push(format!(
            "from {}",
            if v.is_empty() {
                "any".into()
            } else {
                v.join(" ")
            }
        ));
    }
    for t in r.to.iter().flatten() {
        let mut v = Vec::new();
        if let Some(o) = &t.operation {
            field(&mut v, "hosts", &o.hosts);
            field(&mut v, "notHosts", &o.not_hosts);
            field(&mut v, "ports", &o.ports);
            field(&mut v, "notPorts", &o.not_ports);
            field(&mut v, "methods", &o.methods);
            field(&mut v, "notMethods", &o.not_methods);
            field(&mut v, "paths", &o.paths);
            field(&mut v, "notPaths", &o.not_paths);
        }
        parts.push(format!(
            "to {}",
            if v.is_empty() {
                "any".into()
            } else {
                v.join(" ")
            }
        ));
    }
    for c in r.when.iter().flatten() {
        let mut v = vec![c.key.clone()];
        field(&mut v, "in", &c.values);
        field(&mut v, "notIn", &c.not_values);
        parts.push(format!("when {}", v.join(" ")));
    }
    if parts.is_empty() {
        "empty rule: matches every request".to_owned()
    } else {
        parts.join("; ")
    }
}

/// Findings on `objects`; for objects shared with other workloads (mesh config, mesh- and
/// namespace-wide policies, DestinationRules: `shared`) only those that name one of `needles`
/// (the workload or its service hosts).
fn findings_on(
    a: &Analysis,
    findings: &[Finding],
    objects: &BTreeSet<usize>,
    shared: &BTreeSet<usize>,
    needles: &[String],
) -> Vec<FindingView> {
    let refs: Vec<_> = objects
        .iter()
        .map(|&i| (a.inv.objects[i].reference(), shared.contains(&i)))
        .collect();
    findings
        .iter()
        .filter(|f| {
            f.resource.as_ref().is_some_and(|r| {
                refs.iter().any(|(own, is_shared)| {
                    own == r
                        && (!is_shared || needles.iter().any(|n| f.message.contains(n.as_str())))
                })
            })
        })
        .map(|f| FindingView {
            code: f.rule.code,
            name: f.rule.name,
            severity: f.severity.as_str(),
            message: f.message.clone(),
            resource: f.resource.as_ref().map(ToString::to_string),
            file: f.location.as_ref().map(|l| l.file.to_string()),
            line: f
                .location
                .as_ref()
                .and_then(|l| (l.pos.line > 0).then_some(l.pos.line)),
        })
        .collect()
}

/// The inbound rows of the matrix for `targets`: every workload as a client, grouped by result.
fn inbound(a: &Analysis, targets: &[(usize, usize)]) -> Vec<InboundView> {
    let mut clients: Vec<usize> = (0..a.inv.workloads.len()).collect();
    clients.sort_by_cached_key(|&i| a.inv.workloads[i].id());
    let ctx = RequestContext::default();
    let m = classes::classify(a, &clients, targets, &ctx);
    targets
        .iter()
        .enumerate()
        .map(|(ti, &(s, p))| {
            let mut results: Vec<InboundResult> = Vec::new();
            for (ci, &c) in clients.iter().enumerate() {
                let cell = m.cell(ci, ti);
                let json = crate::report::cell::json_cell(a, cell);
                let shown = code(&json);
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
            InboundView {
                service_port: destination_name(a, s, p),
                results,
            }
        })
        .collect()
}

// ------------------------------------------------------------------ service

fn service_view(a: &Analysis, s: usize, findings: &[Finding]) -> ServiceView {
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
        for ns in &a.client_namespaces {
            if let Some(r) =
                client_tls::destination_rule(a, &Client::sidecar_in(ns), svc, &svc.ports[p])
            {
                own.insert(r.rule);
            }
        }
    }
    ServiceView {
        id: format!("{}/{}", svc.namespace, svc.name),
        namespace: svc.namespace.clone(),
        at: svc.object.map(|o| object_ref(a, o)),
        selector: svc.selector.clone().unwrap_or_default(),
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
        findings: findings_on(
            a,
            findings,
            &own,
            &shared_objects(a, &own),
            &needles(a, None, &[s]),
        ),
        inbound: inbound(a, &targets),
    }
}

// ------------------------------------------------------------------ namespace

fn namespace_view(a: &Analysis, ns: &str, findings: &[Finding]) -> NamespaceView {
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
            for cns in &a.client_namespaces {
                let d = client_tls::decide(a, &Client::sidecar_in(cns), svc, &svc.ports[p]);
                sends.push(d.sends(a, Some(w), client_tls::app_speaks_tls(svc, &svc.ports[p])));
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
    NamespaceView {
        namespace: ns.to_owned(),
        at: inv.declared_namespaces.get(ns).map(|&i| object_ref(a, i)),
        labels: inv.namespace_labels(ns).clone(),
        policies: policies.into_iter().map(|i| policy_view(a, i)).collect(),
        mtls_status,
        workloads: wviews,
        inbound,
        outbound,
        findings: findings_on(a, findings, &own, &BTreeSet::new(), &[]),
    }
}

fn policy_has_selector(o: &crate::model::resource::Object) -> bool {
    match &o.body {
        Body::PeerAuthentication(s) => s.selector.is_some(),
        Body::RequestAuthentication(s) => {
            s.selector.is_some() || s.target_ref.is_some() || !s.target_refs.is_empty()
        }
        Body::AuthorizationPolicy(s) => {
            s.selector.is_some() || s.target_ref.is_some() || !s.target_refs.is_empty()
        }
        Body::DestinationRule(s) => s.workload_selector.is_some(),
        _ => false,
    }
}

/// Kiali's namespace status words, from the resolved modes rather than from the policies'
/// names: enabled when every in-mesh port is STRICT and every sidecar client sends mTLS;
/// disabled when no pair can use mTLS; partially enabled otherwise.
fn mtls_status(in_mesh: usize, modes: &[Option<ServerMode>], sends: &[Sends]) -> MtlsStatusView {
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

fn reach_rows(s: &classes::NamespaceSummary, inbound: bool) -> Vec<NamespaceReachView> {
    let mut rows: Vec<NamespaceReachView> = Vec::new();
    for pair in &s.pairs {
        let other = if inbound {
            &s.from[pair.from]
        } else {
            &s.to[pair.to]
        };
        let mut blocked = BTreeMap::new();
        for (i, o) in classes::OUTCOME_ORDER.iter().enumerate().skip(1) {
            if pair.counts[i] > 0 {
                blocked.insert(o.as_str(), pair.counts[i]);
            }
        }
        rows.push(NamespaceReachView {
            namespace: other.clone(),
            cells: pair.counts.iter().sum(),
            ok: pair.reachable(),
            blocked,
        });
    }
    rows
}
