//! The request outcome after the transport succeeded (SPEC §3.5): one HTTP request (or TCP
//! connection) through the server proxy's pipeline CUSTOM → JWT (RequestAuthentication, or
//! v1alpha1 `origins`) → DENY → ALLOW (→ legacy rbac.istio.io), giving 200, 401 or 403 and a
//! trace of the stages (research/authz-semantics.md §1, §3).
//!
//! Pure: everything comes from the [`Analysis`], the request, the peer and the key sets; `now`
//! is passed in so expiry is reproducible.

mod custom;
pub mod forwarded;
mod malformed;
mod notes;
mod types;
mod waypoint;
pub use malformed::bad_request;
use notes::{dropped_note, dry_note, matched_parts, rule_failures};
use types::stage;
pub use types::*;
pub(crate) use waypoint::service_targeted;
use waypoint::waypoint_stages;

use crate::analysis::Analysis;
use crate::facts::proxy::ProxyKind;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::istio::security::AuthzAction;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authn::{self, Authn, AuthnResult};
use crate::resolve::authz::{self, Ctx};
use crate::resolve::decisions::Decisions;
use crate::resolve::gateway;
use crate::resolve::jwt::{JwksStore, Token};
use crate::resolve::protocol::{Protocol, service_port_protocol};
use crate::resolve::rbac;
use crate::resolve::server_mtls::{self, FieldRef, Target};
use crate::resolve::transport::Outcome;
use crate::version::Behaviour;

/// Whether the server proxy builds an HTTP filter chain for this port: declared HTTP
/// protocols, and unknown ones (sniffed; curl speaks HTTP).
pub fn http_chain(a: &Analysis, port: &PortInfo) -> bool {
    let (p, _) = service_port_protocol(
        port.port,
        &port.name,
        &port.protocol,
        port.app_protocol.as_deref(),
        a.profile.has(Behaviour::AppProtocol),
    );
    p.is_http() || p == Protocol::Unknown
}

/// The path as the server proxy sees it: normalized as the mesh config's `pathNormalization`
/// says (BASE by default; the option exists from 1.10), query string kept out.
pub fn seen_path(a: &Analysis, path: &str) -> String {
    let normalization = a
        .inv
        .mesh
        .path_normalization
        .filter(|_| a.profile.has(Behaviour::PathNormalizationOption))
        .map(|p| p.normalization)
        .unwrap_or_default();
    authz::normalize_path_as(path, normalization)
}

