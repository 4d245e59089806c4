//! Acceptance against Kiali's mTLS checker fixtures (research/kiali-istiovet.md §1.3 for the
//! checkers, §3 for the expected codes, §1.4 for their flaws), copied to
//! `shared/acceptance/kiali/{destinationrules,peerauthentications}/`. In each fixture the first
//! object is the one under test.
//!
//! Kiali's fixtures hold only policies and rules; its checkers never look at workloads. Each
//! fixture runs alone, as in Kiali (issue 13): meshlint evaluates the workloads the policies
//! imply (`facts/implied.rs`: a DR host implies its Service, a namespace-wide policy a workload
//! of that namespace, a mesh-wide one a workload elsewhere). Only the divergence that turns on a
//! port of `ratings` adds that Service ([`RATINGS`]).
//!
//! The rules run are `mtls-mode-conflict`, `mtls-to-workload-without-sidecar` and
//! `dr-tls-overridden`, under the latest Istio (auto mTLS on) unless a test says otherwise.
//! Tests named `kiali_divergence_<fixture>` assert Istio's real behaviour where Kiali's checker
//! is wrong and say what Kiali reports instead.
//!
//! Skipped with a note when `../shared/acceptance` does not exist next to the crate.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::load::{LoadOptions, Loaded};

fn dir() -> Option<PathBuf> {
    let d = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/acceptance/kiali");
    if d.is_dir() {
        Some(d)
    } else {
        println!("note: {} not found, acceptance test skipped", d.display());
        None
    }
}

