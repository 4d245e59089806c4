//! Gateway (networking.istio.io): the CRD's required fields and the webhook's `ValidateGateway`,
//! `validateServer`, `validateServerPort`, `validateServerBind` (istio/istio 1.31.0-rc.0
//! `pkg/config/validation/validation.go:409-526`). A refused Gateway has no servers: its
//! ports refuse connections.

use std::collections::BTreeSet;

use super::Out;
use super::is_dns1123_label;
use super::server::{
    ip_error, is_http, is_tls, known_protocol, namespace_slash_host, port_error, tls_options,
    unix_address_error,
};
use crate::model::istio::networking::GatewaySpec;
use crate::model::resource::Object;
use crate::version::Behaviour;

/// `internal.istio.io/gateway-semantics: gateway` marks a Gateway istiod generated from a
/// Gateway API object (pkg/config/constants/constants.go:145-146).
const GATEWAY_SEMANTICS: &str = "internal.istio.io/gateway-semantics";

pub(super) fn check(obj: &Object, s: &GatewaySpec, out: &mut Out<'_>) {
    let generated = obj
        .annotations()
        .get(GATEWAY_SEMANTICS)
        .is_some_and(|v| v == "gateway");
    if !generated && !is_dns1123_label(obj.name()) {
        out.push(
            "metadata.name",
            format!("invalid gateway name: {:?}", obj.name()),
            "a Gateway name is a DNS label: letters, digits and '-', no dots",
        );
    }
    if s.servers.is_empty() {
        out.push(
            "spec.servers",
            "gateway must have at least one server",
            "add a server with port and hosts",
        );
    }
    let mut names = BTreeSet::new();
    for (i, server) in s.servers.iter().enumerate() {
        let path = format!("spec.servers[{i}]");
        if server.hosts.is_empty() {
            out.push(
                format!("{path}.hosts"),
                "server config must contain at least one host",
                "list the hosts this server serves, e.g. \"*\" or \"*/bookinfo.example.com\"",
            );
        }
        for (k, h) in server.hosts.iter().enumerate() {
            namespace_slash_host(h, true, &format!("{path}.hosts[{k}]"), out);
        }
        let before = out.list.len();
        let port_path = format!("{path}.port");
        let has_port = obj.source.shape(&port_path).is_some();
        let p = &server.port;
        if !has_port {
            out.push(
                &port_path,
                "port is required",
                "give the server a port with number, name and protocol",
            );
        } else {
            if !known_protocol(&p.protocol) {
                out.push(
                    format!("{port_path}.protocol"),
                    format!(
                        "invalid protocol {:?}, supported protocols are HTTP, HTTP2, GRPC, GRPC-WEB, MONGO, REDIS, MYSQL, TCP",
                        p.protocol
                    ),
                    "use HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, MONGO, REDIS or MYSQL",
                );
            }
            // Port 0 without a unix bind: an error from 1.20 (before, only numbers > 0 were
            // checked); targetPort: refused from 1.20.
            let unix = server.bind.starts_with("unix://");
            if (p.number > 0 || (!unix && out.has(Behaviour::GatewayPortChecks)))
                && let Some(e) = port_error(p.number)
            {
                out.push(
                    format!("{port_path}.number"),
                    e,
                    "use a port number 1..65535",
                );
            }
            if p.target_port.is_some_and(|t| t > 0) && out.has(Behaviour::GatewayPortChecks) {
                out.push(
                    format!("{port_path}.targetPort"),
                    "targetPort has no impact on Gateways",
                    "remove targetPort",
                );
            }
            if p.name.is_empty() {
                out.push(
                    format!("{port_path}.name"),
                    "port name must be set",
                    "name the port, e.g. http or https-443",
                );
            }
        }
        let port_ok = out.list.len() == before;
        if let Some(rest) = server.bind.strip_prefix("unix://") {
            if let Some(e) = unix_address_error(rest) {
                out.push(format!("{path}.bind"), e, "give an absolute socket path");
            }
            if has_port && p.number != 0 {
                out.push(
                    format!("{port_path}.number"),
                    "port number must be 0 for unix domain socket",
                    "set the port number to 0",
                );
            }
        } else if !server.bind.is_empty()
            && let Some(e) = ip_error(&server.bind)
        {
            out.push(
                format!("{path}.bind"),
                e,
                "bind to an IP address or unix://path",
            );
        }
        if let Some(t) = &server.tls {
            tls_options(t, &format!("{path}.tls"), out);
        }
        if port_ok && has_port {
            let mode = if server.tls.as_ref().is_none_or(|t| t.mode.is_empty()) {
                "PASSTHROUGH"
            } else {
                server.tls.as_ref().map_or("", |t| t.mode.as_str())
            };
            match &server.tls {
                None if is_tls(&p.protocol) => out.push(
                    format!("{path}.tls"),
                    "server must have TLS settings for HTTPS/TLS protocols",
                    "add tls with a mode (SIMPLE, MUTUAL, PASSTHROUGH, …)",
                ),
                Some(t) if !is_tls(&p.protocol) => {
                    let passthrough = matches!(mode, "PASSTHROUGH" | "AUTO_PASSTHROUGH")
                        && t.ca_certificates.is_empty()
                        && t.private_key.is_empty()
                        && t.server_certificate.is_empty();
                    if is_http(&p.protocol) {
                        if !passthrough {
                            out.push(
                                format!("{path}.tls"),
                                "server cannot have TLS settings for plain text HTTP ports",
                                "use protocol HTTPS to terminate TLS, or keep only httpsRedirect",
                            );
                        }
                    } else {
                        out.push(
                            format!("{path}.tls"),
                            "server cannot have TLS settings for non HTTPS/TLS ports",
                            "use protocol HTTPS or TLS, or remove tls",
                        );
                    }
                }
                _ => {}
            }
        }
        if has_port && !names.insert(p.name.as_str()) {
            out.push(
                format!("{port_path}.name"),
                format!(
                    "port names in servers must be unique: duplicate name {}",
                    p.name
                ),
                "give each server port its own name",
            );
        }
    }
}
