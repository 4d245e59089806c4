//! `port-level-settings-drops-tls`: DestinationRule `portLevelSettings` entries without `tls`
//! under a top-level `trafficPolicy.tls` (SPEC §3.3, research/istio-semantics.md §4 "Where TLS
//! comes from"): the port entry replaces the whole top-level policy, so that port has no TLS
//! setting at all.

use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::client_tls::auto_mtls_enabled;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an entry of a DestinationRule's `trafficPolicy.portLevelSettings` that has no
    /// `tls` block while the top-level `trafficPolicy.tls` is set.
    ///
    /// Only the rule's own traffic policy is checked; subset traffic policies merge field by
    /// field with it and are not reported.
    ///
    /// ## Why is this bad?
    /// A `portLevelSettings` entry for a Service port replaces the *whole* top-level traffic
    /// policy for that port; fields it leaves out fall back to their defaults, not to the top
    /// level. An entry written only to tune `connectionPool` or `loadBalancer` therefore drops
    /// the TLS setting for its port: clients send whatever auto mTLS decides (or plaintext when
    /// auto mTLS is off), not the `ISTIO_MUTUAL`/`SIMPLE`/`DISABLE` the rule states. Against a
    /// STRICT server without auto mTLS that is a 503; with `SIMPLE` to an external host it is
    /// plaintext to a TLS port.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: httpbin, namespace: bar}
    /// spec:
    ///   host: httpbin.bar.svc.cluster.local
    ///   trafficPolicy:
    ///     tls: {mode: ISTIO_MUTUAL}
    ///     portLevelSettings:
    ///     - port: {number: 8000}
    ///       connectionPool: {tcp: {maxConnections: 100}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///     portLevelSettings:
    ///     - port: {number: 8000}
    ///       connectionPool: {tcp: {maxConnections: 100}}
    ///       tls: {mode: ISTIO_MUTUAL}
    /// ```
    ///
    /// ## References
    /// - Istio `pilot/pkg/networking/util/util.go` `GetPortLevelTrafficPolicy` (the port entry
    ///   replaces the policy), `cluster_builder.go` `applyDestinationRule`
    /// - research/istio-semantics.md §4 "Where TLS comes from, per cluster"
    pub static RULE = {
        code: "ML0206",
        name: "port-level-settings-drops-tls",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "portLevelSettings entry without tls drops the DestinationRule's top-level TLS for its port",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let fallback = if auto_mtls_enabled(a) {
        "auto mTLS (ISTIO_MUTUAL only to endpoints with a sidecar, else plaintext)"
    } else {
        "plaintext (auto mTLS is off)"
    };
    for (_, o) in a.inv.of_kind(Kind::DestinationRule) {
        let Body::DestinationRule(spec) = &o.body else {
            continue;
        };
        let Some(tp) = &spec.traffic_policy else {
            continue;
        };
        let Some(top) = &tp.tls else { continue };
        for (i, p) in tp.port_level_settings.iter().enumerate() {
            if p.tls.is_some() {
                continue;
            }
            let port = p
                .port
                .as_ref()
                .map_or_else(|| "?".to_owned(), |s| s.number.to_string());
            out.push(
                Finding::new(
                    &RULE,
                    format!(
                        "portLevelSettings for port {port} sets no tls: it replaces the top-level policy, so port {port} loses tls mode {} and falls back to {fallback}",
                        top.mode.as_str()
                    ),
                )
                .on(o, &format!("spec.trafficPolicy.portLevelSettings[{i}]"))
                .help(format!(
                    "repeat the tls block (mode {}) in this portLevelSettings entry",
                    top.mode.as_str()
                ))
                .related(o, "spec.trafficPolicy.tls", "the top-level tls that port does not get"),
            );
        }
    }
}
