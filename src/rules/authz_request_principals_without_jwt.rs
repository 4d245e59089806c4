//! `authz-request-principals-without-jwt`: AuthorizationPolicy rules that match on the JWT
//! (`requestPrincipals`, `notRequestPrincipals`, `when` keys `request.auth.*`) on workloads
//! that no RequestAuthentication (or, up to Istio 1.5, no v1alpha1 Policy with `origins`)
//! applies to, so no token is ever validated and the request principal is always empty
//! (research/authz-semantics.md §5, §8, §12, §14.5).

use std::collections::BTreeSet;

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::facts::proxy::ProxyKind;
use crate::model::istio::security::{AuthzAction, Rule};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authn;
use crate::resolve::server_mtls::{self, Target};
use crate::rules::declare_rule;
use crate::rules::support::authz::{Polarity, policies, policy_workloads};
use crate::rules::support::list_text;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Finds AuthorizationPolicy rules that use the end-user identity of a JWT —
    /// `from.source.requestPrincipals`, `notRequestPrincipals`, or `when` conditions on
    /// `request.auth.principal`, `request.auth.audiences`, `request.auth.presenter` or
    /// `request.auth.claims[...]` — and reports the workloads the policy applies to that no
    /// RequestAuthentication selects (for Istio ≤ 1.5, no v1alpha1 `Policy` with `origins`
    /// either). Ambient workloads without a waypoint count as having none: ztunnel does not
    /// validate JWTs. When the inputs hold no workload for the policy, it is reported only if
    /// no RequestAuthentication exists in its namespace or the root namespace.
    ///
    /// ## Why is this bad?
    /// `request.auth.*` and the request principal are filled in only by the JWT filter that a
    /// RequestAuthentication configures. Without one the principal is always empty:
    ///
    /// - `requestPrincipals: [...]` (or `when` values) never match: an ALLOW rule never allows,
    ///   a DENY rule never denies;
    /// - `notRequestPrincipals: [...]` (or `when` notValues) always match: a DENY rule such as
    ///   `notRequestPrincipals: ["*"]` rejects every request, even those with a valid token.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: require-jwt, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: httpbin}}
    ///   rules:
    ///   - from:
    ///     - source: {requestPrincipals: ["testing@secure.istio.io/testing@secure.istio.io"]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: RequestAuthentication
    /// metadata: {name: jwt-example, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: httpbin}}
    ///   jwtRules:
    ///   - issuer: testing@secure.istio.io
    ///     jwksUri: https://raw.githubusercontent.com/istio/istio/master/security/tools/jwt/samples/jwks.json
    /// ```
    ///
    /// ## References
    /// - istio.io task "Authorization with JWT" (RequestAuthentication first, then the policy)
    /// - `AuthorizationPolicy` reference, `requestPrincipals` and `request.auth.*` conditions
    pub static RULE = {
        code: "ML0308",
        name: "authz-request-principals-without-jwt",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "requestPrincipals or JWT claims where no RequestAuthentication validates tokens",
        check: check,
    }
}

/// The JWT fields of one rule: (field path, display name, polarity).
pub(super) fn jwt_fields(rule: &Rule, path: &str) -> Vec<(String, String, Polarity)> {
    let mut out = Vec::new();
    for (j, f) in rule.from.iter().flatten().enumerate() {
        let Some(s) = &f.source else { continue };
        for (name, v, pol) in [
            (
                "requestPrincipals",
                &s.request_principals,
                Polarity::Positive,
            ),
            (
                "notRequestPrincipals",
                &s.not_request_principals,
                Polarity::Negative,
            ),
        ] {
            if !v.is_empty() {
                out.push((
                    format!("{path}.from[{j}].source.{name}"),
                    name.to_owned(),
                    pol,
                ));
            }
        }
    }
    for (j, c) in rule.when.iter().flatten().enumerate() {
        if !c.key.starts_with("request.auth.") {
            continue;
        }
        if !c.values.is_empty() {
            out.push((
                format!("{path}.when[{j}].values"),
                format!("`when` {}", c.key),
                Polarity::Positive,
            ));
        }
        if !c.not_values.is_empty() {
            out.push((
                format!("{path}.when[{j}].notValues"),
                format!("`when` {} notValues", c.key),
                Polarity::Negative,
            ));
        }
    }
    out
}

