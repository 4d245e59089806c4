//! Server side: the mutual-TLS mode a workload's proxy enforces on one target port, for every
//! Istio era (SPEC §3.2, research/istio-semantics.md §1–§3, §9), with every policy considered
//! and why it won or lost — what `check` traces and `describe` shows.
//!
//! Eras, each gated by a [`Behaviour`] of the version table:
//! - 0.3–0.8: Service annotation `auth.istio.io/<port>` beats mesh `authPolicy` (§1);
//! - 0.8–1.5: v1alpha1 Policy (service > namespace `default` > MeshPolicy `default`) (§2);
//! - 1.5+: PeerAuthentication (mesh → namespace → workload → port, UNSET inherits) (§3); in 1.5
//!   any applicable PeerAuthentication beats v1alpha1 (§2.3);
//! - ambient: the same PeerAuthentication resolution, DISABLE ignored (§9).

use std::borrow::Cow;

use crate::analysis::Analysis;
use crate::facts::policies::{sorts_after, v1alpha1_name_accepted};
use crate::facts::proxy::ProxyKind;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::istio::legacy::{LegacyMtlsMode, PolicySpec};
use crate::model::istio::mesh::AuthPolicy;
use crate::model::istio::security::{MtlsMode, PeerAuthenticationSpec};
use crate::model::resource::Body;
use crate::version::Behaviour;

/// What the server's proxy accepts on a port.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum ServerMode {
    /// Only Istio mutual TLS.
    Strict,
    /// Istio mutual TLS and plaintext.
    Permissive,
    /// Plaintext only (no TLS filter chain).
    Disable,
}

impl ServerMode {
    pub fn as_str(self) -> &'static str {
        match self {
            ServerMode::Strict => "STRICT",
            ServerMode::Permissive => "PERMISSIVE",
            ServerMode::Disable => "DISABLE",
        }
    }
}

/// A field of an object that took part in a decision.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FieldRef {
    /// Index into `inv.objects`.
    pub object: usize,
    /// Field path, e.g. `spec.portLevelMtls.80.mode`; most are fixed text, and every
    /// endpoint of the mesh holds a few, so fixed ones are not copied.
    pub field: Cow<'static, str>,
}

/// One policy considered for a workload and port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub at: FieldRef,
    /// `mesh`, `namespace`, `workload`, `port`, `service`, `annotation`.
    pub level: &'static str,
    /// The mode the policy states (`STRICT`, `UNSET`, `no peers`, …).
    pub states: Cow<'static, str>,
    /// `None` when it decided (or contributed); otherwise why it lost.
    pub lost: Option<Cow<'static, str>>,
}

/// The server mode of one (workload, port), or that it has no proxy to enforce one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDecision {
    pub proxy: ProxyKind,
    /// `None` without a proxy that terminates mTLS (no sidecar, or a gateway).
    pub mode: Option<ServerMode>,
    /// One line: what decided and why.
    pub reason: String,
    /// The fields that decided, most specific last.
    pub decided_by: Vec<FieldRef>,
    pub candidates: Vec<Candidate>,
    /// Several policies at the level that decided, so the winner depends on creation order.
    pub ambiguous: bool,
}

impl ServerDecision {
    /// The field that really decided the mode: the last candidate that did not lose and does
    /// not merely inherit (`UNSET`), else the last of `decided_by`.
    pub fn deciding_field(&self) -> Option<&FieldRef> {
        self.candidates
            .iter()
            .rev()
            .find(|c| c.lost.is_none() && c.states != "UNSET")
            .map(|c| &c.at)
            .or(self.decided_by.last())
    }
}

/// The request's destination as the server sees it.
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// Index into `inv.workloads`.
    pub workload: usize,
    /// The Service and port the request was addressed to (v1alpha1 and annotations key on it).
    pub service: Option<(&'a ServiceInfo, &'a PortInfo)>,
    /// The container port the request arrives on.
    pub target_port: i32,
}

/// Decides the server mode for `target`. The decision is kept for every endpoint of every
/// service port, so its vectors and text hold no spare capacity.
pub fn decide(a: &Analysis, target: Target<'_>) -> ServerDecision {
    let mut d = decide_at(a, target);
    d.reason.shrink_to_fit();
    d.decided_by.shrink_to_fit();
    d.candidates.shrink_to_fit();
    d
}

