//! `mtls-mode-conflict`: for some client namespace, the TLS a sidecar client originates towards
//! a service port and the mTLS mode of the port's endpoints disagree, so the request fails with
//! 503 (SPEC §3.4, research/istio-semantics.md §6 rows [c] and [e]).
//!
//! Like istioctl's 1.5 `MTLSAnalyzer` (research/istioctl.md §3.1) the clients are hypothetical
//! sidecars, one per namespace of the inputs plus the root namespace; unlike it, the findings
//! are grouped per resource, host and port with the list of affected client namespaces instead
//! of one per namespace (istio/istio#19360), auto mTLS is modelled instead of switching the
//! check off, and both sides are resolved with the real precedence rules (`resolve::server_mtls`,
//! `resolve::client_tls`). Failures that only exist because auto mTLS ignores workload-level
//! PeerAuthentication are left to `workload-mtls-ignored-by-clients`.

use std::borrow::Cow;
use std::collections::BTreeMap;

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::kind::Kind;
use crate::model::resource::Object;
use crate::resolve::client_tls::ignored_by_clients;
use crate::resolve::client_tls::{self, Choice, Client, DNS_DOMAIN};
use crate::resolve::decisions::{Decisions, Members};
use crate::resolve::server_mtls::{self, FieldRef, ServerMode};
use crate::resolve::transport::Outcome;
use crate::rules::declare_rule;
use crate::rules::support::{host_port, is_tcp, list_text, mesh_services};

declare_rule! {
    /// ## What it does
    /// For every service port whose endpoints have a sidecar, and for a sidecar client in every
    /// namespace of the inputs (plus the root namespace), resolves the TLS the client sends
    /// (DestinationRule lookup, `portLevelSettings`, auto mTLS, legacy mesh settings) and the
    /// mTLS mode each endpoint enforces (PeerAuthentication, v1alpha1 Policy/MeshPolicy, legacy
    /// annotations and mesh `authPolicy`, for the chosen Istio version). It reports the pairs
    /// that cannot talk:
    ///
    /// - the client sends plaintext (DestinationRule `DISABLE`, or no rule and auto mTLS off)
    ///   and the server is `STRICT`;
    /// - the client sends `ISTIO_MUTUAL` and the server is `DISABLE` (plaintext only);
    /// - the client sends `SIMPLE`/`MUTUAL` TLS to a sidecar, which expects Istio mTLS.
    ///
    /// The finding is reported on both sides — the policy that made the server mode and the
    /// DestinationRule that made the client TLS — once per resource, host and port, listing
    /// the client namespaces affected. When no DestinationRule is involved, the finding on the
    /// policy says so.
    ///
    /// ## Why is this bad?
    /// The client sidecar answers every request with 503 ("upstream connect error or
    /// disconnect/reset before headers"). The classic case is turning on `STRICT` (a MeshPolicy
    /// `mtls: {}` in Istio ≤ 1.4, or a PeerAuthentication with auto mTLS off) before any
    /// DestinationRule tells clients to use `ISTIO_MUTUAL`: every in-mesh call breaks at once.
    ///
    /// ## Example
    /// ```yaml
    /// # Istio 1.4, auto mTLS off
    /// apiVersion: authentication.istio.io/v1alpha1
    /// kind: MeshPolicy
    /// metadata: {name: default}
    /// spec:
    ///   peers:
    ///   - mtls: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: networking.istio.io/v1alpha3
    /// kind: DestinationRule
    /// metadata: {name: default, namespace: istio-system}
    /// spec:
    ///   host: "*.local"
    ///   trafficPolicy:
    ///     tls: {mode: ISTIO_MUTUAL}
    /// ```
    /// or set the policy to `PERMISSIVE` until every client sends mTLS.
    ///
    /// ## References
    /// - istioctl IST0113 (MTLSPolicyConflict), `galley/pkg/config/analysis/analyzers/auth/mtls.go` (1.5)
    /// - `istioctl authn tls-check` CONFLICT status (1.0–1.5)
    /// - Kiali KIA0207/KIA0208 (DestinationRule DISABLE vs STRICT), KIA0401/KIA0501 (STRICT
    ///   without mTLS DestinationRule), KIA0505/KIA0506 (DISABLE vs mTLS DestinationRule)
    /// - istio.io "Mutual TLS migration" and the 1.0–1.4 authentication policy task (503 when
    ///   the client side still uses plaintext)
    pub static RULE = {
        code: "ML0201",
        name: "mtls-mode-conflict",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0113"],
        kiali: ["KIA0207","KIA0208","KIA0401","KIA0501","KIA0505","KIA0506"],
        summary: "sidecar clients and servers disagree on mutual TLS for a service port (503)",
        reads_ports: true,
        check: check,
    }
}

