//! One test per precedence rule of mTLS resolution, named after the Istio behaviour. Every test
//! cites the section of research/istio-semantics.md (`/work/shared/research`) and the Istio
//! source the note gives, and asserts both the resolved mode (or client choice) and the object
//! and field that decided it.
//!
//! Shared fixture ([`BASE`]): `foo` and `bar` are injected namespaces, `legacy` is not.
//! `httpbin.foo` listens on container port 80 behind Service port 8000 (`http`), as in the
//! istio.io authn-policy task; `sleep` runs in `bar` (sidecar) and in `legacy` (no sidecar).

use meshlint::analysis::Analysis;
use meshlint::facts::proxy::ProxyKind;
use meshlint::input::load::{LoadOptions, Loaded};
use meshlint::model::istio::networking::TlsMode;
use meshlint::model::kind::Kind;
use meshlint::resolve::client_tls::{self, Choice, Client, ClientDecision, Sends};
use meshlint::resolve::decisions::Decisions;
use meshlint::resolve::reach::{self, RequestContext};
use meshlint::resolve::server_mtls::{self, FieldRef, ServerDecision, ServerMode, Target};
use meshlint::resolve::transport::Outcome;

const BASE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: foo, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: bar, labels: {istio-injection: enabled}}
---
apiVersion: v1
kind: Namespace
metadata: {name: legacy}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {matchLabels: {app: httpbin}}
  template:
    metadata: {labels: {app: httpbin}}
    spec:
      containers: [{name: httpbin, image: httpbin, ports: [{containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: httpbin, namespace: foo}
spec:
  selector: {app: httpbin}
  ports: [{name: http, port: 8000, targetPort: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: bar}
spec:
  selector: {matchLabels: {app: sleep}}
  template:
    metadata: {labels: {app: sleep}}
    spec:
      containers: [{name: sleep, image: curl}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: sleep, namespace: legacy}
spec:
  selector: {matchLabels: {app: sleep}}
  template:
    metadata: {labels: {app: sleep}}
    spec:
      containers: [{name: sleep, image: curl}]
"#;

/// The analysis of [`BASE`] plus `extra` under Istio `version`.
fn analysis(version: &str, extra: &str) -> Analysis {
    let text = format!("{BASE}---\n{extra}");
    let loaded = Loaded::from_text("precedence.yaml", &text, &LoadOptions::default());
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    let a = Analysis::new(loaded, Some(version.parse().unwrap()), None);
    assert!(a.rejected.is_empty(), "fixture rejected: {:?}", a.rejected);
    a
}

/// The mesh ConfigMap with `mesh` as its `data.mesh` text.
fn mesh_config(mesh: &str) -> String {
    let body: String = mesh.lines().map(|l| format!("    {l}\n")).collect();
    format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: istio, namespace: istio-system}}\ndata:\n  mesh: |\n{body}---\n"
    )
}

/// `Kind ns/name field` of a field reference, for readable assertions.
fn show(a: &Analysis, r: &FieldRef) -> String {
    let o = &a.inv.objects[r.object];
    let id = match &o.namespace {
        Some(ns) => format!("{ns}/{}", o.name()),
        None => o.name().to_owned(),
    };
    format!("{} {id} {}", o.kind.name(), r.field)
}

fn shown(a: &Analysis, refs: &[FieldRef]) -> Vec<String> {
    refs.iter().map(|r| show(a, r)).collect()
}

fn service<'a>(
    a: &'a Analysis,
    ns: &str,
    name: &str,
) -> &'a meshlint::model::inventory::ServiceInfo {
    a.inv
        .services
        .iter()
        .find(|s| s.namespace == ns && s.name == name)
        .unwrap_or_else(|| panic!("no service {ns}/{name}"))
}

fn workload(a: &Analysis, ns: &str, name: &str) -> usize {
    a.inv
        .workloads
        .iter()
        .position(|w| w.namespace == ns && w.name == name)
        .unwrap_or_else(|| panic!("no workload {ns}/{name}"))
}

/// The server decision of the first endpoint (or of workload `wl`) of `ns/name:port`.
fn server_of(a: &Analysis, ns: &str, name: &str, port: i32, wl: Option<&str>) -> ServerDecision {
    let svc = service(a, ns, name);
    let p = svc.ports.iter().find(|p| p.port == port).unwrap();
    let w = match wl {
        Some(n) => workload(a, ns, n),
        None => svc.workloads[0],
    };
    let target_port = a.inv.target_port(p, &a.inv.workloads[w]).unwrap();
    server_mtls::decide(
        a,
        Target {
            workload: w,
            service: Some((svc, p)),
            target_port,
        },
    )
}

fn server(a: &Analysis) -> ServerDecision {
    server_of(a, "foo", "httpbin", 8000, None)
}

/// What a sidecar client in `client_ns` originates towards `ns/name:port`.
fn client_of(a: &Analysis, client_ns: &str, ns: &str, name: &str, port: i32) -> ClientDecision {
    let svc = service(a, ns, name);
    let p = svc.ports.iter().find(|p| p.port == port).unwrap();
    client_tls::decide(a, &Client::sidecar_in(client_ns), svc, p)
}

fn client(a: &Analysis, client_ns: &str) -> ClientDecision {
    client_of(a, client_ns, "foo", "httpbin", 8000)
}

/// The outcome of `client_ns/client_name` → `ns/name:port`.
fn reach_of(a: &Analysis, client: (&str, &str), ns: &str, name: &str, port: i32) -> Outcome {
    let c = workload(a, client.0, client.1);
    let si = a
        .inv
        .services
        .iter()
        .position(|s| s.namespace == ns && s.name == name)
        .unwrap();
    let pi = a.inv.services[si]
        .ports
        .iter()
        .position(|p| p.port == port)
        .unwrap();
    reach::evaluate(&Decisions::new(a), c, si, pi, &RequestContext::default()).outcome
}

fn pa(name: &str, ns: &str, body: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{body}\n---\n"
    )
}

