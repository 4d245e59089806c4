//! Sidecar: the webhook's `ValidateSidecar` (istio/istio 1.31.0-rc.0
//! `pkg/config/validation/validation.go:778-1005`) and the CRD's required fields. A refused
//! Sidecar does not scope its workloads.

use std::collections::BTreeSet;

use super::server::{
    ip_error, is_tls, known_protocol, namespace_slash_host, port_error, tls_options,
    unix_address_error,
};
use super::traffic_settings::connection_pool;
use super::{Out, is_dns1123_label, key_path};
use crate::model::istio::networking::{SidecarIngress, SidecarSpec};
use crate::version::Behaviour;

pub(super) fn check(s: &SidecarSpec, out: &mut Out<'_>) {
    // Selector errors end validation (ValidateAlphaWorkloadSelector first).
    if let Some(sel) = &s.workload_selector {
        let before = out.list.len();
        for (k, v) in &sel.labels {
            let p = key_path("spec.workloadSelector.labels", k);
            if k.is_empty() {
                out.push(
                    p,
                    format!("empty key is not supported in selector: \"{k}={v}\""),
                    "give the label a key",
                );
            } else if k.contains('*') || v.contains('*') {
                out.push(
                    p,
                    format!("wildcard is not supported in selector: \"{k}={v}\""),
                    "selectors match labels exactly",
                );
            }
        }
        if out.list.len() > before {
            return;
        }
    }
    if s.egress.is_empty()
        && s.ingress.is_empty()
        && s.outbound_traffic_policy.is_none()
        && s.inbound_connection_pool.is_none()
    {
        out.push(
            "spec",
            "sidecar: empty configuration provided",
            "add egress, ingress or outboundTrafficPolicy",
        );
        return;
    }
    let mut ports = BTreeSet::new();
    for (i, l) in s.ingress.iter().enumerate() {
        ingress(l, &format!("spec.ingress[{i}]"), &mut ports, out);
    }
    // Connection pools as in DestinationRules (validateConnectionPool, from 1.21).
    if let Some(c) = &s.inbound_connection_pool {
        connection_pool(c, "spec.inboundConnectionPool", out);
    }
    let mut ports = BTreeSet::new();
    let mut sockets = BTreeSet::new();
    let last = s.egress.len().saturating_sub(1);
    for (i, l) in s.egress.iter().enumerate() {
        let path = format!("spec.egress[{i}]");
        match &l.port {
            None if i != last => out.push(
                path.clone(),
                "sidecar: the egress listener with empty port should be the last listener in the list",
                "move the catch-all listener to the end",
            ),
            None => {}
            Some(p) => {
                let pp = format!("{path}.port");
                target_and_name(p.target_port, &p.name, &pp, out);
                if p.number == 0 {
                    if let Some(rest) = l.bind.strip_prefix("unix://") {
                        if let Some(e) = unix_address_error(rest) {
                            out.push(format!("{path}.bind"), e, "give an absolute socket path");
                        }
                        if l.capture_mode.eq_ignore_ascii_case("IPTABLES") {
                            out.push(
                                format!("{path}.captureMode"),
                                "sidecar: captureMode must be DEFAULT/NONE for unix domain socket listeners",
                                "use captureMode NONE",
                            );
                        }
                    } else {
                        out.push(
                            format!("{path}.bind"),
                            "sidecar: ports with 0 value must have a unix domain socket bind address",
                            "give a port number, or bind to unix://path",
                        );
                    }
                    if !sockets.insert(l.bind.clone()) {
                        out.push(
                            format!("{path}.bind"),
                            "sidecar: unix domain socket values for listeners must be unique",
                            "use one socket per listener",
                        );
                    }
                } else {
                    ip_port(&p.protocol, p.number, &l.bind, &path, &mut ports, out);
                }
            }
        }
        if l.hosts.is_empty() {
            out.push(
                format!("{path}.hosts"),
                "sidecar: egress listener must contain at least one host",
                "list the namespace/host entries this listener reaches, e.g. ./*",
            );
        }
        for (k, h) in l.hosts.iter().enumerate() {
            namespace_slash_host(h, false, &format!("{path}.hosts[{k}]"), out);
        }
    }
    if let Some(o) = &s.outbound_traffic_policy
        && let Some(proxy) = &o.egress_proxy
    {
        if !o.mode.eq_ignore_ascii_case("ALLOW_ANY") {
            out.push(
                "spec.outboundTrafficPolicy.egressProxy",
                "sidecar: egress_proxy must be set only with ALLOW_ANY outbound_traffic_policy mode",
                "set mode: ALLOW_ANY, or remove egressProxy",
            );
        } else if proxy.port.is_none() {
            out.push(
                "spec.outboundTrafficPolicy.egressProxy",
                "sidecar: egress_proxy port must be non-nil",
                "give the egress proxy a port",
            );
        }
    }
}

