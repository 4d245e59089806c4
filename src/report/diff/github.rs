//! `diff -o github`: GitHub Actions workflow commands — each new finding as the annotation
//! `analyze -o github` gives it, each newly blocked cell as an error without a file (it has no
//! line of its own; at most `--limit` of them, the rest counted), then a notice with the
//! summary.

use std::io::Write;

use super::{Change, DiffStyle, MeshDiff, cell_name, summary};
use crate::report::github::{command, escape_data, escape_property};

pub fn render(d: &MeshDiff, style: DiffStyle, out: &mut dyn Write) -> std::io::Result<()> {
    for f in &d.new {
        writeln!(out, "{}", command(f))?;
    }
    let blocked: Vec<_> = d
        .cells
        .iter()
        .filter(|c| c.change == Change::NewlyBlocked)
        .collect();
    for c in blocked.iter().take(style.limit) {
        writeln!(
            out,
            "::error title={}::{}",
            escape_property("meshlint diff: newly blocked"),
            escape_data(&format!(
                "{}: {} → {}: {}",
                cell_name(c),
                c.before.code(),
                c.after.code(),
                c.after.reason
            ))
        )?;
    }
    if blocked.len() > style.limit {
        writeln!(
            out,
            "::error title={}::{}",
            escape_property("meshlint diff: newly blocked"),
            escape_data(&format!(
                "… and {} more newly blocked cells",
                blocked.len() - style.limit
            ))
        )?;
    }
    writeln!(
        out,
        "::notice title={}::{}",
        escape_property("meshlint diff"),
        escape_data(&summary(d))
    )
}
