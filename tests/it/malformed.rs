//! Malformed inputs (SPEC.md §10): whatever the bytes, meshlint never panics. Problems inside an
//! input are `invalid-resource` findings that name the file and a line (≥ 1), and the rest of
//! the inputs is still analyzed; the process exits 0, 1 or 2, never 101.
//!
//! Fixtures are generated here, into temporary directories, so the odd ones (binary, invalid
//! UTF-8, 20 MB on one line, 10,000 brackets) need not live in the repository.

use std::path::Path;
use std::time::Duration;

use assert_cmd::Command;
use serde_json::Value;

/// A valid object put next to broken ones, to show the rest of a file is still read.
const NAMESPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ok\n";

/// Runs `meshlint analyze -o <format> --fail-on never --allow-empty FILE...` in `dir`; returns exit code,
/// stdout and stderr. A run that takes more than two minutes fails the test.
fn analyze(dir: &Path, format: &str, files: &[&str]) -> (i32, Vec<u8>, String) {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args([
            "analyze",
            "--no-config",
            "--fail-on",
            "never",
            "--allow-empty",
            "-o",
            format,
        ])
        .args(files)
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        matches!(code, 0..=2),
        "exit code {code} (101 is a panic, -1 a signal or the timeout): {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    (code, out.stdout, stderr)
}

/// One finding, reduced to what these tests check.
#[derive(Debug)]
struct Found {
    code: String,
    file: String,
    line: u64,
    field: String,
    message: String,
}

/// Writes `content` to `name` in a fresh directory, analyzes it with `-o json`, checks that the
/// run did not abort and that every finding names the file and a line ≥ 1, and returns the
/// findings and the summary.
fn check(name: &str, content: &[u8]) -> (Vec<Found>, Value) {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(name), content).unwrap();
    let (code, stdout, stderr) = analyze(dir.path(), "json", &[name]);
    assert_eq!(
        code, 0,
        "{name}: malformed content is a finding, not an abort: {stderr}"
    );
    let v: Value = serde_json::from_slice(&stdout).expect("JSON output");
    let found: Vec<Found> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| Found {
            code: f["code"].as_str().unwrap().to_owned(),
            file: f["location"]["file"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            line: f["location"]["line"].as_u64().unwrap_or(0),
            field: f["location"]["field"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
            message: f["message"].as_str().unwrap().to_owned(),
        })
        .collect();
    for f in &found {
        assert_eq!(f.file, name, "{f:?}");
        assert!(f.line >= 1, "{f:?}");
    }
    (found, v["summary"].clone())
}

/// The `invalid-resource` findings (other rules may report on the valid parts).
fn invalid(found: &[Found]) -> Vec<&Found> {
    found.iter().filter(|f| f.code == "ML0101").collect()
}

/// Exactly one `invalid-resource` finding, at `line`, whose message contains `text`.
fn expect_one(found: &[Found], line: u64, text: &str) {
    let inv = invalid(found);
    assert_eq!(inv.len(), 1, "{found:#?}");
    assert_eq!(inv[0].line, line, "{found:#?}");
    assert!(
        inv[0].message.contains(text),
        "expected `{text}` in {found:#?}"
    );
}

