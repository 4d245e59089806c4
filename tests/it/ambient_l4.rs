//! ztunnel (ambient, no waypoint) enforces the L4 part of AuthorizationPolicies only
//! (issue 12; istio/istio `pilot/pkg/serviceregistry/ambient/authorization.go` handleRule and
//! istio/ztunnel `src/rbac.rs`, summarised in the research notes of issue 12): an ALLOW rule
//! with an L7 field is dropped; a DENY rule keeps its L4 part, and a from/to entry or `when`
//! condition left with nothing L4 is an empty match that never matches. Fixtures:
//! testdata/ambient/.

use assert_cmd::Command;
use serde_json::Value;

/// `check` from `amb/<from>` to httpbin with `policy` applied on the base mesh: the curl-style
/// code (`200`, `000/56`).
fn code(policy: &str, from: &str, version: &str) -> String {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args([
            "check",
            "--from",
            &format!("amb/{from}"),
            "--to",
            "httpbin.amb:8000",
        ])
        .args(["--istio-version", version, "-o", "json"])
        .arg("testdata/ambient/base.yaml")
        .arg(format!("testdata/ambient/{policy}"))
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let code = v["http_code"].as_str().unwrap_or("tcp");
    match v["curl_exit"].as_u64() {
        Some(0) => code.to_owned(),
        Some(e) => format!("{code}/{e}"),
        None => panic!("{v}"),
    }
}

#[test]
fn deny_with_only_l7_fields_has_no_effect() {
    for v in ["1.19", "1.24", "latest"] {
        assert_eq!(code("deny-l7-only.yaml", "curl", v), "200", "{v}");
    }
}

#[test]
fn deny_keeps_its_l4_part_and_denies_more() {
    assert_eq!(code("deny-mixed.yaml", "curl", "latest"), "000/56");
    assert_eq!(code("deny-mixed.yaml", "other", "latest"), "200");
}

#[test]
fn l7_entry_beside_l4_entry_by_version() {
    assert_eq!(
        code("deny-l7-entry-beside-l4.yaml", "curl", "latest"),
        "000/56"
    );
    assert_eq!(
        code("deny-l7-entry-beside-l4.yaml", "other", "latest"),
        "200"
    );
    // 1.18's ztunnel: every match of a clause must match, the empty one never does.
    assert_eq!(code("deny-l7-entry-beside-l4.yaml", "curl", "1.18"), "200");
}

#[test]
fn deny_with_an_l7_condition_or_l7_only_clause_never_fires() {
    assert_eq!(code("deny-l7-when.yaml", "curl", "latest"), "200");
    assert_eq!(code("deny-l7-to-list.yaml", "curl", "latest"), "200");
}

#[test]
fn allow_rules_with_l7_fields_are_dropped() {
    assert_eq!(code("allow-l7.yaml", "curl", "latest"), "000/56");
    assert_eq!(code("allow-l7.yaml", "other", "latest"), "000/56");
    assert_eq!(code("allow-mixed-rules.yaml", "curl", "latest"), "000/56");
    assert_eq!(code("allow-mixed-rules.yaml", "other", "latest"), "200");
}
