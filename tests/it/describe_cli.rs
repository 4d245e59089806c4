//! `meshlint describe` through the binary: text and JSON snapshots over fixtures in
//! testdata/describe (httpbin of Istio's authentication policy task at three steps, Istio 1.4;
//! the 0.3 annotation task; a STRICT backend with AuthorizationPolicies; an ambient workload; a
//! portLevelMtls DISABLE that conflicts with a DestinationRule), the usage errors for unknown
//! and ambiguous names, and one check against the shared scenarios when they are present.

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("COLUMNS")
        .arg("describe")
        .args(args)
        .output()
        .unwrap()
}

fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    if !args.contains(&"json") {
        for l in text.lines() {
            assert!(l.chars().count() <= 100, "wider than 100 columns: {l}");
        }
        assert!(!text.contains('\x1b'), "colour without a terminal");
    }
    text
}

fn stderr_of_failure(args: &[&str]) -> String {
    let out = run(args);
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

const AUTHN: &str = "testdata/describe/authn/base.yaml";

#[test]
fn authn_no_policy() {
    insta::assert_snapshot!(
        "authn_no_policy",
        stdout(&[
            "pod",
            "httpbin",
            "-n",
            "foo",
            AUTHN,
            "--istio-version",
            "1.4"
        ])
    );
}

#[test]
fn authn_mesh_strict_global_dr() {
    insta::assert_snapshot!(
        "authn_mesh_strict_global_dr",
        stdout(&[
            "pod",
            "httpbin",
            "-n",
            "foo",
            AUTHN,
            "testdata/describe/authn/mesh-strict.yaml",
            "testdata/describe/authn/global-dr.yaml",
            "--istio-version",
            "1.4",
        ])
    );
}

#[test]
fn authn_namespace_policy() {
    insta::assert_snapshot!(
        "authn_namespace_policy",
        stdout(&[
            "pod",
            "foo/httpbin",
            AUTHN,
            "testdata/describe/authn/mesh-strict.yaml",
            "testdata/describe/authn/foo-namespace-policy.yaml",
            "--istio-version",
            "1.4",
        ])
    );
}

#[test]
fn annotations_0_3() {
    insta::assert_snapshot!(
        "annotations_0_3",
        stdout(&[
            "workload",
            "httpbin.default",
            "testdata/describe/annotations/mesh-mtls-httpbin-annotated.yaml",
            "--istio-version",
            "0.3",
        ])
    );
}

const RBAC: [&str; 4] = [
    "testdata/describe/rbac/demo.yaml",
    "testdata/describe/rbac/universe-injected.yaml",
    "testdata/describe/rbac/mtls.yaml",
    "testdata/describe/rbac/rbac-readwrite.yaml",
];

#[test]
fn strict_backend_with_authorization_policies() {
    let mut args = vec!["workload", "demo/backend-v1"];
    args.extend(RBAC);
    insta::assert_snapshot!("rbac_backend", stdout(&args));
}

#[test]
fn ambient_workload() {
    insta::assert_snapshot!(
        "ambient_httpbin",
        stdout(&[
            "pod",
            "httpbin",
            "-n",
            "amb",
            "testdata/describe/ambient.yaml"
        ])
    );
}

#[test]
fn port_level_mtls_conflicting_destination_rule() {
    insta::assert_snapshot!(
        "port_level_cart",
        stdout(&[
            "pod",
            "cart",
            "-n",
            "shop",
            "testdata/describe/port-level.yaml"
        ])
    );
}

#[test]
fn port_level_json() {
    let text = stdout(&[
        "pod",
        "shop/cart",
        "testdata/describe/port-level.yaml",
        "-o",
        "json",
    ]);
    let v: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(v["describe"], "workload");
    insta::assert_json_snapshot!("port_level_cart_json", v);
}

#[test]
fn service_view() {
    insta::assert_snapshot!(
        "service_cart",
        stdout(&["service", "cart.shop", "testdata/describe/port-level.yaml"])
    );
}

#[test]
fn namespace_view() {
    insta::assert_snapshot!(
        "namespace_foo",
        stdout(&[
            "namespace",
            "foo",
            AUTHN,
            "testdata/describe/authn/foo-namespace-policy.yaml",
            "--istio-version",
            "1.4",
        ])
    );
    insta::assert_snapshot!(
        "namespace_amb",
        stdout(&["namespace", "amb", "testdata/describe/ambient.yaml"])
    );
}

/// A namespace's reach counts the cells the inputs do not decide on their own (testdata/
/// depends: a policy reads the client address): not among the blocked results, and in the
/// cells, which are ok + blocked + depends.
#[test]
fn namespace_reach_counts_undecided_cells() {
    let args = ["namespace", "foo", "testdata/depends/mesh.yaml"];
    let text = stdout(&args);
    assert!(
        text.contains("foo  0 of 6 ok, 3 forbidden, 3 depends"),
        "{text}"
    );
    let mut json_args = args.to_vec();
    json_args.extend(["-o", "json"]);
    let v: Value = serde_json::from_str(&stdout(&json_args)).unwrap();
    let inbound = &v["inbound"][0];
    let blocked: u64 = inbound["blocked"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert_eq!(inbound["depends"], 3, "{inbound}");
    assert!(inbound["blocked"].get("depends").is_none(), "{inbound}");
    assert_eq!(
        inbound["cells"].as_u64().unwrap(),
        inbound["ok"].as_u64().unwrap() + blocked + 3,
        "{inbound}"
    );
}

#[test]
fn ambiguous_name_lists_candidates() {
    let err = stderr_of_failure(&["pod", "httpbin", AUTHN]);
    let flat: String = err.split(|c: char| c.is_whitespace() || c == '│').collect();
    assert!(
        flat.contains("matches3workloads:bar/httpbin,foo/httpbin,legacy/httpbin"),
        "{err}"
    );
}

#[test]
fn unknown_name_suggests_near_ones() {
    let err = stderr_of_failure(&["pod", "httpbn", "-n", "foo", AUTHN]);
    assert!(
        err.contains("did you mean") && err.contains("foo/httpbin"),
        "{err}"
    );
    let err = stderr_of_failure(&["service", "htpbin.foo", AUTHN]);
    assert!(err.contains("foo/httpbin"), "{err}");
    let err = stderr_of_failure(&["namespace", "fooo", AUTHN]);
    assert!(err.contains("did you mean foo"), "{err}");
}

#[test]
fn colour_only_when_asked() {
    let out = run(&["pod", "foo/httpbin", AUTHN, "--color", "always"]);
    assert!(String::from_utf8(out.stdout).unwrap().contains('\x1b'));
}

/// The shared seed scenario, when the workspace has it: namespace Policy foo/default (STRICT)
/// and the foo DestinationRule (ISTIO_MUTUAL); legacy's sleep has no proxy and is reset.
#[test]
fn shared_seed_authn_namespace_policy() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/scenarios/seed-authn-policy");
    if !dir.join("base.yaml").exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let base = dir.join("base.yaml");
    let policy = dir.join("foo-namespace-policy.yaml");
    let text = stdout(&[
        "pod",
        "httpbin",
        "-n",
        "foo",
        base.to_str().unwrap(),
        policy.to_str().unwrap(),
        "--istio-version",
        "1.4",
    ]);
    assert!(
        text.contains("Port: http 8000/HTTP targets pod port 80"),
        "{text}"
    );
    assert!(
        text.contains("Port 80: STRICT from namespace-level Policy foo/default"),
        "{text}"
    );
    assert!(
        text.contains("✓ namespace Policy foo/default: mtls STRICT"),
        "{text}"
    );
    assert!(
        text.contains("ISTIO_MUTUAL from DestinationRule foo/default"),
        "{text}"
    );
    let reset = text
        .lines()
        .find(|l| l.trim_start().starts_with("000/56"))
        .unwrap_or_else(|| panic!("no reset row: {text}"));
    assert!(reset.contains("legacy/sleep"), "{text}");

    let json = stdout(&[
        "pod",
        "httpbin",
        "-n",
        "foo",
        base.to_str().unwrap(),
        policy.to_str().unwrap(),
        "--istio-version",
        "1.4",
        "-o",
        "json",
    ]);
    let v: Value = serde_json::from_str(&json).unwrap();
    let port = &v["mtls"][0];
    assert_eq!(port["target_port"], 80);
    assert_eq!(port["via"][0], "httpbin.foo:8000");
    assert_eq!(port["mode"], "STRICT");
    let winner = port["candidates"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["winner"] == true)
        .unwrap();
    assert_eq!(winner["what"], "Policy foo/default");
    let foo = v["clients"][0]["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["namespaces"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n == "foo")
        })
        .unwrap();
    assert_eq!(foo["client_tls"], "ISTIO_MUTUAL");
    assert_eq!(foo["destination_rule"]["name"], "default");
    assert_eq!(foo["destination_rule"]["namespace"], "foo");
    let reset = v["inbound"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["code"] == "000/56")
        .unwrap();
    assert!(
        reset["from"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f == "legacy/sleep")
    );
}

