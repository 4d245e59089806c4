//! `meshlint describe`: the views the command gathers (everything already decided) and their
//! renderers. JSON is these structs as they are; text follows `istioctl x describe` wording
//! where it has one (research/istioctl.md §4).

use std::io::Write;

pub use crate::resolve::describe::view::*;

pub mod text;

/// Renders the JSON document.
pub fn render_json(doc: &DescribeDoc, out: &mut dyn Write) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, doc).map_err(std::io::Error::from)?;
    writeln!(out)
}
