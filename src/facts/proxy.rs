//! Does a workload have a proxy, and which kind? (SPEC §3.1, research/istio-semantics.md §9, §10.)
//!
//! Order: what the manifest already shows (an `istio-proxy` container from kube-inject, or the
//! `sidecar.istio.io/status` annotation) beats what the injection webhook would do; hostNetwork
//! pods and the Kubernetes system namespaces are never injected; ambient enrollment applies to
//! pods without a sidecar.

use std::collections::BTreeMap;

use crate::model::inventory::{Inventory, Workload};
use crate::model::kind::Kind;
use crate::model::labels::Labels;
use crate::model::resource::{Body, Object};
use crate::version::{Behaviour, Profile};

/// The kubelet's own namespaces, never injected (`IgnoredNamespaces`, `pkg/kube/inject/inject.go`).
pub const SYSTEM_NAMESPACES: &[&str] = &["kube-system", "kube-public", "kube-node-lease"];

pub const INJECTION_LABEL: &str = "istio-injection";
pub const REVISION_LABEL: &str = "istio.io/rev";
pub const INJECT_LABEL: &str = "sidecar.istio.io/inject";
pub const STATUS_ANNOTATION: &str = "sidecar.istio.io/status";
pub const DATAPLANE_MODE_LABEL: &str = "istio.io/dataplane-mode";
pub const TLS_MODE_LABEL: &str = "security.istio.io/tlsMode";
pub const CANONICAL_NAME_LABEL: &str = "service.istio.io/canonical-name";
pub const CANONICAL_REVISION_LABEL: &str = "service.istio.io/canonical-revision";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProxyKind {
    /// No proxy: plain Kubernetes pod, outside the mesh.
    None,
    Sidecar,
    Ambient,
    /// An Istio gateway (ingress/egress), a proxy in router mode.
    Gateway,
}

impl ProxyKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProxyKind::None => "none",
            ProxyKind::Sidecar => "sidecar",
            ProxyKind::Ambient => "ambient",
            ProxyKind::Gateway => "gateway",
        }
    }

    /// A proxy that terminates Istio mTLS for this workload.
    pub fn in_mesh(self) -> bool {
        self != ProxyKind::None
    }
}

/// The decision and the reason, shown by `describe`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyDecision {
    pub kind: ProxyKind,
    pub reason: String,
    /// True when the sidecar comes from the webhook (the manifest itself has no proxy).
    pub by_webhook: bool,
}

fn decision(kind: ProxyKind, reason: impl Into<String>, by_webhook: bool) -> ProxyDecision {
    ProxyDecision {
        kind,
        reason: reason.into(),
        by_webhook,
    }
}

/// What the injection webhook does with a namespace's labels alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NamespaceInjection {
    /// `istio-injection=enabled`, or `istio.io/rev=<rev>` without `istio-injection`.
    Enabled(String),
    /// `istio-injection=disabled` (or another value).
    Disabled(String),
    /// No injection label at all.
    Unlabeled,
}

/// Reads a namespace's injection labels (research/istio-semantics.md §10 step 1).
pub fn namespace_injection(labels: &Labels, profile: &Profile) -> NamespaceInjection {
    match labels.get(INJECTION_LABEL) {
        Some("enabled") => {
            NamespaceInjection::Enabled("namespace label istio-injection=enabled".into())
        }
        Some(other) => {
            NamespaceInjection::Disabled(format!("namespace label istio-injection={other}"))
        }
        None => match labels.get(REVISION_LABEL) {
            Some(rev) if profile.has(Behaviour::RevisionLabels) => {
                NamespaceInjection::Enabled(format!("namespace label istio.io/rev={rev}"))
            }
            _ => NamespaceInjection::Unlabeled,
        },
    }
}

