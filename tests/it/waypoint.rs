//! Ambient waypoints (research/istio-semantics.md §9, research/authz-semantics.md §2.3, §14.9):
//! targetRef policies on a Service are enforced, with HTTP semantics, only when the
//! destination uses a waypoint; the destination ztunnel then sees the waypoint's identity.

use std::path::PathBuf;

use meshlint::analysis::Analysis;
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::resolve::reach::{Cell, RequestContext, evaluate};
use meshlint::resolve::request::Request;
use meshlint::resolve::transport::Outcome;

fn analysis(files: &[&str]) -> Analysis {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/waypoint");
    let sources: Vec<InputSource> = files
        .iter()
        .map(|f| InputSource::File(dir.join(f)))
        .collect();
    let loaded = load(&sources, &LoadOptions::default()).unwrap();
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    Analysis::new(loaded, Some("1.24".parse().unwrap()), None)
}

fn call(a: &Analysis, method: &str) -> Cell {
    let client = a
        .inv
        .workloads
        .iter()
        .position(|w| w.name == "sleep")
        .unwrap();
    let service = a
        .inv
        .services
        .iter()
        .position(|s| s.name == "productpage")
        .unwrap();
    let req = RequestContext {
        request: Request {
            method: method.into(),
            ..Request::default()
        },
        ..RequestContext::default()
    };
    evaluate(
        &meshlint::resolve::decisions::Decisions::new(a),
        client,
        service,
        0,
        &req,
    )
}

fn trace(c: &Cell) -> String {
    c.stages
        .iter()
        .map(|s| format!("{} {}: {}", s.stage, s.decision, s.detail))
        .collect::<Vec<_>>()
        .join("\n")
}

/// istio-semantics §9: with `istio.io/use-waypoint` the waypoint enforces the Service-targeted
/// ALLOW GET policy with HTTP semantics: GET 200, DELETE 403.
#[test]
fn waypoint_enforces_service_targeted_policy() {
    let a = analysis(&["namespace-waypoint.yaml", "workloads.yaml"]);
    let get = call(&a, "GET");
    assert_eq!(get.outcome, Outcome::Ok, "{}", trace(&get));
    assert!(
        get.stages
            .iter()
            .any(|s| s.stage == "waypoint" && s.detail.contains("bookinfo/waypoint")),
        "{}",
        trace(&get)
    );
    let delete = call(&a, "DELETE");
    assert_eq!(delete.outcome, Outcome::Forbidden, "{}", trace(&delete));
    let last = delete.stages.last().unwrap();
    assert_eq!((last.stage, last.decision.as_str()), ("allow", "deny"));
    assert!(last.detail.contains("at waypoint bookinfo/waypoint"));
    assert_eq!(
        a.inv.objects[last.by[0].object].name(),
        "productpage-viewer"
    );
}

/// authz-semantics §2.3: without a waypoint nothing enforces a Service targetRef (ztunnel and
/// sidecars ignore it): DELETE is 200, and the trace says why.
#[test]
fn without_waypoint_service_targeted_policy_is_not_enforced() {
    let a = analysis(&["namespace-plain.yaml", "workloads.yaml"]);
    let delete = call(&a, "DELETE");
    assert_eq!(delete.outcome, Outcome::Ok, "{}", trace(&delete));
    let note = delete
        .stages
        .iter()
        .find(|s| s.stage == "waypoint")
        .expect("a waypoint note");
    assert_eq!(note.decision, "skip");
    assert!(note.detail.contains("no waypoint"), "{}", note.detail);
    assert!(note.detail.contains("productpage-viewer"));
}

/// istio-semantics §9: behind a waypoint the destination ztunnel sees the waypoint's identity,
/// so an L4 policy allowing only the client denies (the waypoint answers 503), and one
/// allowing the waypoint's service account passes.
#[test]
fn destination_ztunnel_sees_the_waypoint_identity() {
    let a = analysis(&[
        "namespace-waypoint.yaml",
        "workloads.yaml",
        "l4-allow-sleep.yaml",
    ]);
    let get = call(&a, "GET");
    assert_eq!(get.outcome, Outcome::UpstreamError, "{}", trace(&get));
    let last = get.stages.last().unwrap();
    assert!(
        last.detail.contains("destination ztunnel"),
        "{}",
        last.detail
    );
    assert!(last.detail.contains("sa/waypoint"), "{}", last.detail);

    let a = analysis(&[
        "namespace-waypoint.yaml",
        "workloads.yaml",
        "l4-allow-waypoint.yaml",
    ]);
    assert_eq!(call(&a, "GET").outcome, Outcome::Ok);
    assert_eq!(call(&a, "DELETE").outcome, Outcome::Forbidden);

    // Without a waypoint the same L4 policy sees the client itself.
    let a = analysis(&[
        "namespace-plain.yaml",
        "workloads.yaml",
        "l4-allow-sleep.yaml",
    ]);
    assert_eq!(call(&a, "DELETE").outcome, Outcome::Ok);
}

/// `check` through the binary with the waypoint fixtures and `extra` arguments: the HTTP code.
fn check_code(files: &[&str], extra: &[&str]) -> String {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata");
    let out = assert_cmd::Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(&dir)
        .env_remove("KUBECONFIG")
        .args([
            "check",
            "--istio-version",
            "1.24",
            "--from",
            "bookinfo/sleep",
        ])
        .args(["--to", "productpage.bookinfo:9080", "-o", "json"])
        .args(extra)
        .args(files.iter().map(|f| format!("waypoint/{f}")))
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["http_code"].as_str().unwrap_or("none").to_owned()
}

/// Issue 12: a RequestAuthentication attached to the Service by targetRef is enforced by the
/// waypoint (istio/istio `listener_waypoint.go`, `policy_applier.go`; integration test
/// `TestL7JWT`): valid token 200, forged 401, no token left to the AuthorizationPolicies.
#[test]
fn waypoint_validates_tokens_of_targeted_request_authentications() {
    let files = [
        "workloads.yaml",
        "namespace-waypoint.yaml",
        "ra-targetref.yaml",
    ];
    let jwks = "https://keys.example/jwks.json=request/jwks.json";
    let token = |t: &str| format!("request/{t}.jwt");
    let valid = token("valid");
    let forged = token("forged");
    assert_eq!(
        check_code(
            &files,
            &["--method", "POST", "--jwks", jwks, "--token", &valid]
        ),
        "200"
    );
    assert_eq!(
        check_code(
            &files,
            &["--method", "POST", "--jwks", jwks, "--token", &forged]
        ),
        "401"
    );
    assert_eq!(check_code(&files, &["--method", "POST"]), "403");
    assert_eq!(check_code(&files, &["--method", "GET"]), "200");
}
