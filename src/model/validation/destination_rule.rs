//! DestinationRule: validation.go `ValidateDestinationRule`, `validateTrafficPolicy`,
//! `validatePortTrafficPolicies`, `validateSubsetName` and agent/validation.go `ValidateTLS`.

use std::collections::BTreeSet;

use super::traffic_settings::{connection_pool, load_balancer, outlier_detection};
use super::{Out, duration_error, is_dns1123_label, wildcard_domain_error, workload_selector};
use crate::model::istio::networking::{
    ClientTls, DestinationRuleSpec, TlsMode, TrafficPolicy, Warmup,
};
use crate::model::resource::Object;
use crate::version::Behaviour;

pub(super) fn check(obj: &Object, s: &DestinationRuleSpec, out: &mut Out<'_>) {
    let ns = obj.namespace();
    if s.host.is_empty() {
        out.push(
            "spec.host",
            "host is required",
            "set host to the service name, e.g. reviews or reviews.prod.svc.cluster.local",
        );
    } else if let Some(e) = wildcard_domain_error(&s.host) {
        out.push("spec.host", e, "use a DNS name, optionally starting with *");
    }
    if let Some(tp) = &s.traffic_policy {
        traffic_policy(tp, "spec.trafficPolicy", ns, out);
    }
    let mut names = BTreeSet::new();
    for (i, sub) in s.subsets.iter().enumerate() {
        let p = format!("spec.subsets[{i}]");
        if sub.name.is_empty() {
            out.push(
                p.clone(),
                "subset name cannot be empty",
                "give the subset a name, e.g. v1",
            );
        } else {
            if !is_dns1123_label(&sub.name) {
                out.push(
                    format!("{p}.name"),
                    format!("subset name {:?} is not a valid DNS-1123 label", sub.name),
                    "use letters, digits and '-', starting and ending with a letter or digit",
                );
            }
            if !names.insert(sub.name.as_str()) {
                out.push(
                    format!("{p}.name"),
                    format!("duplicate subset name {}", sub.name),
                    "rename or merge the subsets",
                );
            }
        }
        if let Some(tp) = &sub.traffic_policy {
            traffic_policy(tp, &format!("{p}.trafficPolicy"), ns, out);
        }
    }
    super::export_to(ns, &s.export_to, false, s.workload_selector.is_some(), out);
    workload_selector(s.workload_selector.as_ref(), "spec.workloadSelector", out);
}

fn traffic_policy(tp: &TrafficPolicy, path: &str, ns: &str, out: &mut Out<'_>) {
    let empty = tp.load_balancer.is_none()
        && tp.connection_pool.is_none()
        && tp.outlier_detection.is_none()
        && tp.tls.is_none()
        && tp.port_level_settings.is_empty()
        && tp.tunnel.is_none()
        && tp.proxy_protocol.is_none()
        && (tp.retry_budget.is_none() || !out.has(Behaviour::DrRetryBudgetCounts));
    if empty {
        out.push(
            path,
            "traffic policy must have at least one field",
            "remove the empty trafficPolicy or fill it in",
        );
        return;
    }
    if tp.tunnel.is_some() && tp.proxy_protocol.is_some() {
        out.push(
            format!("{path}.proxyProtocol"),
            "tunnel and proxyProtocol must not be set together",
            "keep only one of them",
        );
    }
    if let Some(o) = &tp.outlier_detection {
        outlier_detection(o, &format!("{path}.outlierDetection"), out);
    }
    if let Some(c) = &tp.connection_pool {
        connection_pool(c, &format!("{path}.connectionPool"), out);
    }
    if let Some(lb) = &tp.load_balancer {
        load_balancer(lb, &format!("{path}.loadBalancer"), out);
    }
    if let Some(tls) = &tp.tls {
        client_tls(tls, &format!("{path}.tls"), ns, out);
    }
    if let Some(w) = tp.load_balancer.as_ref().and_then(|l| l.warmup.as_ref()) {
        warmup(w, &format!("{path}.loadBalancer.warmup"), out);
    }
    // CRD (istio/api release-1.27 destination_rule.proto:309): percent 0..100.
    if let Some(p) = tp.retry_budget.as_ref().and_then(|r| r.percent)
        && !(0.0..=100.0).contains(&p)
    {
        out.push(
            format!("{path}.retryBudget.percent"),
            format!("retryBudget percent {p} must be between 0 and 100"),
            "give a percentage 0..100",
        );
    }
    for (i, pls) in tp.port_level_settings.iter().enumerate() {
        let p = format!("{path}.portLevelSettings[{i}]");
        if pls.port.is_none() {
            out.push(
                p.clone(),
                "port level settings entry must have a port",
                "add port: {number: <service port>}",
            );
        }
        if pls.load_balancer.is_none()
            && pls.connection_pool.is_none()
            && pls.outlier_detection.is_none()
            && pls.tls.is_none()
        {
            out.push(
                p.clone(),
                "port traffic policy must have at least one field",
                "add tls, loadBalancer, connectionPool or outlierDetection, or remove the entry",
            );
        } else {
            if let Some(o) = &pls.outlier_detection {
                outlier_detection(o, &format!("{p}.outlierDetection"), out);
            }
            if let Some(c) = &pls.connection_pool {
                connection_pool(c, &format!("{p}.connectionPool"), out);
            }
            if let Some(lb) = &pls.load_balancer {
                load_balancer(lb, &format!("{p}.loadBalancer"), out);
            }
            if let Some(tls) = &pls.tls {
                client_tls(tls, &format!("{p}.tls"), ns, out);
            }
        }
        if let Some(w) = pls.load_balancer.as_ref().and_then(|l| l.warmup.as_ref()) {
            warmup(w, &format!("{p}.loadBalancer.warmup"), out);
        }
    }
}

