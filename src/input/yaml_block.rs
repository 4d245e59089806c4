//! A fast reader for the plain block YAML that manifests are nearly always written in (issue
//! 14: saphyr-parser's scanner was a quarter of `analyze` on the SPEC §9 corpus).
//!
//! It emits the events saphyr-parser emits for the same text, so the tree builder of
//! `input::yaml` (duplicate keys, merge keys, go-yaml compatibility) is the same for both, or
//! it declines (`None`) at the first thing outside its subset and the document is parsed by
//! saphyr-parser as before. The subset: ASCII text without tabs or carriage returns; block
//! mappings and block sequences (indentless ones under a key too, and a mapping opened on a
//! `- ` line); single-line plain scalars, single-line quoted scalars without escapes, `{}` and
//! `[]`; comments and blank lines. Anything else — anchors, aliases, tags, block scalars,
//! flow collections with content, multi-line scalars, empty values, explicit keys, directives,
//! document markers, and every syntax error — is declined, never guessed. A test builds the
//! trees of every YAML file of the test data both ways and requires them equal.

use std::borrow::Cow;

use saphyr_parser::{Event, Marker, ScalarStyle, Span};

/// Reads one document (`chunk`, without its `---` line), handing each event and its span to
/// `sink` as it is read; `None` when the chunk holds anything outside the subset this reader
/// knows (module doc), in which case `sink` may have had the events before that point.
pub(super) fn read<'a>(chunk: &'a str, sink: impl FnMut(Event<'a>, Span)) -> Option<()> {
    if !chunk.is_ascii() || memchr::memchr2(b'\t', b'\r', chunk.as_bytes()).is_some() {
        return None;
    }
    let mut r = Reader {
        sink,
        stack: Vec::new(),
        pending: false,
        done: false,
    };
    r.emit(Event::StreamStart, at(0, 1, 0));
    r.emit(Event::DocumentStart(false), at(0, 1, 0));
    let (mut offset, mut lines) = (0, 0);
    for (line_no, line) in (1usize..).zip(split_lines(chunk)) {
        lines = line_no;
        let body_len = line.len();
        let indent = line.bytes().take_while(|&b| b == b' ').count();
        let rest = &line[indent..];
        if !(rest.is_empty() || rest.starts_with('#')) {
            if indent == 0
                && (rest.starts_with("---") || rest.starts_with("...") || rest.starts_with('%'))
            {
                return None;
            }
            r.line(
                Place {
                    line: line_no,
                    start: offset,
                },
                indent,
                rest,
            )?;
        }
        offset += body_len + 1;
    }
    if r.pending || (r.stack.is_empty() && !r.done) {
        return None;
    }
    r.close_to(None);
    let end = at(chunk.len(), lines, 0);
    r.emit(Event::DocumentEnd, end);
    r.emit(Event::StreamEnd, end);
    Some(())
}

/// The lines of `text` as `text.split('\n')` gives them, the newlines found a run of bytes
/// at a time: splitting on a `char` searched each short line anew, 4 % of loading
/// (issue 14, callgrind).
fn split_lines(text: &str) -> impl Iterator<Item = &str> {
    let mut start = 0;
    memchr::memchr_iter(b'\n', text.as_bytes())
        .map(Some)
        .chain([None])
        .map(move |newline| {
            let end = newline.unwrap_or(text.len());
            let line = &text[start..end];
            start = end + 1;
            line
        })
}

/// Where the two-byte sequence `first second` starts in `text`: `str::find` with a `&str`
/// pattern set up a substring searcher for every short key and value (issue 14).
fn find_pair(text: &str, first: u8, second: u8) -> Option<usize> {
    text.as_bytes()
        .windows(2)
        .position(|w| w[0] == first && w[1] == second)
}

/// A marker at character `index` (the text is ASCII: characters are bytes), 1-based `line`,
/// 0-based `col`.
fn at(index: usize, line: usize, col: usize) -> Span {
    let m = Marker::new(index, line, col);
    Span::new(m, m)
}

/// Where a line starts: its 1-based number and its byte offset in the chunk.
#[derive(Clone, Copy)]
struct Place {
    line: usize,
    start: usize,
}

impl Place {
    /// The span of `len` characters from column `col`.
    fn span(self, col: usize, len: usize) -> Span {
        Span::new(
            Marker::new(self.start + col, self.line, col),
            Marker::new(self.start + col + len, self.line, col + len),
        )
    }
}

/// An open collection and the column its items start at.
#[derive(Clone, Copy, PartialEq)]
enum Frame {
    Map(usize),
    Seq(usize),
}

