//! `analyze -o junit`: JUnit XML for CI systems that only understand test reports (GitLab
//! `artifacts:reports:junit`, Jenkins). There is no linter standard, so: one test suite per input
//! file, one test case per finding, and a single passing case when there are no findings so the
//! report is never empty.
//!
//! A finding at or above `--fail-on` is a failed case; one below it is a skipped case with its
//! message, so the report fails exactly when meshlint's exit code does (issue 15). Class names are
//! the file paths as written (extension kept); case names are `CODE rule-name at line:col`, made
//! unique within their file by a ` #n` suffix.

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{ReportInput, known, portable_path};
use crate::diagnostic::Finding;

/// Suite name for findings tied to no file.
const NO_FILE: &str = "meshlint";

/// `line L, col C, message`, leaving out what is unknown.
fn description(f: &Finding) -> String {
    let pos = f.location.as_ref().map(|l| l.pos).unwrap_or_default();
    match (known(pos.line), known(pos.col)) {
        (Some(l), Some(c)) => format!("line {l}, col {c}, {}", f.message),
        (Some(l), None) => format!("line {l}, {}", f.message),
        _ => f.message.clone(),
    }
}

/// `CODE rule-name at line:col` (what is known of the position).
fn case_name(f: &Finding) -> String {
    let pos = f.location.as_ref().map(|l| l.pos).unwrap_or_default();
    let at = match (known(pos.line), known(pos.col)) {
        (Some(l), Some(c)) => format!(" at {l}:{c}"),
        (Some(l), None) => format!(" at {l}"),
        _ => String::new(),
    };
    format!("{} {}{at}", f.rule.code, f.rule.name)
}

fn test_case(f: &Finding, name: String, fails: bool) -> TestCase {
    let mut status = if fails {
        TestCaseStatus::non_success(NonSuccessKind::Failure)
    } else {
        TestCaseStatus::skipped()
    };
    status.set_message(f.message.as_str());
    status.set_description(description(f));
    let mut case = TestCase::new(name, status);
    if let Some(loc) = &f.location {
        case.set_classname(portable_path(&loc.file));
        if let Some(line) = known(loc.pos.line) {
            case.extra.insert("line".into(), line.to_string().into());
        }
        if let Some(col) = known(loc.pos.col) {
            case.extra.insert("column".into(), col.to_string().into());
        }
    }
    case.add_property(Property::new("severity", f.severity.as_str()));
    case.add_property(Property::new("rule", f.rule.name));
    case
}

pub fn render(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Suites in the order their files first appear (findings arrive sorted by file).
    let mut suites: Vec<TestSuite> = Vec::new();
    let mut names: std::collections::HashMap<(usize, String), usize> =
        std::collections::HashMap::new();
    for f in input.findings {
        let name = f
            .location
            .as_ref()
            .map_or_else(|| NO_FILE.to_owned(), |l| portable_path(&l.file));
        let i = match suites.iter().position(|s| s.name.as_str() == name) {
            Some(i) => i,
            None => {
                suites.push(TestSuite::new(name));
                suites.len() - 1
            }
        };
        let base = case_name(f);
        let n = names.entry((i, base.clone())).or_default();
        *n += 1;
        let name = if *n == 1 {
            base
        } else {
            format!("{base} #{n}")
        };
        let fails = input.fail_on.is_some_and(|t| f.severity >= t);
        suites[i].add_test_case(test_case(f, name, fails));
    }
    if suites.is_empty() {
        let mut suite = TestSuite::new(NO_FILE);
        suite.add_test_case(TestCase::new("No errors found", TestCaseStatus::success()));
        suites.push(suite);
    }
    let mut report = Report::new("meshlint");
    report.add_test_suites(suites);
    report.serialize(&mut *out).map_err(std::io::Error::other)?;
    writeln!(out)
}
