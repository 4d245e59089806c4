//! Client side: the TLS a client's proxy originates towards one service port (SPEC §3.3,
//! research/istio-semantics.md §1, §4, §5, §9): the DestinationRule lookup (client namespace,
//! then the service's, then the root namespace; exact host before the longest wildcard; same-host
//! rules merged oldest first), `portLevelSettings` replacing the whole policy for its service
//! port, and — when no rule sets `tls` — auto mTLS with its per-version inference, or the legacy
//! mesh-wide behaviour of 0.x/1.0.

use crate::analysis::Analysis;
use crate::model::labels::Labels;

use crate::facts::proxy::ProxyKind;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::istio::mesh::AuthPolicy;
use crate::model::istio::networking::{ClientTls, DestinationRuleSpec, TlsMode};
use crate::model::istio::security::{MtlsMode, PeerAuthenticationSpec};
use crate::model::resource::Body;
use crate::resolve::server_mtls::{self, FieldRef, ServerDecision, ServerMode};
use crate::version::Behaviour;

mod host;
pub use host::{host_match, host_match_service, qualify_host};

/// The cluster DNS domain services live under.
pub const DNS_DOMAIN: &str = "cluster.local";

/// What actually goes on the wire from the client to one endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Sends {
    /// Plaintext as the application wrote it.
    Plaintext,
    /// The application's own TLS (https ports, the API server), passed through.
    AppTls,
    IstioMutual,
    Simple,
    Mutual,
    /// ztunnel's HBONE tunnel (mTLS) between ambient pods.
    Hbone,
}

impl Sends {
    pub fn as_str(self) -> &'static str {
        match self {
            Sends::Plaintext => "PLAINTEXT",
            Sends::AppTls => "APP_TLS",
            Sends::IstioMutual => "ISTIO_MUTUAL",
            Sends::Simple => "SIMPLE",
            Sends::Mutual => "MUTUAL",
            Sends::Hbone => "HBONE",
        }
    }
}

/// How the client's TLS is chosen; auto mTLS is decided per endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Choice {
    /// The client has no proxy: the application's bytes go out as they are.
    App,
    /// ztunnel (ambient client): HBONE to ambient endpoints, plaintext to the rest.
    Ztunnel,
    /// A DestinationRule sets `tls.mode` (explicit always wins, even DISABLE).
    Explicit(TlsMode),
    /// Auto mTLS: ISTIO_MUTUAL to endpoints with a sidecar, plaintext to others.
    Auto,
    /// Plaintext to every endpoint (auto mTLS off, or it inferred DISABLE, or headless mixed).
    Plain,
    /// ISTIO_MUTUAL to every endpoint (legacy mesh-wide `authPolicy: MUTUAL_TLS`, or auto mTLS on
    /// a headless service in 1.5–1.6).
    MeshMutual,
}

/// The client-side decision for (client, service, port).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientDecision {
    pub proxy: ProxyKind,
    pub choice: Choice,
    pub reason: String,
    /// The DestinationRule field (or policy, or mesh config) that decided.
    pub decided_by: Vec<FieldRef>,
    /// The DestinationRule whose policy applies, if any (even when it sets no TLS).
    pub rule: Option<usize>,
}

impl ClientDecision {
    /// The field findings point at for this decision: the first of `decided_by`; when none
    /// decided and the choice is no DestinationRule's (auto mTLS, the mesh-wide default), the
    /// mesh config map at `mesh_config` (an index into `inv.objects`), when there is one.
    pub fn deciding_field(&self, mesh_config: Option<usize>) -> Option<FieldRef> {
        self.decided_by
            .first()
            .cloned()
            .or_else(|| match self.choice {
                Choice::Explicit(_) => None,
                _ => mesh_config.map(|object| FieldRef {
                    object,
                    field: "data.mesh".into(),
                }),
            })
    }

