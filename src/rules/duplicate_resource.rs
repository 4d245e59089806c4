//! `duplicate-resource`: the same object given twice; the later definition wins, as with
//! `kubectl apply`, and the earlier one is reported so nobody edits the dead copy.

use crate::diagnostic::{Finding, Related};
use crate::input::load::IssueKind;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports an object (same kind, namespace and name) defined more than once in the inputs.
    /// meshlint keeps the later definition, as `kubectl apply` of the same files would.
    ///
    /// ## Why is this bad?
    /// Only one of the two definitions reaches the cluster. Edits to the other have no effect,
    /// and which one wins depends on the order the files are applied in.
    ///
    /// ## Example
    /// Two files both defining `PeerAuthentication foo/default`.
    ///
    /// ## Use instead
    /// Keep one definition per object.
    pub static RULE = {
        code: "ML0103",
        name: "duplicate-resource",
        severity: Info,
        category: Hygiene,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "object defined more than once; the later definition wins",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for issue in a.issues.iter().filter(|i| i.kind == IssueKind::Duplicate) {
        let mut f = Finding::new(&RULE, issue.message.clone()).at(issue.location.clone());
        if let Some(r) = &issue.resource {
            f = f.resource(r.clone());
        }
        if let Some(earlier) = &issue.related {
            f.related.push(Related {
                resource: issue.resource.clone(),
                location: earlier.clone(),
                message: "earlier definition, replaced".to_owned(),
            });
        }
        out.push(f);
    }
}
