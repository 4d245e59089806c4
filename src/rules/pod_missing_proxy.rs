//! `pod-missing-proxy`: a running Pod (a Pod object, not a pod template) that the injection
//! webhook would give a sidecar today but that has none: it was created before injection was
//! enabled, or injection failed (SPEC §3.1, research/istio-semantics.md §10; istioctl IST0103).

use crate::diagnostic::Finding;
use crate::facts::proxy::{self, DATAPLANE_MODE_LABEL, INJECTION_LABEL, ProxyKind, REVISION_LABEL};
use crate::model::inventory::Workload;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports a Pod object with no `istio-proxy` container (in `containers` or, for native
    /// sidecars, `initContainers`) and no `sidecar.istio.io/status` annotation, although the
    /// injection webhook would inject it: its namespace has `istio-injection=enabled` or
    /// `istio.io/rev`, or (from Istio 1.12) the pod itself is labelled
    /// `sidecar.istio.io/inject=true` or `istio.io/rev`. Pods that opt out
    /// (`sidecar.istio.io/inject: "false"`), hostNetwork pods, pods enrolled in ambient mode and
    /// Istio's own components (label `istio`, e.g. istiod's `istio: pilot`) are not reported.
    ///
    /// Only pods that already exist are reported: a Pod object with a `status`, `uid`,
    /// `creationTimestamp`, node or controller owner (from `kubectl get pods -o yaml` or the
    /// cluster). A Pod manifest without them is still to be created, and the webhook will inject
    /// it; `describe`, `check` and `matrix` model it with the sidecar. Deployments and other
    /// controllers are not reported: their pod templates are injected when the pods are created.
    /// (istioctl's IST0103 takes every Pod it reads as running, manifests too.)
    ///
    /// ## Why is this bad?
    /// Injection happens only when a pod is created. A pod that predates the namespace label,
    /// or was created while the webhook was unreachable, keeps running without a proxy: it sends
    /// plaintext, has no mesh identity, and is rejected by STRICT servers — while the manifests
    /// suggest it is in the mesh.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Namespace
    /// metadata:
    ///   name: default
    ///   labels:
    ///     istio-injection: enabled
    /// ---
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: noninjectedpod
    ///   namespace: default
    ///   uid: 3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f
    /// spec:
    ///   containers:
    ///   - name: server
    ///     image: adservice:v0.1.1
    /// ```
    ///
    /// ## Use instead
    /// Recreate the pod (`kubectl rollout restart deployment/<name>`, or delete the pod so its
    /// controller recreates it) so that the webhook injects the sidecar; or opt it out
    /// explicitly with the label `sidecar.istio.io/inject: "false"`.
    ///
    /// ## References
    /// - istioctl IST0103 PodMissingProxy (`pkg/config/analysis/analyzers/injection/injection.go`)
    /// - <https://istio.io/latest/docs/ops/common-problems/injection/>
    pub static RULE = {
        code: "ML0403",
        name: "pod-missing-proxy",
        severity: Info,
        category: Membership,
        default_enabled: true,
        istio: ["IST0103"],
        kiali: [],
        summary: "running pod has no sidecar although its namespace or labels enable injection",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let ambient = a.profile.has(Behaviour::Ambient);
    for (i, obj) in a.inv.of_kind(Kind::Pod) {
        let Body::Pod(spec) = &obj.body else { continue };
        // A Pod manifest still to be created gets the sidecar from the webhook; only a pod
        // that already exists can be missing it (the same view `describe` and `check` take).
        if !proxy::is_existing_pod(obj) {
            continue;
        }
        let in_init = spec
            .init_containers
            .iter()
            .flatten()
            .any(|c| c.name == "istio-proxy");
        if in_init {
            continue;
        }
        let ns = obj.namespace();
        let labels = obj.labels();
        // Istio's own components (istiod carries `istio: pilot` and its revision label) are
        // never injected; istioctl skips them the same way (`IsIstioControlPlane`).
        if labels.contains_key("istio") || labels.get("release") == Some("istio") {
            continue;
        }
        if ambient {
            // Ambient pods are captured by ztunnel instead of getting a sidecar (istio-semantics §9).
            let pod_mode = labels.get(DATAPLANE_MODE_LABEL);
            let ns_mode = a.inv.namespace_labels(ns).get(DATAPLANE_MODE_LABEL);
            if pod_mode == Some("ambient")
                || (ns_mode == Some("ambient") && pod_mode != Some("none"))
            {
                continue;
            }
        }
        // Judge the Pod object itself as the webhook would see it at creation time.
        let as_created = Workload {
            object: i,
            kind: Kind::Pod,
            name: obj.name().to_owned(),
            namespace: ns.to_owned(),
            labels: labels.clone(),
            annotations: obj.annotations().clone(),
            service_account: spec.service_account_name.clone().unwrap_or_default(),
            pods: vec![i],
        };
        let decision = proxy::detect_at_creation(&a.inv, &as_created, &a.profile);
        if decision.kind != ProxyKind::Sidecar || !decision.by_webhook {
            continue;
        }
        let why = decision
            .reason
            .strip_prefix("injected: ")
            .unwrap_or(&decision.reason);
        let mut f = Finding::new(
            &RULE,
            format!(
                "pod {ns}/{} has no istio proxy although {why} enables injection",
                obj.name()
            ),
        )
        .on(obj, "spec.containers")
        .help(
            "the pod was created before injection was enabled or while the webhook failed; \
             recreate it (e.g. `kubectl rollout restart` its controller, or delete the pod) so \
             that the webhook adds the sidecar, or opt it out with the label \
             `sidecar.istio.io/inject: \"false\"`",
        );
        let label = if why.starts_with("namespace label istio-injection") {
            Some(INJECTION_LABEL)
        } else if why.starts_with("namespace label istio.io/rev") {
            Some(REVISION_LABEL)
        } else {
            None
        };
        if let (Some(label), Some(&ns_obj)) = (label, a.inv.declared_namespaces.get(ns)) {
            f = f.related(
                &a.inv.objects[ns_obj],
                &format!("metadata.labels[\"{label}\"]"),
                "the namespace label that enables injection",
            );
        }
        out.push(f);
    }
}
