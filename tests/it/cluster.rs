//! `-k/--kube` against a real Kubernetes API emulator (kmock, started per test on loopback
//! with a free port and stopped afterwards; see tests/support/kmock.rs). Each test prints a
//! note and passes when kmock is not installed; CI (.ci/run) installs it.
//!
//! The fixtures (testdata/cluster) read from the emulator must give exactly the findings and
//! the matrix they give as files (positions aside: cluster objects point at their JSON text).

#[path = "../support/kmock.rs"]
mod kmock;

use std::time::{Duration, Instant};

use assert_cmd::Command;
use serde_json::Value;

const FIXTURES: [&str; 3] = [
    "testdata/cluster/base.yaml",
    "testdata/cluster/global-dr.yaml",
    "testdata/cluster/policies.yaml",
];

fn meshlint() -> Command {
    let mut cmd = Command::cargo_bin("meshlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("MESHLINT_KUBE_PAGE_SIZE")
        .timeout(Duration::from_secs(60));
    cmd
}

fn kube(k: &kmock::Kmock, args: &[&str]) -> Command {
    let mut cmd = meshlint();
    cmd.args(args)
        .arg("-k")
        .arg("--kubeconfig")
        .arg(k.kubeconfig());
    cmd
}

fn json(out: &std::process::Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

/// Drops what says where an object was read (file, line, column) and sorts the findings
/// (their order follows file and line): the rest must agree.
fn without_positions(v: &mut Value) {
    strip(v);
    if let Some(Value::Array(findings)) = v.get_mut("findings") {
        findings.sort_by_cached_key(|f| f.to_string());
    }
}

fn strip(v: &mut Value) {
    match v {
        Value::Object(map) => {
            map.retain(|k, _| {
                !matches!(
                    k.as_str(),
                    "file"
                        | "line"
                        | "column"
                        | "col"
                        | "end_line"
                        | "end_column"
                        | "files"
                        | "bytes"
                )
            });
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

fn same_as_files(k: &kmock::Kmock, args: &[&str], page_size: Option<&str>) {
    let from_files = meshlint().args(args).args(FIXTURES).output().unwrap();
    let mut cmd = kube(k, args);
    if let Some(n) = page_size {
        cmd.env("MESHLINT_KUBE_PAGE_SIZE", n);
    }
    let from_cluster = cmd.output().unwrap();
    assert_eq!(
        from_files.status.code(),
        from_cluster.status.code(),
        "stderr: {}",
        String::from_utf8_lossy(&from_cluster.stderr)
    );
    let (mut a, mut b) = (json(&from_files), json(&from_cluster));
    without_positions(&mut a);
    without_positions(&mut b);
    assert_eq!(a, b, "{args:?}: files and cluster disagree");
}

#[test]
fn cluster_gives_the_same_findings_and_matrix_as_files() {
    let Some(k) = kmock::Kmock::start(&FIXTURES, &[]) else {
        return;
    };
    same_as_files(&k, &["analyze", "-o", "json", "--fail-on", "never"], None);
    same_as_files(&k, &["matrix", "-o", "json"], None);
    same_as_files(
        &k,
        &["describe", "pod", "httpbin", "-n", "foo", "-o", "json"],
        None,
    );
}

#[test]
fn lists_are_read_page_by_page() {
    let Some(k) = kmock::Kmock::start(&FIXTURES, &[]) else {
        return;
    };
    same_as_files(
        &k,
        &["analyze", "-o", "json", "--fail-on", "never"],
        Some("1"),
    );
    same_as_files(&k, &["matrix", "-o", "json"], Some("2"));
}

#[test]
fn a_forbidden_kind_is_reported_and_the_rest_analyzed() {
    let Some(k) = kmock::Kmock::start(&FIXTURES, &["--forbid", "services"]) else {
        return;
    };
    let out = kube(&k, &["analyze", "-o", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("context kmock: cannot read Service (/api/v1/services): Forbidden (403)"),
        "{stderr}"
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("cannot list Service from the cluster"),
        "{text}"
    );
    // The rest was read: the matrix still has the workloads.
    let matrix = kube(&k, &["matrix", "-o", "lines"]).output().unwrap();
    assert!(
        String::from_utf8_lossy(&matrix.stdout).contains("sleep.foo"),
        "{}",
        String::from_utf8_lossy(&matrix.stderr)
    );
}

#[test]
fn a_group_that_is_not_served_is_not_installed() {
    // Only base.yaml: no Istio CRDs at all (security, networking, authentication … absent).
    let Some(k) = kmock::Kmock::start(&["testdata/cluster/base.yaml"], &[]) else {
        return;
    };
    let out = kube(&k, &["analyze", "-o", "json", "-v", "--fail-on", "never"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("context kmock: PeerAuthentication is not served"),
        "{stderr}"
    );
    assert!(!stderr.contains("cannot read"), "{stderr}");
    let same = meshlint()
        .args(["analyze", "-o", "json", "--fail-on", "never"])
        .arg("testdata/cluster/base.yaml")
        .output()
        .unwrap();
    let (mut a, mut b) = (json(&same), json(&out));
    without_positions(&mut a);
    without_positions(&mut b);
    assert_eq!(a, b);
}

#[test]
fn files_overlay_the_cluster() {
    let Some(k) = kmock::Kmock::start(&FIXTURES, &[]) else {
        return;
    };
    // The same objects again as files: they replace the cluster's, no duplicate findings.
    let out = kube(&k, &["analyze", "-o", "json", "--fail-on", "never"])
        .args(FIXTURES)
        .output()
        .unwrap();
    let files = meshlint()
        .args(["analyze", "-o", "json", "--fail-on", "never"])
        .args(FIXTURES)
        .output()
        .unwrap();
    assert_eq!(json(&out), json(&files));
}

#[test]
fn an_unreachable_server_exits_2_naming_context_and_server() {
    if !kmock::available() {
        eprintln!("SKIP: kmock is not installed");
        return;
    }
    // A port nobody listens on: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("kubeconfig");
    kmock::write_kubeconfig(&config, &format!("http://127.0.0.1:{port}"));
    let out = meshlint()
        .args(["analyze", "-k", "--kubeconfig"])
        .arg(&config)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("context kmock"), "{stderr}");
    assert!(stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
}

#[test]
fn an_unknown_context_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("kubeconfig");
    kmock::write_kubeconfig(&config, "http://127.0.0.1:9");
    let out = meshlint()
        .args(["analyze", "-k", "--context", "nope", "--kubeconfig"])
        .arg(&config)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("nope"), "{stderr}");
}

#[test]
fn a_slow_server_hits_the_request_timeout() {
    let Some(k) = kmock::Kmock::start(&FIXTURES, &["--slow", "pods=20"]) else {
        return;
    };
    let started = Instant::now();
    let out = kube(&k, &["analyze", "--request-timeout", "1s"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10), "{stderr}");
    assert!(stderr.contains("context kmock"), "{stderr}");
    assert!(
        stderr.contains(&format!("127.0.0.1:{}", k.port)),
        "{stderr}"
    );
    assert!(
        stderr.contains("/api/v1/pods") && stderr.contains("timed out")
            || stderr.contains("--request-timeout"),
        "{stderr}"
    );
}

/// Reading a cluster reports its progress after each kind's list (shown on stderr when it is
/// a terminal): every kind ends once, and the object count grows to what was listed.
#[test]
fn progress_follows_the_lists() {
    use meshlint::input::cluster::{ClusterOptions, ListProgress, OnProgress, load};
    use std::sync::{Arc, Mutex};
    let Some(k) = kmock::Kmock::start(&FIXTURES, &[]) else {
        return;
    };
    let seen: Arc<Mutex<Vec<ListProgress>>> = Arc::default();
    let sink = seen.clone();
    let opts = ClusterOptions {
        kubeconfig: Some(k.kubeconfig()),
        progress: OnProgress(Some(Arc::new(move |p: &ListProgress| {
            sink.lock().unwrap().push(p.clone());
        }))),
        ..ClusterOptions::default()
    };
    let loaded = load(&opts, &Default::default()).unwrap();
    let seen = seen.lock().unwrap();
    let last = seen.last().expect("progress was reported");
    assert_eq!(last.kinds_done, last.kinds);
    assert_eq!(seen.len(), last.kinds);
    assert!(seen.windows(2).all(|w| w[0].objects <= w[1].objects));
    assert_eq!(last.objects, loaded.loaded.objects.len());
    assert_eq!(
        meshlint::commands::progress_line(&ListProgress {
            context: "kind-1".into(),
            kinds_done: 12,
            kinds: 31,
            objects: 4210,
        }),
        "meshlint: reading context kind-1: 12/31 kinds listed, 4,210 objects"
    );
}
