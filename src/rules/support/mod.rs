//! Helpers the rules share: which namespaces hold (hypothetical) clients, which Services are
//! servers, the policy that really decided a server mode, and message formatting.

pub(crate) mod authz;

use crate::analysis::Analysis;
use crate::facts::namespaces;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::resolve::client_tls::DNS_DOMAIN;

/// Services a rule looks at as servers ([`namespaces::is_mesh_service`]).
pub(crate) fn mesh_services(a: &Analysis) -> impl Iterator<Item = (usize, &ServiceInfo)> {
    a.inv
        .services
        .iter()
        .enumerate()
        .filter(move |(_, s)| namespaces::is_mesh_service(&a.inv, s))
}

/// Whether the port carries TCP (UDP is never captured by the sidecar).
pub(crate) fn is_tcp(port: &PortInfo) -> bool {
    !port.protocol.eq_ignore_ascii_case("UDP")
}

/// `a, b and c`; long lists are cut after ten names.
pub(crate) fn list_text<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    // Only the first ten are written out; the rest are counted, by the iterator's exact size
    // when it knows it (a class of every namespace but a few: issue 14).
    let mut items = items.into_iter();
    let owned: Vec<String> = items
        .by_ref()
        .take(10)
        .map(|s| s.as_ref().to_owned())
        .collect();
    let shown: Vec<&str> = owned.iter().map(String::as_str).collect();
    let rest = match items.size_hint() {
        (low, Some(high)) if low == high => low,
        _ => items.count(),
    };
    match (shown.as_slice(), rest) {
        ([], _) => String::new(),
        ([one], 0) => (*one).to_owned(),
        (many, 0) => format!(
            "{} and {}",
            many[..many.len() - 1].join(", "),
            many[many.len() - 1]
        ),
        (many, n) => format!("{} and {n} more", many.join(", ")),
    }
}

/// `host:port` of a service port.
pub(crate) fn host_port(svc: &ServiceInfo, port: &PortInfo) -> String {
    format!("{}:{}", svc.fqdn(DNS_DOMAIN), port.port)
}

/// The ConfigMap `data.mesh` that holds the mesh config, when it is in the inputs.
pub(crate) fn mesh_config_object(a: &Analysis) -> Option<usize> {
    namespaces::mesh_config_object(&a.inv)
}