    /// What goes on the wire to `endpoint` (an index into `inv.workloads`), given whether the
    /// application speaks TLS itself on this port.
    pub fn sends(&self, a: &Analysis, endpoint: Option<usize>, app_tls: bool) -> Sends {
        let app = if app_tls {
            Sends::AppTls
        } else {
            Sends::Plaintext
        };
        let endpoint_proxy = endpoint.map(|e| a.proxies[e].kind);
        // A sidecar or gateway tunnels to an ambient pod (HBONE, mTLS with its own identity)
        // from 1.22 whenever istiod runs ambient: istio/istio 1.22.0
        // pilot/pkg/xds/endpoints/endpoint_builder.go:645-651 (`supportTunnel`, unless the
        // endpoint counts as mTLS-enabled), pilot/pkg/features/ambient.go:32-35
        // (PILOT_ENABLE_SENDING_HBONE defaults on with PILOT_ENABLE_AMBIENT). Until 1.25.0 an
        // explicit ISTIO_MUTUAL counts as mTLS-enabled and keeps legacy mTLS to the pod; from
        // 1.25.1 only the endpoint's tlsMode label does, which ambient pods lack (#54914).
        if endpoint_proxy == Some(ProxyKind::Ambient)
            && matches!(self.proxy, ProxyKind::Sidecar | ProxyKind::Gateway)
            && a.profile.has(Behaviour::SidecarHboneToAmbient)
        {
            match &self.choice {
                Choice::Auto | Choice::Plain | Choice::Explicit(TlsMode::Disable) => {
                    return Sends::Hbone;
                }
                Choice::Explicit(TlsMode::IstioMutual) | Choice::MeshMutual
                    if a.profile.has(Behaviour::HboneDespiteIstioMutual) =>
                {
                    return Sends::Hbone;
                }
                _ => {}
            }
        }
        match &self.choice {
            Choice::App | Choice::Plain => app,
            Choice::Ztunnel => {
                if endpoint_proxy == Some(ProxyKind::Ambient) {
                    Sends::Hbone
                } else {
                    app
                }
            }
            Choice::Explicit(TlsMode::Disable) => app,
            Choice::Explicit(TlsMode::Simple) => Sends::Simple,
            Choice::Explicit(TlsMode::Mutual) => Sends::Mutual,
            Choice::Explicit(TlsMode::IstioMutual) | Choice::MeshMutual => Sends::IstioMutual,
            Choice::Auto => {
                if endpoint_proxy == Some(ProxyKind::Sidecar) {
                    Sends::IstioMutual
                } else {
                    app
                }
            }
        }
    }
}

/// Whether a rule in `rule_ns` is visible to clients in `client_ns` (`exportTo`; empty means the
/// mesh default, itself `*` unless `defaultDestinationRuleExportTo` says otherwise).
pub fn exported_to(
    a: &Analysis,
    spec: &DestinationRuleSpec,
    rule_ns: &str,
    client_ns: &str,
) -> bool {
    let list = if spec.export_to.is_empty() {
        &a.inv.mesh.default_destination_rule_export_to
    } else {
        &spec.export_to
    };
    if list.is_empty() {
        return true;
    }
    list.iter().any(|e| match e.as_str() {
        "*" => true,
        "." => rule_ns == client_ns,
        "~" => false,
        ns => ns == client_ns,
    })
}

/// A rule only its own namespace sees: `exportTo` is `.` or its namespace alone, or unset under
/// a mesh default of `.` (`exportedByNamespace` leaves it out, push_context.go:2058-2073).
fn private_only(a: &Analysis, spec: &DestinationRuleSpec, rule_ns: &str) -> bool {
    let list = if spec.export_to.is_empty() {
        &a.inv.mesh.default_destination_rule_export_to
    } else {
        &spec.export_to
    };
    matches!(list.as_slice(), [only] if only == "." || only == rule_ns)
}

/// Whether the service is the application's own TLS endpoint (the API server, https ports).
pub fn app_speaks_tls(svc: &ServiceInfo, port: &PortInfo) -> bool {
    svc.is_api_server()
        || matches!(port.name.split('-').next(), Some("https" | "tls"))
        || port.app_protocol.as_deref() == Some("https")
}

/// A client as the client side sees it: where it runs, its labels (for DestinationRule
/// `workloadSelector`) and its proxy. Rules use hypothetical clients (a sidecar in each
/// namespace); commands use real workloads ([`Client::of`]).
#[derive(Debug, Clone, Copy)]
pub struct Client<'a> {
    pub namespace: &'a str,
    pub labels: &'a Labels,
    pub proxy: ProxyKind,
}

