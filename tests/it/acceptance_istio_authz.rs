//! Acceptance: the security analyzers' own test inputs from istio/istio, run through meshlint
//! with one rule selected, must give exactly the (code, resource) pairs istioctl's tests expect
//! (research/istioctl.md §3.4). Istio's tests compare with `ConsistOf`: order-free, multiplicity
//! counts. The inputs live in `/work/shared/acceptance` (`../shared/acceptance` relative to this
//! crate); when that directory is absent the tests print a note and pass.

use crate::acceptance_dir;

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::version::IstioVersion;

/// Runs `rule` on one acceptance file and returns `(istio code, "Kind ns/name")` per finding
/// that carries `code`, sorted; findings of the rule without that code are returned as
/// `("-", …)` so that extra findings fail the comparison too.
fn run(file: &str, version: &str, rule: &str, code: &str) -> Option<Vec<(String, String)>> {
    let path = acceptance_dir()?.join(file);
    let loaded = load(&[InputSource::File(path)], &LoadOptions::default()).unwrap();
    let version: IstioVersion = version.parse().unwrap();
    let analysis = Analysis::new(loaded, Some(version), None);
    let settings = Settings {
        select: vec![rule.to_owned()],
        ..Settings::default()
    };
    let outcome = engine::run(&analysis, &settings);
    let mut got: Vec<(String, String)> = outcome
        .findings
        .iter()
        .map(|f| {
            let c = if f.istio_codes.contains(&code) {
                code.to_owned()
            } else {
                "-".to_owned()
            };
            let r = f
                .resource
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            (c, r)
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

// istioctl.md §3.4, `pkg/config/analysis/analyzers/testdata/authorizationpolicies.yaml@master`,
// analyzer `auth.AuthorizationPoliciesAnalyzer`: IST0127 ×4. Divergence: istioctl also reports
// httpbin-empty/httpbin-empty-namespace-wide, taking its input for the whole cluster; the input
// holds no workload (and no Namespace object) of httpbin-empty, so meshlint cannot tell an empty
// namespace from one whose apps live elsewhere and stays silent (issue 13,
// field/partial-inputs/README.md).
#[test]
fn authorization_policies_analyzer_ist0127() {
    let Some(got) = run(
        "istio-analyzers/authorizationpolicies.yaml",
        "latest",
        "selector-matches-nothing",
        "IST0127",
    ) else {
        return;
    };
    assert_eq!(
        got,
        expect(&[
            (
                "IST0127",
                "AuthorizationPolicy istio-system/meshwide-httpbin-v1"
            ),
            ("IST0127", "AuthorizationPolicy httpbin/httpbin-nopods"),
            ("IST0127", "AuthorizationPolicy test-ambient/no-workload"),
        ])
    );
}

// istioctl.md §3.4, `pkg/config/analysis/analyzers/testdata/authorizationpolicies.yaml@master`,
// analyzer `auth.AuthorizationPoliciesAnalyzer`: IST0101 ×2 on httpbin-bogus-ns and ×2 on
// httpbin-bogus-not-ns.
#[test]
fn authorization_policies_analyzer_ist0101() {
    let Some(got) = run(
        "istio-analyzers/authorizationpolicies.yaml",
        "latest",
        "authz-unknown-namespace",
        "IST0101",
    ) else {
        return;
    };
    assert_eq!(
        got,
        expect(&[
            ("IST0101", "AuthorizationPolicy httpbin/httpbin-bogus-ns"),
            ("IST0101", "AuthorizationPolicy httpbin/httpbin-bogus-ns"),
            (
                "IST0101",
                "AuthorizationPolicy httpbin/httpbin-bogus-not-ns"
            ),
            (
                "IST0101",
                "AuthorizationPolicy httpbin/httpbin-bogus-not-ns"
            ),
        ])
    );
}

// istioctl.md §3.4, `galley/pkg/config/analysis/analyzers/testdata/policy-with-peerauthentication-crd.yaml@release-1.5`,
// analyzer `policy.DeprecatedAnalyzer`: IST0120 on Policy foobar/namespace-level-policy and
// IST0121 on MeshPolicy default.
#[test]
fn deprecated_analyzer_with_peerauthentication_crd_ist0120_ist0121() {
    let dir = "istio-analyzers/policy-with-peerauthentication-crd.yaml";
    let Some(policy) = run(dir, "1.5", "deprecated-api", "IST0120") else {
        return;
    };
    let mesh = run(dir, "1.5", "deprecated-api", "IST0121").unwrap();
    // Each finding carries exactly one of the two codes: read each run for its own code.
    assert_eq!(
        policy,
        expect(&[
            ("-", "MeshPolicy default"),
            ("IST0120", "Policy foobar/namespace-level-policy"),
        ])
    );
    assert_eq!(
        mesh,
        expect(&[
            ("-", "Policy foobar/namespace-level-policy"),
            ("IST0121", "MeshPolicy default"),
        ])
    );
}

// istioctl.md §3.4, `galley/pkg/config/analysis/analyzers/testdata/policy-without-peerauthentication-crd.yaml@release-1.5`,
// analyzer `policy.DeprecatedAnalyzer`: no message without the PeerAuthentication CRD.
#[test]
fn deprecated_analyzer_without_peerauthentication_crd_none() {
    let Some(got) = run(
        "istio-analyzers/policy-without-peerauthentication-crd.yaml",
        "1.5",
        "deprecated-api",
        "IST0120",
    ) else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

// Kiali fixtures (kiali-istiovet.md §3): the AuthorizationPolicy `bookinfo/policy` with
// principals but no workloads in the inputs. The selector, namespace and principal rules must
// stay silent on them (no workloads: nothing to judge; `bookinfo*` matches `bookinfo`).
#[test]
fn kiali_authorization_fixtures_no_selector_namespace_or_principal_findings() {
    let Some(dir) = acceptance_dir() else {
        return;
    };
    let mut files: Vec<_> = std::fs::read_dir(dir.join("kiali/authorization"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    files.sort();
    for path in files {
        let rel = path
            .strip_prefix(&dir)
            .unwrap()
            .to_str()
            .unwrap()
            .to_owned();
        for rule in [
            "selector-matches-nothing",
            "authz-unknown-namespace",
            "authz-unknown-principal",
        ] {
            let got = run(&rel, "latest", rule, "-").unwrap();
            assert_eq!(got, expect(&[]), "{rule} on {rel}");
        }
    }
}

// istioctl.md §3.4 (1.5 analyzers, `auth.ServiceRoleBindingAnalyzer`): IST0101 on the binding
// whose roleRef names no ServiceRole; none for the one without roleRef.
#[test]
fn service_role_binding_analyzer_ist0101() {
    let Some(got) = run(
        "istio-analyzers/servicerolebindings.yaml",
        "1.5",
        "rbac-reference-not-found",
        "IST0101",
    ) else {
        return;
    };
    assert_eq!(
        got,
        expect(&[("IST0101", "ServiceRoleBinding default/test-bogus-binding")])
    );
}

// istioctl.md §3.4 (1.5 analyzers, `auth.ServiceRoleServicesAnalyzer`): IST0101 on the six
// ServiceRoles whose services match no Service.
#[test]
fn service_role_services_analyzer_ist0101() {
    let Some(got) = run(
        "istio-analyzers/serviceroleservices.yaml",
        "1.5",
        "rbac-reference-not-found",
        "IST0101",
    ) else {
        return;
    };
    assert_eq!(
        got,
        expect(&[
            ("IST0101", "ServiceRole anothernamespace/fqdn"),
            ("IST0101", "ServiceRole anothernamespace/fqdn-cross-ns"),
            ("IST0101", "ServiceRole anothernamespace/namespace-wide"),
            ("IST0101", "ServiceRole anothernamespace/short-name"),
            ("IST0101", "ServiceRole default/bogus-fqdn"),
            ("IST0101", "ServiceRole default/bogus-short-name"),
        ])
    );
}

// istioctl.md §3.4 (1.5 analyzers, `JwtAnalyzer`): 6× IST0119 on the Policies of
// jwt-invalid-service-port-name.yaml, none on jwt-valid-service-port-name.yaml.
#[test]
fn jwt_analyzer_ist0119() {
    let Some(got) = run(
        "istio-analyzers/jwt-invalid-service-port-name.yaml",
        "1.5",
        "jwt-port-not-http",
        "IST0119",
    ) else {
        return;
    };
    assert_eq!(got.len(), 6, "{got:?}");
    assert!(got.iter().all(|(_, r)| r.starts_with("Policy ")), "{got:?}");
    let Some(got) = run(
        "istio-analyzers/jwt-valid-service-port-name.yaml",
        "1.5",
        "jwt-port-not-http",
        "IST0119",
    ) else {
        return;
    };
    assert!(got.is_empty(), "{got:?}");
}
