//! The command-line contract (SPEC.md §1, §2): help texts, exit codes, inputs (paths, stdin,
//! excludes), configuration, suppression and baselines. Every test runs the real binary in a
//! temporary directory so that no `.meshlint.yaml` of the surrounding tree leaks in.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;
use tempfile::TempDir;

/// A PeerAuthentication Istio's webhook rejects (`STRICTT`, line 8): one `invalid-resource`
/// error.
const BAD_PA: &str = "\
apiVersion: security.istio.io/v1
kind: PeerAuthentication
metadata:
  name: default
  namespace: foo
spec:
  mtls:
    mode: STRICTT
";

/// A valid object that no default rule reports on.
const GOOD_SA: &str = "\
apiVersion: v1
kind: ServiceAccount
metadata:
  name: sleep
  namespace: foo
";

fn meshlint(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("meshlint").unwrap();
    cmd.current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG");
    cmd
}

/// A temporary directory holding the given files.
fn dir_with(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(cmd: &mut Command) -> Run {
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().expect("exited, not killed by a signal"),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn json(r: &Run) -> Value {
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}):\n{}\nstderr:\n{}",
            r.stdout, r.stderr
        )
    })
}

fn findings(v: &Value) -> &Vec<Value> {
    v["findings"].as_array().expect("findings array")
}

/// Codes of the findings, in output order.
fn codes(v: &Value) -> Vec<&str> {
    findings(v)
        .iter()
        .map(|f| f["code"].as_str().unwrap())
        .collect()
}

/// Error text without the line wrapping and box drawing of the diagnostic renderer.
fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '│' | '×' | '╰' | '─' | '╭' | '·'))
        .collect()
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// --- help -----------------------------------------------------------------------------------

#[test]
fn help_of_each_command_shows_examples() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        &["--help"][..],
        &["analyze", "--help"],
        &["lint", "--help"],
        &["matrix", "--help"],
        &["check", "--help"],
        &["describe", "--help"],
        &["explain", "--help"],
    ] {
        let r = run(meshlint(dir.path()).args(args));
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(
            r.stdout.contains("Example"),
            "{args:?} --help has no examples:\n{}",
            r.stdout
        );
        assert!(r.stdout.contains("meshlint "), "{args:?}");
    }
}

#[test]
fn no_arguments_prints_help_and_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(&mut meshlint(dir.path()));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("Usage: meshlint"), "{}", r.stderr);
}

#[test]
fn analyze_help_documents_exit_codes_and_suppression() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(meshlint(dir.path()).args(["analyze", "--help"]));
    for word in [
        "--fail-on",
        "--baseline",
        "--suppress",
        "meshlint.io/ignore",
        ".meshlint.yaml",
    ] {
        assert!(r.stdout.contains(word), "analyze --help lacks {word}");
    }
}

// --- exit codes -----------------------------------------------------------------------------

#[test]
fn an_error_finding_exits_1_with_file_and_line_in_json() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "pa.yaml"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(codes(&v), ["ML0101"]);
    let f = &findings(&v)[0];
    assert_eq!(f["name"], "invalid-resource");
    assert_eq!(f["severity"], "error");
    assert_eq!(f["location"]["file"], "pa.yaml");
    assert_eq!(f["location"]["line"], 8);
    assert_eq!(f["location"]["column"], 11);
    assert_eq!(f["location"]["field"], "spec.mtls.mode");
    assert_eq!(f["resource"]["kind"], "PeerAuthentication");
    assert_eq!(f["resource"]["namespace"], "foo");
    assert_eq!(v["summary"]["errors"], 1);
}

#[test]
fn json_output_shape_is_stable() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--select",
        "invalid-resource",
        "--istio-version",
        "1.22",
        "pa.yaml",
    ]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    insta::assert_snapshot!("analyze_json_invalid_resource", r.stdout);
}

#[test]
fn exit_code_follows_fail_on_in_every_format() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    for format in ["text", "json", "sarif", "github", "junit", "gitlab"] {
        let r = run(meshlint(dir.path()).args(["analyze", "-o", format, "pa.yaml"]));
        assert_eq!(r.code, 1, "-o {format}: {}", r.stderr);
        assert!(!r.stdout.is_empty(), "-o {format} printed nothing");
        let r = run(meshlint(dir.path()).args([
            "analyze",
            "-o",
            format,
            "--fail-on",
            "never",
            "pa.yaml",
        ]));
        assert_eq!(r.code, 0, "-o {format} --fail-on never: {}", r.stderr);
    }
}