/// Evaluates one request to `server_workload` through `services[si].ports[pi]` on
/// `target_port`.
///
/// Returns [`Outcome::Ok`], [`Outcome::Unauthenticated`] (401), [`Outcome::Forbidden`] (403, or a
/// closed connection on TCP ports), or [`Outcome::Reset`] when ztunnel (ambient) denies, and the
/// stages that ran, the deciding one last.
///
/// An ambient destination enrolled in a waypoint (`istio.io/use-waypoint`) first goes through
/// the waypoint, which enforces the targetRef policies of the service with full L7 semantics;
/// the destination ztunnel then enforces the selector policies at L4 and sees the waypoint's
/// identity as the source (istio-semantics §9, authz-semantics §2.3, §14.9).
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    a: &Decisions<'_>,
    server_workload: usize,
    (si, pi): (usize, usize),
    target_port: i32,
    peer: &Peer,
    rc: &RequestContext,
) -> (Outcome, Vec<Stage>) {
    let svc = &a.inv.services[si];
    let service = (svc, &svc.ports[pi]);
    let (req, now, jwks) = (&rc.request, rc.now, &rc.jwks);
    // Without `--host` the request carries the Host header curl sends for
    // http://NAME.NAMESPACE:PORT/: the port is left out when it is the scheme's default
    // (RFC 9110 §7.2; curl's behaviour in the report field/default-host-header, istio/istio#24665).
    let with_host;
    let req = if req.host.is_some() {
        req
    } else {
        with_host = Request {
            host: Some(a.port(si, pi).default_host.clone()),
            ..req.clone()
        };
        &with_host
    };
    let proxy = a.proxies[server_workload].kind;
    let mut stages = Vec::new();
    if proxy == ProxyKind::None {
        stages.push(stage(
            "allow",
            "allow",
            Vec::new(),
            "the server has no proxy: no request policy is enforced".into(),
        ));
        return (Outcome::Ok, stages);
    }
    let ambient = proxy == ProxyKind::Ambient;
    let path = a.seen_path(&req.path);
    let has_authz = a.profile.has(Behaviour::AuthorizationPolicy);

    // 0. The waypoint, for ambient destinations enrolled in one (istio-semantics §9).
    let mut l4_peer = peer.clone();
    if l4_peer.ip.is_none() {
        l4_peer.ip.clone_from(&req.source_ip);
    }
    let mut via_waypoint = None;
    let waypoint = if ambient {
        authz::waypoint_for(a, service.0, server_workload)
    } else {
        None
    };
    let bypass = peer.gateway && !waypoint::ingress_uses_waypoint(a, service.0);
    match waypoint {
        Some(wp) if peer.mtls && !bypass => {
            if let Err(o) =
                waypoint_stages(a, &wp, service, target_port, peer, rc, &path, &mut stages)
            {
                return (o, stages);
            }
            let principal = format!(
                "{}/ns/{}/sa/{}",
                a.inv.mesh.trust_domain(),
                wp.namespace,
                wp.service_account(a)
            );
            l4_peer = Peer {
                mtls: true,
                principal: Some(principal.clone()),
                namespace: Some(wp.namespace.clone()),
                ip: None,
                gateway: false,
            };
            via_waypoint = Some(principal);
        }
        Some(wp) => {
            // Past the waypoint: plaintext from outside the mesh, or a gateway not asked to
            // use it.
            let why = if peer.mtls {
                "a gateway sends straight to the pods unless the Service or namespace carries istio.io/ingress-use-waypoint=true (1.24+)"
            } else {
                "plaintext from outside the mesh reaches the destination ztunnel directly"
            };
            let targeted = a.service_targeted(si);
            stages.push(stage(
                "waypoint",
                "skip",
                targeted.iter().map(|&i| spec_ref(i)).collect(),
                format!(
                    "{} uses waypoint {}/{} ({}), but {why}: the waypoint's targetRef policies are not enforced",
                    service.0.name, wp.namespace, wp.name, wp.by
                ),
            ));
        }
        None => {
            let targeted = a.service_targeted(si);
            if !targeted.is_empty() {
                let names: Vec<String> = targeted
                    .iter()
                    .map(|&i| {
                        let o = &a.inv.objects[i];
                        format!("{}/{}", o.namespace(), o.name())
                    })
                    .collect();
                stages.push(stage(
                    "waypoint",
                    "skip",
                    targeted.iter().map(|&i| spec_ref(i)).collect(),
                    format!(
                        "{} target{} Service {} through targetRefs, but {}: not enforced",
                        names.join(", "),
                        if names.len() == 1 { "s" } else { "" },
                        service.0.name,
                        if ambient {
                            "it uses no waypoint (no istio.io/use-waypoint label on the pod, Service or namespace)"
                        } else {
                            "only waypoints enforce such policies (sidecars ignore targetRefs)"
                        }
                    ),
                ));
            }
        }
    }

    // At a gateway the Gateway servers on the port decide the chain (resolve/gateway.rs).
    let gateway_chain = (proxy == ProxyKind::Gateway)
        .then(|| {
            gateway::chain(
                a,
                server_workload,
                u32::try_from(service.1.port).unwrap_or(0),
                u32::try_from(target_port).unwrap_or(0),
                req.host.as_deref().unwrap_or(""),
            )
        })
        .flatten();
    if let Some(g) = &gateway_chain {
        let by: Vec<FieldRef> = g.by.iter().cloned().collect();
        if g.chain == gateway::GatewayChain::NoMatch {
            stages.push(stage(
                "gateway",
                "refuse",
                by,
                format!("{}: the TLS handshake fails", g.reason),
            ));
            return (Outcome::TlsError, stages);
        }
        stages.push(stage("gateway", "pass", by, g.reason.clone()));
    }
    let http = match &gateway_chain {
        Some(g) => g.chain == gateway::GatewayChain::Http,
        None => http_chain(a, service.1) && !ambient,
    };
    // ztunnel enforces the L4 part of a policy only (istiod's conversion,
    // pilot/pkg/serviceregistry/ambient/authorization.go handleRule; ztunnel src/rbac.rs).
    let ztunnel = ambient.then(|| {
        if a.profile.has(Behaviour::ZtunnelClauseOr) {
            authz::Ztunnel::AnyMatch
        } else {
            authz::Ztunnel::AllMatch
        }
    });
    let chain_note = if ambient {
        "ztunnel (ambient) enforces L4 only: an ALLOW rule with HTTP attributes is dropped; a DENY rule keeps its L4 part, and a from, to or when part with nothing L4 left never matches"
            .to_owned()
    } else if http {
        "HTTP filter chain".to_owned()
    } else {
        "TCP filter chain: HTTP-only fields drop ALLOW rules and are removed from DENY rules"
            .to_owned()
    };
    let (deny_outcome, deny_text) = match &via_waypoint {
        Some(id) => (
            Outcome::UpstreamError,
            format!(
                "the destination ztunnel closes the waypoint's connection (source identity {id}, the waypoint's) and the waypoint answers 503"
            ),
        ),
        None if ambient => (Outcome::Reset, "ztunnel closes the connection".to_owned()),
        // A DENY on a gateway's TCP chain closes the connection: during the TLS handshake
        // behind a TLS server (curl exit 35), as a reset behind a plain TCP one (exit 56).
        None => match gateway_chain.as_ref().map(|g| g.chain) {
            Some(gateway::GatewayChain::Tls) => (
                Outcome::TlsError,
                "the gateway closes the connection during the TLS handshake".to_owned(),
            ),
            Some(gateway::GatewayChain::Tcp) => (
                Outcome::Reset,
                "the gateway closes the connection".to_owned(),
            ),
            _ => (Outcome::Forbidden, "RBAC: access denied".to_owned()),
        },
    };
    let hop = if !http || ambient {
        forwarded::Hop::Connection
    } else if proxy == ProxyKind::Gateway {
        forwarded::Hop::Gateway(forwarded::gateway_trusted_proxies(a, server_workload))
    } else {
        forwarded::Hop::Forwarded
    };
    let point = Point {
        policies: if has_authz {
            a.authorization_policies(server_workload).to_vec()
        } else {
            Vec::new()
        },
        has_authz,
        peer: &l4_peer,
        remote: forwarded::remote(hop, req, l4_peer.ip.as_deref()),
        http,
        ztunnel,
        ip_assumption: None,
        target_port,
        chain_note,
        deny_outcome,
        deny_text,
        prefix: if via_waypoint.is_some() {
            "at the destination ztunnel: ".to_owned()
        } else {
            String::new()
        },
        detail: rc.detail,
    };
    let jwt = || {
        if ambient {
            JwtStep::Skip(
                "ztunnel does not validate JWTs (RequestAuthentication needs a waypoint)".into(),
            )
        } else {
            jwt_stage(
                a,
                server_workload,
                service,
                target_port,
                proxy,
                req,
                &path,
                now,
                jwks,
            )
            .map_or(JwtStep::Absent, |(n, r)| JwtStep::Run(n, r))
        }
    };
    // Unknown beats wrong (SPEC §3.5): when a policy reads the client address and the inputs do
    // not give it, the request is judged with an address inside every IP block and with one
    // outside all; if the two differ, the outcome depends on the address.
    // Where X-Forwarded-For decides the remote address, the trace says which entry was taken.
    if forwarded::forwarded_for(req).is_some() {
        let remote_readers: Vec<usize> = point
            .policies
            .iter()
            .copied()
            .filter(|&i| {
                matches!(&a.inv.objects[i].body, Body::AuthorizationPolicy(s) if authz::reads_address(s, authz::Addresses { direct: false, remote: true }))
            })
            .collect();
        if !remote_readers.is_empty() {
            stages.push(point.stage(
                "address",
                if point.remote.ip.is_some() {
                    "known"
                } else {
                    "unknown"
                },
                remote_readers.iter().map(|&i| spec_ref(i)).collect(),
                || {
                    format!(
                        "remote.ip (remoteIpBlocks) is {}: {}",
                        point.remote.ip.as_deref().unwrap_or("not known"),
                        point.remote.how
                    )
                },
            ));
        }
    }
    let unknown = authz::Addresses {
        direct: point.peer.ip.is_none(),
        remote: point.remote.ip.is_none(),
    };
    let address_policies: Vec<usize> = point
        .policies
        .iter()
        .copied()
        .filter(|&i| {
            matches!(&a.inv.objects[i].body, Body::AuthorizationPolicy(s) if authz::reads_address(s, unknown))
        })
        .collect();
    if !address_policies.is_empty() {
        let inside = Point {
            ip_assumption: Some(true),
            ..point.clone()
        };
        let mut scratch = Vec::new();
        let with_inside = enforce(a, &inside, req, &path, jwt, &mut scratch).err();
        let mut outside_stages = stages.clone();
        let with_outside = enforce(a, &point, req, &path, jwt, &mut outside_stages).err();
        if with_inside != with_outside {
            let text = |o: Option<Outcome>| o.map_or("allowed", Outcome::as_str);
            stages.push(stage(
                "address",
                "depends",
                address_policies.iter().map(|&i| spec_ref(i)).collect(),
                format!(
                    "the outcome depends on the client address, which the inputs do not give: {} from an address in the policies' IP blocks, {} from one outside them (give it with --source-ip, or X-Forwarded-For with --header where the proxy reads it)",
                    text(with_inside),
                    text(with_outside)
                ),
            ));
            return (Outcome::Depends, stages);
        }
    }
    let (token_holder, space_delimited) = match enforce(a, &point, req, &path, jwt, &mut stages) {
        Ok(t) => t,
        Err(o) => return (o, stages),
    };

    // 5. Legacy rbac.istio.io (≤ 1.5).
    if a.profile.has(Behaviour::RbacV1alpha1) {
        let ctx = point.ctx(a, req, &path, token_holder.as_ref(), space_delimited);
        if let Some(s) = rbac::evaluate(a, server_workload, service, target_port, &ctx) {
            let denied = s.decision == "deny";
            stages.push(s);
            if denied {
                return (point.deny_outcome, stages);
            }
        }
    }
    (Outcome::Ok, stages)
}

