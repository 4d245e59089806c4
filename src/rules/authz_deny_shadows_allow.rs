//! `authz-deny-shadows-allow`: ALLOW rules that can never allow anything because a DENY rule
//! applying to the same workloads matches every request they match (DENY runs first,
//! research/authz-semantics.md §3).
//!
//! The containment check is sound and conservative: the DENY rule must be implied by the ALLOW
//! rule field by field (§4 boolean structure) — every `from`/`to` alternative of the ALLOW rule
//! implies some alternative of the DENY rule, each populated DENY field is implied by the same
//! field of the ALLOW rule (its values covered by DENY values: equal, `*`, or a wider
//! prefix/suffix; its `not*` values covering the DENY `not*` values), and each DENY `when`
//! condition is implied by an ALLOW condition on the same key. Anything it cannot prove is not
//! reported. Scope: the DENY policy must apply to every workload the ALLOW policy applies to
//! (by selector containment, or — when the inputs hold workloads — by resolution).

use crate::diagnostic::Finding;
use crate::model::istio::security::{
    AuthorizationPolicySpec, AuthzAction, Condition, Operation, Rule, Source,
};
use crate::model::resource::Object;
use crate::resolve::authz;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::rules::support::authz::{dry_run, policies, policy_workloads};

declare_rule! {
    /// ## What it does
    /// For every rule of an ALLOW AuthorizationPolicy, looks for a rule of a DENY policy that
    /// applies to the same workloads (the DENY policy's scope contains the ALLOW policy's) and
    /// matches every request the ALLOW rule matches: a DENY rule `{}` (deny-all), or one whose
    /// conditions are all implied by the ALLOW rule's — e.g. DENY `methods: [DELETE]` against
    /// ALLOW `methods: [DELETE]` from some principals. Dry-run policies are ignored.
    ///
    /// The check only reports what it can prove; a DENY rule that covers the ALLOW rule through
    /// a combination of several rules, or through path templates, is not found.
    ///
    /// ## Why is this bad?
    /// DENY policies are evaluated before ALLOW policies: whatever the ALLOW rule was written
    /// to permit is rejected with 403 before it is looked at. The ALLOW rule is dead code,
    /// and the traffic its author meant to open is blocked — or the DENY rule is broader than
    /// intended.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: no-delete, namespace: foo}
    /// spec:
    ///   action: DENY
    ///   rules:
    ///   - to: [{operation: {methods: [DELETE]}}]
    /// ---
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: admin-delete, namespace: foo}
    /// spec:
    ///   selector: {matchLabels: {app: api}}
    ///   rules:
    ///   - from: [{source: {principals: ["cluster.local/ns/foo/sa/admin"]}}]
    ///     to: [{operation: {methods: [DELETE]}}]
    /// ```
    ///
    /// ## Use instead
    /// Exempt the allowed callers from the DENY rule:
    /// ```yaml
    /// spec:
    ///   action: DENY
    ///   rules:
    ///   - from: [{source: {notPrincipals: ["cluster.local/ns/foo/sa/admin"]}}]
    ///     to: [{operation: {methods: [DELETE]}}]
    /// ```
    ///
    /// ## References
    /// - `AuthorizationPolicy` reference, "the DENY policies are evaluated before ALLOW"
    /// - istio.io "Authorization policy" concepts, "Allow, deny and custom"
    pub static RULE = {
        code: "ML0307",
        name: "authz-deny-shadows-allow",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "an ALLOW rule that a DENY rule on the same workloads always overrides",
        check: check,
    }
}

/// Whether every string the pattern `a` matches is matched by the pattern `d` (§5 string
/// match: exact, `p*`, `*s`, `*`).
fn covers(d: &str, a: &str) -> bool {
    if d == a {
        return true;
    }
    if d == "*" {
        return !a.is_empty();
    }
    if let Some(p) = d.strip_suffix('*') {
        return match a.strip_suffix('*') {
            Some(q) => !a.starts_with('*') && q.starts_with(p),
            None => !a.starts_with('*') && a.starts_with(p),
        };
    }
    if let Some(s) = d.strip_prefix('*') {
        return match a.strip_prefix('*') {
            Some(t) => !a.ends_with('*') && t.ends_with(s),
            None => !a.ends_with('*') && a.ends_with(s),
        };
    }
    false
}

