//! Behaviour by Istio release (issue 10): `check` on testdata/versions/mesh.yaml at releases
//! before and after a field arrived or a patch changed its meaning; `--istio-version` newer
//! than the table. Each case cites its source in the fixture.

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(args)
        .args(["testdata/versions/mesh.yaml", "testdata/check/client.yaml"])
        .output()
        .unwrap()
}

/// The mesh of the field tests, with its client.
const MESH: &[&str] = &["testdata/versions/mesh.yaml", "testdata/check/client.yaml"];

/// `check … -o json` over `files` with `args`: the JSON document.
fn check_json(files: &[&str], args: &[&str]) -> Value {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .arg("check")
        .args(args)
        .args(["-o", "json"])
        .args(files)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)))
}

/// The HTTP code of `GET path` from foo/sleep to `to` at Istio `version`.
fn code(version: &str, to: &str, path: &str, token: Option<&str>) -> String {
    let mut args = vec![
        "--istio-version",
        version,
        "--from",
        "foo/sleep",
        "--to",
        to,
        "--path",
        path,
        "--jwks",
        "https://keys.example/jwks.json=testdata/request/jwks.json",
        "--now",
        "2026-01-01T00:00:00Z",
    ];
    if let Some(t) = token {
        args.extend(["--token", t]);
    }
    let v = check_json(MESH, &args);
    v["http_code"].as_str().unwrap_or("null").to_owned()
}

#[test]
fn trust_domains_by_release() {
    let to = "httpbin.foo:8000";
    // Enforced: the client's identity is in cluster.local.
    assert_eq!(code("1.31", to, "/deny", None), "403");
    assert_eq!(code("1.30.2", to, "/deny", None), "403");
    assert_eq!(
        code("1.30", to, "/deny", None),
        "403",
        "1.30 means its newest patch"
    );
    // Refused (source empty for the 1.30.1 webhook; unknown field before 1.30): no DENY.
    assert_eq!(code("1.30.1", to, "/deny", None), "200");
    assert_eq!(code("1.29", to, "/deny", None), "200");
    // Ignored beside namespaces in 1.30.0/1.30.1: the DENY catches every foo client.
    assert_eq!(code("1.31", to, "/other", None), "200");
    assert_eq!(code("1.30.1", to, "/other", None), "403");
}

#[test]
fn jwks_uri_without_issuer_by_release() {
    let to = "echo.foo:8000";
    let forged = Some("testdata/request/forged.jwt");
    let valid = Some("testdata/request/valid.jwt");
    // 1.27+: the rule checks every token against its key set.
    assert_eq!(code("1.31", to, "/", forged), "401");
    assert_eq!(code("1.27", to, "/", valid), "200");
    // 1.26: the RequestAuthentication is refused, so no token gets a request principal.
    assert_eq!(code("1.26", to, "/", forged), "403");
    assert_eq!(code("1.26", to, "/", valid), "403");
}