#[test]
fn fail_on_threshold_compares_severities() {
    // Two definitions of the same object: one `duplicate-resource` finding, severity info.
    let dir = dir_with(&[("a.yaml", GOOD_SA), ("b.yaml", GOOD_SA)]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "."]));
    assert_eq!(
        r.code, 0,
        "info is below the default threshold (warning): {}",
        r.stdout
    );
    assert_eq!(codes(&json(&r)), ["ML0103"]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "--fail-on", "info", "."]));
    assert_eq!(r.code, 1);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "--fail-on", "error", "."]));
    assert_eq!(r.code, 0);
}

#[test]
fn a_clean_input_exits_0() {
    let dir = dir_with(&[("sa.yaml", GOOD_SA)]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "sa.yaml"]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(codes(&json(&r)).is_empty());
    assert_eq!(json(&r)["summary"]["resources"], 1);
}

#[test]
fn a_missing_path_exits_2_naming_it() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r =
        run(meshlint(dir.path()).args(["analyze", "-o", "json", "pa.yaml", "no/such/dir.yaml"]));
    assert_eq!(r.code, 2);
    assert!(
        r.stdout.is_empty(),
        "nothing is reported when an input is missing"
    );
    assert!(
        squash(&r.stderr).contains("no/such/dir.yaml"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("no such file"), "{}", r.stderr);
}

#[test]
fn bad_flag_values_are_usage_errors() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    for args in [
        &["analyze", "--fail-on", "sometimes", "pa.yaml"][..],
        &["analyze", "-o", "yaml", "pa.yaml"],
        &["analyze", "--suppress", "nonsense", "pa.yaml"],
        &["analyze", "--exclude", "a/[", "pa.yaml"],
        &["analyze", "--baseline", "missing.json", "pa.yaml"],
        &["explain", "no-such-rule"],
    ] {
        let r = run(meshlint(dir.path()).args(args));
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(!r.stderr.is_empty(), "{args:?}");
    }
}

// --- rules and explain ----------------------------------------------------------------------

#[test]
fn explain_by_code_or_name_prints_the_doc() {
    let dir = tempfile::tempdir().unwrap();
    let by_code = run(meshlint(dir.path()).args(["explain", "ML0101"]));
    let by_name = run(meshlint(dir.path()).args(["explain", "invalid-resource"]));
    let lower = run(meshlint(dir.path()).args(["explain", "ml0101"]));
    assert_eq!(by_code.code, 0, "{}", by_code.stderr);
    assert_eq!(by_code.stdout, by_name.stdout);
    assert_eq!(by_code.stdout, lower.stdout);
    assert!(
        by_code.stdout.starts_with("# invalid-resource (ML0101)"),
        "{}",
        by_code.stdout
    );
    for part in [
        "Severity: error",
        "Category: schema",
        "IST0106",
        "## What it does",
        "## Example",
    ] {
        assert!(
            by_code.stdout.contains(part),
            "explain lacks {part}:\n{}",
            by_code.stdout
        );
    }
}

#[test]
fn explain_json_carries_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(meshlint(dir.path()).args(["explain", "-o", "json", "invalid-resource"]));
    assert_eq!(r.code, 0);
    let v = json(&r);
    assert_eq!(v["code"], "ML0101");
    assert_eq!(v["severity"], "error");
    assert!(v["doc"].as_str().unwrap().contains("## What it does"));
}

#[test]
fn rules_json_lists_every_rule() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(meshlint(dir.path()).args(["rules", "-o", "json"]));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    let rules = v.as_array().expect("an array of rules");
    assert!(rules.len() >= 10, "{} rules", rules.len());
    for rule in rules {
        let code = rule["code"].as_str().unwrap();
        assert!(code.starts_with("ML") && code.len() == 6, "{code}");
        assert!(rule["name"].as_str().is_some_and(|n| !n.is_empty()));
        assert!(
            matches!(
                rule["severity"].as_str(),
                Some("error" | "warning" | "info")
            ),
            "{rule}"
        );
    }
    let mut sorted: Vec<&str> = rules.iter().map(|r| r["code"].as_str().unwrap()).collect();
    let in_order = sorted.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted, in_order, "codes are unique and sorted");
    assert!(rules.iter().any(|r| r["name"] == "invalid-resource"));
}

