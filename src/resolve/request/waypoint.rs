//! The waypoint stage of a request to an ambient destination enrolled in a waypoint
//! (istio-semantics §9, authz-semantics §2.3, §14.9): the policies attached by targetRef,
//! enforced with full L7 semantics at the waypoint.

use super::*;

/// AuthorizationPolicies and RequestAuthentications (in releases that have them) targeting
/// `services[service]` through Service or ServiceEntry refs (enforced only by a waypoint).
/// `Decisions::service_targeted` keeps them per Service.
pub(crate) fn service_targeted(a: &Analysis, service: usize) -> Vec<usize> {
    let svc = &a.inv.services[service];
    let mut out = Vec::new();
    if a.profile.has(Behaviour::AuthorizationPolicy) {
        out.extend(authz::targeting_service(a, Kind::AuthorizationPolicy, svc));
    }
    if a.profile.has(Behaviour::PeerAuthentication) {
        out.extend(authz::targeting_service(
            a,
            Kind::RequestAuthentication,
            svc,
        ));
    }
    out
}

/// Label that sends a gateway's traffic for a service through the service's waypoint.
const INGRESS_USE_WAYPOINT: &str = "istio.io/ingress-use-waypoint";

/// Whether a gateway sends to `svc`'s waypoint (istio/istio 1.24.0
/// pilot/pkg/xds/endpoints/endpoint_builder.go:339-345, 834-866: only with the label): the
/// Service's label, exactly "true" in 1.24; from 1.25 also the namespace's, the Service's
/// winning when present and compared case-insensitively (1.25.0
/// pilot/pkg/serviceregistry/kube/controller/ambient/sidecar_interop.go:148-156,
/// services.go:84-87); from 1.30 read as a Go bool (1.30.0 ambient/services.go:770-787).
pub(super) fn ingress_uses_waypoint(a: &Analysis, svc: &ServiceInfo) -> bool {
    if !a.profile.has(Behaviour::IngressUseWaypoint) {
        return false;
    }
    let truthy = |v: &str| {
        if a.profile.has(Behaviour::IngressUseWaypointParseBool) {
            matches!(v, "1" | "t" | "T" | "TRUE" | "true" | "True")
        } else if a.profile.has(Behaviour::IngressUseWaypointNamespace) {
            v.eq_ignore_ascii_case("true")
        } else {
            v == "true"
        }
    };
    let on_service = svc
        .object
        .and_then(|o| a.inv.objects[o].labels().get(INGRESS_USE_WAYPOINT));
    match on_service {
        Some(v) => truthy(v),
        None => {
            a.profile.has(Behaviour::IngressUseWaypointNamespace)
                && a.inv
                    .namespace_labels(&svc.namespace)
                    .get(INGRESS_USE_WAYPOINT)
                    .is_some_and(truthy)
        }
    }
}

/// The waypoint's pipeline (istio-semantics §9, authz-semantics §2.3): the targetRef policies
/// of the service and of the waypoint Gateway, with full L7 semantics on HTTP ports; the
/// waypoint sees the client's own identity. `Err` when the waypoint rejects the request.
#[allow(clippy::too_many_arguments)]
pub(super) fn waypoint_stages(
    a: &Analysis,
    wp: &authz::Waypoint,
    service: (&ServiceInfo, &PortInfo),
    target_port: i32,
    peer: &Peer,
    rc: &RequestContext,
    path: &str,
    stages: &mut Vec<Stage>,
) -> Result<(), Outcome> {
    let (req, now, jwks) = (&rc.request, rc.now, &rc.jwks);
    let has_authz = a.profile.has(Behaviour::AuthorizationPolicy);
    let has_ra = a.profile.has(Behaviour::PeerAuthentication);
    let svc = service.0;
    let policies = if has_authz {
        authz::applicable_at_waypoint(a, Kind::AuthorizationPolicy, svc, wp)
    } else {
        Vec::new()
    };
    let ras = if has_ra {
        authz::applicable_at_waypoint(a, Kind::RequestAuthentication, svc, wp)
    } else {
        Vec::new()
    };
    let http = http_chain(a, service.1);
    stages.push(stage(
        "waypoint",
        "pass",
        policies.iter().chain(&ras).map(|&i| spec_ref(i)).collect(),
        format!(
            "{} uses waypoint {}/{} ({}{}): the waypoint enforces the targetRef policies of the service{}; selector policies stay with the destination ztunnel (L4)",
            svc.name,
            wp.namespace,
            wp.name,
            wp.by,
            if wp.workload.is_some() {
                ""
            } else {
                "; its Deployment is not among the inputs"
            },
            if http {
                " with full HTTP semantics"
            } else {
                " (TCP port: HTTP-only fields drop ALLOW rules and are removed from DENY rules)"
            }
        ),
    ));
    let point = Point {
        policies,
        has_authz,
        peer,
        // The waypoint's HTTP listener reads X-Forwarded-For as a sidecar does
        // (`listener_waypoint.go:921` useRemoteAddress false); the peer is the client, restored
        // from the HBONE stream (`envoy.filters.listener.original_dst.remote_ip`, 1.20+).
        remote: super::forwarded::remote(
            if http {
                super::forwarded::Hop::Forwarded
            } else {
                super::forwarded::Hop::Connection
            },
            req,
            peer.ip.as_deref(),
        ),
        http,
        ztunnel: None,
        ip_assumption: None,
        target_port,
        chain_note: if http {
            "waypoint HTTP filter chain".to_owned()
        } else {
            "waypoint TCP filter chain".to_owned()
        },
        deny_outcome: Outcome::Forbidden,
        deny_text: "RBAC: access denied (by the waypoint)".to_owned(),
        prefix: format!("at waypoint {}/{}: ", wp.namespace, wp.name),
        detail: rc.detail,
    };
    // The waypoint validates tokens for the RequestAuthentications attached to what it serves
    // (targetRefs): a forged or expired token gets 401 there.
    let jwt = || {
        if ras.is_empty() {
            return JwtStep::Absent;
        }
        JwtStep::Run(
            "jwt",
            authn::request_authentication_by(a, &ras, req, now, jwks),
        )
    };
    enforce(a, &point, req, path, jwt, stages).map(|_| ())
}
