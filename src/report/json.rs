//! `analyze -o json`: the exact shape of SPEC.md §5, for machines. Keys are stable; new keys may
//! be added, existing ones never change meaning (`version` is bumped if they do).

use serde::Serialize;

use super::ReportInput;
use crate::diagnostic::Finding;

#[derive(Serialize)]
struct Doc<'a> {
    version: u32,
    istio_version: String,
    findings: Vec<JsonFinding<'a>>,
    summary: Summary,
}

#[derive(Serialize)]
pub(crate) struct JsonFinding<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    help: Option<&'a str>,
    resource: Option<JsonResource<'a>>,
    location: Option<JsonLocation<'a>>,
    related: Vec<JsonRelated<'a>>,
    istio_codes: &'a [&'static str],
    kiali_codes: &'a [&'static str],
    fingerprint: &'a str,
}

#[derive(Serialize)]
struct JsonResource<'a> {
    kind: &'a str,
    api_version: &'a str,
    namespace: Option<&'a str>,
    name: &'a str,
}

#[derive(Serialize)]
struct JsonLocation<'a> {
    file: &'a str,
    line: Option<u32>,
    column: Option<u32>,
    field: Option<&'a str>,
}

#[derive(Serialize)]
struct JsonRelated<'a> {
    kind: Option<&'a str>,
    namespace: Option<&'a str>,
    name: Option<&'a str>,
    file: &'a str,
    line: Option<u32>,
    message: &'a str,
}

#[derive(Serialize)]
struct Summary {
    errors: usize,
    warnings: usize,
    infos: usize,
    resources: usize,
    files: usize,
    suppressed: usize,
    /// Findings the `--baseline` file accepted (left out of `findings`).
    baselined: usize,
}

/// One finding in the shape of SPEC.md §5 (also `diff -o json`).
pub(crate) fn finding(f: &Finding) -> JsonFinding<'_> {
    let line = |l: u32| (l > 0).then_some(l);
    JsonFinding {
        code: f.rule.code,
        name: f.rule.name,
        severity: f.severity.as_str(),
        message: &f.message,
        help: f.help.as_deref(),
        resource: f.resource.as_ref().map(|r| JsonResource {
            kind: &r.kind,
            api_version: &r.api_version,
            namespace: r.namespace.as_deref(),
            name: &r.name,
        }),
        location: f.location.as_ref().map(|l| JsonLocation {
            file: &l.file,
            line: line(l.pos.line),
            column: line(l.pos.col),
            field: (!l.field.is_empty()).then_some(l.field.as_str()),
        }),
        related: f
            .related
            .iter()
            .map(|r| JsonRelated {
                kind: r.resource.as_ref().map(|x| x.kind.as_str()),
                namespace: r.resource.as_ref().and_then(|x| x.namespace.as_deref()),
                name: r.resource.as_ref().map(|x| x.name.as_str()),
                file: &r.location.file,
                line: line(r.location.pos.line),
                message: &r.message,
            })
            .collect(),
        istio_codes: &f.istio_codes,
        kiali_codes: &f.kiali_codes,
        fingerprint: &f.fingerprint,
    }
}

pub fn render(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let s = input.summary();
    let doc = Doc {
        version: 1,
        istio_version: input.istio_version.to_string(),
        findings: input.findings.iter().map(finding).collect(),
        summary: Summary {
            errors: s.errors,
            warnings: s.warnings,
            infos: s.infos,
            resources: input.resources,
            files: input.files,
            suppressed: input.suppressed,
            baselined: input.baselined,
        },
    };
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
