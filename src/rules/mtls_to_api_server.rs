//! `mtls-to-api-server`: sidecar clients wrap their calls to the Kubernetes API server
//! (`kubernetes.default`, which has no sidecar and speaks its own TLS) in Istio mTLS; the API
//! server's certificate fails Istio validation and curl exits 35 (research/istio-semantics.md
//! §6, "Client-side DR to the Kubernetes API server"). Causes: a DestinationRule with
//! `ISTIO_MUTUAL` covering the host (typically `*.local`), or in Istio 0.x/1.0 the mesh config
//! `authPolicy: MUTUAL_TLS` without `kubernetes.default.svc.cluster.local` in
//! `mtlsExcludedServices` (§1).

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::diagnostic::Finding;
use crate::resolve::client_tls::{self, Sends};
use crate::resolve::decisions::{Decisions, Members};
use crate::rules::declare_rule;
use crate::rules::support::{host_port, list_text, mesh_config_object};

declare_rule! {
    /// ## What it does
    /// Resolves, for a sidecar client in every namespace of the inputs (plus the root
    /// namespace), what it sends to the Kubernetes API server Service `kubernetes.default`
    /// (always assumed to exist) and reports the resource that makes it `ISTIO_MUTUAL`:
    ///
    /// - a DestinationRule whose host covers `kubernetes.default.svc.cluster.local` (`*.local`,
    ///   `*.svc.cluster.local`, `*`) with `tls.mode: ISTIO_MUTUAL`, unless a more specific rule
    ///   with `DISABLE` wins;
    /// - Istio 0.3–1.0: mesh config `authPolicy: MUTUAL_TLS` when `mtlsExcludedServices` does
    ///   not list `kubernetes.default.svc.cluster.local` (0.x), or when no DestinationRule
    ///   applies (0.8–1.0); the finding then sits on the ConfigMap `data.mesh`.
    ///
    /// ## Why is this bad?
    /// The API server has no sidecar and terminates TLS itself. The client sidecar wraps the
    /// application's TLS in Istio mTLS, the API server certificate is not an Istio certificate,
    /// and the handshake fails: curl prints `000` and exits 35. Operators, controllers and
    /// anything using a Kubernetes client library from the mesh stop working.
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
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.istio.io/v1alpha3
    /// kind: DestinationRule
    /// metadata: {name: api-server, namespace: istio-system}
    /// spec:
    ///   host: kubernetes.default.svc.cluster.local
    ///   trafficPolicy:
    ///     tls: {mode: DISABLE}
    /// ```
    /// In Istio 0.x keep `kubernetes.default.svc.cluster.local` in `mtlsExcludedServices`.
    ///
    /// ## References
    /// - istio.io authentication policy task 1.0–1.4, "Request from Istio services to Kubernetes API server" (exit code 35)
    /// - istio.io 0.x mutual TLS task, "Disable mutual TLS authentication for control services"
    pub static RULE = {
        code: "ML0203",
        name: "mtls-to-api-server",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "sidecar clients send Istio mTLS to the Kubernetes API server (curl exit 35)",
        reads_ports: true,
        check: check,
    }
}

/// (the resource field that decides, service, port) → client namespaces.
type Groups = BTreeMap<(Option<(usize, Cow<'static, str>)>, usize, usize), Members>;

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let mesh_cm = mesh_config_object(a);
    let mut groups: Groups = BTreeMap::new();
    for (si, svc) in a.inv.services.iter().enumerate() {
        if !svc.is_api_server() {
            continue;
        }
        for pi in 0..svc.ports.len() {
            for class in &a.port(si, pi).clients {
                let cd = &class.decision;
                if cd.sends(a, None, true) != Sends::IstioMutual {
                    continue;
                }
                let source = cd.deciding_field(mesh_cm).map(|r| (r.object, r.field));
                groups
                    .entry((source, si, pi))
                    .or_default()
                    .union(&class.members);
            }
        }
    }
    for ((source, si, pi), nss) in groups {
        let svc = &a.inv.services[si];
        let port = &svc.ports[pi];
        let hp = host_port(svc, port);
        let nss = list_text(nss.names(a));
        let mut f = match &source {
            Some((obj, field)) if a.inv.objects[*obj].kind == crate::model::kind::Kind::DestinationRule => {
                Finding::new(
                    &RULE,
                    format!(
                        "sidecar clients in {nss} send ISTIO_MUTUAL to the Kubernetes API server {hp} with this rule: the TLS handshake fails (curl exit 35)"
                    ),
                )
                .on(&a.inv.objects[*obj], field)
                .help(format!(
                    "add a DestinationRule for host {} with tls.mode DISABLE (the more specific host wins)",
                    svc.fqdn(client_tls::DNS_DOMAIN)
                ))
            }
            _ => {
                let f = Finding::new(
                    &RULE,
                    format!(
                        "mesh authPolicy MUTUAL_TLS makes sidecar clients in {nss} send ISTIO_MUTUAL to the Kubernetes API server {hp}: the TLS handshake fails (curl exit 35)"
                    ),
                )
                .help(format!(
                    "list {} in mtlsExcludedServices, or add a DestinationRule for it with tls.mode DISABLE",
                    svc.fqdn(client_tls::DNS_DOMAIN)
                ));
                match &source {
                    Some((obj, field)) => f.on(&a.inv.objects[*obj], field),
                    None => f,
                }
            }
        };
        f = f.codes(&[], &[]);
        out.push(f);
    }
}
