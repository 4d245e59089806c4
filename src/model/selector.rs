//! Kubernetes `LabelSelector` (`matchLabels` and `matchExpressions`), as controllers' own
//! `spec.selector` holds it. Istio's `matchLabels` maps are [`Labels`] and match with
//! [`Labels::selects`].

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{self as meta, LabelSelectorRequirement};
use kube::core::{Selector, SelectorExt};
use serde::Deserialize;

use super::labels::Labels;

/// A Kubernetes `LabelSelector`: k8s-openapi's with interned `matchLabels` (issue 14). Fields
/// the API does not have are ignored, as k8s-openapi ignores them.
#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct LabelSelector {
    pub match_labels: Option<Labels>,
    pub match_expressions: Option<Vec<LabelSelectorRequirement>>,
}

impl LabelSelector {
    /// Kubernetes `LabelSelector` semantics, `matchExpressions` included: kube-core's
    /// `Selector` decides those. A selector the API server would reject (an unknown operator,
    /// `In` without values) matches nothing.
    pub fn matches(&self, labels: &Labels) -> bool {
        let by_labels = self.match_labels.as_ref().is_none_or(|m| m.selects(labels));
        match &self.match_expressions {
            Some(expressions) if by_labels && !expressions.is_empty() => {
                let selector = meta::LabelSelector {
                    match_labels: None,
                    match_expressions: Some(expressions.clone()),
                };
                Selector::try_from(selector).is_ok_and(|s| s.matches(&labels.to_btree()))
            }
            _ => by_labels,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().copied().collect()
    }

    fn expression(key: &str, operator: &str, values: Option<&[&str]>) -> LabelSelector {
        LabelSelector {
            match_labels: None,
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: key.into(),
                operator: operator.into(),
                values: values.map(|v| v.iter().map(|s| (*s).into()).collect()),
            }]),
        }
    }

    #[test]
    fn match_expressions() {
        let sel = expression("app", "In", Some(&["a", "b"]));
        assert!(sel.matches(&m(&[("app", "b")])));
        assert!(!sel.matches(&m(&[("app", "c")])));
        assert!(expression("app", "DoesNotExist", None).matches(&m(&[("x", "b")])));
        assert!(!expression("app", "Exists", None).matches(&m(&[("x", "b")])));
        // Rejected by the API server: matches nothing.
        assert!(!expression("app", "Near", Some(&["a"])).matches(&m(&[("app", "a")])));
    }

    #[test]
    fn match_labels_and_expressions_must_both_hold() {
        let mut sel = expression("tier", "NotIn", Some(&["db"]));
        sel.match_labels = Some(m(&[("app", "web")]));
        assert!(sel.matches(&m(&[("app", "web"), ("tier", "front")])));
        assert!(!sel.matches(&m(&[("app", "web"), ("tier", "db")])));
        assert!(!sel.matches(&m(&[("app", "api"), ("tier", "front")])));
        let empty = LabelSelector::default();
        assert!(empty.matches(&m(&[("app", "web")])));
    }

    #[test]
    fn reads_as_the_api_writes_it_and_ignores_unknown_fields() {
        let sel: LabelSelector = crate::model::lenient::decode_text(
            "matchLabels: {app: web}\nmatchExpressions: [{key: tier, operator: In, values: [a]}]\nother: 1\n",
        )
        .unwrap();
        assert_eq!(sel.match_labels, Some(m(&[("app", "web")])));
        assert_eq!(sel.match_expressions.unwrap()[0].key, "tier");
    }
}