/// Whether `values`/`notValues` of the ALLOW side imply those of the DENY side for one field.
/// `cmp` is the value coverage for that field.
fn field_implies(
    a_vals: &[String],
    a_not: &[String],
    d_vals: &[String],
    d_not: &[String],
    cmp: &dyn Fn(&str, &str) -> bool,
) -> bool {
    let pos = d_vals.is_empty()
        || (!a_vals.is_empty() && a_vals.iter().all(|av| d_vals.iter().any(|dv| cmp(dv, av))));
    // Every value the DENY side excludes is excluded by the ALLOW side too.
    let neg = d_not.iter().all(|dn| a_not.iter().any(|an| cmp(an, dn)));
    pos && neg
}

fn string_cmp(d: &str, a: &str) -> bool {
    covers(d, a)
}

fn exact_cmp(d: &str, a: &str) -> bool {
    d.trim() == a.trim()
}

fn host_cmp(d: &str, a: &str) -> bool {
    covers(&d.to_ascii_lowercase(), &a.to_ascii_lowercase())
}

fn path_cmp(d: &str, a: &str) -> bool {
    if d.contains('{') || a.contains('{') {
        return d == a;
    }
    covers(d, a)
}

fn ip_cmp(d: &str, a: &str) -> bool {
    d == a || (!a.contains('/') && authz::ip_in(d, a))
}

fn source_implies(a: &Source, d: &Source) -> bool {
    field_implies(
        &a.principals,
        &a.not_principals,
        &d.principals,
        &d.not_principals,
        &string_cmp,
    ) && field_implies(
        &a.namespaces,
        &a.not_namespaces,
        &d.namespaces,
        &d.not_namespaces,
        &string_cmp,
    ) && field_implies(
        &a.service_accounts,
        &a.not_service_accounts,
        &d.service_accounts,
        &d.not_service_accounts,
        &exact_cmp,
    ) && field_implies(
        &a.trust_domains,
        &a.not_trust_domains,
        &d.trust_domains,
        &d.not_trust_domains,
        &exact_cmp,
    ) && field_implies(
        &a.request_principals,
        &a.not_request_principals,
        &d.request_principals,
        &d.not_request_principals,
        &string_cmp,
    ) && field_implies(
        &a.ip_blocks,
        &a.not_ip_blocks,
        &d.ip_blocks,
        &d.not_ip_blocks,
        &ip_cmp,
    ) && field_implies(
        &a.remote_ip_blocks,
        &a.not_remote_ip_blocks,
        &d.remote_ip_blocks,
        &d.not_remote_ip_blocks,
        &ip_cmp,
    )
}

fn operation_implies(a: &Operation, d: &Operation) -> bool {
    field_implies(&a.hosts, &a.not_hosts, &d.hosts, &d.not_hosts, &host_cmp)
        && field_implies(&a.ports, &a.not_ports, &d.ports, &d.not_ports, &exact_cmp)
        && field_implies(
            &a.methods,
            &a.not_methods,
            &d.methods,
            &d.not_methods,
            &string_cmp,
        )
        && field_implies(&a.paths, &a.not_paths, &d.paths, &d.not_paths, &path_cmp)
}

fn condition_implies(a: &Condition, d: &Condition) -> bool {
    let cmp: &dyn Fn(&str, &str) -> bool = match d.key.as_str() {
        "source.ip" | "remote.ip" | "destination.ip" => &ip_cmp,
        "destination.port" | "source.serviceAccount" => &exact_cmp,
        k if k.starts_with("experimental.") => &exact_cmp,
        _ => &string_cmp,
    };
    a.key == d.key && field_implies(&a.values, &a.not_values, &d.values, &d.not_values, cmp)
}

/// Whether every request matching the ALLOW rule `a` matches the DENY rule `d` (§4).
fn rule_implies(a: &Rule, d: &Rule) -> bool {
    let from = match (&a.from, &d.from) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(af), Some(df)) => {
            !af.is_empty()
                && af.iter().all(|x| {
                    df.iter().any(|y| match (&x.source, &y.source) {
                        (_, None) => true,
                        (None, Some(_)) => false,
                        (Some(s), Some(t)) => source_implies(s, t),
                    })
                })
        }
    };
    let to = match (&a.to, &d.to) {
        (_, None) => true,
        (None, Some(_)) => false,
        (Some(at), Some(dt)) => {
            !at.is_empty()
                && at.iter().all(|x| {
                    dt.iter().any(|y| match (&x.operation, &y.operation) {
                        (_, None) => true,
                        (None, Some(_)) => false,
                        (Some(s), Some(t)) => operation_implies(s, t),
                    })
                })
        }
    };
    let when = d
        .when
        .iter()
        .flatten()
        .all(|dc| a.when.iter().flatten().any(|ac| condition_implies(ac, dc)));
    from && to && when
}

