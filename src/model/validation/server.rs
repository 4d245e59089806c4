//! What Gateway servers and Sidecar listeners share: protocol names, port names, the
//! `namespace/host` form, and server TLS settings (istio/istio 1.31.0-rc.0
//! `pkg/config/validation/validation.go` validateTLSOptions, `agent/validation.go`
//! ValidateNamespaceSlashWildcardHostname, `pkg/config/protocol/instance.go` Parse).

use std::net::IpAddr;

use super::{Out, is_dns1123_label, wildcard_domain_error};
use crate::model::istio::networking::ServerTls;
use crate::version::Behaviour;

/// protocol.Parse: the names Istio knows, case-insensitively (instance.go:67-99).
pub(super) fn known_protocol(p: &str) -> bool {
    matches!(
        p.to_ascii_lowercase().as_str(),
        "tcp"
            | "udp"
            | "grpc"
            | "grpc-web"
            | "http"
            | "http_proxy"
            | "http2"
            | "https"
            | "tls"
            | "mongo"
            | "redis"
            | "mysql"
    )
}

/// `IsHTTP` (instance.go:117-124).
pub(super) fn is_http(p: &str) -> bool {
    matches!(
        p.to_ascii_lowercase().as_str(),
        "http" | "http2" | "http_proxy" | "grpc" | "grpc-web"
    )
}

/// `IsTLS` (instance.go:137-144): HTTPS or TLS.
pub(super) fn is_tls(p: &str) -> bool {
    matches!(p.to_ascii_lowercase().as_str(), "https" | "tls")
}

/// agent.ValidatePort: 1..65535.
pub(super) fn port_error(n: u32) -> Option<String> {
    (!(1..=65535).contains(&n)).then(|| format!("port number {n} must be in the range 1..65535"))
}

/// validation.go ValidateUnixAddress (the part after `unix://`).
pub(super) fn unix_address_error(addr: &str) -> Option<String> {
    if addr.is_empty() {
        Some("unix address must not be empty".to_owned())
    } else if addr.starts_with('@') {
        None
    } else if !addr.starts_with('/') || addr.ends_with('/') {
        Some(format!("{addr} is not an absolute path to a file"))
    } else {
        None
    }
}

/// agent.ValidateIPAddress.
pub(super) fn ip_error(s: &str) -> Option<String> {
    s.parse::<IpAddr>()
        .is_err()
        .then(|| format!("{s} is not a valid IP"))
}

/// agent.ValidateNamespaceSlashWildcardHostname for a Gateway (`gateway`) or Sidecar egress
/// host: `namespace/dnsName` (Gateways also take a bare host).
pub(super) fn namespace_slash_host(h: &str, gateway: bool, path: &str, out: &mut Out<'_>) {
    let Some((ns, dns)) = h.split_once('/') else {
        if gateway {
            host_part(h, true, path, out);
        } else {
            out.push(
                path,
                "host must be of form namespace/dnsName",
                format!("write namespace/host: ./{h} (this namespace) or */{h} (any)"),
            );
        }
        return;
    };
    if ns.is_empty() || dns.is_empty() {
        out.push(
            path,
            "config namespace and dnsName in host entry cannot be empty",
            "write namespace/host",
        );
    }
    let kind = if gateway { "gateway" } else { "sidecar" };
    // Sidecar: `~ns/` excludes a namespace from 1.31 (agent/validation.go, TrimPrefix "~");
    // before, only a bare `~` was accepted.
    let n = if !gateway && out.has(Behaviour::SidecarNamespaceExclusion) {
        ns.strip_prefix('~').unwrap_or(ns)
    } else {
        ns
    };
    let special = if gateway {
        matches!(n, "*" | ".")
    } else {
        matches!(n, "" | "*" | "." | "~")
    };
    if !special && !is_dns1123_label(n) {
        out.push(
            path,
            format!("invalid namespace value {ns:?} in {kind}"),
            "use a namespace name, `.` (this namespace) or `*` (any)",
        );
    }
    host_part(dns, gateway, path, out);
}

