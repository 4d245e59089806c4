//! YAML (and JSON) text to a tree of [`Node`]s that remember where they came from.
//!
//! The tree is built once from an event stream — the fast block reader's
//! (`input::yaml_block`) for plain block YAML, saphyr-parser's for everything else — and
//! serves two purposes: typed decoding goes through it (see `input::de`), and the source map
//! that turns a field path like `spec.portLevelMtls.8080` into `file:line:col` is made from it
//! (`source::SourceMap`).
//! Documents are split on `---` lines first, like kubectl's reader, so that a syntax error in
//! one document does not lose the others. Aliases are expanded under a node budget and nesting
//! is bounded, so alias bombs and deeply nested input end as errors, not as exhaustion.

use std::fmt;

pub use crate::source::{Entry, Node, NodeKind, Pos};

use bumpalo::Bump;
use rustc_hash::{FxHashMap, FxHashSet};
use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

/// Deepest nesting accepted; Kubernetes objects rarely exceed 20 levels.
pub const MAX_DEPTH: usize = 128;

/// A problem found while reading the text, with the position it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct YamlError {
    pub pos: Pos,
    pub message: String,
}

impl fmt::Display for YamlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.pos, self.message)
    }
}

/// One document of a file: its index in the file, where it starts, and its tree (or why not).
#[derive(Debug)]
pub struct RawDocument<'a> {
    pub index: usize,
    pub start: Pos,
    /// `Ok(None)` for an empty document.
    pub root: Result<Option<Node<'a>>, YamlError>,
    /// Problems that did not stop reading the document (duplicate keys).
    pub warnings: Vec<YamlError>,
}

/// Splits `text` into documents on `---` lines and parses each one, the trees built in
/// `arena` (one per file: the trees are freed with it).
pub fn parse_documents<'a>(text: &'a str, arena: &'a Bump) -> Vec<RawDocument<'a>> {
    split_documents(text)
        .into_iter()
        .enumerate()
        .map(|(index, (first_line, chunk))| {
            let mut warnings = Vec::new();
            let root =
                super::yaml_compat::parse_flow_lenient(chunk, first_line, arena, &mut warnings);
            RawDocument {
                index,
                start: Pos {
                    line: first_line,
                    col: 1,
                },
                root,
                warnings,
            }
        })
        .filter(|d| !matches!(d.root, Ok(None)) || d.index == 0)
        .enumerate()
        .map(|(i, mut d)| {
            d.index = i;
            d
        })
        .collect()
}

/// Splits on lines that are a document marker (`---` alone, or followed by a comment or by
/// content such as `--- !tag`), keeping the 1-based line number where each chunk starts. A bare
/// `---` line starts the next chunk after it; a `---` line with content starts the next chunk
/// itself, so the parser sees the explicit document start. Directives (`%YAML 1.2`) stay in the
/// chunk of the document their `---` opens.
fn split_documents(text: &str) -> Vec<(u32, &str)> {
    let bytes = text.as_bytes();
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    // Only lines that begin with `---` can be markers: they are found directly, and lines
    // are counted only up to each marker (a line at a time was 5 % of loading, issue 14).
    let mut counted = (0usize, 1u32);
    let candidates =
        std::iter::once(0).chain(memchr::memmem::find_iter(bytes, b"\n---").map(|i| i + 1));
    for offset in candidates {
        let end = memchr::memchr(b'\n', &bytes[offset..]).map_or(text.len(), |i| offset + i + 1);
        let line = &text[offset..end];
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = marker_rest(body)
            && !only_directives(&text[start..offset])
        {
            let line_no =
                counted.1 + memchr::memchr_iter(b'\n', &bytes[counted.0..offset]).count() as u32;
            counted = (offset, line_no);
            if offset > start {
                chunks.push((start_line, &text[start..offset]));
            }
            if rest.is_empty() || rest.starts_with('#') {
                start = offset + line.len();
                start_line = line_no + 1;
            } else {
                start = offset;
                start_line = line_no;
            }
        }
    }
    if start < text.len() || chunks.is_empty() {
        chunks.push((start_line, &text[start.min(text.len())..]));
    }
    chunks
}

/// For a document marker line (`---` followed by nothing or by whitespace), what follows it.
fn marker_rest(body: &str) -> Option<&str> {
    let rest = body.strip_prefix("---")?;
    (rest.is_empty() || rest.starts_with([' ', '\t'])).then(|| rest.trim())
}

