//! `matrix -o wide`: one row per cell — from, to, result, the TLS the client sends, the mode
//! the server enforces, and the deciding resources as `Kind ns/name (file:line)`.
//!
//! Streamed (issue 14): column widths come from the client and target names and the distinct
//! cells, then each row is written as it is read from the view, so memory does not grow with
//! the number of cells.

use std::io::{self, Write};

use super::grid::{Grid, GridCell, text_width};
use super::{MatrixView, Style, resource, summary_line, tone};

const HEADER: [&str; 6] = ["FROM", "TO", "RESULT", "CLIENT TLS", "SERVER", "DECIDED BY"];

pub fn render(view: &MatrixView, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if view.clients.is_empty() || view.targets.is_empty() {
        writeln!(out, "{}", super::no_cells(view))?;
        if !style.quiet {
            writeln!(out, "{}", summary_line(view))?;
        }
        return Ok(());
    }
    // The DECIDED BY text of each distinct cell, once.
    let decided: Vec<String> = view
        .cells
        .iter()
        .map(|c| {
            if c.decided_by.is_empty() {
                "-".to_owned()
            } else {
                c.decided_by
                    .iter()
                    .map(resource)
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        })
        .collect();
    let mut widths: Vec<usize> = if style.quiet {
        vec![0; HEADER.len()]
    } else {
        HEADER.iter().map(|h| text_width(h)).collect()
    };
    let widest = |w: &mut usize, texts: &mut dyn Iterator<Item = usize>| {
        *w = texts.fold(*w, usize::max);
    };
    widest(
        &mut widths[0],
        &mut view.clients.iter().map(|c| text_width(c)),
    );
    widest(
        &mut widths[1],
        &mut view.targets.iter().map(|t| text_width(&t.name)),
    );
    widest(
        &mut widths[2],
        &mut view.cells.iter().map(|c| text_width(&c.code())),
    );
    widest(
        &mut widths[3],
        &mut view.cells.iter().map(|c| text_width(c.client_tls)),
    );
    widest(
        &mut widths[4],
        &mut view.cells.iter().map(|c| text_width(&c.server_mtls)),
    );
    widest(&mut widths[5], &mut decided.iter().map(|d| text_width(d)));
    let grid = Grid::new(widths, style.color);
    grid.top(out)?;
    if !style.quiet {
        let header: Vec<GridCell<'_>> = HEADER.iter().map(|h| GridCell::plain(h)).collect();
        grid.header(out, &header)?;
    }
    let n = view.targets.len();
    for (ci, from) in view.clients.iter().enumerate() {
        for (ti, t) in view.targets.iter().enumerate() {
            let id = view.index[ci * n + ti] as usize;
            let c = &view.cells[id];
            let code = c.code();
            grid.row(
                out,
                &[
                    GridCell::plain(from),
                    GridCell::plain(&t.name),
                    GridCell {
                        text: &code,
                        tone: Some(tone(c.result)),
                    },
                    GridCell::plain(c.client_tls),
                    GridCell::plain(&c.server_mtls),
                    GridCell::plain(&decided[id]),
                ],
            )?;
        }
    }
    grid.bottom(out)?;
    super::footer(view, style, out)
}
