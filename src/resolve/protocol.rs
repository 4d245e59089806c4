//! Which protocol Istio assumes for a Service port (research/istio-semantics.md §8).
//!
//! Istio's `ConvertProtocol` (`pkg/config/kube/conversion.go`) reads, in order: the Kubernetes
//! `protocol` (UDP stays UDP); `appProtocol` when set (from Istio 1.6), with the three
//! Kubernetes standard names `kubernetes.io/h2c|ws|wss`; otherwise the port **name**. A name
//! starting with `grpc-web` is GRPC-Web; otherwise the part before the first `-` is the protocol,
//! compared without case. Anything else is unknown (Istio then sniffs the protocol), except on
//! the well-known ports 25, 53, 3306 and 27017, which are plain TCP.

use std::fmt;

/// A port protocol as Istio understands it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Protocol {
    Http,
    Http2,
    Https,
    Grpc,
    GrpcWeb,
    /// `http_proxy`: a generic outbound proxy port (Sidecar egress listeners).
    HttpProxy,
    Tcp,
    Tls,
    Mongo,
    Mysql,
    Redis,
    Udp,
    /// The name or `appProtocol` states no protocol Istio knows: it auto-detects (sniffs).
    Unknown,
}

impl Protocol {
    /// Parses one protocol word, ignoring case (Istio's `protocol.Parse`).
    pub fn parse(word: &str) -> Protocol {
        match word.to_ascii_lowercase().as_str() {
            "http" => Protocol::Http,
            "http2" => Protocol::Http2,
            "https" => Protocol::Https,
            "grpc" => Protocol::Grpc,
            "grpc-web" => Protocol::GrpcWeb,
            "http_proxy" => Protocol::HttpProxy,
            "tcp" => Protocol::Tcp,
            "tls" => Protocol::Tls,
            "mongo" => Protocol::Mongo,
            "mysql" => Protocol::Mysql,
            "redis" => Protocol::Redis,
            "udp" => Protocol::Udp,
            _ => Protocol::Unknown,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Http => "HTTP",
            Protocol::Http2 => "HTTP2",
            Protocol::Https => "HTTPS",
            Protocol::Grpc => "GRPC",
            Protocol::GrpcWeb => "GRPC-Web",
            Protocol::HttpProxy => "HTTP_PROXY",
            Protocol::Tcp => "TCP",
            Protocol::Tls => "TLS",
            Protocol::Mongo => "Mongo",
            Protocol::Mysql => "MySQL",
            Protocol::Redis => "Redis",
            Protocol::Udp => "UDP",
            Protocol::Unknown => "unknown",
        }
    }

    /// Protocols the sidecar handles as HTTP (so HTTP-only authorization fields apply).
    pub fn is_http(self) -> bool {
        matches!(
            self,
            Protocol::Http
                | Protocol::Http2
                | Protocol::HttpProxy
                | Protocol::Grpc
                | Protocol::GrpcWeb
        )
    }

