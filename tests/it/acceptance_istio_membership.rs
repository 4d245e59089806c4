//! Acceptance: the mesh-membership analyzers' own test inputs from istio/istio, run through
//! meshlint with the matching rules selected, must give exactly the (code, resource) pairs that
//! istioctl's tests expect (research/istioctl.md §3.4; `pkg/config/analysis/analyzers/
//! analyzers_test.go` on master). Istio compares with `ConsistOf`: order-free, multiplicity
//! counts, so the pairs are compared as sorted lists. The inputs live in `/work/shared/acceptance`
//! (`../shared/acceptance` relative to this crate); when that directory is absent the tests print
//! a note and pass.

use std::path::PathBuf;

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};

fn acceptance_file(name: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/acceptance");
    if !dir.is_dir() {
        eprintln!("note: {} not found, acceptance test skipped", dir.display());
        return None;
    }
    Some(dir.join("istio-analyzers").join(name))
}

/// Runs `rules` on one acceptance file, judged by the default (latest) Istio version as Istio's
/// master tests are, and returns `(istio code, "Kind ns/name")` per finding, sorted. A finding
/// without exactly one istioctl code shows as `-` so that it fails the comparison.
fn run(file: &str, rules: &[&str]) -> Option<Vec<(String, String)>> {
    let path = acceptance_file(file)?;
    let loaded = load(&[InputSource::File(path)], &LoadOptions::default()).unwrap();
    // istioctl's analyzer tests run with the release they ship in; the fixtures' pods carry old
    // proxy images (`proxyv2:1.3.0-rc.2`) that meshlint would otherwise detect the version from.
    let analysis = Analysis::new(loaded, Some(meshlint::version::IstioVersion::LATEST), None);
    let settings = Settings {
        select: rules.iter().map(|r| (*r).to_owned()).collect(),
        ..Settings::default()
    };
    let outcome = engine::run(&analysis, &settings);
    let mut got: Vec<(String, String)> = outcome
        .findings
        .iter()
        .map(|f| {
            let code = match f.istio_codes.as_slice() {
                [one] => (*one).to_owned(),
                _ => "-".to_owned(),
            };
            let resource = f
                .resource
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            (code, resource)
        })
        .collect();
    got.sort();
    Some(got)
}

fn expect(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    let mut v: Vec<_> = pairs
        .iter()
        .map(|(c, r)| ((*c).to_owned(), (*r).to_owned()))
        .collect();
    v.sort();
    v
}

const INJECTION_RULES: &[&str] = &[
    "namespace-not-injected",
    "namespace-injection-labels-conflict",
    "pod-missing-proxy",
];

/// `injection.Analyzer` on `testdata/injection.yaml` (research/istioctl.md §3.4; Istio
/// `analyzers_test.go` case `istioInjection`): IST0102 on Namespace bar, IST0123 on busted,
/// multi-ns-1, multi-ns-2 and multi-ns-3. Divergence: istioctl also reports IST0103 on Pod
/// default/noninjectedpod, taking every Pod it reads as running; that Pod has no status, uid or
/// owner, so meshlint reads it as a manifest the webhook will inject (the seed step
/// seed-strict-and-rbac/03 relies on exactly that), and `describe`/`check` agree.
#[test]
fn injection_analyzer_ist0102_ist0103_ist0123() {
    let Some(got) = run("injection.yaml", INJECTION_RULES) else {
        return;
    };
    assert_eq!(
        got,
        expect(&[
            ("IST0102", "Namespace bar"),
            ("IST0123", "Namespace busted"),
            ("IST0123", "Namespace multi-ns-1"),
            ("IST0123", "Namespace multi-ns-2"),
            ("IST0123", "Namespace multi-ns-3"),
        ])
    );
}

/// `service.PortNameAnalyzer` on `testdata/service-no-port-name.yaml` (research/istioctl.md
/// §3.4; Istio `analyzers_test.go` case `portNameNotFollowConvention`): two unnamed ports on
/// my-service1, one port named `foo` on my-service2.
#[test]
fn port_name_analyzer_ist0118() {
    let Some(got) = run("service-no-port-name.yaml", &["port-name-protocol"]) else {
        return;
    };
    assert_eq!(
        got,
        expect(&[
            ("IST0118", "Service my-namespace1/my-service1"),
            ("IST0118", "Service my-namespace1/my-service1"),
            ("IST0118", "Service my-namespace2/my-service2"),
        ])
    );
}

/// `service.PortNameAnalyzer` on `testdata/service-port-name.yaml` (research/istioctl.md §3.4;
/// Istio case `namedPort`): a `tcp-foo` port, and gateway/waypoint Services Istio manages
/// (`appProtocol: hbone`) — nothing to report.
#[test]
fn port_name_analyzer_named_port_none() {
    let Some(got) = run("service-port-name.yaml", &["port-name-protocol"]) else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

/// `service.PortNameAnalyzer` on `testdata/service-no-port-name-system-namespace.yaml`
/// (research/istioctl.md §3.4; Istio case `unnamedPortInSystemNamespace`): Services in
/// kube-system/kube-public and Istio control-plane Services are skipped.
#[test]
fn port_name_analyzer_system_namespace_none() {
    let Some(got) = run(
        "service-no-port-name-system-namespace.yaml",
        &["port-name-protocol"],
    ) else {
        return;
    };
    assert_eq!(got, expect(&[]));
}
