//! `matrix --by namespace`: client namespace × service namespace, counting the cells that are
//! reachable (`ok`) and blocked (anything else), with the blocked ones by result.
//!
//! - `table`: a grid (rows client namespaces, columns service namespaces, each cell
//!   `reachable/cells`), split into column groups like the workload table; above 60 namespaces
//!   on either side it prints the long form of `wide` instead, since a grid that size is unread.
//! - `wide`: one aligned row per namespace pair: from, to, cells, reachable, blocked, results.
//! - `json`: `{"version":1,"istio_version","request","by":"namespace","pairs":[{"from","to",
//!   "cells","reachable","blocked","results":{"ok":n,…}}]}`, one pair per line, zero counts
//!   left out of `results`.
//! - `csv` and `markdown`: one row per pair with a column per result; `lines`:
//!   `foo to bar: 4 reachable, 2 blocked`.
//!
//! Pairs without any cell are left out everywhere.

use std::fmt::Write as _;
use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement, Table, presets};
use rayon::prelude::*;

use super::MatrixFormat;
use super::{RequestJson, Style, Tone, csv_field, md_field};
use crate::resolve::classes::{NamespacePair, NamespaceSummary, OUTCOME_ORDER};

/// Largest grid the table format draws.
const GRID_MAX: usize = 60;

fn pair_tone(p: &NamespacePair) -> Tone {
    if p.blocked() == 0 {
        Tone::Good
    } else if p.reachable() == 0 {
        Tone::Bad
    } else {
        Tone::Warn
    }
}

fn totals(s: &NamespaceSummary) -> String {
    let cells: u64 = s.pairs.iter().map(|p| p.reachable() + p.blocked()).sum();
    let reachable: u64 = s.pairs.iter().map(NamespacePair::reachable).sum();
    format!(
        "{cells} cells in {} namespace pairs ({} client namespaces × {} service namespaces): {reachable} reachable, {} blocked",
        s.pairs.len(),
        s.from.len(),
        s.to.len(),
        cells - reachable
    )
}

pub fn render(
    format: MatrixFormat,
    s: &NamespaceSummary,
    istio_version: &str,
    request: &RequestJson,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        MatrixFormat::Json => json(s, istio_version, request, out),
        MatrixFormat::Lines => rows(s, out, |buf, p| {
            let _ = writeln!(
                buf,
                "{} to {}: {} reachable, {} blocked",
                s.from[p.from],
                s.to[p.to],
                p.reachable(),
                p.blocked()
            );
        }),
        MatrixFormat::Csv => {
            if !style.quiet {
                write!(out, "from,to,cells,reachable,blocked")?;
                for o in OUTCOME_ORDER {
                    write!(out, ",{}", o.as_str())?;
                }
                writeln!(out)?;
            }
            rows(s, out, |buf, p| {
                let _ = write!(
                    buf,
                    "{},{},{},{},{}",
                    csv_field(&s.from[p.from]),
                    csv_field(&s.to[p.to]),
                    p.reachable() + p.blocked(),
                    p.reachable(),
                    p.blocked()
                );
                for n in p.counts {
                    let _ = write!(buf, ",{n}");
                }
                buf.push('\n');
            })
        }
        MatrixFormat::Markdown => {
            writeln!(
                out,
                "| from | to | cells | reachable | blocked | blocked by result |"
            )?;
            writeln!(out, "|---|---|---:|---:|---:|---|")?;
            rows(s, out, |buf, p| {
                let _ = write!(
                    buf,
                    "| {} | {} | {} | {} | {} | ",
                    md_field(&s.from[p.from]),
                    md_field(&s.to[p.to]),
                    p.reachable() + p.blocked(),
                    p.reachable(),
                    p.blocked(),
                );
                push_results(buf, p);
                buf.push_str(" |\n");
            })
        }
        MatrixFormat::Table if s.from.len() <= GRID_MAX && s.to.len() <= GRID_MAX => {
            grid(s, style, out)
        }
        MatrixFormat::Table | MatrixFormat::Wide => long(s, style, out),
    }
}

