//! `rbac-reference-not-found`: the legacy RBAC resources (rbac.istio.io/v1alpha1, Istio ≤ 1.5)
//! naming what does not exist — a ServiceRole `services` entry that matches no Service, a
//! ServiceRoleBinding `roleRef` to no ServiceRole (istioctl 1.5 `auth.ServiceRoleServicesAnalyzer`
//! and `auth.ServiceRoleBindingAnalyzer`, IST0101; research/istioctl.md §3.4).

use std::collections::BTreeSet;

use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz::match_string;
use crate::resolve::client_tls::DNS_DOMAIN;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// For Istio versions that serve rbac.istio.io/v1alpha1 (up to 1.5), reports:
    ///
    /// - a ServiceRole `rules[].services` entry (short name, FQDN, `.ns.svc.cluster.local` for a
    ///   whole namespace, or a prefix/suffix pattern) that matches no Service of the role's own
    ///   namespace, when the inputs hold Services at all;
    /// - a ServiceRoleBinding whose `roleRef` names a ServiceRole that is not in its namespace,
    ///   when the inputs hold ServiceRoles at all (a binding without `roleRef` is not reported).
    ///
    /// ## Why is this bad?
    /// A role for a service that does not exist grants nothing, and a binding to a missing role
    /// binds nothing: the subjects it was written for are denied, with no error anywhere.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: rbac.istio.io/v1alpha1
    /// kind: ServiceRoleBinding
    /// metadata: {name: test-bogus-binding, namespace: default}
    /// spec:
    ///   roleRef: {kind: ServiceRole, name: bogus-service-role}
    ///   subjects:
    ///   - user: cluster.local/ns/default/sa/bookinfo-productpage
    /// ```
    ///
    /// ## Use instead
    /// Name an existing ServiceRole (or Service), or migrate to AuthorizationPolicy (Istio 1.4+).
    ///
    /// ## References
    /// - istioctl IST0101 ReferencedResourceNotFound, 1.5 `galley/pkg/config/analysis/analyzers/auth/serviceroles.go`
    ///   and `servicerolebindings.go`
    /// - research/istioctl.md §3.4, research/authz-semantics.md §13
    pub static RULE = {
        code: "ML0310",
        name: "rbac-reference-not-found",
        severity: Error,
        category: Authz,
        default_enabled: true,
        istio: ["IST0101"],
        kiali: [],
        summary: "legacy ServiceRole service or ServiceRoleBinding role that does not exist",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if !a.profile.has(Behaviour::RbacV1alpha1) {
        return;
    }
    let hosts: Vec<String> = a
        .inv
        .services
        .iter()
        .filter(|s| s.object.is_some())
        .map(|s| s.fqdn(DNS_DOMAIN))
        .collect();
    let roles: BTreeSet<(&str, &str)> = a
        .inv
        .of_kind(Kind::ServiceRole)
        .filter(|(_, o)| matches!(o.body, Body::ServiceRole(_)))
        .map(|(_, o)| (o.namespace(), o.name()))
        .collect();
    // Only inputs that hold Services can show one missing (issue 13: policies-only inputs).
    let shows = !hosts.is_empty();
    for (_, o) in a.inv.of_kind(Kind::ServiceRole) {
        let Body::ServiceRole(spec) = &o.body else {
            continue;
        };
        let ns = o.namespace();
        // A role grants access to the Services of its own namespace only.
        let suffix = format!(".{ns}.svc.{DNS_DOMAIN}");
        let own: Vec<&String> = hosts.iter().filter(|h| h.ends_with(&suffix)).collect();
        for (r, rule) in spec.rules.iter().enumerate() {
            for (k, entry) in rule.services.iter().enumerate() {
                if entry == "*" || !shows {
                    continue;
                }
                let found = if entry.starts_with('.') {
                    // `.ns.svc.cluster.local`: every Service of that namespace.
                    own.iter().any(|h| h.ends_with(entry.as_str()))
                } else if entry.contains('*') {
                    own.iter().any(|h| match_string(entry, h))
                } else if entry.contains('.') {
                    own.contains(&entry)
                } else {
                    own.iter().any(|h| **h == format!("{entry}{suffix}"))
                };
                if found {
                    continue;
                }
                out.push(
                    Finding::new(
                        &RULE,
                        format!(
                            "service {entry:?} in rules[{r}].services matches no Service of namespace {ns}"
                        ),
                    )
                    .on(o, &format!("spec.rules[{r}].services[{k}]"))
                    .codes(&["IST0101"], &[]),
                );
            }
        }
    }
    // Without any ServiceRole in the inputs, a binding's role may simply live elsewhere.
    if roles.is_empty() {
        return;
    }
    for (_, o) in a.inv.of_kind(Kind::ServiceRoleBinding) {
        let Body::ServiceRoleBinding(spec) = &o.body else {
            continue;
        };
        let name = spec.role_ref.name.as_str();
        if name.is_empty() || roles.contains(&(o.namespace(), name)) {
            continue;
        }
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "roleRef names ServiceRole {}/{name}, which is not in the inputs",
                    o.namespace()
                ),
            )
            .on(o, "spec.roleRef.name")
            .codes(&["IST0101"], &[]),
        );
    }
}
