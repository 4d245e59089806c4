//! `port-level-mtls-unknown-port`: PeerAuthentication `portLevelMtls` keys that are no port
//! the selected workloads listen on (SPEC §3.2, research/istio-semantics.md §3 "Port level", §8).
//!
//! Istio builds the inbound filter chains per *endpoint* port (`ForPort(TargetPort)`), so a key
//! that names the Service port instead of the container port matches no chain and the port keeps
//! the workload mode. The ports a workload listens on are its declared container ports plus the
//! target ports of every Service that selects it (resolved per pod template, so named target
//! ports count too).

use std::collections::BTreeSet;

use crate::diagnostic::Finding;
use crate::facts::policies::{PaScope, pa_scope};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports a `portLevelMtls` key of a workload-level PeerAuthentication that is no port any
    /// selected workload listens on: neither a declared container port nor the target port of a
    /// Service that selects the workload. When the key is the *Service* port of such a Service,
    /// the message says which target port it forwards to. Before Istio 1.9 it also reports a key
    /// that is a container port no Service port targets: those releases ignore it, and the port
    /// keeps the workload mode (istio.io 1.9 upgrade notes; istio/istio#27994).
    ///
    /// Nothing is reported when the selector matches no workload (see
    /// `selector-matches-nothing`) or when the selected workloads declare no port and no Service
    /// selects them (meshlint cannot tell where they listen).
    ///
    /// ## Why is this bad?
    /// `portLevelMtls` is keyed by the port of the workload, not the port of the Kubernetes
    /// Service. Istio builds the inbound filter chains per endpoint (target) port, so a key for
    /// the Service port `8000` of a Service that forwards to container port `80` never applies:
    /// port 80 keeps the workload's mode. A `DISABLE` meant for a legacy client stays STRICT and
    /// the client gets a connection reset; a `STRICT` meant to lock a port down leaves it
    /// PERMISSIVE.
    ///
    /// ## Example
    /// ```yaml
    /// # Service httpbin.bar: port 8000 → targetPort 80
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: httpbin, namespace: bar}
    /// spec:
    ///   selector: {matchLabels: {app: httpbin}}
    ///   mtls: {mode: STRICT}
    ///   portLevelMtls:
    ///     8000: {mode: DISABLE}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   portLevelMtls:
    ///     80: {mode: DISABLE}
    /// ```
    ///
    /// ## References
    /// - Istio `PeerAuthentication` reference: "port of the workload, not the port of the
    ///   Kubernetes service"
    /// - istio.io task "Authentication policy" (httpbin 8000 → 80, `portLevelMtls: {80: …}`)
    /// - research/istio-semantics.md §3 "Port level", §8
    pub static RULE = {
        code: "ML0205",
        name: "port-level-mtls-unknown-port",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "portLevelMtls key that is no container port of the workloads the PeerAuthentication selects",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let root = a.inv.root_namespace();
    for (_, o) in a.inv.of_kind(Kind::PeerAuthentication) {
        let Body::PeerAuthentication(spec) = &o.body else {
            continue;
        };
        if spec.port_level_mtls.is_empty() || pa_scope(o, spec, root) != PaScope::Workload {
            continue;
        }
        let Some(sel) = &spec.selector else { continue };
        let selected: Vec<usize> = a
            .inv
            .select_workloads(o.namespace(), &sel.match_labels)
            .map(|(i, _)| i)
            .collect();
        if selected.is_empty() {
            continue;
        }
        // Every port a selected workload listens on, and the Service ports that lead there.
        let mut listening: BTreeSet<i64> = BTreeSet::new();
        // (service port, "name.ns", target port)
        let mut mappings: Vec<(i64, String, i64)> = Vec::new();
        for &wi in &selected {
            let w = &a.inv.workloads[wi];
            if let Some(pod) = a.inv.pod_spec(w) {
                for c in &pod.containers {
                    for p in c.ports.iter().flatten() {
                        listening.insert(i64::from(p.container_port));
                    }
                }
            }
            for svc in a.inv.services_of[wi].iter().map(|&s| &a.inv.services[s]) {
                for port in &svc.ports {
                    if let Some(t) = a.inv.target_port(port, w) {
                        listening.insert(i64::from(t));
                        mappings.push((
                            i64::from(port.port),
                            format!("{}.{}", svc.name, svc.namespace),
                            i64::from(t),
                        ));
                    }
                }
            }
        }
        if listening.is_empty() {
            continue;
        }
        let ports_text = listening
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let any_port = a.profile.has(Behaviour::PortLevelMtlsAnyPort);
        for &key in spec.port_level_mtls.keys() {
            let field = format!("spec.portLevelMtls.{key}");
            if listening.contains(&key) {
                // Before 1.9 a port no Service targets keeps the workload mode (issue #27994).
                if !any_port && !mappings.iter().any(|(_, _, t)| *t == key) {
                    out.push(
                        Finding::new(
                            &RULE,
                            format!(
                                "portLevelMtls key {key} is a container port that no Service port targets: Istio {} ignores it (the port keeps the workload mode); from Istio 1.9 it applies",
                                a.profile.version
                            ),
                        )
                        .on(o, &field)
                        .help(format!(
                            "expose port {key} through a Service port (targetPort {key}), or upgrade to Istio 1.9 or later"
                        )),
                    );
                }
                continue;
            }
            let via: Vec<&(i64, String, i64)> =
                mappings.iter().filter(|(sp, _, _)| *sp == key).collect();
            let f = if let Some((_, svc, target)) = via.first() {
                Finding::new(
                    &RULE,
                    format!(
                        "portLevelMtls key {key} is the Service port of {svc}; the workload listens on {target}, so this entry never applies"
                    ),
                )
                .help(format!(
                    "portLevelMtls is keyed by the container (target) port: use {target} instead of {key}"
                ))
            } else {
                Finding::new(
                    &RULE,
                    format!(
                        "portLevelMtls key {key} is no port the selected workloads listen on ({ports_text}), so this entry never applies"
                    ),
                )
                .help(format!(
                    "use one of the container (target) ports {ports_text}, or remove the entry"
                ))
            };
            let mut f = f.on(o, &field);
            for &wi in &selected {
                let w = &a.inv.workloads[wi];
                f = f.related(
                    &a.inv.objects[w.object],
                    "metadata",
                    format!("selected workload {}", w.id()),
                );
            }
            out.push(f);
        }
    }
}
