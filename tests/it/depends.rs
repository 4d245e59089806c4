//! `depends` (issue 11, SPEC §3.5): when the outcome turns on something the inputs do not say —
//! here the client address an IP rule reads — `check` answers `depends` (JSON `result:
//! "depends"`, `http_code` null, `depends_on` naming the policy) and `matrix` shows `?`; with
//! `--source-ip` it answers the code. Fixture: testdata/depends/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> std::process::Output {
    Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(args)
        .arg("testdata/depends/mesh.yaml")
        .output()
        .unwrap()
}

fn check(to: &str, extra: &[&str]) -> Value {
    let mut args = vec!["check", "--from", "foo/sleep", "--to", to, "-o", "json"];
    args.extend_from_slice(extra);
    serde_json::from_slice(&run(&args).stdout).unwrap()
}

#[test]
fn an_ip_rule_without_an_address_depends() {
    let c = check("httpbin.foo:8000", &[]);
    assert_eq!(c["result"], "depends", "{c}");
    assert!(c["http_code"].is_null(), "{c}");
    assert_eq!(c["depends_on"][0]["name"], "internal-only", "{c}");
}

#[test]
fn with_an_address_it_decides() {
    let c = check("httpbin.foo:8000", &["--source-ip", "10.1.2.3"]);
    assert_eq!(c["http_code"], "200", "{c}");
    let c = check("httpbin.foo:8000", &["--source-ip", "192.168.1.1"]);
    assert_eq!(c["http_code"], "403", "{c}");
    let out = run(&[
        "check",
        "--from",
        "foo/sleep",
        "--to",
        "httpbin.foo:8000",
        "--source-ip",
        "not-an-ip",
    ]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_public_block_cannot_hold_a_workload_address() {
    let c = check("office.foo:8000", &[]);
    assert_eq!(c["http_code"], "403", "{c}");
}

#[test]
fn matrix_table_explains_the_mark() {
    let out = run(&["matrix", "--from", "foo/sleep", "-o", "wide"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("? the inputs do not decide it"), "{text}");
}

#[test]
fn matrix_marks_it() {
    let out = run(&["matrix", "--from", "foo/sleep", "-o", "lines"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.contains("httpbin.foo") && l.ends_with('?')),
        "{text}"
    );
}
