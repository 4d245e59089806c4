//! Mixed endpoints (issue 12): when a Service's endpoints do not all give the same outcome, the
//! cell reports the worst with how many endpoints give it, JSON lists each endpoint, and the
//! matrix marks the code with `*`. Fixture: testdata/mixed/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .env("NO_COLOR", "1")
        .args(args)
        .arg("testdata/mixed/mesh.yaml")
        .output()
        .unwrap()
}

#[test]
fn check_lists_each_endpoint() {
    let out = run(&[
        "check",
        "--from",
        "foo/sleep",
        "--to",
        "httpbin.foo:8000",
        "-o",
        "json",
    ]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["http_code"], "503", "{v}");
    let endpoints = v["endpoints"].as_array().expect("endpoints");
    let by: Vec<(&str, &str)> = endpoints
        .iter()
        .map(|e| {
            (
                e["workload"].as_str().unwrap(),
                e["result"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        by,
        [
            ("foo/httpbin-v1", "ok"),
            ("foo/httpbin-v2", "upstream-error")
        ]
    );
    let reason = v["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("upstream-error for 1 of 2 endpoints: foo/httpbin-v2 has no sidecar"),
        "{reason}"
    );
}

#[test]
fn matrix_marks_the_cell() {
    let out = run(&[
        "matrix",
        "--from",
        "foo/sleep",
        "--to",
        "httpbin.foo:8000",
        "-o",
        "csv",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("503"), "{text}");
    let out = run(&[
        "matrix",
        "--from",
        "foo/sleep",
        "--to",
        "httpbin.foo:8000",
        "-o",
        "wide",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("503*"), "{text}");
    assert!(
        text.contains("* only some endpoints give it"),
        "the legend: {text}"
    );
}