    /// Protocols the sidecar handles as opaque TCP.
    pub fn is_tcp(self) -> bool {
        matches!(
            self,
            Protocol::Tcp
                | Protocol::Https
                | Protocol::Tls
                | Protocol::Mongo
                | Protocol::Mysql
                | Protocol::Redis
        )
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Ports Istio never sniffs: an unknown name there means TCP (SMTP, DNS, MySQL, MongoDB).
pub const WELL_KNOWN_TCP_PORTS: &[i32] = &[25, 53, 3306, 27017];

/// Where a port's protocol came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProtocolSource {
    /// `protocol: UDP`.
    KubernetesProtocol,
    AppProtocol,
    PortName,
    /// An unknown name on a well-known TCP port.
    WellKnownPort,
}

/// The protocol of a Service port and where it came from.
///
/// `kube_protocol` is the Kubernetes `protocol` field (`TCP` when empty), `app_protocol` is
/// read only when `use_app_protocol` (Istio ≥ 1.6, `Behaviour::AppProtocol`).
pub fn service_port_protocol(
    port: i32,
    name: &str,
    kube_protocol: &str,
    app_protocol: Option<&str>,
    use_app_protocol: bool,
) -> (Protocol, ProtocolSource) {
    if kube_protocol.eq_ignore_ascii_case("UDP") {
        return (Protocol::Udp, ProtocolSource::KubernetesProtocol);
    }
    let (text, source) = match app_protocol.filter(|_| use_app_protocol) {
        Some(app) => {
            match app {
                "kubernetes.io/h2c" => return (Protocol::Http2, ProtocolSource::AppProtocol),
                "kubernetes.io/ws" => return (Protocol::Http, ProtocolSource::AppProtocol),
                "kubernetes.io/wss" => return (Protocol::Https, ProtocolSource::AppProtocol),
                _ => {}
            }
            (app, ProtocolSource::AppProtocol)
        }
        None => (name, ProtocolSource::PortName),
    };
    let protocol = name_protocol(text);
    if protocol == Protocol::Unknown && WELL_KNOWN_TCP_PORTS.contains(&port) {
        return (Protocol::Tcp, ProtocolSource::WellKnownPort);
    }
    (protocol, source)
}

/// The protocol a port name (or `appProtocol` value) states: `grpc-web` as a prefix, otherwise
/// the part before the first `-`.
pub fn name_protocol(name: &str) -> Protocol {
    const GRPC_WEB: &str = "grpc-web";
    if name
        .get(..GRPC_WEB.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(GRPC_WEB))
    {
        return Protocol::GrpcWeb;
    }
    let prefix = name.split_once('-').map_or(name, |(p, _)| p);
    Protocol::parse(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_name(port: i32, name: &str) -> Protocol {
        service_port_protocol(port, name, "TCP", None, true).0
    }

    /// istio-semantics §8: the part of the name before the first `-`, without case.
    #[test]
    fn name_prefix_states_the_protocol() {
        assert_eq!(by_name(80, "http"), Protocol::Http);
        assert_eq!(by_name(80, "http-web"), Protocol::Http);
        assert_eq!(by_name(80, "HTTP2-api"), Protocol::Http2);
        assert_eq!(by_name(443, "https-admin"), Protocol::Https);
        assert_eq!(by_name(9000, "grpc"), Protocol::Grpc);
        assert_eq!(by_name(9000, "tcp-foo"), Protocol::Tcp);
        assert_eq!(by_name(9000, "tls"), Protocol::Tls);
        assert_eq!(by_name(6379, "redis-main"), Protocol::Redis);
        assert_eq!(by_name(27018, "mongo"), Protocol::Mongo);
        assert_eq!(by_name(3307, "mysql-replica"), Protocol::Mysql);
    }

    /// istio-semantics §8: `grpc-web` is checked before splitting at the first `-`.
    #[test]
    fn grpc_web_prefix_is_checked_first() {
        assert_eq!(by_name(8080, "grpc-web"), Protocol::GrpcWeb);
        assert_eq!(by_name(8080, "GRPC-Web-ui"), Protocol::GrpcWeb);
        assert_eq!(by_name(8080, "grpc-webby"), Protocol::GrpcWeb);
        assert_eq!(by_name(8080, "grpc-api"), Protocol::Grpc);
    }

    /// istio-semantics §8: unnamed or unknown names are auto-detected, except on ports
    /// 25/53/3306/27017, which are TCP.
    #[test]
    fn unknown_names_and_well_known_ports() {
        assert_eq!(by_name(8080, ""), Protocol::Unknown);
        assert_eq!(by_name(8080, "foo"), Protocol::Unknown);
        assert_eq!(by_name(8080, "web-http"), Protocol::Unknown);
        assert_eq!(by_name(8080, "status-port"), Protocol::Unknown);
        for port in [25, 53, 3306, 27017] {
            assert_eq!(
                service_port_protocol(port, "", "TCP", None, true),
                (Protocol::Tcp, ProtocolSource::WellKnownPort)
            );
        }
    }

    /// istio-semantics §8: UDP comes first, whatever the name says.
    #[test]
    fn kubernetes_udp_wins() {
        assert_eq!(
            service_port_protocol(53, "http-dns", "UDP", Some("http"), true).0,
            Protocol::Udp
        );
    }

    /// istio-semantics §8: `appProtocol` beats the name from 1.6, including the Kubernetes
    /// standard names `kubernetes.io/h2c|ws|wss`.
    #[test]
    fn app_protocol_beats_name_from_1_6() {
        let p = |app: &str| service_port_protocol(8080, "foo", "TCP", Some(app), true);
        assert_eq!(p("http"), (Protocol::Http, ProtocolSource::AppProtocol));
        assert_eq!(p("kubernetes.io/h2c").0, Protocol::Http2);
        assert_eq!(p("kubernetes.io/ws").0, Protocol::Http);
        assert_eq!(p("kubernetes.io/wss").0, Protocol::Https);
        assert_eq!(p("hbone").0, Protocol::Unknown);
        assert_eq!(
            service_port_protocol(8080, "http", "TCP", Some("tcp"), true).0,
            Protocol::Tcp
        );
        // Before 1.6 appProtocol is ignored: the name decides.
        assert_eq!(
            service_port_protocol(8080, "foo", "TCP", Some("http"), false),
            (Protocol::Unknown, ProtocolSource::PortName)
        );
    }

    #[test]
    fn http_and_tcp_families() {
        assert!(Protocol::Grpc.is_http());
        assert!(!Protocol::Https.is_http());
        assert!(Protocol::Https.is_tcp());
        assert!(!Protocol::Unknown.is_tcp() && !Protocol::Unknown.is_http());
        assert!(!Protocol::Udp.is_tcp());
    }
}