/// Whether the DENY policy applies wherever the ALLOW policy does, from the policies alone.
fn scope_contains(
    root: &str,
    deny: (&Object, &AuthorizationPolicySpec),
    allow: (&Object, &AuthorizationPolicySpec),
) -> bool {
    let (d, ds) = deny;
    let (al, als) = allow;
    let refs = |s: &AuthorizationPolicySpec| s.target_ref.is_some() || !s.target_refs.is_empty();
    if refs(ds) || refs(als) {
        return false;
    }
    let labels = |s: &AuthorizationPolicySpec| {
        s.selector
            .as_ref()
            .map(|x| x.match_labels.clone())
            .unwrap_or_default()
    };
    let dl = labels(ds);
    let al_labels = labels(als);
    let ns_ok = d.namespace() == root || d.namespace() == al.namespace();
    ns_ok && dl.iter().all(|(k, v)| al_labels.get(k) == Some(v))
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let root = a.inv.root_namespace();
    let all: Vec<_> = policies(a).filter(|(_, o, _)| !dry_run(o)).collect();
    let denies: Vec<_> = all
        .iter()
        .filter(|(_, _, s)| s.action == AuthzAction::Deny)
        .collect();
    if denies.is_empty() {
        return;
    }
    // A DENY policy can only apply where the ALLOW policy does if it sits in the same
    // namespace or in the root namespace; the workloads each selects are computed once.
    let mut deny_workloads: Vec<Option<Vec<usize>>> = vec![None; denies.len()];
    let mut denies_in: std::collections::HashMap<&str, Vec<usize>> =
        std::collections::HashMap::new();
    for (d, (_, o, _)) in denies.iter().enumerate() {
        denies_in.entry(o.namespace()).or_default().push(d);
    }
    for (_, ao, aspec) in all
        .iter()
        .filter(|(_, _, s)| s.action == AuthzAction::Allow)
    {
        let Some(rules) = &aspec.rules else { continue };
        if rules.is_empty() {
            continue;
        }
        let mut candidates: Vec<usize> = [ao.namespace(), root]
            .iter()
            .flat_map(|ns| denies_in.get(ns).into_iter().flatten().copied())
            .collect();
        candidates.sort_unstable();
        candidates.dedup();
        if candidates.is_empty() {
            continue;
        }
        let mut allow_workloads: Option<Vec<usize>> = None;
        for (ri, rule) in rules.iter().enumerate() {
            'deny: for &d in &candidates {
                let (_, dobj, dspec) = denies[d];
                let mut covering = scope_contains(root, (dobj, dspec), (ao, aspec));
                if !covering {
                    let ws = allow_workloads.get_or_insert_with(|| policy_workloads(a, ao, aspec));
                    let dws =
                        deny_workloads[d].get_or_insert_with(|| policy_workloads(a, dobj, dspec));
                    covering = !ws.is_empty() && ws.iter().all(|w| dws.contains(w));
                }
                if !covering {
                    continue;
                }
                for (di, drule) in dspec.rules.iter().flatten().enumerate() {
                    if !rule_implies(rule, drule) {
                        continue;
                    }
                    let what = if *drule == Rule::default() {
                        "denies every request (deny-all)".to_owned()
                    } else {
                        "matches every request this rule matches".to_owned()
                    };
                    let message = format!(
                        "this ALLOW rule can never allow anything: DENY rule {} of {} {what}, and DENY is evaluated first",
                        authz::rule_name(dobj.namespace(), dobj.name(), di),
                        dobj.qualified_name(),
                    );
                    out.push(
                        Finding::new(&RULE, message)
                            .on(ao, &format!("spec.rules[{ri}]"))
                            .help("narrow the DENY rule (for example exempt these callers with `notPrincipals` or `notPaths`), or remove the ALLOW rule if the denial is intended")
                            .related(dobj, &format!("spec.rules[{di}]"), "the DENY rule that matches first"),
                    );
                    break 'deny;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::covers;

    #[test]
    fn pattern_coverage() {
        assert!(covers("*", "abc"));
        assert!(covers("*", "/api*"));
        assert!(covers("/api/*", "/api/users/*"));
        assert!(covers("/api/*", "/api/x"));
        assert!(!covers("/api/*", "/api"));
        assert!(!covers("/api/*", "*/x"));
        assert!(covers("*.txt", "/a.txt"));
        assert!(covers("*.txt", "*b.txt"));
        assert!(!covers("GET", "GE*"));
    }
}
