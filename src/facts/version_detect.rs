//! Detects the Istio version from the inputs, most telling first (the newest version found wins
//! within a step):
//! 1. the control plane: the istiod (or, before 1.5, pilot) Deployment's image tag, or an
//!    IstioOperator's `spec.tag`;
//! 2. without one, the data plane: the `istio-proxy` containers' image tags (pods read back from
//!    a cluster, injected manifests): the control plane is at least as new as its proxies;
//! 3. without either, the Istio API versions the inputs use: a `MeshPolicy`
//!    (authentication.istio.io/v1alpha1) means a release that still serves it, so the newest such
//!    release is assumed (issue 15).

use rayon::prelude::*;

use crate::model::inventory::{Inventory, Workload};
use crate::model::kind::Kind;
use crate::model::resource::{Body, Object};
use crate::version::IstioVersion;

/// The detected version and a description of the object it came from.
pub fn detect(inv: &Inventory) -> Option<(IstioVersion, String)> {
    // Every Deployment is read: in parallel (out of cache after loading, they were 7 ms of
    // one core on the SPEC §9 corpus; issue 14, perf), in order.
    let deployments: Vec<&Object> = inv.of_kind(Kind::Deployment).map(|(_, o)| o).collect();
    let mut found: Vec<(IstioVersion, String)> = deployments
        .par_iter()
        .flat_map_iter(|o| istiod_tags(o))
        .collect();
    for (_, o) in inv.of_kind(Kind::IstioOperator) {
        if let Body::IstioOperator(spec) = &o.body
            && let Some(tag) = &spec.tag
            && let Some(v) = IstioVersion::parse_loose(&tag.text())
        {
            found.push((
                v,
                format!("spec.tag of IstioOperator {}/{}", o.namespace(), o.name()),
            ));
        }
    }
    newest(found)
        .or_else(|| newest(proxies(inv)))
        .or_else(|| served(inv))
}

/// The tags of an istiod (or pilot) Deployment's `pilot`/`istiod` images.
fn istiod_tags(o: &Object) -> Vec<(IstioVersion, String)> {
    let mut found = Vec::new();
    let Body::Controller(spec) = &o.body else {
        return found;
    };
    let Some(pod) = spec.pod_template().and_then(|t| t.spec.as_ref()) else {
        return found;
    };
    for c in &pod.containers {
        let Some(image) = &c.image else { continue };
        let (repo, tag) = split_image(image);
        let base = repo.rsplit('/').next().unwrap_or(repo);
        if matches!(base, "pilot" | "istiod")
            && (o.name().starts_with("istiod") || o.name().starts_with("istio-pilot"))
            && let Some(v) = IstioVersion::parse_loose(tag)
        {
            found.push((
                v,
                format!("image {image} of Deployment {}/{}", o.namespace(), o.name()),
            ));
        }
    }
    found
}

fn newest(mut found: Vec<(IstioVersion, String)>) -> Option<(IstioVersion, String)> {
    found.sort();
    found.into_iter().rfind(|(v, _)| *v >= IstioVersion::OLDEST)
}

/// The tags of `istio-proxy` containers (`proxyv2:1.4.3`, `proxy_debug:0.8.0`).
fn proxies(inv: &Inventory) -> Vec<(IstioVersion, String)> {
    // Every workload is read: in parallel, in order.
    inv.workloads
        .par_iter()
        .flat_map_iter(|w| proxy_tags(inv, w))
        .collect()
}

/// The `istio-proxy` container tags of workload `w`, with where each was found.
fn proxy_tags(inv: &Inventory, w: &Workload) -> Vec<(IstioVersion, String)> {
    let mut found = Vec::new();
    let o = &inv.objects[w.object];
    // Native sidecars stand under initContainers (istio/istio 1.27.0 injection-template.yaml).
    let specs = inv.pod_spec(w).into_iter();
    for c in specs.flat_map(|p| {
        p.containers
            .iter()
            .chain(p.init_containers.iter().flatten())
    }) {
        let Some(image) = c.image.as_ref().filter(|_| c.name == "istio-proxy") else {
            continue;
        };
        let (repo, tag) = split_image(image);
        let base = repo.rsplit('/').next().unwrap_or(repo);
        if matches!(base, "proxyv2" | "proxy_debug" | "proxy")
            && let Some(v) = IstioVersion::parse_loose(tag)
        {
            found.push((
                v,
                format!(
                    "proxy image {image} of {} {} (no control plane in the inputs)",
                    o.kind.name(),
                    o.qualified_name()
                ),
            ));
        }
    }
    found
}

