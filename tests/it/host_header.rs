//! The Host header of `check`'s request (issue 11): without `--host`, what curl sends for
//! http://NAME.NAMESPACE:PORT/ (port left out when it is the scheme's default, RFC 9110 §7.2);
//! `--host` and `--header 'Host: …'` both set it; Istio matches `hosts` exactly, so a value
//! without a port does not match a Host with one (research/authz-semantics.md §5).
//! Fixture: testdata/host/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

fn code(to: &str, extra: &[&str]) -> String {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(["check", "--from", "demo/client", "--to", to, "-o", "json"])
        .args(extra)
        .arg("testdata/host/mesh.yaml")
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["http_code"].as_str().unwrap_or("none").to_owned()
}

#[test]
fn default_host_leaves_out_the_default_port() {
    // Host: web.demo (port 80 left out) matches `web.demo`.
    assert_eq!(code("web.demo:80", &[]), "200");
    // Host: web.demo:8080 matches `web.demo:8080`.
    assert_eq!(code("web.demo:8080", &[]), "200");
}

#[test]
fn host_flag_and_host_header_both_set_it() {
    assert_eq!(code("web.demo:80", &["--host", "shop.example.com"]), "200");
    assert_eq!(
        code("web.demo:80", &["--header", "Host: shop.example.com"]),
        "200"
    );
    assert_eq!(code("web.demo:80", &["--host", "other.example.com"]), "403");
    assert_eq!(
        code("web.demo:80", &["--header", "host: other.example.com"]),
        "403"
    );
}

#[test]
fn hosts_match_exactly_with_or_without_port() {
    // `shop.example.com` does not match a Host that carries a port.
    assert_eq!(
        code("web.demo:80", &["--host", "shop.example.com:80"]),
        "403"
    );
    assert_eq!(code("web.demo:8080", &["--host", "web.demo"]), "200");
    assert_eq!(code("web.demo:80", &["--host", "web.demo:80"]), "403");
}

/// `--to` takes a URL as curl does: port (scheme default when absent), path and Host from it.
#[test]
fn to_accepts_a_url() {
    assert_eq!(code("http://web.demo/", &[]), "200");
    assert_eq!(code("http://web.demo:8080/x?y=1", &[]), "200");
    // The Host is what the URL names: an FQDN is not in the policy's hosts.
    assert_eq!(code("http://web.demo.svc.cluster.local/", &[]), "403");
}

/// `check --expect` exits 1 when the outcome differs, 0 when it matches (code or result word).
#[test]
fn expect_sets_the_exit_code() {
    let status = |expect: &str| {
        Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("KUBECONFIG")
            .args([
                "check",
                "--from",
                "demo/client",
                "--to",
                "web.demo:80",
                "--expect",
                expect,
            ])
            .arg("testdata/host/mesh.yaml")
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(status("200"), Some(0));
    assert_eq!(status("ok"), Some(0));
    assert_eq!(status("403"), Some(1));
}