/// One entry per rule; at any width a rule's code and name stay on one line.
#[test]
fn rules_text_lists_every_rule_unsplit() {
    let dir = tempfile::tempdir().unwrap();
    for width in ["40", "80", "200"] {
        let r = run(meshlint(dir.path()).args(["rules", "--width", width]));
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("ML0101 invalid-resource  error, schema"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("ML0202 mtls-to-workload-without-sidecar"),
            "{}",
            r.stdout
        );
        let w: usize = width.parse().unwrap();
        for l in r.stdout.lines() {
            // A line overflows only when it holds one word (a long rule name).
            assert!(l.chars().count() <= w || !l.trim().contains(' '), "{l}");
        }
    }
}

/// `explain` wraps its documentation to the width, code blocks as written.
#[test]
fn explain_wraps_to_the_width() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(meshlint(dir.path()).args(["explain", "mtls-mode-conflict", "--width", "60"]));
    assert_eq!(r.code, 0);
    let mut fenced = false;
    for l in r.stdout.lines() {
        if l.starts_with("```") {
            fenced = !fenced;
        }
        if !fenced {
            assert!(l.chars().count() <= 60, "{l}");
        }
    }
    assert!(r.stdout.contains("## Why is this bad?"));
}

#[test]
fn unknown_rule_in_select_exits_2_with_a_suggestion() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r = run(meshlint(dir.path()).args(["analyze", "--select", "invalid-resorce", "pa.yaml"]));
    assert_eq!(r.code, 2);
    let err = squash(&r.stderr);
    assert!(err.contains("invalid-resorce"), "{}", r.stderr);
    assert!(err.contains("didyoumean`invalid-resource`"), "{}", r.stderr);
    let r = run(meshlint(dir.path()).args(["analyze", "--ignore", "pod-missing-prixy", "pa.yaml"]));
    assert_eq!(r.code, 2);
    assert!(
        squash(&r.stderr).contains("didyoumean`pod-missing-proxy`"),
        "{}",
        r.stderr
    );
}

#[test]
fn select_and_ignore_choose_rules() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r =
        run(meshlint(dir.path()).args(["analyze", "-o", "json", "--ignore", "ML0101", "pa.yaml"]));
    assert_eq!(r.code, 0);
    assert!(codes(&json(&r)).is_empty());
    let r =
        run(meshlint(dir.path()).args(["analyze", "-o", "json", "--select", "schema", "pa.yaml"]));
    assert_eq!(r.code, 1);
    assert_eq!(codes(&json(&r)), ["ML0101"]);
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--select",
        "membership",
        "pa.yaml",
    ]));
    assert_eq!(r.code, 0);
}

// --- inputs ---------------------------------------------------------------------------------

#[test]
fn stdin_is_read_with_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(meshlint(dir.path())
        .args(["analyze", "-o", "json", "-"])
        .write_stdin(BAD_PA));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(codes(&v), ["ML0101"]);
    assert_eq!(findings(&v)[0]["location"]["file"], "<stdin>");
    assert_eq!(findings(&v)[0]["location"]["line"], 8);
}

#[test]
fn stdin_and_files_together() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r = run(meshlint(dir.path())
        .args([
            "analyze",
            "-o",
            "json",
            "--fail-on",
            "never",
            "-",
            "-f",
            "pa.yaml",
        ])
        .write_stdin(BAD_PA.replace("foo", "bar")));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    let files: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["location"]["file"].as_str().unwrap())
        .collect();
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(
        files.contains(&"<stdin>") && files.contains(&"pa.yaml"),
        "{files:?}"
    );
    assert_eq!(v["summary"]["files"], 2);
}

