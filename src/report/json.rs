//! `analyze -o json`: the exact shape of SPEC.md §5, for machines. Keys are stable; new keys may
//! be added, existing ones never change meaning (`version` is bumped if they do).

use rayon::prelude::*;
use serde::Serialize;

use super::ReportInput;
use crate::diagnostic::Finding;

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

/// Findings serialized at a time (in parallel), then written in order: the output streams.
const BATCH: usize = 1024;

/// The document `{version, istio_version, findings, summary}` as serde_json's pretty printer
/// writes it, with the findings serialized in parallel batches (issue 14).
pub fn render(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let s = input.summary();
    let summary = Summary {
        errors: s.errors,
        warnings: s.warnings,
        infos: s.infos,
        resources: input.resources,
        files: input.files,
        suppressed: input.suppressed,
        baselined: input.baselined,
    };
    out.write_all(b"{\n  \"version\": 1,\n  \"istio_version\": ")?;
    serde_json::to_writer(&mut *out, &input.istio_version.to_string())?;
    out.write_all(b",\n  \"findings\": [")?;
    for (b, batch) in input.findings.chunks(BATCH).enumerate() {
        let items = batch
            .par_iter()
            .map(|f| nested(&finding(f), 2))
            .collect::<serde_json::Result<Vec<_>>>()?;
        for (i, item) in items.iter().enumerate() {
            if b > 0 || i > 0 {
                out.write_all(b",")?;
            }
            out.write_all(b"\n    ")?;
            out.write_all(item)?;
        }
    }
    if !input.findings.is_empty() {
        out.write_all(b"\n  ")?;
    }
    out.write_all(b"],\n  \"summary\": ")?;
    out.write_all(&nested(&summary, 1)?)?;
    out.write_all(b"\n}\n")
}

/// `value` pretty-printed as it stands at `depth` in a pretty-printed document: every line
/// after the first indented by two spaces per level (strings hold no raw line breaks).
fn nested<T: Serialize>(value: &T, depth: usize) -> serde_json::Result<Vec<u8>> {
    let text = serde_json::to_vec_pretty(value)?;
    let indent = "  ".repeat(depth);
    let mut out = Vec::with_capacity(text.len() + text.len() / 8);
    for (i, line) in text.split(|&b| b == b'\n').enumerate() {
        if i > 0 {
            out.push(b'\n');
            out.extend_from_slice(indent.as_bytes());
        }
        out.extend_from_slice(line);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What `nested` builds is what serde_json writes for the whole document.
    #[test]
    fn nested_values_are_indented_as_in_the_document() {
        let v = serde_json::json!({"a": [1, {"b": "x\ny", "c": []}], "d": {}, "e": null});
        let doc = serde_json::json!({"k": [v.clone(), v.clone()], "s": v.clone()});
        let item = String::from_utf8(nested(&v, 2).unwrap()).unwrap();
        let top = String::from_utf8(nested(&v, 1).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_string_pretty(&doc).unwrap(),
            format!("{{\n  \"k\": [\n    {item},\n    {item}\n  ],\n  \"s\": {top}\n}}")
        );
    }
}
