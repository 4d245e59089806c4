//! `namespace-injection-labels-conflict`: a namespace carrying more than one kind of mesh
//! enrollment label — `istio-injection`, `istio.io/rev`, `istio.io/dataplane-mode=ambient` —
//! where only one of them takes effect (research/istio-semantics.md §9, §10; istioctl IST0123).

use crate::diagnostic::Finding;
use crate::facts::proxy::{DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL};
use crate::model::kind::Kind;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports a Namespace with more than one kind of injection label:
    /// - `istio-injection` together with `istio.io/rev` (from Istio 1.6);
    /// - `istio-injection=enabled` or `istio.io/rev` together with
    ///   `istio.io/dataplane-mode=ambient` (from Istio 1.18).
    ///
    /// `istio-injection=disabled` next to another label is not reported: it deliberately keeps
    /// sidecars out, and the webhook honours it.
    ///
    /// ## Why is this bad?
    /// Only one label takes effect, and it is easy to believe it is the other one:
    /// - with both `istio-injection` and `istio.io/rev`, `istio-injection` wins — the revision
    ///   webhook requires `istio-injection` to be absent — so pods get the default revision's
    ///   sidecar, not the one `istio.io/rev` names; a canary upgrade that relabels the namespace
    ///   silently keeps the old control plane;
    /// - with a sidecar label and ambient mode, pods get a sidecar and ztunnel leaves pods with
    ///   sidecars alone, so the namespace is not ambient at all.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: busted
    ///   labels:
    ///     istio-injection: enabled
    ///     istio.io/rev: canary
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: busted
    ///   labels:
    ///     istio.io/rev: canary
    /// ```
    ///
    /// ## References
    /// - istioctl IST0123 NamespaceMultipleInjectionLabels (`pkg/config/analysis/analyzers/injection/injection.go`)
    /// - <https://istio.io/latest/docs/setup/upgrade/canary/>
    pub static RULE = {
        code: "ML0402",
        name: "namespace-injection-labels-conflict",
        severity: Warning,
        category: Membership,
        default_enabled: true,
        istio: ["IST0123"],
        kiali: [],
        summary: "namespace has more than one kind of injection label; only one takes effect",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let revisions = a.profile.has(Behaviour::RevisionLabels);
    let ambient = a.profile.has(Behaviour::Ambient);
    for (_, obj) in a.inv.of_kind(Kind::Namespace) {
        let ns = obj.name();
        let labels = obj.labels();
        let injection = labels.get(INJECTION_LABEL);
        // `istio-injection=disabled` (or any other value) overrides the rest on purpose.
        if injection.is_some_and(|v| v != "enabled") {
            continue;
        }
        let revision = labels.get(REVISION_LABEL).filter(|_| revisions);
        let is_ambient = ambient && labels.get(DATAPLANE_MODE_LABEL) == Some("ambient");
        let mut found = Vec::new();
        if let Some(v) = injection {
            found.push(format!("{INJECTION_LABEL}={v}"));
        }
        if let Some(rev) = revision {
            found.push(format!("{REVISION_LABEL}={rev}"));
        }
        if is_ambient {
            found.push(format!("{DATAPLANE_MODE_LABEL}=ambient"));
        }
        if found.len() < 2 {
            continue;
        }
        // What actually happens, and which label is the dead one to point at.
        let (effect, dead, fix) = match (injection, revision) {
            (Some(_), Some(rev)) => (
                format!(
                    "istio-injection wins: pods get the default revision's sidecar, not revision {rev}"
                ),
                REVISION_LABEL,
                format!(
                    "keep one: `kubectl label namespace {ns} istio.io/rev-` to use the default revision, or `kubectl label namespace {ns} istio-injection-` to use revision {rev}"
                ),
            ),
            (Some(_), None) => (
                "pods get a sidecar, and ztunnel does not capture pods with sidecars, so the namespace is not ambient".to_owned(),
                DATAPLANE_MODE_LABEL,
                format!(
                    "keep one: `kubectl label namespace {ns} istio-injection-` for ambient mode, or `kubectl label namespace {ns} istio.io/dataplane-mode-` for sidecars"
                ),
            ),
            (None, rev) => (
                format!(
                    "pods get revision {}'s sidecar, and ztunnel does not capture pods with sidecars, so the namespace is not ambient",
                    rev.unwrap_or("")
                ),
                DATAPLANE_MODE_LABEL,
                format!(
                    "keep one: `kubectl label namespace {ns} istio.io/rev-` for ambient mode, or `kubectl label namespace {ns} istio.io/dataplane-mode-` for sidecars"
                ),
            ),
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "namespace {ns} has more than one kind of injection label ({}); {effect}",
                    found.join(", ")
                ),
            )
            .on(obj, &format!("metadata.labels[\"{dead}\"]"))
            .help(fix),
        );
    }
}
