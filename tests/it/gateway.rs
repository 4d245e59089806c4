//! The filter chain at an Istio gateway follows the Gateway servers (issue 11): terminated HTTPS
//! (SIMPLE, MUTUAL) and HTTP servers give HTTP semantics; a PASSTHROUGH server is a TCP chain
//! behind TLS, where a DENY closes the handshake (curl 000/35); a TCP server is a plain TCP chain
//! (reset); an SNI that no TLS server names fails the handshake. `authz-http-fields-on-tcp`
//! sees the same chains. Fixture: testdata/gateway/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

fn run(args: &[&str]) -> Value {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(args)
        .args(["-o", "json", "testdata/gateway/mesh.yaml"])
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)))
}

/// curl's view of `GET path` with Host/SNI `host` to the gateway's `port`.
fn code(port: u16, host: &str, path: &str) -> String {
    let to = format!("istio-ingressgateway.istio-system:{port}");
    let v = run(&[
        "check",
        "--from",
        "outside/curl",
        "--to",
        &to,
        "--host",
        host,
        "--path",
        path,
    ]);
    let http = v["http_code"].as_str().unwrap_or("tcp");
    match v["curl_exit"].as_u64() {
        Some(0) => http.to_owned(),
        Some(e) => format!("{http}/{e}"),
        None => panic!("{v}"),
    }
}

#[test]
fn terminated_https_servers_are_http_chains() {
    assert_eq!(code(443, "portal.example.com", "/"), "403");
    assert_eq!(code(443, "portal.example.com", "/public"), "200");
    assert_eq!(code(443, "partners.example.com", "/"), "403");
}

#[test]
fn passthrough_server_is_tcp_behind_tls() {
    // HTTP attributes do not exist there: the DENY matches every connection and closes it
    // during the handshake.
    assert_eq!(code(443, "login.example.com", "/public"), "000/35");
}

#[test]
fn unknown_sni_fails_the_handshake() {
    assert_eq!(code(443, "other.example.org", "/"), "000/35");
}

#[test]
fn plain_http_and_tcp_servers() {
    assert_eq!(code(80, "www.example.com", "/"), "403");
    assert_eq!(code(80, "www.example.org", "/"), "200");
    assert_eq!(code(9000, "db.example.com", "/"), "tcp/56");
}

#[test]
fn analyze_reports_http_fields_on_the_tcp_servers() {
    let v = run(&[
        "analyze",
        "--fail-on",
        "never",
        "--select",
        "authz-http-fields-on-tcp",
    ]);
    let messages: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 1, "{messages:?}");
    assert!(messages[0].contains("port 443"), "{}", messages[0]);
    assert!(messages[0].contains("port 9000"), "{}", messages[0]);
    assert!(!messages[0].contains("port 80 "), "{}", messages[0]);
}
