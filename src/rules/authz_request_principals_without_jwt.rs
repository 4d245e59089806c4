//! `authz-request-principals-without-jwt`: AuthorizationPolicy rules that match on the JWT
//! (`requestPrincipals`, `notRequestPrincipals`, `when` keys `request.auth.*`) on workloads
//! that no RequestAuthentication (or, up to Istio 1.5, no v1alpha1 Policy with `origins`)
//! applies to, so no token is ever validated and the request principal is always empty
//! (research/authz-semantics.md §5, §8, §12, §14.5).

use std::collections::BTreeSet;

use crate::diagnostic::Finding;
use crate::model::istio::security::AuthzAction;
use crate::resolve::authn::{any_token_validation_for, validates_tokens};
use crate::resolve::authz::{Polarity, jwt_fields};
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::rules::support::authz::{policies, policy_workloads};
use crate::rules::support::list_text;

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

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
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
