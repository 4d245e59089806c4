//! `analyze -o gitlab`: a GitLab Code Quality report (`artifacts:reports:codequality`), so
//! findings appear in the merge-request widget. GitLab hides `check_name`, so the rule code is
//! repeated at the start of `description`.

use serde::Serialize;

use super::{ReportInput, known, portable_path};
use crate::diagnostic::{Finding, Severity};

#[derive(Serialize)]
struct Issue<'a> {
    description: String,
    check_name: &'static str,
    fingerprint: &'a str,
    severity: &'static str,
    /// Absent only for findings tied to no file; meshlint does not invent paths.
    #[serde(skip_serializing_if = "Option::is_none")]
    location: Option<IssueLocation>,
}

#[derive(Serialize)]
struct IssueLocation {
    path: String,
    lines: Lines,
}

#[derive(Serialize)]
struct Lines {
    begin: u32,
}

fn severity(s: Severity) -> &'static str {
    match s {
        Severity::Info => "info",
        Severity::Warning => "minor",
        Severity::Error => "major",
    }
}

fn issue(f: &Finding) -> Issue<'_> {
    Issue {
        description: format!("{}: {}", f.rule.code, f.message),
        check_name: f.rule.code,
        fingerprint: &f.fingerprint,
        severity: severity(f.severity),
        location: f.location.as_ref().map(|l| IssueLocation {
            path: portable_path(&l.file),
            lines: Lines {
                begin: known(l.pos.line).unwrap_or(1),
            },
        }),
    }
}

pub fn render(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let issues: Vec<_> = input.findings.iter().map(issue).collect();
    serde_json::to_writer_pretty(&mut *out, &issues)?;
    writeln!(out)
}