#[test]
fn truncated_yaml() {
    let (found, _) = check(
        "t.yaml",
        b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [foo\n",
    );
    // The parser notices at the end of the stream; the finding points at the last line, not
    // past the end of the file.
    expect_one(&found, 4, "syntax error");

    let text = format!("{NAMESPACE}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: \"svc\n");
    let (found, summary) = check("t2.yaml", text.as_bytes());
    expect_one(&found, 9, "syntax error");
    assert_eq!(summary["resources"], 1, "the first document is still read");
}

#[test]
fn wrong_types_in_istio_kinds() {
    let list = b"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: foo}\nspec:\n  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n  - 8080\n";
    let (found, _) = check("list.yaml", list);
    expect_one(&found, 7, "sequence");
    assert_eq!(invalid(&found)[0].field, "spec.portLevelMtls");

    let number = b"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: foo}\nspec:\n  mtls:\n    mode: 3\n";
    let (found, _) = check("mode.yaml", number);
    expect_one(&found, 6, "integer `3`");
    assert_eq!(invalid(&found)[0].field, "spec.mtls.mode");

    let scalar_spec = b"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: a, namespace: foo}\nspec: allow-all\n";
    let (found, _) = check("spec.yaml", scalar_spec);
    expect_one(&found, 4, "string");

    let port = b"apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {name: r, namespace: foo}\nspec:\n  host: a\n  trafficPolicy:\n    portLevelSettings:\n    - port: {number: -5}\n";
    let (found, _) = check("port.yaml", port);
    expect_one(&found, 8, "-5");

    let metadata = b"apiVersion: v1\nkind: Namespace\nmetadata: [a, b]\n";
    let (found, _) = check("meta.yaml", metadata);
    expect_one(&found, 3, "metadata: invalid type");
    assert_eq!(invalid(&found)[0].field, "metadata");
}

#[test]
fn unknown_fields_in_istio_kinds() {
    let nested = b"apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: p, namespace: foo}\nspec:\n  action: ALLOW\n  rulez: []\n";
    let (found, _) = check("nested.yaml", nested);
    expect_one(&found, 6, "unknown field `rulez`");
    assert_eq!(invalid(&found)[0].field, "spec.rulez");

    let top = b"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: foo}\nsepc:\n  mtls: {mode: STRICT}\n";
    let (found, _) = check("top.yaml", top);
    expect_one(&found, 4, "unknown field `sepc`");
}

#[test]
fn alias_bomb() {
    // "Billion laughs": ten levels of ten aliases each, 10^10 nodes once expanded.
    let mut text = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lol, namespace: foo}\ndata:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n",
    );
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  a{i}: &a{i} [{refs}]\n"));
    }
    let (found, _) = check("bomb.yaml", text.as_bytes());
    let inv = invalid(&found);
    assert_eq!(inv.len(), 1, "{found:#?}");
    assert!(inv[0].message.contains("alias bomb"), "{found:#?}");
    assert!((6..=14).contains(&inv[0].line), "{found:#?}");
}

#[test]
fn deep_nesting() {
    let cases: [(&str, String); 3] = [
        ("flow-seq.yaml", "[".repeat(10_000)),
        (
            "flow-map.yaml",
            format!("{}1{}", "{a: ".repeat(10_000), "}".repeat(10_000)),
        ),
        (
            "block.yaml",
            (0..1_000)
                .map(|i| format!("{}k:\n", " ".repeat(i)))
                .collect(),
        ),
    ];
    for (name, text) in cases {
        let (found, _) = check(name, text.as_bytes());
        let inv = invalid(&found);
        assert_eq!(inv.len(), 1, "{name}: {found:#?}");
        assert!(
            inv[0].message.contains("nesting") || inv[0].message.contains("recursion"),
            "{name}: {found:#?}"
        );
    }
}

#[test]
fn binary_file() {
    let mut bytes = b"apiVersion: v1\nkind: Namespace\n".to_vec();
    bytes.extend([0u8, 1, 2, 0xff, 0xfe, b'\n', 0x7f, 0]);
    let (found, _) = check("binary.yaml", &bytes);
    expect_one(&found, 3, "binary");
}

#[test]
fn invalid_utf8() {
    let (found, _) = check(
        "latin1.yaml",
        b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: caf\xe9\n",
    );
    expect_one(&found, 4, "UTF-8");
}

#[test]
fn a_20_mb_line() {
    let blob = "x".repeat(20 << 20);
    // A long quoted string value is just a value.
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big, namespace: foo}}\ndata:\n  blob: \"{blob}\"\n"
    );
    let (found, summary) = check("big.yaml", text.as_bytes());
    assert!(invalid(&found).is_empty(), "{found:#?}");
    assert_eq!(summary["resources"], 1);

    // Unterminated, it is a syntax error on that line.
    let text = format!(
        "{NAMESPACE}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big}}\ndata:\n  blob: \"{blob}\n"
    );
    let (found, summary) = check("open.yaml", text.as_bytes());
    expect_one(&found, 10, "syntax error");
    assert_eq!(summary["resources"], 1);
}

