//! A box-drawing table written row by row (the layout of comfy-table's `UTF8_FULL_CONDENSED`,
//! which the matrix used to build in memory): column widths are computed first, from the
//! distinct texts, then every row is written as it comes, so `matrix -o table` and `-o wide`
//! on a million cells hold one row at a time, not a million cell objects (issue 14).
//!
//! Widths are display widths (`unicode-width`, as comfy-table measures them); every cell has
//! one space of padding each side; a cell may hold several lines (`\n`), and its row is as
//! tall as its tallest cell.

use std::io::{self, Write};

use unicode_width::UnicodeWidthStr;

use super::Tone;

/// Display width of the widest line of `text`.
pub fn text_width(text: &str) -> usize {
    text.split('\n')
        .map(UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// One cell: its text and, when colour is on, its tone.
pub struct GridCell<'a> {
    pub text: &'a str,
    pub tone: Option<Tone>,
}

impl<'a> GridCell<'a> {
    pub fn plain(text: &'a str) -> GridCell<'a> {
        GridCell { text, tone: None }
    }
}

/// The writer of one table with fixed column widths (content widths, without padding).
pub struct Grid {
    widths: Vec<usize>,
    color: bool,
}

impl Grid {
    pub fn new(widths: Vec<usize>, color: bool) -> Grid {
        Grid { widths, color }
    }

    fn border(
        &self,
        out: &mut dyn Write,
        left: &str,
        fill: &str,
        mid: &str,
        right: &str,
    ) -> io::Result<()> {
        let mut line = String::from(left);
        for (i, w) in self.widths.iter().enumerate() {
            if i > 0 {
                line.push_str(mid);
            }
            line.push_str(&fill.repeat(w + 2));
        }
        line.push_str(right);
        writeln!(out, "{line}")
    }

    /// The top border.
    pub fn top(&self, out: &mut dyn Write) -> io::Result<()> {
        self.border(out, "┌", "─", "┬", "┐")
    }

    /// The bottom border.
    pub fn bottom(&self, out: &mut dyn Write) -> io::Result<()> {
        self.border(out, "└", "─", "┴", "┘")
    }

    /// A header row and the double line under it.
    pub fn header(&self, out: &mut dyn Write, cells: &[GridCell<'_>]) -> io::Result<()> {
        self.row(out, cells)?;
        self.border(out, "╞", "═", "╪", "╡")
    }

    /// One row (one line per line of its tallest cell).
    pub fn row(&self, out: &mut dyn Write, cells: &[GridCell<'_>]) -> io::Result<()> {
        let height = cells
            .iter()
            .map(|c| c.text.split('\n').count())
            .max()
            .unwrap_or(1);
        let mut line = String::new();
        for k in 0..height {
            line.clear();
            line.push('│');
            for (i, (cell, &w)) in cells.iter().zip(&self.widths).enumerate() {
                if i > 0 {
                    line.push('┆');
                }
                let part = cell.text.split('\n').nth(k).unwrap_or("");
                let pad = w.saturating_sub(UnicodeWidthStr::width(part));
                line.push(' ');
                match cell.tone {
                    Some(t) if self.color && !part.is_empty() => {
                        line.push_str(&t.paint(part, true))
                    }
                    _ => line.push_str(part),
                }
                line.push_str(&" ".repeat(pad + 1));
            }
            line.push('│');
            writeln!(out, "{line}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_padded_to_the_widest_line() {
        let g = Grid::new(vec![4, 5], false);
        let mut out = Vec::new();
        g.top(&mut out).unwrap();
        g.header(&mut out, &[GridCell::plain("A"), GridCell::plain("B")])
            .unwrap();
        g.row(
            &mut out,
            &[GridCell::plain("abcd"), GridCell::plain("x\nyyyyy")],
        )
        .unwrap();
        g.bottom(&mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "┌──────┬───────┐\n│ A    ┆ B     │\n╞══════╪═══════╡\n│ abcd ┆ x     │\n│      ┆ yyyyy │\n└──────┴───────┘\n"
        );
    }
}
