//! The client address Envoy's RBAC `remote_ip` matches (`remoteIpBlocks`, `notRemoteIpBlocks`,
//! the `remote.ip` key), as the HTTP connection manager of each enforcement point derives it
//! from X-Forwarded-For before any filter runs; `ipBlocks` and `source.ip` match the direct
//! peer (`direct_remote_ip`) and never read the header (istio/istio 1.8.0+
//! `pilot/pkg/security/authz/model/generator.go` srcIPGenerator → `principalDirectRemoteIP`,
//! remoteIPGenerator → `principalRemoteIP`).
//!
//! Envoy (`source/common/http/conn_manager_utility.cc` mutateRequestHeaders, and the HCM docs
//! `configuration/http/http_conn_man/headers.rst` "x-forwarded-for"): with
//! `use_remote_address` and `xff_num_trusted_hops` N > 0 the trusted address is the Nth entry
//! from the right of the header as received (N = 0 ignores the header); without
//! `use_remote_address` it is the (N+1)th; when the entry is missing or not a bare IP address,
//! the connection's peer. Istio sets `use_remote_address` and N = `numTrustedProxies` on
//! gateways only (master `pilot/pkg/networking/core/gateway.go:687-741`); sidecar inbound and
//! waypoint listeners have `use_remote_address: false` and N = 0, so there the rightmost entry
//! wins — whatever the client sent (master `listener_inbound.go:821`,
//! `listener_waypoint.go:921`; istio/istio#33513). No HTTP layer reads the header on a TCP
//! chain, and ztunnel never evaluates the remote address.

use std::net::IpAddr;

use crate::analysis::Analysis;
use crate::input::mesh_config::parse_proxy_config;

use super::Request;

/// How an enforcement point reads X-Forwarded-For.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hop {
    /// No HTTP connection manager (TCP chain, ztunnel): the remote address is the peer.
    Connection,
    /// Sidecar inbound or waypoint: `use_remote_address: false`, no trusted hops.
    Forwarded,
    /// Gateway: `use_remote_address: true` and `xff_num_trusted_hops` (`None`: the gateway's
    /// ProxyConfig annotation cannot be read, so the count is unknown).
    Gateway(Option<u32>),
}

/// The remote address at one enforcement point, and where it comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Remote {
    /// `None`: the inputs do not tell it.
    pub ip: Option<String>,
    /// Taken from X-Forwarded-For (not the peer); with `ip` unknown, it may be any address the
    /// header holds, not only a workload's.
    pub from_header: bool,
    /// How it was chosen, for the trace.
    pub how: String,
}

/// The X-Forwarded-For value Envoy sees: several headers are joined with `,` in order, empty
/// ones skipped (`HeaderMapImpl::insertByKey`, inline header delimiter `,`).
pub fn forwarded_for(req: &Request) -> Option<String> {
    let values: Vec<&str> = req
        .headers
        .iter()
        .filter(|(n, v)| n == "x-forwarded-for" && !v.is_empty())
        .map(|(_, v)| v.as_str())
        .collect();
    (!values.is_empty()).then(|| values.join(","))
}

/// Envoy `Utility::getLastAddressFromXFF`: drop `skip` entries from the right, take the last
/// one left, trim spaces and tabs, and parse it as a bare address (no port, no brackets). The
/// entries skipped are never checked; a bad chosen entry gives `None`, not a neighbour.
pub fn last_address(xff: &str, skip: u32) -> Option<IpAddr> {
    let mut rest = xff;
    for _ in 0..skip {
        rest = &rest[..rest.rfind(',')?];
    }
    let entry = rest.rfind(',').map_or(rest, |i| &rest[i + 1..]);
    entry.trim_matches([' ', '\t']).parse().ok()
}

/// The remote address at `hop` for a request from `peer` (the direct peer's address, when
/// known).
pub fn remote(hop: Hop, req: &Request, peer: Option<&str>) -> Remote {
    let peer_remote = |how: String| Remote {
        ip: peer.map(str::to_owned),
        from_header: false,
        how,
    };
    let xff = forwarded_for(req);
    let (Some(xff), skip) = (
        xff,
        match hop {
            Hop::Connection => {
                return peer_remote(
                    "the connection's peer (no HTTP layer reads X-Forwarded-For here)".into(),
                );
            }
            Hop::Forwarded => Some(0),
            Hop::Gateway(None) => None,
            Hop::Gateway(Some(0)) => {
                return peer_remote(
                    "the connection's peer: the gateway trusts no proxy in front of it (numTrustedProxies 0), so X-Forwarded-For is not read".into(),
                );
            }
            Hop::Gateway(Some(n)) => Some(n - 1),
        },
    ) else {
        return peer_remote("the connection's peer (no X-Forwarded-For)".into());
    };
    let Some(skip) = skip else {
        return Remote {
            ip: None,
            from_header: true,
            how: "the gateway's proxy.istio.io/config annotation cannot be read, so how many X-Forwarded-For entries it trusts (numTrustedProxies) is unknown".into(),
        };
    };
    let which = match hop {
        Hop::Gateway(Some(n)) => format!(
            "entry {n} from the right of X-Forwarded-For (numTrustedProxies {n}, counted on the header as received)"
        ),
        _ => "the rightmost X-Forwarded-For entry (a sidecar or waypoint takes the header as sent: use_remote_address false)".to_owned(),
    };
    match last_address(&xff, skip) {
        Some(ip) => Remote {
            ip: Some(ip.to_string()),
            from_header: true,
            how: which,
        },
        None => peer_remote(format!(
            "the connection's peer: {which} is missing or not an IP address"
        )),
    }
}

