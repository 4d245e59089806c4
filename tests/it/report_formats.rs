//! Every output format of `analyze`, snapshotted on the findings of a real run over
//! `testdata/report/sample.yaml` (an invalid enum value, a YAML syntax error, a duplicate key and
//! a duplicate object), plus format checks that snapshots cannot express.

use std::sync::Arc;

use meshlint::analysis::Analysis;
use meshlint::diagnostic::Finding;
use meshlint::engine::{self, Settings};
use meshlint::input::files;
use meshlint::input::load::{LoadOptions, load};
use meshlint::report::{self, Format, ReportInput};
use meshlint::source::Location;
use meshlint::source::Pos;
use meshlint::version::IstioVersion;

const SAMPLE: &str = "testdata/report/sample.yaml";

struct Run {
    findings: Vec<Finding>,
    resources: usize,
    files: usize,
    suppressed: usize,
}

fn run(paths: &[&str]) -> Run {
    let args: Vec<String> = paths.iter().map(|p| (*p).to_owned()).collect();
    let exclude = files::exclude_set(&[]).unwrap();
    let sources = files::collect(&args, &exclude).unwrap();
    let loaded = load(&sources, &LoadOptions::default()).unwrap();
    let analysis = Analysis::new(loaded, Some(IstioVersion::LATEST), None);
    let outcome = engine::run(&analysis, &Settings::default());
    Run {
        findings: outcome.findings,
        resources: analysis.resources(),
        files: analysis.files,
        suppressed: outcome.suppressed,
    }
}