fn decide_at(a: &Analysis, target: Target<'_>) -> ServerDecision {
    let proxy = a.proxies[target.workload].kind;
    match proxy {
        ProxyKind::None => {
            return ServerDecision {
                proxy,
                mode: None,
                reason: format!("no proxy ({})", a.proxies[target.workload].reason),
                decided_by: Vec::new(),
                candidates: Vec::new(),
                ambiguous: false,
            };
        }
        ProxyKind::Gateway => {
            return ServerDecision {
                proxy,
                mode: None,
                reason: "gateway: inbound traffic is not subject to peer authentication".into(),
                decided_by: Vec::new(),
                candidates: Vec::new(),
                ambiguous: false,
            };
        }
        ProxyKind::Sidecar if !captured(a, target.workload, target.target_port) => {
            return ServerDecision {
                proxy: ProxyKind::None,
                mode: None,
                reason: format!(
                    "port {} bypasses the sidecar (not among the inbound ports it captures: {})",
                    target.target_port,
                    capture_rule(a, target.workload)
                ),
                decided_by: Vec::new(),
                candidates: Vec::new(),
                ambiguous: false,
            };
        }
        ProxyKind::Sidecar | ProxyKind::Ambient => {}
    }
    let p = &a.profile;
    if p.has(Behaviour::PeerAuthentication) {
        let d = peer_authentication(a, target, proxy);
        // 1.5: any applicable PeerAuthentication beats v1alpha1 (§2.3); alone, it always decides.
        if !d.decided_by.is_empty()
            || !p.has(Behaviour::V1alpha1Policy)
            || proxy == ProxyKind::Ambient
        {
            return d;
        }
        if let Some(d) = v1alpha1(a, target, proxy) {
            return d;
        }
        return with_reason(
            d,
            "no PeerAuthentication or Policy applies: PERMISSIVE by default",
        );
    }
    if p.has(Behaviour::V1alpha1Policy)
        && let Some(d) = v1alpha1(a, target, proxy)
    {
        return d;
    }
    if p.has(Behaviour::MeshAuthPolicy) {
        return legacy(a, target, proxy);
    }
    ServerDecision {
        proxy,
        mode: Some(ServerMode::Disable),
        reason: "no Policy or MeshPolicy applies: plaintext only (before Istio 1.5)".into(),
        decided_by: Vec::new(),
        candidates: Vec::new(),
        ambiguous: false,
    }
}

fn with_reason(mut d: ServerDecision, reason: &str) -> ServerDecision {
    reason.clone_into(&mut d.reason);
    d
}

fn pa_mode(spec: &PeerAuthenticationSpec) -> MtlsMode {
    spec.mtls.as_ref().map_or(MtlsMode::Unset, |m| m.mode)
}

fn pa_mode_field(spec: &PeerAuthenticationSpec) -> &'static str {
    if spec.mtls.is_some() {
        "spec.mtls.mode"
    } else {
        "spec"
    }
}

fn to_server(mode: MtlsMode) -> ServerMode {
    match mode {
        MtlsMode::Strict => ServerMode::Strict,
        MtlsMode::Disable => ServerMode::Disable,
        MtlsMode::Permissive | MtlsMode::Unset => ServerMode::Permissive,
    }
}

const INCLUDE_INBOUND: &str = "traffic.sidecar.istio.io/includeInboundPorts";
const EXCLUDE_INBOUND: &str = "traffic.sidecar.istio.io/excludeInboundPorts";

/// Whether the sidecar of workload `w` captures inbound `port`: the pod annotations
/// `excludeInboundPorts` and `includeInboundPorts` decide; without them only the declared
/// `containerPort`s in 0.8–1.2 (version row CaptureDeclaredPortsOnly), every port otherwise.
fn captured(a: &Analysis, w: usize, port: i32) -> bool {
    let wl = &a.inv.workloads[w];
    let listed = |v: &str| v.split(',').any(|p| p.trim() == port.to_string());
    if wl
        .annotations
        .get(EXCLUDE_INBOUND)
        .is_some_and(|v| listed(v))
    {
        return false;
    }
    if let Some(v) = wl.annotations.get(INCLUDE_INBOUND) {
        return v.trim() == "*" || listed(v);
    }
    !a.profile.has(Behaviour::CaptureDeclaredPortsOnly)
        || a.inv.pod_spec(wl).is_some_and(|s| {
            s.containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .any(|p| p.container_port == port)
        })
}

