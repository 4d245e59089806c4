//! Fields by the Istio release that added them (issue 10). The model decodes the newest schema;
//! this table tells which fields a chosen release's CRD does not have. Such an object is
//! refused by the API server under strict field validation (`fieldValidation=Strict`,
//! `kubectl --validate=strict`; stable in Kubernetes 1.27, KEP-2885) or loses the field to
//! pruning (KEP-2332); Istio's webhook itself retries with unknown fields allowed
//! (istio/istio `pkg/util/protomarshal/protomarshal.go` ApplyJSON), so the refusal is the CRD's.
//! meshlint treats the object as not applied.

use super::Out;
use crate::model::kind::Kind;
use crate::model::resource::Object;
use crate::version::{Behaviour, first_release};

/// Where a DestinationRule traffic policy can stand: the rule's, and each subset's.
const DR_POLICIES: [&str; 2] = ["spec.trafficPolicy", "spec.subsets[].trafficPolicy"];
/// Sub-policies a traffic policy shares with its `portLevelSettings[]` entries.
const DR_PORT_LEVEL: [&str; 2] = ["", ".portLevelSettings[]"];

/// `(kinds, pattern, behaviour)`: the field at `pattern` (`[]` = every list item) exists from
/// the first release of `behaviour`. DestinationRule patterns start with `@` for each traffic
/// policy, and `@@` also for each of its `portLevelSettings`.
const FIELDS: &[(&[Kind], &str, Behaviour)] = {
    use Behaviour::*;
    use Kind::{
        AuthorizationPolicy as AP, DestinationRule as DR, Gateway, RequestAuthentication as RA,
        Sidecar,
    };
    &[
        (&[AP, RA], "spec.targetRef", PolicyTargetRef),
        (&[AP, RA], "spec.targetRefs", PolicyTargetRefs),
        (
            &[AP],
            "spec.rules[].from[].source.serviceAccounts",
            AuthzServiceAccounts,
        ),
        (
            &[AP],
            "spec.rules[].from[].source.notServiceAccounts",
            AuthzServiceAccounts,
        ),
        (
            &[AP],
            "spec.rules[].from[].source.remoteIpBlocks",
            RemoteIpAttribute,
        ),
        (
            &[AP],
            "spec.rules[].from[].source.notRemoteIpBlocks",
            RemoteIpAttribute,
        ),
        (
            &[AP],
            "spec.rules[].from[].source.trustDomains",
            AuthzTrustDomainFields,
        ),
        (
            &[AP],
            "spec.rules[].from[].source.notTrustDomains",
            AuthzTrustDomainFields,
        ),
        (
            &[RA],
            "spec.jwtRules[].outputClaimToHeaders",
            JwtOutputClaimToHeaders,
        ),
        (&[RA], "spec.jwtRules[].fromCookies", JwtFromCookies),
        (&[RA], "spec.jwtRules[].timeout", JwtTimeout),
        (
            &[RA],
            "spec.jwtRules[].spaceDelimitedClaims",
            JwtSpaceDelimitedClaims,
        ),
        (&[RA], "spec.jwtRules[].presence", JwtPresence),
        (&[DR], "@.proxyProtocol", DrProxyProtocol),
        (&[DR], "@@.connectionPool.tcp.idleTimeout", DrProxyProtocol),
        (
            &[DR],
            "@@.connectionPool.http.maxConcurrentStreams",
            DrProxyProtocol,
        ),
        (&[DR], "@@.tls.caCrl", TlsCaCrl),
        (&[DR], "@@.loadBalancer.warmup", DrWarmup),
        (&[DR], "@.retryBudget", DrRetryBudget),
        (
            &[DR],
            "@@.loadBalancer.consistentHash.httpCookie.attributes",
            DrCookieAttributes,
        ),
        (&[DR], "@.retryBudget.budgetInterval", Dr131Fields),
        (&[DR], "@@.connectionPool.http.http2KeepAlive", Dr131Fields),
        (&[DR], "@@.loadBalancer.zoneAwareLbSetting", Dr131Fields),
        (
            &[DR],
            "@@.outlierDetection.outlierDetectionHttpErrorCodes",
            Dr131Fields,
        ),
        (
            &[DR],
            "@@.loadBalancer.backendUtilization",
            DrBackendUtilization,
        ),
        (
            &[Sidecar],
            "spec.inboundConnectionPool",
            SidecarConnectionPool,
        ),
        (
            &[Sidecar],
            "spec.ingress[].connectionPool",
            SidecarConnectionPool,
        ),
        (
            &[Sidecar],
            "spec.inboundConnectionPool.http.http2KeepAlive",
            Dr131Fields,
        ),
        (
            &[Sidecar],
            "spec.ingress[].connectionPool.http.http2KeepAlive",
            Dr131Fields,
        ),
        (&[Gateway], "spec.servers[].tls.caCrl", TlsCaCrl),
        (
            &[Gateway],
            "spec.servers[].tls.credentialNames",
            TlsCredentialNames,
        ),
        (
            &[Gateway],
            "spec.servers[].tls.tlsCertificates",
            TlsCredentialNames,
        ),
        (
            &[Gateway],
            "spec.servers[].tls.caCertCredentialName",
            TlsCaCertCredentialName,
        ),
        (
            &[Gateway],
            "spec.servers[].tls.insecureSkipVerify",
            ServerTlsInsecureSkipVerify,
        ),
        (&[Gateway], "spec.servers[].tls.ecdhCurves", TlsEcdhCurves),
        (&[Sidecar], "spec.ingress[].tls.caCrl", TlsCaCrl),
        (
            &[Sidecar],
            "spec.ingress[].tls.credentialNames",
            TlsCredentialNames,
        ),
        (
            &[Sidecar],
            "spec.ingress[].tls.tlsCertificates",
            TlsCredentialNames,
        ),
        (
            &[Sidecar],
            "spec.ingress[].tls.caCertCredentialName",
            TlsCaCertCredentialName,
        ),
        (
            &[Sidecar],
            "spec.ingress[].tls.insecureSkipVerify",
            ServerTlsInsecureSkipVerify,
        ),
        (&[Sidecar], "spec.ingress[].tls.ecdhCurves", TlsEcdhCurves),
    ]
};

