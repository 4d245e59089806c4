//! `dr-tls-overridden`: the TLS of a mesh-wide or namespace-wide DestinationRule that a more
//! local rule takes away for some service ports (Kiali KIA0204; research/kiali-istiovet.md
//! §1.3–1.4, research/istio-semantics.md §4 "Which namespace's DRs").
//!
//! Unlike Kiali, which compares host strings literally (`*.local`, `*.<ns>.<domain>`) and only
//! flags rules without any TLS, this rule asks the resolver which rule really applies for a
//! hypothetical sidecar client in every namespace of the inputs, for every Service port the broad
//! rule covers and is visible to: a rule in the client's namespace wins regardless of host
//! specificity, an exact host beats a wildcard, and `portLevelSettings` replace the policy.

use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::{Finding, Severity};
use crate::model::istio::networking::{DestinationRuleSpec, TlsMode};
use crate::model::resource::Body;
use crate::resolve::client_tls::{
    AppliedRule, Client, DNS_DOMAIN, auto_mtls_enabled, destination_rule, exported_to, host_match,
    qualify_host,
};
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Finds DestinationRules meant to set TLS broadly — a wildcard host (`*.local`,
    /// `*.foo.svc.cluster.local`, `*`) or any rule in the root namespace — and reports each more
    /// local DestinationRule that takes their place for some Service port while setting no TLS
    /// or a different TLS mode. Which rule applies is decided as Istio does, for a sidecar client
    /// in every namespace of the inputs: the client's namespace first (whatever the host's
    /// specificity), then the service's namespace, then the root namespace; the exact host
    /// before the longest wildcard; a `portLevelSettings` entry replacing the policy for its
    /// port.
    ///
    /// A shadowing rule without TLS is a warning; one that sets another mode explicitly is
    /// reported as info (it is often deliberate, e.g. `DISABLE` for the API server). The
    /// finding is on the shadowing rule and lists the service ports and client namespaces.
    ///
    /// ## Why is this bad?
    /// DestinationRules never merge across hosts or namespaces: the one rule that applies
    /// decides everything, and a rule written only for load balancing or subsets has no `tls`,
    /// so it silently removes the mesh-wide `ISTIO_MUTUAL`. Without auto mTLS the client then
    /// sends plaintext and a STRICT server answers 503; with auto mTLS the result depends on the
    /// endpoints, not on the rule you wrote.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: default, namespace: istio-system}
    /// spec:
    ///   host: "*.local"
    ///   trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
    /// ---
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: reviews, namespace: bookinfo}
    /// spec:
    ///   host: reviews
    ///   subsets: [{name: v1, labels: {version: v1}}]    # no tls: plaintext without auto mTLS
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   host: reviews
    ///   trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
    ///   subsets: [{name: v1, labels: {version: v1}}]
    /// ```
    ///
    /// ## References
    /// - Kiali KIA0204, `business/checkers/destinationrules/traffic_policy_checker.go`
    /// - Istio `PushContext.destinationRule` (`pilot/pkg/model/push_context.go`)
    /// - research/istio-semantics.md §4 "Which namespace's DRs", research/kiali-istiovet.md §1.4
    pub static RULE = {
        code: "ML0212",
        name: "dr-tls-overridden",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0204"],
        summary: "a more local DestinationRule takes away the TLS of a mesh- or namespace-wide rule",
        check: check,
    }
}

/// A broad rule: its index, qualified host and namespace.
struct Broad<'a> {
    index: usize,
    host: String,
    ns: &'a str,
    spec: &'a DestinationRuleSpec,
}

/// The TLS mode a rule sets for a Service port (`portLevelSettings` replace the policy).
fn tls_for_port(spec: &DestinationRuleSpec, port: i32) -> Option<TlsMode> {
    let tp = spec.traffic_policy.as_ref()?;
    match tp.port_level_settings.iter().find(|p| {
        p.port
            .as_ref()
            .is_some_and(|s| i64::from(s.number) == i64::from(port))
    }) {
        Some(p) => p.tls.as_ref().map(|t| t.mode),
        None => tp.tls.as_ref().map(|t| t.mode),
    }
}

fn scope_text(b: &Broad<'_>, root: &str) -> String {
    let ns_wide = b
        .host
        .strip_prefix("*.")
        .and_then(|r| r.strip_suffix(&format!(".svc.{DNS_DOMAIN}")))
        .filter(|n| !n.contains('.'));
    if b.ns == root && b.host.starts_with('*') {
        "mesh-wide".to_owned()
    } else if let Some(n) = ns_wide {
        format!("namespace-wide ({n})")
    } else if b.ns == root {
        "root-namespace".to_owned()
    } else {
        "wildcard".to_owned()
    }
}

fn list(items: &BTreeSet<String>, max: usize) -> String {
    let shown: Vec<&str> = items.iter().map(String::as_str).take(max).collect();
    let more = items.len().saturating_sub(max);
    let mut s = shown.join(", ");
    if more > 0 {
        s.push_str(&format!(" and {more} more"));
    }
    s
}

