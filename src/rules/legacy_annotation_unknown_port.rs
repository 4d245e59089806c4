//! `legacy-annotation-unknown-port`: the 0.x Service annotation `auth.istio.io/<port>` naming no
//! Service port of its Service, or with a value other than `NONE`/`MUTUAL_TLS`
//! (research/istio-semantics.md §1, SPEC §3.2). From Istio 1.0 the annotation is ignored; that
//! is reported once per Service, as info.

use crate::diagnostic::{Finding, Severity};
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::resolve::server_mtls::annotation_key;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Checks the Istio 0.x per-port mTLS annotation on Services, `auth.istio.io/<port>:
    /// NONE|MUTUAL_TLS`. For Istio versions that read it (before 1.0) it reports:
    ///
    /// - a `<port>` that is no `port` of that Service — the annotation keys on the *Service*
    ///   port, not the target (container) port; when the number is a target port, the message
    ///   says which Service port to use;
    /// - a value other than `NONE` or `MUTUAL_TLS`, which Istio treats as INHERIT (the mesh
    ///   `authPolicy` applies).
    ///
    /// For Istio 1.0 and later it reports once per Service, as info, that the annotations are
    /// ignored.
    ///
    /// ## Why is this bad?
    /// Istio looks the annotation up by the Service port number. A key for the container port,
    /// a typo, or a value such as `DISABLE` or `mutual_tls` is silently ignored: the port keeps
    /// the mesh-wide mode, so mTLS you switched off for a legacy client stays on (connection
    /// reset) or mTLS you switched on is off (plaintext on both sides). From 1.0 the annotation
    /// does nothing at all; an authentication Policy or PeerAuthentication replaces it.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: httpbin
    ///   namespace: bar
    ///   annotations:
    ///     auth.istio.io/80: NONE      # 80 is the targetPort; the Service port is 8000
    /// spec:
    ///   ports: [{name: http, port: 8000, targetPort: 80}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   annotations:
    ///     auth.istio.io/8000: NONE
    /// ```
    ///
    /// ## References
    /// - Istio 0.5 `pilot/pkg/serviceregistry/kube/conversion.go`
    ///   (`extractAuthenticationPolicy`, `portAuthenticationAnnotationKey`)
    /// - research/istio-semantics.md §1
    pub static RULE = {
        code: "ML0214",
        name: "legacy-annotation-unknown-port",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "auth.istio.io/<port> Service annotation for no Service port, with a bad value, or ignored by the version",
        check: check,
    }
}

const PREFIX: &str = "auth.istio.io/";

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let honoured = a.profile.has(Behaviour::LegacyAnnotations);
    for svc in &a.inv.services {
        let Some(oi) = svc.object else { continue };
        let o = &a.inv.objects[oi];
        if !matches!(o.body, Body::Service(_)) {
            continue;
        }
        let keys: Vec<(&String, &String)> = o
            .annotations()
            .iter()
            .filter(|(k, _)| k.starts_with(PREFIX))
            .collect();
        let Some((first, _)) = keys.first() else {
            continue;
        };
        if !honoured {
            let names: Vec<&str> = keys.iter().map(|(k, _)| k.as_str()).collect();
            out.push(
                Finding::new(
                    &RULE,
                    format!(
                        "Istio {} ignores the auth.istio.io annotations of this Service ({}); they were dropped in Istio 1.0",
                        a.profile.version,
                        names.join(", ")
                    ),
                )
                .severity(Severity::Info)
                .on(o, &format!("metadata.annotations[\"{first}\"]"))
                .help("express the per-port mode with a PeerAuthentication portLevelMtls (or a v1alpha1 Policy with target ports in 0.8–1.5), then remove the annotations"),
            );
            continue;
        }
        let ports_text = svc
            .ports
            .iter()
            .map(|p| p.port.to_string())
            .collect::<Vec<_>>()
            .join(", ");
        for (key, value) in keys {
            let field = format!("metadata.annotations[\"{key}\"]");
            let suffix = &key[PREFIX.len()..];
            let port = suffix
                .parse::<i32>()
                .ok()
                .filter(|n| svc.ports.iter().any(|p| p.port == *n));
            if port.is_none() {
                // Does the number name a target port? Then say which Service port leads there.
                let via = suffix.parse::<i32>().ok().and_then(|n| {
                    svc.ports.iter().find(|p| {
                        svc.workloads
                            .iter()
                            .any(|&w| a.inv.target_port(p, &a.inv.workloads[w]) == Some(n))
                            || matches!(&p.target_port,
                                Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(t)) if *t == n)
                    })
                });
                let (message, help) = match via {
                    Some(p) => (
                        format!(
                            "annotation {key} names target port {suffix}; the annotation keys on the Service port, so it applies to nothing (Service port {} forwards to {suffix})",
                            p.port
                        ),
                        format!("use {} instead", annotation_key(p.port)),
                    ),
                    None => (
                        format!(
                            "annotation {key} names no port of this Service (ports: {ports_text}), so it applies to nothing"
                        ),
                        format!(
                            "use auth.istio.io/<service port> with one of {ports_text}, or remove the annotation"
                        ),
                    ),
                };
                out.push(Finding::new(&RULE, message).on(o, &field).help(help));
                continue;
            }
            if value != "NONE" && value != "MUTUAL_TLS" {
                out.push(
                    Finding::new(
                        &RULE,
                        format!(
                            "annotation {key} has value {value:?}, which is neither NONE nor MUTUAL_TLS: Istio treats it as INHERIT and the mesh authPolicy applies"
                        ),
                    )
                    .on(o, &field)
                    .help("set the value to NONE or MUTUAL_TLS (upper case), or remove the annotation"),
                );
            }
        }
    }
}
