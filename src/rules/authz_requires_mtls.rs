//! `authz-requires-mtls`: AuthorizationPolicy rules that use peer identity (`principals`,
//! `namespaces`, `serviceAccounts`, `source.principal`/`source.namespace`/… and
//! `connection.sni` conditions) on workload ports that accept plaintext (SPEC §3.5,
//! research/authz-semantics.md §5, §6).
//!
//! Like Kiali's `MtlsEnabledChecker` (KIA0105, research/kiali-istiovet.md §1.3) the fields are
//! the ones Kiali's `needsMtls` lists (plus `serviceAccounts`, `source.serviceAccount` and
//! `source.trustDomain`, which Kiali does not know). Unlike Kiali, whether a port receives
//! mTLS is taken from the real resolution: the server mode of every selected workload's
//! ports (`resolve::server_mtls`, port-level PeerAuthentication included) and what sidecar
//! clients in every namespace send (`resolve::client_tls`, auto mTLS included). KIA0105 is
//! attached only where in-mesh callers arrive in plaintext; a PERMISSIVE port whose sidecar
//! clients all send mTLS is still reported (callers without a sidecar have no identity), but
//! without the Kiali code, as Kiali stays silent there.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Finding, Severity};
use crate::facts::proxy::ProxyKind;
use crate::model::istio::security::{AuthzAction, Rule};
use crate::resolve::authz::{any_namespace_named, identity_fields, identity_namespaces};
use crate::resolve::client_tls::Sends;
use crate::resolve::decisions::{Decisions, Members};
use crate::resolve::server_mtls::{self, FieldRef, ServerMode, Target};
use crate::rules::declare_rule;
use crate::rules::support::authz::{
    Polarity, WorkloadPort, policies, policy_workloads, port_label, rule_ports, workload_ports,
};
use crate::rules::support::list_text;

declare_rule! {
    /// ## What it does
    /// Finds AuthorizationPolicy rules that match on the caller's mTLS identity —
    /// `principals`, `notPrincipals`, `namespaces`, `notNamespaces`, `serviceAccounts`,
    /// `notServiceAccounts`, and `when` conditions on `source.principal`, `source.namespace`,
    /// `source.serviceAccount`, `source.trustDomain` or `connection.sni` — and resolves, for
    /// every workload port the policy applies to, whether requests can arrive without mTLS:
    ///
    /// - the port is `DISABLE` (plaintext only): no caller ever has an identity;
    /// - the port is `PERMISSIVE` and sidecar clients of some namespace send plaintext (a
    ///   DestinationRule with `tls.mode: DISABLE`, or auto mTLS off and no rule);
    /// - the port is `PERMISSIVE` and only callers without a sidecar send plaintext.
    ///
    /// Ports that are `STRICT` are fine: every request that reaches the policy came over mTLS.
    /// A rule restricted with `to.operation.ports` is only judged on those ports. The severity
    /// depends on what plaintext does to the rule:
    ///
    /// - ALLOW with a positive field (`principals`, `namespaces`, …): plaintext callers never
    ///   match and get 403 — a warning when callers the rule admits send plaintext (sidecar
    ///   clients of an admitted namespace, or a workload without a proxy there among the
    ///   inputs) or a port is `DISABLE`; otherwise the rule fails closed as meant — info;
    /// - ALLOW with a negative field (`notPrincipals`, …): plaintext callers always pass the
    ///   field, whatever their real identity — warning;
    /// - DENY with a positive field: plaintext callers bypass the rule — error;
    /// - DENY with a negative field: plaintext callers are denied (this is the recommended way
    ///   to reject plaintext), so it is not reported.
    ///
    /// ## Why is this bad?
    /// Peer identity exists only on an mTLS connection. Under `PERMISSIVE` a plaintext request
    /// has no principal and no namespace, so `principals: [...]` can never match it and
    /// `notPrincipals: [...]` always matches it. A DENY policy meant to keep a namespace out is
    /// silently bypassed by any pod of that namespace that talks plaintext (no sidecar, or a
    /// DestinationRule that disables TLS).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: deny-legacy, namespace: shop}
    /// spec:
    ///   selector: {matchLabels: {app: payments}}
    ///   action: DENY
    ///   rules:
    ///   - from:
    ///     - source: {namespaces: [legacy]}   # the namespace is PERMISSIVE
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: default, namespace: shop}
    /// spec:
    ///   mtls: {mode: STRICT}
    /// ```
    /// or add a DENY rule with `notPrincipals: ["*"]` so that plaintext requests are rejected.
    ///
    /// ## References
    /// - Kiali KIA0105, `business/checkers/authorization/mtls_enabled_checker.go`
    /// - istio.io "Authorization policy" concepts: "Mutual TLS must be enabled before using
    ///   principals, notPrincipals, namespaces, notNamespaces, source.principal,
    ///   source.namespace"
    /// - Istio integration test `TestAuthz_DenyPlaintext` (`tests/integration/security/authz_test.go`)
    pub static RULE = {
        code: "ML0304",
        name: "authz-requires-mtls",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0105"],
        summary: "identity fields of an AuthorizationPolicy on a port that accepts plaintext",
        reads_ports: true,
        check: check,
    }
}