/// One side of a conflict, accumulated over client namespaces.
struct Side {
    /// The client namespaces affected.
    namespaces: Members,
    server_mode: ServerMode,
    sends: &'static str,
    client_reason: String,
    server_reason: String,
    /// The other side's field, if any.
    other: Option<FieldRef>,
    explicit: bool,
}

type Key = (usize, Cow<'static, str>, usize, usize);

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let mut servers: BTreeMap<Key, Side> = BTreeMap::new();
    let mut clients: BTreeMap<Key, Side> = BTreeMap::new();
    for (si, svc) in mesh_services(a) {
        for (pi, port) in svc.ports.iter().enumerate() {
            if !is_tcp(port) {
                continue;
            }
            let pd = a.port(si, pi);
            if pd.sidecar_endpoints().next().is_none() {
                continue;
            }
            for class in &pd.clients {
                let cd = &class.decision;
                for e in pd.sidecar_endpoints() {
                    let sd = &e.server;
                    let Some(mode) = sd.mode else { continue };
                    if ignored_by_clients(a, sd, cd) {
                        continue;
                    }
                    let hop = pd.hop(a, class, Some(e));
                    if hop.outcome == Outcome::Ok {
                        continue;
                    }
                    let sends = hop.sends;
                    let explicit = matches!(cd.choice, Choice::Explicit(_));
                    // The rule that applies, even when it sets no TLS for the port: it
                    // shadows any less specific rule (istioctl reports it too, mtls-with-port).
                    let client_ref = cd.rule.and(cd.decided_by.first().cloned());
                    let server_ref = sd.deciding_field().cloned();
                    let side = |other: Option<FieldRef>| Side {
                        namespaces: Members::default(),
                        server_mode: mode,
                        sends: sends.as_str(),
                        client_reason: cd.reason.clone(),
                        server_reason: sd.reason.clone(),
                        other,
                        explicit,
                    };
                    if let Some(r) = &server_ref {
                        servers
                            .entry((r.object, r.field.clone(), si, pi))
                            .or_insert_with(|| side(client_ref.clone()))
                            .namespaces
                            .union(&class.members);
                    }
                    if let Some(r) = &client_ref {
                        clients
                            .entry((r.object, r.field.clone(), si, pi))
                            .or_insert_with(|| side(server_ref.clone()))
                            .namespaces
                            .union(&class.members);
                    }
                }
            }
        }
    }
    mesh_wide(a, &servers, &clients, out);
    let root = a.inv.root_namespace();
    let mesh_level = |o: &Object| o.kind == Kind::MeshPolicy || o.namespace() == root;
    for ((obj, field, si, pi), side) in servers {
        let o = &a.inv.objects[obj];
        let svc = &a.inv.services[si];
        let port = &svc.ports[pi];
        let hp = host_port(svc, port);
        let nss = list_text(side.namespaces.names(a));
        let mode = side.server_mode.as_str();
        let message = if side.explicit {
            format!(
                "{mode} here, but sidecar clients in {nss} send {} to {hp} ({}): 503",
                side.sends, side.client_reason
            )
        } else {
            format!(
                "{mode} here, but no DestinationRule sets TLS for {hp}, so sidecar clients in {nss} send {} ({}): 503",
                side.sends, side.client_reason
            )
        };
        let help = match (side.server_mode, side.explicit) {
            (ServerMode::Strict, false) => format!(
                "add a DestinationRule with tls.mode ISTIO_MUTUAL for {}, or set PERMISSIVE first",
                svc.fqdn(DNS_DOMAIN)
            ),
            (ServerMode::Strict, true) => format!(
                "make the DestinationRule send ISTIO_MUTUAL for {hp}, or set PERMISSIVE here"
            ),
            (ServerMode::Disable, _) => format!(
                "set tls.mode DISABLE for {hp} in the DestinationRule, or set PERMISSIVE here"
            ),
            (ServerMode::Permissive, _) => {
                format!("make the DestinationRule send ISTIO_MUTUAL or DISABLE for {hp}")
            }
        };
        // Kiali's KIA0401/KIA0501 mean "no DestinationRule enables mTLS": only when no rule
        // sets TLS (kiali-istiovet.md §1.3); an explicit DISABLE is the rule's finding (KIA0207/0208).
        let kia: &[&'static str] = match (side.server_mode, mesh_level(o)) {
            (ServerMode::Strict, _) if side.explicit => &[],
            (ServerMode::Strict, true) => &["KIA0401"],
            (ServerMode::Strict, false) => &["KIA0501"],
            (ServerMode::Disable, true) => &["KIA0506"],
            (ServerMode::Disable, false) => &["KIA0505"],
            (ServerMode::Permissive, _) => &[],
        };
        let mut f = Finding::new(&RULE, message)
            .on(o, &field)
            .help(help)
            .codes(&["IST0113"], kia);
        if let Some(r) = &side.other {
            let other = &a.inv.objects[r.object];
            f = f.related(
                other,
                &r.field,
                format!(
                    "DestinationRule {} makes the clients send {}",
                    other.qualified_name(),
                    side.sends
                ),
            );
        }
        out.push(f);
    }
    for ((obj, field, si, pi), side) in clients {
        let o = &a.inv.objects[obj];
        let svc = &a.inv.services[si];
        let port = &svc.ports[pi];
        let hp = host_port(svc, port);
        let nss = list_text(side.namespaces.names(a));
        let mode = side.server_mode.as_str();
        let message = format!(
            "sidecar clients in {nss} send {} to {hp} with this rule, but the endpoints are {mode} ({}): 503",
            side.sends, side.server_reason
        );
        let help = match side.server_mode {
            ServerMode::Strict => {
                format!("set tls.mode ISTIO_MUTUAL for {hp}, or make the server PERMISSIVE")
            }
            _ => format!("set tls.mode DISABLE for {hp}, or make the server PERMISSIVE"),
        };
        let server_obj = side.other.as_ref().map(|r| &a.inv.objects[r.object]);
        let kia: &[&'static str] = match (side.server_mode, side.sends, server_obj) {
            (ServerMode::Strict, "PLAINTEXT" | "APP_TLS", Some(s)) if mesh_level(s) => &["KIA0208"],
            (ServerMode::Strict, "PLAINTEXT" | "APP_TLS", Some(_)) => &["KIA0207"],
            _ => &[],
        };
        let mut f = Finding::new(&RULE, message)
            .on(o, &field)
            .help(help)
            .codes(&["IST0113"], kia);
        if let Some(r) = &side.other {
            let other = &a.inv.objects[r.object];
            f = f.related(
                other,
                &r.field,
                format!(
                    "{} {} makes the server {mode}",
                    other.kind.name(),
                    other.qualified_name()
                ),
            );
        }
        out.push(f);
    }
}

