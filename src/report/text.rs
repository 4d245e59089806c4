//! `analyze` for people: each finding as a miette diagnostic with the offending lines of the
//! input file, then a one-line summary.
//!
//! Findings carry positions, not text, so the sources are read again here (each file once).
//! When a file cannot be read again (`<stdin>`, a cluster object, a file changed or removed
//! since loading) or the position is unknown, the finding is shown without a snippet and its
//! location is put in front of the message instead.

use std::collections::HashMap;
use std::fmt;
use std::io::Write;
use std::sync::Arc;

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

use super::{Counts, ReportInput, known};
use crate::diagnostic::{Finding, Related, Severity};
use crate::source::Pos;

/// A file's text and where each of its lines starts (byte offsets).
struct Source {
    text: Arc<str>,
    line_starts: Vec<usize>,
}

impl Source {
    fn new(mut text: String) -> Source {
        // The loader drops a byte-order mark before computing positions; do the same.
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        // Lines end where the parser ends them (a lone CR too).
        let line_starts = std::iter::once(0)
            .chain(crate::source::line_starts(&text))
            .collect();
        Source {
            text: text.into(),
            line_starts,
        }
    }

    /// The byte span to underline for a position: the token starting at `pos` (a quoted
    /// scalar, or up to the next space), or the line's content when the column is unknown.
    /// `None` when the position is not in the text, or when the line is too long to quote
    /// (a minified JSON file or a 20 MB line: the location is printed instead).
    fn span(&self, pos: Pos) -> Option<(usize, usize)> {
        let line = usize::try_from(known(pos.line)?).ok()?;
        let start = *self.line_starts.get(line - 1)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.text.len(), |e| e - 1);
        if end.saturating_sub(start) > MAX_SNIPPET_LINE {
            return None;
        }
        let line_text = self.text[start..end].trim_end_matches('\r');
        let (offset, len) = match known(pos.col) {
            Some(col) => {
                let col = usize::try_from(col).ok()? - 1;
                let within = line_text
                    .char_indices()
                    .nth(col)
                    .map_or(line_text.len(), |(i, _)| i);
                (within, token_len(&line_text[within..]))
            }
            None => {
                let content = line_text.trim_start();
                (line_text.len() - content.len(), content.trim_end().len())
            }
        };
        Some((start + offset, len))
    }
}

/// Longest source line quoted in a snippet, in bytes.
const MAX_SNIPPET_LINE: usize = 500;

/// The length in bytes of the YAML token at the start of `rest`.
fn token_len(rest: &str) -> usize {
    if let Some(quote @ ('"' | '\'')) = rest.chars().next()
        && let Some(close) = rest[1..].find(quote)
    {
        return close + 2;
    }
    let word = rest.split(char::is_whitespace).next().unwrap_or("");
    let trimmed = word.trim_end_matches([':', ',']);
    if trimmed.is_empty() {
        word.len()
    } else {
        trimmed.len()
    }
}

/// Sources by file name; `None` remembers a file that could not be read.
#[derive(Default)]
struct Sources(HashMap<Arc<str>, Option<Source>>);

impl Sources {
    fn get(&mut self, file: &Arc<str>) -> Option<&Source> {
        self.0
            .entry(file.clone())
            .or_insert_with(|| {
                if &**file == "<stdin>" {
                    return None;
                }
                std::fs::read_to_string(&**file).ok().map(Source::new)
            })
            .as_ref()
    }
}

/// One finding as miette sees it.
struct Shown<'a> {
    finding: &'a Finding,
    code: String,
    /// The message, with the location in front when there is no snippet to show it.
    message: String,
    snippet: Option<(NamedSource<Arc<str>>, LabeledSpan)>,
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

fn shown<'a>(f: &'a Finding, sources: &mut Sources) -> Shown<'a> {
    let snippet = f.location.as_ref().and_then(|loc| {
        let source = sources.get(&loc.file)?;
        let (offset, len) = source.span(loc.pos)?;
        let label = (!loc.field.is_empty()).then(|| loc.field.clone());
        Some((
            NamedSource::new(&*loc.file, source.text.clone()),
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

pub fn render(input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    let handler = super::miette_handler(input.color, input.width);
    let mut sources = Sources::default();
    for f in input.findings {
        let mut text = String::new();
        handler
            .render_report(&mut text, &shown(f, &mut sources))
            .map_err(std::io::Error::other)?;
        write!(out, "{}", super::release_backticks(text.trim_end()))?;
        writeln!(out)?;
        for r in &f.related {
            writeln!(out, "{}", wrap(&related_line(r), input.width, "      "))?;
        }
        writeln!(out)?;
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

    fn pos(line: u32, col: u32) -> Pos {
        Pos { line, col }
    }

    #[test]
    fn spans() {
        let s = Source::new("\u{feff}a: 1\r\nkey: \"two words\"\nné: x, y\n".to_owned());
        assert_eq!(s.span(pos(1, 1)), Some((0, 1)));
        assert_eq!(s.span(pos(2, 6)), Some((11, 11)));
        // Columns count characters: `x` is the 5th character but the 6th byte of its line.
        assert_eq!(s.span(pos(3, 5)), Some((28, 1)));
        // Unknown column: the line's content, without the CR.
        assert_eq!(s.span(pos(1, 0)), Some((0, 4)));
        // Past the end of the line: an empty span at its end.
        assert_eq!(s.span(pos(1, 9)), Some((4, 0)));
        assert_eq!(s.span(pos(9, 1)), None);
        assert_eq!(s.span(pos(0, 0)), None);
        // A lone CR ends a line, as for the YAML parser (found by fuzzing).
        let s = Source::new("a: 1\rb: 2\n".to_owned());
        assert_eq!(s.span(pos(2, 1)), Some((5, 1)));
    }

    #[test]
    fn long_lines_are_not_quoted() {
        let long = format!("a: \"{}\"\n", "x".repeat(10_000));
        let src = Source::new(long);
        assert_eq!(src.span(pos(1, 1)), None);
        let short = Source::new("a: b\n".to_owned());
        assert!(short.span(pos(1, 4)).is_some());
    }

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