/// The newest release that serves every Istio API version the inputs use, when one of them is
/// no longer served by the latest release.
fn served(inv: &Inventory) -> Option<(IstioVersion, String)> {
    // Per object (in parallel): the first release serving its API version, and the first no
    // longer serving it with the object's index; the earliest such object is named.
    let (low, high) = inv
        .objects
        .par_iter()
        .enumerate()
        .filter_map(|(i, o)| {
            let (group, version) = o
                .api_version
                .rsplit_once('/')
                .unwrap_or(("", &o.api_version));
            let (since, until) = crate::version::served_range(o.kind.name(), group, version)?;
            Some((since, until.map(|u| (u, i))))
        })
        .reduce(
            || (IstioVersion::OLDEST, None),
            |(l1, h1), (l2, h2)| (l1.max(l2), h1.into_iter().chain(h2).min()),
        );
    let (until, i) = high?;
    let o = &inv.objects[i];
    let why = format!(
        "{}: {} {}",
        o.api_version,
        o.kind.name(),
        o.qualified_name()
    );
    // The release before the first that no longer serves it (1.6 → 1.5).
    let last = IstioVersion {
        major: until.major,
        minor: until.minor.checked_sub(1)?,
        patch: IstioVersion::ANY_PATCH,
    };
    (low <= last).then(|| {
        (
            last,
            format!("{why} (served up to Istio {last}; no control plane or proxy in the inputs)"),
        )
    })
}

/// `docker.io/istio/pilot:1.5.2@sha256:…` → (`docker.io/istio/pilot`, `1.5.2`).
fn split_image(image: &str) -> (&str, &str) {
    let image = image.split('@').next().unwrap_or(image);
    match image.rsplit_once(':') {
        Some((repo, tag)) if !tag.contains('/') => (repo, tag),
        _ => (image, ""),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::load::{LoadOptions, load_text};

    #[test]
    fn reads_istiod_image_tag() {
        let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: istiod, namespace: istio-system}\nspec:\n  template:\n    spec:\n      containers: [{name: discovery, image: \"docker.io/istio/pilot:1.5.2\"}]\n";
        let (objects, _, _) = load_text(&Arc::from("t"), text, &LoadOptions::default());
        let inv = Inventory::new(objects, None);
        let (v, why) = detect(&inv).unwrap();
        assert_eq!(v.to_string(), "1.5.2");
        assert!(why.contains("istiod"));
    }

    fn detect_text(text: &str) -> Option<(IstioVersion, String)> {
        let (objects, issues, _) = load_text(&Arc::from("t"), text, &LoadOptions::default());
        assert!(issues.is_empty(), "{issues:?}");
        detect(&Inventory::new(objects, None))
    }

    /// Without a control plane, the proxies tell (issue 15).
    #[test]
    fn reads_proxy_image_tags() {
        let pod = "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: foo}\nspec:\n  containers:\n  - {name: web, image: web:2.0}\n  - {name: istio-proxy, image: \"docker.io/istio/proxyv2:1.4.3\"}\n";
        let (v, why) = detect_text(pod).unwrap();
        assert_eq!(v.to_string(), "1.4.3");
        assert!(why.contains("proxyv2:1.4.3"), "{why}");
        // An application image named like a version is not a proxy.
        assert!(detect_text(&pod.replace("istio-proxy", "sidecar")).is_none());
    }

    /// Without control plane or proxies, a MeshPolicy means a release that serves it.
    #[test]
    fn infers_from_served_api_versions() {
        let mp = "apiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata: {name: default}\nspec: {peers: [{mtls: {}}]}\n";
        let (v, why) = detect_text(mp).unwrap();
        assert_eq!(v.to_string(), "1.5");
        assert!(why.contains("MeshPolicy"), "{why}");
        let pa = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: foo}\nspec: {}\n";
        assert!(detect_text(pa).is_none(), "still served: no inference");
        // Contradicting API versions (v1 arrived in 1.22) decide nothing.
        assert!(detect_text(&format!("{mp}---\n{pa}")).is_none());
    }

    #[test]
    fn splits_images() {
        assert_eq!(split_image("istio/pilot:1.4.0"), ("istio/pilot", "1.4.0"));
        assert_eq!(
            split_image("localhost:5000/istio/pilot"),
            ("localhost:5000/istio/pilot", "")
        );
    }
}
