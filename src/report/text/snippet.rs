//! The input files as the text report quotes them: each file read once, where its lines
//! start, the span to underline for a position, and a [`SourceCode`] that reads a snippet
//! without scanning the file from its start.

use std::collections::HashMap;
use std::sync::Arc;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};
use rayon::prelude::*;

use super::super::known;
use crate::diagnostic::Finding;
use crate::source::Pos;

/// A file's text and where each of its lines starts (byte offsets).
pub(super) struct Source {
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
    pub(super) fn span(&self, pos: Pos) -> Option<(usize, usize)> {
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

/// The sources the findings point into, by file name, each read once (in parallel); `None`
/// for a file that could not be read.
pub(super) struct Sources(HashMap<Arc<str>, Option<Arc<Source>>>);

impl Sources {
    pub(super) fn read(findings: &[Finding]) -> Sources {
        let mut files: Vec<&Arc<str>> = findings
            .iter()
            .filter_map(|f| f.location.as_ref().map(|l| &l.file))
            .collect();
        files.sort_unstable();
        files.dedup();
        Sources(
            files
                .into_par_iter()
                .map(|file| {
                    let source = (&**file != "<stdin>")
                        .then(|| std::fs::read_to_string(&**file).ok())
                        .flatten()
                        .map(|text| Arc::new(Source::new(text)));
                    (file.clone(), source)
                })
                .collect(),
        )
    }

    pub(super) fn get(&self, file: &str) -> Option<&Arc<Source>> {
        self.0.get(file)?.as_ref()
    }
}

/// A file's text as miette reads it for one snippet. miette finds a span's lines by scanning
/// the text from its start, once per span: on the SPEC §9 corpus that was four fifths of the
/// text report's time (issue 14). This hands miette the text from the line before the first
/// context line on and shifts the line numbers and offsets back, which gives what a scan from
/// the start gives (miette 7 `source_impls.rs` `context_info`: the lines before the window
/// only count).
pub(super) struct Snippet {
    pub(super) name: String,
    pub(super) source: Arc<Source>,
}

impl SourceCode for Snippet {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let starts = &self.source.line_starts;
        // The span's line (0-based), and one line before the first that miette shows: the
        // scan ends one byte before the span's end, so an empty span at the start of a line
        // ends at the line break before it.
        let line = starts
            .partition_point(|&s| s <= span.offset())
            .saturating_sub(1);
        let first = line.saturating_sub(context_lines_before + 1);
        let at = starts.get(first).copied().unwrap_or(0);
        let window = &self.source.text[at..];
        let inner = window.read_span(
            &SourceSpan::new((span.offset() - at).into(), span.len()),
            context_lines_before,
            context_lines_after,
        )?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new((inner.span().offset() + at).into(), inner.span().len()),
            inner.line() + first,
            inner.column(),
            inner.line_count() + first,
        )))
    }
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

    /// The window gives exactly what miette's scan of the whole text gives, for every span
    /// start and length and every context size, with LF, CRLF and lone-CR line ends.
    #[test]
    fn snippets_read_as_from_the_whole_text() {
        for text in [
            "a: 1\nb:\n  c: 2\n  d: [x, y]\ne: \"q r\"\n\nf: 3",
            "a: 1\r\nb: 2\r\n\r\nc:\r\n  d: 4\r\n",
            "a: 1\rb: 2\r\rc: 3\n",
        ] {
            let snippet = Snippet {
                name: "f.yaml".to_owned(),
                source: Arc::new(Source::new(text.to_owned())),
            };
            let whole = miette::NamedSource::new("f.yaml", text.to_owned());
            for offset in 0..text.len() {
                for len in [0, 1, 3, 10, 40] {
                    for context in 0..4 {
                        let span = SourceSpan::new(offset.into(), len);
                        let ours = snippet.read_span(&span, context, context);
                        let theirs = whole.read_span(&span, context, context);
                        match (ours, theirs) {
                            (Ok(a), Ok(b)) => {
                                let at = format!("{text:?} at {offset}+{len}, context {context}");
                                assert_eq!(a.data(), b.data(), "{at}");
                                assert_eq!(a.span(), b.span(), "{at}");
                                assert_eq!(a.line(), b.line(), "{at}");
                                assert_eq!(a.column(), b.column(), "{at}");
                                assert_eq!(a.line_count(), b.line_count(), "{at}");
                                assert_eq!(a.name(), b.name(), "{at}");
                            }
                            (a, b) => assert_eq!(a.is_err(), b.is_err(), "{text:?} {offset}"),
                        }
                    }
                }
            }
        }
    }
}