fn pa_at(name: &str, ns: &str, created: &str, body: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {{name: {name}, namespace: {ns}, creationTimestamp: \"{created}\"}}\nspec:\n{body}\n---\n"
    )
}

fn dr(name: &str, ns: &str, body: &str) -> String {
    format!(
        "apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata: {{name: {name}, namespace: {ns}}}\nspec:\n{body}\n---\n"
    )
}

fn dr_at(name: &str, ns: &str, created: &str, body: &str) -> String {
    format!(
        "apiVersion: networking.istio.io/v1alpha3\nkind: DestinationRule\nmetadata: {{name: {name}, namespace: {ns}, creationTimestamp: \"{created}\"}}\nspec:\n{body}\n---\n"
    )
}

fn policy(name: &str, ns: &str, created: &str, body: &str) -> String {
    format!(
        "apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {{name: {name}, namespace: {ns}, creationTimestamp: \"{created}\"}}\nspec:\n{body}\n---\n"
    )
}

fn mesh_policy(body: &str) -> String {
    format!(
        "apiVersion: authentication.istio.io/v1alpha1\nkind: MeshPolicy\nmetadata: {{name: default}}\nspec:\n{body}\n---\n"
    )
}

// ---------------------------------------------------------------------------------------------
// PeerAuthentication (1.5+)
// ---------------------------------------------------------------------------------------------

/// istio-semantics §3 "Scopes" and "Inheritance": mesh (root namespace, no selector), then
/// namespace, then workload; the most specific non-UNSET level decides.
/// Istio: pilot/pkg/security/authn/policy_applier.go `ComposePeerAuthentication`,
/// pilot/pkg/model/authentication.go `getConfigsForWorkload`.
#[test]
fn peer_authentication_workload_beats_namespace_beats_mesh() {
    let mesh = pa("default", "istio-system", "  mtls: {mode: STRICT}");
    let a = analysis("latest", &mesh);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication istio-system/default spec.mtls.mode"]
    );

    let ns = format!(
        "{mesh}{}",
        pa("default", "foo", "  mtls: {mode: PERMISSIVE}")
    );
    let a = analysis("latest", &ns);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Permissive));
    assert_eq!(
        shown(&a, &d.decided_by).last().unwrap(),
        "PeerAuthentication foo/default spec.mtls.mode"
    );

    let wl = format!(
        "{ns}{}",
        pa(
            "httpbin",
            "foo",
            "  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: DISABLE}"
        )
    );
    let a = analysis("latest", &wl);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert_eq!(
        shown(&a, &d.decided_by),
        [
            "PeerAuthentication istio-system/default spec.mtls.mode",
            "PeerAuthentication foo/default spec.mtls.mode",
            "PeerAuthentication foo/httpbin spec.mtls.mode",
        ]
    );
    assert!(!d.ambiguous);
}

/// istio-semantics §3 "Several at one level": sorted by creationTimestamp, the oldest wins;
/// younger duplicates lose. Istio: pilot/pkg/model/authentication.go `addPeerAuthentication`,
/// `configCompareByCreationTime`.
#[test]
fn peer_authentication_oldest_wins_at_one_level() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            pa_at(
                "aaa-new",
                "foo",
                "2021-01-01T00:00:00Z",
                "  mtls: {mode: DISABLE}"
            ),
            pa_at(
                "zzz-old",
                "foo",
                "2020-01-01T00:00:00Z",
                "  mtls: {mode: STRICT}"
            ),
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication foo/zzz-old spec.mtls.mode"]
    );
    assert!(d.ambiguous, "two namespace-level policies");
    let loser = d
        .candidates
        .iter()
        .find(|c| a.inv.objects[c.at.object].name() == "aaa-new")
        .unwrap();
    assert!(loser.lost.as_deref().unwrap().contains("oldest wins"));
}

/// istio-semantics §3 "Several at one level": equal timestamps (second resolution) → the
/// lexicographically smaller name wins. Istio: `configCompareByCreationTime` (name, then
/// namespace).
#[test]
fn peer_authentication_same_timestamp_smaller_name_wins() {
    let t = "2020-01-01T00:00:00Z";
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            pa_at("b-strict", "foo", t, "  mtls: {mode: STRICT}"),
            pa_at("a-disable", "foo", t, "  mtls: {mode: DISABLE}"),
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication foo/a-disable spec.mtls.mode"]
    );
}

/// istio-semantics §3 "Several at one level": several workload-level policies selecting one
/// pod — the oldest wins entirely, its portLevelMtls included; nothing is merged.
/// Istio: `ComposePeerAuthentication` keeps the first workload config.
#[test]
fn peer_authentication_oldest_workload_policy_wins_entirely() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            pa_at(
                "old",
                "foo",
                "2020-01-01T00:00:00Z",
                "  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: STRICT}"
            ),
            pa_at(
                "new",
                "foo",
                "2021-01-01T00:00:00Z",
                "  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: STRICT}\n  portLevelMtls:\n    80: {mode: DISABLE}"
            ),
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict), "{}", d.reason);
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication foo/old spec.mtls.mode"]
    );
    assert!(d.ambiguous);
}

/// istio-semantics §3 "Inheritance (UNSET)": an UNSET (or absent) mode inherits workload →
/// namespace → mesh → PERMISSIVE. Istio: `ComposePeerAuthentication`.
#[test]
fn peer_authentication_unset_inherits() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}{}",
            pa("default", "istio-system", "  mtls: {mode: STRICT}"),
            pa("default", "foo", "  mtls: {mode: UNSET}"),
            pa(
                "httpbin",
                "foo",
                "  selector: {matchLabels: {app: httpbin}}"
            ),
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    let deciding: Vec<String> = d
        .candidates
        .iter()
        .filter(|c| c.lost.is_none())
        .map(|c| show(&a, &c.at))
        .collect();
    assert_eq!(
        deciding,
        ["PeerAuthentication istio-system/default spec.mtls.mode"]
    );
    assert_eq!(
        shown(&a, &d.decided_by),
        [
            "PeerAuthentication istio-system/default spec.mtls.mode",
            "PeerAuthentication foo/default spec.mtls.mode",
            "PeerAuthentication foo/httpbin spec",
        ]
    );
    assert!(d.reason.contains("istio-system/default"), "{}", d.reason);

    // Only UNSET everywhere: the PERMISSIVE start value.
    let a = analysis("latest", &pa("default", "istio-system", "  mtls: {}"));
    assert_eq!(server(&a).mode, Some(ServerMode::Permissive));
}

