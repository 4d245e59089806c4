//! `authz-invalid`: AuthorizationPolicies that Istio's validating webhook rejects, reported at
//! the offending field. The checks live in [`crate::model::validation`].

use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::resolve::decisions::Decisions;
use crate::resolve::rejected::not_applied;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports AuthorizationPolicies that Istio's validating webhook rejects even though they
    /// match the CRD schema:
    /// - `action: CUSTOM` without `rules`, or without `provider.name`; `provider` with any
    ///   other action;
    /// - `action: DENY` without `rules` (an ALLOW policy without rules is valid: it allows
    ///   nothing);
    /// - `from: []`, `to: []`, a `from` entry without `source`, a `to` entry without
    ///   `operation`, an empty `source` or `operation`;
    /// - empty strings in value lists, `ipBlocks`/`remoteIpBlocks` (and `not*`) that are not an
    ///   IP or CIDR, `ports` that are not numbers up to 65535, unsupported path templates;
    /// - `serviceAccounts` together with `principals` or `namespaces`, wildcards in
    ///   `serviceAccounts`, more than 16 of them;
    /// - `when` conditions with an unknown or retired key, a malformed `request.headers[…]` /
    ///   `request.auth.claims[…]` key, neither `values` nor `notValues`, or bad IPs/ports;
    /// - identity fields and `request.auth.*` keys under `action: CUSTOM`;
    /// - `selector` together with `targetRef`/`targetRefs`, a `targetRef` without name, with a
    ///   namespace or of a kind that cannot be targeted;
    /// - the `istio.io/dry-run` annotation on a CUSTOM or AUDIT policy, or with a value that is
    ///   not a boolean.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` fails, so the policy is not in the cluster: a DENY policy you rely on
    /// does not protect anything, and an ALLOW policy you expect to open access does not.
    /// meshlint leaves the rejected policy out of its analysis.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: deny-bad-ips, namespace: foo}
    /// spec:
    ///   action: DENY
    ///   rules:
    ///   - from:
    ///     - source:
    ///         ipBlocks: ["10.0.0.*"]   # not an IP or CIDR
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   action: DENY
    ///   rules:
    ///   - from:
    ///     - source:
    ///         ipBlocks: ["10.0.0.0/24"]
    /// ```
    ///
    /// ## References
    /// - istioctl IST0106 (SchemaValidationError)
    /// - Istio `pkg/config/validation/validation.go` (`ValidateAuthorizationPolicy`) and
    ///   `pkg/config/security/security.go` (`ValidateIPs`, `ValidatePorts`, `ValidateAttribute`)
    /// - https://istio.io/latest/docs/reference/config/security/conditions/
    pub static RULE = {
        code: "ML0102",
        name: "authz-invalid",
        severity: Error,
        category: Schema,
        default_enabled: true,
        istio: ["IST0106"],
        kiali: [],
        summary: "authorization policy that Istio's validating webhook rejects",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for r in a.rejected.iter().filter(|r| !r.unserved) {
        let o = &a.inv.objects[r.object];
        if o.kind != Kind::AuthorizationPolicy {
            continue;
        }
        // The first finding of the object says what its absence means.
        let mut missing = Some(not_applied(&r.spec));
        for v in &r.violations {
            let message = match missing.take() {
                Some(m) => format!("{}; {m}", v.message),
                None => v.message.clone(),
            };
            out.push(
                Finding::new(&RULE, message)
                    .on(o, &v.path)
                    .help(v.help.clone()),
            );
        }
    }
}
