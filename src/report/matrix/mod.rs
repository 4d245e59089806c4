//! Renderers of `meshlint matrix` (and the namespace summary of `--by namespace`). They only
//! format: every cell was decided by `resolve::reach` (through `resolve::classes`).
//!
//! Formats: `table` (rows client workloads, columns service ports; split into several tables
//! when the columns do not fit the width), `wide` (one row per cell with the TLS on each side
//! and the deciding resources), `json` (SPEC §5, one cell per line), `csv`, `markdown`, and
//! `lines` (the curl loop of Istio's docs).

use std::io::{self, Write};

use serde::Serialize;

use crate::analysis::Analysis;
use crate::resolve::cell::{JsonCell, JsonRef, json_cell};
use crate::resolve::classes::{ClassMatrix, NamespaceSummary};

pub mod csv;
pub mod grid;
pub mod json;
pub mod lines;
pub mod summary;
pub mod table;
pub mod wide;

/// Output formats of `matrix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatrixFormat {
    /// A grid that fits the terminal (long form when it does not).
    Table,
    /// The grid whatever its width.
    Wide,
    Json,
    Csv,
    Markdown,
    /// `sleep.foo to httpbin.foo: 200`, one line per cell, as Istio's curl loops print.
    Lines,
}

/// The request the matrix stands for, as JSON shows it (never the token itself).
#[derive(Debug, Clone, Default, Serialize)]
pub struct RequestJson {
    pub method: String,
    pub path: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub host: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub headers: Vec<String>,
    /// The token by issuer and subject only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<TokenJson>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub now: Option<String>,
    /// `jwksUri`s given key sets with `--jwks` (the files are not shown).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub jwks: Vec<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TokenJson {
    pub issuer: Option<String>,
    pub subject: Option<String>,
}

/// How text formats look.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub color: bool,
    pub quiet: bool,
    /// Width the table format fits into.
    pub width: usize,
}

/// One service port column.
#[derive(Debug, Clone)]
pub struct TargetView {
    /// `svc.ns:port`.
    pub name: String,
    /// `svc.ns`, as the curl loop names it.
    pub host: String,
    /// The Service's namespace: columns come grouped by it.
    pub namespace: String,
    /// The service has several ports in the matrix, so `lines` names the port too.
    pub several_ports: bool,
}

/// Everything the renderers show: distinct cells (their `from` left empty) and which one
/// applies to each (client, target) pair.
pub struct MatrixView {
    pub istio_version: String,
    pub request: RequestJson,
    /// Client workloads as `ns/name`, in output order.
    pub clients: Vec<String>,
    pub targets: Vec<TargetView>,
    pub cells: Vec<JsonCell>,
    /// Row-major: `index[ci * targets.len() + ti]`.
    pub index: Vec<u32>,
    /// Clients and service ports that policies imply (facts/implied.rs): stand-ins the inputs
    /// do not hold, named under the table and in JSON (issue 13).
    pub implied: Vec<String>,
    /// Per distinct cell, whether list formats show it (`--only`, `--result`); `None`: all.
    pub shown: Option<Vec<bool>>,
}

impl MatrixView {
    pub fn new(a: &Analysis, m: &ClassMatrix, request: RequestJson) -> MatrixView {
        let mut targets: Vec<TargetView> = m
            .targets
            .iter()
            .map(|&(s, p)| {
                let svc = &a.inv.services[s];
                let host = format!("{}.{}", svc.name, svc.namespace);
                TargetView {
                    name: format!("{host}:{}", svc.ports[p].port),
                    host,
                    namespace: svc.namespace.clone(),
                    several_ports: false,
                }
            })
            .collect();
        let mut per_host: std::collections::HashMap<String, usize> =
            std::collections::HashMap::new();
        for t in &targets {
            *per_host.entry(t.host.clone()).or_default() += 1;
        }
        for t in &mut targets {
            t.several_ports = per_host[&t.host] > 1;
        }
        let mut implied: Vec<String> = m
            .clients
            .iter()
            .filter(|&&c| a.is_implied(a.inv.workloads[c].object))
            .map(|&c| a.inv.workloads[c].id())
            .collect();
        implied.extend(
            m.targets
                .iter()
                .zip(&targets)
                .filter(|((s, _), _)| a.inv.services[*s].object.is_some_and(|o| a.is_implied(o)))
                .map(|(_, t)| t.name.clone()),
        );
        MatrixView {
            implied,
            istio_version: a.profile.version.to_string(),
            request,
            clients: m.clients.iter().map(|&c| a.inv.workloads[c].id()).collect(),
            targets,
            cells: m
                .cells
                .iter()
                .map(|c| {
                    let mut j = json_cell(a, c);
                    j.from = String::new();
                    j
                })
                .collect(),
            index: m.index.clone(),
            shown: None,
        }
    }