/// Reports every field of `obj` that `profile`'s release does not have yet.
pub(crate) fn check(obj: &Object, out: &mut Out<'_>) {
    let profile = out.profile;
    for (kinds, pattern, behaviour) in FIELDS {
        // The release first (one bit): at current releases every field exists, and this runs
        // for every object (issue 14).
        if profile.has(*behaviour) || !kinds.contains(&obj.kind) {
            continue;
        }
        for path in expand(pattern)
            .iter()
            .flat_map(|p| obj.source.paths_matching(p))
        {
            let field = path.rsplit('.').next().unwrap_or(&path);
            let added = first_release(*behaviour).map_or_else(String::new, |v| {
                format!(": it was added in Istio {}", v.minor_release())
            });
            out.push(
                path.clone(),
                format!(
                    "unknown field `{field}` for Istio {}{added}",
                    profile.version
                ),
                format!(
                    "the API server refuses the object (strict field validation) or drops the field; remove `{field}` or upgrade Istio"
                ),
            );
        }
    }
}

/// The concrete patterns of a table pattern (`@`, `@@` prefixes of DestinationRule).
fn expand(pattern: &str) -> Vec<String> {
    if let Some(rest) = pattern.strip_prefix("@@") {
        DR_POLICIES
            .iter()
            .flat_map(|p| DR_PORT_LEVEL.iter().map(move |l| format!("{p}{l}{rest}")))
            .collect()
    } else if let Some(rest) = pattern.strip_prefix('@') {
        DR_POLICIES.iter().map(|p| format!("{p}{rest}")).collect()
    } else {
        vec![pattern.to_owned()]
    }
}