/// istio-semantics §3 "Port level": portLevelMtls is keyed by the TARGET (container) port —
/// Service 8000 → targetPort 80, `{80: DISABLE}` applies, `{8000: …}` does not.
/// Istio: pilot/pkg/networking/core/listener_inbound.go `ForPort(cc.port.TargetPort)`;
/// istio.io tasks/security/authentication/authn-policy/snips.sh.
#[test]
fn peer_authentication_port_level_keyed_by_target_port() {
    let body = |port| {
        format!(
            "  selector: {{matchLabels: {{app: httpbin}}}}\n  mtls: {{mode: STRICT}}\n  portLevelMtls:\n    {port}: {{mode: DISABLE}}"
        )
    };
    let a = analysis("latest", &pa("httpbin", "foo", &body(80)));
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert_eq!(
        shown(&a, &d.decided_by).last().unwrap(),
        "PeerAuthentication foo/httpbin spec.portLevelMtls.80"
    );
    // sleep.legacy → httpbin.foo:8000 gets 200 (the task's expected output).
    assert_eq!(
        reach_of(&a, ("legacy", "sleep"), "foo", "httpbin", 8000),
        Outcome::Ok
    );

    let a = analysis("latest", &pa("httpbin", "foo", &body(8000)));
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication foo/httpbin spec.mtls.mode"]
    );
    let port = d.candidates.iter().find(|c| c.level == "port").unwrap();
    assert!(port.lost.is_some());
    assert_eq!(
        reach_of(&a, ("legacy", "sleep"), "foo", "httpbin", 8000),
        Outcome::Reset
    );
}

/// istio-semantics §3 "Inheritance (UNSET)": a portLevelMtls entry that is UNSET takes the
/// resulting workload mode (itself possibly inherited). Istio: `ComposePeerAuthentication`.
#[test]
fn peer_authentication_unset_port_takes_workload_mode() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            pa("default", "foo", "  mtls: {mode: DISABLE}"),
            pa(
                "httpbin",
                "foo",
                "  selector: {matchLabels: {app: httpbin}}\n  portLevelMtls:\n    80: {mode: UNSET}"
            ),
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert!(
        d.candidates.iter().any(|c| c.lost.is_none()
            && show(&a, &c.at) == "PeerAuthentication foo/default spec.mtls.mode")
    );
    assert_eq!(
        shown(&a, &d.decided_by).last().unwrap(),
        "PeerAuthentication foo/httpbin spec.portLevelMtls.80"
    );
}

/// istio-semantics §3 "Scopes": a policy with a selector in the root namespace is ignored for
/// sidecars. Istio: `ComposePeerAuthentication`; peer_authentication.proto note.
#[test]
fn peer_authentication_root_namespace_selector_ignored() {
    let a = analysis(
        "latest",
        &pa(
            "httpbin",
            "istio-system",
            "  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: STRICT}",
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Permissive));
    assert!(d.decided_by.is_empty());
    let c = &d.candidates[0];
    assert_eq!(
        show(&a, &c.at),
        "PeerAuthentication istio-system/httpbin spec.selector"
    );
    assert!(c.lost.as_deref().unwrap().contains("root namespace"));
}

/// istio-semantics §3 "Inheritance" and §2.3 (1.5): with nothing at all the server is
/// PERMISSIVE. Istio: `ComposePeerAuthentication` initial value; 1.5.0
/// pilot/pkg/security/authn/factory/factory.go.
#[test]
fn peer_authentication_nothing_is_permissive() {
    for v in ["1.5", "1.6", "latest"] {
        let a = analysis(v, "");
        let d = server(&a);
        assert_eq!(d.mode, Some(ServerMode::Permissive), "{v}");
        assert!(d.decided_by.is_empty(), "{v}");
    }
}

// ---------------------------------------------------------------------------------------------
// authentication.istio.io/v1alpha1 (0.8 – 1.5)
// ---------------------------------------------------------------------------------------------

/// istio-semantics §2.3: service-level Policy (targets) > namespace Policy `default` >
/// MeshPolicy `default`. Istio 1.4: pilot/pkg/model/push_context.go
/// `AuthenticationPolicyForWorkload`.
#[test]
fn v1alpha1_service_beats_namespace_beats_mesh() {
    let t = "2020-01-01T00:00:00Z";
    let mesh = mesh_policy("  peers: [{mtls: {}}]");
    let a = analysis("1.4", &mesh);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(shown(&a, &d.decided_by), ["MeshPolicy default spec.peers"]);

    let ns = format!("{mesh}{}", policy("default", "foo", t, "  peers: []"));
    let a = analysis("1.4", &ns);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert_eq!(shown(&a, &d.decided_by), ["Policy foo/default spec.peers"]);

    let svc = format!(
        "{ns}{}",
        policy(
            "httpbin",
            "foo",
            t,
            "  targets: [{name: httpbin}]\n  peers: [{mtls: {mode: PERMISSIVE}}]"
        )
    );
    let a = analysis("1.4", &svc);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Permissive));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["Policy foo/httpbin spec.targets[0]"]
    );
}

/// istio-semantics §2.2: `targets[].ports[]` select Service ports (number or name), not
/// container ports. Istio: authentication/v1alpha1/policy.proto `PortSelector`.
#[test]
fn v1alpha1_target_ports_are_service_ports() {
    let t = "2020-01-01T00:00:00Z";
    let with = |ports: &str| {
        analysis(
            "1.4",
            &policy(
                "httpbin",
                "foo",
                t,
                &format!(
                    "  targets: [{{name: httpbin, ports: [{ports}]}}]\n  peers: [{{mtls: {{}}}}]"
                ),
            ),
        )
    };
    for ports in ["{number: 8000}", "{name: http}"] {
        let a = with(ports);
        let d = server(&a);
        assert_eq!(d.mode, Some(ServerMode::Strict), "{ports}");
        assert_eq!(
            shown(&a, &d.decided_by),
            ["Policy foo/httpbin spec.targets[0]"]
        );
    }
    // The container port does not select: nothing applies → plaintext (1.4 default).
    let a = with("{number: 80}");
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert!(d.decided_by.is_empty());
}

/// istio-semantics §2.1: `mtls: {}` and `mtls:` (null) are STRICT; `mode: PERMISSIVE` is
/// PERMISSIVE; no peers means no peer authentication (plaintext). Istio 1.5.0:
/// pilot/pkg/security/authn/v1alpha1/model.go `GetMutualTLS` (istio/istio#4763).
#[test]
fn v1alpha1_peer_modes() {
    let t = "2020-01-01T00:00:00Z";
    for (peers, mode) in [
        ("  peers: [{mtls: {}}]", ServerMode::Strict),
        ("  peers:\n  - mtls:", ServerMode::Strict),
        ("  peers: [{mtls: null}]", ServerMode::Strict),
        ("  peers: [{mtls: {mode: STRICT}}]", ServerMode::Strict),
        (
            "  peers: [{mtls: {mode: PERMISSIVE}}]",
            ServerMode::Permissive,
        ),
        ("  peers: []", ServerMode::Disable),
        ("  origins: [{jwt: {issuer: x}}]", ServerMode::Disable),
    ] {
        let a = analysis("1.4", &policy("default", "foo", t, peers));
        let d = server(&a);
        assert_eq!(d.mode, Some(mode), "{peers}");
        assert_eq!(
            shown(&a, &d.decided_by),
            ["Policy foo/default spec.peers"],
            "{peers}"
        );
    }
}

