//! `diff -o text`: the summary, then each group of moved cells as `from → to  before → after`
//! with the reason after, then new and fixed findings one per line (the concise form).

use std::io::Write;

use super::{Change, DiffStyle, MeshDiff, cell_name, summary, why};
use crate::report::concise;
use crate::report::matrix::tone;

pub fn render(d: &MeshDiff, style: DiffStyle, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(
        out,
        "meshlint diff {} → {} (Istio {}; {} object{} changed)",
        d.base,
        d.head,
        d.istio_version,
        d.changed_objects,
        if d.changed_objects == 1 { "" } else { "s" }
    )?;
    for change in [Change::NewlyBlocked, Change::NewlyAllowed, Change::Changed] {
        let rows: Vec<_> = d.cells.iter().filter(|c| c.change == change).collect();
        if rows.is_empty() {
            continue;
        }
        writeln!(out, "\n{} ({}):", change.title(), rows.len())?;
        let width = rows
            .iter()
            .take(style.limit)
            .map(|c| cell_name(c).chars().count())
            .max()
            .unwrap_or(0);
        let mut last_reason = String::new();
        for c in rows.iter().take(style.limit) {
            let name = cell_name(c);
            let pad = width - name.chars().count();
            writeln!(
                out,
                "  {name}{}  {} → {}",
                " ".repeat(pad),
                tone(c.before.result).paint(&c.before.code(), style.color),
                tone(c.after.result).paint(&c.after.code(), style.color)
            )?;
            // A run of cells with one reason gives it once.
            let reason = why(c);
            if reason != last_reason {
                writeln!(out, "      {reason}")?;
                last_reason = reason;
            }
        }
        if rows.len() > style.limit {
            writeln!(out, "  … and {} more", rows.len() - style.limit)?;
        }
    }
    for (title, list) in [("New findings", &d.new), ("Fixed findings", &d.fixed)] {
        if list.is_empty() {
            continue;
        }
        writeln!(out, "\n{title} ({}):", list.len())?;
        for f in list.iter().take(style.limit) {
            writeln!(out, "  {}", concise::line(f))?;
        }
        if list.len() > style.limit {
            writeln!(out, "  … and {} more", list.len() - style.limit)?;
        }
    }
    writeln!(out, "\n{}", summary(d))
}