    /// Keeps the cells `keep` accepts: list formats (lines, csv, json) show only them, and
    /// every format drops the clients and service ports that have none (`--only`, `--result`).
    pub fn retain(&mut self, keep: impl Fn(&JsonCell) -> bool) {
        let shown: Vec<bool> = self.cells.iter().map(keep).collect();
        let t = self.targets.len();
        let hit = |ci: usize, ti: usize| shown[self.index[ci * t + ti] as usize];
        let rows: Vec<usize> = (0..self.clients.len())
            .filter(|&ci| (0..t).any(|ti| hit(ci, ti)))
            .collect();
        let cols: Vec<usize> = (0..t)
            .filter(|&ti| (0..self.clients.len()).any(|ci| hit(ci, ti)))
            .collect();
        let mut index = Vec::with_capacity(rows.len() * cols.len());
        for &ci in &rows {
            index.extend(cols.iter().map(|&ti| self.index[ci * t + ti]));
        }
        self.clients = rows.iter().map(|&ci| self.clients[ci].clone()).collect();
        self.targets = cols.iter().map(|&ti| self.targets[ti].clone()).collect();
        self.index = index;
        self.shown = Some(shown);
    }

    /// Whether list formats show distinct cell `i`.
    pub fn is_shown(&self, i: usize) -> bool {
        self.shown.as_ref().is_none_or(|s| s[i])
    }

    /// What the grid formats print for distinct cell `i`: its code, or `·` when `--only` or
    /// `--result` leave it out (its row and column stay for the cells they keep).
    pub fn shown_code(&self, i: usize) -> String {
        if self.is_shown(i) {
            self.cells[i].code()
        } else {
            HIDDEN.to_owned()
        }
    }

    pub fn cell(&self, ci: usize, ti: usize) -> &JsonCell {
        &self.cells[self.index[ci * self.targets.len() + ti] as usize]
    }

    /// Every shown (client, target, cell), clients outer.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &TargetView, &JsonCell)> {
        self.clients.iter().enumerate().flat_map(move |(ci, c)| {
            self.targets.iter().enumerate().filter_map(move |(ti, t)| {
                let i = self.index[ci * self.targets.len() + ti] as usize;
                self.is_shown(i).then(|| (c.as_str(), t, &self.cells[i]))
            })
        })
    }
}

/// Colour class of a result: green ok, yellow 503, red everything else.
pub fn tone(result: &str) -> Tone {
    match result {
        "ok" => Tone::Good,
        "upstream-error" => Tone::Warn,
        _ => Tone::Bad,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    Good,
    Warn,
    Bad,
}

impl Tone {
    pub fn comfy(self) -> comfy_table::Color {
        match self {
            Tone::Good => comfy_table::Color::Green,
            Tone::Warn => comfy_table::Color::Yellow,
            Tone::Bad => comfy_table::Color::Red,
        }
    }

    /// `text` in this colour (ANSI), or as is.
    pub fn paint(self, text: &str, color: bool) -> String {
        if !color {
            return text.to_owned();
        }
        let code = match self {
            Tone::Good => 32,
            Tone::Warn => 33,
            Tone::Bad => 31,
        };
        format!("\x1b[{code}m{text}\x1b[0m")
    }
}

/// `Kind ns/name (file:line)`.
pub fn resource(r: &JsonRef) -> String {
    let ns = r
        .namespace
        .as_deref()
        .map_or(String::new(), |n| format!("{n}/"));
    let line = r.line.map_or(String::new(), |l| format!(":{l}"));
    format!("{} {ns}{} ({}{line})", r.kind, r.name, r.file)
}

/// A cell `--only`/`--result` leave out, in the grid formats.
const HIDDEN: &str = "·";

/// What the codes that appear in the view mean, one clause each, for the line under the table
/// (issue 15); `None` when only plain HTTP codes appear. Curl's exit codes are from curl(1):
/// 35 "SSL connect error", 56 "Failure in receiving network data".
pub fn legend(view: &MatrixView) -> Option<String> {
    let codes: std::collections::BTreeSet<String> = view
        .cells
        .iter()
        .enumerate()
        .filter(|&(i, _)| view.is_shown(i))
        .map(|(_, c)| c.code())
        .collect();
    let mut parts: Vec<&str> = Vec::new();
    let has = |f: &dyn Fn(&str) -> bool| codes.iter().any(|c| f(c.trim_end_matches('*')));
    if has(&|c| c.starts_with("000")) {
        parts.push("000 no HTTP response");
    }
    if has(&|c| c.ends_with("/35")) {
        parts.push("…/35 TLS handshake failed (curl exit 35)");
    }
    if has(&|c| c.ends_with("/56")) {
        parts.push("…/56 connection reset (curl exit 56)");
    }
    if has(&|c| c.starts_with("tcp")) {
        parts.push("tcp a TCP port that accepts the connection (tcp/56: reset)");
    }
    if has(&|c| c == "400") {
        parts.push("400 a proxy refuses the request as malformed (before any policy)");
    }
    if has(&|c| c == "?") {
        parts.push("? the inputs do not decide it (-o json: depends_on)");
    }
    if codes.iter().any(|c| c.ends_with('*')) {
        parts.push("* only some endpoints give it (meshlint check lists each)");
    }
    if view.index.iter().any(|&i| !view.is_shown(i as usize)) {
        parts.push("· left out by --only/--result");
    }
    (!parts.is_empty()).then(|| format!("codes: {}", parts.join("; ")))
}

/// What each result word of the summary means, for the words it uses.
pub fn results_legend(view: &MatrixView) -> Option<String> {
    use crate::resolve::transport::Outcome;
    let used: std::collections::BTreeSet<&str> = view.iter().map(|(_, _, c)| c.result).collect();
    let parts: Vec<String> = crate::resolve::classes::OUTCOME_ORDER
        .iter()
        .filter(|o| **o != Outcome::Ok && used.contains(o.as_str()))
        .map(|o| format!("{} — {}", o.as_str(), result_meaning(*o)))
        .collect();
    (!parts.is_empty()).then(|| format!("results: {}", parts.join("; ")))
}

/// A result word as the summary and the legend explain it (research/istio-semantics.md §6,
/// the observable results matrix and its legend; 401 and 403: research/authz-semantics.md §1).
fn result_meaning(o: crate::resolve::transport::Outcome) -> &'static str {
    use crate::resolve::transport::Outcome;
    match o {
        Outcome::Ok => "the request got through",
        Outcome::Reset => "the connection was reset (e.g. plaintext to a STRICT server)",
        Outcome::TlsError => "the TLS handshake failed",
        Outcome::UpstreamError => {
            "503: the client sidecar could not connect (mTLS settings disagree)"
        }
        Outcome::BadRequest => "400: malformed request",
        Outcome::Unauthenticated => "401: an invalid token (RequestAuthentication)",
        Outcome::Forbidden => {
            "403 (a closed connection on TCP ports): an authorization policy, or a token's \
             audience, refused it"
        }
        Outcome::Depends => "the inputs do not decide it",
    }
}

