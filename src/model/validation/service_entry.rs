//! ServiceEntry: the CRD's schema and CEL (istio/istio 86c9f01 `crd-all.gen.yaml`, from 1.20 and
//! 1.24) and the webhook's `ValidateServiceEntry` (`pkg/config/validation/validation.go`), for
//! what decides whether the object exists at all. The fixtures are Istio's own
//! `pkg/config/validation/testdata/crds/serviceentry-{valid,invalid}.yaml`.

use std::collections::BTreeSet;

use super::{Out, ip_or_cidr_error, key_path, wildcard_domain_error};
use crate::model::istio::networking::ServiceEntrySpec;
use crate::model::resource::Object;

pub(super) fn check(obj: &Object, s: &ServiceEntrySpec, out: &mut Out<'_>) {
    if obj.source.shape("spec").is_none() {
        out.push(
            "spec",
            "spec: Required value",
            "give the ServiceEntry a spec with hosts",
        );
        return;
    }
    if s.hosts.is_empty() {
        out.push(
            "spec.hosts",
            "service entry must have at least one host",
            "list the hostnames the entry stands for",
        );
    }
    for (i, h) in s.hosts.iter().enumerate() {
        let p = format!("spec.hosts[{i}]");
        if h == "*" {
            out.push(
                p,
                "hostname cannot be wildcard",
                "name the hosts, e.g. *.example.com",
            );
        } else if let Some(e) = wildcard_domain_error(h) {
            out.push(p, e, "use a DNS name, optionally starting with *");
        }
    }
    if let Some(sel) = &s.workload_selector {
        for (k, v) in &sel.labels {
            if k.is_empty() || k.contains('*') || v.contains('*') {
                out.push(
                    key_path("spec.workloadSelector.labels", k),
                    format!("wildcard is not supported in selector: {k}={v}"),
                    "selectors match labels exactly",
                );
            }
        }
        if !s.endpoints.is_empty() {
            out.push(
                "spec.endpoints",
                "only one of WorkloadSelector or Endpoints can be set",
                "select workloads or list endpoints, not both",
            );
        }
    }
    let resolution = if s.resolution.is_empty() {
        "NONE"
    } else {
        s.resolution.as_str()
    };
    for (i, a) in s.addresses.iter().enumerate() {
        let p = format!("spec.addresses[{i}]");
        if let Some(e) = ip_or_cidr_error(a) {
            out.push(p, e, "write an IP or a CIDR block");
        } else if a.contains('/') && !matches!(resolution, "NONE" | "STATIC") {
            out.push(
                p,
                "CIDR addresses are allowed only for NONE/STATIC resolution types",
                "use single IPs, or resolution NONE or STATIC",
            );
        }
    }
    let (mut names, mut numbers) = (BTreeSet::new(), BTreeSet::new());
    for (i, port) in s.ports.iter().enumerate() {
        let p = format!("spec.ports[{i}]");
        if !names.insert(port.name.as_str()) {
            out.push(
                format!("{p}.name"),
                format!(
                    "service entry port name {:?} already defined (Duplicate value)",
                    port.name
                ),
                "give each port its own name",
            );
        }
        if !numbers.insert(port.number) {
            out.push(
                format!("{p}.number"),
                "port number cannot be duplicated",
                "list each port number once",
            );
        }
        // validation.go ValidateServiceEntry: ValidatePortName, ValidateProtocol.
        if !super::is_dns1123_label(&port.name) {
            out.push(
                format!("{p}.name"),
                format!("invalid port name: {}", port.name),
                "name the port with a DNS label, e.g. https",
            );
        }
        if !port.protocol.is_empty() && !super::server::known_protocol(&port.protocol) {
            out.push(
                format!("{p}.protocol"),
                format!("unsupported protocol: {}", port.protocol),
                "use HTTP, HTTPS, HTTP2, GRPC, TLS, TCP, MONGO, REDIS or MYSQL",
            );
        }
        if !(1..=65535).contains(&port.number) {
            out.push(
                format!("{p}.number"),
                "port must be between 1-65535",
                "use a port number 1..65535",
            );
        }
        if port.target_port.is_some_and(|t| !(1..=65535).contains(&t)) {
            out.push(
                format!("{p}.targetPort"),
                "port must be between 1-65535",
                "use a port number 1..65535",
            );
        }
    }
    super::export_to(obj.namespace(), &s.export_to, true, false, out);
    match resolution {
        "NONE" if !s.endpoints.is_empty() => out.push(
            "spec.endpoints",
            "NONE mode cannot set endpoints",
            "remove the endpoints, or set resolution STATIC or DNS",
        ),
        "DNS_ROUND_ROBIN" if s.endpoints.len() > 1 => out.push(
            "spec.endpoints",
            "DNS_ROUND_ROBIN mode cannot have multiple endpoints",
            "keep one endpoint, or use resolution DNS",
        ),
        _ => {}
    }
    for (i, e) in s.endpoints.iter().enumerate() {
        // STATIC endpoints are IPs or unix sockets (validateWorkloadEntry: "endpoint address
        // %q is not a valid IP address").
        if resolution == "STATIC"
            && !e.address.is_empty()
            && !e.address.starts_with("unix://")
            && e.address.parse::<std::net::IpAddr>().is_err()
        {
            out.push(
                format!("spec.endpoints[{i}].address"),
                format!("endpoint address {:?} is not a valid IP address", e.address),
                "give an IP address, or use resolution DNS for host names",
            );
        }
        if e.address.is_empty() && e.network.is_empty() {
            out.push(
                format!("spec.endpoints[{i}]"),
                "Address is required",
                "give the endpoint an address",
            );
        }
    }
}