/// A gateway's `xff_num_trusted_hops`: `gatewayTopology.numTrustedProxies` of its ProxyConfig
/// — the workload's `proxy.istio.io/config` annotation when it sets `gatewayTopology` (a field
/// present in the overlay replaces the mesh's wholesale: istio/istio
/// `pilot/cmd/pilot-agent/config/config.go` getMeshConfig, "Merging is done by replacement"),
/// else mesh config `defaultConfig`; 0 by default. `None` when the annotation cannot be read.
///
/// gatewayTopology exists from Istio 1.6 (istio/api d5c7faf1) and the annotation key is this
/// one from 1.6.1 (1.6.0 read `istio.io/proxyConfig`, `pkg/kube/inject/inject.go:442`); both
/// matter only through `remote_ip`, which exists from 1.8 (`Behaviour::RemoteIpAttribute`), so
/// no release row is needed.
pub fn gateway_trusted_proxies(a: &Analysis, workload: usize) -> Option<u32> {
    let mesh = a
        .inv
        .mesh
        .default_config
        .as_ref()
        .and_then(|c| c.gateway_topology);
    let topology = match a.inv.workloads[workload]
        .annotations
        .get("proxy.istio.io/config")
    {
        Some(text) => match parse_proxy_config(text) {
            Ok(c) => c.gateway_topology.or(mesh),
            Err(_) => return None,
        },
        None => mesh,
    };
    Some(topology.map_or(0, |t| t.num_trusted_proxies))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_xff(values: &[&str]) -> Request {
        Request {
            headers: values
                .iter()
                .map(|v| ("x-forwarded-for".to_owned(), (*v).to_owned()))
                .collect(),
            ..Request::default()
        }
    }

    /// The examples of Envoy's headers.rst "x-forwarded-for" (1–4).
    #[test]
    fn envoy_documented_examples() {
        let xff = "203.0.113.128, 203.0.113.10, 203.0.113.1";
        let req = with_xff(&[xff]);
        let ip = |hop| remote(hop, &req, Some("192.0.2.5")).ip.unwrap();
        assert_eq!(ip(Hop::Forwarded), "203.0.113.1");
        assert_eq!(ip(Hop::Gateway(Some(0))), "192.0.2.5");
        assert_eq!(ip(Hop::Gateway(Some(1))), "203.0.113.1");
        assert_eq!(ip(Hop::Gateway(Some(2))), "203.0.113.10");
        assert_eq!(ip(Hop::Gateway(Some(3))), "203.0.113.128");
        // Fewer entries than trusted hops: the peer.
        assert_eq!(ip(Hop::Gateway(Some(4))), "192.0.2.5");
        assert_eq!(ip(Hop::Connection), "192.0.2.5");
    }

    #[test]
    fn a_bad_chosen_entry_falls_back_to_the_peer_not_a_neighbour() {
        for bad in ["1.2.3.4, bogus", "1.2.3.4, 5.6.7.8:80", "1.2.3.4,", "[::1]"] {
            let r = remote(Hop::Forwarded, &with_xff(&[bad]), Some("10.0.0.9"));
            assert_eq!(r.ip.as_deref(), Some("10.0.0.9"), "{bad}");
            assert!(!r.from_header, "{bad}");
        }
        // Skipped entries are never checked.
        assert_eq!(
            last_address("bogus, 1.2.3.4, 10.0.0.1", 1)
                .unwrap()
                .to_string(),
            "1.2.3.4"
        );
        assert_eq!(
            last_address(" \t2001:db8::1 ", 0).unwrap().to_string(),
            "2001:db8::1"
        );
    }

    #[test]
    fn several_headers_are_joined_in_order() {
        let req = with_xff(&["198.51.100.1", "", "203.0.113.9"]);
        assert_eq!(forwarded_for(&req).unwrap(), "198.51.100.1,203.0.113.9");
        let r = remote(Hop::Gateway(Some(2)), &req, None);
        assert_eq!(r.ip.as_deref(), Some("198.51.100.1"));
    }

    #[test]
    fn unknown_stays_unknown() {
        let req = with_xff(&["198.51.100.1"]);
        assert_eq!(remote(Hop::Gateway(None), &req, Some("10.0.0.9")).ip, None);
        assert_eq!(remote(Hop::Forwarded, &Request::default(), None).ip, None);
        assert_eq!(
            remote(Hop::Gateway(Some(1)), &req, None).ip.as_deref(),
            Some("198.51.100.1")
        );
    }
}
