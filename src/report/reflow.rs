//! Markdown text (a rule's documentation, for `explain`) wrapped again to the output width:
//! paragraphs and list items are joined and wrapped, with list items' continuation lines
//! under their text; headings, code blocks and tables stay as written.

/// `doc` with its paragraphs and list items wrapped to `width` columns.
pub fn reflow(doc: &str, width: usize) -> String {
    let mut out: Vec<String> = Vec::new();
    // The chunk being gathered: its first-line prefix, continuation prefix and words.
    let mut chunk: Option<(String, String, String)> = None;
    let flush = |chunk: &mut Option<(String, String, String)>, out: &mut Vec<String>| {
        if let Some((first, rest, text)) = chunk.take() {
            out.extend(super::wrap_lines(&text, width, &first, &rest));
        }
    };
    let mut fenced = false;
    for line in doc.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("```") {
            flush(&mut chunk, &mut out);
            fenced = !fenced;
            out.push(line.to_owned());
            continue;
        }
        if fenced || trimmed.is_empty() || trimmed.starts_with('#') || trimmed.starts_with('|') {
            flush(&mut chunk, &mut out);
            out.push(line.to_owned());
            continue;
        }
        let indent = &line[..line.len() - trimmed.len()];
        if let Some(marker) = list_marker(trimmed) {
            flush(&mut chunk, &mut out);
            let first = format!("{indent}{marker}");
            let rest = " ".repeat(first.chars().count());
            chunk = Some((first, rest, trimmed[marker.len()..].to_owned()));
            continue;
        }
        match &mut chunk {
            Some((_, _, text)) => {
                text.push(' ');
                text.push_str(trimmed);
            }
            None => chunk = Some((indent.to_owned(), indent.to_owned(), trimmed.to_owned())),
        }
    }
    flush(&mut chunk, &mut out);
    out.join("\n")
}

/// `- `, `* ` or `1. ` at the start of a list item.
fn list_marker(line: &str) -> Option<&str> {
    if line.starts_with("- ") || line.starts_with("* ") {
        return Some(&line[..2]);
    }
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    (digits > 0 && line[digits..].starts_with(". ")).then(|| &line[..digits + 2])
}

#[cfg(test)]
mod tests {
    use super::reflow;

    #[test]
    fn paragraphs_and_items_rewrap_code_stays() {
        let doc = "## What it does\nOne two three\nfour five.\n\n- first item\n  goes on\n- second\n\n```yaml\nkey:   value long long long long\n```";
        assert_eq!(
            reflow(doc, 16),
            "## What it does\nOne two three\nfour five.\n\n- first item\n  goes on\n- second\n\n```yaml\nkey:   value long long long long\n```"
        );
        assert_eq!(
            reflow("a b c d e f g h i j k l", 9),
            "a b c d e\nf g h i j\nk l"
        );
        assert_eq!(reflow("- x y z w", 5), "- x y\n  z w");
    }
}