#[test]
fn a_mapping_with_100_000_keys() {
    // Duplicate-key detection must not be quadratic (this took minutes when it was).
    let keys: String = (0..100_000)
        .map(|i| format!("  key-{i}: value\n"))
        .collect();
    let text = format!(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big, namespace: foo}}\ndata:\n{keys}  key-42: again\n"
    );
    let start = std::time::Instant::now();
    let (found, summary) = check("keys.yaml", text.as_bytes());
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
    expect_one(&found, 100_005, "duplicate key `key-42`");
    assert_eq!(summary["resources"], 1);
}

#[test]
fn empty_inputs_are_not_findings() {
    for (name, text) in [
        ("empty.yaml", ""),
        ("dashes.yaml", "---\n"),
        ("markers.yaml", "---\n---\n...\n"),
        ("comments.yaml", "# nothing here\n---\n# nor here\n"),
        ("blank.json", "\n\n"),
    ] {
        let (found, summary) = check(name, text.as_bytes());
        assert!(found.is_empty(), "{name}: {found:#?}");
        assert_eq!(summary["files"], 1, "{name}");
        assert_eq!(summary["resources"], 0, "{name}");
    }
}

#[test]
fn json_syntax_error() {
    let text = b"{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Namespace\",\n  \"metadata\": {\"name\": \"x\"\n}\n";
    let (found, _) = check("ns.json", text);
    let inv = invalid(&found);
    assert_eq!(inv.len(), 1, "{found:#?}");
    assert!(inv[0].message.contains("syntax error"), "{found:#?}");
    assert!((4..=6).contains(&inv[0].line), "{found:#?}");

    // Valid JSON is read like YAML.
    let (found, summary) = check(
        "ok.json",
        br#"{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "x"}}"#,
    );
    assert!(invalid(&found).is_empty(), "{found:#?}");
    assert_eq!(summary["resources"], 1);
}

#[test]
fn documents_that_are_not_mappings() {
    // A file in which nothing looks like a Kubernetes object is not a manifest: skipped.
    let (found, summary) = check("list.yaml", b"- a\n");
    assert!(found.is_empty(), "{found:#?}");
    assert_eq!(summary["resources"], 0);

    // Next to an object, a stray list or scalar document is reported where it is.
    let text = format!("{NAMESPACE}---\n- a\n- b\n---\njust a string\n");
    let (found, summary) = check("mixed.yaml", text.as_bytes());
    let inv = invalid(&found);
    assert_eq!(inv.len(), 2, "{found:#?}");
    assert_eq!((inv[0].line, inv[1].line), (6, 9), "{found:#?}");
    assert!(inv[0].message.contains("a list"), "{found:#?}");
    assert_eq!(summary["resources"], 1);

    let text = format!("{NAMESPACE}---\nkind: Service\nmetadata: {{name: s}}\n");
    let (found, _) = check("noapi.yaml", text.as_bytes());
    expect_one(&found, 6, "apiVersion");
}

#[test]
fn kind_list_with_bad_items() {
    let text = b"apiVersion: v1
kind: List
items:
- 3
- apiVersion: v1
  kind: Namespace
- apiVersion: security.istio.io/v1
  kind: PeerAuthentication
  metadata: {name: x, namespace: y}
  spec: {mtls: {mode: NOPE}}
- kind: Foo
- apiVersion: v1
  kind: Namespace
  metadata: {name: fine}
";
    let (found, summary) = check("list.yaml", text);
    let lines: Vec<u64> = invalid(&found).iter().map(|f| f.line).collect();
    assert_eq!(lines, [4, 5, 10, 11], "{found:#?}");
    // The PeerAuthentication is kept (as invalid) and the last Namespace is read.
    assert_eq!(summary["resources"], 2);

    let (found, _) = check("items.yaml", b"apiVersion: v1\nkind: List\nitems: 5\n");
    expect_one(&found, 3, "`items` must be a list");
}