impl<'a> Client<'a> {
    /// The workload `index` of the inventory as a client.
    pub fn of(a: &'a Analysis, index: usize) -> Client<'a> {
        let w = &a.inv.workloads[index];
        Client {
            namespace: &w.namespace,
            labels: &w.labels,
            proxy: a.proxies[index].kind,
        }
    }

    /// A sidecar client without labels in `namespace`.
    pub fn sidecar_in(namespace: &'a str) -> Client<'a> {
        static NO_LABELS: Labels = Labels::new();
        Client {
            namespace,
            labels: &NO_LABELS,
            proxy: ProxyKind::Sidecar,
        }
    }
}

/// The DestinationRule that applies to a client and service port.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedRule {
    /// Index into `inv.objects`.
    pub rule: usize,
    /// Its TLS setting for the port and the field that holds it (`None`: it sets no TLS).
    pub tls: Option<(ClientTls, FieldRef)>,
    /// Which lookup step found it (client, service or root namespace).
    pub lookup: &'static str,
}

/// The DestinationRule that applies to (client, service) and, for `port`, its TLS setting.
pub fn destination_rule(
    a: &Analysis,
    client: &Client<'_>,
    svc: &ServiceInfo,
    port: &PortInfo,
) -> Option<AppliedRule> {
    let root = a.inv.root_namespace();
    let by_ns = &a.policies.destination_rules;
    // Rules for the host in one namespace, oldest first (selector rules first). The client's
    // own namespace sees the rules exported to it (`namespaceLocal`); the service and root
    // steps see every rule that is not private (`exportedByNamespace`), and `pick` decides
    // visibility (istio/istio 1.24.0 pilot/pkg/model/push_context.go:2019-2083).
    let candidates = |ns: &str, client_side: bool| -> Vec<(usize, (u8, usize))> {
        a.policies
            .destination_rules_in(ns)
            .iter()
            .filter_map(|&i| {
                let o = &a.inv.objects[i];
                let Body::DestinationRule(spec) = &o.body else {
                    return None;
                };
                // The host first: it rules out nearly every rule, and the tests are independent.
                let m = host_match_service(&spec.host, ns, svc)?;
                let visible = if client_side || !a.profile.has(Behaviour::DrLookupByNamespace) {
                    exported_to(a, spec, ns, client.namespace)
                } else {
                    !private_only(a, spec, ns)
                };
                if !visible {
                    return None;
                }
                if let Some(sel) = &spec.workload_selector {
                    // Selector rules apply only to matching clients in their own namespace.
                    if !(client_side && sel.match_labels.selects(client.labels)) {
                        return None;
                    }
                }
                Some((i, m))
            })
            .collect()
    };
    let spec_of = |i: usize| match &a.inv.objects[i].body {
        Body::DestinationRule(s) => Some(s),
        _ => None,
    };
    // The oldest rule of a merged group with a trafficPolicy is the base
    // (`mergeDestinationRule`); its subsets and the others' are merged.
    let base = |group: &[usize]| -> Option<usize> {
        group
            .iter()
            .copied()
            .find(|&i| spec_of(i).is_some_and(|s| s.traffic_policy.is_some()))
            .or(group.first().copied())
    };
    let pick = |mut found: Vec<(usize, (u8, usize))>,
                newest: bool,
                client_side: bool,
                ns: &str|
     -> Option<usize> {
        let best = found.iter().map(|(_, m)| *m).max()?;
        found.retain(|(_, m)| *m == best);
        // Before 1.1 the newest overwrote.
        if newest {
            return found.last().map(|(i, _)| *i);
        }
        // A selector rule of the client's own namespace that matches it wins
        // (SidecarScope.DestinationRule, istio/istio 1.24.0 pilot/pkg/model/sidecar.go:663-688).
        if let Some((i, _)) = found
            .iter()
            .find(|(i, _)| spec_of(*i).is_some_and(|s| s.workload_selector.is_some()))
        {
            return Some(*i);
        }
        let rules: Vec<usize> = found.iter().map(|(i, _)| *i).collect();
        if a.profile.has(Behaviour::DrMergeByExportTo) {
            // 1.24: rules merge only with equal exportTo; each group is its own entry, the
            // step keeps the entries exported to the client (the client's namespace keeps
            // all), and the last entry wins (istio/istio 1.24.0
            // pilot/pkg/model/destination_rule.go:53-127, push_context.go:1251-1268).
            let mut groups: Vec<(Vec<&str>, Vec<usize>)> = Vec::new();
            for &i in &rules {
                let s = spec_of(i)?;
                let mut key: Vec<&str> = s.export_to.iter().map(String::as_str).collect();
                key.sort_unstable();
                key.dedup();
                match groups.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, g)) => g.push(i),
                    None => groups.push((key, vec![i])),
                }
            }
            let mut visible = groups.into_iter().filter(|(_, g)| {
                client_side
                    || spec_of(g[0]).is_some_and(|s| exported_to(a, s, ns, client.namespace))
            });
            return visible.next_back().and_then(|(_, g)| base(&g));
        }
        // 1.1–1.23: every rule for the host merges into one entry, exported as the first
        // rule with a non-empty exportTo says (istio/istio 1.23.0
        // pilot/pkg/model/destination_rule.go:41-120, push_context.go:1212-1226).
        if !client_side {
            let first = rules
                .iter()
                .copied()
                .find(|&i| spec_of(i).is_some_and(|s| !s.export_to.is_empty()))
                .or(rules.first().copied())?;
            if !exported_to(a, spec_of(first)?, ns, client.namespace) {
                return None;
            }
        }
        base(&rules)
    };
    let (rule, lookup) = if a.profile.has(Behaviour::DrLookupByNamespace) {
        let from_root = [
            (root, true, "client namespace (root)"),
            (svc.namespace.as_str(), false, "service namespace"),
        ];
        let from_elsewhere = [
            (client.namespace, true, "client namespace"),
            (svc.namespace.as_str(), false, "service namespace"),
            (root, false, "root namespace"),
        ];
        let order: &[(&str, bool, &'static str)] = if client.namespace == root {
            &from_root
        } else {
            &from_elsewhere
        };
        let mut found = None;
        for &(ns, client_side, what) in order {
            if let Some(i) = pick(candidates(ns, client_side), false, client_side, ns) {
                found = Some((i, what));
                break;
            }
        }
        found?
    } else {
        let mut all: Vec<_> = by_ns.keys().flat_map(|ns| candidates(ns, true)).collect();
        // One cluster-wide list, oldest first across namespaces, so "the newest overwrote"
        // picks by creation time rather than by namespace name.
        all.sort_by_cached_key(|(i, _)| crate::facts::policies::age_key(&a.inv.objects[*i]));
        (
            pick(all, true, true, "")?,
            "most specific host, all namespaces (before Istio 1.1)",
        )
    };
    let Body::DestinationRule(spec) = &a.inv.objects[rule].body else {
        return None;
    };
    let tls = spec.traffic_policy.as_ref().and_then(|tp| {
        match tp.port_level_settings.iter().position(|p| {
            p.port
                .as_ref()
                .is_some_and(|s| i64::from(s.number) == i64::from(port.port))
        }) {
            Some(pi) => tp.port_level_settings[pi].tls.clone().map(|t| {
                (
                    t,
                    FieldRef {
                        object: rule,
                        field: format!("spec.trafficPolicy.portLevelSettings[{pi}].tls.mode")
                            .into(),
                    },
                )
            }),
            None => tp.tls.clone().map(|t| {
                (
                    t,
                    FieldRef {
                        object: rule,
                        field: "spec.trafficPolicy.tls.mode".into(),
                    },
                )
            }),
        }
    });
    Some(AppliedRule { rule, tls, lookup })
}