/// Whether a Pod object is one that already exists (read back from a cluster or from
/// `kubectl get -o yaml`), not a manifest still to be created: it has a `status`, a `uid`, a
/// `creationTimestamp`, a node, or a controller owner (only the API creates those).
///
/// The injection webhook mutates a pod only at creation (research/istio-semantics.md §10), so
/// an existing pod keeps the containers it shows; a manifest gets what the webhook would add.
pub fn is_existing_pod(o: &Object) -> bool {
    o.kind == Kind::Pod
        && (o.source.locate("status").1
            || o.meta.uid.is_some()
            || o.meta.creation_timestamp.is_some()
            || o.meta
                .owner_references
                .as_ref()
                .is_some_and(|r| !r.is_empty())
            || matches!(&o.body, Body::Pod(spec) if spec.node_name.is_some()))
}

/// Decides the proxy of one workload. A bare Pod that already exists ([`is_existing_pod`])
/// without a proxy container has none, whatever the webhook would do now: that is the pod
/// `pod-missing-proxy` reports, and every command sees it the same way.
pub fn detect(inv: &Inventory, w: &Workload, profile: &Profile) -> ProxyDecision {
    let d = detect_at_creation(inv, w, profile);
    if d.by_webhook && w.kind == Kind::Pod && is_existing_pod(&inv.objects[w.object]) {
        return decision(
            ProxyKind::None,
            format!(
                "the pod exists without an istio-proxy container although {} enables \
                 injection (the webhook injects only when a pod is created)",
                d.reason.strip_prefix("injected: ").unwrap_or(&d.reason)
            ),
            false,
        );
    }
    d
}

/// The proxy a workload gets when its pods are created now: what the manifest shows, else what
/// the injection webhook adds (research/istio-semantics.md §9, §10).
pub fn detect_at_creation(inv: &Inventory, w: &Workload, profile: &Profile) -> ProxyDecision {
    let spec = inv.pod_spec(w);
    let containers = spec.map(|s| s.containers.as_slice()).unwrap_or_default();
    // A native sidecar is an init container that keeps running (`restartPolicy: Always`); Istio
    // looks for `istio-proxy` in both lists (istio/istio 1.27.0 pkg/kube/inject/app_probe.go:45-55
    // FindSidecar; injection-template.yaml:181-190 puts it under initContainers when native).
    let native = spec
        .and_then(|s| s.init_containers.as_deref())
        .unwrap_or_default()
        .iter()
        .find(|c| {
            c.name == "istio-proxy"
                && c.restart_policy.as_deref() == Some("Always")
                && profile.has(Behaviour::NativeSidecars)
        });
    let proxy = containers
        .iter()
        .find(|c| c.name == "istio-proxy")
        .or(native);
    let is_router = proxy.is_some_and(|c| c.args.iter().flatten().any(|a| a == "router"))
        || matches!(
            w.labels.get("istio"),
            Some("ingressgateway" | "egressgateway")
        )
        || w.annotations
            .get("inject.istio.io/templates")
            .map(String::as_str)
            == Some("gateway");
    if is_router && (proxy.is_some() || w.labels.contains_key("istio")) {
        return decision(
            ProxyKind::Gateway,
            "Istio gateway (proxy in router mode)",
            false,
        );
    }
    if proxy.is_some() {
        return decision(
            ProxyKind::Sidecar,
            if native.is_some() && !containers.iter().any(|c| c.name == "istio-proxy") {
                "istio-proxy native sidecar (init container with restartPolicy: Always) present in the manifest"
            } else {
                "istio-proxy container present in the manifest"
            },
            false,
        );
    }
    if w.annotations.contains_key(STATUS_ANNOTATION) {
        return decision(
            ProxyKind::Sidecar,
            "annotation sidecar.istio.io/status present",
            false,
        );
    }
    if spec.and_then(|s| s.host_network).unwrap_or(false) {
        return decision(
            ProxyKind::None,
            "hostNetwork pods are never injected",
            false,
        );
    }
    if SYSTEM_NAMESPACES.contains(&w.namespace.as_str()) {
        return decision(
            ProxyKind::None,
            format!("namespace {} is never injected", w.namespace),
            false,
        );
    }
    if let Some(d) = webhook(inv, w, profile) {
        return d;
    }
    if profile.has(Behaviour::Ambient) {
        let pod_mode = w.labels.get(DATAPLANE_MODE_LABEL);
        let ns_mode = inv.namespace_labels(&w.namespace).get(DATAPLANE_MODE_LABEL);
        match (pod_mode, ns_mode) {
            (Some("none"), _) => {}
            (Some("ambient"), _) => {
                return decision(
                    ProxyKind::Ambient,
                    "pod label istio.io/dataplane-mode=ambient",
                    false,
                );
            }
            (_, Some("ambient")) => {
                return decision(
                    ProxyKind::Ambient,
                    "namespace label istio.io/dataplane-mode=ambient",
                    false,
                );
            }
            _ => {}
        }
    }
    decision(
        ProxyKind::None,
        "no istio-proxy container and no injection label",
        false,
    )
}