/// Whether `text` holds directives (and maybe comments and blank lines) and nothing else.
fn only_directives(text: &str) -> bool {
    let mut any = false;
    for line in text.lines() {
        let t = line.trim();
        if t.starts_with('%') {
            any = true;
        } else if !(t.is_empty() || t.starts_with('#')) {
            return false;
        }
    }
    any
}

/// Where the last non-blank line of `chunk` ends: a syntax error found at the end of the stream
/// is reported there rather than on a line past the end of the file.
/// Lines end as the parser ends them (`source::line_starts`).
fn end_of_content(chunk: &str, first_line: u32) -> Option<Pos> {
    let content = chunk.trim_end();
    if content.is_empty() {
        return None;
    }
    let breaks = crate::source::line_starts(content).count() as u32;
    let last = content.rsplit(['\n', '\r']).next().unwrap_or(content);
    Some(Pos {
        line: first_line.saturating_add(breaks),
        col: last.chars().count() as u32 + 1,
    })
}

fn pos_of(span: &Span, first_line: u32) -> Pos {
    Pos {
        line: (span.start.line() as u32).saturating_add(first_line - 1),
        col: span.start.col() as u32 + 1,
    }
}

fn scan_error(e: &ScanError, first_line: u32) -> YamlError {
    let m = e.marker();
    YamlError {
        pos: Pos {
            line: (m.line() as u32).saturating_add(first_line - 1),
            col: m.col() as u32 + 1,
        },
        message: format!("YAML syntax error: {}", e.info()),
    }
}

/// An open collection. Its children so far are the tail of the builder's `items` or
/// `entries` from `start` on: one vector of each per document, not one per collection, and
/// the children copied into the arena together when the collection ends (issue 14).
enum Frame<'a> {
    Seq {
        pos: Pos,
        anchor: usize,
        start: usize,
    },
    Map {
        pos: Pos,
        anchor: usize,
        start: usize,
        key: Option<Node<'a>>,
        merges: Vec<Node<'a>>,
        keys: Keys,
        /// Where the first key ends (char index), when it is a plain scalar: to read
        /// `[2001:db8::]` as go-yaml does (see `yaml_compat::flow_colon_scalar`).
        first_key_end: Option<usize>,
    },
}

/// The keys of a mapping being built, to find duplicates: small mappings (nearly all) are
/// scanned, a large one gets a hash set, so that a mapping of n keys costs O(n), not O(n²).
#[derive(Default)]
struct Keys(Option<FxHashSet<String>>);

impl Keys {
    const SCAN_LIMIT: usize = 32;

    /// Whether `text` is already a key in `entries` (to which it is about to be added).
    fn seen(&mut self, entries: &[Entry], text: &str) -> bool {
        if self.0.is_none() && entries.len() < Self::SCAN_LIMIT {
            // A string key is compared as it stands; others by their text (`8080` as "8080").
            return entries.iter().any(|e| match &e.key.kind {
                NodeKind::Str(s) => *s == text,
                _ => e.key.key_text().is_some_and(|t| t == text),
            });
        }
        let set = self.0.get_or_insert_with(|| {
            entries
                .iter()
                .filter_map(|e| e.key.key_text().map(|t| t.into_owned()))
                .collect()
        });
        !set.insert(text.to_owned())
    }
}

struct Builder<'a> {
    stack: Vec<Frame<'a>>,
    /// The items of the open sequences and the entries of the open mappings, innermost last.
    items: Vec<Node<'a>>,
    entries: Vec<Entry<'a>>,
    arena: &'a Bump,
    anchors: FxHashMap<usize, Node<'a>>,
    root: Option<Node<'a>>,
    budget: usize,
    /// The document's text and the line it starts at.
    chunk: &'a str,
    first_line: u32,
    /// Where the content ends, when positions past it are moved back to it (`clamp`).
    end: Option<Pos>,
    /// Document starts seen (a second is an error).
    docs: usize,
    /// The first error, after which the builder takes no more events ([`Builder::take`]).
    failed: Option<YamlError>,
}

