//! `analyze -o github`: GitHub Actions workflow commands, so findings show up as annotations on
//! the pull request's diff without uploading anything. One line per finding:
//! `::error file=F,line=L,col=C,title=meshlint CODE (name)::F:L:C: message`.
//!
//! The message repeats the location so the raw job log stays readable on its own.

use std::io::Write;

use super::{ReportInput, known, location_prefix, portable_path};
use crate::diagnostic::{Finding, Severity};

/// Escapes the data part of a command (after `::`), as the Actions runner decodes it.
pub(crate) fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value (`file=…`, `title=…`), where `:` and `,` are also delimiters.
pub(crate) fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    }
}

/// The workflow command of one finding.
pub(crate) fn command(f: &Finding) -> String {
    let mut props = Vec::new();
    let mut prefix = String::new();
    if let Some(loc) = &f.location {
        props.push(format!(
            "file={}",
            escape_property(&portable_path(&loc.file))
        ));
        if let Some(line) = known(loc.pos.line) {
            props.push(format!("line={line}"));
            if let Some(col) = known(loc.pos.col) {
                props.push(format!("col={col}"));
            }
        }
        prefix = location_prefix(loc);
    }
    let title = format!("meshlint {} ({})", f.rule.code, f.rule.name);
    props.push(format!("title={}", escape_property(&title)));
    format!(
        "::{} {}::{}",
        level(f.severity),
        props.join(","),
        escape_data(&format!("{prefix}{}", f.message))
    )
}

pub fn render(input: &ReportInput, out: &mut dyn Write) -> std::io::Result<()> {
    for f in input.findings {
        writeln!(out, "{}", command(f))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes() {
        assert_eq!(escape_data("50%\r\nx: a,b"), "50%25%0D%0Ax: a,b");
        assert_eq!(escape_property("a:b,c%"), "a%3Ab%2Cc%25");
    }
}