/// istio-semantics §2.3 (1.4–1.5): within a level the oldest entry that is port-less or whose
/// port matches wins, so an older port-less policy beats a newer port-specific one.
/// Istio 1.4: model/push_context.go `initAuthnPolicies`, `sortConfigByCreationTime`.
#[test]
fn v1alpha1_oldest_portless_beats_newer_port_specific_1_4() {
    let a = analysis(
        "1.4",
        &format!(
            "{}{}",
            policy(
                "specific",
                "foo",
                "2021-01-01T00:00:00Z",
                "  targets: [{name: httpbin, ports: [{number: 8000}]}]\n  peers: [{mtls: {mode: PERMISSIVE}}]"
            ),
            policy(
                "portless",
                "foo",
                "2020-01-01T00:00:00Z",
                "  targets: [{name: httpbin}]\n  peers: [{mtls: {}}]"
            ),
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["Policy foo/portless spec.targets[0]"]
    );
    let lost = d
        .candidates
        .iter()
        .find(|c| a.inv.objects[c.at.object].name() == "specific")
        .unwrap();
    assert!(lost.lost.as_deref().unwrap().contains("oldest wins"));
}

/// istio-semantics §2.3 (1.0–1.3): the tie-break among matching service-level policies is
/// informer-cache list order (arbitrary), so it is reported ambiguous.
/// Istio 1.2: pilot/pkg/config/kube/crd/controller.go `List`.
#[test]
fn v1alpha1_two_service_policies_ambiguous_before_1_4() {
    let a = analysis(
        "1.3",
        &format!(
            "{}{}",
            policy(
                "one",
                "foo",
                "2020-01-01T00:00:00Z",
                "  targets: [{name: httpbin}]\n  peers: [{mtls: {}}]"
            ),
            policy(
                "two",
                "foo",
                "2021-01-01T00:00:00Z",
                "  targets: [{name: httpbin}]\n  peers: []"
            ),
        ),
    );
    let d = server(&a);
    assert!(d.ambiguous, "{}", d.reason);
    assert_eq!(d.decided_by.len(), 1);
    assert_eq!(d.decided_by[0].field, "spec.targets[0]");
    let lost = d.candidates.iter().find(|c| c.lost.is_some()).unwrap();
    assert!(lost.lost.as_deref().unwrap().contains("arbitrary"));
}

/// istio-semantics §2.3: with no policy at all before 1.5 the server is plaintext only.
/// Istio 1.4: `GetMutualTLSMode(nil)`, security/authn/v1alpha1/model.go; 1.0.0
/// `legacyAuthenticationPolicyToPolicy` (mesh authPolicy NONE by default).
#[test]
fn v1alpha1_nothing_is_plaintext_before_1_5() {
    for v in ["0.8", "1.0", "1.3", "1.4"] {
        let a = analysis(v, "");
        let d = server(&a);
        assert_eq!(d.mode, Some(ServerMode::Disable), "{v}: {}", d.reason);
    }
}

/// istio-semantics §2.3 (1.5): any applicable PeerAuthentication decides TLS; otherwise the
/// alpha policy; otherwise PERMISSIVE. Istio 1.5.0: pilot/pkg/security/authn/factory/factory.go,
/// v1beta1/policy_applier.go.
#[test]
fn v1alpha1_peer_authentication_beats_policy_in_1_5() {
    let alpha = policy(
        "default",
        "foo",
        "2020-01-01T00:00:00Z",
        "  peers: [{mtls: {}}]",
    );
    let a = analysis("1.5", &alpha);
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(shown(&a, &d.decided_by), ["Policy foo/default spec.peers"]);

    let a = analysis(
        "1.5",
        &format!(
            "{alpha}{}",
            pa("default", "foo", "  mtls: {mode: PERMISSIVE}")
        ),
    );
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Permissive));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication foo/default spec.mtls.mode"]
    );

    // A workload PeerAuthentication for another pod does not apply: alpha still decides.
    let a = analysis(
        "1.5",
        &format!(
            "{alpha}{}",
            pa(
                "other",
                "foo",
                "  selector: {matchLabels: {app: other}}\n  mtls: {mode: DISABLE}"
            )
        ),
    );
    assert_eq!(server(&a).mode, Some(ServerMode::Strict));
}

// ---------------------------------------------------------------------------------------------
// 0.x legacy
// ---------------------------------------------------------------------------------------------

fn annotated_service(value: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: annotated\n  namespace: foo\n  annotations: {{auth.istio.io/8000: {value}}}\nspec:\n  selector: {{app: httpbin}}\n  ports: [{{name: http, port: 8000, targetPort: 80}}]\n---\n"
    )
}

/// istio-semantics §1: annotation `auth.istio.io/<servicePort>` beats mesh `authPolicy`, both
/// on the server and on the client. Istio 0.5.0: pilot/pkg/serviceregistry/kube/conversion.go
/// `extractAuthenticationPolicy`, pilot/pkg/proxy/envoy/policy.go `consolidateAuthPolicy`.
#[test]
fn legacy_annotation_beats_mesh_auth_policy() {
    let a = analysis(
        "0.5",
        &format!(
            "{}{}",
            mesh_config("authPolicy: MUTUAL_TLS"),
            annotated_service("NONE")
        ),
    );
    let d = server_of(&a, "foo", "annotated", 8000, None);
    assert_eq!(d.mode, Some(ServerMode::Disable));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["Service foo/annotated metadata.annotations[\"auth.istio.io/8000\"]"]
    );
    let c = client_of(&a, "bar", "foo", "annotated", 8000);
    assert_eq!(c.choice, Choice::Plain);
    assert_eq!(
        shown(&a, &c.decided_by),
        ["Service foo/annotated metadata.annotations[\"auth.istio.io/8000\"]"]
    );

    // Without the annotation the mesh authPolicy decides both sides.
    let d = server(&a);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["ConfigMap istio-system/istio data.mesh"]
    );
    assert_eq!(client(&a, "bar").choice, Choice::MeshMutual);

    // MUTUAL_TLS annotation in a NONE mesh switches mTLS on.
    let a = analysis("0.5", &annotated_service("MUTUAL_TLS"));
    assert_eq!(
        server_of(&a, "foo", "annotated", 8000, None).mode,
        Some(ServerMode::Strict)
    );
    assert_eq!(server(&a).mode, Some(ServerMode::Disable));
}

