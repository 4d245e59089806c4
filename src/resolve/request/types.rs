//! The vocabulary of request evaluation: the request as sent, the peer the server sees, one
//! stage of the trace, and the Host header curl would send.

use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::resolve::jwt::{JwksStore, Token};
use crate::resolve::server_mtls::FieldRef;

/// The request a cell stands for (SPEC §3.5).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// Path as sent, query string allowed.
    pub path: String,
    /// `:authority`/Host (`None`: not sent).
    pub host: Option<String>,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    /// The token sent as `Authorization: Bearer` (`--token FILE`).
    pub token: Option<Token>,
    /// The client address the proxy sees (`--source-ip`); `None`: the inputs do not say.
    pub source_ip: Option<String>,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            host: None,
            headers: Vec::new(),
            token: None,
            source_ip: None,
        }
    }
}

/// The request every cell stands for, and what judging it needs (SPEC §3.5).
#[derive(Debug, Clone, Default)]
pub struct RequestContext {
    pub request: Request,
    /// Unix seconds that token expiry is judged by.
    pub now: i64,
    pub jwks: JwksStore,
    /// How much of the reasons the evaluation writes.
    pub detail: Detail,
}

/// How much an evaluation explains; the outcome is the same at every level.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Detail {
    /// Only the outcome is read (`matrix --by namespace` counts cells): the rules that failed
    /// to match are not described (issue 14: that was a tenth of the summary's time).
    Outcome,
    /// The deciding stage's reason, which reaches a matrix cell.
    #[default]
    Deciding,
    /// The rules that did not decide too (`check`).
    Every,
}

/// The client end as the server proxy sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peer {
    /// The connection is Istio mTLS (identity fields can match only then, §6).
    pub mtls: bool,
    /// `cluster.local/ns/foo/sa/sleep` when the client has a sidecar/ambient and the
    /// connection is mTLS.
    pub principal: Option<String>,
    pub namespace: Option<String>,
    /// The direct peer IP, when known.
    pub ip: Option<String>,
    /// The client is an Istio gateway (ingress): it reaches a service's waypoint only when
    /// asked to (`istio.io/ingress-use-waypoint`).
    pub gateway: bool,
}

/// One stage of the pipeline, for `check`'s trace (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// `custom`, `jwt`, `origin`, `deny`, `allow`, `rbac`.
    pub stage: &'static str,
    /// `allow`, `deny`, `pass`, `unauthenticated`, `forbidden`, `delegated`, `skip`.
    pub decision: String,
    pub by: Vec<FieldRef>,
    pub detail: String,
}

pub(super) fn stage(
    name: &'static str,
    decision: &str,
    by: Vec<FieldRef>,
    detail: String,
) -> Stage {
    Stage {
        stage: name,
        decision: decision.to_owned(),
        by,
        detail,
    }
}

/// The Host header curl sends for `svc:port`: `NAME.NAMESPACE`, with `:PORT` unless the port is
/// the scheme's default (80 for http, 443 for a port whose application speaks TLS).
pub fn default_host(svc: &ServiceInfo, port: &PortInfo) -> String {
    let default_port = if crate::resolve::client_tls::app_speaks_tls(svc, port) {
        443
    } else {
        80
    };
    if port.port == default_port {
        format!("{}.{}", svc.name, svc.namespace)
    } else {
        format!("{}.{}:{}", svc.name, svc.namespace, port.port)
    }
}
