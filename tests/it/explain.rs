//! `check` explains (issue 11): for a DENY that matches, the parts of its rule the request met;
//! for a DENY that passes, why each DENY rule failed; for the ALLOW rule that admits, what it
//! met. Only the enforced fields are named: on a TCP port the HTTP-only fields removed from a
//! DENY rule are not (research/authz-semantics.md §7). The matrix keeps only the deciding
//! stage's words. Fixture: testdata/explain/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

const MESH: &str = "testdata/explain/mesh.yaml";

fn meshlint(args: &[&str]) -> Value {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(args)
        .args(["-o", "json", MESH])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The detail of `stage` in `check`'s trace for bar/sleep → `to`.
fn detail(to: &str, extra: &[&str], stage: &str) -> String {
    let mut args = vec!["check", "--from", "bar/sleep", "--to", to];
    args.extend_from_slice(extra);
    let c = meshlint(&args);
    c["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == stage)
        .unwrap_or_else(|| panic!("no {stage} stage: {c}"))["detail"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_matching_deny_names_what_the_request_met() {
    let d = detail(
        "httpbin.foo:8000",
        &["--method", "DELETE", "--path", "/admin/users"],
        "deny",
    );
    assert!(
        d.contains("ns[foo]-policy[deny-admin-delete]-rule[0] matches (from ✓ namespaces [bar]; to ✓ methods [DELETE], paths [/admin*])"),
        "{d}"
    );
    let d = detail("httpbin.foo:8000", &["--header", "X-Block: yes"], "deny");
    assert!(
        d.contains(
            "deny-blocked-header]-rule[0] matches (when ✓ request.headers[x-block] values [yes])"
        ),
        "{d}"
    );
}

#[test]
fn a_passing_deny_says_why_each_rule_failed() {
    let d = detail("httpbin.foo:8000", &["--path", "/admin/users"], "deny");
    assert!(d.starts_with("no DENY rule matches"), "{d}");
    assert!(
        d.contains("deny-admin-delete]-rule[0]: to ✗ methods [DELETE]; the request is GET /admin/users on target port 80"),
        "{d}"
    );
    assert!(
        d.contains("deny-blocked-header]-rule[0]: when ✗ request.headers[x-block] values [yes]"),
        "{d}"
    );
}

#[test]
fn the_admitting_allow_rule_names_what_it_met() {
    let d = detail("httpbin.foo:8000", &[], "allow");
    assert!(
        d.contains(
            "allow-read]-rule[0] matches (to ✓ methods [GET, DELETE], notPaths [/private*])"
        ),
        "{d}"
    );
}

/// On the TCP chain the DENY rules lose their HTTP-only fields: what is left is what matched.
#[test]
fn on_a_tcp_port_only_the_enforced_fields_are_named() {
    let d = detail("httpbin.foo:9000", &[], "deny");
    assert!(
        d.contains("deny-admin-delete]-rule[0] matches (from ✓ namespaces [bar]) (HTTP-only fields removed on this port, so it matches more)"),
        "{d}"
    );
    assert!(!d.contains("methods"), "{d}");
}

/// The matrix reports the deciding stage only: no failures of rules that did not decide.
#[test]
fn the_matrix_keeps_only_the_deciding_words() {
    let m = meshlint(&["matrix", "--path", "/admin/users"]);
    let cell = m["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from"] == "bar/sleep" && c["to"] == "httpbin.foo:8000")
        .unwrap()
        .clone();
    assert_eq!(cell["result"], "ok", "{cell}");
    let reason = cell["reason"].as_str().unwrap();
    assert!(!reason.contains('✗'), "{reason}");
    let denied = meshlint(&["matrix", "--method", "DELETE", "--path", "/admin/users"]);
    let cell = denied["cells"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["from"] == "bar/sleep" && c["to"] == "httpbin.foo:8000")
        .unwrap()
        .clone();
    assert!(
        cell["reason"]
            .as_str()
            .unwrap()
            .contains("matches (from ✓ namespaces [bar]; to ✓ methods [DELETE], paths [/admin*])"),
        "{cell}"
    );
}
