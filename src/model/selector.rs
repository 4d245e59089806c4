//! Label selector matching: Istio's `matchLabels` maps and Kubernetes `LabelSelector`
//! (with `matchExpressions`).

use std::collections::BTreeMap;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;

/// `matchLabels` semantics: every pair must be present. An empty map matches everything.
pub fn matches_labels(
    selector: &BTreeMap<String, String>,
    labels: &BTreeMap<String, String>,
) -> bool {
    selector.iter().all(|(k, v)| labels.get(k) == Some(v))
}

/// Kubernetes `LabelSelector` semantics, including `matchExpressions`.
pub fn matches_label_selector(selector: &LabelSelector, labels: &BTreeMap<String, String>) -> bool {
    if let Some(ml) = &selector.match_labels
        && !matches_labels(ml, labels)
    {
        return false;
    }
    selector.match_expressions.iter().flatten().all(|e| {
        let values = e.values.as_deref().unwrap_or_default();
        let value = labels.get(&e.key);
        match e.operator.as_str() {
            "In" => value.is_some_and(|v| values.contains(v)),
            "NotIn" => value.is_none_or(|v| !values.contains(v)),
            "Exists" => value.is_some(),
            "DoesNotExist" => value.is_none(),
            _ => false,
        }
    })
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
