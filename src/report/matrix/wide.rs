//! `matrix -o wide`: one row per cell — from, to, result, the TLS the client sends, the mode
//! the server enforces, and the deciding resources as `Kind ns/name (file:line)`.

use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement, Table, presets};

use super::{MatrixView, Style, resource, summary_line, tone};

pub fn render(view: &MatrixView, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if style.color {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    if !style.quiet {
        table.set_header(["FROM", "TO", "RESULT", "CLIENT TLS", "SERVER", "DECIDED BY"]);
    }
    for (from, t, c) in view.iter() {
        let by: Vec<String> = c.decided_by.iter().map(resource).collect();
        let mut result = Cell::new(c.code());
        if style.color {
            result = result.fg(tone(c.result).comfy());
        }
        table.add_row(vec![
            Cell::new(from),
            Cell::new(&t.name),
            result,
            Cell::new(c.client_tls),
            Cell::new(&c.server_mtls),
            Cell::new(if by.is_empty() {
                "-".to_owned()
            } else {
                by.join("\n")
            }),
        ]);
    }
    if view.clients.is_empty() || view.targets.is_empty() {
        writeln!(
            out,
            "no cells: no client workload or no service port selected"
        )?;
    } else {
        writeln!(out, "{table}")?;
    }
    if !style.quiet {
        writeln!(out, "{}", summary_line(view))?;
    }
    Ok(())
}