pub(super) fn parse_one<'a>(
    chunk: &'a str,
    first_line: u32,
    arena: &'a Bump,
    warnings: &mut Vec<YamlError>,
) -> Result<Option<Node<'a>>, YamlError> {
    // Plain block YAML is read by the fast reader, anything else by saphyr-parser; both give
    // the same events (input::yaml_block).
    build_block(chunk, first_line, arena, warnings).unwrap_or_else(|| {
        build(
            chunk,
            first_line,
            arena,
            warnings,
            Parser::new_from_str(chunk),
            true,
        )
    })
}

/// The tree of one document read by the fast block reader, each event built into the tree
/// as it is read (a vector of every event first was written and read again: issue 14).
/// `None` when the reader declines the document; what was built and warned is dropped then.
/// An error stops the building but not the reading: a document the reader declines further
/// on is saphyr-parser's to judge, as when the reader declined before building.
fn build_block<'a>(
    chunk: &'a str,
    first_line: u32,
    arena: &'a Bump,
    warnings: &mut Vec<YamlError>,
) -> Option<Result<Option<Node<'a>>, YamlError>> {
    let before = warnings.len();
    // Its events are all at tokens of the text: none needs moving back into it.
    let mut b = Builder::new(chunk, first_line, arena, false);
    let read = super::yaml_block::read(chunk, |event, span| b.take(event, span, warnings));
    match read {
        Some(()) => Some(match b.failed {
            Some(e) => Err(e),
            None => Ok(b.root),
        }),
        None => {
            warnings.truncate(before);
            None
        }
    }
}

/// The tree of one document from its events (`chunk` is its text, starting at line
/// `first_line` of the file); `clamp` moves positions past the content back to its end.
fn build<'a>(
    chunk: &'a str,
    first_line: u32,
    arena: &'a Bump,
    warnings: &mut Vec<YamlError>,
    events: impl Iterator<Item = Result<(Event<'a>, Span), ScanError>>,
    clamp: bool,
) -> Result<Option<Node<'a>>, YamlError> {
    let mut b = Builder::new(chunk, first_line, arena, clamp);
    for item in events {
        let (event, span) = item.map_err(|e| {
            let mut err = scan_error(&e, first_line);
            err.pos = b.clamp(err.pos);
            err
        })?;
        b.event(event, span, warnings)?;
    }
    Ok(b.root)
}

