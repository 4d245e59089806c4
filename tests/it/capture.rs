//! Which inbound ports the sidecar captures, by release (issue 12): 0.8–1.2 only the declared
//! containerPorts (the injector's `-b` list), from 1.3 every port; the pod annotation
//! `traffic.sidecar.istio.io/excludeInboundPorts` bypasses in any release. A bypassed port takes
//! plaintext whatever the mTLS mode. Fixture: testdata/capture/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

fn code(to: &str, version: &str) -> String {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(["check", "--from", "legacy/sleep", "--to", to, "-o", "json"])
        .args(["--istio-version", version, "testdata/capture/mesh.yaml"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let http = v["http_code"].as_str().unwrap_or("tcp");
    match v["curl_exit"].as_u64() {
        Some(0) => http.to_owned(),
        Some(e) => format!("{http}/{e}"),
        None => panic!("{v}"),
    }
}

#[test]
fn undeclared_ports_bypass_the_sidecar_before_1_3() {
    assert_eq!(code("httpbin.foo:9090", "1.2"), "200");
    assert_eq!(code("httpbin.foo:9090", "1.3"), "000/56");
    assert_eq!(code("httpbin.foo:8000", "1.2"), "000/56");
}

#[test]
fn excluded_inbound_ports_bypass_in_any_release() {
    assert_eq!(code("web.foo:80", "1.2"), "200");
    assert_eq!(code("web.foo:80", "1.5"), "200");
}