/// Words for what decides the captured ports of `w`.
fn capture_rule(a: &Analysis, w: usize) -> String {
    let wl = &a.inv.workloads[w];
    if wl.annotations.contains_key(EXCLUDE_INBOUND) || wl.annotations.contains_key(INCLUDE_INBOUND)
    {
        "the pod's traffic.sidecar.istio.io inbound port annotations".to_owned()
    } else {
        format!(
            "Istio {} captures only the declared containerPorts",
            a.profile.version
        )
    }
}

/// The server mode a PeerAuthentication mode gives. ztunnel (ambient) enforces STRICT with a
/// static DENY of connections without a peer identity, removed by any effective PERMISSIVE or
/// DISABLE: DISABLE therefore accepts plaintext like PERMISSIVE, while ambient peers keep
/// using HBONE (istio/istio `pilot/pkg/serviceregistry/ambient/authorization.go`
/// convertPeerAuthentication, `ambientindex_test.go` "Static STRICT policy should disappear";
/// since 1.19, istio/istio#45453).
fn ambient_mode(proxy: ProxyKind, mode: MtlsMode) -> ServerMode {
    match (proxy, mode) {
        (ProxyKind::Ambient, MtlsMode::Disable) => ServerMode::Permissive,
        _ => to_server(mode),
    }
}

