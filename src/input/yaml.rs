//! YAML (and JSON) text to a tree of [`Node`]s that remember where they came from.
//!
//! The tree is built once from saphyr-parser's event stream and serves two purposes: typed
//! decoding goes through it (see `input::de`) and, kept beside the typed object, it is the
//! source map that turns a field path like `spec.portLevelMtls.8080` into `file:line:col`.
//! Documents are split on `---` lines first, like kubectl's reader, so that a syntax error in
//! one document does not lose the others. Aliases are expanded under a node budget and nesting
//! is bounded, so alias bombs and deeply nested input end as errors, not as exhaustion.

use std::collections::{HashMap, HashSet};
use std::fmt;

pub use crate::source::{Entry, Node, NodeKind, Pos};

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
pub struct RawDocument {
    pub index: usize,
    pub start: Pos,
    /// `Ok(None)` for an empty document.
    pub root: Result<Option<Node>, YamlError>,
    /// Problems that did not stop reading the document (duplicate keys).
    pub warnings: Vec<YamlError>,
}

/// Splits `text` into documents on `---` lines and parses each one.
pub fn parse_documents(text: &str) -> Vec<RawDocument> {
    split_documents(text)
        .into_iter()
        .enumerate()
        .map(|(index, (first_line, chunk))| {
            let mut warnings = Vec::new();
            let root = super::yaml_compat::parse_flow_lenient(chunk, first_line, &mut warnings);
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
    let mut chunks = Vec::new();
    let mut start = 0usize;
    let mut start_line = 1u32;
    let mut offset = 0usize;
    for (line_no, line) in (1u32..).zip(text.split_inclusive('\n')) {
        let body = line.trim_end_matches(['\n', '\r']);
        if let Some(rest) = marker_rest(body)
            && !only_directives(&text[start..offset])
        {
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
        offset += line.len();
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

enum Frame {
    Seq {
        pos: Pos,
        anchor: usize,
        items: Vec<Node>,
    },
    Map {
        pos: Pos,
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<Node>,
        merges: Vec<Node>,
        keys: Keys,
        /// Where the first key ends (char index), when it is a plain scalar: to read
        /// `[2001:db8::]` as go-yaml does (see `yaml_compat::flow_colon_scalar`).
        first_key_end: Option<usize>,
    },
}

/// The keys of a mapping being built, to find duplicates: small mappings (nearly all) are
/// scanned, a large one gets a hash set, so that a mapping of n keys costs O(n), not O(n²).
#[derive(Default)]
struct Keys(Option<HashSet<String>>);

impl Keys {
    const SCAN_LIMIT: usize = 32;

    /// Whether `text` is already a key in `entries` (to which it is about to be added).
    fn seen(&mut self, entries: &[Entry], text: &str) -> bool {
        if self.0.is_none() && entries.len() < Self::SCAN_LIMIT {
            return entries
                .iter()
                .any(|e| e.key.key_text().is_some_and(|t| t == text));
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

struct Builder {
    stack: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    root: Option<Node>,
    budget: usize,
}

pub(super) fn parse_one(
    chunk: &str,
    first_line: u32,
    warnings: &mut Vec<YamlError>,
) -> Result<Option<Node>, YamlError> {
    let mut b = Builder {
        stack: Vec::new(),
        anchors: HashMap::new(),
        root: None,
        // Generous for real manifests (a node costs at least two bytes of text), far too
        // small for an alias bomb.
        budget: chunk.len() * 2 + 100_000,
    };
    let mut docs = 0;
    // The parser places what ends at the end of the stream (an empty key, an error) on a line
    // past the text; such positions are moved back to where the content ends (found by
    // fuzzing: a finding must point into its file).
    let end = end_of_content(chunk, first_line);
    let clamp = |pos: Pos| match end {
        Some(end) if pos > end => end,
        _ => pos,
    };
    for item in Parser::new_from_str(chunk) {
        let (event, span) = item.map_err(|e| {
            let mut err = scan_error(&e, first_line);
            err.pos = clamp(err.pos);
            err
        })?;
        let pos = clamp(pos_of(&span, first_line));
        match event {
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
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
                    entries,
                    key: None,
                    first_key_end,
                    ..
                }) = b.stack.last_mut()
                    && entries.is_empty()
                    && style == ScalarStyle::Plain
                {
                    *first_key_end = Some(span.end.index());
                }
                let kind = resolve_scalar(text, style, tag.as_deref());
                b.push(Node { pos, kind }, anchor, warnings)?;
            }
            Event::Alias(id) => {
                let node = b.anchors.get(&id).cloned().ok_or_else(|| YamlError {
                    pos,
                    message: "alias to an unknown anchor".into(),
                })?;
                let size = node.size();
                b.charge(size, pos)?;
                b.push(node, 0, warnings)?;
            }
            Event::SequenceStart(anchor, _) => {
                b.open(
                    Frame::Seq {
                        pos,
                        anchor,
                        items: Vec::new(),
                    },
                    pos,
                )?;
            }
            Event::MappingStart(anchor, _) => {
                b.open(
                    Frame::Map {
                        pos,
                        anchor,
                        entries: Vec::new(),
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
                    Some(Frame::Seq { pos, anchor, items }) => (
                        Node {
                            pos,
                            kind: NodeKind::Seq(items),
                        },
                        anchor,
                    ),
                    Some(Frame::Map {
                        pos,
                        anchor,
                        mut entries,
                        merges,
                        first_key_end,
                        ..
                    }) => {
                        for merged in merges {
                            merge_into(&mut entries, merged)?;
                        }
                        let in_seq = matches!(b.stack.last(), Some(Frame::Seq { .. }));
                        match super::yaml_compat::flow_colon_scalar(
                            chunk,
                            in_seq,
                            &entries,
                            first_key_end,
                        ) {
                            Some(text) => (
                                Node {
                                    pos,
                                    kind: NodeKind::Str(text),
                                },
                                anchor,
                            ),
                            None => (
                                Node {
                                    pos,
                                    kind: NodeKind::Map(entries),
                                },
                                anchor,
                            ),
                        }
                    }
                    None => continue,
                };
                b.push(node, anchor, warnings)?;
            }
            Event::StreamStart | Event::StreamEnd | Event::DocumentEnd | Event::Nothing => {}
        }
    }
    Ok(b.root)
}

impl Builder {
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

    fn open(&mut self, frame: Frame, pos: Pos) -> Result<(), YamlError> {
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
        node: Node,
        anchor: usize,
        warnings: &mut Vec<YamlError>,
    ) -> Result<(), YamlError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some(node),
            Some(Frame::Seq { items, .. }) => items.push(node),
            Some(Frame::Map {
                entries,
                key,
                merges,
                keys,
                ..
            }) => match key.take() {
                None => *key = Some(node),
                Some(k) => {
                    if k.key_text().as_deref() == Some("<<") {
                        merges.push(node);
                    } else {
                        if let Some(text) = k.key_text()
                            && keys.seen(entries, &text)
                        {
                            warnings.push(YamlError {
                                pos: k.pos,
                                message: format!(
                                    "duplicate key `{text}`: the later value replaces the earlier one"
                                ),
                            });
                        }
                        entries.push(Entry {
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

/// YAML merge key (`<<: *base`): copies entries the mapping does not define itself.
fn merge_into(entries: &mut Vec<Entry>, merged: Node) -> Result<(), YamlError> {
    let pos = merged.pos;
    let sources = match merged.kind {
        NodeKind::Map(m) => vec![m],
        NodeKind::Seq(items) => items
            .into_iter()
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
    let mut have: HashSet<String> = entries
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
                entries.push(e);
            }
        }
    }
    Ok(())
}

/// Resolves a scalar with the YAML 1.2 core schema (what Kubernetes' decoder does for JSON-able
/// values); quoted and block scalars are always strings.
/// An owned `text` (the scanner's own buffer) is moved into the node, not copied.
fn resolve_scalar(
    text: std::borrow::Cow<'_, str>,
    style: ScalarStyle,
    tag: Option<&saphyr_parser::Tag>,
) -> NodeKind {
    if let Some(tag) = tag
        && tag.is_yaml_core_schema()
    {
        match tag.suffix.as_str() {
            "str" => return NodeKind::Str(text.into_owned()),
            "null" => return NodeKind::Null,
            _ => {}
        }
    }
    if style != ScalarStyle::Plain {
        return NodeKind::Str(text.into_owned());
    }
    match text.as_ref() {
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
    if let Some(i) = parse_int(&text) {
        return NodeKind::Int(i);
    }
    if looks_like_float(&text)
        && let Ok(f) = text.parse::<f64>()
    {
        return NodeKind::Float(f);
    }
    NodeKind::Str(text.into_owned())
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

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str) -> Node {
        let docs = parse_documents(text);
        docs.into_iter().next().unwrap().root.unwrap().unwrap()
    }

    /// What kubectl reads (issue 10): a plain IPv6 scalar ending in `:` inside a flow sequence
    /// (Istio's serviceentry-valid.yaml `full`), and a flow sequence closed at the key's indent.
    #[test]
    fn reads_flow_forms_as_go_yaml_does() {
        let n = one("addresses: [1.2.3.4, 001:db8::, 2001:db8::1]\n");
        let NodeKind::Map(e) = &n.kind else { panic!() };
        let NodeKind::Seq(items) = &e[0].value.kind else {
            panic!()
        };
        let texts: Vec<_> = items.iter().map(|i| i.kind.clone()).collect();
        assert_eq!(
            texts,
            [
                NodeKind::Str("1.2.3.4".into()),
                NodeKind::Str("001:db8::".into()),
                NodeKind::Str("2001:db8::1".into())
            ]
        );
        // A key with a value in a flow sequence stays a map.
        let n = one("a: [b: c, d: ]\n");
        let NodeKind::Map(e) = &n.kind else { panic!() };
        let NodeKind::Seq(items) = &e[0].value.kind else {
            panic!()
        };
        assert!(matches!(items[0].kind, NodeKind::Map(_)));
        assert!(matches!(items[1].kind, NodeKind::Map(_)));
        let n = one("spec:\n  namespaces: [\n    \"a\",\n    \"b\"\n  ]\n  x: {\n    y: 1\n  }\n");
        let NodeKind::Map(spec) = &n.kind else {
            panic!()
        };
        let NodeKind::Map(fields) = &spec[0].value.kind else {
            panic!()
        };
        assert_eq!(fields.len(), 2);
        assert_eq!(fields[1].key.pos, Pos { line: 6, col: 3 });
        // Items of a flow sequence left of the key are still an error (only a closing bracket
        // is moved), as is a block line indented too little.
        assert!(
            one_err("spec:\n  a: [\n x]\n")
                .message
                .contains("indentation")
        );
        assert_eq!(one_err("spec:\n  a: 1\n b: 2\n").pos.line, 3);
    }

    #[test]
    fn positions_point_at_keys_and_values() {
        let n = one("a: 1\nb:\n  c: [x, \"y\"]\n");
        let b = n.entry("b").unwrap();
        assert_eq!(b.key.pos, Pos { line: 2, col: 1 });
        let c = b.value.entry("c").unwrap();
        assert_eq!(c.key.pos, Pos { line: 3, col: 3 });
        match &c.value.kind {
            NodeKind::Seq(items) => {
                assert_eq!(items[1].pos, Pos { line: 3, col: 10 });
                assert_eq!(items[1].kind, NodeKind::Str("y".into()));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn core_schema_scalars() {
        let n =
            one("i: 8080\nf: 1.5\nb: true\nn: ~\ns: \"80\"\nv: v1\nh: 0x1F\ne: 1e3\nyes: yes\n");
        assert_eq!(n.get("i").unwrap().kind, NodeKind::Int(8080));
        assert_eq!(n.get("f").unwrap().kind, NodeKind::Float(1.5));
        assert_eq!(n.get("b").unwrap().kind, NodeKind::Bool(true));
        assert_eq!(n.get("n").unwrap().kind, NodeKind::Null);
        assert_eq!(n.get("s").unwrap().kind, NodeKind::Str("80".into()));
        assert_eq!(n.get("v").unwrap().kind, NodeKind::Str("v1".into()));
        assert_eq!(n.get("h").unwrap().kind, NodeKind::Int(31));
        assert_eq!(n.get("e").unwrap().kind, NodeKind::Float(1000.0));
        assert_eq!(n.get("yes").unwrap().kind, NodeKind::Str("yes".into()));
    }

    #[test]
    fn documents_split_and_keep_lines() {
        let docs = parse_documents("a: 1\n---\nb: [\n---\nc: 3\n");
        assert_eq!(docs.len(), 3);
        assert!(docs[0].root.is_ok());
        let err = docs[1].root.as_ref().unwrap_err();
        assert!(err.pos.line >= 3, "{err}");
        let c = docs[2].root.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(c.entry("c").unwrap().key.pos.line, 5);
    }

    #[test]
    fn marker_variants_split_documents() {
        // Trailing whitespace after `---`, content on the marker line, and directives.
        let docs = parse_documents("a: 1\n--- \nb: 2\n--- !x\nc: 3\n");
        assert_eq!(docs.len(), 3, "{docs:?}");
        assert!(docs.iter().all(|d| d.root.is_ok()), "{docs:?}");
        let c = docs[2].root.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(c.entry("c").unwrap().key.pos.line, 5);
        let docs = parse_documents("%YAML 1.2\n---\na: 1\n---\nb: 2\n");
        assert_eq!(docs.len(), 2, "{docs:?}");
        let a = docs[0].root.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(a.entry("a").unwrap().key.pos.line, 3);
        let b = docs[1].root.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(b.entry("b").unwrap().key.pos.line, 5);
        // `----` and `---x` are not markers.
        assert_eq!(split_documents("a: |\n  x\n----\n").len(), 1);
    }

    #[test]
    fn error_at_end_of_stream_points_into_the_file() {
        let err = one_err("kind: Namespace\nmetadata:\n  name: [foo\n\n\n");
        assert_eq!(err.pos, Pos { line: 3, col: 13 }, "{err}");
        let docs = parse_documents("a: 1\n---\nb: \"open\n");
        let err = docs[1].root.as_ref().unwrap_err();
        assert_eq!(err.pos.line, 3, "{err}");
    }

    #[test]
    fn empty_documents_are_dropped_but_an_empty_file_keeps_one() {
        assert_eq!(parse_documents("").len(), 1);
        assert_eq!(parse_documents("---\n---\na: 1\n---\n").len(), 1);
    }

    /// Found by fuzzing: an empty explicit key at the end of the stream was placed on a line
    /// past the text (and its duplicate-key warning with it).
    #[test]
    fn positions_at_the_end_of_the_stream_stay_in_the_text() {
        let text = "# c\n? # c\n# d\n? ";
        let docs = parse_documents(text);
        let warnings: Vec<&YamlError> = docs.iter().flat_map(|d| &d.warnings).collect();
        assert!(!warnings.is_empty(), "{docs:?}");
        for w in warnings {
            assert!(w.pos.line <= 4, "{w:?}");
        }
        // Lone CRs end lines for the parser and for this bound alike.
        let doc = &parse_documents("a: 1\rb: [\r")[0];
        let err = doc.root.as_ref().unwrap_err();
        assert!(err.pos.line <= 2, "{err:?}");
    }

    #[test]
    fn alias_bomb_is_an_error() {
        let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..12 {
            let p = i - 1;
            text.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = one_err(&text);
        assert!(err.message.contains("too many nodes"), "{err}");
    }

    #[test]
    fn deep_nesting_is_an_error() {
        let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let err = one_err(&text);
        assert!(
            err.message.contains("nesting") || err.message.contains("recursion"),
            "{err}"
        );
        let block: String = (0..300).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
        assert!(one_err(&block).message.contains("nesting"));
    }

    #[test]
    fn duplicate_keys_warn_and_last_wins() {
        let docs = parse_documents("a: 1\na: 2\n");
        assert_eq!(docs[0].warnings.len(), 1);
        let n = docs[0].root.as_ref().unwrap().as_ref().unwrap();
        assert_eq!(n.get("a").unwrap().kind, NodeKind::Int(2));
    }

    #[test]
    fn large_mappings_find_duplicates_in_linear_time() {
        let mut text: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
        text.push_str("k7: again\nk150000: again\n");
        let start = std::time::Instant::now();
        let docs = parse_documents(&text);
        let dups: Vec<_> = docs[0].warnings.iter().map(|w| w.pos.line).collect();
        assert_eq!(dups, [200_001, 200_002]);
        // Quadratic scanning took minutes here; linear takes well under a second even unoptimized.
        assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
        let big: String = (0..100).map(|i| format!("  k{i}: {i}\n")).collect();
        let n = one(&format!("base: &b\n{big}m:\n  <<: *b\n  k5: mine\n"));
        let m = n.get("m").unwrap();
        assert_eq!(m.get("k5").unwrap().kind, NodeKind::Str("mine".into()));
        assert_eq!(m.get("k99").unwrap().kind, NodeKind::Int(99));
    }

    #[test]
    fn merge_keys_copy_missing_entries() {
        let n = one("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
        let m = n.get("m").unwrap();
        assert_eq!(m.get("x").unwrap().kind, NodeKind::Int(1));
        assert_eq!(m.get("y").unwrap().kind, NodeKind::Int(3));
    }

    fn one_err(text: &str) -> YamlError {
        parse_documents(text)
            .into_iter()
            .next()
            .unwrap()
            .root
            .unwrap_err()
    }
}
