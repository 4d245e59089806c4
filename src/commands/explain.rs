//! `meshlint explain CODE|NAME`: a rule's documentation, taken from its doc comment.

use std::io::Write;

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{ExplainArgs, TextOrJson};
use crate::error::Error;
use crate::rules::{self, REGISTRY};

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
    let rule = rules::find(&args.rule).ok_or_else(|| {
        let names: Vec<_> = REGISTRY.iter().map(|r| r.name).collect();
        Error::Usage(format!(
            "no rule `{}`; rules are: {}",
            args.rule,
            names.join(", ")
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
            if !related.is_empty() {
                writeln!(out, "Related:  {}", related.join(", "))?;
            }
            writeln!(out, "\n{}", doc.trim_end())?;
        }
    }
    Ok(ExitStatus::Success)
}