/// kubectl's short names select what to describe, and a pod name pasted from `kubectl get pods`
/// finds its Deployment (issue 15); a name of another shape still fails with suggestions.
#[test]
fn kubectl_short_names_and_pod_names() {
    let mut args = vec!["deploy", "demo/backend-v1"];
    args.extend(RBAC);
    let by_controller = stdout(&args);
    let mut args = vec!["po", "backend-v1-8456d4864-h4fnm", "-n", "demo"];
    args.extend(RBAC);
    assert_eq!(stdout(&args), by_controller);
    let mut args = vec!["pod", "backend-v1-8456d4864", "-n", "demo"];
    args.extend(RBAC);
    assert_eq!(
        run(&args).status.code(),
        Some(2),
        "not a pod name of backend-v1"
    );
    let mut args = vec!["svc", "demo/backend"];
    args.extend(RBAC);
    let mut long = vec!["service", "demo/backend"];
    long.extend(RBAC);
    assert_eq!(run(&args).status.code(), run(&long).status.code());
}

const PATHS: &str = "testdata/describe/paths.yaml";

/// Under a path-based ALLOW policy `GET /` is refused for every client: the Inbound section
/// also judges the request each rule is written for (GET /api/ for foo, POST /upload for bar).
/// The same fixture shows istioctl's DestinationRule block (matching and other subsets, the
/// TLS modes) and two namespace policies without creationTimestamp (decided by name).
#[test]
fn path_based_policy_rule_requests_and_destination_rule() {
    let text = stdout(&["pod", "httpbin", "-n", "foo", PATHS]);
    insta::assert_snapshot!("paths_httpbin", text);
    let v: Value = serde_json::from_str(&stdout(&[
        "pod", "httpbin", "-n", "foo", PATHS, "-o", "json",
    ]))
    .unwrap();
    let by_rule = v["inbound"][0]["by_rule"].as_array().unwrap();
    let req: Vec<&str> = by_rule
        .iter()
        .map(|r| r["request"].as_str().unwrap())
        .collect();
    assert_eq!(req, ["GET /api/", "POST /upload"]);
    let ok_from = |i: usize| by_rule[i]["results"][0]["from"].clone();
    assert_eq!(ok_from(0), serde_json::json!(["foo/httpbin", "foo/sleep"]));
    assert_eq!(ok_from(1), serde_json::json!(["bar/sleep"]));
    let dr = &v["destination_rules"][0];
    assert_eq!(dr["matching_subsets"], serde_json::json!(["v1"]));
    assert_eq!(dr["other_subsets"], serde_json::json!(["v2"]));
    assert_eq!(dr["client_namespaces"], serde_json::json!(["bar", "foo"]));
}