fn render_findings(format: Format, findings: &[Finding], resources: usize, files: usize) -> String {
    let input = ReportInput {
        findings,
        istio_version: IstioVersion::LATEST,
        resources,
        files,
        suppressed: 0,
        color: false,
        width: 80,
        fail_on: Some(meshlint::diagnostic::Severity::Warning),
        quiet: false,
        baselined: 0,
        version_source: String::new(),
        root: None,
    };
    let mut out = Vec::new();
    report::render(format, &input, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn render(format: Format) -> String {
    let r = run(&[SAMPLE]);
    assert_eq!(r.suppressed, 0);
    render_findings(format, &r.findings, r.resources, r.files)
}

#[test]
fn sample_has_findings_of_every_severity() {
    let r = run(&[SAMPLE]);
    let codes: Vec<_> = r
        .findings
        .iter()
        .map(|f| (f.rule.code, f.severity.as_str()))
        .collect();
    assert!(codes.contains(&("ML0101", "error")), "{codes:?}");
    assert!(codes.contains(&("ML0101", "warning")), "{codes:?}");
    assert!(codes.contains(&("ML0103", "info")), "{codes:?}");
}

#[test]
fn text() {
    insta::assert_snapshot!(render(Format::Text));
}

/// `-o concise`: one line per finding with its severity word, then the summary (issue 15).
#[test]
fn concise() {
    let out = render(Format::Concise);
    let r = run(&[SAMPLE]);
    assert_eq!(out.lines().count(), r.findings.len() + 1, "{out}");
    insta::assert_snapshot!(out);
}

#[test]
fn text_without_findings() {
    insta::assert_snapshot!(render_findings(Format::Text, &[], 3, 1), @"No findings in 3 resources (1 file)");
}

#[test]
fn json() {
    insta::assert_snapshot!(render(Format::Json));
}

/// The SARIF log with each rule's documentation replaced by a marker, after checking that
/// `fullDescription`, `help.text` and `help.markdown` hold the rule's doc comment: docs are
/// edited often and are not what this snapshot is about.
#[test]
fn sarif() {
    let mut out = render(Format::Sarif);
    let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
    for rule in doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap()
    {
        let found = meshlint::rules::find(rule["id"].as_str().unwrap()).unwrap();
        let text = found.doc_text().trim().to_owned();
        // rustdoc's leading space is gone: no line is indented by exactly one space.
        let one_space = |l: &str| l.starts_with(' ') && !l.starts_with("  ");
        assert!(!text.lines().any(one_space), "{text}");
        assert_eq!(rule["fullDescription"]["text"], *text);
        assert_eq!(rule["help"]["text"], *text);
        assert_eq!(rule["help"]["markdown"], *text);
        let quoted = serde_json::to_string(&text).unwrap();
        assert_eq!(out.matches(&quoted).count(), 3);
        out = out.replace(&quoted, "\"[rule doc]\"");
    }
    insta::assert_snapshot!(out);
}

#[test]
fn github() {
    insta::assert_snapshot!(render(Format::Github));
}

#[test]
fn junit() {
    insta::assert_snapshot!(render(Format::Junit));
}

/// JUnit agrees with the exit code: with `--fail-on never` nothing fails (every case is
/// skipped with its message); case names stay unique when one rule fires twice at one place.
#[test]
fn junit_follows_fail_on_and_names_cases_uniquely() {
    let r = run(&[SAMPLE]);
    let twice: Vec<Finding> = r.findings.iter().chain(&r.findings).cloned().collect();
    let input = ReportInput {
        findings: &twice,
        istio_version: IstioVersion::LATEST,
        resources: r.resources,
        files: r.files,
        suppressed: 0,
        color: false,
        width: 80,
        fail_on: None,
        quiet: false,
        baselined: 0,
        version_source: String::new(),
        root: None,
    };
    let mut out = Vec::new();
    report::render(Format::Junit, &input, &mut out).unwrap();
    let xml = String::from_utf8(out).unwrap();
    assert!(!xml.contains("<failure"), "{xml}");
    assert_eq!(xml.matches("<skipped").count(), twice.len());
    let names: Vec<&str> = xml
        .split("<testcase name=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap())
        .collect();
    let unique: std::collections::BTreeSet<&&str> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{names:?}");
}

#[test]
fn junit_without_findings() {
    insta::assert_snapshot!(render_findings(Format::Junit, &[], 0, 0));
}

#[test]
fn gitlab() {
    insta::assert_snapshot!(render(Format::Gitlab));
}

#[test]
fn sarif_is_valid_with_a_region_on_every_result() {
    let doc: serde_json::Value = serde_json::from_str(&render(Format::Sarif)).unwrap();
    assert_eq!(doc["version"], "2.1.0");
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let index = result["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[index]["id"], result["ruleId"]);
        for loc in result["locations"].as_array().unwrap() {
            let region = &loc["physicalLocation"]["region"];
            assert!(region["startLine"].as_u64().unwrap() >= 1, "{result}");
            assert!(region["startColumn"].as_u64().unwrap() >= 1, "{result}");
        }
        assert!(result["partialFingerprints"]["meshlint/v1"].is_string());
    }
}

fn finding_at(file: &str, line: u32, col: u32, message: &str) -> Finding {
    let rule = meshlint::rules::find("invalid-resource").unwrap();
    let mut f = Finding::new(rule, message).at(Location {
        file: Arc::from(file),
        pos: Pos { line, col },
        field: String::new(),
    });
    f.fingerprint = f.compute_fingerprint(0);
    f
}

#[test]
fn text_with_help_and_unknown_column() {
    // Column 0: the whole content of the line is underlined.
    let f = finding_at(SAMPLE, 9, 0, "mode is not one of the four").help("use STRICT");
    insta::assert_snapshot!(render_findings(
        Format::Text,
        std::slice::from_ref(&f),
        1,
        1
    ));
    let sarif: serde_json::Value =
        serde_json::from_str(&render_findings(Format::Sarif, &[f], 1, 1)).unwrap();
    let result = &sarif["runs"][0]["results"][0];
    assert_eq!(
        result["message"]["text"],
        "mode is not one of the four\nhelp: use STRICT"
    );
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"]["startColumn"],
        1
    );
}

#[test]
fn github_escapes_messages_and_properties() {
    let f = finding_at("dir,a/b:c.yaml", 3, 7, "100% wrong:\nsee a, b");
    let out = render_findings(Format::Github, &[f], 1, 1);
    assert_eq!(
        out,
        "::error file=dir%2Ca/b%3Ac.yaml,line=3,col=7,title=meshlint ML0101 (invalid-resource)\
         ::dir,a/b:c.yaml:3:7: 100%25 wrong:%0Asee a, b\n"
    );
}

#[test]
fn github_omits_unknown_positions() {
    let f = finding_at("cluster/prod", 0, 0, "bad");
    let out = render_findings(Format::Github, &[f], 1, 1);
    assert_eq!(
        out,
        "::error file=cluster/prod,title=meshlint ML0101 (invalid-resource)::cluster/prod: bad\n"
    );
}

#[test]
fn unreadable_sources_render_without_snippet() {
    let f = finding_at("<stdin>", 2, 1, "bad");
    let text = render_findings(Format::Text, std::slice::from_ref(&f), 1, 1);
    assert!(text.contains("<stdin>:2:1: bad"), "{text}");
    let sarif: serde_json::Value =
        serde_json::from_str(&render_findings(Format::Sarif, &[f], 1, 1)).unwrap();
    let loc = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["region"]["startLine"], 2);
    assert!(
        loc["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .contains("stdin")
    );
}

#[test]
fn paths_are_portable() {
    let f = finding_at(r".\deploy\pa.yaml", 0, 0, "bad");
    let gitlab: serde_json::Value = serde_json::from_str(&render_findings(
        Format::Gitlab,
        std::slice::from_ref(&f),
        1,
        1,
    ))
    .unwrap();
    assert_eq!(gitlab[0]["location"]["path"], "deploy/pa.yaml");
    assert_eq!(gitlab[0]["location"]["lines"]["begin"], 1);
    let sarif: serde_json::Value =
        serde_json::from_str(&render_findings(Format::Sarif, &[f], 1, 1)).unwrap();
    let loc = &sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "deploy/pa.yaml");
    assert_eq!(loc["region"]["startLine"], 1);
    assert_eq!(loc["region"]["startColumn"], 1);
}

/// Text wraps between words only: a rule name, a host or a `kubectl label` command is never
/// split at its hyphens (issue 15).
#[test]
fn text_never_splits_identifiers() {
    let r = run(&[SAMPLE]);
    let mut f = r.findings[0].clone();
    f.message = "run kubectl label namespace payments-frontend-staging istio-injection=enabled --overwrite then restart deployment/payments-frontend-api-gateway".to_owned();
    let out = render_findings(Format::Text, &[f], 1, 1);
    for word in [
        "payments-frontend-staging",
        "istio-injection=enabled",
        "--overwrite",
        "deployment/payments-frontend-api-gateway",
    ] {
        assert!(out.contains(word), "{word} split in:\n{out}");
    }
}
