//! `jwt-token-optional`: RequestAuthentications on workloads where no AuthorizationPolicy
//! requires a token, so requests without one pass (research/authz-semantics.md §8: a missing
//! token is not rejected by RequestAuthentication alone; only invalid tokens get 401).

use std::collections::BTreeSet;

use crate::diagnostic::Finding;
use crate::facts::proxy::ProxyKind;
use crate::model::istio::security::{AuthorizationPolicySpec, AuthzAction};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz;
use crate::resolve::authz::jwt_fields;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::rules::support::authz::{dry_run, policies};
use crate::rules::support::list_text;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// For every RequestAuthentication, looks at the workloads it applies to and reports those
    /// where no enforced ALLOW or DENY AuthorizationPolicy uses the token: no
    /// `requestPrincipals`/`notRequestPrincipals` and no `request.auth.*` condition. When the
    /// inputs hold no workload for it, it is reported if no such policy exists in its namespace
    /// or the root namespace.
    ///
    /// ## Why is this bad?
    /// A RequestAuthentication only says which tokens are *valid*: a request with an invalid
    /// or expired token gets 401, but a request **without** a token passes with an empty
    /// principal. Unless an AuthorizationPolicy requires a principal, the API is open to
    /// anonymous callers — which is rarely what adding JWT authentication was meant to do.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: RequestAuthentication
    /// metadata: {name: jwt-example, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: httpbin}}
    ///   jwtRules:
    ///   - issuer: testing@secure.istio.io
    ///     jwksUri: https://example.com/jwks.json
    /// ```
    ///
    /// ## Use instead
    /// Add a policy that requires a token:
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: require-jwt, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: httpbin}}
    ///   action: DENY
    ///   rules:
    ///   - from:
    ///     - source: {notRequestPrincipals: ["*"]}
    /// ```
    /// If anonymous access is intended for some paths, add `to.operation.notPaths` to that
    /// rule.
    ///
    /// ## References
    /// - istio.io task "Authentication policy", "Require a valid token" (`notRequestPrincipals`)
    /// - `RequestAuthentication` reference: "A request that does not contain any authentication
    ///   credentials will be accepted but will not have any authenticated identity"
    pub static RULE = {
        code: "ML0309",
        name: "jwt-token-optional",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "a RequestAuthentication that nothing requires: requests without a token pass",
        check: check,
    }
}

/// Whether an enforced ALLOW/DENY policy uses the JWT identity in some rule.
fn requires_token(spec: &AuthorizationPolicySpec) -> bool {
    matches!(spec.action, AuthzAction::Allow | AuthzAction::Deny)
        && spec
            .rules
            .iter()
            .flatten()
            .enumerate()
            .any(|(i, r)| !jwt_fields(r, &format!("spec.rules[{i}]")).is_empty())
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if !a.profile.has(Behaviour::PeerAuthentication) {
        return;
    }
    let root = a.inv.root_namespace();
    for (_, o) in a.inv.of_kind(Kind::RequestAuthentication) {
        let Body::RequestAuthentication(spec) = &o.body else {
            continue;
        };
        if spec.jwt_rules.is_empty() {
            continue;
        }
        let workloads: Vec<usize> = authz::selected_workloads(
            a,
            o.namespace(),
            spec.selector.as_ref(),
            spec.target_ref.as_ref(),
            &spec.target_refs,
        )
        .into_iter()
        .filter(|&w| matches!(a.proxies[w].kind, ProxyKind::Sidecar | ProxyKind::Gateway))
        .collect();
        let issuers = list_text(spec.jwt_rules.iter().map(|r| {
            if r.issuer.is_empty() {
                "any issuer (keys of its jwksUri)"
            } else {
                r.issuer.as_str()
            }
        }));
        let target = if workloads.is_empty() {
            let required = policies(a).any(|(_, p, s)| {
                !dry_run(p)
                    && (p.namespace() == o.namespace() || p.namespace() == root)
                    && requires_token(s)
            });
            if required {
                continue;
            }
            format!(
                "no AuthorizationPolicy in namespace {} or the root namespace uses requestPrincipals or request.auth claims",
                o.namespace()
            )
        } else {
            let open: BTreeSet<String> = workloads
                .iter()
                .filter(|&&w| {
                    !a.authorization_policies(w).iter().any(|&j| {
                        let p = &a.inv.objects[j];
                        !dry_run(p)
                            && matches!(&p.body, Body::AuthorizationPolicy(s) if requires_token(s))
                    })
                })
                .map(|&w| a.inv.workloads[w].id())
                .collect();
            if open.is_empty() {
                continue;
            }
            format!(
                "no AuthorizationPolicy on {} uses requestPrincipals or request.auth claims",
                list_text(&open)
            )
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "tokens from {issuers} are validated but not required: {target}, so requests without a token pass (only invalid tokens get 401)"
                ),
            )
            .on(o, "spec.jwtRules")
            .help("add an AuthorizationPolicy with action DENY and `from: [{source: {notRequestPrincipals: [\"*\"]}}]` selecting the same workloads (or an ALLOW policy with `requestPrincipals`)"),
        );
    }
}
