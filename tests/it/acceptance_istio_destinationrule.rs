//! Acceptance: istioctl's own analyzer test inputs for DestinationRule CA certificates (IST0128,
//! IST0129) and v1alpha1 Policy ports (IST0114), run through meshlint with one rule selected,
//! must give exactly the (code, resource) pairs Istio's tests expect (research/istioctl.md §3.4).
//! Istio's tests compare with `ConsistOf`: order-free, multiplicity counts. The inputs live in
//! `/work/shared/acceptance` (`../shared/acceptance` relative to this crate); when that directory
//! is absent the tests print a note and pass.
//!
//! The destinationrule-* files have no namespace. Istio's test runs them in namespace `""`;
//! meshlint defaults namespace-less objects to `default`, so the expected resources read
//! `DestinationRule default/<name>`.

use crate::acceptance_dir;

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::version::IstioVersion;

/// Runs `rule` on one acceptance file; returns `(code, "Kind ns/name")` for every finding and
/// every code in `codes` it carries (`"-"` for a finding with none of them), sorted.
fn run(file: &str, version: &str, rule: &str, codes: &[&str]) -> Option<Vec<(String, String)>> {
    let path = acceptance_dir()?.join("istio-analyzers").join(file);
    let loaded = load(&[InputSource::File(path)], &LoadOptions::default()).unwrap();
    let version: IstioVersion = version.parse().unwrap();
    let analysis = Analysis::new(loaded, Some(version), None);
    let settings = Settings {
        select: vec![rule.to_owned()],
        ..Settings::default()
    };
    let outcome = engine::run(&analysis, &settings);
    let mut got = Vec::new();
    for f in &outcome.findings {
        let r = f
            .resource
            .as_ref()
            .map(ToString::to_string)
            .unwrap_or_default();
        let mine: Vec<&str> = codes
            .iter()
            .copied()
            .filter(|c| f.istio_codes.contains(c))
            .collect();
        if mine.is_empty() {
            got.push(("-".to_owned(), r));
        } else {
            got.extend(mine.into_iter().map(|c| (c.to_owned(), r.clone())));
        }
    }
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

// research/istioctl.md §3.4, `pkg/config/analysis/analyzers/analyzers_test.go@master` with the
// test data `pkg/config/analysis/analyzers/testdata/destinationrule-*.yaml`, analyzer
// `destinationrule.CaCertificateAnalyzer`: IST0128 for a top-level SIMPLE/MUTUAL without
// caCertificates, IST0129 per such portLevelSettings entry, nothing with caCertificates or with
// credentialName plus workloadSelector.
#[test]
fn ca_certificate_analyzer_ist0128_ist0129() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "destinationrule-simple-destination.yaml",
            &[("IST0128", "DestinationRule default/db-tls")],
        ),
        (
            "destinationrule-mutual-destination.yaml",
            &[("IST0128", "DestinationRule default/db-mtls")],
        ),
        (
            "destinationrule-simple-destination-credentialname.yaml",
            &[("IST0128", "DestinationRule default/db-tls")],
        ),
        (
            "destinationrule-simple-port.yaml",
            &[("IST0129", "DestinationRule default/db-tls")],
        ),
        (
            "destinationrule-mutual-port.yaml",
            &[("IST0129", "DestinationRule default/db-mtls")],
        ),
        (
            "destinationrule-simple-port-credentialname.yaml",
            &[("IST0129", "DestinationRule default/db-tls")],
        ),
        (
            "destinationrule-compound-simple-mutual.yaml",
            &[
                ("IST0128", "DestinationRule default/db-mtls"),
                ("IST0129", "DestinationRule default/db-mtls"),
            ],
        ),
        (
            "destinationrule-compound-mutual-simple.yaml",
            &[
                ("IST0128", "DestinationRule default/db-mtls"),
                ("IST0129", "DestinationRule default/db-mtls"),
            ],
        ),
        (
            "destinationrule-simple-destination-credentialname-selector.yaml",
            &[],
        ),
        (
            "destinationrule-simple-port-credentialname-selector.yaml",
            &[],
        ),
        ("destinationrule-with-ca.yaml", &[]),
    ];
    for (file, want) in cases {
        let Some(got) = run(file, "latest", "dr-tls-without-ca", &["IST0128", "IST0129"]) else {
            return;
        };
        assert_eq!(got, expect(want), "{file}");
    }
}

// research/istioctl.md §3.1, §3.4, `galley/pkg/config/analysis/analyzers/analyzers_test.go@release-1.5`,
// analyzer `auth.MTLSAnalyzer`, which also emits IST0114 for a Policy port *name* the target
// Service lacks (`NamedPortInPolicyNotFoundError`). None of the 1.5 test files expects IST0114:
// the only Policies with ports are in mtls-with-port.yaml (numbers 8080–8082, all present on
// my-service) and the jwt-*.yaml files (run there with the Jwt analyzer only; their named ports
// exist too). So policy-port-not-found must report nothing on any of them.
#[test]
fn mtls_analyzer_ist0114() {
    let files = [
        "mtls-exports.yaml",
        "mtls-global-dr-no-meshpolicy.yaml",
        "mtls-ignores-istio-control-plane.yaml",
        "mtls-ignores-system-namespaces.yaml",
        "mtls-meshpolicy-permissive.yaml",
        "mtls-meshpolicy.yaml",
        "mtls-no-dr.yaml",
        "mtls-no-policy.yaml",
        "mtls-no-sidecar.yaml",
        "mtls-with-port.yaml",
        "jwt-invalid-service-port-name.yaml",
        "jwt-valid-service-port-name.yaml",
    ];
    for file in files {
        let Some(got) = run(file, "1.5", "policy-port-not-found", &["IST0114"]) else {
            return;
        };
        assert_eq!(got, expect(&[]), "{file}");
    }
}