// ---------------------------------------------------------------- the rule

/// Where plaintext requests reach a rule, accumulated over workload ports.
#[derive(Default)]
struct Exposure {
    /// Ports that accept plaintext only (DISABLE): port label → reason.
    disabled: BTreeMap<String, String>,
    /// PERMISSIVE ports with sidecar clients sending plaintext: port label → their client
    /// namespaces (kept as positions, not names: a class may hold every namespace of the mesh).
    sidecar_plaintext: BTreeMap<String, Members>,
    /// PERMISSIVE ports where only callers without a sidecar send plaintext.
    permissive: BTreeSet<String>,
    /// The policy that made the first exposed port non-STRICT.
    decided_by: Option<FieldRef>,
    /// The DestinationRule that made sidecar clients send plaintext, if any.
    client_rule: Option<FieldRef>,
}

impl Exposure {
    fn is_empty(&self) -> bool {
        self.disabled.is_empty() && self.sidecar_plaintext.is_empty() && self.permissive.is_empty()
    }

    /// In-mesh (sidecar) callers arrive in plaintext somewhere: what Kiali's KIA0105 means.
    fn mesh_affected(&self) -> bool {
        !self.disabled.is_empty() || !self.sidecar_plaintext.is_empty()
    }

    fn describe(&self, a: &Decisions<'_>) -> String {
        let mut parts = Vec::new();
        if !self.disabled.is_empty() {
            let (first, reason) = self
                .disabled
                .iter()
                .next()
                .map_or(("", ""), |(k, v)| (k.as_str(), v.as_str()));
            let ports = list_text(self.disabled.keys());
            parts.push(if self.disabled.len() == 1 {
                format!("{first} accepts plaintext only (DISABLE: {reason})")
            } else {
                format!("{ports} accept plaintext only (DISABLE)")
            });
        }
        // Ports grouped by the same client namespaces, groups in the order of those sets
        // (compared name by name, as positions follow the names' order).
        // The sets are compared by the lists they keep, never expanded to the mesh (issue 14).
        let total = a.client_namespaces.len();
        let mut by_clients: Vec<(&Members, Vec<&str>)> = Vec::new();
        for (port, nss) in &self.sidecar_plaintext {
            match by_clients.iter_mut().find(|(m, _)| m.same_set(nss, total)) {
                Some((_, ports)) => ports.push(port),
                None => by_clients.push((nss, vec![port])),
            }
        }
        by_clients.sort_by(|(x, xp), (y, yp)| {
            x.positions(total)
                .cmp(y.positions(total))
                .then_with(|| xp.cmp(yp))
        });
        for (members, ports) in by_clients {
            parts.push(format!(
                "{} {} PERMISSIVE and sidecar clients in {} send plaintext to {}",
                list_text(&ports),
                if ports.len() == 1 { "is" } else { "are" },
                list_text(members.names(a)),
                if ports.len() == 1 { "it" } else { "them" },
            ));
        }
        if !self.permissive.is_empty() {
            let ports = list_text(&self.permissive);
            parts.push(format!(
                "{ports} {} PERMISSIVE, so callers without a sidecar arrive in plaintext (sidecar clients send mTLS)",
                if self.permissive.len() == 1 { "is" } else { "are" }
            ));
        }
        parts.join("; ")
    }
}

