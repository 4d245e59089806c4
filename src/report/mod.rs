//! Renderers: one file per output format, each a pure function of the findings (and the rule
//! registry). They decide nothing about semantics.

use std::io::Write;

use crate::diagnostic::{Finding, Severity};
use crate::version::IstioVersion;

pub mod json;

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
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Github,
    Junit,
    Gitlab,
}

pub fn render(format: Format, input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    match format {
        Format::Json => json::render(input, out),
        // Filled in by the renderer work; until then JSON keeps every format usable.
        Format::Text | Format::Sarif | Format::Github | Format::Junit | Format::Gitlab => {
            json::render(input, out)
        }
    }
}