/// agent.go hostPart: a fully qualified name, a wildcard one, or `*`; Gateways also take IPs.
fn host_part(d: &str, gateway: bool, path: &str, out: &mut Out<'_>) {
    if d != "*" && !d.contains('.') {
        out.push(
            path,
            "short names (non FQDN) are not allowed",
            "write the fully qualified host, e.g. reviews.default.svc.cluster.local",
        );
    }
    if let Some(e) = wildcard_domain_error(d)
        && !(gateway && d.parse::<IpAddr>().is_ok())
    {
        out.push(path, e, "use a DNS name, optionally starting with *.");
    }
    if d.contains('*') && d.len() != 1 && !d.starts_with("*.") {
        out.push(
            path,
            format!("partial wildcard {d:?} not allowed"),
            "a wildcard stands for whole labels: *.example.com",
        );
    }
}

/// validation.go validateTLSOptions: the certificate sources a server TLS mode needs and
/// allows (errors only; Istio's warnings do not refuse the object).
pub(super) fn tls_options(t: &ServerTls, path: &str, out: &mut Out<'_>) {
    let mode = if t.mode.is_empty() {
        "PASSTHROUGH"
    } else {
        t.mode.as_str()
    };
    if mode == "ISTIO_MUTUAL" {
        let set = [
            (!t.server_certificate.is_empty(), "server certificate"),
            (!t.private_key.is_empty(), "private key"),
            (!t.ca_certificates.is_empty(), "CA bundle"),
            (!t.tls_certificates.is_empty(), "tlsCertificates"),
            (!t.credential_name.is_empty(), "credentialName"),
            (!t.credential_names.is_empty(), "credentialNames"),
        ];
        for (_, what) in set.iter().filter(|(on, _)| *on) {
            out.push(
                path,
                format!("ISTIO_MUTUAL TLS cannot have associated {what}"),
                "ISTIO_MUTUAL uses the workload's Istio certificate: remove the certificate settings",
            );
        }
        return;
    }
    // 1.27: one source of server certificates only (validation.go, "only one of
    // credential_name, credential_names, server_certificate/private_key, tls_certificates").
    if out.has(Behaviour::TlsCredentialNames) {
        let sources = [
            !t.server_certificate.is_empty() && !t.private_key.is_empty(),
            !t.credential_name.is_empty(),
            !t.credential_names.is_empty(),
            !t.tls_certificates.is_empty(),
        ];
        if sources.iter().filter(|b| **b).count() > 1 {
            out.push(
                path,
                "only one of credential_name, credential_names, server_certificate/private_key, tls_certificates should be specified",
                "keep one source of server certificates",
            );
        }
    }
    let terminating = matches!(mode, "SIMPLE" | "MUTUAL" | "OPTIONAL_MUTUAL")
        && (mode != "OPTIONAL_MUTUAL" || out.has(Behaviour::OptionalMutualChecks));
    if terminating && (!t.credential_name.is_empty() || !t.credential_names.is_empty()) {
        return;
    }
    if terminating {
        let prefix = if mode == "SIMPLE" {
            "SIMPLE TLS"
        } else {
            "MUTUAL TLS"
        };
        if mode != "SIMPLE" && t.ca_certificates.is_empty() {
            out.push(
                path,
                format!("{prefix} requires a client CA bundle"),
                "set caCertificates, or use credentialName",
            );
        }
        let single = [(t.server_certificate.as_str(), t.private_key.as_str())];
        let pairs: Vec<(&str, &str)> = if t.tls_certificates.is_empty() {
            single.to_vec()
        } else {
            t.tls_certificates
                .iter()
                .map(|c| (c.server_certificate.as_str(), c.private_key.as_str()))
                .collect()
        };
        for (cert, key) in pairs {
            if cert.is_empty() {
                out.push(
                    path,
                    format!("{prefix} requires a server certificate"),
                    "set serverCertificate and privateKey, or credentialName",
                );
            }
            if key.is_empty() {
                out.push(
                    path,
                    format!("{prefix} requires a private key"),
                    "set serverCertificate and privateKey, or credentialName",
                );
            }
        }
    }
    if !t.ca_crl.is_empty() && out.has(Behaviour::TlsCaCrl) {
        if !t.credential_name.is_empty() {
            out.push(
                path,
                "CRL is not supported with credentialName. CRL has to be specified in the credential",
                "put the CRL in the credential",
            );
        } else if mode == "SIMPLE" {
            out.push(
                path,
                "CRL is not supported with SIMPLE TLS",
                "remove caCrl, or use MUTUAL",
            );
        }
    }
}