/// `loadBalancer.warmup` (1.24): the CRD requires `duration` (≥ 1ms) and bounds
/// `minimumPercent` to 0..100; validation.go `validateLoadBalancer` rejects an `aggression`
/// below 1 until 1.30 and of 0 or less from 1.31 (istio/istio release-1.30 validation.go:1249-1251;
/// release-1.31 releasenotes/notes/60611.yaml "Fixed DestinationRule validation incorrectly
/// rejecting warmup aggression values between 0 and 1").
fn warmup(w: &Warmup, path: &str, out: &mut Out<'_>) {
    match &w.duration {
        None => out.push(
            format!("{path}.duration"),
            "duration is required",
            "set the warmup duration, e.g. 60s",
        ),
        Some(d) => {
            if let Some(e) = duration_error(d) {
                out.push(format!("{path}.duration"), e, "use a duration such as 60s");
            }
        }
    }
    if let Some(m) = w.minimum_percent
        && !(0.0..=100.0).contains(&m)
    {
        out.push(
            format!("{path}.minimumPercent"),
            format!("minimumPercent {m} must be between 0 and 100"),
            "give a percentage 0..100",
        );
    }
    if let Some(a) = w.aggression {
        let (refused, text) = if out.has(Behaviour::WarmupAggressionBelowOne) {
            (a <= 0.0, "aggression should be greater than 0")
        } else {
            (a < 1.0, "aggression should be greater than or equal to 1")
        };
        if refused {
            out.push(
                format!("{path}.aggression"),
                format!("{text}, found {a}"),
                "1 is linear; higher values ramp up later",
            );
        }
    }
}

/// agent/validation.go `ValidateTLS`.
fn client_tls(t: &ClientTls, path: &str, ns: &str, out: &mut Out<'_>) {
    // 1.26: a ConfigMap of the rule's own namespace holds the CA (`configmap://<ns>/<name>`).
    if let Some(rest) = t.credential_name.strip_prefix("configmap://")
        && out.has(Behaviour::ConfigMapCredential)
    {
        let mut parts = rest.split('/');
        let (cm_ns, name) = (parts.next().unwrap_or(""), parts.next());
        let e = match name {
            None => Some(format!(
                "invalid configmap:// credentialName: invalid resource name {:?}. Expected namespace and name",
                t.credential_name
            )),
            Some(_) if cm_ns.is_empty() => Some(format!(
                "invalid configmap:// credentialName: invalid resource name {:?}. Expected namespace",
                t.credential_name
            )),
            Some("") => Some(format!(
                "invalid configmap:// credentialName: invalid resource name {:?}. Expected name",
                t.credential_name
            )),
            Some(_) if cm_ns != ns => Some(format!(
                "invalid configmap:// credentialName: namespace must match the configuration namespace {ns:?}"
            )),
            _ => None,
        };
        if let Some(e) = e {
            out.push(
                format!("{path}.credentialName"),
                e,
                "write configmap://<this rule's namespace>/<ConfigMap name>",
            );
        }
    }
    if t.insecure_skip_verify == Some(true) {
        if t.mode == TlsMode::Simple
            && (!t.ca_certificates.is_empty()
                || !t.credential_name.is_empty()
                || !t.subject_alt_names.is_empty())
        {
            out.push(
                format!("{path}.insecureSkipVerify"),
                "cannot specify caCertificates, credentialName or subjectAltNames when insecureSkipVerify is true",
                "either verify the server (drop insecureSkipVerify) or drop the verification settings",
            );
        }
        if t.mode == TlsMode::Mutual
            && (!t.ca_certificates.is_empty() || !t.subject_alt_names.is_empty())
        {
            out.push(
                format!("{path}.insecureSkipVerify"),
                "cannot specify caCertificates or subjectAltNames when insecureSkipVerify is true",
                "either verify the server (drop insecureSkipVerify) or drop the verification settings",
            );
        }
    }
    let simple_or_mutual = matches!(t.mode, TlsMode::Simple | TlsMode::Mutual);
    if simple_or_mutual && !t.credential_name.is_empty() {
        if !t.client_certificate.is_empty()
            || !t.ca_certificates.is_empty()
            || !t.private_key.is_empty()
            || !t.ca_crl.is_empty()
        {
            out.push(
                format!("{path}.credentialName"),
                "cannot specify client certificate, private key, CA certificate or CA CRL when credentialName is set",
                "keep credentialName (the secret holds the certificates) or the file paths, not both",
            );
        }
        return;
    }
    if t.mode == TlsMode::Mutual {
        if t.client_certificate.is_empty() {
            out.push(
                format!("{path}.mode"),
                "client certificate required for MUTUAL tls",
                "set clientCertificate and privateKey, or credentialName",
            );
        }
        if t.private_key.is_empty() {
            out.push(
                format!("{path}.mode"),
                "private key required for MUTUAL tls",
                "set clientCertificate and privateKey, or credentialName",
            );
        }
    }
}
