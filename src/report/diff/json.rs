//! `diff -o json`: `{"version":1,"cells":[{"from","to","change","before":{cell},"after":{cell}}],
//! "findings":{"new":[…],"fixed":[…]},"summary":{…}}`, where a cell is the matrix cell object
//! (SPEC §5) and a finding the `analyze -o json` one.

use std::io::Write;

use serde::Serialize;

use super::{Change, MeshDiff};
use crate::report::json::{JsonFinding, finding};
use crate::resolve::cell::JsonCell;

#[derive(Serialize)]
struct Cell<'a> {
    from: &'a str,
    to: &'a str,
    change: &'static str,
    before: &'a JsonCell,
    after: &'a JsonCell,
}

#[derive(Serialize)]
struct Summary<'a> {
    newly_blocked: usize,
    newly_allowed: usize,
    changed: usize,
    compared: usize,
    only_base: usize,
    only_head: usize,
    changed_objects: usize,
    whole_mesh: bool,
    namespaces: &'a [String],
    new_findings: usize,
    fixed_findings: usize,
    failed: bool,
}

pub fn render(d: &MeshDiff, out: &mut dyn Write) -> std::io::Result<()> {
    let cells: Vec<Cell<'_>> = d
        .cells
        .iter()
        .map(|c| Cell {
            from: &c.after.from,
            to: &c.after.to,
            change: c.change.key(),
            before: &c.before,
            after: &c.after,
        })
        .collect();
    let summary = Summary {
        newly_blocked: d.count(Change::NewlyBlocked),
        newly_allowed: d.count(Change::NewlyAllowed),
        changed: d.count(Change::Changed),
        compared: d.compared,
        only_base: d.only_base,
        only_head: d.only_head,
        changed_objects: d.changed_objects,
        whole_mesh: d.whole_mesh,
        namespaces: &d.namespaces,
        new_findings: d.new.len(),
        fixed_findings: d.fixed.len(),
        failed: d.fails(),
    };
    // One cell or finding per line, as `matrix -o json` writes cells: a large diff stays
    // readable with grep and cheap to write.
    writeln!(out, "{{")?;
    writeln!(out, "  \"version\": 1,")?;
    writeln!(out, "  \"istio_version\": {},", compact(&d.istio_version))?;
    writeln!(out, "  \"base\": {},", compact(&d.base))?;
    writeln!(out, "  \"head\": {},", compact(&d.head))?;
    list(out, "cells", &cells, "  ")?;
    writeln!(out, ",\n  \"findings\": {{")?;
    let new: Vec<JsonFinding<'_>> = d.new.iter().map(finding).collect();
    let fixed: Vec<JsonFinding<'_>> = d.fixed.iter().map(finding).collect();
    list(out, "new", &new, "    ")?;
    writeln!(out, ",")?;
    list(out, "fixed", &fixed, "    ")?;
    writeln!(out, "\n  }},")?;
    writeln!(out, "  \"summary\": {}", compact(&summary))?;
    writeln!(out, "}}")
}

/// `"name": [` then one compact item per line, then `]` (no newline after it).
fn list<T: Serialize>(
    out: &mut dyn Write,
    name: &str,
    items: &[T],
    indent: &str,
) -> std::io::Result<()> {
    if items.is_empty() {
        return write!(out, "{indent}\"{name}\": []");
    }
    writeln!(out, "{indent}\"{name}\": [")?;
    for (i, item) in items.iter().enumerate() {
        let sep = if i + 1 < items.len() { "," } else { "" };
        writeln!(out, "{indent}  {}{sep}", compact(item))?;
    }
    write!(out, "{indent}]")
}

/// Compact JSON of a value that always serializes (strings, counts).
fn compact<T: Serialize + ?Sized>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}