/// The mesh-wide check of istioctl's analyzer (research/istioctl.md §3.1 step 5), for inputs
/// where no service port exposes it: with auto mTLS off, a STRICT mesh-level policy that no
/// DestinationRule answers with ISTIO_MUTUAL for a service in any namespace. The service is
/// hypothetical (a namespace of its own, so only mesh-level policy and rules apply).
fn mesh_wide(
    a: &Analysis,
    servers: &BTreeMap<Key, Side>,
    clients: &BTreeMap<Key, Side>,
    out: &mut Vec<Finding>,
) {
    if client_tls::auto_mtls_enabled(a) {
        return;
    }
    let mesh = server_mtls::mesh_level(a);
    let mesh = (
        mesh.at.map(|f| (f.object, f.field)),
        mesh.mode.unwrap_or(ServerMode::Disable),
    );
    let svc = ServiceInfo {
        object: None,
        name: "any-service".to_owned(),
        namespace: "any-namespace".to_owned(),
        has_selector: false,
        ports: vec![PortInfo {
            name: "http".to_owned(),
            port: 80,
            protocol: "TCP".to_owned(),
            app_protocol: None,
            target_port: None,
        }],
        headless: false,
        workloads: Vec::new(),
    };
    let root = a.inv.root_namespace();
    let cd = client_tls::decide(a, &Client::sidecar_in(root), &svc, &svc.ports[0]);
    let mutual = cd.sends(a, None, false) == crate::resolve::client_tls::Sends::IstioMutual;
    if mesh.1 == ServerMode::Disable && mutual {
        // A mesh-wide ISTIO_MUTUAL rule while servers are plaintext-only (no policy before 1.5).
        let Some(r) = cd.decided_by.first() else {
            return;
        };
        if clients.keys().any(|(o, ..)| *o == r.object) {
            return;
        }
        let o = &a.inv.objects[r.object];
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "sidecar clients send ISTIO_MUTUAL mesh-wide with this rule, but no mesh-level policy enables mTLS, so servers accept plaintext only ({}): 503",
                    cd.reason
                ),
            )
            .on(o, &r.field)
            .help("add a MeshPolicy (or mesh-level PeerAuthentication) with PERMISSIVE or STRICT mTLS, or set tls.mode DISABLE")
            .codes(&["IST0113"], &["KIA0205"]),
        );
        return;
    }
    let (Some((obj, field)), ServerMode::Strict) = mesh else {
        return;
    };
    if mutual || servers.keys().any(|(o, ..)| *o == obj) {
        return;
    }
    let o = &a.inv.objects[obj];
    out.push(
        Finding::new(
            &RULE,
            format!(
                "STRICT mesh-wide, but no mesh-wide DestinationRule makes sidecar clients send ISTIO_MUTUAL and auto mTLS is off: calls to any service without its own ISTIO_MUTUAL rule fail with 503 ({})",
                cd.reason
            ),
        )
        .on(o, &field)
        .help(format!(
            "add a DestinationRule in {root} for host \"*.local\" with tls.mode ISTIO_MUTUAL, or set PERMISSIVE first"
        ))
        .codes(&["IST0113"], &["KIA0401"]),
    );
}