/// An injected `ratings.bookinfo:9080`, for the one divergence that turns on that port
/// (`kiali_divergence_disabled_meshwide_checker_2_port_level`); every other test runs the
/// fixture alone.
const RATINGS: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: bookinfo, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: ratings, namespace: bookinfo}
spec:
  selector: {matchLabels: {app: ratings}}
  template:
    metadata: {labels: {app: ratings}}
    spec:
      containers: [{name: ratings, image: ratings, ports: [{containerPort: 9080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: ratings, namespace: bookinfo}
spec:
  selector: {app: ratings}
  ports: [{name: http, port: 9080}]
"#;

fn fixture(name: &str) -> Option<String> {
    let path = dir()?.join(name);
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// `(Kiali code, Kind, ns/name)` of every finding that carries a Kiali code, for `text` plus
/// `extra` (empty but for one test).
fn kiali_codes(text: &str, extra: &str, version: &str) -> BTreeSet<(String, String, String)> {
    let all = if extra.is_empty() {
        text.to_owned()
    } else {
        format!("{text}\n---\n{extra}")
    };
    let loaded = Loaded::from_text("kiali.yaml", &all, &LoadOptions::default());
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    let a = Analysis::new(loaded, Some(version.parse().unwrap()), None);
    let settings = Settings {
        select: vec![
            "mtls-mode-conflict".to_owned(),
            "mtls-to-workload-without-sidecar".to_owned(),
            "dr-tls-overridden".to_owned(),
        ],
        ..Settings::default()
    };
    let mut set = BTreeSet::new();
    for f in engine::run(&a, &settings).findings {
        let r = f.resource.as_ref().expect("finding without resource");
        let id = match &r.namespace {
            Some(ns) => format!("{ns}/{}", r.name),
            None => r.name.clone(),
        };
        for code in &f.kiali_codes {
            set.insert(((*code).to_owned(), r.kind.clone(), id.clone()));
        }
    }
    set
}

fn expect(items: &[(&str, &str, &str)]) -> BTreeSet<(String, String, String)> {
    items
        .iter()
        .map(|(c, k, id)| ((*c).to_owned(), (*k).to_owned(), (*id).to_owned()))
        .collect()
}

/// Runs fixture `name` and returns its Kiali codes, or `None` when the data is absent.
fn run(name: &str) -> Option<BTreeSet<(String, String, String)>> {
    Some(kiali_codes(&fixture(name)?, "", "latest"))
}

/// Only the codes on the object under test (the first one in the file).
fn on(
    got: &BTreeSet<(String, String, String)>,
    kind: &str,
    id: &str,
) -> BTreeSet<(String, String, String)> {
    got.iter()
        .filter(|(_, k, i)| k == kind && i == id)
        .cloned()
        .collect()
}

// ---------------------------------------------------------------------------------------------
// destinationrules/ (DisabledMeshWideMTLSChecker, KIA0208)
// ---------------------------------------------------------------------------------------------

/// `*.local` DR DISABLE plus mesh PA DISABLE: nothing (both sides plaintext).
#[test]
fn kiali_dr_disabled_meshwide_checker_1() {
    let Some(got) = run("destinationrules/disabled_meshwide_checker_1.yaml") else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

/// `*.local` DR DISABLE (in bookinfo) plus mesh PA STRICT: KIA0208 on the DR. Every client
/// sees the rule (exported, bookinfo is the service namespace) and sends plaintext to STRICT
/// ratings → 503. (meshlint also puts KIA0401 on the STRICT mesh PA, the server side of the same
/// conflict; Kiali would not, since its KIA0401 needs auto mTLS off — reported, not asserted.)
#[test]
fn kiali_dr_disabled_meshwide_checker_2() {
    let Some(got) = run("destinationrules/disabled_meshwide_checker_2.yaml") else {
        return;
    };
    assert_eq!(
        on(&got, "DestinationRule", "bookinfo/disable-mesh-mtls"),
        expect(&[("KIA0208", "DestinationRule", "bookinfo/disable-mesh-mtls")])
    );
}

/// `*.local` DR DISABLE with only a workload PA (for a grafana that does not exist): nothing.
#[test]
fn kiali_dr_disabled_meshwide_checker_3() {
    let Some(got) = run("destinationrules/disabled_meshwide_checker_3.yaml") else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

/// `*.local` DR DISABLE plus mesh PA PERMISSIVE: nothing.
#[test]
fn kiali_dr_disabled_meshwide_checker_4() {
    let Some(got) = run("destinationrules/disabled_meshwide_checker_4.yaml") else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

// ---------------------------------------------------------------------------------------------
// peerauthentications/ (DisabledMeshWideChecker KIA0506, DisabledNamespaceWideChecker KIA0505)
// ---------------------------------------------------------------------------------------------

/// Mesh PA DISABLE; `*.local` DR DISABLE; grafana DR ISTIO_MUTUAL (no grafana service): nothing.
#[test]
fn kiali_pa_disabled_meshwide_checker_1() {
    let Some(got) = run("peerauthentications/disabled_meshwide_checker_1.yaml") else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

/// Mesh PA DISABLE; `*.local` DR ISTIO_MUTUAL: KIA0506 on the PA (clients send mTLS to
/// plaintext-only servers → 503).
#[test]
fn kiali_pa_disabled_meshwide_checker_2() {
    let Some(got) = run("peerauthentications/disabled_meshwide_checker_2.yaml") else {
        return;
    };
    assert_eq!(
        on(&got, "PeerAuthentication", "istio-system/disable-mesh-mtls"),
        expect(&[(
            "KIA0506",
            "PeerAuthentication",
            "istio-system/disable-mesh-mtls"
        )])
    );
}

/// Mesh PA DISABLE; only a service DR: nothing (auto mTLS infers DISABLE → plaintext).
#[test]
fn kiali_pa_disabled_meshwide_checker_3() {
    let Some(got) = run("peerauthentications/disabled_meshwide_checker_3.yaml") else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

/// ns PA DISABLE; ns DR DISABLE; a `details` DR ISTIO_MUTUAL. Divergence: Kiali reports
/// nothing, its walk stops at the namespace-wide DISABLE DR and never looks at service-level
/// hosts (§1.3 KIA0505, §1.4.1). In Istio the exact-host `details` DR is more specific than the
/// namespace-wide rule (istio-semantics §4 "Host matching"), so clients send mTLS to details
/// (implied by its DR), which the namespace PA makes plaintext-only → 503: KIA0505 on the PA,
/// and the details DR overrides the namespace DR's DISABLE (KIA0204).
#[test]
fn kiali_pa_disabled_namespacewide_checker_1() {
    let Some(got) = run("peerauthentications/disabled_namespacewide_checker_1.yaml") else {
        return;
    };
    assert_eq!(got, details_conflict());
}

/// What the `details` DR ISTIO_MUTUAL of fixtures `_1` and `_3` gives under the namespace PA
/// DISABLE: KIA0505 on the PA, KIA0204 on the DR that overrides a broader DISABLE.
fn details_conflict() -> BTreeSet<(String, String, String)> {
    expect(&[
        ("KIA0204", "DestinationRule", "bookinfo/details-enable-mtls"),
        (
            "KIA0505",
            "PeerAuthentication",
            "bookinfo/disable-mtls-bookinfo",
        ),
    ])
}

/// ns PA DISABLE; ns DR ISTIO_MUTUAL: KIA0505 on the PA.
#[test]
fn kiali_pa_disabled_namespacewide_checker_2() {
    let Some(got) = run("peerauthentications/disabled_namespacewide_checker_2.yaml") else {
        return;
    };
    assert_eq!(
        on(&got, "PeerAuthentication", "bookinfo/disable-mtls-bookinfo"),
        expect(&[(
            "KIA0505",
            "PeerAuthentication",
            "bookinfo/disable-mtls-bookinfo"
        )])
    );
}

/// ns PA DISABLE; mesh DR DISABLE; the `details` DR ISTIO_MUTUAL of `_1`. Kiali: nothing (the
/// mesh DR disables). Istio: the `details` host is more specific, as in `_1`.
#[test]
fn kiali_pa_disabled_namespacewide_checker_3() {
    let Some(got) = run("peerauthentications/disabled_namespacewide_checker_3.yaml") else {
        return;
    };
    assert_eq!(got, details_conflict());
}

/// ns PA DISABLE; mesh `*.local` DR ISTIO_MUTUAL: KIA0505 on the PA.
#[test]
fn kiali_pa_disabled_namespacewide_checker_4() {
    let Some(got) = run("peerauthentications/disabled_namespacewide_checker_4.yaml") else {
        return;
    };
    assert_eq!(
        on(&got, "PeerAuthentication", "bookinfo/disable-mtls-bookinfo"),
        expect(&[(
            "KIA0505",
            "PeerAuthentication",
            "bookinfo/disable-mtls-bookinfo"
        )])
    );
}

/// ns PA DISABLE, no DR: nothing.
#[test]
fn kiali_pa_disabled_namespacewide_checker_5() {
    let Some(got) = run("peerauthentications/disabled_namespacewide_checker_5.yaml") else {
        return;
    };
    assert_eq!(got, expect(&[]));
}

// ---------------------------------------------------------------------------------------------
// Go-built Kiali tests re-expressed as YAML (research §3, "Go-built tests")
// ---------------------------------------------------------------------------------------------

fn pa(name: &str, ns: &str, mode: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  mtls: {{mode: {mode}}}\n"
    )
}

fn dr(name: &str, ns: &str, host: &str, mode: &str) -> String {
    format!(
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n  host: \"{host}\"\n  trafficPolicy: {{tls: {{mode: {mode}}}}}\n"
    )
}

fn docs(items: &[String]) -> String {
    items.join("---\n")
}

const AUTO_OFF: &str = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: istio, namespace: istio-system}\ndata:\n  mesh: |\n    enableAutoMtls: false\n";

/// disabled_namespacewide_mtls_checker_test.go: a ns DR DISABLE gives KIA0207 with a ns STRICT
/// PA, KIA0208 with a mesh STRICT PA only, nothing with ns PERMISSIVE (even under mesh STRICT).
#[test]
fn kiali_go_disabled_namespacewide_mtls_checker() {
    if dir().is_none() {
        return;
    }
    let rule = dr(
        "ns-off",
        "bookinfo",
        "*.bookinfo.svc.cluster.local",
        "DISABLE",
    );
    let got = kiali_codes(
        &docs(&[rule.clone(), pa("default", "bookinfo", "STRICT")]),
        "",
        "latest",
    );
    assert_eq!(
        on(&got, "DestinationRule", "bookinfo/ns-off"),
        expect(&[("KIA0207", "DestinationRule", "bookinfo/ns-off")])
    );
    let got = kiali_codes(
        &docs(&[rule.clone(), pa("default", "istio-system", "STRICT")]),
        "",
        "latest",
    );
    assert_eq!(
        on(&got, "DestinationRule", "bookinfo/ns-off"),
        expect(&[("KIA0208", "DestinationRule", "bookinfo/ns-off")])
    );
    for other in [
        vec![pa("default", "bookinfo", "PERMISSIVE")],
        vec![pa("default", "bookinfo", "DISABLE")],
        vec![
            pa("default", "bookinfo", "PERMISSIVE"),
            pa("default", "istio-system", "STRICT"),
        ],
        vec![pa("default", "istio-system", "PERMISSIVE")],
        vec![],
    ] {
        let mut items = vec![rule.clone()];
        items.extend(other);
        assert_eq!(
            kiali_codes(&docs(&items), "", "latest"),
            expect(&[]),
            "{items:?}"
        );
    }
}

/// mesh_mtls_checker_test.go / namespace_mtls_checker_test.go: a STRICT PA with auto mTLS off
/// and no suitable ISTIO_MUTUAL DR gives KIA0401 (mesh) / KIA0501 (namespace); a namespace DR
/// is not enough for the mesh PA; nothing with auto mTLS or PERMISSIVE.
#[test]
fn kiali_go_mesh_and_namespace_mtls_checker() {
    if dir().is_none() {
        return;
    }
    let mesh = pa("default", "istio-system", "STRICT");
    let got = kiali_codes(&docs(&[mesh.clone(), AUTO_OFF.to_owned()]), "", "latest");
    assert_eq!(
        on(&got, "PeerAuthentication", "istio-system/default"),
        expect(&[("KIA0401", "PeerAuthentication", "istio-system/default")])
    );
    let mesh_dr = dr("mesh-on", "istio-system", "*.local", "ISTIO_MUTUAL");
    assert_eq!(
        kiali_codes(
            &docs(&[mesh.clone(), mesh_dr.clone(), AUTO_OFF.to_owned()]),
            "",
            "latest"
        ),
        expect(&[])
    );
    // Only a namespace DR: the mesh PA still breaks calls to every other namespace.
    let ns_dr = dr(
        "ns-on",
        "bookinfo",
        "*.bookinfo.svc.cluster.local",
        "ISTIO_MUTUAL",
    );
    let got = kiali_codes(
        &docs(&[mesh.clone(), ns_dr.clone(), AUTO_OFF.to_owned()]),
        "",
        "latest",
    );
    assert_eq!(
        on(&got, "PeerAuthentication", "istio-system/default"),
        expect(&[("KIA0401", "PeerAuthentication", "istio-system/default")])
    );
    assert_eq!(kiali_codes(&mesh, "", "latest"), expect(&[]), "auto mTLS");

    let ns = pa("default", "bookinfo", "STRICT");
    let got = kiali_codes(&docs(&[ns.clone(), AUTO_OFF.to_owned()]), "", "latest");
    assert_eq!(
        on(&got, "PeerAuthentication", "bookinfo/default"),
        expect(&[("KIA0501", "PeerAuthentication", "bookinfo/default")])
    );
    for answer in [ns_dr, mesh_dr] {
        assert_eq!(
            kiali_codes(
                &docs(&[ns.clone(), answer, AUTO_OFF.to_owned()]),
                "",
                "latest"
            ),
            expect(&[])
        );
    }
    assert_eq!(kiali_codes(&ns, "", "latest"), expect(&[]), "auto mTLS");
    assert_eq!(
        kiali_codes(
            &docs(&[pa("default", "bookinfo", "PERMISSIVE"), AUTO_OFF.to_owned()]),
            "",
            "latest"
        ),
        expect(&[])
    );
}

// ---------------------------------------------------------------------------------------------
// Divergences: Istio's real behaviour where Kiali's checker is wrong (research §1.4)
// ---------------------------------------------------------------------------------------------

/// disabled_namespacewide_checker_6: for clients in bookinfo (and any namespace but the root)
/// the namespace DISABLE DR wins, as Kiali says. But a sidecar client in the root namespace
/// looks only at root-namespace rules first (istio-semantics §4 "Which namespace's DRs", step
/// 1), finds the `*.local` ISTIO_MUTUAL rule and sends mTLS to the plaintext-only ratings →
/// 503. Kiali reports nothing (the namespace DISABLE DR "shields" the PA in its walk, §1.3).
#[test]
fn kiali_divergence_disabled_namespacewide_checker_6() {
    let Some(got) = run("peerauthentications/disabled_namespacewide_checker_6.yaml") else {
        return;
    };
    assert_eq!(
        on(&got, "PeerAuthentication", "bookinfo/disable-mtls-bookinfo"),
        expect(&[(
            "KIA0505",
            "PeerAuthentication",
            "bookinfo/disable-mtls-bookinfo"
        )])
    );
}

/// disabled_meshwide_checker_2 (destinationrules) with host `*` or `*.svc.cluster.local`
/// instead of `*.local`: Istio matches these wildcards just the same (istio-semantics §4), so
/// clients still send plaintext to STRICT ratings → 503. Kiali only counts the literal host
/// `*.local` as mesh-wide and reports nothing (§1.4.1).
#[test]
fn kiali_divergence_disabled_meshwide_checker_2() {
    let Some(text) = fixture("destinationrules/disabled_meshwide_checker_2.yaml") else {
        return;
    };
    for host in ["*", "*.svc.cluster.local"] {
        let t = text.replace("\"*.local\"", &format!("\"{host}\""));
        let got = kiali_codes(&t, "", "latest");
        assert_eq!(
            on(&got, "DestinationRule", "bookinfo/disable-mesh-mtls"),
            expect(&[("KIA0208", "DestinationRule", "bookinfo/disable-mesh-mtls")]),
            "{host}"
        );
    }
}

/// disabled_namespacewide_checker_2 with `selector: {}` on the PA: an empty selector is
/// namespace-wide in Istio (istio-semantics §3 "Scopes"), so ratings is plaintext-only and the
/// ISTIO_MUTUAL namespace DR breaks it → 503. Kiali treats any non-nil selector as
/// workload-scoped and reports nothing (§1.4.2).
#[test]
fn kiali_divergence_disabled_namespacewide_checker_2() {
    let Some(text) = fixture("peerauthentications/disabled_namespacewide_checker_2.yaml") else {
        return;
    };
    let t = text.replacen("spec:\n  mtls:", "spec:\n  selector: {}\n  mtls:", 1);
    assert_ne!(t, text);
    let got = kiali_codes(&t, "", "latest");
    assert_eq!(
        on(&got, "PeerAuthentication", "bookinfo/disable-mtls-bookinfo"),
        expect(&[(
            "KIA0505",
            "PeerAuthentication",
            "bookinfo/disable-mtls-bookinfo"
        )])
    );
}

/// disabled_namespacewide_checker_5 turned around with portLevelMtls: a ratings PA that is
/// STRICT but DISABLE on port 9080, plus the namespace ISTIO_MUTUAL DR of fixture _2. Istio
/// keys portLevelMtls by the target port (istio-semantics §3 "Port level"), so ratings:9080 is
/// plaintext-only and clients sending mTLS get 503. Kiali never reads portLevelMtls (§1.4.4)
/// and the PA has a selector, so it reports nothing.
#[test]
fn kiali_divergence_disabled_namespacewide_checker_5() {
    let Some(text) = fixture("peerauthentications/disabled_namespacewide_checker_2.yaml") else {
        return;
    };
    let t = text.replacen(
        "spec:\n  mtls:\n    mode: DISABLE",
        "spec:\n  selector: {matchLabels: {app: ratings}}\n  mtls:\n    mode: STRICT\n  portLevelMtls:\n    9080: {mode: DISABLE}",
        1,
    );
    assert_ne!(t, text);
    let got = kiali_codes(&t, "", "latest");
    assert_eq!(
        on(&got, "PeerAuthentication", "bookinfo/disable-mtls-bookinfo"),
        expect(&[(
            "KIA0505",
            "PeerAuthentication",
            "bookinfo/disable-mtls-bookinfo"
        )])
    );
}

/// disabled_meshwide_checker_2 (destinationrules) plus a `portLevelSettings` entry for port
/// 9080 without tls: the entry replaces the whole policy for that Service port
/// (istio-semantics §4 "Where TLS comes from" 1), so clients of ratings:9080 fall back to auto
/// mTLS, which sends ISTIO_MUTUAL to the STRICT sidecar: it works. Kiali reads only
/// `trafficPolicy.tls` (§1.3) and still reports KIA0208 on the rule.
#[test]
fn kiali_divergence_disabled_meshwide_checker_2_port_level() {
    let Some(text) = fixture("destinationrules/disabled_meshwide_checker_2.yaml") else {
        return;
    };
    let t = text.replacen(
        "    tls:\n      mode: DISABLE",
        "    tls:\n      mode: DISABLE\n    portLevelSettings:\n    - port: {number: 9080}\n      connectionPool: {tcp: {maxConnections: 10}}",
        1,
    );
    assert_ne!(t, text);
    assert_eq!(kiali_codes(&t, RATINGS, "latest"), expect(&[]));
}
