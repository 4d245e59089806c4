//! `meshlint diff`: what a change does to the mesh — the reachability cells whose outcome
//! changes, grouped as newly blocked, newly allowed and changed, and the findings that are new
//! or fixed — and its renderers (text, JSON, markdown for a pull-request comment, GitHub
//! annotations). The command builds a [`MeshDiff`]; these files only show it.

use std::io::Write;

use crate::diagnostic::{Finding, Severity};
use crate::resolve::cell::JsonCell;

mod github;
mod json;
mod markdown;
mod text;

/// How a cell's outcome moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Change {
    /// Allowed (or undecided) before, refused now: a 401, 403, 503, reset or failed handshake.
    NewlyBlocked,
    /// Refused before, allowed now.
    NewlyAllowed,
    /// Any other move: one refusal for another (403 → 503), or to or from `depends`.
    Changed,
}

impl Change {
    pub fn title(self) -> &'static str {
        match self {
            Change::NewlyBlocked => "Newly blocked",
            Change::NewlyAllowed => "Newly allowed",
            Change::Changed => "Changed",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Change::NewlyBlocked => "newly_blocked",
            Change::NewlyAllowed => "newly_allowed",
            Change::Changed => "changed",
        }
    }
}

/// Refused: anything but `ok` and the undecided `depends`.
fn blocked(c: &JsonCell) -> bool {
    !matches!(c.result, "ok" | "depends")
}

/// How `before` moved to `after`; `None` when curl would see the same thing.
pub fn change(before: &JsonCell, after: &JsonCell) -> Option<Change> {
    if before.code() == after.code() && before.result == after.result {
        return None;
    }
    Some(match (blocked(before), blocked(after)) {
        (false, true) => Change::NewlyBlocked,
        (true, false) if after.result == "ok" => Change::NewlyAllowed,
        _ => Change::Changed,
    })
}

/// One cell that moved: `from` and `to` are in both cells.
#[derive(Debug, Clone)]
pub struct CellChange {
    pub change: Change,
    pub before: JsonCell,
    pub after: JsonCell,
}

/// Everything the renderers show.
#[derive(Debug)]
pub struct MeshDiff {
    /// How the two sides are named (`origin/main`, a path, `<stdin>`).
    pub base: String,
    pub head: String,
    pub istio_version: String,
    /// The namespaces the change can reach (empty with `whole_mesh`).
    pub namespaces: Vec<String>,
    pub whole_mesh: bool,
    /// Objects added, removed or changed.
    pub changed_objects: usize,
    /// Cells judged on both sides.
    pub compared: usize,
    /// Cells on one side only (a client or service port added or removed).
    pub only_base: usize,
    pub only_head: usize,
    /// Sorted by change, then client, then service port.
    pub cells: Vec<CellChange>,
    pub new: Vec<Finding>,
    pub fixed: Vec<Finding>,
    /// `--fail-on` (`None`: never).
    pub fail_on: Option<Severity>,
}

impl MeshDiff {
    pub fn count(&self, change: Change) -> usize {
        self.cells.iter().filter(|c| c.change == change).count()
    }

    /// New findings at or above `--fail-on`.
    pub fn failing_findings(&self) -> usize {
        self.fail_on
            .map_or(0, |t| self.new.iter().filter(|f| f.severity >= t).count())
    }

    /// Exit 1: a cell became blocked or a new finding fails the run.
    pub fn fails(&self) -> bool {
        self.count(Change::NewlyBlocked) > 0 || self.failing_findings() > 0
    }

    /// Where cells were compared: "the whole mesh" or "namespaces foo, bar".
    pub fn scope_text(&self) -> String {
        if self.whole_mesh {
            "the whole mesh".to_owned()
        } else if self.namespaces.is_empty() {
            "no namespace (nothing that decides a request changed)".to_owned()
        } else {
            format!(
                "the cells from or to namespace{} {}",
                if self.namespaces.len() == 1 { "" } else { "s" },
                self.namespaces.join(", ")
            )
        }
    }
}

/// `diff -o`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
    Markdown,
    Github,
}

/// Options of the text formats.
#[derive(Debug, Clone, Copy)]
pub struct DiffStyle {
    pub color: bool,
    /// Rows per table (text, markdown) and cell annotations (github); the rest are counted.
    pub limit: usize,
}

pub fn render(
    format: DiffFormat,
    diff: &MeshDiff,
    style: DiffStyle,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    match format {
        DiffFormat::Text => text::render(diff, style, out),
        DiffFormat::Json => json::render(diff, out),
        DiffFormat::Markdown => markdown::render(diff, style, out),
        DiffFormat::Github => github::render(diff, style, out),
    }
}

/// Why a moved cell is what it is now; for a newly allowed one, what refused it before (the
/// policy that no longer does is the news).
fn why(c: &CellChange) -> String {
    if c.change == Change::NewlyAllowed {
        format!("was: {}", c.before.reason)
    } else {
        c.after.reason.clone()
    }
}

/// `foo/sleep → httpbin.foo:8000`.
fn cell_name(c: &CellChange) -> String {
    format!("{} → {}", c.after.from, c.after.to)
}

/// The summary line every format starts or ends with.
fn summary(d: &MeshDiff) -> String {
    format!(
        "{} cell{} changed ({} newly blocked, {} newly allowed, {} changed) of {} compared in {}; {} new finding{}, {} fixed",
        d.cells.len(),
        if d.cells.len() == 1 { "" } else { "s" },
        d.count(Change::NewlyBlocked),
        d.count(Change::NewlyAllowed),
        d.count(Change::Changed),
        d.compared,
        d.scope_text(),
        d.new.len(),
        if d.new.len() == 1 { "" } else { "s" },
        d.fixed.len()
    )
}

#[cfg(test)]
mod tests;
