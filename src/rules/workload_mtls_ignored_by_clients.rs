//! `workload-mtls-ignored-by-clients`: from Istio 1.6 auto mTLS infers what to send from the
//! namespace- or mesh-level PeerAuthentication of the service's namespace only; workload-level
//! PeerAuthentication and `portLevelMtls` are ignored by clients (research/istio-semantics.md
//! §5, §6 [g] and [h]; istio/istio#32788, #32079, #56084). A workload or port set to DISABLE
//! keeps receiving mTLS, and a workload set to STRICT under a namespace/mesh DISABLE receives
//! plaintext: both fail with 503.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::diagnostic::Finding;
use crate::resolve::client_tls::{
    self, auto_mtls_enabled, ignored_by_clients, workload_level_source,
};
use crate::resolve::decisions::{Decisions, Members};
use crate::resolve::server_mtls::{FieldRef, ServerMode};
use crate::resolve::transport::Outcome;
use crate::rules::declare_rule;
use crate::rules::support::{host_port, is_tcp, list_text, mesh_services};
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// With auto mTLS on (the default from Istio 1.5 installs, the code default from 1.6) and
    /// an Istio version where clients ignore workload-level policy (1.6 and later), reports a
    /// workload-level PeerAuthentication (or one of its `portLevelMtls` entries) that decides
    /// the server mode of a service port in a way auto mTLS clients do not follow:
    ///
    /// - `DISABLE` on a workload or port: clients without a DestinationRule TLS setting still
    ///   send Istio mTLS (the namespace/mesh mode is not DISABLE) and the plaintext-only server
    ///   rejects it;
    /// - `STRICT` on a workload or port while the namespace or mesh level is `DISABLE`: auto
    ///   mTLS sends plaintext to the whole service and the STRICT workload rejects it.
    ///
    /// Clients whose DestinationRule sets `tls` explicitly are not affected (they are checked by
    /// `mtls-mode-conflict`).
    ///
    /// ## Why is this bad?
    /// Auto mTLS decides per service from the namespace- or mesh-level PeerAuthentication of
    /// the service's namespace (`BestEffortInferServiceMTLSMode`); workload-level policy only
    /// changes what the server accepts. The sidecar clients answer 503.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: httpbin, namespace: foo}
    /// spec:
    ///   selector:
    ///     matchLabels: {app: httpbin}
    ///   mtls: {mode: DISABLE}
    /// ```
    ///
    /// ## Use instead
    /// Tell the clients explicitly:
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: httpbin, namespace: foo}
    /// spec:
    ///   host: httpbin.foo.svc.cluster.local
    ///   trafficPolicy:
    ///     tls: {mode: DISABLE}
    /// ```
    /// or set the mode at namespace level, or use PERMISSIVE on the workload.
    ///
    /// ## References
    /// - research/istio-semantics.md §5 (auto mTLS inference) and §6 [g], [h]
    /// - istio/istio#32788 (auto mTLS only honours namespace/mesh policies), #32079, #56084
    pub static RULE = {
        code: "ML0204",
        name: "workload-mtls-ignored-by-clients",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "workload- or port-level mTLS mode that auto mTLS clients ignore (503)",
        reads_ports: true,
        check: check,
    }
}

struct Group {
    namespaces: Members,
    mode: ServerMode,
    workload: usize,
    inferred: ServerMode,
    inferred_by: Vec<FieldRef>,
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if !a.profile.has(Behaviour::WorkloadPeerAuthIgnoredByClients) || !auto_mtls_enabled(a) {
        return;
    }
    let mut groups: BTreeMap<(usize, Cow<'static, str>, usize, usize), Group> = BTreeMap::new();
    for (si, svc) in mesh_services(a) {
        for (pi, port) in svc.ports.iter().enumerate() {
            if !is_tcp(port) {
                continue;
            }
            let pd = a.port(si, pi);
            for e in pd.sidecar_endpoints() {
                let sd = &e.server;
                let Some(mode) = sd.mode else { continue };
                let Some(src) = workload_level_source(a, sd) else {
                    continue;
                };
                for class in &pd.clients {
                    if !ignored_by_clients(a, sd, &class.decision) {
                        continue;
                    }
                    if pd.hop(a, class, Some(e)).outcome == Outcome::Ok {
                        continue;
                    }
                    let (inferred, inferred_by) = client_tls::inferred_service_mode(a, svc, port);
                    groups
                        .entry((src.object, src.field.clone(), si, pi))
                        .or_insert_with(|| Group {
                            namespaces: Members::default(),
                            mode,
                            workload: e.workload,
                            inferred,
                            inferred_by,
                        })
                        .namespaces
                        .union(&class.members);
                }
            }
        }
    }
    for ((obj, field, si, pi), g) in groups {
        let o = &a.inv.objects[obj];
        let svc = &a.inv.services[si];
        let port = &svc.ports[pi];
        let hp = host_port(svc, port);
        let nss = list_text(g.namespaces.names(a));
        let wid = a.inv.workloads[g.workload].id();
        let level = if field.starts_with("spec.portLevelMtls") {
            "port-level"
        } else {
            "workload-level"
        };
        let (message, help) = if g.mode == ServerMode::Strict {
            (
                format!(
                    "{level} STRICT for {wid} is ignored by auto mTLS: the namespace/mesh level is {}, so sidecar clients in {nss} send plaintext to {hp}: 503",
                    g.inferred.as_str()
                ),
                format!(
                    "add a DestinationRule with tls.mode ISTIO_MUTUAL for {}, or change the namespace/mesh DISABLE",
                    svc.fqdn(client_tls::DNS_DOMAIN)
                ),
            )
        } else {
            (
                format!(
                    "{level} {} for {wid} is ignored by auto mTLS: sidecar clients in {nss} still send ISTIO_MUTUAL to {hp}: 503",
                    g.mode.as_str()
                ),
                format!(
                    "add a DestinationRule with tls.mode DISABLE for {hp}, or set the mode at namespace level, or use PERMISSIVE"
                ),
            )
        };
        let mut f = Finding::new(&RULE, message).on(o, &field).help(help);
        for r in &g.inferred_by {
            let other = &a.inv.objects[r.object];
            f = f.related(
                other,
                &r.field,
                format!(
                    "auto mTLS infers {} from {} {}",
                    g.inferred.as_str(),
                    other.kind.name(),
                    other.qualified_name()
                ),
            );
        }
        out.push(f);
    }
}