/// istio-semantics §1: `mtlsExcludedServices` is client-side only (0.3–0.7); excluded →
/// plaintext whatever the annotation says, the server stays STRICT. Istio 0.5.0:
/// pilot/pkg/proxy/envoy/policy.go `applyClusterPolicy`.
#[test]
fn legacy_mtls_excluded_services_client_only() {
    let a = analysis(
        "0.5",
        &mesh_config(
            "authPolicy: MUTUAL_TLS\nmtlsExcludedServices: [httpbin.foo.svc.cluster.local]",
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Plain);
    assert!(c.reason.contains("mtlsExcludedServices"), "{}", c.reason);
    assert_eq!(server(&a).mode, Some(ServerMode::Strict));

    // 0.8 (v1alpha3 client path) no longer consults the list.
    let a = analysis(
        "0.8",
        &mesh_config(
            "authPolicy: MUTUAL_TLS\nmtlsExcludedServices: [httpbin.foo.svc.cluster.local]",
        ),
    );
    assert_eq!(client(&a, "bar").choice, Choice::MeshMutual);
}

/// istio-semantics §1 (0.8–1.0): no DestinationRule + mesh `authPolicy: MUTUAL_TLS` → the
/// client sends ISTIO_MUTUAL. Istio 0.8.0: pilot/pkg/networking/core/v1alpha3/cluster.go.
#[test]
fn legacy_no_dr_mesh_mutual_tls_is_istio_mutual_0_8_to_1_0() {
    for v in ["0.8", "1.0"] {
        let a = analysis(v, &mesh_config("authPolicy: MUTUAL_TLS"));
        let c = client(&a, "bar");
        assert_eq!(c.choice, Choice::MeshMutual, "{v}");
        assert_eq!(c.rule, None);
        assert_eq!(server(&a).mode, Some(ServerMode::Strict), "{v}");
    }
    // 1.1 drops it.
    let a = analysis("1.1", &mesh_config("authPolicy: MUTUAL_TLS"));
    assert_eq!(client(&a, "bar").choice, Choice::Plain);
}

/// istio-semantics §1 (0.8): a DestinationRule without `tls` → plaintext even in a
/// MUTUAL_TLS mesh (istio/istio#6279). Istio 0.8.0: v1alpha3/cluster.go.
#[test]
fn legacy_dr_without_tls_is_plaintext_0_8() {
    let a = analysis(
        "0.8",
        &format!(
            "{}{}",
            mesh_config("authPolicy: MUTUAL_TLS"),
            dr("httpbin", "foo", "  host: httpbin")
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Plain);
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/httpbin spec.trafficPolicy"]
    );
    // The server is STRICT (mesh authPolicy): the documented 503.
    assert_eq!(server(&a).mode, Some(ServerMode::Strict));
    assert_eq!(
        reach_of(&a, ("bar", "sleep"), "foo", "httpbin", 8000),
        Outcome::UpstreamError
    );
}

// ---------------------------------------------------------------------------------------------
// DestinationRule (client side)
// ---------------------------------------------------------------------------------------------

fn tls(mode: &str) -> String {
    format!("  trafficPolicy: {{tls: {{mode: {mode}}}}}")
}

fn host_tls(host: &str, mode: &str) -> String {
    format!("  host: \"{host}\"\n{}", tls(mode))
}

/// istio-semantics §4 "Which namespace's DRs": client namespace, then the service's, then the
/// root namespace. Istio: pilot/pkg/model/push_context.go `PushContext.destinationRule`.
#[test]
fn destination_rule_client_then_service_then_root_namespace() {
    let full = "httpbin.foo.svc.cluster.local";
    let root = dr("root", "istio-system", &host_tls("*.local", "SIMPLE"));
    let svc = dr("svc", "foo", &host_tls("httpbin", "ISTIO_MUTUAL"));
    let cli = dr("cli", "bar", &host_tls(full, "DISABLE"));
    let a = analysis("latest", &format!("{root}{svc}{cli}"));
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Disable));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule bar/cli spec.trafficPolicy.tls.mode"]
    );
    let c = client(&a, "legacy");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::IstioMutual));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/svc spec.trafficPolicy.tls.mode"]
    );
    let a = analysis("latest", &root);
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Simple));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule istio-system/root spec.trafficPolicy.tls.mode"]
    );
}

/// istio-semantics §4: the first namespace with ANY host match wins, so `*.local` in the
/// client namespace beats an exact host in the service namespace; rules are never merged
/// across namespaces. Istio: `PushContext.destinationRule`.
#[test]
fn destination_rule_first_namespace_with_any_match_wins() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            dr("mesh-ish", "bar", &host_tls("*.local", "ISTIO_MUTUAL")),
            dr("exact", "foo", &host_tls("httpbin", "DISABLE")),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::IstioMutual));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule bar/mesh-ish spec.trafficPolicy.tls.mode"]
    );
}

/// istio-semantics §4 "Host matching": exact before wildcard, the longer wildcard first.
/// Istio: pilot/pkg/model/config.go `MostSpecificHostMatch`, pkg/config/host/names.go.
#[test]
fn destination_rule_exact_then_longest_wildcard() {
    let star = dr(
        "star",
        "foo",
        &host_tls("*", "MUTUAL, credentialName: cert"),
    );
    let local = dr("local", "foo", &host_tls("*.local", "DISABLE"));
    let ns = dr("ns", "foo", &host_tls("*.foo.svc.cluster.local", "SIMPLE"));
    let exact = dr("exact", "foo", &host_tls("httpbin", "ISTIO_MUTUAL"));
    let cases = [
        (
            format!("{star}{local}{ns}{exact}"),
            "exact",
            TlsMode::IstioMutual,
        ),
        (format!("{star}{local}{ns}"), "ns", TlsMode::Simple),
        (format!("{star}{local}"), "local", TlsMode::Disable),
        (star.clone(), "star", TlsMode::Mutual),
    ];
    for (yaml, name, mode) in cases {
        let a = analysis("latest", &yaml);
        let c = client(&a, "foo");
        assert_eq!(c.choice, Choice::Explicit(mode), "{name}");
        assert_eq!(
            shown(&a, &c.decided_by),
            [format!(
                "DestinationRule foo/{name} spec.trafficPolicy.tls.mode"
            )]
        );
    }
}

/// istio-semantics §4 "Host matching": short hosts resolve in the rule's own namespace
/// (`ResolveShortnameToFQDN`), so `host: httpbin` in `bar` is httpbin.bar, not httpbin.foo.
#[test]
fn destination_rule_short_host_resolves_in_rule_namespace() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            dr("short", "bar", &host_tls("httpbin", "DISABLE")),
            dr("svc", "foo", &host_tls("httpbin", "ISTIO_MUTUAL")),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::IstioMutual));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/svc spec.trafficPolicy.tls.mode"]
    );
}