impl Frame {
    fn indent(self) -> usize {
        match self {
            Frame::Map(i) | Frame::Seq(i) => i,
        }
    }
}

struct Reader<S> {
    sink: S,
    stack: Vec<Frame>,
    /// The last key read has no value yet (a block collection must follow on later lines).
    pending: bool,
    /// The root node is complete (a second one would be an error).
    done: bool,
}

impl<'a, S: FnMut(Event<'a>, Span)> Reader<S> {
    fn emit(&mut self, event: Event<'a>, span: Span) {
        (self.sink)(event, span);
    }

    /// Closes the open collections indented more than `indent` (all of them for `None`).
    fn close_to(&mut self, indent: Option<usize>) {
        while let Some(&top) = self.stack.last() {
            if indent.is_some_and(|i| top.indent() <= i) {
                break;
            }
            self.stack.pop();
            let end = match top {
                Frame::Map(_) => Event::MappingEnd,
                Frame::Seq(_) => Event::SequenceEnd,
            };
            self.emit(end, at(0, 1, 0));
        }
        if self.stack.is_empty() {
            self.done = true;
        }
    }

    /// One line whose content (`rest`, not blank, not a comment) starts at column `col`.
    fn line(&mut self, place: Place, col: usize, rest: &'a str) -> Option<()> {
        if rest == "-" || rest.starts_with("- ") {
            self.item(place, col, rest)
        } else {
            let key = Key::read(rest)?;
            self.open_map_entry(place, col)?;
            self.entry(place, col, rest, key)
        }
    }

    /// Makes a mapping whose keys start at `col` the open collection, opening it when a key
    /// awaits its value.
    fn open_map_entry(&mut self, place: Place, col: usize) -> Option<()> {
        if self.pending {
            let Some(&Frame::Map(parent)) = self.stack.last() else {
                return None;
            };
            if col <= parent {
                return None;
            }
            self.pending = false;
            return self.open(Frame::Map(col), place.span(col, 0));
        }
        if self.stack.is_empty() {
            if self.done || col != 0 {
                return None;
            }
            return self.open(Frame::Map(col), place.span(col, 0));
        }
        self.close_to(Some(col));
        // An indentless sequence under a key ends at the next key of that mapping.
        if self.stack.last() == Some(&Frame::Seq(col))
            && self.stack.get(self.stack.len().wrapping_sub(2)) == Some(&Frame::Map(col))
        {
            self.stack.pop();
            self.emit(Event::SequenceEnd, at(0, 1, 0));
        }
        (self.stack.last() == Some(&Frame::Map(col))).then_some(())
    }

    fn open(&mut self, frame: Frame, span: Span) -> Option<()> {
        let start = match frame {
            Frame::Map(_) => Event::MappingStart(0, None),
            Frame::Seq(_) => Event::SequenceStart(0, None),
        };
        self.emit(start, span);
        self.stack.push(frame);
        Some(())
    }

    /// A `- ` item at column `col`.
    fn item(&mut self, place: Place, col: usize, rest: &'a str) -> Option<()> {
        let after = rest.get(1..)?;
        let gap = after.bytes().take_while(|&b| b == b' ').count();
        let content = &after[gap..];
        let at_col = col + 1 + gap;
        if content.is_empty()
            || content.starts_with('#')
            || content == "-"
            || content.starts_with("- ")
        {
            return None;
        }
        if self.pending {
            let Some(&Frame::Map(parent)) = self.stack.last() else {
                return None;
            };
            if col < parent {
                return None;
            }
            self.pending = false;
            // saphyr-parser starts an indentless sequence (items at the key's column) where
            // its first item's content starts, an indented one at the `-`.
            let start = if col == parent { at_col } else { col };
            self.open(Frame::Seq(col), place.span(start, 0))?;
        } else {
            self.close_to(Some(col));
            if self.stack.last() != Some(&Frame::Seq(col)) {
                return None;
            }
        }
        match Key::read(content) {
            // A mapping opened on the item's line: its keys start at `at_col`.
            Some(key) => {
                self.open(Frame::Map(at_col), place.span(at_col, 0))?;
                self.entry(place, at_col, content, key)
            }
            None => self.value(place, at_col, content),
        }
    }

    /// A `key: value` entry of the open mapping, the key at column `col`.
    fn entry(&mut self, place: Place, col: usize, rest: &'a str, key: Key<'a>) -> Option<()> {
        self.emit(
            Event::Scalar(Cow::Borrowed(key.text), key.style, 0, None),
            place.span(col, key.text_len),
        );
        let after = &rest[key.colon + 1..];
        let gap = after.bytes().take_while(|&b| b == b' ').count();
        let value = &after[gap..];
        if value.is_empty() || value.starts_with('#') {
            self.pending = true;
            return Some(());
        }
        if gap == 0 {
            return None;
        }
        self.value(place, col + key.colon + 1 + gap, value)
    }

