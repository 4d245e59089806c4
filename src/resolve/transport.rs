//! Transport outcome: what curl shows when a client that sends X meets a server that accepts Y
//! (SPEC §3.4, research/istio-semantics.md §6 and its citations [a]–[h]).
//!
//! Rows marked "reasoning" in the research note (SIMPLE/MUTUAL user TLS, ambient interop) follow
//! the note's reasoning; every other row is a documented curl output.

use serde::Serialize;

use crate::facts::proxy::ProxyKind;
use crate::resolve::client_tls::Sends;
use crate::resolve::server_mtls::ServerMode;

/// The result vocabulary of SPEC §3.5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    Ok,
    /// Connection reset: curl prints 000 and exits 56.
    Reset,
    /// TLS handshake failure: curl prints 000 and exits 35.
    TlsError,
    /// The client sidecar answers 503.
    UpstreamError,
    /// A proxy refuses the request as malformed before any policy: 400.
    BadRequest,
    Unauthenticated,
    Forbidden,
    /// The inputs do not decide the outcome (the client address, for instance): no code is
    /// guessed (SPEC §3.5 `depends`).
    Depends,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Ok => "ok",
            Outcome::Reset => "reset",
            Outcome::TlsError => "tls-error",
            Outcome::UpstreamError => "upstream-error",
            Outcome::BadRequest => "bad-request",
            Outcome::Unauthenticated => "unauthenticated",
            Outcome::Forbidden => "forbidden",
            Outcome::Depends => "depends",
        }
    }

    /// `(http_code, curl_exit)` as curl prints them; the code is `None` on TCP ports.
    pub fn curl(self, http: bool) -> (Option<&'static str>, u8) {
        let code = |c: &'static str| http.then_some(c);
        match (self, http) {
            (Outcome::Ok, _) => (code("200"), 0),
            (Outcome::Reset, _) => (code("000"), 56),
            (Outcome::TlsError, _) => (code("000"), 35),
            (Outcome::UpstreamError, true) => (Some("503"), 0),
            (Outcome::BadRequest, true) => (Some("400"), 0),
            (Outcome::Unauthenticated, true) => (Some("401"), 0),
            (Outcome::Forbidden, true) => (Some("403"), 0),
            (Outcome::Depends, _) => (None, 0),
            // On TCP a sidecar's refusal is a closed connection.
            (
                Outcome::UpstreamError
                | Outcome::BadRequest
                | Outcome::Unauthenticated
                | Outcome::Forbidden,
                false,
            ) => (None, 56),
        }
    }
}

/// The server end of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerEnd {
    pub proxy: ProxyKind,
    /// `None` without a proxy enforcing mTLS.
    pub mode: Option<ServerMode>,
    /// The application itself terminates TLS (API server, https ports).
    pub app_tls: bool,
}

