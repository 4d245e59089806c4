//! `matrix -o table` (the default) and `-o markdown`: rows are client workloads, columns are
//! service ports `svc.ns:port`, each cell what curl shows (`200`, `503`, `000/56`, `tcp`, …).
//!
//! Fitting the width: when the columns do not fit (`Style::width`: `--width`, the terminal,
//! `$COLUMNS`, else 100), the service ports are split into consecutive groups and one table is
//! printed per group, each repeating the client column and headed `service ports a–b of n`
//! (omitted with `-q`). Columns come sorted by namespace, and a group ends where a namespace
//! does whenever that namespace's columns fit in one table.
//! Rows are never split, so a row is read left to right within one table. Markdown is one
//! table: it is meant to be rendered, not read in a terminal.

use std::io::{self, Write};

use super::grid::{Grid, GridCell, text_width};
use super::{MatrixView, Style, md_field, tone};

/// The heading of the client column.
const FIRST: &str = "FROM \\ TO";

/// Width a column takes in the UTF-8 preset: content, one space each side, one border.
fn column_width(content: usize) -> usize {
    content + 3
}

/// Groups of consecutive target indexes that fit into `width` next to the client column. A
/// namespace's columns start a new group rather than straddle two, unless they alone do not
/// fit in one.
pub fn column_groups(view: &MatrixView, width: usize) -> Vec<std::ops::Range<usize>> {
    let first = view
        .clients
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(0)
        .max(FIRST.len());
    let base = column_width(first) + 1;
    let widths: Vec<usize> = view
        .targets
        .iter()
        .map(|t| column_width(t.name.chars().count().max(6)))
        .collect();
    let mut groups = Vec::new();
    let mut start = 0;
    let mut used = base;
    let mut i = 0;
    while i < view.targets.len() {
        // The run of columns of this namespace, from `i`.
        let ns = &view.targets[i].namespace;
        let end = (i..view.targets.len())
            .find(|&j| view.targets[j].namespace != *ns)
            .unwrap_or(view.targets.len());
        let run: usize = widths[i..end].iter().sum();
        if i > start && used + run > width && base + run <= width {
            groups.push(start..i);
            start = i;
            used = base;
        }
        for (j, &w) in widths.iter().enumerate().take(end).skip(i) {
            if j > start && used + w > width {
                groups.push(start..j);
                start = j;
                used = base;
            }
            used += w;
        }
        i = end;
    }
    if start < view.targets.len() {
        groups.push(start..view.targets.len());
    }
    groups
}

pub fn render(view: &MatrixView, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if view.clients.is_empty() || view.targets.is_empty() {
        writeln!(out, "{}", super::no_cells(view))?;
        return Ok(());
    }
    let groups = column_groups(view, style.width);
    let n = view.targets.len();
    // Codes and their widths per distinct cell, once; rows are written as they come.
    let codes: Vec<String> = (0..view.cells.len()).map(|i| view.shown_code(i)).collect();
    let code_width: Vec<usize> = codes.iter().map(|c| text_width(c)).collect();
    let client_width = view
        .clients
        .iter()
        .map(|c| text_width(c))
        .max()
        .unwrap_or(0);
    for (gi, g) in groups.iter().enumerate() {
        if groups.len() > 1 && !style.quiet {
            if gi > 0 {
                writeln!(out)?;
            }
            let mut namespaces: Vec<&str> = view.targets[g.clone()]
                .iter()
                .map(|t| t.namespace.as_str())
                .collect();
            namespaces.dedup();
            writeln!(
                out,
                "service ports {}–{} of {n} (namespace {})",
                g.start + 1,
                g.end,
                namespaces.join(", ")
            )?;
        }
        let mut widths = vec![text_width(FIRST).max(client_width)];
        widths.extend(g.clone().map(|ti| {
            (0..view.clients.len())
                .map(|ci| code_width[view.index[ci * n + ti] as usize])
                .fold(text_width(&view.targets[ti].name), usize::max)
        }));
        let grid = Grid::new(widths, style.color);
        grid.top(out)?;
        let mut header = vec![GridCell::plain(FIRST)];
        header.extend(
            view.targets[g.clone()]
                .iter()
                .map(|t| GridCell::plain(&t.name)),
        );
        grid.header(out, &header)?;
        for (ci, client) in view.clients.iter().enumerate() {
            let mut row = vec![GridCell::plain(client)];
            for ti in g.clone() {
                let id = view.index[ci * n + ti] as usize;
                row.push(GridCell {
                    text: &codes[id],
                    tone: Some(tone(view.cells[id].result)),
                });
            }
            grid.row(out, &row)?;
        }
        grid.bottom(out)?;
    }
    super::footer(view, style, out)
}

pub fn render_markdown(view: &MatrixView, out: &mut dyn Write) -> io::Result<()> {
    write!(out, "| from \\ to |")?;
    for t in &view.targets {
        write!(out, " {} |", md_field(&t.name))?;
    }
    write!(out, "\n|---|")?;
    for _ in &view.targets {
        write!(out, "---|")?;
    }
    writeln!(out)?;
    for (ci, client) in view.clients.iter().enumerate() {
        write!(out, "| {} |", md_field(client))?;
        for ti in 0..view.targets.len() {
            let i = view.index[ci * view.targets.len() + ti] as usize;
            write!(out, " {} |", view.shown_code(i))?;
        }
        writeln!(out)?;
    }
    Ok(())
}