/// What the JWT step does at one enforcement point.
enum JwtStep {
    /// Not run, with the reason shown as a `skip` stage.
    Skip(String),
    /// Not run and not shown (no JWT stage in this era).
    Absent,
    Run(&'static str, AuthnResult),
}

/// One enforcement point: the destination proxy (sidecar or ztunnel) or a waypoint.
#[derive(Clone)]
struct Point<'p> {
    policies: Vec<usize>,
    has_authz: bool,
    peer: &'p Peer,
    /// The address `remoteIpBlocks` matches here.
    remote: forwarded::Remote,
    /// HTTP filter chain (false: TCP chain or ztunnel).
    http: bool,
    /// ztunnel enforces here (L4 only), and how it combines a clause's matches.
    ztunnel: Option<authz::Ztunnel>,
    /// What IP matchers assume while the client address is unknown.
    ip_assumption: Option<bool>,
    target_port: i32,
    chain_note: String,
    deny_outcome: Outcome,
    /// What the client sees when a policy denies.
    deny_text: String,
    /// Put before every stage detail (names the enforcement point).
    prefix: String,
    /// How much the stages explain ([`RequestContext::detail`]).
    detail: Detail,
}

impl Point<'_> {
    fn ctx<'c>(
        &'c self,
        a: &'c Analysis,
        req: &'c Request,
        path: &str,
        auth: Option<&'c Token>,
        space_delimited: Vec<String>,
    ) -> Ctx<'c> {
        Ctx {
            peer: self.peer,
            req,
            path: path.to_owned(),
            http: self.http,
            ztunnel: self.ztunnel,
            remote_ip: self.remote.ip.clone(),
            remote_any: self.remote.from_header,
            ip_assumption: self.ip_assumption,
            target_port: self.target_port,
            auth,
            space_delimited,
            trust_domains: a.trust_domains.as_slice().into(),
            trust_domains_enforced: a.profile.has(Behaviour::AuthzTrustDomains),
            escaped: if self.ztunnel.is_some() {
                authz::Escaped::default()
            } else {
                authz::Escaped {
                    service_accounts: a.profile.has(Behaviour::ServiceAccountRegexEscaped),
                    principals: a.profile.has(Behaviour::PrincipalRegexEscaped),
                }
            },
        }
    }

    /// A stage of this point; `detail` is only written when the request asks for more than
    /// the outcome ([`Detail::Outcome`] leaves it empty: the namespace summary formatted
    /// hundreds of thousands of details it never read, issue 14).
    fn stage(
        &self,
        name: &'static str,
        decision: &str,
        by: Vec<FieldRef>,
        detail: impl FnOnce() -> String,
    ) -> Stage {
        let detail = if self.detail == Detail::Outcome {
            String::new()
        } else {
            format!("{}{}", self.prefix, detail())
        };
        stage(name, decision, by, detail)
    }
}