/// The outcome of one connection and the reason in words.
pub fn outcome(client: ProxyKind, sends: Sends, server: ServerEnd) -> (Outcome, String) {
    use Outcome::{Ok, Reset, TlsError, UpstreamError};
    let plain = matches!(sends, Sends::Plaintext | Sends::AppTls);
    match (server.proxy, server.mode) {
        (ProxyKind::Ambient, Some(mode)) => match (client, sends) {
            (_, Sends::Hbone) => (Ok, "ambient to ambient: ztunnel HBONE (mTLS)".into()),
            (ProxyKind::Sidecar | ProxyKind::Gateway, Sends::IstioMutual) => {
                (Ok, "sidecar mTLS to an ambient pod (reasoning: sidecar/ambient interop)".into())
            }
            (ProxyKind::Sidecar | ProxyKind::Gateway, _) if mode == ServerMode::Strict => {
                (UpstreamError, "plaintext from a sidecar to an ambient pod under STRICT: rejected by ztunnel".into())
            }
            (_, _) if mode == ServerMode::Strict && plain => {
                (Reset, "plaintext to an ambient pod under STRICT: ztunnel resets the connection".into())
            }
            _ => (Ok, format!("ambient pod accepts {} under {}", sends.as_str(), mode.as_str())),
        },
        (_, None) => match sends {
            Sends::IstioMutual if server.app_tls => (
                TlsError,
                "ISTIO_MUTUAL to a server that speaks its own TLS: the certificate fails Istio validation (curl exit 35)".into(),
            ),
            Sends::IstioMutual | Sends::Hbone => {
                (UpstreamError, "ISTIO_MUTUAL to a server without a sidecar: nothing terminates Istio mTLS (503)".into())
            }
            Sends::Simple | Sends::Mutual if !server.app_tls => {
                (UpstreamError, format!("{} TLS to a plaintext server without a sidecar (503)", sends.as_str()))
            }
            _ => (Ok, "server has no sidecar and takes what the client sends".into()),
        },
        (_, Some(mode)) => match (mode, sends) {
            (ServerMode::Strict, Sends::IstioMutual) | (ServerMode::Permissive, Sends::IstioMutual) => {
                (Ok, format!("ISTIO_MUTUAL accepted under {}", mode.as_str()))
            }
            (ServerMode::Strict, _) if plain && matches!(client, ProxyKind::Sidecar | ProxyKind::Gateway) => (
                UpstreamError,
                "plaintext from a sidecar to a STRICT server: the server resets, the client sidecar answers 503".into(),
            ),
            (ServerMode::Strict, _) if plain => {
                (Reset, "plaintext from a client without sidecar to a STRICT server: connection reset (curl exit 56)".into())
            }
            (ServerMode::Permissive | ServerMode::Disable, _) if plain => {
                (Ok, format!("plaintext accepted under {}", mode.as_str()))
            }
            (ServerMode::Disable, Sends::IstioMutual) => {
                (UpstreamError, "ISTIO_MUTUAL to a DISABLE server: no TLS filter chain (503)".into())
            }
            (_, Sends::Hbone) => (Ok, "HBONE from ztunnel (reasoning)".into()),
            (_, _) => (
                UpstreamError,
                format!(
                    "{} TLS without Istio ALPN to a sidecar under {} fails (503; reasoning)",
                    sends.as_str(),
                    mode.as_str()
                ),
            ),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sidecar(mode: ServerMode) -> ServerEnd {
        ServerEnd {
            proxy: ProxyKind::Sidecar,
            mode: Some(mode),
            app_tls: false,
        }
    }

    const NO_PROXY: ServerEnd = ServerEnd {
        proxy: ProxyKind::None,
        mode: None,
        app_tls: false,
    };

    fn o(client: ProxyKind, sends: Sends, server: ServerEnd) -> Outcome {
        outcome(client, sends, server).0
    }

    /// istio-semantics §6 row "no sidecar (plaintext)": 200 / 000/56 [a] / 200 [b] / 200 [b].
    #[test]
    fn row_plaintext_client_without_sidecar() {
        let c = ProxyKind::None;
        assert_eq!(o(c, Sends::Plaintext, NO_PROXY), Outcome::Ok);
        assert_eq!(
            o(c, Sends::Plaintext, sidecar(ServerMode::Strict)),
            Outcome::Reset
        );
        assert_eq!(
            o(c, Sends::Plaintext, sidecar(ServerMode::Permissive)),
            Outcome::Ok
        );
        assert_eq!(
            o(c, Sends::Plaintext, sidecar(ServerMode::Disable)),
            Outcome::Ok
        );
        assert_eq!(Outcome::Reset.curl(true), (Some("000"), 56));
    }

    /// istio-semantics §6 row "sidecar, DR DISABLE": 200 / 503 [c] / 200 / 200.
    #[test]
    fn row_sidecar_plaintext() {
        let c = ProxyKind::Sidecar;
        assert_eq!(o(c, Sends::Plaintext, NO_PROXY), Outcome::Ok);
        assert_eq!(
            o(c, Sends::Plaintext, sidecar(ServerMode::Strict)),
            Outcome::UpstreamError
        );
        assert_eq!(
            o(c, Sends::Plaintext, sidecar(ServerMode::Permissive)),
            Outcome::Ok
        );
        assert_eq!(
            o(c, Sends::Plaintext, sidecar(ServerMode::Disable)),
            Outcome::Ok
        );
    }

    /// istio-semantics §6 row "sidecar, DR ISTIO_MUTUAL": 503 [d] / 200 / 200 / 503 [e];
    /// and the API server (own TLS): 000 + exit 35.
    #[test]
    fn row_sidecar_istio_mutual() {
        let c = ProxyKind::Sidecar;
        assert_eq!(o(c, Sends::IstioMutual, NO_PROXY), Outcome::UpstreamError);
        assert_eq!(
            o(c, Sends::IstioMutual, sidecar(ServerMode::Strict)),
            Outcome::Ok
        );
        assert_eq!(
            o(c, Sends::IstioMutual, sidecar(ServerMode::Permissive)),
            Outcome::Ok
        );
        assert_eq!(
            o(c, Sends::IstioMutual, sidecar(ServerMode::Disable)),
            Outcome::UpstreamError
        );
        let api = ServerEnd {
            app_tls: true,
            ..NO_PROXY
        };
        assert_eq!(o(c, Sends::IstioMutual, api), Outcome::TlsError);
        assert_eq!(Outcome::TlsError.curl(true), (Some("000"), 35));
        assert_eq!(o(c, Sends::AppTls, api), Outcome::Ok);
    }

    /// istio-semantics §6 rows SIMPLE/MUTUAL (reasoning): 503 against every sidecar mode.
    #[test]
    fn row_user_tls() {
        let c = ProxyKind::Sidecar;
        for m in [
            ServerMode::Strict,
            ServerMode::Permissive,
            ServerMode::Disable,
        ] {
            assert_eq!(o(c, Sends::Simple, sidecar(m)), Outcome::UpstreamError);
            assert_eq!(o(c, Sends::Mutual, sidecar(m)), Outcome::UpstreamError);
        }
        assert_eq!(o(c, Sends::Simple, NO_PROXY), Outcome::UpstreamError);
    }

    /// istio-semantics §9: STRICT ambient pods reset plaintext; ambient pairs always use HBONE.
    #[test]
    fn ambient_rows() {
        let amb = |m| ServerEnd {
            proxy: ProxyKind::Ambient,
            mode: Some(m),
            app_tls: false,
        };
        assert_eq!(
            o(ProxyKind::None, Sends::Plaintext, amb(ServerMode::Strict)),
            Outcome::Reset
        );
        assert_eq!(
            o(
                ProxyKind::None,
                Sends::Plaintext,
                amb(ServerMode::Permissive)
            ),
            Outcome::Ok
        );
        assert_eq!(
            o(ProxyKind::Ambient, Sends::Hbone, amb(ServerMode::Strict)),
            Outcome::Ok
        );
        assert_eq!(
            o(
                ProxyKind::Ambient,
                Sends::Plaintext,
                sidecar(ServerMode::Strict)
            ),
            Outcome::Reset
        );
    }

    /// SPEC §3.5: on TCP ports a refusal is a closed connection, http_code null, curl exit 56.
    #[test]
    fn tcp_codes() {
        assert_eq!(Outcome::UpstreamError.curl(false), (None, 56));
        assert_eq!(Outcome::Ok.curl(false), (None, 0));
    }
}
