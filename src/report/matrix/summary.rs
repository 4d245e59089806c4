//! `matrix --by namespace`: client namespace × service namespace, counting the cells that are
//! reachable (`ok`), blocked (a failing result) and undecided (`depends`: the inputs do not
//! decide them), with the ones not ok by result. A pair's cells are all three: a cell the
//! inputs do not decide is counted, never passed off as reachable or blocked.
//!
//! - `table`: a grid (rows client namespaces, columns service namespaces, each cell
//!   `reachable/cells` and what the others get), split into column groups like the workload
//!   table; above 60 namespaces on either side it prints the long form of `wide` instead, since
//!   a grid that size is unread.
//! - `wide`: one aligned row per namespace pair: from, to, cells, reachable, blocked, and the
//!   cells not ok by result (`depends` among them).
//! - `json`: `{"version":1,"istio_version","request","by":"namespace","pairs":[{"from","to",
//!   "cells","reachable","blocked","results":{"ok":n,…}}]}`, one pair per line, zero counts
//!   left out of `results`; `cells` − `reachable` − `blocked` is `results.depends`.
//! - `csv` and `markdown`: one row per pair with a column per result; `lines`:
//!   `foo to bar: 4 reachable, 2 blocked` (`, 1 depends on the inputs` when some do).
//!
//! Pairs without any cell are left out everywhere.

use std::fmt::Write as _;
use std::io::{self, Write};

use comfy_table::{Cell, ContentArrangement, Table, presets};
use rayon::prelude::*;

use super::MatrixFormat;
use super::{RequestJson, Style, Tone, csv_field, md_field};
use crate::resolve::classes::{Counts, NamespaceSummary, OUTCOME_ORDER};

/// Largest grid the table format draws.
const GRID_MAX: usize = 60;

/// Good when every cell is reachable, bad when every cell is blocked, a warning otherwise
/// (some blocked, or some the inputs do not decide).
fn pair_tone(c: &Counts) -> Tone {
    if c.reachable() == c.cells() {
        Tone::Good
    } else if c.blocked() == c.cells() {
        Tone::Bad
    } else {
        Tone::Warn
    }
}

/// `, N depends on the inputs` (`depend` for several), or nothing when the inputs decide
/// every cell.
fn depends_note(depends: u64) -> String {
    match depends {
        0 => String::new(),
        1 => ", 1 depends on the inputs".to_owned(),
        n => format!(", {n} depend on the inputs"),
    }
}

fn totals(s: &NamespaceSummary) -> String {
    let reachable = s.total(Counts::reachable);
    let blocked = s.total(Counts::blocked);
    format!(
        "{} cells in {} namespace pairs ({} client namespaces × {} service namespaces): {reachable} reachable, {blocked} blocked{}",
        s.total(Counts::cells),
        s.pair_count(),
        s.from.len(),
        s.to.len(),
        depends_note(s.total(Counts::depends)),
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
        MatrixFormat::Lines => {
            let pieces = Pieces {
                from: s.from.clone(),
                to: s.to.clone(),
                tail: per_counts(s, |c| {
                    format!(
                        ": {} reachable, {} blocked{}\n",
                        c.reachable(),
                        c.blocked(),
                        depends_note(c.depends())
                    )
                }),
            };
            pieces.write(s, out, ["", ""], " to ")
        }
        MatrixFormat::Csv => {
            if !style.quiet {
                write!(out, "from,to,cells,reachable,blocked")?;
                for o in OUTCOME_ORDER {
                    write!(out, ",{}", o.as_str())?;
                }
                writeln!(out)?;
            }
            let tail = per_counts(s, |c| {
                let mut t = cells_reachable_blocked(c, ",");
                for n in c.0 {
                    let _ = write!(t, ",{n}");
                }
                t.push('\n');
                t
            });
            let pieces = Pieces {
                from: s.from.iter().map(|n| csv_field(n).into_owned()).collect(),
                to: s.to.iter().map(|n| csv_field(n).into_owned()).collect(),
                tail,
            };
            pieces.write(s, out, ["", ""], ",")
        }
        MatrixFormat::Markdown => {
            writeln!(
                out,
                "| from | to | cells | reachable | blocked | not ok by result |"
            )?;
            writeln!(out, "|---|---|---:|---:|---:|---|")?;
            let tail = per_counts(s, |c| {
                let mut t = cells_reachable_blocked(c, " | ");
                t.push_str(" | ");
                push_results(&mut t, c);
                t.push_str(" |\n");
                t
            });
            let pieces = Pieces {
                from: s.from.iter().map(|n| md_field(n)).collect(),
                to: s.to.iter().map(|n| md_field(n)).collect(),
                tail,
            };
            pieces.write(s, out, ["| ", "| "], " | ")
        }
        MatrixFormat::Table if s.from.len() <= GRID_MAX && s.to.len() <= GRID_MAX => {
            grid(s, style, out)
        }
        MatrixFormat::Table | MatrixFormat::Wide => long(s, style, out),
    }
}

