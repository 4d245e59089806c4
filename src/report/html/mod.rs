//! `meshlint report`: one self-contained HTML page — the summary, the findings (filterable by
//! severity, rule and namespace, each with its rule's explanation), the namespace × namespace
//! reachability heatmap with the cell mix and the deciding policies of each pair, the
//! workload grid of a pair, and a describe view per workload. Styles, script and data are
//! inline (no network fetch); the page is built from one JSON document by the inline script.
//!
//! Contract for tests and tools: each heatmap cell is an element with `data-from`, `data-to`,
//! `data-ok` and `data-blocked`; each finding row has `data-code`; when the script has built
//! the page, `<body data-ready="1">`, and a script error sets `data-errors`.

use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

/// Everything the page shows, embedded as JSON.
#[derive(Debug, Serialize)]
pub struct ReportData {
    pub version: u32,
    pub istio_version: String,
    /// How the version was chosen.
    pub version_source: String,
    pub inputs: String,
    /// The request every cell stands for (`GET /` by default).
    pub request: String,
    pub summary: Summary,
    /// Rule code → name and explanation, for the rules that gave findings.
    pub rules: BTreeMap<&'static str, RuleDoc>,
    pub findings: Vec<FindingRow>,
    pub heatmap: Heatmap,
    /// Pair key `"from,to"` (heatmap indexes) → the workload grid of that pair, when the mesh is
    /// small enough to hold every cell ([`GRID_CELLS`]).
    pub grids: BTreeMap<String, Grid>,
    /// Why there are no grids or describe views, when there are none.
    pub notes: Vec<String>,
    /// Per workload: its describe view as text (at most [`DESCRIBED`] workloads).
    pub workloads: Vec<Described>,
}

/// The most cells for which the page carries every workload grid.
pub const GRID_CELLS: usize = 250_000;
/// The most workloads given a describe view.
pub const DESCRIBED: usize = 300;
/// About the most bytes of describe text the page carries.
pub const DESCRIBE_BYTES: usize = 2_000_000;
/// The most rows or columns of the heatmap: beyond, namespaces are grouped in sorted runs.
pub const HEATMAP_MAX: usize = 250;

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
    pub resources: usize,
    pub files: usize,
    pub workloads: usize,
    pub service_ports: usize,
    pub namespaces: usize,
    /// Every cell: `reachable` + `blocked` + `depends`.
    pub cells: u64,
    pub reachable: u64,
    pub blocked: u64,
    /// Cells whose outcome the inputs do not decide.
    pub depends: u64,
}

#[derive(Debug, Serialize)]
pub struct RuleDoc {
    pub name: &'static str,
    pub doc: String,
}

#[derive(Debug, Serialize)]
pub struct FindingRow {
    pub code: &'static str,
    pub severity: &'static str,
    pub message: String,
    /// `Kind ns/name`.
    pub resource: Option<String>,
    pub namespace: Option<String>,
    /// `file:line`.
    pub at: Option<String>,
}

/// Client namespaces (rows) × service namespaces (columns), or runs of them.
#[derive(Debug, Default, Serialize)]
pub struct Heatmap {
    pub from: Vec<String>,
    pub to: Vec<String>,
    /// Namespaces per row/column label when grouped (1: one namespace each).
    pub group: usize,
    /// The result names of `counts`, in order (`ok` first).
    pub outcomes: Vec<&'static str>,
    /// `[from, to, counts]` for the pairs with cells.
    pub pairs: Vec<(usize, usize, Vec<u32>)>,
    /// Pair key `"from,to"` → the policies that decided its blocked cells (when known).
    pub deciders: BTreeMap<String, Vec<String>>,
}

/// The workload grid of one namespace pair.
#[derive(Debug, Default, Serialize)]
pub struct Grid {
    pub clients: Vec<String>,
    pub targets: Vec<String>,
    /// Row-major codes as the matrix table shows them (`200`, `503`, `000/56`, `?`).
    pub codes: Vec<Vec<String>>,
}

#[derive(Debug, Serialize)]
pub struct Described {
    pub id: String,
    pub text: String,
}

const PAGE: &str = include_str!("page.html");
const STYLE: &str = include_str!("style.css");
const SCRIPT: &str = include_str!("app.js");

/// Writes the page: the template with the style, the script and the data inlined. The data is
/// JSON compressed with zlib and written in base64 (a mesh of 2,000 namespaces has 12 MB of
/// it); the page inflates it with `DecompressionStream("deflate")`.
pub fn render(data: &ReportData, out: &mut dyn Write) -> std::io::Result<()> {
    let json = serde_json::to_vec(data).map_err(std::io::Error::other)?;
    let packed = encode_data(&json);
    let title = format!("meshlint report — Istio {}", data.istio_version);
    let page = PAGE
        .replace("{{TITLE}}", &escape(&title))
        .replace("{{STYLE}}", STYLE)
        .replace("{{SCRIPT}}", SCRIPT);
    // The data goes in last, so nothing in it is taken for a placeholder.
    let (before, after) = page.split_once("{{DATA}}").unwrap_or((&page, ""));
    out.write_all(before.as_bytes())?;
    out.write_all(packed.as_bytes())?;
    out.write_all(after.as_bytes())
}

/// zlib, then base64: the text of the `#report-data` element (base64 never holds `<`).
pub fn encode_data(json: &[u8]) -> String {
    use base64::Engine as _;
    let zlib = miniz_oxide::deflate::compress_to_vec_zlib(json, 6);
    base64::engine::general_purpose::STANDARD.encode(zlib)
}

/// The JSON of an `encode_data` text.
///
/// Errors: the text is not base64, or not zlib data.
pub fn decode_data(text: &str) -> Result<Vec<u8>, String> {
    use base64::Engine as _;
    let zlib = base64::engine::general_purpose::STANDARD
        .decode(text.trim())
        .map_err(|e| e.to_string())?;
    miniz_oxide::inflate::decompress_to_vec_zlib(&zlib).map_err(|e| format!("{e:?}"))
}

/// HTML text escaping.
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_cannot_close_the_script_and_round_trips() {
        let data = ReportData {
            version: 1,
            istio_version: "1.31".into(),
            version_source: String::new(),
            inputs: "</script><script>alert(1)</script>".into(),
            request: "GET /".into(),
            summary: Summary::default(),
            rules: BTreeMap::new(),
            findings: Vec::new(),
            heatmap: Heatmap::default(),
            grids: BTreeMap::new(),
            notes: Vec::new(),
            workloads: Vec::new(),
        };
        let mut out = Vec::new();
        render(&data, &mut out).unwrap();
        let html = String::from_utf8(out).unwrap();
        assert!(!html.contains("alert(1)"));
        assert_eq!(
            html.matches("</script>").count(),
            2,
            "the data and the app scripts"
        );
        let json = serde_json::to_vec(&data).unwrap();
        assert_eq!(decode_data(&encode_data(&json)).unwrap(), json);
    }
}
