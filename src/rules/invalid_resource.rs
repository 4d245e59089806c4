//! `invalid-resource`: inputs that Kubernetes or Istio would reject, reported where they are
//! wrong instead of aborting the run.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::input::load::IssueKind;
use crate::model::kind::Kind;
use crate::resolve::decisions::Decisions;
use crate::resolve::rejected::not_applied;
use crate::rules::declare_rule;
use crate::source::Location;

declare_rule! {
    /// ## What it does
    /// Reports documents that cannot be read or that the Kubernetes API server or Istio's
    /// validating webhook would reject: YAML/JSON syntax errors, files that are not text,
    /// documents without `apiVersion`/`kind`, unknown API versions, unknown fields, wrong
    /// types and bad enum values in Istio resources, and the webhook's own checks on
    /// PeerAuthentication, RequestAuthentication, DestinationRule and v1alpha1 Policy (for
    /// example `portLevelMtls` without a `selector` or with a port outside 1..65535, a
    /// RequestAuthentication rule without `issuer`, an inline JWKS that does not parse, a
    /// `jwksUri` that is not http(s), `selector` together with `targetRef`, a DestinationRule
    /// without `host`, MUTUAL TLS without client certificate, duplicate subset names, a
    /// v1alpha1 `peers` entry with both `mtls` and `jwt`). AuthorizationPolicy webhook checks
    /// are reported by `authz-invalid`.
    ///
    /// ## Why is this bad?
    /// `kubectl apply` fails on such a document, so the policy you think protects the mesh is
    /// not there. A misspelt field in a PeerAuthentication is dropped by nothing: the webhook
    /// rejects the whole object. meshlint leaves the rejected object out of its analysis.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: default, namespace: foo}
    /// spec:
    ///   mtls:
    ///     mode: STRICTT   # not a mode
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   mtls:
    ///     mode: STRICT
    /// ```
    ///
    /// ## References
    /// - istioctl IST0106 (SchemaValidationError)
    /// - Istio `pkg/config/validation/validation.go` (`ValidatePeerAuthentication`,
    ///   `ValidateRequestAuthentication`, `ValidateDestinationRule`) and
    ///   `pkg/config/validation/agent/validation.go` (`ValidateTLS`)
    pub static RULE = {
        code: "ML0101",
        name: "invalid-resource",
        severity: Error,
        category: Schema,
        default_enabled: true,
        istio: ["IST0106"],
        kiali: [],
        summary: "document that Kubernetes or Istio's webhook would reject",
        check: check,
    }
}

/// Whether a load issue is a read or parse error: the input could not be read as text or YAML.
fn is_read_error(kind: IssueKind) -> bool {
    matches!(kind, IssueKind::Syntax | IssueKind::Unreadable)
}

/// The read and parse errors alone, for runs that do not select this rule: they count anyway.
pub(crate) fn read_errors(a: &Analysis) -> Vec<Finding> {
    a.issues
        .iter()
        .filter(|i| is_read_error(i.kind))
        .map(|issue| {
            Finding::new(&RULE, issue.message.clone())
                .at(issue.location.clone())
                .unconditional()
        })
        .collect()
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for issue in a.issues.iter().filter(|i| i.kind != IssueKind::Duplicate) {
        let mut f = Finding::new(&RULE, issue.message.clone()).at(issue.location.clone());
        if let Some(r) = &issue.resource {
            f = f.resource(r.clone());
        }
        if is_read_error(issue.kind) {
            f = f.unconditional();
        }
        // Neither stops Kubernetes from taking the rest: warnings, not errors.
        if matches!(issue.kind, IssueKind::DuplicateKey | IssueKind::NotListed) {
            f = f.severity(crate::diagnostic::Severity::Warning);
        }
        out.push(f);
    }
    for (i, pos, message) in &a.inv.mesh_errors {
        let o = &a.inv.objects[*i];
        out.push(
            Finding::new(&RULE, message.clone())
                .resource(o.reference())
                .at(Location {
                    file: o.origin.file.clone(),
                    pos: *pos,
                    field: "data.mesh".to_owned(),
                }),
        );
    }
    for r in a.rejected.iter().filter(|r| !r.unserved) {
        let o = &a.inv.objects[r.object];
        if o.kind == Kind::AuthorizationPolicy {
            continue; // authz-invalid
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
