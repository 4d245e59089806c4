//! Renderers: one file per output format, each a pure function of the findings (and the rule
//! registry). They decide nothing about semantics.

use std::io::Write;

use crate::diagnostic::{Finding, Severity};
use crate::version::IstioVersion;

pub mod concise;
pub mod describe;
pub mod diff;
pub mod github;
pub mod gitlab;
pub mod html;
pub mod json;
pub mod junit;
pub mod matrix;
mod reflow;
pub use reflow::reflow;
pub mod sarif;
pub mod text;

/// Everything a renderer may show.
pub struct ReportInput<'a> {
    pub findings: &'a [Finding],
    pub istio_version: IstioVersion,
    pub resources: usize,
    pub files: usize,
    pub suppressed: usize,
    /// Whether colour may be used (text formats only).
    pub color: bool,
    /// Terminal width for text wrapping.
    pub width: usize,
    /// The severity at or above which a finding fails the run (`--fail-on`; `None` for
    /// `never`): report formats with a pass/fail notion (JUnit) agree with the exit code.
    pub fail_on: Option<crate::diagnostic::Severity>,
    /// `-q`: the findings only, no summary line (text formats).
    pub quiet: bool,
    /// Findings left out because `--baseline` lists them.
    pub baselined: usize,
    /// How the Istio version was chosen (`Profile::source_text`); empty leaves it unsaid.
    pub version_source: String,
    /// The repository root (absolute) that file paths were made relative to, for SARIF's
    /// `originalUriBaseIds`; `None` when paths are as given.
    pub root: Option<String>,
}

/// Counts per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl ReportInput<'_> {
    pub fn summary(&self) -> Counts {
        let mut c = Counts::default();
        for f in self.findings {
            match f.severity {
                Severity::Error => c.errors += 1,
                Severity::Warning => c.warnings += 1,
                Severity::Info => c.infos += 1,
            }
        }
        c
    }
}

/// Output formats of `analyze`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    Gitlab,
}

pub fn render(format: Format, input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Text => text::render(input, out),
        Format::Concise => concise::render(input, out),
        Format::Json => json::render(input, out),
        Format::Sarif => sarif::render(input, out),
        Format::Github => github::render(input, out),
        Format::Junit => junit::render(input, out),
        Format::Gitlab => gitlab::render(input, out),
    }
}

/// `path:line:col: ` of a location (what is known of it), the prefix compilers and linters put
/// before a message: `-o concise` and the GitHub annotation text share it.
pub(crate) fn location_prefix(loc: &crate::source::Location) -> String {
    let mut out = portable_path(&loc.file);
    if let Some(line) = known(loc.pos.line) {
        out.push_str(&format!(":{line}"));
        if let Some(col) = known(loc.pos.col) {
            out.push_str(&format!(":{col}"));
        }
    }
    out.push_str(": ");
    out
}

/// A file name as CI tools want it: forward slashes, no leading `./`. Anything else (absolute
/// paths, `cluster/…`, `<stdin>`) is kept as given.
pub(crate) fn portable_path(file: &str) -> String {
    let slashed = file.replace('\\', "/");
    let mut rest = slashed.as_str();
    while let Some(r) = rest.strip_prefix("./") {
        rest = r;
    }
    rest.to_owned()
}

/// A 1-based position, or `None` when it is unknown (0).
pub(crate) fn known(n: u32) -> Option<u32> {
    (n > 0).then_some(n)
}

/// Word wrap for text output (textwrap): lines of at most `width` characters, the first
/// starting with `first`, the others with `rest`. Words are never split, and neither are the
/// hyphenated names of rules, resources and flags (`mtls-mode-conflict`,
/// `istio-injection=enabled`) nor a command in backticks (`` `kubectl label namespace foo
/// istio-injection=enabled` ``): only spaces outside backticks break a line, and a longer
/// word or command overflows. Always at least one line.
pub(crate) fn wrap_lines(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let options = textwrap::Options::new(width.max(1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation);
    let lines: Vec<String> = textwrap::wrap(&hold_backticks(text), options)
        .into_iter()
        .map(|l| release_backticks(&l))
        .collect();
    if lines.is_empty() {
        vec![String::new()]
    } else {
        lines
    }
}

/// The space that wrapping (textwrap with ASCII-space separators) never breaks at.
const HELD_SPACE: char = '\u{a0}';

/// `text` with the spaces inside backticks made unbreakable, for a wrapper that breaks at
/// ASCII spaces only (ours, and miette's as `report::text` sets it up); undo with
/// [`release_backticks`] after wrapping, so a command is copied with plain spaces.
pub(crate) fn hold_backticks(text: &str) -> String {
    let mut quoted = false;
    text.chars()
        .map(|c| {
            if c == '`' {
                quoted = !quoted;
            }
            if quoted && c == ' ' { HELD_SPACE } else { c }
        })
        .collect()
}

/// Undoes [`hold_backticks`].
pub(crate) fn release_backticks(text: &str) -> String {
    text.replace(HELD_SPACE, " ")
}

/// miette's drawing of diagnostics (findings, errors) at `width`: lines break between words
/// only, never inside a rule name, a `key=value` or a host, and with [`hold_backticks`] never
/// inside a command in backticks (issue 15).
pub(crate) fn miette_handler(color: bool, width: usize) -> miette::GraphicalReportHandler {
    let theme = if color {
        miette::GraphicalTheme::unicode()
    } else {
        miette::GraphicalTheme::unicode_nocolor()
    };
    miette::GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_break_words(false)
        .with_word_separator(textwrap::WordSeparator::AsciiSpace)
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// An error for stderr as miette draws it (`× message`), wrapped to `width` the way text
/// output is: never inside a name or a command in backticks.
pub fn render_error(message: &str, width: usize, color: bool) -> String {
    let handler = miette_handler(color, width);
    let diagnostic = miette::MietteDiagnostic::new(hold_backticks(message));
    let mut text = String::new();
    if handler.render_report(&mut text, &diagnostic).is_err() {
        return format!("Error: {message}");
    }
    release_backticks(&text)
}
