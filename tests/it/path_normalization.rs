//! Mesh config `pathNormalization` decides the path authorization sees (issue 11; istio/api
//! 1.10.0 `mesh/v1alpha1/config.proto` NormalizationType, research/authz-semantics.md §9):
//! each mode against the DENY on /data/secret of testdata/paths/mesh.yaml, and the option's
//! absence before 1.10.

use assert_cmd::Command;
use serde_json::Value;

fn code(path: &str, mesh: Option<&str>, version: &str) -> String {
    let mut cmd = Command::cargo_bin("meshlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("KUBECONFIG")
        .args([
            "check",
            "--from",
            "apps/client",
            "--to",
            "repo.apps:8080",
            "-o",
            "json",
        ])
        .args(["--path", path, "--istio-version", version]);
    if let Some(m) = mesh {
        cmd.args(["--mesh-config", &format!("testdata/paths/mesh-{m}.yaml")]);
    }
    let out = cmd.arg("testdata/paths/mesh.yaml").output().unwrap();
    let v: Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    v["http_code"].as_str().unwrap_or("none").to_owned()
}

#[test]
fn base_by_default() {
    for (path, want) in [
        ("/data/secret", "403"),
        ("/data/./secret", "403"),
        ("/data/x/../secret", "403"),
        ("/data\\secret", "403"),
        ("/data//secret", "200"),
        ("/data%2Fsecret", "200"),
        ("/data/secret?x=1", "403"),
    ] {
        assert_eq!(code(path, None, "latest"), want, "{path}");
    }
}

#[test]
fn each_mode() {
    let rows = [
        (
            "none",
            [
                ("/data/./secret", "200"),
                ("/data//secret", "200"),
                ("/data%2Fsecret", "200"),
            ],
        ),
        (
            "merge-slashes",
            [
                ("/data/./secret", "403"),
                ("/data//secret", "403"),
                ("/data%2Fsecret", "200"),
            ],
        ),
        (
            "decode-and-merge-slashes",
            [
                ("/data/./secret", "403"),
                ("/data//secret", "403"),
                ("/data%2fsecret", "403"),
            ],
        ),
    ];
    for (mode, cases) in rows {
        for (path, want) in cases {
            assert_eq!(code(path, Some(mode), "latest"), want, "{mode} {path}");
        }
    }
}

#[test]
fn before_1_10_the_option_does_not_exist() {
    assert_eq!(code("/data//secret", Some("merge-slashes"), "1.9"), "200");
    assert_eq!(code("/data//secret", Some("merge-slashes"), "1.10"), "403");
}