/// The lines under a grid: the summary, the legends and the implied stand-ins, each wrapped to
/// the width (omitted with `-q`).
pub(crate) fn footer(view: &MatrixView, style: Style, out: &mut dyn Write) -> io::Result<()> {
    if style.quiet {
        return Ok(());
    }
    let lines = [
        Some(summary_line(view)),
        legend(view),
        results_legend(view),
        implied_line(view),
    ];
    for line in lines.into_iter().flatten() {
        for l in crate::report::wrap_lines(&line, style.width, "", "  ") {
            writeln!(out, "{l}")?;
        }
    }
    Ok(())
}

/// Why a grid has no cells: nothing selected, or nothing `--only`/`--result` keep.
pub(crate) fn no_cells(view: &MatrixView) -> &'static str {
    if view.shown.is_some() {
        "no cells: none has the result --only/--result ask for"
    } else {
        "no cells: no client workload or no service port selected"
    }
}

/// The line that names the implied clients and service ports, when there are any.
pub fn implied_line(view: &MatrixView) -> Option<String> {
    (!view.implied.is_empty()).then(|| {
        format!(
            "implied by policies (the inputs hold no workload there): {}",
            view.implied.join(", ")
        )
    })
}

/// "N cells: a ok, b reset, …" in the order of the result vocabulary.
pub fn summary_line(view: &MatrixView) -> String {
    use crate::resolve::classes::OUTCOME_ORDER;
    let mut counts = [0usize; OUTCOME_ORDER.len()];
    for (_, _, c) in view.iter() {
        if let Some(i) = OUTCOME_ORDER.iter().position(|o| o.as_str() == c.result) {
            counts[i] += 1;
        }
    }
    let total: usize = counts.iter().sum();
    let parts: Vec<String> = OUTCOME_ORDER
        .iter()
        .zip(counts)
        .filter(|(_, n)| *n > 0)
        .map(|(o, n)| format!("{n} {}", o.as_str()))
        .collect();
    let parts = if parts.is_empty() {
        String::new()
    } else {
        format!(": {}", parts.join(", "))
    };
    format!(
        "{total} cells ({} clients × {} service ports){parts}",
        view.clients.len(),
        view.targets.len()
    )
}

pub fn render(
    format: MatrixFormat,
    view: &MatrixView,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    match format {
        MatrixFormat::Table => table::render(view, style, out),
        MatrixFormat::Wide => wide::render(view, style, out),
        MatrixFormat::Json => json::render(view, out),
        MatrixFormat::Csv => csv::render(view, style, out),
        MatrixFormat::Markdown => table::render_markdown(view, out),
        MatrixFormat::Lines => lines::render(view, out),
    }
}

pub fn render_summary(
    format: MatrixFormat,
    s: &NamespaceSummary,
    istio_version: &str,
    request: &RequestJson,
    style: Style,
    out: &mut dyn Write,
) -> io::Result<()> {
    summary::render(format, s, istio_version, request, style, out)
}

/// One CSV field (RFC 4180): quoted when it holds a comma, quote, CR or LF.
pub fn csv_field(s: &str) -> std::borrow::Cow<'_, str> {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\"")).into()
    } else {
        s.into()
    }
}

/// One markdown table field: pipes escaped, line breaks as `<br>`.
pub fn md_field(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', "<br>")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_quoting() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
    }
}
