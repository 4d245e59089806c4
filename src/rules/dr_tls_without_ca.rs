//! `dr-tls-without-ca`: DestinationRule `SIMPLE`/`MUTUAL` TLS without `caCertificates`, so the
//! server certificate is not verified (istioctl IST0128/IST0129, research/istioctl.md §2.1, §3.2,
//! §3.4).
//!
//! Same conditions as Istio master's `destinationrule.CaCertificateAnalyzer`: the top level and
//! each `portLevelSettings` entry are checked; `credentialName` exempts a setting only when the
//! rule also has a `workloadSelector`. `insecureSkipVerify: true` does not exempt it (Istio's
//! analyzer ignores the field); the message then says verification is switched off on purpose.

use crate::diagnostic::Finding;
use crate::model::istio::networking::{ClientTls, DestinationRuleSpec, TlsMode};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports DestinationRule TLS settings with mode `SIMPLE` or `MUTUAL` that set no
    /// `caCertificates`: at the top level of `trafficPolicy` (IST0128) and in each
    /// `trafficPolicy.portLevelSettings` entry (IST0129). A `credentialName` counts as providing
    /// the CA only when the rule also has a `workloadSelector` (as in istioctl). Subset traffic
    /// policies are not checked (istioctl does not check them either).
    ///
    /// `insecureSkipVerify: true` does not silence the finding: istioctl ignores the field, and
    /// an explicitly unverified connection is still one an attacker in the path can intercept.
    ///
    /// ## Why is this bad?
    /// Without a CA bundle the sidecar does not verify the server's certificate: the connection
    /// is encrypted but not authenticated, so anyone who can redirect the traffic (DNS, a
    /// compromised egress path) can impersonate the server and read the data, client
    /// certificate or not.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: db-tls, namespace: prod}
    /// spec:
    ///   host: mydbserver.prod.svc.cluster.local
    ///   trafficPolicy:
    ///     tls:
    ///       mode: SIMPLE
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   trafficPolicy:
    ///     tls:
    ///       mode: SIMPLE
    ///       caCertificates: /etc/certs/root.pem
    /// ```
    ///
    /// ## References
    /// - istioctl IST0128 (NoServerCertificateVerificationDestinationLevel), IST0129
    ///   (NoServerCertificateVerificationPortLevel),
    ///   `pkg/config/analysis/analyzers/destinationrule/ca-certificates.go`
    /// - Istio `ClientTLSSettings` reference (`caCertificates`, `credentialName`)
    pub static RULE = {
        code: "ML0213",
        name: "dr-tls-without-ca",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0128", "IST0129"],
        kiali: [],
        summary: "server certificate not verified: SIMPLE/MUTUAL DestinationRule TLS without caCertificates",
        check: check,
    }
}

/// Whether a TLS setting leaves the server unverified (the analyzer's condition).
fn unverified(tls: &ClientTls, spec: &DestinationRuleSpec) -> bool {
    matches!(tls.mode, TlsMode::Simple | TlsMode::Mutual)
        && tls.ca_certificates.is_empty()
        && (tls.credential_name.is_empty() || spec.workload_selector.is_none())
}

fn note(tls: &ClientTls) -> &'static str {
    if tls.insecure_skip_verify == Some(true) {
        " (insecureSkipVerify: true switches verification off explicitly)"
    } else {
        ""
    }
}

fn help(tls: &ClientTls) -> &'static str {
    if tls.credential_name.is_empty() {
        "set caCertificates to the CA bundle that signed the server's certificate"
    } else {
        "set caCertificates, or add a workloadSelector so the CA comes from the credentialName secret"
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for (_, o) in a.inv.of_kind(Kind::DestinationRule) {
        let Body::DestinationRule(spec) = &o.body else {
            continue;
        };
        let Some(tp) = &spec.traffic_policy else {
            continue;
        };
        if let Some(tls) = &tp.tls
            && unverified(tls, spec)
        {
            out.push(
                Finding::new(
                    &RULE,
                    format!(
                        "tls mode {} for host {} sets no caCertificates: the server certificate is not verified{}",
                        tls.mode.as_str(),
                        spec.host,
                        note(tls)
                    ),
                )
                .on(o, "spec.trafficPolicy.tls")
                .help(help(tls))
                .codes(&["IST0128"], &[]),
            );
        }
        for (i, p) in tp.port_level_settings.iter().enumerate() {
            let Some(tls) = &p.tls else { continue };
            if !unverified(tls, spec) {
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
                        "tls mode {} for host {} port {port} sets no caCertificates: the server certificate is not verified{}",
                        tls.mode.as_str(),
                        spec.host,
                        note(tls)
                    ),
                )
                .on(o, &format!("spec.trafficPolicy.portLevelSettings[{i}].tls"))
                .help(help(tls))
                .codes(&["IST0129"], &[]),
            );
        }
    }
}