fn json(
    s: &NamespaceSummary,
    istio_version: &str,
    request: &RequestJson,
    out: &mut dyn Write,
) -> io::Result<()> {
    let q = |v: &str| serde_json::to_string(v).map_err(io::Error::from);
    let from: Vec<String> = s.from.iter().map(|n| q(n)).collect::<io::Result<_>>()?;
    let to: Vec<String> = s.to.iter().map(|n| q(n)).collect::<io::Result<_>>()?;
    let request = serde_json::to_string(request).map_err(io::Error::from)?;
    write!(
        out,
        "{{\n  \"version\": 1,\n  \"istio_version\": {},\n  \"request\": {request},\n  \"by\": \"namespace\",\n  \"pairs\": [",
        q(istio_version)?
    )?;
    let mut buf = String::with_capacity(1 << 16);
    for (i, p) in s.pairs.iter().enumerate() {
        buf.push_str(if i == 0 { "\n    " } else { ",\n    " });
        let _ = write!(
            buf,
            "{{\"from\":{},\"to\":{},\"cells\":{},\"reachable\":{},\"blocked\":{},\"results\":{{",
            from[p.from],
            to[p.to],
            p.reachable() + p.blocked(),
            p.reachable(),
            p.blocked()
        );
        let mut first = true;
        for (o, n) in OUTCOME_ORDER.iter().zip(p.counts) {
            if n > 0 {
                let _ = write!(
                    buf,
                    "{}\"{}\":{n}",
                    if first { "" } else { "," },
                    o.as_str()
                );
                first = false;
            }
        }
        buf.push_str("}}");
        if buf.len() > 60_000 {
            out.write_all(buf.as_bytes())?;
            buf.clear();
        }
    }
    out.write_all(buf.as_bytes())?;
    if s.pairs.is_empty() {
        writeln!(out, "]\n}}")
    } else {
        writeln!(out, "\n  ]\n}}")
    }
}

/// Decimal digits of `n`.
fn digits(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |d| d as usize + 1)
}

/// A grid cell: `reachable/cells`, and when some are blocked, by what, as curl shows it.
fn grid_text(p: &NamespacePair) -> String {
    use crate::resolve::transport::Outcome;
    let mut text = format!("{}/{}", p.reachable(), p.reachable() + p.blocked());
    let why: Vec<&str> = OUTCOME_ORDER
        .iter()
        .zip(p.counts)
        .filter(|&(o, n)| n > 0 && *o != Outcome::Ok)
        .map(|(o, _)| match o {
            Outcome::Ok => "ok",
            Outcome::Reset => "reset",
            Outcome::TlsError => "tls",
            Outcome::UpstreamError => "503",
            Outcome::BadRequest => "400",
            Outcome::Unauthenticated => "401",
            Outcome::Forbidden => "403",
            Outcome::Depends => "?",
        })
        .collect();
    if !why.is_empty() {
        text.push(' ');
        text.push_str(&why.join(","));
    }
    text
}

/// Writes one text per pair, in order: rows are formatted in parallel, a batch at a time,
/// so that millions of pairs take both cores and a bounded buffer (issue 14).
fn rows(
    s: &NamespaceSummary,
    out: &mut dyn Write,
    row: impl Fn(&mut String, &NamespacePair) + Sync,
) -> io::Result<()> {
    const CHUNK: usize = 4096;
    for batch in s.pairs.chunks(CHUNK * 16) {
        let texts: Vec<String> = batch
            .par_chunks(CHUNK)
            .map(|pairs| {
                let mut buf = String::with_capacity(pairs.len() * 64);
                for p in pairs {
                    row(&mut buf, p);
                }
                buf
            })
            .collect();
        for text in texts {
            out.write_all(text.as_bytes())?;
        }
    }
    Ok(())
}

/// Appends what blocks the pair's cells (`forbidden 70, upstream-error 10`, or `-`) to `buf`.
fn push_results(buf: &mut String, p: &NamespacePair) {
    let mut any = false;
    for (o, n) in OUTCOME_ORDER.iter().zip(p.counts).skip(1) {
        if n > 0 {
            if any {
                buf.push_str(", ");
            }
            let _ = write!(buf, "{} {n}", o.as_str());
            any = true;
        }
    }
    if !any {
        buf.push('-');
    }
}