/// Whether auto mTLS is on: the mesh config's `enableAutoMtls`, else the version's default.
pub fn auto_mtls_enabled(a: &Analysis) -> bool {
    a.profile.has(Behaviour::AutoMtlsAvailable)
        && a.inv
            .mesh
            .enable_auto_mtls
            .unwrap_or_else(|| a.profile.has(Behaviour::AutoMtlsDefault))
}

/// The mode auto mTLS infers for a service (`BestEffortInferServiceMTLSMode`, §5): from 1.5 the
/// namespace- or mesh-level PeerAuthentication of the service's namespace (workload-level ones
/// are ignored), in 1.4–1.5 the v1alpha1 policy for the service port, else PERMISSIVE (1.5+)
/// or DISABLE (1.4).
pub fn inferred_service_mode(
    a: &Analysis,
    svc: &ServiceInfo,
    port: &PortInfo,
) -> (ServerMode, Vec<FieldRef>) {
    let idx = &a.policies;
    if a.profile.has(Behaviour::PeerAuthentication) {
        let levels = [idx.namespace_pa.get(&svc.namespace), Some(&idx.mesh_pa)];
        for list in levels.into_iter().flatten() {
            if let Some(&i) = list.first()
                && let Body::PeerAuthentication(PeerAuthenticationSpec { mtls: Some(m), .. }) =
                    &a.inv.objects[i].body
                && m.mode != MtlsMode::Unset
            {
                let mode = match m.mode {
                    MtlsMode::Strict => ServerMode::Strict,
                    MtlsMode::Disable => ServerMode::Disable,
                    _ => ServerMode::Permissive,
                };
                return (
                    mode,
                    vec![FieldRef {
                        object: i,
                        field: "spec.mtls.mode".into(),
                    }],
                );
            }
        }
    }
    if a.profile.has(Behaviour::V1alpha1Policy)
        && let Some(&w) = svc.workloads.first()
    {
        let target = server_mtls::Target {
            workload: w,
            service: Some((svc, port)),
            target_port: port.port,
        };
        if let Some(d) = server_mtls::v1alpha1(a, target, ProxyKind::Sidecar)
            && let Some(m) = d.mode
        {
            return (m, d.decided_by);
        }
    }
    if a.profile.has(Behaviour::PermissiveByDefault) {
        (ServerMode::Permissive, Vec::new())
    } else {
        (ServerMode::Disable, Vec::new())
    }
}