/// `{sep}cells{sep}reachable{sep}blocked`; cells count the undecided ones too.
fn cells_reachable_blocked(c: &Counts, sep: &str) -> String {
    format!(
        "{sep}{}{sep}{}{sep}{}",
        c.cells(),
        c.reachable(),
        c.blocked()
    )
}

/// `text` of each distinct entry of `s.counts`, by its index: a pair's counts are formatted
/// once however many pairs share them (issue 14).
fn per_counts(s: &NamespaceSummary, text: impl Fn(&Counts) -> String + Sync + Send) -> Vec<String> {
    s.counts.par_iter().map(text).collect()
}

fn json(
    s: &NamespaceSummary,
    istio_version: &str,
    request: &RequestJson,
    out: &mut dyn Write,
) -> io::Result<()> {
    let q = |v: &str| serde_json::to_string(v).map_err(io::Error::from);
    let from: Vec<String> = s
        .from
        .iter()
        .map(|n| Ok(format!("{{\"from\":{},\"to\":", q(n)?)))
        .collect::<io::Result<_>>()?;
    let to: Vec<String> =
        s.to.iter()
            .map(|n| Ok(format!("{},", q(n)?)))
            .collect::<io::Result<_>>()?;
    let tail = per_counts(s, |c| {
        let mut t = format!(
            "\"cells\":{},\"reachable\":{},\"blocked\":{},\"results\":{{",
            c.cells(),
            c.reachable(),
            c.blocked()
        );
        let mut first = true;
        for (o, n) in c.by_outcome() {
            if n > 0 {
                let _ = write!(t, "{}\"{}\":{n}", if first { "" } else { "," }, o.as_str());
                first = false;
            }
        }
        t.push_str("}}");
        t
    });
    let request = serde_json::to_string(request).map_err(io::Error::from)?;
    write!(
        out,
        "{{\n  \"version\": 1,\n  \"istio_version\": {},\n  \"request\": {request},\n  \"by\": \"namespace\",\n  \"pairs\": [",
        q(istio_version)?
    )?;
    Pieces { from, to, tail }.write(s, out, ["\n    ", ",\n    "], "")?;
    if s.is_empty() {
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
fn grid_text(c: &Counts) -> String {
    use crate::resolve::transport::Outcome;
    let mut text = format!("{}/{}", c.reachable(), c.cells());
    let why: Vec<&str> = c
        .by_outcome()
        .filter(|&(o, n)| n > 0 && o != Outcome::Ok)
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

/// The pieces every row of a format is assembled from, each formatted once (issue 14): the
/// text of each client and service namespace (escaped, quoted or padded as the format wants)
/// and of each distinct count (`NamespaceSummary::counts`).
struct Pieces {
    from: Vec<String>,
    to: Vec<String>,
    tail: Vec<String>,
}

impl Pieces {
    /// Writes each pair, in order, as lead + from + `between` + to + tail, where the lead is
    /// `leads[0]` for the first pair and `leads[1]` for the others. Rows are assembled in
    /// parallel, a batch at a time, so that millions of pairs take both cores and a bounded
    /// buffer.
    fn write(
        &self,
        s: &NamespaceSummary,
        out: &mut dyn Write,
        leads: [&str; 2],
        between: &str,
    ) -> io::Result<()> {
        // Batches of rows, each cut into chunks of rows assembled in parallel.
        const CHUNK: usize = 4096;
        let rows_per_chunk = (CHUNK / s.to.len().max(1)).max(1);
        let rows_per_batch = rows_per_chunk * 16;
        let first = s.pairs().next();
        for batch in (0..s.from.len()).step_by(rows_per_batch) {
            let batch_end = (batch + rows_per_batch).min(s.from.len());
            let texts: Vec<String> = (batch..batch_end)
                .step_by(rows_per_chunk)
                .collect::<Vec<_>>()
                .into_par_iter()
                .map(|start| {
                    let pairs = s.rows(start..(start + rows_per_chunk).min(batch_end));
                    // Sized exactly first: a guess per row short of a JSON row grew each
                    // buffer by copying it, 2 % of `matrix --by namespace -o json` (issue 14,
                    // callgrind).
                    let len = pairs
                        .clone()
                        .map(|p| {
                            leads[1].len()
                                + self.from[p.from as usize].len()
                                + between.len()
                                + self.to[p.to as usize].len()
                                + self.tail[p.counts as usize].len()
                        })
                        .sum::<usize>()
                        + leads[0].len();
                    let mut buf = String::with_capacity(len);
                    for p in pairs {
                        buf.push_str(leads[usize::from(Some(p) != first)]);
                        buf.push_str(&self.from[p.from as usize]);
                        buf.push_str(between);
                        buf.push_str(&self.to[p.to as usize]);
                        buf.push_str(&self.tail[p.counts as usize]);
                    }
                    debug_assert!(buf.len() <= len, "{} > {len}", buf.len());
                    buf
                })
                .collect();
            for text in texts {
                out.write_all(text.as_bytes())?;
            }
        }
        Ok(())
    }
}

/// Appends what the cells that are not ok get (`forbidden 70, upstream-error 10, depends 2`,
/// or `-`) to `buf`.
fn push_results(buf: &mut String, c: &Counts) {
    let mut any = false;
    for (o, n) in c.by_outcome().skip(1) {
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

/// One aligned row per pair, without a table library: the names padded once each, the
/// counts part formatted once per distinct counts, so a row is three copies (issue 14).
fn long(s: &NamespaceSummary, style: Style, out: &mut dyn Write) -> io::Result<()> {
    let wf = s.from.iter().map(String::len).max().unwrap_or(0).max(4);
    let wt = s.to.iter().map(String::len).max().unwrap_or(0).max(2);
    let widest = |f: fn(&Counts) -> u64| s.counts.iter().map(|c| digits(f(c))).max().unwrap_or(0);
    let wc = widest(Counts::cells).max(5);
    let wr = widest(Counts::reachable).max(9);
    let wb = widest(Counts::blocked).max(7);
    if !style.quiet {
        writeln!(
            out,
            "{:wf$}  {:wt$}  {:>wc$}  {:>wr$}  {:>wb$}  NOT OK BY RESULT",
            "FROM", "TO", "CELLS", "REACHABLE", "BLOCKED"
        )?;
    }
    let tail = per_counts(s, |c| {
        let (r, b) = (c.reachable(), c.blocked());
        let mut buf = format!("{:>wc$}  ", c.cells());
        if style.color && r > 0 {
            buf.push_str(&Tone::Good.paint(&format!("{r:>wr$}"), true));
        } else {
            let _ = write!(buf, "{r:>wr$}");
        }
        buf.push_str("  ");
        if style.color && b > 0 {
            buf.push_str(&pair_tone(c).paint(&format!("{b:>wb$}"), true));
        } else {
            let _ = write!(buf, "{b:>wb$}");
        }
        buf.push_str("  ");
        push_results(&mut buf, c);
        buf.push('\n');
        buf
    });
    let pieces = Pieces {
        from: s.from.iter().map(|n| format!("{n:wf$}  ")).collect(),
        to: s.to.iter().map(|n| format!("{n:wt$}  ")).collect(),
        tail,
    };
    pieces.write(s, out, ["", ""], "")?;
    if !style.quiet {
        writeln!(out, "{}", totals(s))?;
    }
    Ok(())
}

/// The namespace grid: `reachable/cells` per pair, split into column groups to fit the width.
fn grid(s: &NamespaceSummary, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if s.is_empty() {
        writeln!(
            out,
            "no cells: no client workload or no service port selected"
        )?;
        return Ok(());
    }
    let mut cells = vec![None; s.from.len() * s.to.len()];
    for p in s.pairs() {
        cells[p.from as usize * s.to.len() + p.to as usize] = Some(s.counts(p));
    }
    // `reachable/cells`, then what the rest get (`2/4 503`, `0/4 reset,403`, `1/3 ?`).
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
            "reachable/cells per pair, then what the others get (reset, tls: TLS handshake \
             failed, 503 upstream error, 400, 401, 403, ? the inputs do not decide it); {}",
            totals(s)
        );
        for l in crate::report::wrap_lines(&line, style.width, "", "  ") {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pairs past an empty first row still make valid JSON and full CSV: the first pair
    /// written is the first that exists, wherever its row and chunk are.
    #[test]
    fn pairs_after_empty_rows_render_whole() {
        let names = |n: usize, p: &str| (0..n).map(|i| format!("{p}{i:05}")).collect::<Vec<_>>();
        // 3,000 client namespaces × 2 service namespaces: several row chunks; the first
        // 2,500 rows have no cells.
        let mut grid = vec![None; 6000];
        for id in &mut grid[5000..] {
            *id = Some(0);
        }
        let s = NamespaceSummary::from_grid(
            names(3000, "c"),
            names(2, "s"),
            &grid,
            vec![Counts([3, 1, 0, 0, 0, 0, 0, 0])],
        );
        let text = |format| {
            let style = Style {
                color: false,
                quiet: false,
                width: 100,
            };
            let mut out = Vec::new();
            render(
                format,
                &s,
                "1.24.0",
                &RequestJson::default(),
                style,
                &mut out,
            )
            .unwrap();
            String::from_utf8(out).unwrap()
        };
        let v: serde_json::Value = serde_json::from_str(&text(MatrixFormat::Json)).unwrap();
        let pairs = v["pairs"].as_array().unwrap();
        assert_eq!(pairs.len(), 1000);
        assert_eq!(pairs[0]["from"], "c02500");
        assert_eq!(pairs[999]["to"], "s00001");
        assert_eq!(text(MatrixFormat::Csv).lines().count(), 1001);
    }
}
