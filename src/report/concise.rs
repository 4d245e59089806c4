//! `analyze -o concise`: one line per finding, as ruff's and istioctl's users expect, then the
//! summary line (issue 15):
//! `path:line:col: severity CODE [Kind ns/name] message`.
//! A finding without a position gives `path:`; one without a file starts at the severity. The
//! location prefix is the one GitHub annotations carry (`report::location_prefix`).

use std::io::Write;

use super::{ReportInput, location_prefix};
use crate::diagnostic::Finding;

/// The one line of a finding.
pub fn line(f: &Finding) -> String {
    let mut out = f.location.as_ref().map(location_prefix).unwrap_or_default();
    out.push_str(&format!("{} {}", f.severity.as_str(), f.rule.code));
    if let Some(r) = &f.resource {
        out.push_str(&format!(" [{r}]"));
    }
    // One line: a message never spans lines here.
    out.push(' ');
    out.push_str(&f.message.replace('\n', " "));
    out
}

pub fn render(input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    for f in input.findings {
        writeln!(out, "{}", line(f))?;
    }
    if input.quiet {
        return Ok(());
    }
    writeln!(out, "{}", super::text::summary(input.summary(), input))
}

/// `--statistics`: per rule, the number of findings, its code and name, most first (ties by
/// code), then the summary line.
pub fn statistics(input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    let mut counts: std::collections::BTreeMap<(&str, &str), usize> =
        std::collections::BTreeMap::new();
    for f in input.findings {
        *counts.entry((f.rule.code, f.rule.name)).or_default() += 1;
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let width = rows.first().map_or(1, |r| r.1.to_string().len());
    for ((code, name), n) in rows {
        writeln!(out, "{n:>width$}  {code}  {name}")?;
    }
    if input.quiet {
        return Ok(());
    }
    let summary = super::text::summary(input.summary(), input);
    for l in super::wrap_lines(&summary, input.width, "", "") {
        writeln!(out, "{l}")?;
    }
    Ok(())
}
