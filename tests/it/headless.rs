//! Auto mTLS to headless Services by Istio release (issue 12): 1.5-1.6 Istio mTLS to every
//! endpoint, 1.7 plaintext, 1.8 on all-or-nothing by sidecar presence (istio/istio
//! `pilot/pkg/networking/core/v1alpha3/cluster.go` of each release; research/istio-semantics.md
//! §5). Fixture: testdata/headless/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

/// `tcp` for a connection that works, `tcp/56` for one that is closed.
fn code(to: &str, version: &str) -> String {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(["check", "--from", "app/api", "--to", to, "-o", "json"])
        .args(["--istio-version", version, "testdata/headless/mesh.yaml"])
        .output()
        .unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    match v["curl_exit"].as_u64() {
        Some(0) => "tcp".to_owned(),
        Some(e) => format!("tcp/{e}"),
        None => panic!("{v}"),
    }
}

#[test]
fn headless_without_sidecar() {
    for (version, want) in [
        ("1.5", "tcp/56"),
        ("1.6", "tcp/56"),
        ("1.7", "tcp"),
        ("1.8", "tcp"),
        ("latest", "tcp"),
    ] {
        assert_eq!(code("kv.cache:6379", version), want, "Istio {version}");
    }
}

#[test]
fn headless_with_sidecars_under_strict() {
    for (version, want) in [
        ("1.5", "tcp"),
        ("1.6", "tcp"),
        ("1.7", "tcp/56"),
        ("1.8", "tcp"),
        ("latest", "tcp"),
    ] {
        assert_eq!(code("docdb.store:27017", version), want, "Istio {version}");
    }
}