/// (shadowing rule, broad rule, the shadowing rule's mode for the port)
type Key = (usize, usize, Option<TlsMode>);
/// (service ports, client namespaces, the shadowing rule's TLS field)
type Shadowed = (BTreeSet<String>, BTreeSet<String>, Option<String>);

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let root = a.inv.root_namespace();
    let by_ns = a.profile.has(Behaviour::DrLookupByNamespace);
    let mut broad: Vec<Broad<'_>> = Vec::new();
    for (ns, rules) in &a.policies.destination_rules {
        for &i in rules {
            let Body::DestinationRule(spec) = &a.inv.objects[i].body else {
                continue;
            };
            let host = qualify_host(&spec.host, ns);
            let has_tls = spec
                .traffic_policy
                .as_ref()
                .is_some_and(|tp| tp.tls.is_some());
            if has_tls && spec.workload_selector.is_none() && (host.starts_with('*') || ns == root)
            {
                broad.push(Broad {
                    index: i,
                    host,
                    ns,
                    spec,
                });
            }
        }
    }
    if broad.is_empty() {
        return;
    }
    let mut found: BTreeMap<Key, Shadowed> = BTreeMap::new();
    for svc in &a.inv.services {
        let fqdn = svc.fqdn(DNS_DOMAIN);
        let covering: Vec<&Broad<'_>> = broad
            .iter()
            .filter(|b| host_match(&b.host, &fqdn).is_some())
            .collect();
        if covering.is_empty() {
            continue;
        }
        for port in &svc.ports {
            for client_ns in &a.inv.namespaces {
                let Some(AppliedRule {
                    rule: r,
                    tls: r_tls,
                    ..
                }) = destination_rule(a, &Client::sidecar_in(client_ns), svc, port)
                else {
                    continue;
                };
                let r_mode = r_tls.as_ref().map(|(t, _)| t.mode);
                let r_obj = &a.inv.objects[r];
                let r_host = match &r_obj.body {
                    Body::DestinationRule(s) => qualify_host(&s.host, r_obj.namespace()),
                    _ => continue,
                };
                for b in &covering {
                    if b.index == r {
                        continue;
                    }
                    // Same host in the same namespace: merged (dr-duplicate-host's business).
                    if b.ns == r_obj.namespace() && b.host == r_host {
                        continue;
                    }
                    let visible = if by_ns {
                        // Client namespace, service namespace, root namespace.
                        let looked_at =
                            b.ns == client_ns.as_str() || b.ns == svc.namespace || b.ns == root;
                        looked_at && exported_to(a, b.spec, b.ns, client_ns)
                    } else {
                        true
                    };
                    if !visible {
                        continue;
                    }
                    let Some(b_mode) = tls_for_port(b.spec, port.port) else {
                        continue;
                    };
                    if r_mode == Some(b_mode) {
                        continue;
                    }
                    let entry = found.entry((r, b.index, r_mode)).or_default();
                    entry
                        .0
                        .insert(format!("{}.{}:{}", svc.name, svc.namespace, port.port));
                    entry.1.insert(client_ns.clone());
                    if entry.2.is_none() {
                        entry.2 = r_tls.as_ref().map(|(_, at)| at.field.to_string());
                    }
                }
            }
        }
    }
    let fallback = if auto_mtls_enabled(a) {
        "auto mTLS (ISTIO_MUTUAL only to endpoints with a sidecar)"
    } else {
        "plaintext (auto mTLS is off)"
    };
    let all_ns = a.inv.namespaces.len();
    for ((r, bi, r_mode), (ports, clients, field)) in found {
        let r_obj = &a.inv.objects[r];
        let b_obj = &a.inv.objects[bi];
        let Some(b) = broad.iter().find(|x| x.index == bi) else {
            continue;
        };
        let b_mode = b
            .spec
            .traffic_policy
            .as_ref()
            .and_then(|tp| tp.tls.as_ref())
            .map_or("?", |t| t.mode.as_str());
        let who = if clients.len() == all_ns {
            "clients in every namespace".to_owned()
        } else {
            format!("clients in {}", list(&clients, 6))
        };
        let what = format!(
            "{} DestinationRule {}/{} (tls mode {b_mode})",
            scope_text(b, root),
            b_obj.namespace(),
            b_obj.name()
        );
        let (message, help, severity) = match r_mode {
            None => (
                format!(
                    "this rule applies instead of {what} for {} ({who}) but sets no tls, so those clients fall back to {fallback}",
                    list(&ports, 5)
                ),
                format!(
                    "add tls (mode {b_mode}) to this rule's trafficPolicy, or to the portLevelSettings entry of each port"
                ),
                RULE.severity,
            ),
            Some(m) => (
                format!(
                    "this rule applies instead of {what} for {} ({who}) and sets tls mode {}",
                    list(&ports, 5),
                    m.as_str()
                ),
                format!(
                    "if {} is intended, nothing to do; otherwise set tls mode {b_mode} here",
                    m.as_str()
                ),
                Severity::Info,
            ),
        };
        let at = match (&field, &r_obj.body) {
            (Some(f), _) => f.clone(),
            (None, Body::DestinationRule(s)) if s.traffic_policy.is_some() => {
                "spec.trafficPolicy".to_owned()
            }
            _ => "spec.host".to_owned(),
        };
        out.push(
            Finding::new(&RULE, message)
                .severity(severity)
                .on(r_obj, &at)
                .help(help)
                .related(
                    b_obj,
                    "spec.trafficPolicy.tls.mode",
                    "the broad rule whose tls is overridden",
                ),
        );
    }
}
