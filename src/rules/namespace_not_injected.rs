//! `namespace-not-injected`: a declared application namespace that says nothing about Istio:
//! no `istio-injection`, no `istio.io/rev`, no ambient enrollment. New pods there start without
//! a proxy (SPEC §3.1, research/istio-semantics.md §10; istioctl IST0102).

use crate::diagnostic::Finding;
use crate::facts::namespaces::is_platform_namespace;
use crate::facts::proxy::{DATAPLANE_MODE_LABEL, INJECTION_LABEL, REVISION_LABEL};
use crate::model::kind::Kind;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports a Namespace that has neither an `istio-injection` label nor an `istio.io/rev`
    /// label (from Istio 1.6) nor, from Istio 1.18, `istio.io/dataplane-mode=ambient`. The
    /// Kubernetes system namespaces (`kube-*`, `local-path-storage`) and the Istio root
    /// namespace are skipped, and so are namespaces whose workloads all carry their proxy already
    /// (`istioctl kube-inject` output). Releases before 0.5 have no injection webhook, so the
    /// rule does not apply to them.
    ///
    /// ## Why is this bad?
    /// The injection webhook only looks at labels. Without one, pods created in the namespace
    /// get no sidecar (unless each pod opts in with `sidecar.istio.io/inject: "true"` from
    /// Istio 1.12), so they send and accept plaintext, do not count as mesh identities for
    /// AuthorizationPolicy, and fail against STRICT servers. Often the label was simply
    /// forgotten; if the namespace is meant to stay out of the mesh, saying so with
    /// `istio-injection=disabled` makes that explicit.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: bar
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: bar
    ///   labels:
    ///     istio-injection: enabled   # or disabled, to keep it out on purpose
    /// ```
    ///
    /// ## References
    /// - istioctl IST0102 NamespaceNotInjected (`pkg/config/analysis/analyzers/injection/injection.go`)
    /// - <https://istio.io/latest/docs/setup/additional-setup/sidecar-injection/>
    pub static RULE = {
        code: "ML0401",
        name: "namespace-not-injected",
        severity: Info,
        category: Membership,
        default_enabled: true,
        istio: ["IST0102"],
        kiali: [],
        summary: "namespace has no injection label: new pods there get no proxy",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    // Without the injection webhook (before 0.5) no label injects anything: proxies come
    // from `istioctl kube-inject`, and a namespace label is nothing to miss.
    if !a.profile.has(Behaviour::InjectionWebhook) {
        return;
    }
    let revisions = a.profile.has(Behaviour::RevisionLabels);
    let ambient = a.profile.has(Behaviour::Ambient);
    for (_, obj) in a.inv.of_kind(Kind::Namespace) {
        let ns = obj.name();
        if is_platform_namespace(ns) || ns == a.inv.root_namespace() || ns == "istio-system" {
            continue;
        }
        let labels = obj.labels();
        // An empty `istio-injection` value is no label at all, as in istioctl.
        let has_injection = labels.get(INJECTION_LABEL).is_some_and(|v| !v.is_empty());
        let has_revision = revisions && labels.contains_key(REVISION_LABEL);
        let is_ambient = ambient && labels.get(DATAPLANE_MODE_LABEL) == Some("ambient");
        if has_injection || has_revision || is_ambient {
            continue;
        }
        let outside: Vec<_> = a
            .inv
            .workloads_in(ns)
            .filter(|(i, _)| !a.proxies[*i].kind.in_mesh())
            .collect();
        // Every workload there already carries its proxy (kube-inject output): the namespace is
        // in the mesh without the label.
        if outside.is_empty() && a.inv.workloads_in(ns).next().is_some() {
            continue;
        }
        let mut message = format!("namespace {ns} is not enabled for istio sidecar injection");
        if !outside.is_empty() {
            let names: Vec<_> = outside
                .iter()
                .take(3)
                .map(|(_, w)| w.name.as_str())
                .collect();
            let more = if outside.len() > 3 { ", …" } else { "" };
            message.push_str(&format!(
                "; {} workload(s) there run without a proxy ({}{more})",
                outside.len(),
                names.join(", ")
            ));
        }
        let mut help = format!(
            "label it to add sidecars to new pods (`kubectl label namespace {ns} istio-injection=enabled`"
        );
        if revisions {
            help.push_str(", or `istio.io/rev=<revision>`");
        }
        if ambient {
            help.push_str(", or `istio.io/dataplane-mode=ambient` for ambient mode");
        }
        help.push_str(&format!(
            "), or mark it as deliberately outside the mesh with `kubectl label namespace {ns} istio-injection=disabled`"
        ));
        out.push(
            Finding::new(&RULE, message)
                .on(obj, "metadata.name")
                .help(help),
        );
    }
}
