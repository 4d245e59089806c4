//! `meshlint rules`: the rule table (comfy-table) or JSON.

use std::io::Write;

use comfy_table::{ContentArrangement, Table, presets::UTF8_FULL_CONDENSED};
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
            let mut t = Table::new();
            t.load_preset(UTF8_FULL_CONDENSED)
                .set_content_arrangement(ContentArrangement::Dynamic)
                .set_width(
                    u16::try_from(super::text_width(
                        None,
                        std::env::var("COLUMNS").ok().as_deref(),
                    ))
                    .unwrap_or(u16::MAX),
                )
                .set_header([
                    "code",
                    "name",
                    "severity",
                    "category",
                    "istioctl / Kiali",
                    "summary",
                ]);
            for r in &rows {
                let codes = r
                    .istio_codes
                    .iter()
                    .chain(r.kiali_codes)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                let sev = if r.default_enabled {
                    r.severity.to_owned()
                } else {
                    format!("{} (off)", r.severity)
                };
                t.add_row([r.code, r.name, &sev, r.category, &codes, r.summary]);
            }
            writeln!(out, "{t}")?;
        }
    }
    Ok(ExitStatus::Success)
}