/// The labels the injector adds to a pod it injects, as the running pod carries them; a value
/// the pod already has (non-empty) is kept. From istio/istio's injector (research notes
/// `research-injected-labels.md`):
/// - `security.istio.io/tlsMode: istio` from 1.4 (1.4.0 `pkg/kube/inject/webhook.go`, "will not
///   overwrite label's value if it already exists");
/// - `service.istio.io/canonical-name` from 1.5: `app.kubernetes.io/name`, else `app`, else the
///   workload's name; `service.istio.io/canonical-revision`: `app.kubernetes.io/version`, else
///   `version`, else `latest` (1.5.0 `webhook.go`; `injection-template.yaml` from 1.9);
/// - `istio.io/rev` from 1.6 until 1.11: the revision that injects, `default` without one.
///
/// Not added, because the inputs cannot say: `topology.istio.io/network` (from the install's
/// `values.global.network`) and `networking.istio.io/tunnel` (only with `ISTIO_META_ENABLE_HBONE`).
pub fn injected_labels(
    inv: &Inventory,
    w: &Workload,
    profile: &Profile,
) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    let has = |k: &str| w.labels.get(k).is_some_and(|v| !v.is_empty());
    let first_of = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| w.labels.get(k).filter(|v| !v.is_empty()).map(str::to_owned))
    };
    if profile.has(Behaviour::InjectedTlsModeLabel) && !has(TLS_MODE_LABEL) {
        out.insert(TLS_MODE_LABEL.to_owned(), "istio".to_owned());
    }
    if profile.has(Behaviour::InjectedCanonicalLabels) {
        if !has(CANONICAL_NAME_LABEL) {
            let name =
                first_of(&["app.kubernetes.io/name", "app"]).unwrap_or_else(|| w.name.clone());
            out.insert(CANONICAL_NAME_LABEL.to_owned(), name);
        }
        if !has(CANONICAL_REVISION_LABEL) {
            let rev = first_of(&["app.kubernetes.io/version", "version"])
                .unwrap_or_else(|| "latest".to_owned());
            out.insert(CANONICAL_REVISION_LABEL.to_owned(), rev);
        }
    }
    if profile.has(Behaviour::InjectedRevisionLabel) && !has(REVISION_LABEL) {
        let rev = inv
            .namespace_labels(&w.namespace)
            .get(REVISION_LABEL)
            .map(str::to_owned)
            .unwrap_or_else(|| "default".to_owned());
        out.insert(REVISION_LABEL.to_owned(), rev);
    }
    out
}

