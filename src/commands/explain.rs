//! `meshlint explain CODE|NAME`: a rule's documentation, taken from its doc comment.

use std::io::Write;

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{ExplainArgs, TextOrJson};
use crate::error::Error;
use crate::rules;

#[derive(Serialize)]
struct Explained {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    default_enabled: bool,
    istio_codes: &'static [&'static str],
    kiali_codes: &'static [&'static str],
    summary: &'static str,
    doc: String,
}

pub fn run(args: &ExplainArgs, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    // A rule by code or name; an istioctl or Kiali code names the rule that reports it.
    let foreign = rules::by_foreign_code(&args.rule);
    let rule = rules::find(&args.rule)
        .or_else(|| foreign.first().copied())
        .ok_or_else(|| {
            let hint = rules::suggest(&args.rule)
                .map(|n| format!("; did you mean {n}?"))
                .unwrap_or_default();
            Error::Usage(format!(
                "no rule `{}`{hint} (`meshlint rules` lists them)",
                args.rule
            ))
        })?;
    let doc = rule.doc_text();
    match args.output {
        TextOrJson::Json => {
            let e = Explained {
                code: rule.code,
                name: rule.name,
                severity: rule.severity.as_str(),
                category: rule.category.as_str(),
                default_enabled: rule.default_enabled,
                istio_codes: rule.istio_codes,
                kiali_codes: rule.kiali_codes,
                summary: rule.summary,
                doc,
            };
            serde_json::to_writer_pretty(&mut *out, &e).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            writeln!(out, "# {} ({})\n", rule.name, rule.code)?;
            writeln!(
                out,
                "Severity: {}{}",
                rule.severity,
                if rule.default_enabled {
                    ""
                } else {
                    " (off by default)"
                }
            )?;
            writeln!(out, "Category: {}", rule.category.as_str())?;
            let related: Vec<_> = rule
                .istio_codes
                .iter()
                .chain(rule.kiali_codes)
                .copied()
                .collect();
            let width = super::width_of(&args.text);
            if !related.is_empty() {
                let line = format!("Related:  {}", related.join(", "));
                for l in crate::report::wrap_lines(&line, width, "", "          ") {
                    writeln!(out, "{l}")?;
                }
            }
            writeln!(out, "\n{}", crate::report::reflow(doc.trim_end(), width))?;
        }
    }
    Ok(ExitStatus::Success)
}