#[test]
fn no_input_means_the_current_directory() {
    let dir = dir_with(&[("k8s/pa.yaml", BAD_PA), ("k8s/notes.txt", BAD_PA)]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json"]));
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = json(&r);
    assert_eq!(findings(&v)[0]["location"]["file"], "k8s/pa.yaml");
    assert_eq!(v["summary"]["files"], 1, ".txt files are not read");
}

#[test]
fn exclude_skips_matching_files() {
    let dir = dir_with(&[
        ("k8s/sa.yaml", GOOD_SA),
        ("k8s/charts/bad/pa.yaml", BAD_PA),
        ("k8s/legacy/pa.yml", &BAD_PA.replace("foo", "bar")),
    ]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "k8s"]));
    assert_eq!(r.code, 1);
    assert_eq!(codes(&json(&r)), ["ML0101", "ML0101"]);

    let r =
        run(meshlint(dir.path()).args(["analyze", "-o", "json", "--exclude", "charts/**", "k8s"]));
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(findings(&v)[0]["location"]["file"], "k8s/legacy/pa.yml");

    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--exclude",
        "charts/**",
        "--exclude",
        "*.yml",
        "k8s",
    ]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert_eq!(json(&r)["summary"]["files"], 1);
}

// --- configuration --------------------------------------------------------------------------

#[test]
fn config_file_in_the_working_directory_is_honoured() {
    let dir = dir_with(&[
        ("k8s/pa.yaml", BAD_PA),
        (".meshlint.yaml", "ignore: [invalid-resource]\n"),
    ]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "k8s"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(codes(&json(&r)).is_empty());

    // Found by walking up from a subdirectory too.
    let r = run(meshlint(&dir.path().join("k8s")).args(["analyze", "-o", "json", "."]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    // --no-config ignores it.
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "--no-config", "k8s"]));
    assert_eq!(r.code, 1);
}

#[test]
fn config_keys_fail_on_exclude_and_severity() {
    let dir = dir_with(&[
        ("k8s/pa.yaml", BAD_PA),
        ("k8s/vendor/pa.yaml", &BAD_PA.replace("foo", "bar")),
        (
            ".meshlint.yaml",
            "fail-on: never\nexclude: ['vendor/**']\nseverity:\n  invalid-resource: warning\n",
        ),
    ]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json"]));
    assert_eq!(r.code, 0, "fail-on: never: {}{}", r.stdout, r.stderr);
    let v = json(&r);
    assert_eq!(codes(&v), ["ML0101"], "vendor/ excluded");
    assert_eq!(findings(&v)[0]["severity"], "warning");
    assert_eq!(
        v["summary"]["files"], 1,
        "the config file itself is not an input"
    );
    // The command line wins over the file.
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "--fail-on", "warning"]));
    assert_eq!(r.code, 1);
}

#[test]
fn explicit_config_flag() {
    let dir = dir_with(&[
        ("pa.yaml", BAD_PA),
        ("conf/lint.yaml", "ignore: [ML0101]\n"),
    ]);
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--config",
        "conf/lint.yaml",
        "pa.yaml",
    ]));
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn unknown_config_key_exits_2() {
    let dir = dir_with(&[
        ("pa.yaml", BAD_PA),
        (".meshlint.yaml", "select: [schema]\nignroe: [ML0101]\n"),
    ]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "pa.yaml"]));
    assert_eq!(r.code, 2);
    assert!(r.stdout.is_empty());
    let err = squash(&r.stderr);
    assert!(err.contains(".meshlint.yaml"), "{}", r.stderr);
    assert!(err.contains("unknownfield`ignroe`"), "{}", r.stderr);
    assert!(err.contains("2:1"), "names the line: {}", r.stderr);
}

