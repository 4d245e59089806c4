//! Snapshots of `check`'s trace for an allowed request, a 401 and a 403 (SPEC §5; the
//! request pipeline of research/authz-semantics.md §1, §3): the JWT stage, then DENY, then
//! ALLOW, each naming the policy and field that decided.

use assert_cmd::Command;

const INPUTS: [&str; 2] = [
    "testdata/request/request-authn.yaml",
    "testdata/check/client.yaml",
];

fn check(extra: &[&str]) -> (String, i32) {
    let mut cmd = Command::cargo_bin("meshlint").unwrap();
    cmd.arg("check")
        .args(INPUTS)
        .args(["--from", "foo/sleep", "--to", "httpbin.foo:8000"])
        .args([
            "--jwks",
            "https://keys.example/jwks.json=testdata/request/jwks.json",
        ])
        .args(["--now", "2026-01-01T00:00:00Z", "--color", "never"])
        .args(extra);
    let out = cmd.output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn json(extra: &[&str]) -> serde_json::Value {
    let mut args = extra.to_vec();
    args.extend(["-o", "json"]);
    let (out, code) = check(&args);
    assert_eq!(code, 0, "{out}");
    serde_json::from_str(&out).unwrap()
}

/// authz-semantics §8: a valid token from the configured issuer matches `requestPrincipals`.
#[test]
fn allowed_with_a_valid_token() {
    let v = json(&[
        "--path",
        "/headers",
        "--token",
        "testdata/request/valid.jwt",
    ]);
    assert_eq!(v["http_code"], "200");
    let (text, _) = check(&[
        "--path",
        "/headers",
        "--token",
        "testdata/request/valid.jwt",
    ]);
    assert!(!text.contains("eyJ"), "the token itself is never printed");
    insta::assert_snapshot!("check_trace_allowed", text);
}

/// authz-semantics §8: an expired token is rejected by the JWT filter: 401.
#[test]
fn unauthenticated_with_an_expired_token() {
    let v = json(&[
        "--path",
        "/headers",
        "--token",
        "testdata/request/expired.jwt",
    ]);
    assert_eq!(v["http_code"], "401");
    assert_eq!(v["result"], "unauthenticated");
    let (text, _) = check(&[
        "--path",
        "/headers",
        "--token",
        "testdata/request/expired.jwt",
    ]);
    insta::assert_snapshot!("check_trace_401", text);
}

/// authz-semantics §3, §8: no token passes RequestAuthentication, but no ALLOW rule matches an
/// empty request principal: 403. A DENY on `/admin*` wins over ALLOW even with a valid token.
#[test]
fn forbidden_without_token_and_by_deny() {
    let v = json(&["--path", "/headers"]);
    assert_eq!(v["http_code"], "403");
    let (text, _) = check(&["--path", "/headers"]);
    insta::assert_snapshot!("check_trace_403_no_token", text);
    let v = json(&[
        "--path",
        "/admin/users",
        "--token",
        "testdata/request/valid.jwt",
    ]);
    assert_eq!(v["http_code"], "403");
    let stages: Vec<&str> = v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages.last(), Some(&"deny"), "{stages:?}");
    insta::assert_json_snapshot!("check_trace_403_deny", v);
}

/// issue 15: a token accepted without its signature checked (no `--jwks` for a `jwksUri`) is
/// said in the headline and in JSON; with the key set it is verified and nothing is said.
#[test]
fn an_unchecked_signature_is_said_in_the_headline() {
    let run = |output: &str| {
        let out = Command::cargo_bin("meshlint")
            .unwrap()
            .arg("check")
            .args(INPUTS)
            .args([
                "--from",
                "foo/sleep",
                "--to",
                "httpbin.foo:8000",
                "--path",
                "/headers",
            ])
            .args(["--token", "testdata/request/valid.jwt"])
            .args([
                "--now",
                "2026-01-01T00:00:00Z",
                "--color",
                "never",
                "-o",
                output,
            ])
            .output()
            .unwrap();
        String::from_utf8(out.stdout).unwrap()
    };
    let text = run("text");
    // The headline ends with a dash; the next line says what was assumed.
    let headline: Vec<&str> = text.lines().take(2).collect();
    assert!(headline[0].ends_with("200 (ok) —"), "{headline:?}");
    assert!(
        headline[1].contains("assuming the token's signature is valid"),
        "{headline:?}"
    );
    let doc: serde_json::Value = serde_json::from_str(&run("json")).unwrap();
    assert_eq!(doc["signature_unchecked"], true);
    let (checked, _) = check(&[
        "--path",
        "/headers",
        "--token",
        "testdata/request/valid.jwt",
    ]);
    assert!(
        !checked.lines().next().unwrap().contains("assuming"),
        "{checked}"
    );
    assert!(
        json(&[
            "--path",
            "/headers",
            "--token",
            "testdata/request/valid.jwt"
        ])
        .get("signature_unchecked")
        .is_none()
    );
}
