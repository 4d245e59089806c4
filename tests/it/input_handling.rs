//! Inputs that must never pass silently (issue 13): misspelled kinds, objects without an
//! apiVersion, JSON that is not JSON, read errors whatever the rule selection, and inputs with
//! no Kubernetes object at all. Each case checks the exit code.

use assert_cmd::Command;
use serde_json::Value;

/// `meshlint analyze -o json <args> FILE` on `content` written as `name`: exit code and findings.
fn analyze(name: &str, content: &str, args: &[&str]) -> (i32, Vec<Value>, String) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("KUBECONFIG")
        .args(["analyze", "--no-config", "-o", "json"])
        .args(args)
        .arg(name)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let findings = serde_json::from_slice::<Value>(&out.stdout)
        .map(|v| v["findings"].as_array().cloned().unwrap_or_default())
        .unwrap_or_default();
    (
        code,
        findings,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const NS: &str = "apiVersion: v1\nkind: Namespace\nmetadata: {name: ok}\n";

#[test]
fn a_misspelled_kind_is_an_error_with_a_suggestion() {
    let text = format!(
        "{NS}---\napiVersion: security.istio.io/v1\nkind: Peerauthentication\nmetadata: {{name: default, namespace: foo}}\nspec: {{mtls: {{mode: STRICT}}}}\n"
    );
    let (code, findings, _) = analyze("pa.yaml", &text, &[]);
    assert_eq!(code, 1);
    let f = findings
        .iter()
        .find(|f| f["name"] == "invalid-resource")
        .expect("an invalid-resource finding");
    assert_eq!(f["severity"], "error");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `PeerAuthentication`"),
        "{f}"
    );
    // Kinds those groups really serve, and other groups, are only skipped.
    let text = format!(
        "{NS}---\napiVersion: networking.istio.io/v1alpha3\nkind: EnvoyFilter\nmetadata: {{name: f}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\n---\napiVersion: example.com/v1\nkind: Widget\nmetadata: {{name: w}}\n"
    );
    let (code, findings, _) = analyze("other.yaml", &text, &[]);
    assert!(
        findings.iter().all(|f| f["name"] != "invalid-resource"),
        "{findings:?}"
    );
    assert!(code <= 1);
}

#[test]
fn an_object_without_api_version_is_an_error_even_alone() {
    let (code, findings, _) = analyze(
        "svc.yaml",
        "kind: Service\nmetadata: {name: s}\nspec: {ports: [{port: 80}]}\n",
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("apiVersion: v1"),
        "{findings:?}"
    );
}

#[test]
fn json_files_are_json() {
    let (code, findings, _) = analyze(
        "ns.json",
        r#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x",}}"#,
        &[],
    );
    assert_eq!(code, 1);
    assert!(
        findings[0]["message"]
            .as_str()
            .unwrap()
            .contains("JSON syntax error"),
        "{findings:?}"
    );
}

#[test]
fn read_errors_count_whatever_the_selection() {
    let text = format!("{NS}---\nmetadata: {{name: [unclosed\n");
    for args in [
        &["--select", "mtls"][..],
        &["--ignore", "invalid-resource"][..],
        &["--suppress", "*=*"][..],
    ] {
        let (code, findings, _) = analyze("broken.yaml", &text, args);
        assert_eq!(code, 1, "{args:?}: {findings:?}");
        assert!(
            findings
                .iter()
                .any(|f| f["name"] == "invalid-resource" && f["severity"] == "error"),
            "{args:?}: {findings:?}"
        );
    }
}

#[test]
fn inputs_without_any_object_exit_2() {
    let (code, _, stderr) = analyze("values.yaml", "replicaCount: 2\nimage: nginx\n", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--allow-empty"), "{stderr}");
    let (code, _, _) = analyze("values.yaml", "replicaCount: 2\n", &["--allow-empty"]);
    assert_eq!(code, 0);
    // An empty stdin (a failed `helm template` upstream) is the same.
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .args(["analyze", "--no-config", "-"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn helm_chart_templates_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("charts/app");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: app\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/svc.yaml"),
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("ns.yaml"), NS.replace("ok", "istio-system")).unwrap();
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["analyze", "--no-config", "-o", "json", "-v", "."])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("helm template"), "{stderr}");
    assert!(
        stderr.contains("templates/svc.yaml"),
        "-v names the file: {stderr}"
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v}");
}

/// A Go template outside a chart's `templates/` (a loose `deploy.yaml.tpl`-style file): YAML
/// cannot parse it and it holds `{{ … }}` actions, so it is skipped with a note, not reported
/// as a syntax error; alone it leaves nothing to analyze (exit 2).
#[test]
fn unrendered_templates_outside_charts_are_skipped_with_a_note() {
    let dir = tempfile::tempdir().unwrap();
    let tpl = "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .Values.x }}\nspec: {}\n{{- end }}\n";
    std::fs::write(dir.path().join("svc.yaml"), tpl).unwrap();
    let run = |args: &[&str]| {
        Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(dir.path())
            .args(["analyze", "--no-config", "-o", "json"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["-v", "svc.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("unrendered templates"), "{stderr}");
    assert!(stderr.contains("skipped svc.yaml"), "-v names it: {stderr}");
    assert!(stderr.contains("hold no Kubernetes object"), "{stderr}");

    std::fs::write(dir.path().join("ns.yaml"), NS.replace("ok", "istio-system")).unwrap();
    let out = run(&["."]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"].as_array().unwrap().len(), 0, "{v}");

    // A YAML syntax error without template actions is still an error, and `{{ }}` inside a
    // string that parses (an alerting template in a ConfigMap) is read as it is.
    std::fs::write(dir.path().join("broken.yaml"), "kind: [Service\n").unwrap();
    std::fs::write(
        dir.path().join("cm.yaml"),
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: alerts, namespace: istio-system}\ndata:\n  t: \"{{ $labels.instance }} is down\"\n",
    )
    .unwrap();
    let out = run(&["broken.yaml", "cm.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["ML0101"], "{v}");
}

/// A chart template given by name (not found by walking) is skipped the same way.
#[test]
fn chart_templates_given_by_name_are_skipped() {
    let dir = tempfile::tempdir().unwrap();
    let chart = dir.path().join("app");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(chart.join("Chart.yaml"), "apiVersion: v2\nname: app\n").unwrap();
    std::fs::write(
        chart.join("templates/pa.yaml"),
        "kind: PeerAuthentication\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("ns.yaml"), NS.replace("ok", "istio-system")).unwrap();
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["analyze", "--no-config", "ns.yaml", "app/templates/pa.yaml"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(stderr.contains("helm template"), "{stderr}");
}
