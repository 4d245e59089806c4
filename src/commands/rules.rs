//! `meshlint rules`: every rule as a short entry (code, name, severity, category, related
//! istioctl/Kiali codes, summary), or JSON.

use std::io::Write;

use serde::Serialize;

use super::ExitStatus;
use crate::cli::{RulesArgs, TextOrJson};
use crate::error::Error;
use crate::rules::REGISTRY;

#[derive(Serialize)]
struct RuleRow {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    category: &'static str,
    default_enabled: bool,
    istio_codes: &'static [&'static str],
    kiali_codes: &'static [&'static str],
    summary: &'static str,
}

pub fn run(args: &RulesArgs, out: &mut dyn Write) -> Result<ExitStatus, Error> {
    let rows: Vec<RuleRow> = REGISTRY
        .iter()
        .map(|r| RuleRow {
            code: r.code,
            name: r.name,
            severity: r.severity.as_str(),
            category: r.category.as_str(),
            default_enabled: r.default_enabled,
            istio_codes: r.istio_codes,
            kiali_codes: r.kiali_codes,
            summary: r.summary,
        })
        .collect();
    match args.output {
        TextOrJson::Json => {
            serde_json::to_writer_pretty(&mut *out, &rows).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            // One rule per entry, as `ML0201 mtls-mode-conflict  error, mtls; IST0113 …`, the
            // summary wrapped under it: names and codes never split, at any width.
            let width = super::width_of(&args.text);
            for r in &rows {
                let mut facts = vec![if r.default_enabled {
                    r.severity.to_owned()
                } else {
                    format!("{} (off by default)", r.severity)
                }];
                facts.push(r.category.to_owned());
                let related: Vec<&str> =
                    r.istio_codes.iter().chain(r.kiali_codes).copied().collect();
                if !related.is_empty() {
                    facts.push(related.join(" "));
                }
                let head = format!("{} {}  {}", r.code, r.name, facts.join(", "));
                for l in crate::report::wrap_lines(&head, width, "", "         ") {
                    writeln!(out, "{l}")?;
                }
                for l in crate::report::wrap_lines(r.summary, width, "       ", "       ") {
                    writeln!(out, "{l}")?;
                }
            }
        }
    }
    Ok(ExitStatus::Success)
}