/// Resolves how plaintext reaches `rule` of a policy applied to `workloads`: the server
/// decision per workload port and what each class of sidecar clients sends there, from the
/// decision layer.
fn exposure(a: &Decisions<'_>, workloads: &[usize], rule: &Rule) -> Exposure {
    let mut e = Exposure::default();
    let only = rule_ports(rule);
    for &w in workloads {
        if !matches!(a.proxies[w].kind, ProxyKind::Sidecar | ProxyKind::Ambient) {
            continue;
        }
        let mut ports = workload_ports(a, w);
        if ports.is_empty() {
            // No port known: the workload-level mode (port-level settings cannot apply).
            ports.push(WorkloadPort {
                service: None,
                target: 0,
            });
        }
        for p in ports {
            if p.target != 0 && only.as_ref().is_some_and(|o| !o.contains(&p.target)) {
                continue;
            }
            let via = p.service.map(|(si, pi)| a.port(si, pi));
            let endpoint = via.and_then(|pd| pd.endpoints.iter().find(|e| e.workload == w));
            let computed;
            let d = match endpoint {
                Some(ep) => &ep.server,
                None => {
                    let service = p
                        .service
                        .map(|(si, pi)| (&a.inv.services[si], &a.inv.services[si].ports[pi]));
                    computed = server_mtls::decide(
                        a,
                        Target {
                            workload: w,
                            service,
                            target_port: p.target,
                        },
                    );
                    &computed
                }
            };
            let label = if p.target == 0 {
                a.inv.workloads[w].id()
            } else {
                port_label(a, w, &p)
            };
            let mode = match d.mode {
                None | Some(ServerMode::Strict) => continue,
                Some(m) => m,
            };
            if e.decided_by.is_none() {
                e.decided_by = d.deciding_field().cloned();
            }
            if mode == ServerMode::Disable {
                e.disabled.insert(label, d.reason.clone());
                continue;
            }
            let mut plain = Members::default();
            if let Some(pd) = via {
                for class in &pd.clients {
                    let cd = &class.decision;
                    if matches!(
                        cd.sends(a, Some(w), pd.app_tls),
                        Sends::Plaintext | Sends::AppTls
                    ) {
                        plain.union(&class.members);
                        if e.client_rule.is_none() && cd.rule.is_some() {
                            e.client_rule = cd.decided_by.first().cloned();
                        }
                    }
                }
            }
            if plain.len(a.client_namespaces.len()) == 0 {
                e.permissive.insert(label);
            } else {
                e.sidecar_plaintext.insert(label, plain);
            }
        }
    }
    e
}