/// PeerAuthentication resolution (research/istio-semantics.md §3; `ComposePeerAuthentication`).
fn peer_authentication(a: &Analysis, t: Target<'_>, proxy: ProxyKind) -> ServerDecision {
    let inv = &a.inv;
    let w = &inv.workloads[t.workload];
    let idx = &a.policies;
    let mut candidates = Vec::new();
    let mut decided_by = Vec::new();
    let mut mode = ServerMode::Permissive;
    let mut reason = "no PeerAuthentication applies: PERMISSIVE by default".to_owned();
    // Levels holding several policies, and the level whose policy decided: the ambiguity
    // matters (and describe warns) only at the deciding level.
    let mut crowded: Vec<&str> = Vec::new();
    let mut deciding_level = None;
    let empty = Vec::new();
    let workload_level: Vec<usize> = idx
        .workload_pa
        .get(&w.namespace)
        .unwrap_or(&empty)
        .iter()
        .copied()
        .filter(|&i| match &inv.objects[i].body {
            Body::PeerAuthentication(s) => s
                .selector
                .as_ref()
                .is_some_and(|sel| sel.match_labels.selects(&w.labels)),
            _ => false,
        })
        .collect();
    let levels: [(&'static str, &[usize]); 3] = [
        ("mesh", &idx.mesh_pa),
        (
            "namespace",
            idx.namespace_pa.get(&w.namespace).unwrap_or(&empty),
        ),
        ("workload", &workload_level),
    ];
    let mut winner_workload = None;
    for (level, list) in levels {
        // A workload in the root namespace sees the mesh policy as its namespace policy too.
        if level == "namespace" && w.namespace == inv.root_namespace() {
            continue;
        }
        for (rank, &i) in list.iter().enumerate() {
            let Body::PeerAuthentication(spec) = &inv.objects[i].body else {
                continue;
            };
            let states = pa_mode(spec);
            let at = FieldRef {
                object: i,
                field: pa_mode_field(spec).into(),
            };
            if rank > 0 {
                let first = &inv.objects[list[0]];
                candidates.push(Candidate {
                    at,
                    level,
                    states: states.as_str().into(),
                    lost: Some(
                        format!(
                            "{} at the same level (the oldest wins, then the first by name)",
                            sorts_after(&inv.objects[i], first)
                        )
                        .into(),
                    ),
                });
                crowded.push(level);
                continue;
            }
            let lost = if states == MtlsMode::Unset {
                Some("mode UNSET: inherits".into())
            } else {
                None
            };
            if lost.is_none() {
                deciding_level = Some(level);
                mode = ambient_mode(proxy, states);
                reason = format!(
                    "{} from {level}-level PeerAuthentication {}/{}",
                    mode.as_str(),
                    inv.objects[i].namespace(),
                    inv.objects[i].name()
                );
            }
            decided_by.push(at.clone());
            candidates.push(Candidate {
                at,
                level,
                states: states.as_str().into(),
                lost,
            });
            if level == "workload" {
                winner_workload = Some(i);
            }
        }
    }
    if let Some(i) = winner_workload
        && let Body::PeerAuthentication(spec) = &inv.objects[i].body
    {
        for (&port, pm) in &spec.port_level_mtls {
            let at = FieldRef {
                object: i,
                field: format!("spec.portLevelMtls.{port}").into(),
            };
            if port != i64::from(t.target_port) {
                candidates.push(Candidate {
                    at,
                    level: "port",
                    states: pm.mode.as_str().into(),
                    lost: Some(format!("for target port {port}, not {}", t.target_port).into()),
                });
                continue;
            }
            let port_mode = if pm.mode == MtlsMode::Unset {
                mode
            } else {
                ambient_mode(proxy, pm.mode)
            };
            // Before 1.9 only ports a Service targets get their own inbound chain.
            let without_service = !a.profile.has(Behaviour::PortLevelMtlsAnyPort)
                && !crate::resolve::ports::workload_ports(a, t.workload)
                    .iter()
                    .any(|p| p.service.is_some() && p.target == t.target_port);
            let ignored = without_service;
            if !ignored {
                mode = port_mode;
                reason = format!(
                    "{} from portLevelMtls {port} of PeerAuthentication {}/{}",
                    mode.as_str(),
                    inv.objects[i].namespace(),
                    inv.objects[i].name()
                );
            }
            decided_by.push(at.clone());
            candidates.push(Candidate {
                at,
                level: "port",
                states: pm.mode.as_str().into(),
                lost: without_service.then(|| {
                    format!(
                        "Istio {} applies portLevelMtls only to ports a Service targets (from 1.9 to any port)",
                        a.profile.version
                    )
                    .into()
                }),
            });
        }
    }
    for &i in &idx.ignored_pa {
        let o = &inv.objects[i];
        if let Body::PeerAuthentication(spec) = &o.body
            && spec
                .selector
                .as_ref()
                .is_some_and(|s| s.match_labels.selects(&w.labels))
        {
            candidates.push(Candidate {
                at: FieldRef {
                    object: i,
                    field: "spec.selector".into(),
                },
                level: "workload",
                states: pa_mode(spec).as_str().into(),
                lost: Some("a selector in the root namespace is ignored".into()),
            });
        }
    }
    ServerDecision {
        proxy,
        mode: Some(mode),
        reason,
        decided_by,
        candidates,
        ambiguous: deciding_level.is_some_and(|l| crowded.contains(&l)),
    }
}

/// The mode one v1alpha1 Policy states (research/istio-semantics.md §2.1): the first `mtls`
/// peer decides; `mtls: {}`/null is STRICT; no `mtls` peer means no peer authentication.
pub fn policy_mode(spec: &PolicySpec) -> (ServerMode, String) {
    match spec.peers.iter().find_map(|p| p.mtls.as_ref()) {
        Some(m) if m.mode == LegacyMtlsMode::Permissive => {
            (ServerMode::Permissive, "mtls PERMISSIVE".into())
        }
        Some(_) => (ServerMode::Strict, "mtls STRICT".into()),
        None => (ServerMode::Disable, "no mtls peer".into()),
    }
}

/// Whether a v1alpha1 target selects `svc`/`port` (ports by Service port number or name).
fn targets(spec: &PolicySpec, svc: &ServiceInfo, port: &PortInfo) -> Option<usize> {
    spec.targets.iter().position(|t| {
        t.name == svc.name
            && (t.ports.is_empty()
                || t.ports.iter().any(|p| {
                    p.number
                        .is_some_and(|n| i64::from(n) == i64::from(port.port))
                        || p.name
                            .as_deref()
                            .is_some_and(|n| !n.is_empty() && n == port.name)
                }))
    })
}

/// v1alpha1 Policy / MeshPolicy resolution for (service, port) (research/istio-semantics.md §2.3);
/// `None` when no Policy or MeshPolicy applies.
pub fn v1alpha1(a: &Analysis, t: Target<'_>, proxy: ProxyKind) -> Option<ServerDecision> {
    let inv = &a.inv;
    let w = &inv.workloads[t.workload];
    let idx = &a.policies;
    let ns = t
        .service
        .map_or(w.namespace.as_str(), |(s, _)| s.namespace.as_str());
    let oldest_wins = a.profile.has(Behaviour::V1alpha1OldestWins);
    let empty = Vec::new();
    let in_ns = idx.policies.get(ns).unwrap_or(&empty);
    let mut candidates = Vec::new();
    let service_level: Vec<(usize, usize)> = match t.service {
        Some((svc, port)) => in_ns
            .iter()
            .filter_map(|&i| match &inv.objects[i].body {
                Body::Policy(spec) => targets(spec, svc, port).map(|ti| (i, ti)),
                _ => None,
            })
            .collect(),
        None => Vec::new(),
    };
    let namespace_level: Vec<usize> = in_ns
        .iter()
        .copied()
        .filter(|&i| match &inv.objects[i].body {
            Body::Policy(spec) => {
                spec.targets.is_empty() && v1alpha1_name_accepted(&inv.objects[i], &a.profile)
            }
            _ => false,
        })
        .collect();
    let mesh_level: Vec<usize> = idx
        .mesh_policies
        .iter()
        .copied()
        .filter(|&i| v1alpha1_name_accepted(&inv.objects[i], &a.profile))
        .collect();
    let levels: [(&'static str, Vec<FieldRef>); 3] = [
        (
            "service",
            service_level
                .iter()
                .map(|&(i, ti)| FieldRef {
                    object: i,
                    field: format!("spec.targets[{ti}]").into(),
                })
                .collect(),
        ),
        (
            "namespace",
            namespace_level
                .iter()
                .map(|&i| FieldRef {
                    object: i,
                    field: "spec.peers".into(),
                })
                .collect(),
        ),
        (
            "mesh",
            mesh_level
                .iter()
                .map(|&i| FieldRef {
                    object: i,
                    field: "spec.peers".into(),
                })
                .collect(),
        ),
    ];
    for (level, refs) in levels {
        let Some(first) = refs.first() else { continue };
        let Body::Policy(spec) = &inv.objects[first.object].body else {
            continue;
        };
        let (mode, states) = policy_mode(spec);
        let o = &inv.objects[first.object];
        candidates.push(Candidate {
            at: first.clone(),
            level,
            states: states.into(),
            lost: None,
        });
        for r in &refs[1..] {
            let Body::Policy(s) = &inv.objects[r.object].body else {
                continue;
            };
            candidates.push(Candidate {
                at: r.clone(),
                level,
                states: policy_mode(s).1.into(),
                lost: Some(if oldest_wins {
                    format!(
                        "{} at the same level (the oldest wins, then the first by name)",
                        sorts_after(&inv.objects[r.object], o)
                    )
                    .into()
                } else {
                    "same level: which one applies is arbitrary before Istio 1.4".into()
                }),
            });
        }
        let kind = if level == "mesh" {
            "MeshPolicy"
        } else {
            "Policy"
        };
        return Some(ServerDecision {
            proxy,
            mode: Some(mode),
            reason: format!(
                "{} from {level}-level {kind} {}",
                mode.as_str(),
                o.qualified_name()
            ),
            decided_by: vec![first.clone()],
            candidates,
            ambiguous: refs.len() > 1,
        });
    }
    None
}

/// Annotation key of the 0.x per-port override (research/istio-semantics.md §1).
pub fn annotation_key(port: i32) -> String {
    format!("auth.istio.io/{port}")
}

/// The 0.x annotation/mesh mode of a service port, which clients of that era use too (§1).
pub fn legacy_mode(a: &Analysis, svc: &ServiceInfo, port: &PortInfo) -> ServerDecision {
    legacy_for(a, Some((svc, port)), ProxyKind::Sidecar)
}

fn legacy(a: &Analysis, t: Target<'_>, proxy: ProxyKind) -> ServerDecision {
    legacy_for(a, t.service, proxy)
}

/// 0.3–1.0: Service annotation `auth.istio.io/<port>` (until 1.0) beats mesh `authPolicy`.
fn legacy_for(
    a: &Analysis,
    service: Option<(&ServiceInfo, &PortInfo)>,
    proxy: ProxyKind,
) -> ServerDecision {
    let inv = &a.inv;
    if a.profile.has(Behaviour::LegacyAnnotations)
        && let Some((svc, port)) = service
        && let Some(oi) = svc.object
    {
        let key = annotation_key(port.port);
        let o = &inv.objects[oi];
        if let Some(value) = o.annotations().get(&key) {
            let mode = match value.as_str() {
                "NONE" => Some(ServerMode::Disable),
                "MUTUAL_TLS" => Some(ServerMode::Strict),
                _ => None,
            };
            if let Some(mode) = mode {
                let at = FieldRef {
                    object: oi,
                    field: format!("metadata.annotations[\"{key}\"]").into(),
                };
                return ServerDecision {
                    proxy,
                    mode: Some(mode),
                    reason: format!(
                        "{} from annotation {key}={value} on Service {}",
                        mode.as_str(),
                        o.qualified_name()
                    ),
                    decided_by: vec![at.clone()],
                    candidates: vec![Candidate {
                        at,
                        level: "annotation",
                        states: value.clone().into(),
                        lost: None,
                    }],
                    ambiguous: false,
                };
            }
        }
    }
    let mode = match inv.mesh.auth_policy.unwrap_or_default() {
        AuthPolicy::MutualTls => ServerMode::Strict,
        AuthPolicy::None => ServerMode::Disable,
    };
    let source = inv
        .mesh_sources
        .iter()
        .rev()
        .map(|s| s.description.clone())
        .next()
        .unwrap_or_else(|| "the default (NONE)".to_owned());
    ServerDecision {
        proxy,
        mode: Some(mode),
        reason: format!("{} from mesh authPolicy ({source})", mode.as_str()),
        decided_by: mesh_config_ref(a),
        candidates: Vec::new(),
        ambiguous: false,
    }
}

/// The mesh-level mode of a release, without any workload: what a service with no namespace or
/// workload policy of its own gets. `at` is the field that set it (`None` when it is the
/// default); `mode` `None` means "no mTLS at all" never happens: the default is PERMISSIVE from
/// 1.5 and plaintext-only (DISABLE) before (research/istio-semantics.md §1–§3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeshLevel {
    pub at: Option<FieldRef>,
    pub mode: Option<ServerMode>,
}

/// The mesh-level mode (the one definition the rules ask): the oldest mesh PeerAuthentication
/// (1.5+; only STRICT and PERMISSIVE count, UNSET inherits the default), else the MeshPolicy
/// named `default` (1.0–1.5), else mesh config `authPolicy` (0.3–1.0), else the default.
pub fn mesh_level(a: &Analysis) -> MeshLevel {
    let idx = &a.policies;
    if a.profile.has(Behaviour::PeerAuthentication)
        && let Some(&i) = idx.mesh_pa.first()
        && let Body::PeerAuthentication(s) = &a.inv.objects[i].body
        && let Some(m) = s.mtls.as_ref()
        && matches!(
            m.mode,
            MtlsMode::Strict | MtlsMode::Permissive | MtlsMode::Disable
        )
    {
        let mode = match m.mode {
            MtlsMode::Strict => ServerMode::Strict,
            MtlsMode::Disable => ServerMode::Disable,
            _ => ServerMode::Permissive,
        };
        return MeshLevel {
            at: Some(FieldRef {
                object: i,
                field: "spec.mtls.mode".into(),
            }),
            mode: Some(mode),
        };
    }
    if a.profile.has(Behaviour::V1alpha1Policy)
        && let Some(&i) = idx
            .mesh_policies
            .iter()
            .find(|&&i| v1alpha1_name_accepted(&a.inv.objects[i], &a.profile))
        && let Body::Policy(s) = &a.inv.objects[i].body
    {
        return MeshLevel {
            at: Some(FieldRef {
                object: i,
                field: "spec.peers".into(),
            }),
            mode: Some(policy_mode(s).0),
        };
    }
    if a.profile.has(Behaviour::MeshAuthPolicy) && a.inv.mesh.auth_policy.is_some() {
        let mode = match a.inv.mesh.auth_policy.unwrap_or_default() {
            AuthPolicy::MutualTls => ServerMode::Strict,
            AuthPolicy::None => ServerMode::Disable,
        };
        return MeshLevel {
            at: mesh_config_ref(a).into_iter().next(),
            mode: Some(mode),
        };
    }
    MeshLevel {
        at: None,
        mode: Some(if a.profile.has(Behaviour::PermissiveByDefault) {
            ServerMode::Permissive
        } else {
            ServerMode::Disable
        }),
    }
}

/// The ConfigMap (or IstioOperator) that set `authPolicy`, when it is in the inputs.
fn mesh_config_ref(a: &Analysis) -> Vec<FieldRef> {
    crate::facts::namespaces::mesh_config_object(&a.inv)
        .map(|object| FieldRef {
            object,
            field: "data.mesh".into(),
        })
        .into_iter()
        .collect()
}