/// istio-semantics §4: `exportTo: ["."]` keeps a rule private to its namespace.
/// Istio: `PushContext.destinationRule` (exported rules only from other namespaces).
#[test]
fn destination_rule_export_to_dot_is_private() {
    let a = analysis(
        "latest",
        &dr(
            "private",
            "foo",
            &format!("  host: httpbin\n  exportTo: [\".\"]\n{}", tls("DISABLE")),
        ),
    );
    let c = client(&a, "foo");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Disable));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/private spec.trafficPolicy.tls.mode"]
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Auto);
    assert_eq!(c.rule, None);
}

/// istio-semantics §4 "Merging several DRs with the identical resolved host": the oldest is
/// the base, a later top-level trafficPolicy is used only if the merged rule has none.
/// Istio: pilot/pkg/model/destination_rule.go `mergeDestinationRule`.
#[test]
fn destination_rule_same_host_oldest_traffic_policy_wins() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            dr_at(
                "new",
                "foo",
                "2021-01-01T00:00:00Z",
                &host_tls("httpbin", "DISABLE")
            ),
            dr_at(
                "old",
                "foo",
                "2020-01-01T00:00:00Z",
                &host_tls("httpbin", "ISTIO_MUTUAL")
            ),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::IstioMutual));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/old spec.trafficPolicy.tls.mode"]
    );

    // The oldest has only subsets: the younger rule's trafficPolicy is adopted.
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            dr_at(
                "new",
                "foo",
                "2021-01-01T00:00:00Z",
                &host_tls("httpbin", "DISABLE")
            ),
            dr_at(
                "old",
                "foo",
                "2020-01-01T00:00:00Z",
                "  host: httpbin\n  subsets: [{name: v1, labels: {version: v1}}]"
            ),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Disable));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/new spec.trafficPolicy.tls.mode"]
    );
}

/// istio-semantics §4 "Where TLS comes from" 1: a portLevelSettings entry for the Service port
/// replaces the whole top-level policy; an entry without tls means no TLS → auto mTLS (or
/// plaintext with auto mTLS off). Istio: pilot/pkg/networking/util/util.go
/// `GetPortLevelTrafficPolicy`, pilot/pkg/networking/core/cluster_builder.go.
#[test]
fn destination_rule_port_level_settings_replace_whole_policy() {
    let body = |port: i32, entry: &str| {
        format!(
            "  host: httpbin\n  trafficPolicy:\n    tls: {{mode: ISTIO_MUTUAL}}\n    portLevelSettings:\n    - port: {{number: {port}}}\n      {entry}"
        )
    };
    let no_tls = body(8000, "connectionPool: {tcp: {maxConnections: 10}}");
    let a = analysis("latest", &dr("httpbin", "foo", &no_tls));
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Auto, "{}", c.reason);
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/httpbin spec.trafficPolicy"]
    );
    assert_eq!(c.rule, Some(c.decided_by[0].object));
    let a = analysis("1.4", &dr("httpbin", "foo", &no_tls));
    assert_eq!(client(&a, "bar").choice, Choice::Plain);

    // An entry for the Service port with its own tls decides.
    let a = analysis(
        "latest",
        &dr("httpbin", "foo", &body(8000, "tls: {mode: DISABLE}")),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Disable));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/httpbin spec.trafficPolicy.portLevelSettings[0].tls.mode"]
    );

    // The target port (80) is not the key: the top level applies.
    let a = analysis(
        "latest",
        &dr("httpbin", "foo", &body(80, "tls: {mode: DISABLE}")),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::IstioMutual));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/httpbin spec.trafficPolicy.tls.mode"]
    );
}

/// istio-semantics §4 (1.0): all DestinationRules are global, most specific host wins; for
/// identical host strings the newest overwrote. Istio 1.0.0: pilot/pkg/model/config.go
/// `DestinationRule`.
#[test]
fn destination_rule_global_before_1_1() {
    let full = "httpbin.foo.svc.cluster.local";
    let a = analysis(
        "1.0",
        &format!(
            "{}{}",
            dr("elsewhere", "legacy", &host_tls(full, "DISABLE")),
            dr("wild", "bar", &host_tls("*.local", "ISTIO_MUTUAL")),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Disable));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule legacy/elsewhere spec.trafficPolicy.tls.mode"]
    );
    // From 1.1 the client namespace's `*.local` wins.
    let a = analysis(
        "1.1",
        &format!(
            "{}{}",
            dr("elsewhere", "legacy", &host_tls(full, "DISABLE")),
            dr("wild", "bar", &host_tls("*.local", "ISTIO_MUTUAL")),
        ),
    );
    assert_eq!(
        client(&a, "bar").choice,
        Choice::Explicit(TlsMode::IstioMutual)
    );

    // Same host string in 1.0: the newest overwrote.
    let a = analysis(
        "1.0",
        &format!(
            "{}{}",
            dr_at(
                "old",
                "foo",
                "2020-01-01T00:00:00Z",
                &host_tls(full, "DISABLE")
            ),
            dr_at(
                "new",
                "bar",
                "2021-01-01T00:00:00Z",
                &host_tls(full, "ISTIO_MUTUAL")
            ),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::IstioMutual));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule bar/new spec.trafficPolicy.tls.mode"]
    );
}

/// istio-semantics §4 "Where TLS comes from" 3: an explicit DR TLS always beats auto mTLS, even
/// DISABLE; against a STRICT server that is the documented 503 [c]. Istio:
/// pilot/pkg/networking/core/cluster_tls.go `buildUpstreamTLSSettings`.
#[test]
fn destination_rule_explicit_disable_beats_auto_mtls() {
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            dr("httpbin", "foo", &host_tls("httpbin", "DISABLE")),
            pa("default", "foo", "  mtls: {mode: STRICT}"),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Explicit(TlsMode::Disable));
    assert_eq!(
        shown(&a, &c.decided_by),
        ["DestinationRule foo/httpbin spec.trafficPolicy.tls.mode"]
    );
    assert_eq!(
        reach_of(&a, ("bar", "sleep"), "foo", "httpbin", 8000),
        Outcome::UpstreamError
    );
}

// ---------------------------------------------------------------------------------------------
// Auto mTLS
// ---------------------------------------------------------------------------------------------