/// One aligned row per pair, without a table library and without a string per field: fast
/// for millions of pairs (issue 14).
fn long(s: &NamespaceSummary, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let wf = s.from.iter().map(String::len).max().unwrap_or(0).max(4);
    let wt = s.to.iter().map(String::len).max().unwrap_or(0).max(2);
    let widest =
        |f: fn(&NamespacePair) -> u64| s.pairs.iter().map(|p| digits(f(p))).max().unwrap_or(0);
    let wc = widest(|p| p.reachable() + p.blocked()).max(5);
    let wr = widest(NamespacePair::reachable).max(9);
    let wb = widest(NamespacePair::blocked).max(7);
    if !style.quiet {
        writeln!(
            out,
            "{:wf$}  {:wt$}  {:>wc$}  {:>wr$}  {:>wb$}  BLOCKED BY RESULT",
            "FROM", "TO", "CELLS", "REACHABLE", "BLOCKED"
        )?;
    }
    rows(s, out, |buf, p| {
        let (r, b) = (p.reachable(), p.blocked());
        let _ = write!(
            buf,
            "{:wf$}  {:wt$}  {:>wc$}  ",
            s.from[p.from],
            s.to[p.to],
            r + b
        );
        if style.color && r > 0 {
            buf.push_str(&Tone::Good.paint(&format!("{r:>wr$}"), true));
        } else {
            let _ = write!(buf, "{r:>wr$}");
        }
        buf.push_str("  ");
        if style.color && b > 0 {
            buf.push_str(&pair_tone(p).paint(&format!("{b:>wb$}"), true));
        } else {
            let _ = write!(buf, "{b:>wb$}");
        }
        buf.push_str("  ");
        push_results(buf, p);
        buf.push('\n');
    })?;
    if !style.quiet {
        writeln!(out, "{}", totals(s))?;
    }
    Ok(())
}

/// The namespace grid: `reachable/cells` per pair, split into column groups to fit the width.
fn grid(s: &NamespaceSummary, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if s.pairs.is_empty() {
        writeln!(
            out,
            "no cells: no client workload or no service port selected"
        )?;
        return Ok(());
    }
    let mut cells = vec![None; s.from.len() * s.to.len()];
    for p in &s.pairs {
        cells[p.from * s.to.len() + p.to] = Some(p);
    }
    // `reachable/cells`, then what blocks the rest (`2/4 503`, `0/4 reset,403`).
    let texts: Vec<String> = cells
        .iter()
        .map(|c| match c {
            None => "-".to_owned(),
            Some(p) => grid_text(p),
        })
        .collect();
    let first = s.from.iter().map(String::len).max().unwrap_or(0).max(9) + 4;
    let mut groups = Vec::new();
    let (mut start, mut used) = (0, first);
    for (i, t) in s.to.iter().enumerate() {
        let widest = (0..s.from.len())
            .map(|f| texts[f * s.to.len() + i].chars().count())
            .max()
            .unwrap_or(0);
        let w = t.len().max(widest) + 3;
        if i > start && used + w > style.width {
            groups.push(start..i);
            (start, used) = (i, first);
        }
        used += w;
    }
    groups.push(start..s.to.len());
    for (gi, g) in groups.iter().enumerate() {
        if groups.len() > 1 && !style.quiet {
            if gi > 0 {
                writeln!(out)?;
            }
            writeln!(
                out,
                "service namespaces {}–{} of {}",
                g.start + 1,
                g.end,
                s.to.len()
            )?;
        }
        let mut table = Table::new();
        table
            .load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        if style.color {
            table.enforce_styling();
        } else {
            table.force_no_tty();
        }
        let mut header = vec![Cell::new("FROM \\ TO")];
        header.extend(s.to[g.clone()].iter().map(Cell::new));
        table.set_header(header);
        for (fi, f) in s.from.iter().enumerate() {
            let mut row = vec![Cell::new(f)];
            for ti in g.clone() {
                row.push(match cells[fi * s.to.len() + ti] {
                    None => Cell::new("-"),
                    Some(p) => {
                        let c = Cell::new(&texts[fi * s.to.len() + ti]);
                        if style.color {
                            c.fg(pair_tone(p).comfy())
                        } else {
                            c
                        }
                    }
                });
            }
            table.add_row(row);
        }
        writeln!(out, "{table}")?;
    }
    if !style.quiet {
        let line = format!(
            "reachable/cells per pair, then what blocks the others (reset, tls: TLS handshake \
             failed, 503 upstream error, 400, 401, 403, ? depends); {}",
            totals(s)
        );
        for l in crate::report::wrap_lines(&line, style.width, "", "  ") {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}
