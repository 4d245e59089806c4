//! Where things come from: positions in input text, the positioned YAML tree the loader decodes
//! from, the source map every object keeps ([`SourceMap`]), object origins and resolved field
//! locations.
//!
//! A leaf module: the loader builds these, the model keeps them, findings and renderers point
//! with them. It imports nothing of meshlint, so every layer may use it.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

mod map;
pub use map::{Shape, SourceMap};

/// Byte offsets where lines start after the first, with lines ending as YAML ends them: LF,
/// CRLF or a lone CR (YAML 1.2 §5.4, `b-break`). The loader's positions count lines this way,
/// so everything that turns a position back into text must too.
pub fn line_starts(text: &str) -> impl Iterator<Item = usize> + '_ {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().filter_map(move |(i, &b)| {
        (b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).then_some(i + 1)
    })
}

/// A position in a file: 1-based line and 1-based column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Pos {
    pub line: u32,
    pub col: u32,
}

impl fmt::Display for Pos {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.col)
    }
}

/// One YAML value with the position of its first character.
///
/// A tree borrows everything from the text it was read from and the arena it was built in
/// (`'a`, a [`bumpalo::Bump`] per file): strings where they stand in the text unchanged (as
/// plain keys and names do), the rest and every list of children in the arena. A node is
/// `Copy` and has no drop: a file's trees are freed at once with its arena. A heap string per
/// scalar was a tenth of loading, and a vector per mapping with the walk to free it a tenth
/// more (issue 14).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Node<'a> {
    pub pos: Pos,
    pub kind: NodeKind<'a>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NodeKind<'a> {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(&'a str),
    Seq(&'a [Node<'a>]),
    Map(&'a [Entry<'a>]),
}

/// A mapping entry; the key keeps its own position, which is where findings about a field point.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Entry<'a> {
    pub key: Node<'a>,
    pub value: Node<'a>,
}

impl<'a> Node<'a> {
    /// The key text of a scalar node, as used for field lookups.
    pub fn key_text(&self) -> Option<Cow<'a, str>> {
        match self.kind {
            NodeKind::Str(s) => Some(Cow::Borrowed(s)),
            NodeKind::Int(i) => Some(i.to_string().into()),
            NodeKind::Bool(b) => Some(b.to_string().into()),
            NodeKind::Float(f) => Some(f.to_string().into()),
            NodeKind::Null => Some("null".into()),
            _ => None,
        }
    }

    /// The value stored under `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&'a Node<'a>> {
        self.entry(key).map(|e| &e.value)
    }

    /// The whole entry (key and value) stored under `key` in a mapping node.
    pub fn entry(&self, key: &str) -> Option<&'a Entry<'a>> {
        match self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key.key_text().is_some_and(|k| k == key)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&'a str> {
        match self.kind {
            NodeKind::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A short name of the node's type for error messages.
    pub fn type_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Null => "null",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a number",
            NodeKind::Str(_) => "a string",
            NodeKind::Seq(_) => "a list",
            NodeKind::Map(_) => "a mapping",
        }
    }

    /// Number of nodes in this tree, used to charge alias expansions against the budget.
    pub(crate) fn size(&self) -> usize {
        match &self.kind {
            NodeKind::Seq(items) => 1 + items.iter().map(Node::size).sum::<usize>(),
            NodeKind::Map(entries) => {
                1 + entries
                    .iter()
                    .map(|e| e.key.size() + e.value.size())
                    .sum::<usize>()
            }
            _ => 1,
        }
    }
}

/// Where an object (or a finding) comes from. `file` is the path as given by the user, or
/// `cluster/<context>` for objects read from a cluster (which have no positions).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Origin {
    pub file: Arc<str>,
    /// Index of the YAML document in the file (0-based).
    pub doc: usize,
    pub pos: Pos,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.pos.line == 0 {
            f.write_str(&self.file)
        } else {
            write!(f, "{}:{}:{}", self.file, self.pos.line, self.pos.col)
        }
    }
}

/// A resolved position of a field in an input file.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub file: Arc<str>,
    pub pos: Pos,
    /// The field path the position stands for (empty when it is the object itself).
    pub field: String,
}

/// Path of a map entry: `prefix.key`, or `prefix["key"]` when the key has dots or brackets.
pub fn key_path(prefix: &str, key: &str) -> String {
    if key.contains(['.', '[', ']']) || key.is_empty() {
        format!("{prefix}[\"{key}\"]")
    } else {
        format!("{prefix}.{key}")
    }
}

/// Splits `a.b[0]["x.y"]` into segments; `[]` stands for every item of a list.
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        if let Some(r) = rest.strip_prefix("[\"") {
            let end = r.find("\"]").unwrap_or(r.len());
            out.push(Segment::Key(&r[..end]));
            rest = r.get(end + 2..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('[') {
            let end = r.find(']').unwrap_or(r.len());
            match r[..end].parse() {
                Ok(i) => out.push(Segment::Index(i)),
                Err(_) if end == 0 => out.push(Segment::AnyItem),
                Err(_) => out.push(Segment::Key(&r[..end])),
            }
            rest = r.get(end + 1..).unwrap_or("");
        } else if let Some(r) = rest.strip_prefix('.') {
            rest = r;
        } else {
            let end = rest.find(['.', '[']).unwrap_or(rest.len());
            out.push(Segment::Key(&rest[..end]));
            rest = &rest[end..];
        }
    }
    out
}

enum Segment<'a> {
    Key(&'a str),
    Index(usize),
    /// `[]`: every item (patterns of [`map::SourceMap::paths_matching`]).
    AnyItem,
}