/// istio-semantics §5 "History": `enableAutoMtls` exists from 1.4 (off by default), on by
/// default from 1.5 (helm values 1.5.0 `global.mtls.auto`; pkg/config/mesh/mesh.go 1.6).
#[test]
fn auto_mtls_off_in_1_4_on_from_1_5() {
    let a = analysis("1.4", "");
    assert!(!client_tls::auto_mtls_enabled(&a));
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Plain);
    assert!(c.reason.contains("auto mTLS is off"), "{}", c.reason);

    // 1.4 with enableAutoMtls and a PERMISSIVE MeshPolicy (no policy at all infers DISABLE).
    let a = analysis(
        "1.4",
        &format!(
            "{}{}",
            mesh_config("enableAutoMtls: true"),
            mesh_policy("  peers: [{mtls: {mode: PERMISSIVE}}]")
        ),
    );
    assert!(client_tls::auto_mtls_enabled(&a));
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Auto);
    assert_eq!(shown(&a, &c.decided_by), ["MeshPolicy default spec.peers"]);

    for v in ["1.5", "latest"] {
        let a = analysis(v, "");
        assert_eq!(client(&a, "bar").choice, Choice::Auto, "{v}");
    }
    let a = analysis("latest", &mesh_config("enableAutoMtls: false"));
    assert_eq!(client(&a, "bar").choice, Choice::Plain);
}

/// istio-semantics §5 "Inferred service mode" (1.4): the v1alpha1 policy of the service port,
/// nothing → DISABLE → plaintext; a service-level Policy without peers makes clients send
/// plaintext. Istio 1.4.0: model/push_context.go `BestEffortInferServiceMTLSMode`.
#[test]
fn auto_mtls_1_4_infers_from_v1alpha1() {
    let a = analysis("1.4", &mesh_config("enableAutoMtls: true"));
    assert_eq!(client(&a, "bar").choice, Choice::Plain);
    let a = analysis(
        "1.4",
        &format!(
            "{}{}{}",
            mesh_config("enableAutoMtls: true"),
            mesh_policy("  peers: [{mtls: {}}]"),
            policy(
                "httpbin",
                "foo",
                "2020-01-01T00:00:00Z",
                "  targets: [{name: httpbin}]"
            ),
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Plain);
    assert_eq!(
        shown(&a, &c.decided_by),
        ["Policy foo/httpbin spec.targets[0]"]
    );
}

/// istio-semantics §5 "Rule": with no DR TLS the client sends plaintext when the inferred mode
/// of the service's namespace (ns or mesh PeerAuthentication) is DISABLE.
/// Istio: cluster_tls.go `buildUpstreamTLSSettings`, push_context.go
/// `BestEffortInferServiceMTLSMode`.
#[test]
fn auto_mtls_plaintext_when_namespace_or_mesh_disable() {
    for (yaml, by) in [
        (
            pa("default", "foo", "  mtls: {mode: DISABLE}"),
            "PeerAuthentication foo/default spec.mtls.mode",
        ),
        (
            pa("default", "istio-system", "  mtls: {mode: DISABLE}"),
            "PeerAuthentication istio-system/default spec.mtls.mode",
        ),
    ] {
        let a = analysis("latest", &yaml);
        let c = client(&a, "bar");
        assert_eq!(c.choice, Choice::Plain, "{by}");
        assert_eq!(shown(&a, &c.decided_by), [by]);
        assert_eq!(
            reach_of(&a, ("bar", "sleep"), "foo", "httpbin", 8000),
            Outcome::Ok
        );
    }
    // The namespace level beats the mesh level.
    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            pa("default", "istio-system", "  mtls: {mode: DISABLE}"),
            pa("default", "foo", "  mtls: {mode: STRICT}")
        ),
    );
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Auto);
    assert_eq!(
        shown(&a, &c.decided_by),
        ["PeerAuthentication foo/default spec.mtls.mode"]
    );
}

/// istio-semantics §5 (1.6+): clients ignore workload-level PeerAuthentication, so workload
/// DISABLE still receives mTLS → 503 [g] (istio/istio#32079, #32788); and mesh/ns DISABLE
/// with workload STRICT → clients send plaintext → 503 [h] (#56084).
#[test]
fn auto_mtls_ignores_workload_peer_authentication() {
    let a = analysis(
        "latest",
        &pa(
            "httpbin",
            "foo",
            "  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: DISABLE}",
        ),
    );
    assert_eq!(server(&a).mode, Some(ServerMode::Disable));
    let c = client(&a, "bar");
    assert_eq!(c.choice, Choice::Auto);
    assert!(c.decided_by.is_empty());
    assert_eq!(
        reach_of(&a, ("bar", "sleep"), "foo", "httpbin", 8000),
        Outcome::UpstreamError
    );

    let a = analysis(
        "latest",
        &format!(
            "{}{}",
            pa("default", "foo", "  mtls: {mode: DISABLE}"),
            pa(
                "httpbin",
                "foo",
                "  selector: {matchLabels: {app: httpbin}}\n  mtls: {mode: STRICT}"
            )
        ),
    );
    assert_eq!(server(&a).mode, Some(ServerMode::Strict));
    assert_eq!(client(&a, "bar").choice, Choice::Plain);
    assert_eq!(
        reach_of(&a, ("bar", "sleep"), "foo", "httpbin", 8000),
        Outcome::UpstreamError
    );
}

const HEADLESS: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: db-a, namespace: foo}
spec:
  selector: {matchLabels: {app: db, part: a}}
  template:
    metadata: {labels: {app: db, part: a}}
    spec:
      containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: db-b, namespace: foo}
spec:
  selector: {matchLabels: {app: db, part: b}}
  template:
    metadata: {labels: {app: db, part: b, sidecar.istio.io/inject: "false"}}
    spec:
      containers: [{name: db, image: db, ports: [{containerPort: 5432}]}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: foo}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: tcp, port: 5432}]
---
"#;

/// istio-semantics §5 "Headless / passthrough": from 1.8 auto mTLS on a headless service is
/// all-or-nothing — any endpoint without sidecar → plaintext to all; before 1.8 always
/// plaintext. Istio 1.8: cluster_tls.go (ORIGINAL_DST); 1.7.0 returns nil for ORIGINAL_DST.
#[test]
fn auto_mtls_headless_all_or_nothing_from_1_8() {
    let a = analysis("latest", HEADLESS);
    assert_eq!(a.proxies[workload(&a, "foo", "db-b")].kind, ProxyKind::None);
    let c = client_of(&a, "bar", "foo", "db", 5432);
    assert_eq!(c.choice, Choice::Plain);
    assert!(c.reason.contains("headless"), "{}", c.reason);

    // All endpoints with a sidecar: mTLS from 1.8, plaintext in 1.7.
    let all = HEADLESS.replace(", sidecar.istio.io/inject: \"false\"", "");
    let a = analysis("1.8", &all);
    assert_eq!(client_of(&a, "bar", "foo", "db", 5432).choice, Choice::Auto);
    let a = analysis("1.7", &all);
    assert_eq!(
        client_of(&a, "bar", "foo", "db", 5432).choice,
        Choice::Plain
    );
}