/// A refused policy says what its absence means.
#[test]
fn refused_policies_say_what_is_missing() {
    let out = run(&["analyze", "--istio-version", "1.29", "-o", "concise"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("unknown field `trustDomains` for Istio 1.29: it was added in Istio 1.30"),
        "{text}"
    );
    assert!(
        text.contains("the policy is not applied, so the requests its rules deny are allowed"),
        "{text}"
    );
}

/// A release newer than the table runs with the newest rows and says so (issue 10).
#[test]
fn newer_releases_warn() {
    let out = run(&["analyze", "--istio-version", "1.32", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning: Istio 1.32 is newer than the newest release meshlint covers (1.31)"),
        "{err}"
    );
    let out = run(&["analyze", "--istio-version", "1.40.2", "-q"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("Istio 1.40.2 is newer than meshlint knows"),
        "{err}"
    );
    assert_ne!(out.status.code(), Some(2), "{err}");
}

/// `check` on testdata/versions/dataplane.yaml (with the foo/sleep client): the code.
fn dataplane_code(version: &str, from: &str, to: &str) -> String {
    let v = check_json(
        &[
            "testdata/versions/dataplane.yaml",
            "testdata/check/client.yaml",
        ],
        &["--istio-version", version, "--from", from, "--to", to],
    );
    format!(
        "{}/{}",
        v["http_code"].as_str().unwrap_or("null"),
        v["curl_exit"]
    )
}

/// A native sidecar is the pod's proxy (1.19 on): its mTLS reaches the STRICT ambient pod.
#[test]
fn native_sidecars_are_proxies() {
    assert_eq!(
        dataplane_code("1.31", "foo/native", "echo.amb:8000"),
        "200/0"
    );
    // Before native sidecars existed the init container is not a proxy: plaintext, reset.
    assert_eq!(
        dataplane_code("1.18", "foo/native", "echo.amb:8000"),
        "000/56"
    );
}

/// Sidecars send HBONE to ambient pods from 1.22; before, plaintext that STRICT refuses.
#[test]
fn sidecars_tunnel_to_ambient_pods() {
    assert_eq!(
        dataplane_code("1.31", "foo/sleep", "echo.amb:8000"),
        "200/0"
    );
    assert_eq!(
        dataplane_code("1.22", "foo/sleep", "echo.amb:8000"),
        "200/0"
    );
    assert_eq!(
        dataplane_code("1.21", "foo/sleep", "echo.amb:8000"),
        "503/0"
    );
}

/// `check` names a refused policy that would have decided the request, and what it would have
/// given (issue 10: a refused policy never fails open silently).
#[test]
fn check_names_refused_policies_that_would_decide() {
    let json = |version: &str, path: &str| -> Value {
        check_json(
            MESH,
            &[
                "--istio-version",
                version,
                "--from",
                "foo/sleep",
                "--to",
                "httpbin.foo:8000",
                "--path",
                path,
            ],
        )
    };
    let v = json("1.29", "/deny");
    assert_eq!(v["http_code"], "200", "{v}");
    assert_eq!(v["not_applied"][0]["name"], "deny-td", "{v}");
    assert_eq!(v["not_applied"][0]["would_be_code"], "403", "{v}");
    assert!(
        v["not_applied"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("trustDomains")
    );
    // Applied and enforced: nothing to say. A refused policy that changes nothing is not named.
    assert!(json("1.31", "/deny").get("not_applied").is_none());
    assert!(json("1.29", "/").get("not_applied").is_none());
    let out = run(&[
        "check",
        "--istio-version",
        "1.29",
        "--from",
        "foo/sleep",
        "--to",
        "httpbin.foo:8000",
        "--path",
        "/deny",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("not applied: AuthorizationPolicy foo/deny-td is refused (testdata/versions/mesh.yaml:36"),
        "{text}"
    );
}

/// `describe` shows the refused policies that would select the workload.
#[test]
fn describe_shows_refused_policies_of_the_workload() {
    let out = run(&[
        "describe",
        "deploy",
        "foo/httpbin",
        "--istio-version",
        "1.29",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    let findings = text.split("Findings:").nth(1).unwrap_or_default();
    assert!(
        findings.contains("unknown field `trustDomains` for Istio 1.29"),
        "{text}"
    );
    // And among its policies, as not applied.
    let policies = text
        .split("AuthorizationPolicies:")
        .nth(1)
        .unwrap_or_default();
    assert!(
        policies.contains("foo/deny-td — not applied")
            && policies.contains("refused by Istio 1.29"),
        "{text}"
    );
    let out = run(&["describe", "deploy", "foo/echo", "--istio-version", "1.29"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("trustDomains"), "{text}");
}

/// What `from` sends to reviews.a at `version` (testdata/versions/dr-merge.yaml).
fn client_tls(version: &str, from: &str) -> String {
    let v = check_json(
        &["testdata/versions/dr-merge.yaml"],
        &[
            "--istio-version",
            version,
            "--from",
            from,
            "--to",
            "reviews.a:9080",
        ],
    );
    v["client_tls"].as_str().unwrap_or_default().to_owned()
}

/// DestinationRules with different exportTo: merged before 1.24, apart from 1.24.
#[test]
fn destination_rule_merge_by_release() {
    // 1.23: one merged rule exported to b only, with the older rule's DISABLE.
    assert_eq!(client_tls("1.23", "b/sleep"), "PLAINTEXT");
    assert_eq!(
        client_tls("1.23", "c/sleep"),
        "ISTIO_MUTUAL",
        "c sees no rule: auto mTLS"
    );
    // 1.24: b sees the newest rule exported to it; c sees the older one.
    assert_eq!(client_tls("1.24", "b/sleep"), "ISTIO_MUTUAL");
    assert_eq!(client_tls("1.31", "c/sleep"), "PLAINTEXT");
}

/// The code an ingress gateway gets from `to` (testdata/versions/ingress-waypoint.yaml with the
/// namespace file `ns`).
fn ingress_code(version: &str, to: &str, ns: &str) -> String {
    let v = check_json(
        &["testdata/versions/ingress-waypoint.yaml", ns],
        &[
            "--istio-version",
            version,
            "--from",
            "istio-system/istio-ingressgateway",
            "--to",
            to,
        ],
    );
    v["http_code"].as_str().unwrap_or("null").to_owned()
}

/// A gateway reaches a service's waypoint only with istio.io/ingress-use-waypoint: on the
/// Service from 1.24, on the namespace from 1.25 (case-insensitive).
#[test]
fn ingress_use_waypoint_by_release() {
    let plain = "testdata/versions/amb.yaml";
    let labelled = "testdata/versions/amb-labels.yaml";
    assert_eq!(ingress_code("1.31", "echo.amb:8000", plain), "200");
    assert_eq!(ingress_code("1.31", "echo-routed.amb:8000", plain), "403");
    assert_eq!(ingress_code("1.24", "echo-routed.amb:8000", plain), "403");
    assert_eq!(ingress_code("1.23", "echo-routed.amb:8000", plain), "200");
    assert_eq!(ingress_code("1.24", "echo.amb:8000", labelled), "200");
    assert_eq!(ingress_code("1.25", "echo.amb:8000", labelled), "403");
}

/// A proxy image newer than the table: its version is used, with the warning (issue 10).
#[test]
fn detected_newer_versions_warn() {
    let dir = tempfile::tempdir().unwrap();
    let pod = dir.path().join("pod.yaml");
    std::fs::write(
        &pod,
        "apiVersion: v1\nkind: Pod\nmetadata: {name: web, namespace: foo}\nspec:\n  containers:\n  - {name: web, image: web:2.0}\n  - {name: istio-proxy, image: \"docker.io/istio/proxyv2:1.33.1\"}\n",
    )
    .unwrap();
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .args(["analyze", "--allow-empty"])
        .arg(&pod)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        err.contains("Istio 1.33.1 is newer than meshlint knows"),
        "{err}"
    );
    assert!(
        text.contains("Istio 1.33.1 (detected from proxy image"),
        "{text}"
    );
}

/// Requests a proxy refuses before any policy answer 400 (istio.io security normalization
/// page; research/authz-semantics.md §9); the method is sent as given (issue 11).
#[test]
fn malformed_requests_get_400() {
    let code = |extra: &[&str]| -> String {
        let mut args = vec!["--from", "foo/sleep", "--to", "httpbin.foo:8000"];
        args.extend_from_slice(extra);
        check_json(MESH, &args)["http_code"]
            .as_str()
            .unwrap_or("null")
            .to_owned()
    };
    assert_eq!(code(&["--method", "get"]), "400");
    assert_eq!(code(&["--method", "GET"]), "200");
    assert_eq!(code(&["--path", "/a%00b"]), "400");
    assert_eq!(code(&["--path", "/a%2Fb"]), "200");
    assert_eq!(code(&["--header", "x y: 1"]), "400");
    let v = check_json(
        MESH,
        &[
            "--from",
            "foo/sleep",
            "--to",
            "httpbin.foo:8000",
            "--method",
            "get",
        ],
    );
    assert_eq!(v["result"], "bad-request");
    assert_eq!(v["request"]["method"], "get");
}
