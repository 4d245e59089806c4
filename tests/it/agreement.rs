//! `analyze`, `describe` and `check` on one input (testdata/agreement/mesh.yaml) must say the
//! same thing about it. Each test pins one disagreement issue 9 found between copies of the same
//! Istio question: the client namespaces considered, a workload's ports, whether a pod has a
//! proxy, and how a namespace pattern matches.

use assert_cmd::Command;
use serde_json::Value;

const MESH: &str = "testdata/agreement/mesh.yaml";

fn json(args: &[&str]) -> Value {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .args(args)
        .args(["-o", "json", MESH])
        .output()
        .unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The findings of `analyze` with rule `name` on resource `ns/resource`.
fn findings(name: &str, ns: &str, resource: &str) -> Vec<String> {
    json(&["analyze", "--fail-on", "never"])["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["name"] == name
                && f["resource"]["namespace"] == ns
                && f["resource"]["name"] == resource
        })
        .map(|f| f["message"].as_str().unwrap().to_owned())
        .collect()
}

/// The client namespaces in "sidecar clients in a, b and c send …" of a message.
fn named_namespaces(message: &str) -> Vec<String> {
    let rest = message.split("sidecar clients in ").nth(1).unwrap();
    let list = rest.split(" send").next().unwrap();
    list.replace(" and ", ", ")
        .split(", ")
        .map(str::to_owned)
        .collect()
}

#[test]
fn conflict_and_describe_name_the_same_client_namespaces() {
    let messages = findings("mtls-mode-conflict", "shop", "default");
    assert_eq!(messages.len(), 1, "{messages:?}");
    let from_rule = named_namespaces(&messages[0]);
    let d = json(&["describe", "service", "cart.shop"]);
    let groups = d["clients"][0]["groups"].as_array().unwrap();
    let plaintext: Vec<String> = groups
        .iter()
        .filter(|g| g["client_tls"] == "PLAINTEXT")
        .flat_map(|g| g["namespaces"].as_array().unwrap().iter())
        .map(|n| n.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(from_rule, plaintext);
    // Every namespace describe lists as a client is one the rules consider: legacy holds the
    // DestinationRule, the others hold sidecars or inject; none is listed without a reason.
    let all: Vec<&str> = groups
        .iter()
        .flat_map(|g| g["namespaces"].as_array().unwrap().iter())
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(all.len(), 5, "{all:?}");
}

#[test]
fn authz_rule_and_describe_judge_the_same_ports() {
    let d = json(&["describe", "pod", "httpbin", "-n", "foo"]);
    let ports: Vec<i64> = d["mtls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["target_port"].as_i64().unwrap())
        .collect();
    assert_eq!(ports, [80, 9090], "the metrics port is reached by pod IP");
    let messages = findings("authz-requires-mtls", "foo", "httpbin");
    assert!(!messages.is_empty());
    for m in &messages {
        for p in &ports {
            assert!(m.contains(&format!("foo/httpbin port {p}")), "{m}");
        }
    }
}

#[test]
fn an_existing_pod_without_sidecar_has_none_everywhere() {
    assert_eq!(findings("pod-missing-proxy", "tools", "debug").len(), 1);
    let d = json(&["describe", "pod", "debug", "-n", "tools"]);
    assert_eq!(d["proxy"]["kind"], "none", "{}", d["proxy"]);
    let c = json(&["check", "--from", "tools/debug", "--to", "cart.shop:80"]);
    assert_eq!(
        (c["result"].as_str(), c["curl_exit"].as_u64()),
        (Some("reset"), Some(56))
    );
    // A Pod manifest still to be created gets the webhook's sidecar, and is not reported.
    assert!(findings("pod-missing-proxy", "tools", "fresh").is_empty());
    let d = json(&["describe", "pod", "fresh", "-n", "tools"]);
    assert_eq!(d["proxy"]["kind"], "sidecar", "{}", d["proxy"]);
    let c = json(&["check", "--from", "tools/fresh", "--to", "cart.shop:80"]);
    assert_eq!(c["result"], "ok");
}

#[test]
fn namespace_patterns_match_alike_in_rules_and_requests() {
    assert!(findings("authz-unknown-namespace", "foo", "httpbin").is_empty());
    let c = json(&[
        "check",
        "--from",
        "team-a-prod/client",
        "--to",
        "httpbin.foo:8000",
    ]);
    assert_eq!(c["http_code"], "200", "{c}");
}

/// Whether a command's text output is coloured under `env` (`--color auto`, not a terminal).
fn coloured(args: &[&str], env: &[(&str, &str)]) -> bool {
    let mut cmd = Command::cargo_bin("meshlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("KUBECONFIG")
        .args(args)
        .arg(MESH);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    String::from_utf8_lossy(&out.stdout).contains('\x1b')
}

/// Every command decides colour the same way (issue 9: `analyze` and `matrix` read `NO_COLOR`
/// differently): not on a pipe, forced by `CLICOLOR_FORCE`, and `NO_COLOR=` (empty) counts as
/// unset, per the no-color convention.
#[test]
fn every_command_decides_colour_alike() {
    let commands: [&[&str]; 4] = [
        &["analyze", "--fail-on", "never"],
        &["matrix", "--from", "foo/*"],
        &["describe", "pod", "httpbin", "-n", "foo"],
        &["check", "--from", "tools/debug", "--to", "cart.shop:80"],
    ];
    for env in [
        &[][..],
        &[("CLICOLOR_FORCE", "1")][..],
        &[("CLICOLOR_FORCE", "1"), ("NO_COLOR", "")][..],
        &[("NO_COLOR", "1")][..],
    ] {
        let seen: Vec<bool> = commands.iter().map(|c| coloured(c, env)).collect();
        assert!(
            seen.iter().all(|&s| s == seen[0]),
            "{env:?}: {seen:?} for {commands:?}"
        );
        let forced = env.iter().any(|(k, _)| *k == "CLICOLOR_FORCE");
        assert_eq!(seen[0], forced, "{env:?}");
    }
}

/// A later definition the API server rejects does not replace the earlier valid one (issue 12):
/// the mesh stays STRICT, and both the duplicate and the invalid definition are reported.
#[test]
fn an_invalid_redefinition_leaves_the_valid_one_in_effect() {
    let run = |args: &[&str]| -> Value {
        let out = Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("KUBECONFIG")
            .args(args)
            .args(["-o", "json", "testdata/duplicates/mesh.yaml"])
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let c = run(&[
        "check",
        "--from",
        "legacy/sleep",
        "--to",
        "httpbin.foo:8000",
    ]);
    assert_eq!(c["result"], "reset", "{c}");
    let a = run(&["analyze", "--fail-on", "never"]);
    let names: Vec<&str> = a["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"duplicate-resource"), "{names:?}");
    assert!(names.contains(&"invalid-resource"), "{names:?}");
}