/// What the injection webhook would do (research/istio-semantics.md §10).
fn webhook(inv: &Inventory, w: &Workload, profile: &Profile) -> Option<ProxyDecision> {
    let pod_label = w.labels.get(INJECT_LABEL);
    let pod_annotation = w.annotations.get(INJECT_LABEL).map(String::as_str);
    let ns_labels = inv.namespace_labels(&w.namespace);
    match namespace_injection(ns_labels, profile) {
        NamespaceInjection::Disabled(why) => Some(decision(ProxyKind::None, why, false)),
        NamespaceInjection::Enabled(why) => {
            // The pod label beats the legacy annotation (`injectRequired`).
            let opt_out = match pod_label {
                Some(v) => v == "false",
                None => pod_annotation == Some("false"),
            };
            Some(if opt_out {
                decision(
                    ProxyKind::None,
                    format!("{why}, but the pod opts out ({INJECT_LABEL}=false)"),
                    false,
                )
            } else {
                decision(ProxyKind::Sidecar, format!("injected: {why}"), true)
            })
        }
        NamespaceInjection::Unlabeled => {
            if !profile.has(Behaviour::InjectByPodLabel) {
                return None;
            }
            if pod_label == Some("true") {
                return Some(decision(
                    ProxyKind::Sidecar,
                    "injected: pod label sidecar.istio.io/inject=true",
                    true,
                ));
            }
            w.labels.get(REVISION_LABEL).map(|rev| {
                decision(
                    ProxyKind::Sidecar,
                    format!("injected: pod label istio.io/rev={rev}"),
                    true,
                )
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::load::{LoadOptions, load_text};
    use crate::version::VersionSource;

    fn decide(text: &str, version: &str) -> ProxyDecision {
        let (objects, issues, _) = load_text(&Arc::from("t.yaml"), text, &LoadOptions::default());
        assert!(issues.is_empty(), "{issues:?}");
        let inv = Inventory::new(objects, None);
        let profile = Profile::new(version.parse().unwrap(), VersionSource::Flag);
        detect(&inv, &inv.workloads[0], &profile)
    }

    fn pod(ns_labels: &str, pod_labels: &str, extra: &str) -> String {
        format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: foo, labels: {{{ns_labels}}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: p, namespace: foo, labels: {{{pod_labels}}}}}\nspec:\n  {extra}\n  containers: [{{name: app, image: x}}]\n"
        )
    }

    /// istio-semantics §10: the webhook mutates pods only at creation. A Pod manifest in an
    /// injecting namespace gets the sidecar; the same pod read back with a status (it already
    /// runs) keeps the containers it shows. `nodeName` alone marks it as scheduled too.
    #[test]
    fn existing_pods_keep_their_containers() {
        let manifest = pod("istio-injection: enabled", "", "hostNetwork: false");
        assert_eq!(decide(&manifest, "1.20").kind, ProxyKind::Sidecar);
        let running = format!("{manifest}status: {{phase: Running}}\n");
        let d = decide(&running, "1.20");
        assert_eq!(d.kind, ProxyKind::None);
        assert!(
            d.reason.contains("exists without an istio-proxy"),
            "{}",
            d.reason
        );
        let scheduled = pod("istio-injection: enabled", "", "nodeName: node-1");
        assert_eq!(decide(&scheduled, "1.20").kind, ProxyKind::None);
        let not_injecting = format!(
            "{}status: {{phase: Running}}\n",
            pod("", "", "hostNetwork: false")
        );
        assert!(
            !decide(&not_injecting, "1.20")
                .reason
                .contains("exists without")
        );
    }

    /// The labels the injector adds, by release (istio/istio `pkg/kube/inject/webhook.go`
    /// 1.4.0/1.5.0/1.6.0, removed `istio.io/rev` label in 1.11.0): existing values are kept,
    /// canonical names fall back app.kubernetes.io/name → app → workload name, revisions
    /// app.kubernetes.io/version → version → latest.
    #[test]
    fn injected_labels_by_release() {
        let text = format!(
            "{}---\napiVersion: v1\nkind: Pod\nmetadata: {{name: q, namespace: foo, labels: {{app: web, version: v2, security.istio.io/tlsMode: disabled}}}}\nspec:\n  containers: [{{name: app, image: x}}]\n",
            pod("istio-injection: enabled", "", "hostNetwork: false")
        );
        let (objects, _, _) = load_text(&Arc::from("t.yaml"), &text, &LoadOptions::default());
        let inv = Inventory::new(objects, None);
        let labels = |w: usize, v: &str| {
            let profile = Profile::new(v.parse().unwrap(), VersionSource::Flag);
            injected_labels(&inv, &inv.workloads[w], &profile)
        };
        let p = inv.workloads.iter().position(|w| w.name == "p").unwrap();
        let q = inv.workloads.iter().position(|w| w.name == "q").unwrap();
        assert!(labels(p, "1.3").is_empty());
        assert_eq!(labels(p, "1.4").len(), 1);
        assert_eq!(labels(p, "1.4")[TLS_MODE_LABEL], "istio");
        let l = labels(p, "1.5");
        assert_eq!(l[CANONICAL_NAME_LABEL], "p");
        assert_eq!(l[CANONICAL_REVISION_LABEL], "latest");
        assert_eq!(labels(p, "1.6")[REVISION_LABEL], "default");
        assert!(!labels(p, "1.11").contains_key(REVISION_LABEL));
        let l = labels(q, "latest");
        assert!(
            !l.contains_key(TLS_MODE_LABEL),
            "the pod's own value is kept"
        );
        assert_eq!(l[CANONICAL_NAME_LABEL], "web");
        assert_eq!(l[CANONICAL_REVISION_LABEL], "v2");
    }

    /// istio-semantics §10: `istio-injection=enabled` injects unless the pod label says false.
    #[test]
    fn namespace_label_injects_and_pod_label_opts_out() {
        let d = decide(
            &pod("istio-injection: enabled", "", "hostNetwork: false"),
            "1.20",
        );
        assert_eq!(d.kind, ProxyKind::Sidecar);
        assert!(d.by_webhook);
        let d = decide(
            &pod(
                "istio-injection: enabled",
                "sidecar.istio.io/inject: \"false\"",
                "hostNetwork: false",
            ),
            "1.20",
        );
        assert_eq!(d.kind, ProxyKind::None);
    }

    /// istio-semantics §10: pod label `sidecar.istio.io/inject=true` in an unlabeled namespace
    /// injects from 1.12 only.
    #[test]
    fn pod_label_injects_from_1_12() {
        let text = pod(
            "",
            "sidecar.istio.io/inject: \"true\"",
            "hostNetwork: false",
        );
        assert_eq!(decide(&text, "1.11").kind, ProxyKind::None);
        assert_eq!(decide(&text, "1.12").kind, ProxyKind::Sidecar);
    }

    /// istio-semantics §10 step 2: hostNetwork pods are never injected.
    #[test]
    fn host_network_is_never_injected() {
        let d = decide(
            &pod("istio-injection: enabled", "", "hostNetwork: true"),
            "1.20",
        );
        assert_eq!(d.kind, ProxyKind::None);
    }

    /// istio-semantics §9: ambient by namespace label, pod label `none` opts out.
    #[test]
    fn ambient_enrollment() {
        let d = decide(
            &pod("istio.io/dataplane-mode: ambient", "", "hostNetwork: false"),
            "1.24",
        );
        assert_eq!(d.kind, ProxyKind::Ambient);
        let d = decide(
            &pod(
                "istio.io/dataplane-mode: ambient",
                "istio.io/dataplane-mode: none",
                "hostNetwork: false",
            ),
            "1.24",
        );
        assert_eq!(d.kind, ProxyKind::None);
    }

    /// istio-semantics §10: `istio-injection` beats `istio.io/rev` on the namespace.
    #[test]
    fn injection_label_beats_revision() {
        let d = decide(
            &pod(
                "istio-injection: disabled, istio.io/rev: canary",
                "",
                "hostNetwork: false",
            ),
            "1.20",
        );
        assert_eq!(d.kind, ProxyKind::None);
    }
}