#[test]
fn unknown_rule_in_config_exits_2() {
    let dir = dir_with(&[
        ("pa.yaml", BAD_PA),
        (".meshlint.yaml", "severity: {no-such-rule: error}\n"),
    ]);
    let r = run(meshlint(dir.path()).args(["analyze", "pa.yaml"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(squash(&r.stderr).contains("no-such-rule"), "{}", r.stderr);
}

// --- suppression and baseline ---------------------------------------------------------------

#[test]
fn suppress_flag_removes_matching_findings() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    for spec in [
        "ML0101=PeerAuthentication foo/*",
        "invalid-resource=PeerAuthentication foo/default",
        "*=* */*",
    ] {
        let r = run(meshlint(dir.path()).args([
            "analyze",
            "-o",
            "json",
            "--suppress",
            spec,
            "pa.yaml",
        ]));
        assert_eq!(r.code, 0, "--suppress '{spec}': {}", r.stdout);
        let v = json(&r);
        assert!(codes(&v).is_empty(), "{spec}");
        assert_eq!(v["summary"]["suppressed"], 1, "{spec}");
    }
    for spec in [
        "ML0101=PeerAuthentication bar/*",
        "ML0101=AuthorizationPolicy foo/*",
        "ML0103=* */*",
    ] {
        let r = run(meshlint(dir.path()).args([
            "analyze",
            "-o",
            "json",
            "--suppress",
            spec,
            "pa.yaml",
        ]));
        assert_eq!(r.code, 1, "--suppress '{spec}' must not match");
    }
}

#[test]
fn ignore_annotation_removes_findings_on_its_object() {
    let annotated = BAD_PA.replace(
        "  namespace: foo\n",
        "  namespace: foo\n  annotations:\n    meshlint.io/ignore: \"ML0999, invalid-resource\"\n",
    );
    let other = BAD_PA.replace("name: default", "name: other");
    let dir = dir_with(&[("a.yaml", &annotated), ("b.yaml", &other)]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "."]));
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(findings(&v).len(), 1, "only the annotated object is exempt");
    assert_eq!(findings(&v)[0]["resource"]["name"], "other");
    assert_eq!(v["summary"]["suppressed"], 1);
    // A code that names no rule is reported, with the nearest names (issue 15).
    assert!(
        r.stderr.contains(
            "PeerAuthentication foo/default: meshlint.io/ignore names `ML0999`, which is no rule"
        ),
        "{}",
        r.stderr
    );

    let wrong_rule = BAD_PA.replace(
        "  namespace: foo\n",
        "  namespace: foo\n  annotations:\n    meshlint.io/ignore: pod-missing-proxy\n",
    );
    let dir = dir_with(&[("a.yaml", &wrong_rule)]);
    let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "."]));
    assert_eq!(
        r.code, 1,
        "an annotation naming another rule suppresses nothing"
    );
    assert!(
        r.stderr
            .contains("meshlint.io/ignore `pod-missing-proxy` suppressed no finding"),
        "{}",
        r.stderr
    );

    // Notes about several annotated objects come out in one order, by kind, namespace and
    // name, whatever the order of the inputs.
    let named = |ns: &str| {
        wrong_rule
            .replace("namespace: foo", &format!("namespace: {ns}"))
            .replace("name: default", &format!("name: p-{ns}"))
    };
    let notes = |files: &[(&str, &str)]| {
        let dir = dir_with(files);
        let r = run(meshlint(dir.path()).args(["analyze", "-o", "json", "."]));
        r.stderr
            .lines()
            .filter(|l| l.contains("suppressed no finding"))
            .map(str::to_owned)
            .collect::<Vec<_>>()
    };
    let (a, b, c) = (named("aa"), named("bb"), named("cc"));
    let forward = notes(&[("1.yaml", &a), ("2.yaml", &b), ("3.yaml", &c)]);
    let backward = notes(&[("1.yaml", &c), ("2.yaml", &b), ("3.yaml", &a)]);
    assert_eq!(forward.len(), 3, "{forward:?}");
    assert_eq!(forward, backward);
    assert!(
        forward[0].contains("aa/p-aa") && forward[2].contains("cc/p-cc"),
        "{forward:?}"
    );
}

/// Suppressions that cannot match are usage errors, kinds match whatever their case, and one
/// that suppressed nothing is reported (issue 15, like ruff's RUF100).
#[test]
fn suppressions_are_validated_and_unused_ones_reported() {
    let dir = dir_with(&[("pa.yaml", BAD_PA)]);
    let r = run(meshlint(dir.path()).args(["analyze", "--suppress", "ML0101=foo", "pa.yaml"]));
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("`foo` is not a kind meshlint reads"),
        "{}",
        r.stderr
    );
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "--suppress",
        "ML0101=Peerauthentcation foo/*",
        "pa.yaml",
    ]));
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("did you mean PeerAuthentication"),
        "{}",
        r.stderr
    );
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--suppress",
        "ML0101=peerauthentication foo/default",
        "pa.yaml",
    ]));
    assert_eq!(r.code, 0, "a lowercase kind matches: {}", r.stdout);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "--suppress",
        "ML0101=PeerAuthentication bar/*",
        "pa.yaml",
    ]));
    assert!(
        r.stderr
            .contains("--suppress `ML0101=PeerAuthentication bar/*` suppressed no finding"),
        "{}",
        r.stderr
    );
}