fn ingress(l: &SidecarIngress, path: &str, ports: &mut BTreeSet<u32>, out: &mut Out<'_>) {
    let Some(p) = &l.port else {
        out.push(
            path,
            "sidecar: port is required for ingress listeners",
            "give the listener a port",
        );
        return;
    };
    let pp = format!("{path}.port");
    target_and_name(p.target_port, &p.name, &pp, out);
    ip_port(&p.protocol, p.number, &l.bind, path, ports, out);
    default_endpoint(&l.default_endpoint, &format!("{path}.defaultEndpoint"), out);
    if let Some(c) = &l.connection_pool {
        connection_pool(c, &format!("{path}.connectionPool"), out);
    }
    if let Some(t) = &l.tls {
        let tp = format!("{path}.tls");
        let unsupported = [
            (
                !t.subject_alt_names.is_empty(),
                "sidecar: subjectAltNames is not supported in ingress tls",
            ),
            (t.https_redirect, "sidecar: httpsRedirect is not supported"),
            (
                !t.credential_name.is_empty(),
                "sidecar: credentialName is not currently supported",
            ),
            (
                !t.credential_names.is_empty(),
                "sidecar: credentialNames is not currently supported",
            ),
            (
                !t.tls_certificates.is_empty(),
                "sidecar: tls_certificates is not currently supported",
            ),
        ];
        for (_, m) in unsupported.iter().filter(|(on, _)| *on) {
            out.push(
                &tp,
                *m,
                "give serverCertificate, privateKey and caCertificates as files",
            );
        }
        if matches!(t.mode.as_str(), "ISTIO_MUTUAL" | "AUTO_PASSTHROUGH") {
            out.push(
                format!("{tp}.mode"),
                format!(
                    "configuration is invalid: cannot set mode to {} in sidecar ingress tls",
                    t.mode
                ),
                "use SIMPLE or MUTUAL",
            );
        }
        if !is_tls(&p.protocol) {
            out.push(
                &tp,
                "server cannot have TLS settings for non HTTPS/TLS ports",
                "use protocol HTTPS or TLS on this port",
            );
        }
        tls_options(t, &tp, out);
    }
}

/// A listener on an IP port: protocol, number, bind address, and a number no other listener
/// of the same direction uses.
fn ip_port(
    protocol_name: &str,
    number: u32,
    bind: &str,
    path: &str,
    ports: &mut BTreeSet<u32>,
    out: &mut Out<'_>,
) {
    let pp = format!("{path}.port");
    protocol(protocol_name, &pp, out);
    if let Some(e) = port_error(number) {
        out.push(format!("{pp}.number"), e, "use a port number 1..65535");
    }
    if !bind.is_empty()
        && let Some(e) = ip_error(bind)
    {
        out.push(format!("{path}.bind"), e, "bind to an IP address");
    }
    if !ports.insert(number) {
        out.push(
            format!("{pp}.number"),
            "sidecar: ports on IP bound listeners must be unique",
            "list each port once",
        );
    }
}

/// `targetPort` (refused from 1.20) and a port name that must be a DNS label when given.
fn target_and_name(target: Option<u32>, name: &str, path: &str, out: &mut Out<'_>) {
    if target.is_some_and(|t| t > 0) && out.has(Behaviour::GatewayPortChecks) {
        out.push(
            format!("{path}.targetPort"),
            "targetPort has no impact on Sidecars",
            "remove targetPort",
        );
    }
    if !name.is_empty() && !is_dns1123_label(name) {
        out.push(
            format!("{path}.name"),
            format!("invalid port name: {name}"),
            "use a DNS label",
        );
    }
}

/// validation.go ValidateProtocol: empty or a name protocol.Parse knows.
fn protocol(p: &str, path: &str, out: &mut Out<'_>) {
    if !p.is_empty() && !known_protocol(p) {
        out.push(
            format!("{path}.protocol"),
            format!("unsupported protocol: {p}"),
            "use HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, …",
        );
    }
}

/// `defaultEndpoint`: `unix://path`, or a loopback/any address with a port (validation.go
/// ValidateSidecar, 829-845).
fn default_endpoint(e: &str, path: &str, out: &mut Out<'_>) {
    if e.is_empty() {
        return;
    }
    if let Some(rest) = e.strip_prefix("unix://") {
        if let Some(m) = unix_address_error(rest) {
            out.push(path, m, "give an absolute socket path");
        }
        return;
    }
    let split = match e.strip_prefix('[') {
        Some(r) => r.split_once("]:"),
        None => e.rsplit_once(':').filter(|(h, _)| !h.contains(':')),
    };
    let form = "sidecar: defaultEndpoint must be of form 127.0.0.1:<port>,0.0.0.0:<port>,[::1]:port,[::]:port,unix://filepath or unset";
    let Some((host, port)) = split else {
        out.push(path, form, "e.g. 127.0.0.1:8080");
        return;
    };
    if !matches!(host, "" | "127.0.0.1" | "0.0.0.0" | "::1" | "::") {
        out.push(path, form, "e.g. 127.0.0.1:8080");
    }
    match port.parse::<u32>() {
        Err(_) => out.push(
            path,
            format!("sidecar: defaultEndpoint port ({port}) is not a number"),
            "e.g. 127.0.0.1:8080",
        ),
        Ok(n) => {
            if let Some(m) = port_error(n) {
                out.push(path, m, "use a port number 1..65535");
            }
        }
    }
}