/// istio-semantics §5 "Rule": auto mTLS is per endpoint — ISTIO_MUTUAL to endpoints labelled
/// `security.istio.io/tlsMode=istio` (injected), plaintext to the others. Istio:
/// cluster_tls.go `applyUpstreamTLSSettings` (transport socket matches), model/service.go
/// `GetTLSModeFromEndpointLabels`.
#[test]
fn auto_mtls_per_endpoint_plaintext_without_sidecar() {
    let a = analysis("latest", &HEADLESS.replace("  clusterIP: None\n", ""));
    let c = client_of(&a, "bar", "foo", "db", 5432);
    assert_eq!(c.choice, Choice::Auto);
    let with = workload(&a, "foo", "db-a");
    let without = workload(&a, "foo", "db-b");
    assert_eq!(c.sends(&a, Some(with), false), Sends::IstioMutual);
    assert_eq!(c.sends(&a, Some(without), false), Sends::Plaintext);
    assert_eq!(
        reach_of(&a, ("bar", "sleep"), "foo", "db", 5432),
        Outcome::Ok
    );
}

// ---------------------------------------------------------------------------------------------
// Ambient
// ---------------------------------------------------------------------------------------------

const AMBIENT: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: amb, labels: {istio.io/dataplane-mode: ambient}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: amb}
spec:
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      containers: [{name: echo, image: echo, ports: [{containerPort: 8080}]}]
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: amb}
spec:
  selector: {app: echo}
  ports: [{name: http, port: 80, targetPort: 8080}]
---
"#;

/// Ambient (issue 12): ztunnel enforces STRICT as a static "deny without peer identity" that any
/// effective PERMISSIVE or DISABLE removes, so DISABLE accepts plaintext like PERMISSIVE — also
/// under a mesh-wide STRICT (istio/istio `pilot/pkg/serviceregistry/ambient/authorization.go`
/// convertPeerAuthentication; `ambientindex_test.go` "Static STRICT policy should disappear").
#[test]
fn ambient_disable_accepts_plaintext_like_permissive() {
    let a = analysis(
        "latest",
        &format!(
            "{AMBIENT}{}",
            pa("default", "amb", "  mtls: {mode: DISABLE}")
        ),
    );
    let d = server_of(&a, "amb", "echo", 80, None);
    assert_eq!(d.proxy, ProxyKind::Ambient);
    assert_eq!(d.mode, Some(ServerMode::Permissive));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication amb/default spec.mtls.mode"]
    );
    assert_eq!(d.candidates[0].lost, None);
    let a = analysis(
        "latest",
        &format!(
            "{AMBIENT}{}---\n{}",
            pa("default", "istio-system", "  mtls: {mode: STRICT}"),
            pa(
                "echo",
                "amb",
                "  selector: {matchLabels: {app: echo}}\n  mtls: {mode: DISABLE}"
            )
        ),
    );
    let d = server_of(&a, "amb", "echo", 80, None);
    assert_eq!(d.mode, Some(ServerMode::Permissive), "{}", d.reason);
}

/// istio-semantics §9: an effective STRICT becomes a ztunnel "deny without principal" policy,
/// so plaintext from out-of-mesh clients is reset. Istio: ambient/authorization.go
/// `convertPeerAuthentication`.
#[test]
fn ambient_strict_resets_plaintext_from_outside() {
    let a = analysis(
        "latest",
        &format!(
            "{AMBIENT}{}",
            pa("default", "amb", "  mtls: {mode: STRICT}")
        ),
    );
    let d = server_of(&a, "amb", "echo", 80, None);
    assert_eq!(d.mode, Some(ServerMode::Strict));
    assert_eq!(
        shown(&a, &d.decided_by),
        ["PeerAuthentication amb/default spec.mtls.mode"]
    );
    assert_eq!(
        reach_of(&a, ("legacy", "sleep"), "amb", "echo", 80),
        Outcome::Reset
    );
    // PERMISSIVE lets it through.
    let a = analysis(
        "latest",
        &format!(
            "{AMBIENT}{}",
            pa("default", "amb", "  mtls: {mode: PERMISSIVE}")
        ),
    );
    assert_eq!(
        reach_of(&a, ("legacy", "sleep"), "amb", "echo", 80),
        Outcome::Ok
    );
}

#[test]
fn kinds_used_here_exist() {
    // Guards the `show` strings above against a renamed kind.
    assert_eq!(Kind::PeerAuthentication.name(), "PeerAuthentication");
    assert_eq!(Kind::DestinationRule.name(), "DestinationRule");
}

/// A sidecar's client decision taken from its namespace class (`Decisions::client_decision`,
/// issue 14) equals deciding it on its own, for every client and Service port of every test
/// manifest with a DestinationRule, in the releases whose lookup and merge rules differ
/// (before 1.1 one mesh-wide lookup, 1.1–1.23 merged per host, 1.24 on merged per exportTo).
#[test]
fn class_client_decisions_equal_each_clients_own() {
    let mut files = Vec::new();
    let mut dirs = vec![std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/testdata"
    ))];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml")
                && std::fs::read_to_string(&path).is_ok_and(|t| t.contains("kind: DestinationRule"))
            {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(
        files.len() > 20,
        "{} manifests with a DestinationRule",
        files.len()
    );
    // (decisions compared, of them by a sidecar no DestinationRule selects: the class path)
    let (mut compared, mut by_class) = (0, 0);
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        for version in ["1.0", "1.20", "1.24", "1.30"] {
            let loaded = Loaded::from_text("t.yaml", &text, &LoadOptions::default());
            let a = Analysis::new(loaded, Some(version.parse().unwrap()), None);
            let d = Decisions::new(&a);
            for c in 0..a.inv.workloads.len() {
                for (s, svc) in a.inv.services.iter().enumerate() {
                    for (p, port) in svc.ports.iter().enumerate() {
                        let own = client_tls::decide(&a, &Client::of(&a, c), svc, port);
                        assert_eq!(
                            d.client_decision(c, s, p),
                            own,
                            "{} at {version}: {} → {}/{}:{}",
                            path.display(),
                            a.inv.workloads[c].id(),
                            svc.namespace,
                            svc.name,
                            port.port
                        );
                        compared += 1;
                        if a.proxies[c].kind == ProxyKind::Sidecar
                            && !a.policies.destination_rules_select_clients
                        {
                            by_class += 1;
                        }
                    }
                }
            }
        }
    }
    assert!(
        compared > 500 && by_class > 200,
        "{compared} decisions compared, {by_class} by class"
    );
}
