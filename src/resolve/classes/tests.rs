//! Tests of resolve::classes.
use std::sync::Arc;

use super::*;
use crate::input::load::{LoadOptions, Loaded, load_text};
use crate::resolve::decisions::Decisions;
use crate::version::IstioVersion;

/// Policy that makes classes interesting: a workloadSelector DestinationRule, a root
/// wildcard, an `exportTo` naming a namespace, a rule private to its namespace, an ambient
/// namespace and a pod without sidecar.
const EXTRA: &str = "\
apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: amb}
spec:
  selector: {matchLabels: {app: sleep}}
  template:
    metadata: {labels: {app: sleep}}
    spec: {containers: [{name: sleep, image: curl}]}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: sel, namespace: ns-00001}
spec:
  host: '*.ns-00002.svc.cluster.local'
  workloadSelector: {matchLabels: {app: app-3}}
  trafficPolicy: {tls: {mode: DISABLE}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: all, namespace: istio-system}
spec:
  host: '*.local'
  trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: exported, namespace: ns-00003}
spec:
  host: app-1.ns-00003.svc.cluster.local
  exportTo: [ns-00004, .]
  trafficPolicy: {tls: {mode: DISABLE}}
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: {name: private, namespace: ns-00000}
spec:
  host: app-2.ns-00004.svc.cluster.local
  exportTo: [.]
  trafficPolicy: {tls: {mode: DISABLE}}
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: wildcard-principals, namespace: ns-00002}
spec:
  rules:
  - from: [{source: {principals: [\"cluster.local/ns/ns-00001/sa/*\"]}}]
---
apiVersion: security.istio.io/v1
kind: AuthorizationPolicy
metadata: {name: deny-namespace, namespace: ns-00004}
spec:
  action: DENY
  rules:
  - when: [{key: source.namespace, values: [amb, ns-00003]}]
";

fn analysis(version: Option<IstioVersion>) -> Analysis {
    let mut objects = Vec::new();
    let mut files = 0;
    let texts = crate::testgen::corpus(10).chain([("extra.yaml".to_owned(), EXTRA.to_owned())]);
    for (name, text) in texts {
        // The API versions every release of the tests serves (v1 came in 1.22; an unserved
        // version is refused and the object takes no part).
        let text = text
            .replace("security.istio.io/v1\n", "security.istio.io/v1beta1\n")
            .replace("networking.istio.io/v1\n", "networking.istio.io/v1alpha3\n");
        let (objs, issues, _) =
            load_text(&Arc::from(name.as_str()), &text, &LoadOptions::default());
        assert!(issues.is_empty(), "{name}: {issues:?}");
        objects.extend(objs);
        files += 1;
    }
    Analysis::new(
        Loaded {
            objects,
            issues: Vec::new(),
            skipped: BTreeMap::new(),
            files,
            bytes: 0,
            templates: Vec::new(),
        },
        version,
        None,
    )
}

fn all_targets(a: &Analysis) -> Vec<(usize, usize)> {
    a.inv
        .services
        .iter()
        .enumerate()
        .flat_map(|(s, svc)| (0..svc.ports.len()).map(move |p| (s, p)))
        .collect()
}

fn check(a: &Analysis) {
    let d = Decisions::new(a);
    let a = &d;
    let clients: Vec<usize> = (0..a.inv.workloads.len()).collect();
    let targets = all_targets(a);
    let naive: Vec<Cell> = clients
        .iter()
        .flat_map(|&c| {
            targets
                .iter()
                .map(move |&(s, p)| reach::evaluate(a, c, s, p, &RequestContext::default()))
        })
        .collect();
    let classes = matrix(a, &clients, &targets, &RequestContext::default());
    assert_eq!(naive.len(), classes.len());
    for (n, c) in naive.iter().zip(&classes) {
        assert_eq!(format!("{n:?}"), format!("{c:?}"));
    }
    // Some variety, or the comparison proves little.
    let outcomes: FxHashSet<Outcome> = naive.iter().map(|c| c.outcome).collect();
    assert!(outcomes.len() >= 2, "{outcomes:?}");

    let summary = namespace_summary(a, &clients, &targets, &RequestContext::default());
    let mut want: BTreeMap<(String, String), [u32; OUTCOMES]> = BTreeMap::new();
    for c in &naive {
        let key = (
            a.inv.workloads[c.client].namespace.clone(),
            a.inv.services[c.service].namespace.clone(),
        );
        want.entry(key).or_default()[outcome_index(c.outcome)] += 1;
    }
    let got: BTreeMap<(String, String), [u32; OUTCOMES]> = summary
        .pairs()
        .map(|p| {
            (
                (
                    summary.from_name(p).to_owned(),
                    summary.to_name(p).to_owned(),
                ),
                summary.counts(p).0,
            )
        })
        .collect();
    assert_eq!(want, got);
}

#[test]
fn classes_equal_the_naive_loop() {
    check(&analysis(None));
}

#[test]
fn classes_equal_the_naive_loop_before_1_1() {
    check(&analysis(Some("1.0".parse().unwrap())));
}

#[test]
fn classes_equal_the_naive_loop_in_1_4() {
    check(&analysis(Some("1.4".parse().unwrap())));
}

/// Asking for the outcome only changes no outcome, and writes no reason where endpoints
/// were evaluated (the summary's evaluations skip that text).
#[test]
fn outcome_only_evaluations_keep_the_outcome_and_drop_the_reason() {
    let an = analysis(None);
    let d = Decisions::new(&an);
    let a = &d;
    let outcome_only = RequestContext {
        detail: Detail::Outcome,
        ..RequestContext::default()
    };
    let mut with_endpoints = 0;
    for c in 0..a.inv.workloads.len() {
        for (s, p) in all_targets(a) {
            let full = reach::evaluate(a, c, s, p, &RequestContext::default());
            let bare = reach::evaluate(a, c, s, p, &outcome_only);
            assert_eq!(full.outcome, bare.outcome);
            assert_eq!(full.endpoints, bare.endpoints);
            if full.endpoint.is_some() {
                with_endpoints += 1;
                assert!(!full.reason.is_empty());
                assert!(bare.reason.is_empty(), "{}", bare.reason);
            }
        }
    }
    assert!(with_endpoints > 0);
}