/// Whether callers the rule admits arrive in plaintext: sidecar clients of an admitted
/// namespace that send plaintext, or a workload without a proxy in an admitted namespace among
/// the inputs (at a PERMISSIVE port).
fn admits_plaintext(a: &Decisions<'_>, rule: &Rule, policy_ns: &str, e: &Exposure) -> bool {
    let admitted = identity_namespaces(rule, policy_ns);
    let patterns = || admitted.iter().map(String::as_str);
    // Namespace patterns match with `*` anywhere (authz-semantics §5).
    let sidecars = e
        .sidecar_plaintext
        .values()
        .any(|nss| nss.any_named(a, patterns()));
    // Callers without a proxy send plaintext to every PERMISSIVE port.
    let permissive = !(e.permissive.is_empty() && e.sidecar_plaintext.is_empty());
    let proxyless = a.proxyless_namespaces();
    let proxyless = permissive
        && any_namespace_named(
            patterns(),
            |p| proxyless.binary_search(&p).is_ok(),
            || proxyless.iter().copied(),
        );
    sidecars || proxyless
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for (_, o, spec) in policies(a) {
        if !matches!(spec.action, AuthzAction::Allow | AuthzAction::Deny) {
            continue;
        }
        let Some(rules) = &spec.rules else { continue };
        let mut workloads: Option<Vec<usize>> = None;
        for (i, rule) in rules.iter().enumerate() {
            let fields = identity_fields(rule, &format!("spec.rules[{i}]"));
            let fields: Vec<_> = fields
                .into_iter()
                .filter(|(_, _, pol)| {
                    spec.action == AuthzAction::Allow || *pol == Polarity::Positive
                })
                .collect();
            if fields.is_empty() {
                continue;
            }
            let ws = workloads.get_or_insert_with(|| policy_workloads(a, o, spec));
            let e = exposure(a, ws, rule);
            if e.is_empty() {
                continue;
            }
            let where_ = e.describe(a);
            for (path, name, pol) in fields {
                let (message, severity, help) = match (spec.action, pol) {
                    (AuthzAction::Deny, _) => (
                        format!(
                            "{name} needs mTLS, but {where_}: plaintext requests have no peer identity and bypass this DENY rule"
                        ),
                        Severity::Error,
                        "make the selected workloads STRICT with a PeerAuthentication, or add a DENY rule with `notPrincipals: [\"*\"]` so plaintext requests are rejected".to_owned(),
                    ),
                    (_, Polarity::Positive) if !e.disabled.is_empty() || admits_plaintext(a, rule, o.namespace(), &e) => (
                        format!(
                            "{name} needs mTLS, but {where_}: plaintext requests have no peer identity, never match this rule and get 403 unless another rule allows them"
                        ),
                        Severity::Warning,
                        "make the selected workloads STRICT with a PeerAuthentication (and let clients send ISTIO_MUTUAL), or allow plaintext callers with a rule that does not use peer identity".to_owned(),
                    ),
                    // Fails closed: plaintext callers get 403, as an ALLOW on identities means,
                    // and no caller the rule admits sends plaintext in the inputs (issue 15).
                    (_, Polarity::Positive) => (
                        format!(
                            "{name} needs mTLS, but {where_}: plaintext requests have no peer identity and get 403, which is what this ALLOW rule asks (no caller it admits sends plaintext in the inputs)"
                        ),
                        Severity::Info,
                        "make the selected workloads STRICT with a PeerAuthentication so plaintext is refused at the connection, not by this rule".to_owned(),
                    ),
                    (_, Polarity::Negative) => (
                        format!(
                            "{name} needs mTLS, but {where_}: plaintext requests have no peer identity, so they always satisfy {name} and this rule allows them whatever their origin"
                        ),
                        Severity::Warning,
                        "make the selected workloads STRICT with a PeerAuthentication, or use a positive list (principals, namespaces) instead of a negative one".to_owned(),
                    ),
                };
                let mut f = Finding::new(&RULE, message)
                    .on(o, &path)
                    .help(help)
                    .severity(severity);
                if !e.mesh_affected() {
                    f = f.codes(&[], &[]);
                }
                if let Some(r) = &e.decided_by {
                    let other = &a.inv.objects[r.object];
                    f = f.related(other, &r.field, "decides the server's mTLS mode");
                }
                if let Some(r) = &e.client_rule {
                    let other = &a.inv.objects[r.object];
                    f = f.related(other, &r.field, "makes sidecar clients send plaintext");
                }
                out.push(f);
            }
        }
    }
}
