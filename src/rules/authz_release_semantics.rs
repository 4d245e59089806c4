//! `authz-release-semantics`: AuthorizationPolicy fields that the chosen Istio patch release
//! accepts but enforces otherwise than they read (issue 10). The cases live in
//! `resolve::authz::differences`, rows of the version table.

use crate::diagnostic::Finding;
use crate::resolve::authz::differences;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::rules::support::authz::policies;

declare_rule! {
    /// ## What it does
    /// Reports AuthorizationPolicy fields that the chosen Istio release accepts but enforces
    /// otherwise than they read:
    ///
    /// - `trustDomains` / `notTrustDomains` beside other source fields in Istio 1.30.0 and
    ///   1.30.1: accepted, ignored (enforced from 1.30.2);
    /// - a `when` condition on `source.trustDomain` in 1.30.0 and 1.30.1: the whole rule is
    ///   skipped;
    /// - `serviceAccounts` values with regex metacharacters (`.`) before 1.27.9, 1.28.6 and
    ///   1.29.2, and `*suffix` principals or `namespaces` with them before 1.28.7 and 1.29.3:
    ///   istiod put them into regexes unquoted, so they match more identities than written.
    ///
    /// Give the patch release with `--istio-version 1.30.1` (a minor alone means its newest
    /// patch, which has every fix).
    ///
    /// ## Why is this bad?
    /// The policy reads as one thing and the mesh does another: a DENY that excepts a trust
    /// domain denies it too, an ALLOW on a trust domain never matches, and `my.sa` also admits
    /// `myXsa` (CVE-2026-39350).
    ///
    /// ## Example
    /// ```yaml
    /// # Istio 1.29.1
    /// rules:
    /// - from:
    ///   - source:
    ///       serviceAccounts: ["foo/api.reader"]   # also matches foo/apiXreader
    /// ```
    ///
    /// ## Use instead
    /// Upgrade to a release with the fix (1.29.2, 1.28.6, 1.27.9; 1.30.2 for trust domains), or
    /// write the identity as an exact `principals` entry.
    ///
    /// ## References
    /// - istio/istio releasenotes/notes/add-trust-domains-to-authz-policy.yaml (1.30.2),
    ///   59700.yaml (1.29.2), 59992.yaml (1.29.3)
    /// - ISTIO-SECURITY-2026-003
    pub static RULE = {
        code: "ML0312",
        name: "authz-release-semantics",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "authorization policy field the chosen release enforces otherwise than it reads",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for (_, o, spec) in policies(a) {
        for d in differences(a, spec) {
            out.push(Finding::new(&RULE, d.message).on(o, &d.path).help(
                "give the patch release you run (--istio-version 1.30.1); upgrade to a release with the fix, or write the identity exactly",
            ));
        }
    }
}