impl<'a> Builder<'a> {
    fn new(chunk: &'a str, first_line: u32, arena: &'a Bump, clamp: bool) -> Builder<'a> {
        Builder {
            stack: Vec::new(),
            items: Vec::new(),
            entries: Vec::new(),
            arena,
            anchors: FxHashMap::default(),
            root: None,
            // Generous for real manifests (a node costs at least two bytes of text), far too
            // small for an alias bomb.
            budget: chunk.len() * 2 + 100_000,
            chunk,
            first_line,
            // The parser places what ends at the end of the stream (an empty key, an error)
            // on a line past the text; such positions are moved back to where the content
            // ends (found by fuzzing: a finding must point into its file).
            end: if clamp {
                end_of_content(chunk, first_line)
            } else {
                None
            },
            docs: 0,
            failed: None,
        }
    }

    /// `pos`, or the end of the content when `pos` is past it and positions are clamped.
    fn clamp(&self, pos: Pos) -> Pos {
        match self.end {
            Some(end) if pos > end => end,
            _ => pos,
        }
    }

    /// [`Builder::event`], keeping the first error and ignoring the events after it.
    fn take(&mut self, event: Event<'a>, span: Span, warnings: &mut Vec<YamlError>) {
        if self.failed.is_none()
            && let Err(e) = self.event(event, span, warnings)
        {
            self.failed = Some(e);
        }
    }

    /// Text the tree keeps: borrowed from the document as it stands, or copied into the arena
    /// (a scalar with escapes, a string go-yaml reads otherwise).
    fn text(&self, text: std::borrow::Cow<'a, str>) -> &'a str {
        match text {
            std::borrow::Cow::Borrowed(t) => t,
            std::borrow::Cow::Owned(t) => self.arena.alloc_str(&t),
        }
    }

    /// Builds one event into the tree.
    fn event(
        &mut self,
        event: Event<'a>,
        span: Span,
        warnings: &mut Vec<YamlError>,
    ) -> Result<(), YamlError> {
        let b = self;
        let chunk = b.chunk;
        let pos = b.clamp(pos_of(&span, b.first_line));
        match event {
            Event::DocumentStart(_) => {
                b.docs += 1;
                if b.docs > 1 {
                    return Err(YamlError {
                        pos,
                        message:
                            "a second document in one chunk (use a `---` line between documents)"
                                .into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                if let Some(Frame::Map {
                    start,
                    key: None,
                    first_key_end,
                    ..
                }) = b.stack.last_mut()
                    && b.entries.len() == *start
                    && style == ScalarStyle::Plain
                {
                    *first_key_end = Some(span.end.index());
                }
                let kind = resolve_scalar(b.text(text), style, tag.as_deref());
                b.push(Node { pos, kind }, anchor, warnings)?;
            }
            Event::Alias(id) => {
                // A copy of the anchored node: it shares the anchored children in the arena.
                let node = *b.anchors.get(&id).ok_or_else(|| YamlError {
                    pos,
                    message: "alias to an unknown anchor".into(),
                })?;
                let size = node.size();
                b.charge(size, pos)?;
                b.push(node, 0, warnings)?;
            }
            Event::SequenceStart(anchor, _) => {
                let start = b.items.len();
                b.open(Frame::Seq { pos, anchor, start }, pos)?;
            }
            Event::MappingStart(anchor, _) => {
                let start = b.entries.len();
                b.open(
                    Frame::Map {
                        pos,
                        anchor,
                        start,
                        key: None,
                        merges: Vec::new(),
                        keys: Keys::default(),
                        first_key_end: None,
                    },
                    pos,
                )?;
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let (node, anchor) = match b.stack.pop() {
                    Some(Frame::Seq { pos, anchor, start }) => {
                        let items = b.arena.alloc_slice_copy(&b.items[start..]);
                        b.items.truncate(start);
                        (
                            Node {
                                pos,
                                kind: NodeKind::Seq(items),
                            },
                            anchor,
                        )
                    }
                    Some(Frame::Map {
                        pos,
                        anchor,
                        start,
                        merges,
                        first_key_end,
                        ..
                    }) => {
                        for merged in merges {
                            merge_into(&mut b.entries, start, merged)?;
                        }
                        let in_seq = matches!(b.stack.last(), Some(Frame::Seq { .. }));
                        let kind = match super::yaml_compat::flow_colon_scalar(
                            chunk,
                            in_seq,
                            &b.entries[start..],
                            first_key_end,
                        ) {
                            Some(text) => NodeKind::Str(b.arena.alloc_str(&text)),
                            None => NodeKind::Map(b.arena.alloc_slice_copy(&b.entries[start..])),
                        };
                        b.entries.truncate(start);
                        (Node { pos, kind }, anchor)
                    }
                    None => return Ok(()),
                };
                b.push(node, anchor, warnings)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
        Ok(())
    }
}

impl<'a> Builder<'a> {
    fn charge(&mut self, n: usize, pos: Pos) -> Result<(), YamlError> {
        if n > self.budget {
            return Err(YamlError {
                pos,
                message: "document expands to too many nodes (alias bomb?)".into(),
            });
        }
        self.budget -= n;
        Ok(())
    }

    fn open(&mut self, frame: Frame<'a>, pos: Pos) -> Result<(), YamlError> {
        if self.stack.len() >= MAX_DEPTH {
            return Err(YamlError {
                pos,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        self.charge(1, pos)?;
        self.stack.push(frame);
        Ok(())
    }

    fn push(
        &mut self,
        node: Node<'a>,
        anchor: usize,
        warnings: &mut Vec<YamlError>,
    ) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node);
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { .. }) => self.items.push(node),
            Some(Frame::Map {
                start,
                key,
                merges,
                keys,
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    let text = k.key_text();
                    if text.as_deref() == Some("<<") {
                        merges.push(node);
                    } else {
                        if let Some(text) = text
                            && keys.seen(&self.entries[*start..], &text)
                        {
                            warnings.push(YamlError {
                                pos: k.pos,
                                message: format!(
                                    "duplicate key `{text}`: the later value replaces the earlier one"
                                ),
                            });
                        }
                        self.entries.push(Entry {
                            key: k,
                            value: node,
                        });
                    }
                }
            },
        }
        Ok(())
    }
}

/// YAML merge key (`<<: *base`): copies the entries the mapping (`entries[start..]`) does not
/// define itself.
fn merge_into<'a>(
    entries: &mut Vec<Entry<'a>>,
    start: usize,
    merged: Node<'a>,
) -> Result<(), YamlError> {
    let pos = merged.pos;
    let sources: Vec<&[Entry<'a>]> = match merged.kind {
        NodeKind::Map(m) => vec![m],
        NodeKind::Seq(items) => items
            .iter()
            .map(|n| match n.kind {
                NodeKind::Map(m) => Ok(m),
                _ => Err(()),
            })
            .collect::<Result<_, _>>()
            .map_err(|()| YamlError {
                pos,
                message: "merge key `<<` needs a mapping or a list of mappings".into(),
            })?,
        _ => {
            return Err(YamlError {
                pos,
                message: "merge key `<<` needs a mapping or a list of mappings".into(),
            });
        }
    };
    let mut have: FxHashSet<String> = entries[start..]
        .iter()
        .filter_map(|x| x.key.key_text().map(|t| t.into_owned()))
        .collect();
    for source in sources {
        for e in source {
            let new = match e.key.key_text() {
                Some(t) => have.insert(t.into_owned()),
                None => true,
            };
            if new {
                entries.push(*e);
            }
        }
    }
    Ok(())
}

/// Resolves a scalar with the YAML 1.2 core schema (what Kubernetes' decoder does for JSON-able
/// values); quoted and block scalars are always strings.
fn resolve_scalar<'a>(
    text: &'a str,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> NodeKind<'a> {
    if let Some(tag) = tag
        && tag.is_yaml_core_schema()
    {
        match tag.suffix.as_str() {
            "str" => return NodeKind::Str(text),
            "null" => return NodeKind::Null,
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return NodeKind::Str(text);
    }
    // Null, booleans and numbers (the forms below) all start with one of these bytes; any
    // other plain scalar, as nearly every key and name is, is a string (issue 14: the checks
    // were a twentieth of loading).
    let other_start = |b: u8| b.is_ascii_digit() || b"+-.~nNtTfF".contains(&b);
    if text.as_bytes().first().is_some_and(|&b| !other_start(b)) {
        return NodeKind::Str(text);
    }
    match text {
        "" | "~" | "null" | "Null" | "NULL" => return NodeKind::Null,
        "true" | "True" | "TRUE" => return NodeKind::Bool(true),
        "false" | "False" | "FALSE" => return NodeKind::Bool(false),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => {
            return NodeKind::Float(f64::INFINITY);
        }
        "-.inf" | "-.Inf" | "-.INF" => return NodeKind::Float(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return NodeKind::Float(f64::NAN),
        _ => {}
    }
    // Past those words, an integer or a float has a digit or a `.` after its sign: `name`,
    // `tcp-web` or `false-positive` is a string without being searched for an exponent
    // (issue 14: that search was a fortieth of loading).
    let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
    if !unsigned
        .as_bytes()
        .first()
        .is_some_and(|&b| b.is_ascii_digit() || b == b'.')
    {
        return NodeKind::Str(text);
    }
    if let Some(i) = parse_int(text) {
        return NodeKind::Int(i);
    }
    if looks_like_float(text)
        && let Ok(f) = text.parse::<f64>()
    {
        return NodeKind::Float(f);
    }
    NodeKind::Str(text)
}

fn parse_int(text: &str) -> Option<i64> {
    let bytes = text.as_bytes();
    if let Some(hex) = text.strip_prefix("0x") {
        return i64::from_str_radix(hex, 16).ok();
    }
    if let Some(oct) = text.strip_prefix("0o") {
        return i64::from_str_radix(oct, 8).ok();
    }
    let digits = match bytes.first() {
        Some(b'-' | b'+') => &bytes[1..],
        _ => bytes,
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    text.parse().ok()
}

fn looks_like_float(text: &str) -> bool {
    let t = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let mantissa_ok = {
        let (a, b) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
        (!a.is_empty() || !b.is_empty())
            && all_digits(a)
            && all_digits(b)
            && (mantissa.contains('.') || exp.is_some())
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && e.bytes().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exp_ok
}

/// An arena that lives as long as the test process, for tests that keep trees.
#[cfg(test)]
pub(crate) fn leaked_arena() -> &'static Bump {
    Box::leak(Box::default())
}

#[cfg(test)]
mod tests;
