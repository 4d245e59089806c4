//! `dr-host-not-found`: DestinationRule hosts that match no Service or ServiceEntry host of the
//! inputs (Kiali KIA0202; research/kiali-istiovet.md §1.2, research/istio-semantics.md §4 "Host
//! matching").
//!
//! Decision: the rule only runs when the inputs contain at least one Service object. Policy-only
//! manifests (a repository of Istio config applied to a cluster meshlint does not see) would
//! otherwise flag every rule.

use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::client_tls::{DNS_DOMAIN, host_match, qualify_host};
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a DestinationRule whose `host` matches no Service and no ServiceEntry host in the
    /// inputs. Short hosts (`httpbin`) are first qualified with the rule's namespace
    /// (`httpbin.bar.svc.cluster.local`), as Istio does. Wildcard hosts are allowed; a wildcard
    /// that matches nothing is reported only in the namespace form
    /// `*.<ns>.svc.cluster.local` when namespace `<ns>` appears nowhere in the inputs. IP
    /// addresses are not checked.
    ///
    /// The rule is silent when the inputs contain no Service at all: meshlint then cannot tell
    /// what the cluster's registry holds.
    ///
    /// ## Why is this bad?
    /// A DestinationRule for a host nobody serves configures nothing: its TLS mode, subsets and
    /// connection settings never reach a client. Typical causes are a misspelt name, a host
    /// written as `httpbin.bar` (Istio takes a name with a dot literally; only names without a
    /// dot are qualified), a rule left behind after the Service was renamed, or a namespace
    /// wildcard for a namespace that does not exist.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: httpbin, namespace: foo}
    /// spec:
    ///   host: httpbin.bar          # not qualified: matches no Service
    ///   trafficPolicy:
    ///     tls: {mode: ISTIO_MUTUAL}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   host: httpbin.bar.svc.cluster.local
    /// ```
    ///
    /// ## References
    /// - Kiali KIA0202, `business/checkers/destinationrules/no_dest_checker.go`
    /// - Istio `ResolveShortnameToFQDN`, `MostSpecificHostMatch` (`pilot/pkg/model/config.go`)
    /// - research/istio-semantics.md §4 "Host matching"
    pub static RULE = {
        code: "ML0210",
        name: "dr-host-not-found",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0202"],
        summary: "destination rule host that matches no Service or ServiceEntry",
        check: check,
    }
}

/// Whether a host is an IP address (with an optional CIDR suffix).
fn is_ip(host: &str) -> bool {
    let addr = host.split('/').next().unwrap_or(host);
    addr.parse::<std::net::IpAddr>().is_ok()
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if !a.inv.of_kind(Kind::Service).any(|(i, _)| !a.is_implied(i)) {
        return;
    }
    // Every host of the registry: Services (including the implicit API server) and
    // ServiceEntry hosts (which may be wildcards themselves); not the Services that policies
    // imply (facts/implied.rs), which stand in for what the inputs do not show.
    let mut hosts: Vec<String> = a
        .inv
        .services
        .iter()
        .filter(|s| s.object.is_none_or(|o| !a.is_implied(o)))
        .map(|s| s.fqdn(DNS_DOMAIN))
        .collect();
    for (_, o) in a.inv.of_kind(Kind::ServiceEntry) {
        if let Body::ServiceEntry(se) = &o.body {
            hosts.extend(se.hosts.iter().map(|h| qualify_host(h, o.namespace())));
        }
    }
    let exact: std::collections::HashSet<&str> = hosts.iter().map(String::as_str).collect();
    let wildcards: Vec<&String> = hosts.iter().filter(|h| h.starts_with('*')).collect();
    let suffix = format!(".svc.{DNS_DOMAIN}");
    for (_, o) in a.inv.of_kind(Kind::DestinationRule) {
        let Body::DestinationRule(spec) = &o.body else {
            continue;
        };
        if spec.host.is_empty() || is_ip(&spec.host) {
            continue;
        }
        let host = qualify_host(&spec.host, o.namespace());
        // A concrete rule host is a lookup, then the wildcard registry hosts; a wildcard rule
        // host scans the registry.
        let found = if host.starts_with('*') {
            hosts.iter().any(|h| {
                host_match(&host, h).is_some()
                    || (h.starts_with('*') && host_match(h, &host).is_some())
            })
        } else {
            exact.contains(host.as_str())
                // A wildcard ServiceEntry host covers a concrete rule host.
                || wildcards.iter().any(|h| host_match(h, &host).is_some())
        };
        if found {
            continue;
        }
        let f = if let Some(rest) = host.strip_prefix("*.") {
            let Some(ns) = rest.strip_suffix(&suffix).filter(|n| !n.contains('.')) else {
                continue;
            };
            if a.holds_namespace(ns) {
                continue;
            }
            Finding::new(
                &RULE,
                format!("host {host} is for namespace {ns}, which does not exist in the inputs"),
            )
            .help("fix the namespace in the host, or delete the rule")
        } else {
            // A host of a namespace whose Services the inputs do not hold may well exist.
            if let Some(ns) = host
                .strip_suffix(&suffix)
                .and_then(|h| h.split_once('.'))
                .map(|(_, ns)| ns)
                .filter(|ns| !ns.contains('.'))
                && !a.inv.services_by_namespace.get(ns).is_some_and(|l| {
                    l.iter()
                        .any(|&s| a.inv.services[s].object.is_some_and(|o| !a.is_implied(o)))
                })
            {
                continue;
            }
            let qualified_note = if host == spec.host {
                String::new()
            } else {
                format!(" (qualified from {})", spec.host)
            };
            let mut f = Finding::new(
                &RULE,
                format!(
                    "host {host}{qualified_note} matches no Service or ServiceEntry in the inputs"
                ),
            );
            // `name.ns` is taken literally; suggest the service it was probably meant for.
            let guess = format!("{host}{suffix}");
            f = if hosts.contains(&guess) {
                f.help(format!(
                    "Istio does not qualify names that contain a dot: write host: {guess}"
                ))
            } else {
                f.help("fix the host to name an existing Service (FQDN or short name in the rule's namespace), add a ServiceEntry for it, or delete the rule")
            };
            f
        };
        out.push(f.on(o, "spec.host"));
    }
}
