//! `analyze -o junit`: JUnit XML for CI systems that only understand test reports (GitLab
//! `artifacts:reports:junit`, Jenkins). There is no linter standard, so: one test suite per input
//! file, one failed test case per finding, and a single passing case when there are no findings
//! so the report is never empty.

use std::path::Path;

use quick_junit::{NonSuccessKind, Property, Report, TestCase, TestCaseStatus, TestSuite};

use super::{ReportInput, known, portable_path};
use crate::diagnostic::Finding;

/// Suite name for findings tied to no file.
const NO_FILE: &str = "meshlint";

/// The file path without its extension: JUnit viewers group test cases by class name.
fn classname(file: &str) -> String {
    let path = Path::new(file);
    match path.extension() {
        Some(ext) => file[..file.len() - ext.len() - 1].to_owned(),
        None => file.to_owned(),
    }
}

/// `line L, col C, message`, leaving out what is unknown.
fn description(f: &Finding) -> String {
    let pos = f.location.as_ref().map(|l| l.pos).unwrap_or_default();
    match (known(pos.line), known(pos.col)) {
        (Some(l), Some(c)) => format!("line {l}, col {c}, {}", f.message),
        (Some(l), None) => format!("line {l}, {}", f.message),
        _ => f.message.clone(),
    }
}

fn test_case(f: &Finding) -> TestCase {
    let mut status = TestCaseStatus::non_success(NonSuccessKind::Failure);
    status.set_message(f.message.as_str());
    status.set_description(description(f));
    let mut case = TestCase::new(format!("meshlint.{}", f.rule.code), status);
    if let Some(loc) = &f.location {
        case.set_classname(classname(&portable_path(&loc.file)));
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
        suites[i].add_test_case(test_case(f));
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