#[test]
fn baseline_accepts_known_findings_and_reports_new_ones() {
    let dir = dir_with(&[("a.yaml", BAD_PA)]);
    let first =
        run(meshlint(dir.path()).args(["analyze", "-o", "json", "--fail-on", "never", "."]));
    assert_eq!(first.code, 0);
    assert_eq!(findings(&json(&first)).len(), 1);
    std::fs::write(dir.path().join("baseline.json"), &first.stdout).unwrap();

    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--baseline",
        "baseline.json",
        "a.yaml",
    ]));
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(codes(&json(&r)).is_empty());
    // The baseline's matches are counted (issue 15), in JSON and in the text summary.
    assert_eq!(json(&r)["summary"]["baselined"], 1);
    let t = run(meshlint(dir.path()).args(["analyze", "--baseline", "baseline.json", "a.yaml"]));
    assert!(t.stdout.contains("1 in the baseline"), "{}", t.stdout);

    // Moving the finding to another line keeps it baselined; a new problem is reported.
    let moved = format!("# a comment\n\n{BAD_PA}");
    std::fs::write(dir.path().join("a.yaml"), moved).unwrap();
    std::fs::write(
        dir.path().join("b.yaml"),
        BAD_PA.replace("name: default", "name: new"),
    )
    .unwrap();
    let r = run(meshlint(dir.path()).args([
        "analyze",
        "-o",
        "json",
        "--baseline",
        "baseline.json",
        "a.yaml",
        "b.yaml",
    ]));
    assert_eq!(r.code, 1);
    let v = json(&r);
    assert_eq!(findings(&v).len(), 1);
    assert_eq!(findings(&v)[0]["resource"]["name"], "new");
}

#[test]
fn baseline_that_is_not_meshlint_json_exits_2() {
    let dir = dir_with(&[("a.yaml", BAD_PA), ("baseline.json", "{\"results\": []}")]);
    let r = run(meshlint(dir.path()).args(["analyze", "--baseline", "baseline.json", "a.yaml"]));
    assert_eq!(r.code, 2);
    assert!(squash(&r.stderr).contains("baseline.json"), "{}", r.stderr);
}

// --- the shipped example --------------------------------------------------------------------

#[test]
fn demo_example_is_schema_valid_and_analyzed() {
    let demo = repo().join("testdata/examples/demo");
    let r = run(meshlint(&repo())
        .args(["analyze", "-o", "json", "--fail-on", "never"])
        .arg(&demo));
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = json(&r);
    assert!(
        !codes(&v).contains(&"ML0101"),
        "demo has invalid resources: {}",
        r.stdout
    );
    assert!(v["summary"]["resources"].as_u64().unwrap() >= 15);
    // What the README says the demo shows.
    let names: Vec<&str> = findings(&v)
        .iter()
        .map(|f| f["name"].as_str().unwrap())
        .collect();
    for rule in [
        "mtls-mode-conflict",
        "plaintext-clients-blocked",
        "authz-unknown-namespace",
        "namespace-not-injected",
        "port-name-protocol",
    ] {
        assert!(
            names.contains(&rule),
            "demo does not show {rule}: {names:?}"
        );
    }
    let r = run(meshlint(&repo()).arg("analyze").arg(&demo));
    assert_eq!(r.code, 1, "{}", r.stderr);
    for f in findings(&v) {
        let file = f["location"]["file"].as_str().unwrap_or_default();
        assert!(file.contains("testdata/examples/demo/"), "{f}");
        assert!(f["location"]["line"].as_u64().unwrap_or(0) >= 1, "{f}");
    }
}