/// The policy pipeline of one enforcement point (authz-semantics §1, §3): CUSTOM → JWT → DENY →
/// ALLOW. `Ok` carries the validated token and the space-delimited claims; `Err` the outcome of
/// the deciding stage (the last one pushed).
fn enforce(
    a: &Analysis,
    point: &Point<'_>,
    req: &Request,
    path: &str,
    jwt: impl FnOnce() -> JwtStep,
    stages: &mut Vec<Stage>,
) -> Result<(Option<Token>, Vec<String>), Outcome> {
    let start = stages.len();
    let result = enforce_stages(a, point, req, path, jwt, stages);
    let delegated = stages[start..]
        .iter()
        .find(|s| s.stage == "custom" && s.decision == custom::DELEGATED)
        .cloned();
    custom::after_delegation(result, delegated.as_ref(), stages)
}

/// [`enforce`] before the external authorizer's part is weighed.
fn enforce_stages(
    a: &Analysis,
    point: &Point<'_>,
    req: &Request,
    path: &str,
    jwt: impl FnOnce() -> JwtStep,
    stages: &mut Vec<Stage>,
) -> Result<(Option<Token>, Vec<String>), Outcome> {
    let policies = &point.policies;
    let chain_note = &point.chain_note;
    let deny_text = &point.deny_text;
    let with_action = |action: AuthzAction| -> Vec<(usize, bool)> {
        policies
            .iter()
            .copied()
            .filter(|&i| matches!(&a.inv.objects[i].body, Body::AuthorizationPolicy(s) if s.action == action))
            .map(|i| (i, authz::is_dry_run(a.inv.objects[i].annotations())))
            .collect()
    };
    let ctx = point.ctx(a, req, path, None, Vec::new());

    // 1. CUSTOM (before JWT: it never sees request.auth, §3).
    custom::custom_stage(a, point, &ctx, &with_action(AuthzAction::Custom), stages)?;

    // 2. JWT: RequestAuthentication, or v1alpha1 origins in their era.
    let mut token_holder = None;
    let mut space_delimited = Vec::new();
    match jwt() {
        JwtStep::Skip(detail) => stages.push(point.stage("jwt", "skip", Vec::new(), || detail)),
        JwtStep::Absent => {}
        JwtStep::Run(name, r) => {
            let AuthnResult {
                verdict,
                by,
                detail,
                space_delimited: sd,
            } = r;
            match verdict {
                Authn::Unauthenticated => {
                    stages.push(point.stage(name, "unauthenticated", by, || detail));
                    return Err(Outcome::Unauthenticated);
                }
                Authn::Forbidden => {
                    stages.push(point.stage(name, "forbidden", by, || detail));
                    return Err(Outcome::Forbidden);
                }
                Authn::Pass(t) => {
                    stages.push(point.stage(name, "pass", by, || detail));
                    token_holder = t;
                    space_delimited = sd;
                }
            }
        }
    }
    let ctx = point.ctx(a, req, path, token_holder.as_ref(), space_delimited.clone());

    if point.has_authz {
        // 3. DENY (AUDIT never changes the decision; dry-run is logged only).
        let deny = with_action(AuthzAction::Deny);
        let hits = matches(a, &ctx, &deny);
        // AUDIT never decides: its matches are only told in the detail.
        let audit_note = || {
            let audit_hits = matches(a, &ctx, &with_action(AuthzAction::Audit));
            if audit_hits.is_empty() {
                String::new()
            } else {
                format!(
                    "; AUDIT {} matches (logged only)",
                    audit_hits
                        .iter()
                        .map(|h| h.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            }
        };
        if let Some(h) = hits.iter().find(|h| !h.dry_run) {
            stages.push(point.stage("deny", "deny", vec![h.at.clone()], || {
                format!(
                    "{} matches ({}){}: {deny_text} ({chain_note}){}",
                    h.name,
                    matched_parts(a, &ctx, h),
                    match (h.widened, point.ztunnel.is_some()) {
                        (true, true) => " (only its L4 part is enforced at ztunnel)",
                        (true, false) => {
                            " (HTTP-only fields removed on this port, so it matches more)"
                        }
                        _ => "",
                    },
                    audit_note(),
                )
            }));
            return Err(point.deny_outcome);
        }
        stages.push(point.stage(
            "deny",
            "pass",
            deny.iter().map(|&(i, _)| spec_ref(i)).collect(),
            || {
                format!(
                    "{}{}{}{}",
                    if deny.is_empty() {
                        "no DENY policy applies"
                    } else {
                        "no DENY rule matches"
                    },
                    if point.detail == Detail::Every {
                        rule_failures(a, &ctx, &deny)
                    } else {
                        String::new()
                    },
                    dry_note(&hits),
                    audit_note(),
                )
            },
        ));

        // 4. ALLOW.
        let allow = with_action(AuthzAction::Allow);
        let enforced: Vec<(usize, bool)> = allow.iter().copied().filter(|&(_, d)| !d).collect();
        let hits = matches(a, &ctx, &allow);
        let dry_allow = allow.iter().any(|&(_, d)| d);
        let dry_detail = || {
            if dry_allow {
                let would = hits.iter().any(|h| h.dry_run);
                format!(
                    "; dry-run ALLOW policies would have {} (not enforced)",
                    if would { "allowed" } else { "denied" }
                )
            } else {
                String::new()
            }
        };
        if enforced.is_empty() {
            stages.push(point.stage("allow", "allow", Vec::new(), || {
                format!("no ALLOW policy applies: allowed{}", dry_detail())
            }));
        } else if let Some(h) = hits.iter().find(|h| !h.dry_run) {
            stages.push(point.stage("allow", "allow", vec![h.at.clone()], || {
                if point.detail == Detail::Every {
                    format!(
                        "{} matches ({}){}",
                        h.name,
                        matched_parts(a, &ctx, h),
                        dry_detail()
                    )
                } else {
                    format!("{} matches{}", h.name, dry_detail())
                }
            }));
        } else {
            let (dropped, why) = if point.detail == Detail::Outcome {
                (String::new(), String::new())
            } else {
                (
                    dropped_note(a, &ctx, &enforced),
                    rule_failures(a, &ctx, &enforced),
                )
            };
            let empty = enforced.iter().all(|&(i, _)| {
                matches!(&a.inv.objects[i].body, Body::AuthorizationPolicy(s) if s.rules.as_ref().is_none_or(Vec::is_empty))
            });
            stages.push(point.stage(
                "allow",
                "deny",
                enforced.iter().map(|&(i, _)| spec_ref(i)).collect(),
                || {
                    format!(
                        "{}: {deny_text} ({chain_note}){dropped}{why}{}",
                        if empty {
                            "only allow-nothing ALLOW policies (`spec: {}` or no rules) apply"
                        } else {
                            "ALLOW policies apply and no rule matches"
                        },
                        dry_detail(),
                    )
                },
            ));
            return Err(point.deny_outcome);
        }
    }
    Ok((token_holder, space_delimited))
}

/// The JWT stage that applies: v1alpha1 `origins` (while served, unless RequestAuthentication
/// takes over in 1.5), else RequestAuthentication (from 1.5).
#[allow(clippy::too_many_arguments)]
fn jwt_stage(
    a: &Analysis,
    workload: usize,
    service: (&ServiceInfo, &PortInfo),
    target_port: i32,
    proxy: ProxyKind,
    req: &Request,
    path: &str,
    now: i64,
    jwks: &JwksStore,
) -> Option<(&'static str, AuthnResult)> {
    let has_ra = a.profile.has(Behaviour::PeerAuthentication);
    let ras = if has_ra {
        authn::applicable_request_authentications(a, workload)
    } else {
        Vec::new()
    };
    if a.profile.has(Behaviour::V1alpha1Policy) && ras.is_empty() {
        let target = Target {
            workload,
            service: Some(service),
            target_port,
        };
        if let Some(d) = server_mtls::v1alpha1(a, target, proxy)
            && let Some(first) = d.decided_by.first()
            && let Body::Policy(spec) = &a.inv.objects[first.object].body
        {
            return Some((
                "origin",
                authn::legacy_origins(first.object, spec, req, path, now, jwks),
            ));
        }
    }
    has_ra.then(|| {
        (
            "jwt",
            authn::request_authentication(a, workload, req, now, jwks),
        )
    })
}

/// A matching rule of one policy.
#[derive(Debug, Clone)]
struct Hit {
    object: usize,
    rule: usize,
    at: FieldRef,
    name: String,
    dry_run: bool,
    widened: bool,
}

fn spec_ref(object: usize) -> FieldRef {
    FieldRef {
        object,
        field: "spec".into(),
    }
}

/// The matching rule of each policy in `list` (object, dry-run).
fn matches(a: &Analysis, ctx: &Ctx<'_>, list: &[(usize, bool)]) -> Vec<Hit> {
    let mut out = Vec::new();
    for &(i, dry_run) in list {
        let o = &a.inv.objects[i];
        let Body::AuthorizationPolicy(spec) = &o.body else {
            continue;
        };
        let e = authz::eval_policy(ctx, o.namespace(), spec);
        if let Some(r) = e.matched {
            out.push(Hit {
                object: i,
                rule: r,
                at: FieldRef {
                    object: i,
                    field: format!("spec.rules[{r}]").into(),
                },
                name: format!(
                    "{}{}",
                    authz::rule_name(o.namespace(), o.name(), r),
                    if dry_run { " (dry-run)" } else { "" }
                ),
                dry_run,
                widened: e.widened.contains(&r),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests;
