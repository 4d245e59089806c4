//! Detects the Istio version from the inputs: the istiod (or, before 1.5, pilot) Deployment's
//! image tag, or an IstioOperator's `spec.tag`. The newest version found wins when several are.

use crate::model::inventory::Inventory;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::version::IstioVersion;

/// The detected version and a description of the object it came from.
pub fn detect(inv: &Inventory) -> Option<(IstioVersion, String)> {
    let mut found: Vec<(IstioVersion, String)> = Vec::new();
    for (_, o) in inv.of_kind(Kind::Deployment) {
        let Body::Controller(spec) = &o.body else {
            continue;
        };
        let Some(pod) = spec.pod_template().and_then(|t| t.spec.as_ref()) else {
            continue;
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
    }
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
    found.sort();
    found
        .into_iter()
        .rfind(|(v, _)| *v >= IstioVersion::OLDEST && *v <= IstioVersion::LATEST)
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
        assert_eq!(v.to_string(), "1.5");
        assert!(why.contains("istiod"));
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
