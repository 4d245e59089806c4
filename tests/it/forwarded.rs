//! `remoteIpBlocks` and X-Forwarded-For (issue 11): a gateway trusts `numTrustedProxies` entries
//! from the right (mesh `defaultConfig.gatewayTopology`, replaced wholesale by the workload's
//! `proxy.istio.io/config` when that sets gatewayTopology); a sidecar takes the rightmost entry
//! as sent; a TCP chain never reads the header; an unreadable annotation leaves the address
//! unknown, so the outcome `depends`. Envoy `conn_manager_utility.cc` mutateRequestHeaders;
//! istio/istio master `pilot/pkg/networking/core/gateway.go:729-741`, `listener_inbound.go:821`.
//! Fixture: testdata/forwarded/mesh.yaml.

use assert_cmd::Command;
use serde_json::Value;

const MESH: &str = "testdata/forwarded/mesh.yaml";
/// The office (203.0.113.7) behind one proxy of the client's own (198.51.100.2).
const OFFICE_THEN_PROXY: &str = "X-Forwarded-For: 203.0.113.7, 198.51.100.2";

fn check(to: &str, args: &[&str]) -> Value {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args(["check", "--from", "outside/curl", "--to", to, "-o", "json"])
        .args(args)
        .arg(MESH)
        .output()
        .unwrap();
    serde_json::from_slice(&out.stdout).unwrap()
}

fn result(to: &str, args: &[&str]) -> String {
    let c = check(to, args);
    match c["http_code"].as_str() {
        Some(code) => code.to_owned(),
        None => c["result"].as_str().unwrap().to_owned(),
    }
}

fn address_detail(c: &Value) -> String {
    c["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "address")
        .map(|s| s["detail"].as_str().unwrap().to_owned())
        .unwrap_or_default()
}

#[test]
fn a_gateway_counts_its_trusted_proxies_from_the_right() {
    let peer = ["--source-ip", "192.0.2.1", "--header", OFFICE_THEN_PROXY];
    // The mesh trusts 2: the 2nd entry from the right is the office.
    assert_eq!(result("gw-default.istio-system:80", &peer), "200");
    // The annotation trusts 1: the rightmost entry, the client's proxy, is not the office.
    assert_eq!(result("gw-one.istio-system:80", &peer), "403");
    // `gatewayTopology: {}` replaces the mesh's: 0, the header is not read, the peer decides.
    assert_eq!(result("gw-zero.istio-system:80", &peer), "403");
    assert_eq!(
        result(
            "gw-zero.istio-system:80",
            &["--source-ip", "203.0.113.9", "--header", OFFICE_THEN_PROXY]
        ),
        "200"
    );
    let c = check("gw-default.istio-system:80", &peer);
    let d = address_detail(&c);
    assert!(
        d.contains("203.0.113.7") && d.contains("entry 2 from the right"),
        "{d}"
    );
}

#[test]
fn fewer_entries_than_trusted_proxies_fall_back_to_the_peer() {
    let one_entry = ["--header", "X-Forwarded-For: 203.0.113.7"];
    // Two trusted, one entry: the peer (192.0.2.1) decides.
    let mut args = vec!["--source-ip", "192.0.2.1"];
    args.extend_from_slice(&one_entry);
    assert_eq!(result("gw-default.istio-system:80", &args), "403");
    // One trusted, one entry: the entry.
    assert_eq!(result("gw-one.istio-system:80", &args), "200");
}

#[test]
fn an_unreadable_gateway_annotation_depends() {
    let c = check(
        "gw-broken.istio-system:80",
        &["--source-ip", "192.0.2.1", "--header", OFFICE_THEN_PROXY],
    );
    assert_eq!(c["result"], "depends", "{c}");
    assert!(c["http_code"].is_null(), "{c}");
    assert!(address_detail(&c).contains("cannot be read"), "{c}");
}

/// A sidecar (use_remote_address false, no trusted hops) takes the rightmost entry as sent:
/// a client chooses its own remote address (istio/istio#33513).
#[test]
fn a_sidecar_takes_the_rightmost_entry_as_sent() {
    let from = |xff: &str| {
        result(
            "httpbin.foo:8000",
            &[
                "--source-ip",
                "10.0.0.1",
                "--header",
                &format!("X-Forwarded-For: {xff}"),
            ],
        )
    };
    assert_eq!(from("198.51.100.2, 203.0.113.7"), "200");
    assert_eq!(from("203.0.113.7, 198.51.100.2"), "403");
    // A bad rightmost entry: the peer, never a neighbour.
    assert_eq!(from("203.0.113.7, not-an-address"), "403");
    assert_eq!(from("203.0.113.7:443"), "403");
    // Several headers are joined in order: the last one's entry is the rightmost.
    assert_eq!(
        result(
            "httpbin.foo:8000",
            &[
                "--source-ip",
                "10.0.0.1",
                "--header",
                "X-Forwarded-For: 198.51.100.2",
                "--header",
                "X-Forwarded-For: 203.0.113.7"
            ]
        ),
        "200"
    );
}

#[test]
fn a_tcp_chain_never_reads_the_header() {
    let c = check(
        "httpbin.foo:9000",
        &[
            "--source-ip",
            "10.0.0.1",
            "--header",
            "X-Forwarded-For: 203.0.113.7",
        ],
    );
    assert_eq!(c["result"], "forbidden", "{c}");
    assert!(address_detail(&c).contains("no HTTP layer"), "{c}");
}

/// remoteIpBlocks and `remote.ip` exist from Istio 1.8 (istio/api d35a65ac): before, the
/// policy is refused and not applied.
#[test]
fn remote_ip_blocks_are_unknown_before_1_8() {
    let args = [
        "--source-ip",
        "10.0.0.1",
        "--header",
        "X-Forwarded-For: 198.51.100.2",
        "--istio-version",
        "1.7",
    ];
    let c = check("httpbin.foo:8000", &args);
    assert_eq!(c["http_code"], "200", "{c}");
    let reason = c["not_applied"][0]["reason"].as_str().unwrap_or_default();
    assert!(reason.contains("remoteIpBlocks"), "{c}");
    let at_18 = check(
        "httpbin.foo:8000",
        &[&args[..4], &["--istio-version", "1.8"]].concat(),
    );
    assert_eq!(at_18["http_code"], "403", "{at_18}");
}

#[test]
fn the_remote_ip_key_is_unknown_before_1_8() {
    let analyze = |version: &str| {
        Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["analyze", "-o", "concise", "--istio-version", version])
            .arg("testdata/forwarded/remote-ip-key.yaml")
            .output()
            .unwrap()
    };
    let old = analyze("1.7");
    let text = String::from_utf8_lossy(&old.stdout);
    assert!(
        text.contains("unknown attribute \"remote.ip\" for Istio 1.7 (added in Istio 1.8)"),
        "{text}"
    );
    assert_eq!(analyze("1.8").status.code(), Some(0));
}

/// Without `--source-ip`, a public block decides (a workload's address is private), and the
/// explanation says why rather than "does not match".
#[test]
fn an_unknown_address_outside_public_blocks_is_explained() {
    let c = check(
        "httpbin.foo:9000",
        &["--header", "X-Forwarded-For: 203.0.113.7"],
    );
    assert_eq!(c["result"], "forbidden", "{c}");
    let allow = c["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["stage"] == "allow")
        .unwrap();
    assert!(
        allow["detail"]
            .as_str()
            .unwrap()
            .contains("the client address is not given, and a workload's (private) address is never in these public blocks"),
        "{allow}"
    );
}
