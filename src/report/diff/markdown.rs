//! `diff -o markdown`: a pull-request comment — a headline, a table per group of moved cells
//! and per list of findings, each capped at `--limit` rows with a count of the rest.

use std::io::Write;

use super::{Change, DiffStyle, MeshDiff, summary, why};
use crate::report::matrix::md_field;

pub fn render(d: &MeshDiff, style: DiffStyle, out: &mut dyn Write) -> std::io::Result<()> {
    let opened = d.count(Change::NewlyAllowed);
    let verdict = if d.fails() {
        "⚠️ this change blocks traffic or adds findings".to_owned()
    } else if d.cells.is_empty() && d.new.is_empty() && d.fixed.is_empty() {
        "✅ no change to reachability or findings".to_owned()
    } else if opened > 0 {
        // Opening paths is a security change to review, not a pass.
        format!(
            "ℹ️ this change opens {opened} path{} (nothing newly blocked)",
            if opened == 1 { "" } else { "s" }
        )
    } else {
        "✅ nothing newly blocked, no failing finding".to_owned()
    };
    writeln!(out, "### meshlint diff: {verdict}\n")?;
    writeln!(
        out,
        "`{}` → `{}`, Istio {}. {}.\n",
        md_field(&d.base),
        md_field(&d.head),
        d.istio_version,
        summary(d)
    )?;
    for change in [Change::NewlyBlocked, Change::NewlyAllowed, Change::Changed] {
        let rows: Vec<_> = d.cells.iter().filter(|c| c.change == change).collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(out, "#### {} ({})\n", change.title(), rows.len())?;
        writeln!(out, "| From | To | Before | After | Why |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        let mut last = String::new();
        for c in rows.iter().take(style.limit) {
            // A run of rows with one reason gives it once.
            let reason = why(c);
            let shown = if reason == last {
                "〃".to_owned()
            } else {
                md_field(&reason)
            };
            writeln!(
                out,
                "| {} | {} | {} | {} | {shown} |",
                md_field(&c.after.from),
                md_field(&c.after.to),
                c.before.code(),
                c.after.code(),
            )?;
            last = reason;
        }
        if rows.len() > style.limit {
            writeln!(out, "\n… and {} more.", rows.len() - style.limit)?;
        }
        writeln!(out)?;
    }
    for (title, list) in [("New findings", &d.new), ("Fixed findings", &d.fixed)] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "#### {title} ({})\n", list.len())?;
        writeln!(out, "| Severity | Rule | Resource | Where | Message |")?;
        writeln!(out, "|---|---|---|---|---|")?;
        for f in list.iter().take(style.limit) {
            let place = f.location.as_ref().map_or_else(String::new, |l| {
                if l.pos.line > 0 {
                    format!("{}:{}", l.file, l.pos.line)
                } else {
                    l.file.to_string()
                }
            });
            writeln!(
                out,
                "| {} | {} ({}) | {} | {} | {} |",
                f.severity.as_str(),
                f.rule.code,
                f.rule.name,
                f.resource
                    .as_ref()
                    .map_or_else(String::new, |r| md_field(&r.to_string())),
                md_field(&place),
                md_field(&f.message)
            )?;
        }
        if list.len() > style.limit {
            writeln!(out, "\n… and {} more.", list.len() - style.limit)?;
        }
        writeln!(out)?;
    }
    Ok(())
}