#[test]
fn odd_but_valid_yaml_is_read() {
    let cases: [(&str, &[u8]); 5] = [
        ("bom.yaml", "\u{feff}apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n".as_bytes()),
        ("crlf.yaml", b"apiVersion: v1\r\nkind: Namespace\r\nmetadata:\r\n  name: a\r\n"),
        ("directive.yaml", b"%YAML 1.2\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n"),
        (
            "markers.yaml",
            b"apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n--- \napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n...\n",
        ),
        ("anchors.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata:\n  labels: &l {team: x}\n  annotations: *l\n  name: a\n"),
    ];
    for (name, bytes) in cases {
        let (found, summary) = check(name, bytes);
        assert!(invalid(&found).is_empty(), "{name}: {found:#?}");
        assert!(
            summary["resources"].as_u64().unwrap() >= 1,
            "{name}: {summary}"
        );
    }
}

#[test]
fn other_syntax_problems_have_lines() {
    let cases: [(&str, &[u8], u64); 6] = [
        ("tabs.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata:\n\tname: a\n", 4),
        ("anchor.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata: *nope\n", 3),
        ("self.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata: &m {name: *m}\n", 3),
        ("merge.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata:\n  <<: 5\n  name: a\n", 4),
        (
            "complex-key.yaml",
            b"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: a, namespace: b}\nspec:\n  selector: {matchLabels: {a: b}}\n  portLevelMtls:\n    ? [1, 2]\n    : {mode: STRICT}\n",
            7,
        ),
        (
            "nan-key.yaml",
            b"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: a, namespace: b}\nspec:\n  selector: {matchLabels: {a: b}}\n  portLevelMtls:\n    .nan: {mode: STRICT}\n",
            7,
        ),
    ];
    for (name, bytes, line) in cases {
        let (found, _) = check(name, bytes);
        let inv = invalid(&found);
        assert_eq!(inv.len(), 1, "{name}: {found:#?}");
        assert_eq!(inv[0].line, line, "{name}: {found:#?}");
    }
}

#[test]
fn duplicate_keys_are_a_warning_and_the_last_value_wins() {
    let (found, summary) = check(
        "dup.yaml",
        b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: a\n  name: b\n",
    );
    expect_one(&found, 5, "duplicate key `name`");
    assert_eq!(summary["warnings"], 1);
    assert_eq!(summary["errors"], 0);
}

/// All of the above in one directory, in every output format: no renderer trips over findings
/// without a resource, at the end of a file, or in binary files.
#[test]
fn a_directory_of_broken_files_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let files: [(&str, &[u8]); 8] = [
        ("a-truncated.yaml", b"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: [foo\n"),
        ("b-binary.yaml", b"\x00\x01\x02"),
        ("c-latin1.yaml", b"name: caf\xe9\n"),
        ("d-empty.yaml", b""),
        ("e-bad.json", b"{\"apiVersion\": \"v1\",\n"),
        ("f-deep.yaml", &[b'['; 10_000]),
        (
            "g-wrong.yaml",
            b"apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: foo}\nspec:\n  mtls:\n    mode: 3\n",
        ),
        ("h-ok.yaml", NAMESPACE.as_bytes()),
    ];
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let (code, stdout, _) = analyze(dir.path(), "json", &["."]);
    assert_eq!(code, 0);
    let v: Value = serde_json::from_slice(&stdout).unwrap();
    let mut named: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["code"] == "ML0101")
        .map(|f| f["location"]["file"].as_str().unwrap())
        .collect();
    named.dedup();
    assert_eq!(
        named,
        [
            "a-truncated.yaml",
            "b-binary.yaml",
            "c-latin1.yaml",
            "e-bad.json",
            "f-deep.yaml",
            "g-wrong.yaml"
        ]
    );
    assert_eq!(v["summary"]["files"], 8);

    for format in ["text", "sarif", "github", "junit", "gitlab"] {
        let (code, stdout, stderr) = analyze(dir.path(), format, &["."]);
        assert_eq!(code, 0, "-o {format}: {stderr}");
        let out = String::from_utf8(stdout).expect("UTF-8 output");
        assert!(out.contains("a-truncated.yaml"), "-o {format}:\n{out}");
        assert!(out.contains("b-binary.yaml"), "-o {format}:\n{out}");
    }
    // Without --fail-on never, these findings fail the run.
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir.path())
        .args(["analyze", "--no-config", "-o", "json", "."])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
}