/// `explain` takes istioctl and Kiali codes, and an unknown name gets the nearest names, not the
/// whole catalog (issue 15).
#[test]
fn explain_takes_foreign_codes_and_suggests_near_names() {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .args(["explain", "IST0113"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("mtls-mode-conflict"));
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .args(["explain", "mtls-mode-conflcit"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("did you mean `mtls-mode-conflict`"),
        "{stderr}"
    );
    assert!(!stderr.contains("authz-invalid"), "{stderr}");
}

/// `--statistics`: findings counted per rule, most first, then the summary; the exit code is
/// the one the findings give (issue 15).
#[test]
fn statistics_count_findings_per_rule() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = meshlint(root)
        .args([
            "analyze",
            "--no-config",
            "--statistics",
            "testdata/examples/demo",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    insta::assert_snapshot!(text);
    let json = meshlint(root)
        .args([
            "analyze",
            "--no-config",
            "-o",
            "json",
            "--fail-on",
            "never",
            "testdata/examples/demo",
        ])
        .output()
        .unwrap();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let total: usize = text
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .nth(1)
                .is_some_and(|c| c.starts_with("ML"))
        })
        .filter_map(|l| l.split_whitespace().next()?.parse::<usize>().ok())
        .sum();
    assert_eq!(total, v["findings"].as_array().unwrap().len());
}

/// `-q` leaves out the summary line in text and concise output; `-n` with a namespace no
/// object is in warns, with the nearest names (issue 15).
#[test]
fn quiet_drops_the_summary_and_unknown_namespaces_warn() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for format in ["text", "concise"] {
        let loud = meshlint(root)
            .args([
                "analyze",
                "--no-config",
                "-o",
                format,
                "testdata/examples/demo",
            ])
            .output()
            .unwrap();
        let quiet = meshlint(root)
            .args([
                "analyze",
                "--no-config",
                "-q",
                "-o",
                format,
                "testdata/examples/demo",
            ])
            .output()
            .unwrap();
        let (loud, quiet) = (
            String::from_utf8(loud.stdout).unwrap(),
            String::from_utf8(quiet.stdout).unwrap(),
        );
        assert!(loud.contains("resources (4 files)"), "{loud}");
        // The summary says which release the analysis assumed, and why (issue 15).
        assert!(
            loud.replace('\n', " ")
                .contains("; Istio 1.31 (the default: pass --istio-version)"),
            "{loud}"
        );
        assert!(!quiet.contains("resources (4 files)"), "{quiet}");
        assert!(quiet.contains("ML0201"), "{quiet}");
    }
    let flagged = meshlint(root)
        .args([
            "analyze",
            "--no-config",
            "--istio-version",
            "1.5",
            "testdata/examples/demo",
        ])
        .output()
        .unwrap();
    let flagged = String::from_utf8(flagged.stdout).unwrap();
    assert!(
        flagged.contains("; Istio 1.5 (from --istio-version)"),
        "{flagged}"
    );
    let out = meshlint(root)
        .args([
            "analyze",
            "--no-config",
            "-n",
            "fooo",
            "testdata/examples/demo",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("no object of the inputs is in namespace fooo; did you mean foo"),
        "{stderr}"
    );
    let out = meshlint(root)
        .args([
            "analyze",
            "--no-config",
            "-n",
            "foo",
            "testdata/examples/demo",
        ])
        .output()
        .unwrap();
    assert!(!String::from_utf8(out.stderr).unwrap().contains("warning"));
}

/// `completions` is listed in the top-level help (issue 15).
#[test]
fn top_level_help_lists_completions() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = meshlint(root).arg("--help").output().unwrap();
    let help = String::from_utf8(out.stdout).unwrap();
    assert!(
        help.contains("  completions  Write a shell completion script"),
        "{help}"
    );
}

