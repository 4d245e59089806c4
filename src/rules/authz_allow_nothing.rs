//! `authz-allow-nothing`: ALLOW AuthorizationPolicies without rules (`spec: {}` and the like),
//! which allow nothing and so deny every request to the selected workloads that no other ALLOW
//! policy matches (research/authz-semantics.md §3 "Special shapes").
//!
//! Informational: "allow-nothing" is the documented way to start from deny-by-default, but it
//! is easy to apply by accident (a selector-less `spec: {}` in the root namespace shuts the whole
//! mesh). The finding says which workloads it covers and whether other ALLOW policies there
//! open anything again.

use crate::diagnostic::Finding;
use crate::model::istio::security::AuthzAction;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::rules::support::authz::{dry_run, policies, policy_workloads};
use crate::rules::support::list_text;

declare_rule! {
    /// ## What it does
    /// Reports ALLOW AuthorizationPolicies that have no `rules` (or `rules: []`): `spec: {}`,
    /// or a policy with only a selector. It says which workloads the policy covers (every
    /// workload of the namespace, of the mesh for the root namespace, or those the selector
    /// matches) and which other ALLOW policies on them still let requests through.
    ///
    /// ## Why is this bad?
    /// It may not be. An ALLOW policy without rules can never match, and because an ALLOW
    /// policy exists, every request that no other ALLOW policy matches is denied with 403
    /// (TCP connections are closed). That is the "allow-nothing" pattern istio.io recommends
    /// as a deny-by-default baseline — but written by mistake (an ALLOW policy whose `rules`
    /// were forgotten, or a selector-less `spec: {}` in the root namespace) it takes the
    /// selected workloads, or the whole mesh, offline.
    ///
    /// Note the difference with `rules: [{}]`: one empty rule matches every request
    /// ("allow-all").
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: allow-nothing, namespace: foo}
    /// spec: {}
    /// ```
    ///
    /// ## Use instead
    /// Keep it, and add ALLOW policies for the traffic that must get through:
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: allow-frontend, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: backend}}
    ///   rules:
    ///   - from:
    ///     - source: {principals: ["cluster.local/ns/foo/sa/frontend"]}
    /// ```
    /// or use `rules: [{}]` if the intent was to allow everything.
    ///
    /// ## References
    /// - `AuthorizationPolicy` reference, "allow-nothing" and "allow-all" examples
    /// - istio.io "Security best practices": "Use default-deny patterns"
    /// - istio/istio `pilot/pkg/security/authz/builder/builder.go` (`rbacPolicyMatchNever`)
    pub static RULE = {
        code: "ML0306",
        name: "authz-allow-nothing",
        severity: Info,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "an ALLOW policy without rules denies every request it covers",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let root = a.inv.root_namespace();
    for (i, o, spec) in policies(a) {
        if spec.action != AuthzAction::Allow || spec.rules.as_ref().is_some_and(|r| !r.is_empty()) {
            continue;
        }
        let ns = o.namespace();
        let has_refs = spec.target_ref.is_some() || !spec.target_refs.is_empty();
        let labels = spec
            .selector
            .as_ref()
            .map(|s| &s.match_labels)
            .filter(|l| !l.is_empty());
        let scope = match (has_refs, labels) {
            (true, _) => "the targeted gateways or services".to_owned(),
            (false, Some(l)) => {
                let sel = l
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(",");
                if ns == root {
                    format!("workloads labelled {sel} in every namespace")
                } else {
                    format!("workloads labelled {sel} in namespace {ns}")
                }
            }
            (false, None) if ns == root => "every workload of the mesh".to_owned(),
            (false, None) => format!("every workload of namespace {ns}"),
        };
        let workloads = policy_workloads(a, o, spec);
        let mut others: Vec<String> = Vec::new();
        for &w in &workloads {
            for &j in a.authorization_policies(w) {
                if j == i || others.contains(&a.inv.objects[j].qualified_name()) {
                    continue;
                }
                let other = &a.inv.objects[j];
                if let Body::AuthorizationPolicy(s) = &other.body
                    && s.action == AuthzAction::Allow
                    && s.rules.as_ref().is_some_and(|r| !r.is_empty())
                    && !dry_run(other)
                {
                    others.push(other.qualified_name());
                }
            }
        }
        let count = if workloads.is_empty() {
            String::new()
        } else {
            format!(
                " ({} workload{} in the inputs)",
                workloads.len(),
                if workloads.len() == 1 { "" } else { "s" }
            )
        };
        let tail = if others.is_empty() {
            "no other ALLOW policy on them allows anything".to_owned()
        } else {
            format!(
                "only what {} allow{} gets through",
                list_text(&others),
                if others.len() == 1 { "s" } else { "" }
            )
        };
        let dry = if dry_run(o) {
            " (dry-run: only logged, not enforced)"
        } else {
            ""
        };
        let message = format!(
            "this ALLOW policy has no rules and allows nothing: every request to {scope}{count} is denied with 403{dry}; {tail}"
        );
        let field = if spec.rules.is_some() {
            "spec.rules"
        } else {
            "spec"
        };
        out.push(
            Finding::new(&RULE, message).on(o, field).help(
                "if deny-by-default is intended, add ALLOW policies for the traffic that must pass; to allow everything use `rules: [{}]`",
            ),
        );
    }
}
