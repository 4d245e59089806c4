//! `meshlint matrix` and `meshlint check` through the binary: every output format as a
//! snapshot (fixtures in testdata/matrix: Istio's mutual TLS migration mesh under a STRICT
//! MeshPolicy and a global ISTIO_MUTUAL DestinationRule, Istio 1.4), colour rules, the request
//! object, and the usage errors for unknown or ambiguous selectors.

use assert_cmd::Command;
use serde_json::Value;

const INPUTS: [&str; 3] = [
    "testdata/matrix/base.yaml",
    "testdata/matrix/mesh-strict.yaml",
    "testdata/matrix/global-dr.yaml",
];

fn meshlint(args: &[&str]) -> Command {
    let mut cmd = Command::cargo_bin("meshlint").unwrap();
    cmd.current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("NO_COLOR", "1")
        .env_remove("KUBECONFIG")
        .env_remove("COLUMNS")
        .args(args[..1].iter())
        .args(INPUTS)
        .args(["--istio-version", "1.4"])
        .args(&args[1..]);
    cmd
}

fn stdout(args: &[&str]) -> String {
    let out = meshlint(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn stderr_of_failure(args: &[&str]) -> String {
    let out = meshlint(args).output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{args:?}");
    String::from_utf8(out.stderr).unwrap()
}

#[test]
fn matrix_table() {
    insta::assert_snapshot!("matrix_table", stdout(&["matrix"]));
}

#[test]
fn matrix_table_quiet_fits_wide_terminal_columns() {
    // Not a terminal: --width, else $COLUMNS, else 100 columns; five service ports split
    // into tables that fit.
    let tables = |out: &str, width: usize| {
        assert!(out.lines().all(|l| l.chars().count() <= width), "{out}");
        assert!(
            !out.contains("service ports") && !out.contains("cells ("),
            "{out}"
        );
        out.matches("FROM \\ TO").count()
    };
    assert_eq!(tables(&stdout(&["matrix", "-q"]), 100), 2);
    assert_eq!(tables(&stdout(&["matrix", "-q", "--width", "80"]), 80), 2);
    assert_eq!(tables(&stdout(&["matrix", "-q", "--width", "200"]), 200), 1);
    let out = meshlint(&["matrix", "-q"])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let out = String::from_utf8(out.stdout).unwrap();
    assert!(tables(&out, 60) >= 3, "{out}");
}

#[test]
fn matrix_wide() {
    insta::assert_snapshot!("matrix_wide", stdout(&["matrix", "-o", "wide"]));
}

#[test]
fn matrix_json() {
    let out = stdout(&["matrix", "-o", "json", "--path", "/ip"]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["cells"].as_array().unwrap().len(), 30);
    assert_eq!(v["request"]["path"], "/ip");
    insta::assert_snapshot!("matrix_json", out);
}

#[test]
fn matrix_csv() {
    insta::assert_snapshot!("matrix_csv", stdout(&["matrix", "-o", "csv"]));
}

#[test]
fn matrix_markdown() {
    insta::assert_snapshot!("matrix_markdown", stdout(&["matrix", "-o", "markdown"]));
}

/// Exactly the curl loop of Istio's docs, a reset included.
#[test]
fn matrix_lines() {
    let out = stdout(&[
        "matrix",
        "--from",
        "*/sleep",
        "--to",
        "httpbin.*",
        "-o",
        "lines",
    ]);
    assert_eq!(
        out,
        "sleep.bar to httpbin.bar: 200\nsleep.bar to httpbin.foo: 200\n\
         sleep.foo to httpbin.bar: 200\nsleep.foo to httpbin.foo: 200\n\
         sleep.legacy to httpbin.bar: 000\ncommand terminated with exit code 56\n\
         sleep.legacy to httpbin.foo: 000\ncommand terminated with exit code 56\n"
    );
    insta::assert_snapshot!("matrix_lines", stdout(&["matrix", "-o", "lines"]));
}

#[test]
fn matrix_by_namespace() {
    insta::assert_snapshot!(
        "matrix_by_namespace_table",
        stdout(&["matrix", "--by", "namespace"])
    );
    insta::assert_snapshot!(
        "matrix_by_namespace_wide",
        stdout(&["matrix", "--by", "namespace", "-o", "wide"])
    );
    insta::assert_snapshot!(
        "matrix_by_namespace_json",
        stdout(&["matrix", "--by", "namespace", "-o", "json"])
    );
    insta::assert_snapshot!(
        "matrix_by_namespace_csv",
        stdout(&["matrix", "--by", "namespace", "-o", "csv"])
    );
}

/// The namespace summary counts the same cells as the full matrix.
#[test]
fn namespace_summary_agrees_with_cells() {
    let cells: Value = serde_json::from_str(&stdout(&["matrix", "-o", "json"])).unwrap();
    let summary: Value =
        serde_json::from_str(&stdout(&["matrix", "--by", "namespace", "-o", "json"])).unwrap();
    for pair in summary["pairs"].as_array().unwrap() {
        let (from, to) = (pair["from"].as_str().unwrap(), pair["to"].as_str().unwrap());
        let mine: Vec<&Value> = cells["cells"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| {
                c["from"].as_str().unwrap().starts_with(&format!("{from}/"))
                    && c["to"]
                        .as_str()
                        .unwrap()
                        .split(':')
                        .next()
                        .unwrap()
                        .ends_with(&format!(".{to}"))
            })
            .collect();
        let ok = mine.iter().filter(|c| c["result"] == "ok").count();
        assert_eq!(
            pair["reachable"].as_u64().unwrap() as usize,
            ok,
            "{from} → {to}"
        );
        assert_eq!(
            pair["cells"].as_u64().unwrap() as usize,
            mine.len(),
            "{from} → {to}"
        );
    }
}

/// On meshes whose cells get every kind of result — `depends` among them (testdata/depends:
/// a policy reads the client address the inputs do not give) — each namespace pair counts
/// exactly the cells of the full matrix, by result, and `cells` is all of them: a cell the
/// inputs do not decide is neither dropped nor passed off as reachable or blocked.
#[test]
fn namespace_summary_counts_every_result_of_the_cells() {
    let fixtures: [&[&str]; 5] = [
        &["testdata/depends/mesh.yaml"],
        &["testdata/gateway/mesh.yaml"],
        &["testdata/mixed/mesh.yaml"],
        &[
            "testdata/ambient/base.yaml",
            "testdata/ambient/deny-mixed.yaml",
        ],
        &[
            "testdata/waypoint/workloads.yaml",
            "testdata/waypoint/l4-allow-sleep.yaml",
        ],
    ];
    let run = |inputs: &[&str], args: &[&str]| -> Value {
        let out = Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env_remove("KUBECONFIG")
            .arg("matrix")
            .args(inputs)
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "{inputs:?} {args:?}");
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let mut depends_seen = false;
    for inputs in fixtures {
        let cells = run(inputs, &["-o", "json"]);
        let summary = run(inputs, &["--by", "namespace", "-o", "json"]);
        let mut want: std::collections::BTreeMap<
            (String, String),
            std::collections::BTreeMap<String, u64>,
        > = Default::default();
        for c in cells["cells"].as_array().unwrap() {
            let from = c["from"].as_str().unwrap().split('/').next().unwrap();
            let host = c["to"].as_str().unwrap().split(':').next().unwrap();
            let to = host.rsplit('.').next().unwrap();
            *want
                .entry((from.to_owned(), to.to_owned()))
                .or_default()
                .entry(c["result"].as_str().unwrap().to_owned())
                .or_default() += 1;
        }
        let mut got: std::collections::BTreeMap<
            (String, String),
            std::collections::BTreeMap<String, u64>,
        > = Default::default();
        for p in summary["pairs"].as_array().unwrap() {
            let results: std::collections::BTreeMap<String, u64> = p["results"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_u64().unwrap()))
                .collect();
            let all: u64 = results.values().sum();
            let depends = results.get("depends").copied().unwrap_or(0);
            depends_seen |= depends > 0;
            assert_eq!(p["cells"].as_u64(), Some(all), "{inputs:?}: {p}");
            assert_eq!(
                p["reachable"].as_u64().unwrap() + p["blocked"].as_u64().unwrap() + depends,
                all,
                "{inputs:?}: {p}"
            );
            let key = (
                p["from"].as_str().unwrap().to_owned(),
                p["to"].as_str().unwrap().to_owned(),
            );
            got.insert(key, results);
        }
        assert_eq!(got, want, "{inputs:?}");
    }
    assert!(depends_seen, "no fixture has a cell that depends");
}

/// The text forms count the undecided cells too: the totals, each row of `wide`, and `lines`.
#[test]
fn namespace_summary_text_counts_undecided_cells() {
    let text = |args: &[&str]| {
        let out = Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .env("NO_COLOR", "1")
            .env_remove("COLUMNS")
            .args(["matrix", "testdata/depends/mesh.yaml", "--by", "namespace"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let table = text(&[]);
    insta::assert_snapshot!("matrix_by_namespace_depends_table", table);
    assert!(
        table.contains("9 cells in 2 namespace pairs") && table.contains("3 depend on the inputs"),
        "{table}"
    );
    let wide = text(&["-o", "wide"]);
    insta::assert_snapshot!("matrix_by_namespace_depends_wide", wide);
    let lines = text(&["-o", "lines"]);
    assert!(
        lines.contains("foo to foo: 0 reachable, 3 blocked, 3 depend on the inputs"),
        "{lines}"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let plain = stdout(&["matrix"]);
    assert!(!plain.contains('\u{1b}'));
    // The table library leaves colour out whenever NO_COLOR is set, whatever the flag.
    let out = meshlint(&["matrix", "--color", "always"])
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    let coloured = String::from_utf8(out.stdout).unwrap();
    assert!(
        coloured.contains("\u{1b}[38;5;10m") || coloured.contains("\u{1b}[32m"),
        "{coloured}"
    );
    let check = stdout(&[
        "check",
        "--from",
        "legacy/sleep",
        "--to",
        "httpbin.foo:8000",
        "--color",
        "always",
    ]);
    assert!(check.contains("\u{1b}[31m"), "{check}");
}

#[test]
fn check_text_trace() {
    insta::assert_snapshot!(
        "check_text_reset",
        stdout(&[
            "check",
            "--from",
            "legacy/sleep",
            "--to",
            "httpbin.foo:8000"
        ])
    );
    insta::assert_snapshot!(
        "check_text_api_server",
        stdout(&[
            "check",
            "--from",
            "sleep.foo",
            "--to",
            "kubernetes.default:443"
        ])
    );
}

#[test]
fn check_json_trace() {
    let out = stdout(&[
        "check",
        "--from",
        "foo/sleep",
        "--to",
        "httpbin.bar:8000",
        "-o",
        "json",
        "--method",
        "POST",
        "--path",
        "/post",
        "--header",
        "x-test: 1",
    ]);
    let v: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["http_code"], "200");
    assert_eq!(v["request"]["method"], "POST");
    let stages: Vec<&str> = v["trace"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["stage"].as_str().unwrap())
        .collect();
    // Transport first, then the request pipeline (origin, DENY, ALLOW in 1.4); nothing denies.
    assert_eq!(stages[..3], ["client-tls", "server-mtls", "transport"]);
    assert_eq!(stages.last(), Some(&"allow"));
    insta::assert_snapshot!("check_json", out);
}

/// The token is shown by issuer and subject only, never itself.
#[test]
fn check_never_prints_the_token() {
    let dir = tempfile::tempdir().unwrap();
    // {"alg":"none"} . {"iss":"testing@secure.istio.io","sub":"testing@secure.istio.io"}
    let token = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJ0ZXN0aW5nQHNlY3VyZS5pc3Rpby5pbyIsInN1YiI6InRlc3RpbmdAc2VjdXJlLmlzdGlvLmlvIn0.c2lnbmF0dXJl";
    let file = dir.path().join("user.jwt");
    std::fs::write(&file, token).unwrap();
    let file = file.to_str().unwrap();
    for format in ["json", "text"] {
        let out = stdout(&[
            "check",
            "--from",
            "foo/sleep",
            "--to",
            "httpbin.bar:8000",
            "--token",
            file,
            "-o",
            format,
        ]);
        assert!(
            !out.contains("c2lnbmF0dXJl") && !out.contains("eyJ"),
            "{out}"
        );
        if format == "json" {
            let v: Value = serde_json::from_str(&out).unwrap();
            assert_eq!(v["request"]["token"]["issuer"], "testing@secure.istio.io");
        }
    }
}

#[test]
fn unknown_workload_suggests_near_names() {
    let err = stderr_of_failure(&["check", "--from", "foo/slep", "--to", "httpbin.foo:8000"]);
    assert!(
        err.contains("no such workload") && err.contains("foo/sleep"),
        "{err}"
    );
    let err = stderr_of_failure(&["matrix", "--from", "sleep.fooo"]);
    assert!(
        err.contains("did you mean") && err.contains("foo/sleep"),
        "{err}"
    );
}

#[test]
fn unknown_service_suggests_near_names() {
    let err = stderr_of_failure(&["check", "--from", "foo/sleep", "--to", "httpbn.foo:8000"]);
    assert!(
        err.contains("no such service port") && err.contains("httpbin.foo:8000"),
        "{err}"
    );
}

#[test]
fn ambiguous_selectors_list_the_candidates() {
    let err = stderr_of_failure(&["check", "--from", "*/sleep", "--to", "httpbin.foo:8000"]);
    assert!(
        err.contains("matches 3 workloads")
            && err.contains("bar/sleep")
            && err.contains("legacy/sleep"),
        "{err}"
    );
    let err = stderr_of_failure(&["check", "--from", "foo/sleep", "--to", "tcp-echo.bar"]);
    // miette wraps long messages: compare without the wrapping.
    let flat: String = err
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '│')
        .collect();
    assert!(
        flat.contains("tcp-echo.bar:9000") && flat.contains("tcp-echo.bar:9001"),
        "{err}"
    );
}

/// issue 15: `--only` and `--result` keep the matching cells (list formats show only them)
/// and the clients and service ports that have one.
#[test]
fn only_and_result_filter_cells() {
    let run = |args: &[&str]| {
        let out = assert_cmd::Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["matrix", "--istio-version", "1.4"])
            .args(args)
            .arg("testdata/diff/seed-authn/head")
            .output()
            .unwrap();
        (out.status.code(), String::from_utf8(out.stdout).unwrap())
    };
    let (_, json) = run(&["--only", "blocked", "-o", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).unwrap();
    let cells = doc["cells"].as_array().unwrap();
    assert_eq!(cells.len(), 28, "the 28 cells STRICT refuses");
    assert!(cells.iter().all(|c| c["result"] != "ok"));
    let (_, lines) = run(&["--result", "000/56", "-o", "lines"]);
    assert_eq!(
        lines
            .matches("command terminated with exit code 56")
            .count(),
        8,
        "{lines}"
    );
    assert!(!lines.contains(": 503"), "{lines}");
    let (_, table) = run(&["--only", "reachable"]);
    assert!(
        !table.contains("httpbin.foo:8000"),
        "no reachable cell there: {table}"
    );
    let (_, by_name) = run(&["--result", "upstream-error", "-o", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&by_name).unwrap();
    assert_eq!(doc["cells"].as_array().unwrap().len(), 20);
    let (code, _) = run(&["--only", "blocked", "--by", "namespace"]);
    assert_eq!(code, Some(2));
}

/// `-n NS` keeps the service ports of NS (who can reach NS), from every client; a namespace
/// the inputs do not hold says so with the nearest names.
#[test]
fn matrix_namespace_filter() {
    let v: Value = serde_json::from_str(&stdout(&["matrix", "-n", "bar", "-o", "json"])).unwrap();
    let cells = v["cells"].as_array().unwrap();
    assert!(!cells.is_empty());
    assert!(cells.iter().all(|c| {
        let to = c["to"].as_str().unwrap();
        to.contains(".bar:")
    }));
    let from: std::collections::BTreeSet<&str> =
        cells.iter().map(|c| c["from"].as_str().unwrap()).collect();
    assert!(
        from.contains("foo/sleep") && from.contains("legacy/sleep"),
        "{from:?}"
    );
    let all: Value =
        serde_json::from_str(&stdout(&["matrix", "-n", "bar", "-A", "-o", "json"])).unwrap();
    assert!(all["cells"].as_array().unwrap().len() > cells.len());
    let out = meshlint(&["matrix", "-n", "baz"]).output().unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("no object of the inputs is in namespace baz"),
        "{err}"
    );
    assert!(err.contains("bar"), "{err}");
}

/// Columns come grouped by namespace, and a narrow table breaks where a namespace ends.
#[test]
fn matrix_columns_grouped_by_namespace() {
    let out = stdout(&["matrix", "--width", "90"]);
    let headings: Vec<&str> = out
        .lines()
        .filter(|l| l.starts_with("service ports"))
        .collect();
    assert!(headings.len() >= 2, "{out}");
    let mut seen = Vec::new();
    for h in &headings {
        let ns = h.split("(namespace ").nth(1).unwrap().trim_end_matches(')');
        for n in ns.split(", ") {
            // A namespace may continue into the next table only when it is the last here.
            if seen.last() != Some(&n.to_owned()) {
                assert!(!seen.contains(&n.to_owned()), "{n} split: {out}");
                seen.push(n.to_owned());
            }
        }
    }
}

/// When --only/--result keep no cell, the matrix says so (not "no service port selected").
#[test]
fn matrix_result_matching_nothing_says_so() {
    let out = stdout(&["matrix", "--result", "999"]);
    assert!(
        out.contains("none has the result --only/--result ask for"),
        "{out}"
    );
    // Kept rows and columns show the other cells as `·`, explained in the legend.
    let out = stdout(&["matrix", "--only", "blocked", "--width", "200"]);
    assert!(
        out.contains("·") && out.contains("· left out by --only/--result"),
        "{out}"
    );
    assert!(!out.contains(" 200 "), "{out}");
}