/// A gateway has a proxy: its ports say why there is no mode, never "no proxy".
#[test]
fn gateway_ports_are_not_without_a_proxy() {
    let text = stdout(&[
        "deploy",
        "istio-ingressgateway",
        "-n",
        "istio-system",
        "testdata/gateway/mesh.yaml",
    ]);
    assert!(text.contains("Workload mTLS mode: none (gateway: no peer authentication)"));
    assert!(text.contains("(server gateway)"), "{text}");
    assert!(!text.contains("no proxy"), "{text}");
}

/// Text wraps at --width, else $COLUMNS when piped, else 100; a backticked command or a
/// hyphenated name is never split.
#[test]
fn width_from_flag_and_columns() {
    let widest = |out: std::process::Output| {
        assert_eq!(out.status.code(), Some(0));
        String::from_utf8(out.stdout)
            .unwrap()
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap()
    };
    let with_columns = |columns: &str, extra: &[&str]| {
        Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .env("COLUMNS", columns)
            .args(["describe", "pod", "httpbin", "-n", "foo", PATHS])
            .args(extra)
            .output()
            .unwrap()
    };
    let narrow = widest(with_columns("72", &[]));
    assert!(narrow <= 72, "{narrow}");
    let flag = widest(with_columns("72", &["--width", "140"]));
    assert!(flag > 100 && flag <= 140, "{flag}");
    let default = widest(run(&["pod", "httpbin", "-n", "foo", PATHS]));
    assert!(default > 72 && default <= 100, "{default}");
    let too_narrow = run(&["pod", "httpbin", "-n", "foo", PATHS, "--width", "20"]);
    assert_eq!(too_narrow.status.code(), Some(2));
}

/// A cluster-scoped MeshPolicy is named without a namespace in the namespace view.
#[test]
fn namespace_view_names_mesh_policy_without_slash() {
    let text = stdout(&[
        "ns",
        "foo",
        "testdata/rules/mtls-mode-conflict/fail-mesh-strict-no-dr.yaml",
    ]);
    assert!(text.contains("MeshPolicy default"), "{text}");
    assert!(!text.contains("MeshPolicy /default"), "{text}");
}