/// Whether some token validation applies to `w`: a RequestAuthentication, or (≤ 1.5, while
/// no RequestAuthentication takes over) a v1alpha1 Policy with `origins` for one of its
/// Service ports.
pub(super) fn validates_tokens(a: &Analysis, w: usize) -> bool {
    let proxy = a.proxies[w].kind;
    if proxy == ProxyKind::Ambient || proxy == ProxyKind::None {
        return false;
    }
    if a.profile.has(Behaviour::PeerAuthentication)
        && !authn::applicable_request_authentications(a, w).is_empty()
    {
        return true;
    }
    if !a.profile.has(Behaviour::V1alpha1Policy) {
        return false;
    }
    let wl = &a.inv.workloads[w];
    a.inv
        .services
        .iter()
        .filter(|s| s.workloads.contains(&w))
        .flat_map(|s| s.ports.iter().map(move |p| (s, p)))
        .any(|(svc, port)| {
            let target = Target {
                workload: w,
                service: Some((svc, port)),
                target_port: a.inv.target_port(port, wl).unwrap_or(port.port),
            };
            server_mtls::v1alpha1(a, target, proxy).is_some_and(|d| {
                d.decided_by.first().is_some_and(|f| {
                    matches!(&a.inv.objects[f.object].body, Body::Policy(p) if !p.origins.is_empty())
                })
            })
        })
}

/// Whether any RequestAuthentication (or v1alpha1 Policy with origins) could apply to
/// policies of namespace `ns`, judged without workloads.
pub(super) fn any_token_validation_for(a: &Analysis, ns: &str) -> bool {
    let root = a.inv.root_namespace();
    let ra = a.profile.has(Behaviour::PeerAuthentication)
        && a.inv.of_kind(Kind::RequestAuthentication).any(|(_, o)| {
            matches!(o.body, Body::RequestAuthentication(_))
                && (o.namespace() == ns || o.namespace() == root)
        });
    let legacy = a.profile.has(Behaviour::V1alpha1Policy)
        && a.inv
            .of_kind(Kind::Policy)
            .chain(a.inv.of_kind(Kind::MeshPolicy))
            .any(|(_, o)| matches!(&o.body, Body::Policy(p) if !p.origins.is_empty()));
    ra || legacy
}

fn check(a: &Analysis, out: &mut Vec<Finding>) {
    for (_, o, spec) in policies(a) {
        if spec.action == AuthzAction::Custom {
            continue;
        }
        let Some(rules) = &spec.rules else { continue };
        let mut missing: Option<(Vec<String>, bool)> = None;
        for (i, rule) in rules.iter().enumerate() {
            let fields = jwt_fields(rule, &format!("spec.rules[{i}]"));
            if fields.is_empty() {
                continue;
            }
            let (without, any_workload) = missing.get_or_insert_with(|| {
                let ws = policy_workloads(a, o, spec);
                let without: BTreeSet<String> = ws
                    .iter()
                    .filter(|&&w| !validates_tokens(a, w))
                    .map(|&w| a.inv.workloads[w].id())
                    .collect();
                (without.into_iter().collect(), !ws.is_empty())
            });
            let target = if *any_workload {
                if without.is_empty() {
                    continue;
                }
                format!(
                    "no RequestAuthentication applies to {}",
                    list_text(without.iter())
                )
            } else {
                if any_token_validation_for(a, o.namespace()) {
                    continue;
                }
                format!(
                    "no RequestAuthentication exists in namespace {} or the root namespace",
                    o.namespace()
                )
            };
            for (path, name, pol) in fields {
                let effect = match (spec.action, pol) {
                    (AuthzAction::Allow, Polarity::Positive) => {
                        "never matches and this rule never allows anything".to_owned()
                    }
                    (AuthzAction::Allow, Polarity::Negative) => {
                        "always holds and restricts nothing".to_owned()
                    }
                    (AuthzAction::Deny, Polarity::Positive) => {
                        "never matches and this rule never denies anything".to_owned()
                    }
                    (AuthzAction::Deny, Polarity::Negative) => {
                        "always holds and this rule denies every request it otherwise matches, even with a valid token".to_owned()
                    }
                    _ => "never sees a token".to_owned(),
                };
                out.push(
                    Finding::new(
                        &RULE,
                        format!(
                            "{name} needs a validated JWT, but {target}: the request principal and claims are always empty, so {name} {effect}"
                        ),
                    )
                    .on(o, &path)
                    .help("add a RequestAuthentication with the token's issuer and JWKS selecting the same workloads"),
                );
            }
        }
    }
}