    /// A scalar or a single-line flow collection at column `col`, with nothing but a comment
    /// after it.
    fn value(&mut self, place: Place, col: usize, text: &'a str) -> Option<()> {
        let used = self.node(place, col, text, false)?;
        only_comment(&text[used..]).then_some(())
    }

    /// Emits the node `text` starts with (at column `col`; `flow` inside a flow collection)
    /// and returns how many bytes it took.
    fn node(&mut self, place: Place, col: usize, text: &'a str, flow: bool) -> Option<usize> {
        let (scalar, style, len) = match *text.as_bytes().first()? {
            b'{' | b'[' => return self.flow(place, col, text),
            b'"' | b'\'' => {
                let (inner, style) = quoted(text)?;
                (inner, style, inner.len() + 2)
            }
            _ => {
                let plain = if flow {
                    flow_plain(text)?
                } else {
                    plain(text)?
                };
                (plain, ScalarStyle::Plain, plain.len())
            }
        };
        self.emit(
            Event::Scalar(Cow::Borrowed(scalar), style, 0, None),
            place.span(col, len),
        );
        Some(len)
    }

    /// A flow mapping or sequence closed on its line (`{a: b, c: [d, "e"]}`), without empty
    /// values, `key: value` pairs in a sequence or a trailing comma; returns the bytes it took.
    fn flow(&mut self, place: Place, col: usize, text: &'a str) -> Option<usize> {
        let map = text.starts_with('{');
        let (start, end, close) = if map {
            (Event::MappingStart(0, None), Event::MappingEnd, b'}')
        } else {
            (Event::SequenceStart(0, None), Event::SequenceEnd, b']')
        };
        self.emit(start, place.span(col, 1));
        let bytes = text.as_bytes();
        let skip = |mut i: usize| {
            while bytes.get(i) == Some(&b' ') {
                i += 1;
            }
            i
        };
        let mut i = skip(1);
        if bytes.get(i) == Some(&close) {
            self.emit(end, place.span(col + i, 1));
            return Some(i + 1);
        }
        loop {
            i += self.node(place, col + i, &text[i..], true)?;
            i = skip(i);
            if map {
                // `key: value`: the colon right after the key, then a blank.
                if bytes.get(i) != Some(&b':') || bytes.get(i + 1) != Some(&b' ') {
                    return None;
                }
                i = skip(i + 1);
                i += self.node(place, col + i, &text[i..], true)?;
                i = skip(i);
            }
            match bytes.get(i) {
                Some(b',') => {
                    i = skip(i + 1);
                    if bytes.get(i) == Some(&close) {
                        return None;
                    }
                }
                Some(&b) if b == close => {
                    self.emit(end, place.span(col + i, 1));
                    return Some(i + 1);
                }
                _ => return None,
            }
        }
    }
}

/// A mapping key at the start of a line's content.
struct Key<'a> {
    text: &'a str,
    style: ScalarStyle,
    /// How long its span is (quotes included).
    text_len: usize,
    /// Where the `:` is.
    colon: usize,
}