/// Decides what `client` sends to `svc:port`. The decision is kept for every client class
/// of every service port, so its vectors and text hold no spare capacity.
pub fn decide(
    a: &Analysis,
    client: &Client<'_>,
    svc: &ServiceInfo,
    port: &PortInfo,
) -> ClientDecision {
    let mut d = decide_at(a, client, svc, port);
    d.reason.shrink_to_fit();
    d.decided_by.shrink_to_fit();
    d
}

fn decide_at(
    a: &Analysis,
    client: &Client<'_>,
    svc: &ServiceInfo,
    port: &PortInfo,
) -> ClientDecision {
    let proxy = client.proxy;
    let decision = |choice, reason: String, decided_by, rule| ClientDecision {
        proxy,
        choice,
        reason,
        decided_by,
        rule,
    };
    match proxy {
        ProxyKind::None => {
            return decision(
                Choice::App,
                "client has no proxy: sends what the application sends".into(),
                vec![],
                None,
            );
        }
        ProxyKind::Ambient => {
            return decision(
                Choice::Ztunnel,
                "ambient client: ztunnel sends HBONE (mTLS) to ambient pods, plaintext to others"
                    .into(),
                vec![],
                None,
            );
        }
        ProxyKind::Sidecar | ProxyKind::Gateway => {}
    }
    let rule = destination_rule(a, client, svc, port);
    if let Some(AppliedRule {
        rule: i,
        tls: Some((tls, at)),
        lookup,
    }) = &rule
    {
        let o = &a.inv.objects[*i];
        return decision(
            Choice::Explicit(tls.mode),
            format!(
                "{} from DestinationRule {}/{} ({lookup})",
                tls.mode.as_str(),
                o.namespace(),
                o.name()
            ),
            vec![at.clone()],
            Some(*i),
        );
    }
    let rule_index = rule.as_ref().map(|r| r.rule);
    let rule_note = rule_index.map_or(String::new(), |i| {
        let o = &a.inv.objects[i];
        format!(
            "DestinationRule {}/{} sets no TLS for port {}; ",
            o.namespace(),
            o.name(),
            port.port
        )
    });
    let mut refs: Vec<FieldRef> = rule_index
        .map(|i| FieldRef {
            object: i,
            field: "spec.trafficPolicy".into(),
        })
        .into_iter()
        .collect();
    if auto_mtls_enabled(a) {
        let (inferred, by) = inferred_service_mode(a, svc, port);
        refs.extend(by);
        if inferred == ServerMode::Disable {
            return decision(
                Choice::Plain,
                format!(
                    "{rule_note}auto mTLS infers DISABLE for {}: plaintext",
                    svc.namespace
                ),
                refs,
                rule_index,
            );
        }
        if svc.headless && a.profile.has(Behaviour::HeadlessAutoMtlsToAll) {
            return decision(
                Choice::MeshMutual,
                format!(
                    "{rule_note}auto mTLS on a headless service: ISTIO_MUTUAL to every endpoint, with a sidecar or not (Istio 1.5-1.6)"
                ),
                refs,
                rule_index,
            );
        }
        if svc.headless {
            let all_sidecar = !svc.workloads.is_empty()
                && svc
                    .workloads
                    .iter()
                    .all(|&e| a.proxies[e].kind == ProxyKind::Sidecar);
            if !a.profile.has(Behaviour::HeadlessAllOrNothing) || !all_sidecar {
                let why = if a.profile.has(Behaviour::HeadlessAllOrNothing) {
                    "headless service with an endpoint without sidecar: auto mTLS sends plaintext to all"
                } else {
                    "headless service: this release applies no auto mTLS to it, so plaintext"
                };
                return decision(Choice::Plain, format!("{rule_note}{why}"), refs, rule_index);
            }
        }
        return decision(
            Choice::Auto,
            format!(
                "{rule_note}auto mTLS: ISTIO_MUTUAL to endpoints with a sidecar, plaintext to others"
            ),
            refs,
            rule_index,
        );
    }
    let mesh_mutual = a.inv.mesh.auth_policy == Some(AuthPolicy::MutualTls);
    if a.profile.has(Behaviour::MeshAuthPolicyClientMtls) && mesh_mutual && rule_index.is_none() {
        return decision(
            Choice::MeshMutual,
            "no DestinationRule and mesh authPolicy MUTUAL_TLS: ISTIO_MUTUAL".into(),
            refs,
            None,
        );
    }
    if a.profile.has(Behaviour::MtlsExcludedServices) {
        let fqdn = svc.fqdn(DNS_DOMAIN);
        if a.inv.mesh.mtls_excluded_services.contains(&fqdn) {
            return decision(
                Choice::Plain,
                format!("{fqdn} is in mesh mtlsExcludedServices: plaintext"),
                refs,
                None,
            );
        }
        // 0.x: the client uses the same annotation/mesh result as the server (§1).
        let d = server_mtls::legacy_mode(a, svc, port);
        let legacy_mode = d.mode.unwrap_or(ServerMode::Disable);
        if legacy_mode == ServerMode::Strict {
            return decision(
                Choice::MeshMutual,
                format!(
                    "legacy mTLS for port {}: ISTIO_MUTUAL ({})",
                    port.port, d.reason
                ),
                d.decided_by,
                None,
            );
        }
        return decision(
            Choice::Plain,
            format!("legacy mTLS off for port {}: plaintext", port.port),
            d.decided_by,
            None,
        );
    }
    let why = if a.profile.has(Behaviour::AutoMtlsAvailable) {
        "auto mTLS is off"
    } else {
        "no auto mTLS in this version"
    };
    decision(
        Choice::Plain,
        format!("{rule_note}{why} and no DestinationRule sets TLS: plaintext"),
        refs,
        rule_index,
    )
}