/// CI formats give paths relative to the repository root (the git work tree, or `--root`), so
/// annotations attach whatever directory the job runs in; SARIF names the root as SRCROOT
/// (issue 15).
#[test]
fn ci_paths_are_relative_to_the_repository_root() {
    let dir = dir_with(&[("k8s/pa.yaml", BAD_PA)]);
    std::fs::create_dir(dir.path().join(".git")).unwrap();
    std::fs::create_dir(dir.path().join("ci")).unwrap();
    let ci = dir.path().join("ci");
    let r = run(meshlint(&ci).args(["analyze", "-o", "github", "../k8s/pa.yaml"]));
    assert!(r.stdout.contains("file=k8s/pa.yaml,"), "{}", r.stdout);
    let r = run(meshlint(&ci).args(["analyze", "-o", "sarif", "../k8s/pa.yaml"]));
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    let run0 = &v["runs"][0];
    let loc = &run0["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
    assert_eq!(loc["uri"], "k8s/pa.yaml");
    assert_eq!(loc["uriBaseId"], "SRCROOT");
    let base = run0["originalUriBaseIds"]["SRCROOT"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );
    // --root names another root; text output keeps paths as given.
    let r = run(meshlint(&ci).args([
        "analyze",
        "-o",
        "github",
        "--root",
        "../k8s",
        "../k8s/pa.yaml",
    ]));
    assert!(r.stdout.contains("file=pa.yaml,"), "{}", r.stdout);
    let r = run(meshlint(&ci).args(["analyze", "-o", "concise", "../k8s/pa.yaml"]));
    assert!(r.stdout.starts_with("../k8s/pa.yaml:"), "{}", r.stdout);
}

/// The configuration is found walking up from the inputs, not only from the working directory,
/// and `-v` says which file was read (issue 15).
#[test]
fn configuration_is_found_from_the_inputs() {
    let dir = dir_with(&[
        ("repo/.meshlint.yaml", "ignore: [invalid-resource]\n"),
        ("repo/k8s/pa.yaml", BAD_PA),
    ]);
    let r = run(meshlint(dir.path()).args(["analyze", "-v", "repo/k8s"]));
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains("configuration from") && r.stderr.contains(".meshlint.yaml"),
        "{}",
        r.stderr
    );
    let r = run(meshlint(dir.path()).args(["analyze", "--no-config", "repo/k8s"]));
    assert_eq!(r.code, 1);
}

/// `matrix` and `describe` show the workloads policies imply, marked as such (issue 13).
#[test]
fn implied_workloads_are_marked_in_matrix_and_describe() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let file = "testdata/rules/mtls-mode-conflict/fail_policies_only_mesh_wide.yaml";
    let table = run(meshlint(root).args(["matrix", file]));
    assert!(
        table.stdout.contains(
            "implied by policies (the inputs hold no workload there): any-namespace/any, any.any-namespace:80"
        ),
        "{}",
        table.stdout
    );
    let v = json(&run(meshlint(root).args(["matrix", "-o", "json", file])));
    assert_eq!(v["implied"][0], "any-namespace/any");
    let d = run(meshlint(root).args(["describe", "workload", "any-namespace/any", file]));
    assert!(
        d.stdout
            .contains("Implied by DestinationRule payments/no-tls"),
        "{}",
        d.stdout
    );
    // Real inputs mark nothing.
    let plain = run(meshlint(root).args(["matrix", "-o", "json", "testdata/examples/demo"]));
    assert!(json(&plain).get("implied").is_none());
}

/// `-n NS` keeps findings on NS's objects and on the Namespace object NS itself, not on other
/// Namespace objects.
#[test]
fn namespace_filter_keeps_only_that_namespace_object() {
    let concise = |ns: &str| {
        run(meshlint(&repo()).args([
            "analyze",
            "--no-config",
            "-o",
            "concise",
            "--fail-on",
            "never",
            "-n",
            ns,
            "testdata/examples/demo",
        ]))
    };
    let r = concise("foo");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("[PeerAuthentication foo/default]"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("[Namespace legacy]"), "{}", r.stdout);
    let legacy = concise("legacy");
    assert!(
        legacy.stdout.contains("[Namespace legacy]"),
        "{}",
        legacy.stdout
    );
}

/// Errors on stderr wrap to the width like text output: a command or name in backticks is
/// never split.
#[test]
fn usage_errors_keep_backticked_names_whole() {
    let r = run(meshlint(&repo()).env("COLUMNS", "40").args([
        "analyze",
        "--select",
        "hygeine",
        "testdata/examples/demo",
    ]));
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("`meshlint rules`"), "{}", r.stderr);
    assert!(r.stderr.lines().count() >= 2, "wrapped at 40: {}", r.stderr);
    // --width wins over $COLUMNS on stderr too.
    let flag = run(meshlint(&repo()).env("COLUMNS", "200").args([
        "analyze",
        "--width",
        "40",
        "--select",
        "hygeine",
        "testdata/examples/demo",
    ]));
    assert_eq!(flag.code, 2);
    assert!(
        flag.stderr.lines().all(|l| l.chars().count() <= 40),
        "{}",
        flag.stderr
    );
}