impl<'a> Key<'a> {
    /// The key `rest` starts with, when it starts with one this reader knows: a plain key of
    /// ordinary characters, or a quoted key without escapes, then `:` and a blank or the end.
    fn read(rest: &'a str) -> Option<Key<'a>> {
        let bytes = rest.as_bytes();
        let (text, style, text_len, colon) = match bytes[0] {
            b'"' | b'\'' => {
                let (inner, style) = quoted(rest)?;
                (inner, style, inner.len() + 2, inner.len() + 2)
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/') => {
                let colon = (0..bytes.len())
                    .find(|&i| bytes[i] == b':' && bytes.get(i + 1).is_none_or(|&n| n == b' '))?;
                let text = &rest[..colon];
                if text.ends_with(' ') || find_pair(text, b' ', b'#').is_some() {
                    return None;
                }
                (text, ScalarStyle::Plain, colon, colon)
            }
            _ => return None,
        };
        if bytes.get(colon) != Some(&b':') || bytes.get(colon + 1).is_some_and(|&n| n != b' ') {
            return None;
        }
        Some(Key {
            text,
            style,
            text_len,
            colon,
        })
    }
}

/// The text of a quoted scalar that `text` starts with, closed on the same line and without
/// escapes (`\` in double quotes, `''` in single quotes), and its style.
fn quoted(text: &str) -> Option<(&str, ScalarStyle)> {
    let quote = text.as_bytes()[0];
    let close = text[1..].find(quote as char)? + 1;
    let inner = &text[1..close];
    match quote {
        b'"' if !inner.contains('\\') => Some((inner, ScalarStyle::DoubleQuoted)),
        b'\'' if text.as_bytes().get(close + 1) != Some(&b'\'') => {
            Some((inner, ScalarStyle::SingleQuoted))
        }
        _ => None,
    }
}

/// A single-line plain scalar at the start of `text`, up to a comment or the end of the line
/// (trailing blanks left out); `None` where YAML would read something else or an error (an
/// indicator first, `: ` inside, a trailing `:`).
fn plain(text: &str) -> Option<&str> {
    let first = text.as_bytes()[0];
    let second = text.as_bytes().get(1).copied();
    let indicator = matches!(
        first,
        b',' | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'%'
            | b'@'
            | b'`'
    ) || (matches!(first, b'-' | b'?' | b':') && second.is_none_or(|b| b == b' '));
    if indicator {
        return None;
    }
    let end = find_pair(text, b' ', b'#').unwrap_or(text.len());
    let value = text[..end].trim_end_matches(' ');
    (find_pair(value, b':', b' ').is_none() && !value.ends_with(':')).then_some(value)
}

/// A plain scalar inside a flow collection, up to `,`, `]`, `}` or a blank before one of
/// them or `:`; `None` for an indicator first, or a `:` or `#` in it (IPv6 addresses and
/// `a:b` pairs read differently in go-yaml and saphyr: `yaml_compat`).
fn flow_plain(text: &str) -> Option<&str> {
    let end = text
        .find([',', ']', '}', '[', '{'])
        .unwrap_or(text.len())
        .min(text.find(": ").unwrap_or(text.len()));
    let value = text[..end].trim_end_matches(' ');
    if value.is_empty() || value.contains([':', '#']) {
        return None;
    }
    plain(value)
}

/// Whether `rest` holds only blanks and maybe a comment that a blank separates.
fn only_comment(rest: &str) -> bool {
    let trimmed = rest.trim_start_matches(' ');
    trimmed.is_empty() || (trimmed.starts_with('#') && trimmed.len() < rest.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether the fast reader takes `text` (one document).
    fn takes(text: &str) -> bool {
        read(text, |_, _| {}).is_some()
    }

    #[test]
    fn takes_the_block_forms_of_manifests() {
        for text in [
            "a: 1\n",
            "a:\n  b: c # note\n  d: \"q\"\n  e: 'r'\n",
            "a:\n- x\n- y\nb: {}\nc: []\n",
            "spec:\n  containers:\n  - name: app\n    ports:\n    - containerPort: 80\n      name: http\n  - name: b\n",
            "# comment\n\nmetadata:\n  labels:\n    app.kubernetes.io/name: x\n    \"istio.io/rev\": canary\n",
            "a: example.com:5000/image:1.0\nb: -1\nc: a#b\n",
            "metadata: {name: x, labels: {app: y}}\nspec:\n  hosts: [\"*\", 'a.b']\n  rules:\n  - {}\n",
        ] {
            assert!(takes(text), "{text:?}");
        }
    }

    #[test]
    fn declines_what_it_does_not_know() {
        for text in [
            "",
            "# only a comment\n",
            "a: &x 1\nb: *x\n",
            "a: !!str 1\n",
            "a: |\n  text\n",
            "a: >\n  text\n",
            "a: [1,\n  2]\n",
            "a: [1, 2,]\n",
            "a: [b: c]\n",
            "a: {b}\n",
            "a: [2001:db8::]\n",
            "a: {b: c} d\n",
            "a: one\n  two\n",
            "a: \"esc\\n\"\n",
            "a: 'it''s'\n",
            "a:\nb: 1\n",
            "a:\n  -\n    b: 1\n",
            "a: b: c\n",
            "? a\n: b\n",
            "a:\tb\n",
            "a: b\r\n",
            "a: caf\u{e9}\n",
            "- a\n- b\n",
            "  a: 1\n",
            "a: 1\n b: 2\n",
            "a:\n  b: 1\n c: 2\n",
            "a: \"open\n",
            "%YAML 1.2\n---\na: 1\n",
            "--- !x\na: 1\n",
            "a: 1\n...\n",
        ] {
            assert!(!takes(text), "{text:?}");
        }
    }
}