/// The workload-level PeerAuthentication field that decided `d`, if one did.
pub fn workload_level_source<'d>(a: &Analysis, d: &'d ServerDecision) -> Option<&'d FieldRef> {
    let at = d.deciding_field()?;
    let o = &a.inv.objects[at.object];
    if !matches!(o.body, Body::PeerAuthentication(_)) {
        return None;
    }
    let workload_level = at.field.starts_with("spec.portLevelMtls")
        || a.policies
            .workload_pa
            .get(o.namespace())
            .is_some_and(|l| l.contains(&at.object));
    workload_level.then_some(at)
}

/// Whether `client` follows auto mTLS while the server mode comes from a workload-level policy
/// that auto mTLS ignores in this version (from 1.6 auto mTLS reads only the mesh- and
/// namespace-level mode, SPEC §3.3, research/istio-semantics.md §5): the client then sends
/// what the namespace level implies, whatever the workload-level policy says.
pub fn ignored_by_clients(a: &Analysis, server: &ServerDecision, client: &ClientDecision) -> bool {
    a.profile.has(Behaviour::WorkloadPeerAuthIgnoredByClients)
        && auto_mtls_enabled(a)
        && matches!(client.choice, Choice::Auto | Choice::Plain)
        && workload_level_source(a, server).is_some()
}
