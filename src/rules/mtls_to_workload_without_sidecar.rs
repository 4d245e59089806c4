//! `mtls-to-workload-without-sidecar`: a DestinationRule (or the legacy mesh-wide
//! `authPolicy: MUTUAL_TLS`) makes sidecar clients send `ISTIO_MUTUAL` to a service port whose
//! endpoints, some or all, have no sidecar to terminate it (research/istio-semantics.md §6 [d];
//! istioctl IST0115, research/istioctl.md §3.1 step 6). Auto mTLS never does this: it sends
//! plaintext to endpoints without the `istio` tlsMode (§5).

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Finding;
use crate::facts::proxy::ProxyKind;
use crate::resolve::client_tls::{DNS_DOMAIN, Sends};
use crate::resolve::decisions::{Decisions, Members};
use crate::rules::declare_rule;
use crate::rules::support::{host_port, is_tcp, list_text, mesh_config_object, mesh_services};

declare_rule! {
    /// ## What it does
    /// For a sidecar client in every namespace of the inputs (plus the root namespace), finds
    /// the DestinationRule that applies to each service port and reports it when it sets
    /// `tls.mode: ISTIO_MUTUAL` while some or all endpoints of the service have no sidecar.
    /// One finding per rule, host and port, listing the endpoints without sidecar and the
    /// client namespaces that use the rule. In Istio 0.8–1.0 the mesh config
    /// `authPolicy: MUTUAL_TLS` has the same effect without a rule; the finding then sits on
    /// the mesh config.
    ///
    /// The Kubernetes API server is left to `mtls-to-api-server`.
    ///
    /// ## Why is this bad?
    /// Nothing on the server side terminates Istio mTLS: the client sidecar answers 503. A
    /// mesh-wide `*.local` rule with `ISTIO_MUTUAL` breaks every call from the mesh to
    /// services that are not (yet) injected.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1alpha3
    /// kind: DestinationRule
    /// metadata: {name: default, namespace: istio-system}
    /// spec:
    ///   host: "*.local"
    ///   trafficPolicy:
    ///     tls: {mode: ISTIO_MUTUAL}
    /// # httpbin.legacy has no sidecar
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.istio.io/v1alpha3
    /// kind: DestinationRule
    /// metadata: {name: httpbin-legacy, namespace: legacy}
    /// spec:
    ///   host: httpbin.legacy.svc.cluster.local
    ///   trafficPolicy:
    ///     tls: {mode: DISABLE}
    /// ```
    /// or inject a sidecar into the service's pods, or rely on auto mTLS (no `tls` in the rule).
    ///
    /// ## References
    /// - istioctl IST0115 (MTLSPolicyConflict: DestinationRule mTLS to a service without sidecar), `galley/pkg/config/analysis/analyzers/auth/mtls.go` (1.5)
    /// - Kiali KIA0205 (mesh-wide mTLS DestinationRule without a matching policy)
    /// - istio.io authentication policy task (1.0–1.4): `sleep.foo to httpbin.legacy: 503`
    pub static RULE = {
        code: "ML0202",
        name: "mtls-to-workload-without-sidecar",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0115"],
        kiali: ["KIA0205"],
        summary: "sidecar clients send ISTIO_MUTUAL to endpoints without a sidecar (503)",
        reads_ports: true,
        check: check,
    }
}

struct Group {
    namespaces: Members,
    endpoints: BTreeSet<String>,
    all: bool,
    app_tls: bool,
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let mesh_cm = mesh_config_object(a);
    let mut groups: BTreeMap<(usize, Cow<'static, str>, usize, usize), Group> = BTreeMap::new();
    for (si, svc) in mesh_services(a) {
        if svc.is_api_server() {
            continue;
        }
        let bare: Vec<usize> = svc
            .workloads
            .iter()
            .copied()
            .filter(|&w| a.proxies[w].kind == ProxyKind::None)
            .collect();
        if bare.is_empty() {
            continue;
        }
        for (pi, port) in svc.ports.iter().enumerate() {
            if !is_tcp(port) {
                continue;
            }
            let pd = a.port(si, pi);
            let app_tls = pd.app_tls;
            for class in &pd.clients {
                let cd = &class.decision;
                if !bare
                    .iter()
                    .any(|&w| cd.sends(a, Some(w), app_tls) == Sends::IstioMutual)
                {
                    continue;
                }
                let Some(source) = cd.deciding_field(mesh_cm) else {
                    continue;
                };
                groups
                    .entry((source.object, source.field, si, pi))
                    .or_insert_with(|| Group {
                        namespaces: Members::default(),
                        endpoints: bare.iter().map(|&w| a.inv.workloads[w].id()).collect(),
                        all: bare.len() == svc.workloads.len(),
                        app_tls,
                    })
                    .namespaces
                    .union(&class.members);
            }
        }
    }
    for ((obj, field, si, pi), g) in groups {
        let o = &a.inv.objects[obj];
        let svc = &a.inv.services[si];
        let port = &svc.ports[pi];
        let hp = host_port(svc, port);
        let which = if g.all {
            "its endpoints"
        } else {
            "some of its endpoints"
        };
        let result = if g.app_tls {
            "the TLS handshake fails (curl exit 35)"
        } else {
            "503"
        };
        let message = format!(
            "sidecar clients in {} send ISTIO_MUTUAL to {hp}, but {which} ({}) have no sidecar: {result}",
            list_text(g.namespaces.names(a)),
            list_text(&g.endpoints)
        );
        let help = format!(
            "add a DestinationRule with tls.mode DISABLE for {} (the more specific host wins), or inject a sidecar into {}",
            svc.fqdn(DNS_DOMAIN),
            list_text(&g.endpoints)
        );
        // KIA0205 is Kiali's different mesh-wide check (no enabling policy): only IST0115 here.
        let mut f = Finding::new(&RULE, message)
            .on(o, &field)
            .help(help)
            .codes(&["IST0115"], &[]);
        if let Some(so) = svc.object {
            f = f.related(
                &a.inv.objects[so],
                "spec.ports",
                format!(
                    "service port {} selects endpoints without sidecar",
                    port.port
                ),
            );
        }
        out.push(f);
    }
}
