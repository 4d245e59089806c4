//! Label selector matching: Istio's `matchLabels` maps and Kubernetes `LabelSelector`
//! (with `matchExpressions`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use kube::core::{Selector, SelectorExt};

/// `matchLabels` semantics: every pair must be present. An empty map matches everything.
pub fn matches_labels(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Kubernetes `LabelSelector` semantics, including `matchExpressions` (kube-core's `Selector`).
/// A selector the API server would reject (an unknown operator, `In` without values) matches
/// nothing.
pub fn matches_label_selector(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    Selector::try_from(selector.clone()).is_ok_and(|s| s.matches(labels))
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelectorRequirement;

    use super::*;

    fn m(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn match_labels_subset() {
        let labels = m(&[("app", "httpbin"), ("version", "v1")]);
        assert!(matches_labels(&m(&[("app", "httpbin")]), &labels));
        assert!(matches_labels(&m(&[]), &labels));
        assert!(!matches_labels(&m(&[("app", "sleep")]), &labels));
    }

    #[test]
    fn match_expressions() {
        let sel = LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: "app".into(),
                operator: "In".into(),
                values: Some(vec!["a".into(), "b".into()]),
            }]),
        };
        assert!(matches_label_selector(&sel, &m(&[("app", "b")])));
        assert!(!matches_label_selector(&sel, &m(&[("app", "c")])));
    }
}
