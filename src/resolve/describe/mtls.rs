//! The effective server mode per target port of a workload, with every policy considered: the
//! winner marked, the losers with why they lost (research/istio-semantics.md §2, §3).

use std::collections::BTreeSet;

use super::view::*;
use crate::analysis::Analysis;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::cell::{JsonRef, destination_name, json_ref};
use crate::resolve::ports::workload_ports;
use crate::resolve::server_mtls::{self, FieldRef, ServerDecision, ServerMode, Target};
use crate::version::Behaviour;

/// A port's server view and the objects it considered (for the findings filter).
pub(super) struct PortMtls {
    pub(super) view: PortMtlsView,
    pub(super) decision: ServerDecision,
    pub(super) candidates: Vec<Considered>,
}

pub(super) struct Considered {
    pub(super) object: Option<usize>,
}

/// The server mode per target port of `w`: every Service port that targets it (v1alpha1 and
/// annotations key on the Service port, so ports with different decisions stay apart), then
/// container ports no Service targets.
pub(super) fn mtls_views(a: &Analysis, w: usize, services: &[usize]) -> Vec<PortMtls> {
    let inv = &a.inv;
    let _wl = &inv.workloads[w];
    let mut entries: Vec<(i32, Vec<String>, ServerDecision)> = Vec::new();
    for p in workload_ports(a, w) {
        if p.service.is_some_and(|(s, _)| !services.contains(&s)) {
            continue;
        }
        let service = p
            .service
            .map(|(s, pi)| (&inv.services[s], &inv.services[s].ports[pi]));
        let d = server_mtls::decide(
            a,
            Target {
                workload: w,
                service,
                target_port: p.target,
            },
        );
        let name = p.service.map(|(s, pi)| destination_name(a, s, pi));
        match entries
            .iter_mut()
            .find(|(t, _, e)| *t == p.target && *e == d)
        {
            Some(e) => e.1.extend(name),
            None => entries.push((p.target, name.into_iter().collect(), d)),
        }
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

pub(super) fn what(a: &Analysis, object: usize) -> String {
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
pub(super) fn candidates(
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
                (Some(l), _) => Some(l.to_string()),
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
                    states: c.states.to_string(),
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
                                "spec.targets".into()
                            } else {
                                "spec.peers".into()
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
                what: "MeshConfig".to_owned(),
                states: policy.to_owned(),
                winner: !annotation_won,
                lost: annotation_won
                    .then(|| "overridden by the Service annotation for this port".to_owned()),
                at: mesh_ref.map(|o| {
                    json_ref(
                        a,
                        &FieldRef {
                            object: o,
                            field: "data.mesh".into(),
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
                                field: format!("metadata.annotations[\"{k}\"]").into(),
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

pub(super) fn level_rank(level: &str) -> u8 {
    match level {
        "port" => 0,
        "annotation" | "service" | "workload" => 1,
        "namespace" => 2,
        _ => 3,
    }
}
