//! `analyze` for people: each finding as a miette diagnostic with the offending lines of the
//! input file, then a one-line summary.
//!
//! Findings carry positions, not text, so the sources are read again here (each file once).
//! When a file cannot be read again (`<stdin>`, a cluster object, a file changed or removed
//! since loading) or the position is unknown, the finding is shown without a snippet and its
//! location is put in front of the message instead.

use std::fmt;
use std::io::Write;

use miette::{Diagnostic, LabeledSpan, SourceCode};
use rayon::prelude::*;

use super::{Counts, ReportInput, known};
use crate::diagnostic::{Finding, Related, Severity};

mod snippet;
use snippet::{Snippet, Sources};

/// One finding as miette sees it.
struct Shown<'a> {
    finding: &'a Finding,
    code: String,
    /// The message, with the location in front when there is no snippet to show it.
    message: String,
    snippet: Option<(Snippet, LabeledSpan)>,
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Shown").field("code", &self.code).finish()
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Shown<'_> {}

impl Diagnostic for Shown<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.code))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.finding
            .help
            .as_ref()
            .map(|h| Box::new(super::hold_backticks(h)) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.snippet.as_ref().map(|(s, _)| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let (_, label) = self.snippet.as_ref()?;
        Some(Box::new(std::iter::once(label.clone())))
    }
}

fn shown<'a>(f: &'a Finding, sources: &Sources) -> Shown<'a> {
    let snippet = f.location.as_ref().and_then(|loc| {
        let source = sources.get(&loc.file)?;
        let (offset, len) = source.span(loc.pos)?;
        let label = (!loc.field.is_empty()).then(|| loc.field.clone());
        Some((
            Snippet {
                name: loc.file.to_string(),
                source: source.clone(),
            },
            LabeledSpan::new_primary_with_span(label, (offset, len)),
        ))
    });
    let message = match (&snippet, &f.location) {
        (None, Some(loc)) => format!("{}: {}", loc.display(), f.message),
        _ => f.message.clone(),
    };
    // Commands in backticks stay on one line (`render` puts the spaces back).
    let message = super::hold_backticks(&message);
    Shown {
        finding: f,
        // The severity as a word, not only a glyph (issue 15): `error ML0201 (mtls-mode-conflict)`.
        code: format!("{} {} ({})", f.severity.as_str(), f.rule.code, f.rule.name),
        message,
        snippet,
    }
}

/// One finding's block: the diagnostic, its related lines and a blank line.
fn block(
    handler: &miette::GraphicalReportHandler,
    f: &Finding,
    sources: &Sources,
    width: usize,
) -> Result<String, fmt::Error> {
    use fmt::Write as _;
    let mut text = String::new();
    handler.render_report(&mut text, &shown(f, sources))?;
    let mut out = super::release_backticks(text.trim_end());
    out.push('\n');
    for r in &f.related {
        writeln!(out, "{}", wrap(&related_line(r), width, "      "))?;
    }
    out.push('\n');
    Ok(out)
}

/// `related: PeerAuthentication foo/default at deploy/pa.yaml:3 — earlier definition`.
fn related_line(r: &Related) -> String {
    let place = match known(r.location.pos.line) {
        Some(line) => format!("{}:{line}", r.location.file),
        None => r.location.file.to_string(),
    };
    match &r.resource {
        Some(res) => format!("  related: {res} at {place} — {}", r.message),
        None => format!("  related: {place} — {}", r.message),
    }
}

/// Word wrap to `width` characters; continuation lines start with `indent`.
fn wrap(line: &str, width: usize, indent: &str) -> String {
    super::wrap_lines(line, width, "", indent).join("\n")
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// `3 errors, 1 warning in 12 resources (5 files), 2 suppressed, 6 in the baseline; Istio 1.31
/// (the default: pass --istio-version)`.
pub(super) fn summary(c: Counts, input: &ReportInput) -> String {
    let scope = format!(
        "{} ({})",
        plural(input.resources, "resource", "resources"),
        plural(input.files, "file", "files")
    );
    let counts: Vec<String> = [
        (c.errors, "error", "errors"),
        (c.warnings, "warning", "warnings"),
        (c.infos, "info", "infos"),
    ]
    .into_iter()
    .filter(|(n, ..)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect();
    let mut line = if counts.is_empty() {
        format!("No findings in {scope}")
    } else {
        format!("{} in {scope}", counts.join(", "))
    };
    if input.suppressed > 0 {
        line.push_str(&format!(", {} suppressed", input.suppressed));
    }
    if input.baselined > 0 {
        line.push_str(&format!(", {} in the baseline", input.baselined));
    }
    // The release the analysis assumed (issue 15): results depend on it.
    if !input.version_source.is_empty() {
        line.push_str(&format!(
            "; Istio {} ({})",
            input.istio_version, input.version_source
        ));
    }
    line
}

/// Findings rendered at a time (in parallel), then written in order: the output streams.
const BATCH: usize = 1024;

pub fn render(input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    let handler = super::miette_handler(input.color, input.width);
    let sources = Sources::read(input.findings);
    for batch in input.findings.chunks(BATCH) {
        let blocks = batch
            .par_iter()
            .map(|f| block(&handler, f, &sources, input.width))
            .collect::<Result<Vec<String>, fmt::Error>>()
            .map_err(std::io::Error::other)?;
        for b in blocks {
            out.write_all(b.as_bytes())?;
        }
    }
    if input.quiet {
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        wrap(&summary(input.summary(), input), input.width, "")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_related_lines() {
        let line = "  related: PeerAuthentication bar/strict at a.yaml:26 — earlier";
        assert_eq!(
            wrap(line, 40, "      "),
            "  related: PeerAuthentication bar/strict\n      at a.yaml:26 — earlier"
        );
        assert_eq!(wrap("short", 40, "  "), "short");
    }

    #[test]
    fn never_splits_a_backticked_command() {
        let line = "namespace foo has no injection label: run \
                    `kubectl label namespace foo istio-injection=enabled` and restart";
        let wrapped = wrap(line, 40, "  ");
        assert!(
            wrapped
                .lines()
                .any(|l| l.contains("`kubectl label namespace foo istio-injection=enabled`")),
            "{wrapped}"
        );
        assert!(wrapped.lines().count() >= 3, "{wrapped}");
    }
}
