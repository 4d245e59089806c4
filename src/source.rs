//! Where things come from: positions in input text, the positioned YAML tree that serves as
//! every object's source map, object origins and resolved field locations.
//!
//! A leaf module: the loader builds these, the model keeps them, findings and renderers point
//! with them. It imports nothing of meshlint, so every layer may use it.

use std::fmt;
use std::sync::Arc;

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
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub pos: Pos,
    pub kind: NodeKind,
}

#[derive(Debug, Clone, PartialEq)]
pub enum NodeKind {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

/// A mapping entry; the key keeps its own position, which is where findings about a field point.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Node {
    /// The key text of a scalar node, as used for field lookups.
    pub fn key_text(&self) -> Option<std::borrow::Cow<'_, str>> {
        match &self.kind {
            NodeKind::Str(s) => Some(s.as_str().into()),
            NodeKind::Int(i) => Some(i.to_string().into()),
            NodeKind::Bool(b) => Some(b.to_string().into()),
            NodeKind::Float(f) => Some(f.to_string().into()),
            NodeKind::Null => Some("null".into()),
            _ => None,
        }
    }

    /// The value stored under `key` in a mapping node.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The whole entry (key and value) stored under `key` in a mapping node.
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        match &self.kind {
            NodeKind::Map(entries) => entries
                .iter()
                .rev()
                .find(|e| e.key.key_text().is_some_and(|k| k == key)),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
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

impl Node {
    /// Keeps only what locating a field needs once an object is decoded: the keys, the shape
    /// and every position. Scalar values become `Null` and lists shrink to their length, so
    /// the tree costs memory by its fields, not by the text of their values (issue 14).
    pub fn keep_source_map(&mut self) {
        match &mut self.kind {
            NodeKind::Seq(items) => {
                items.shrink_to_fit();
                items.iter_mut().for_each(Node::keep_source_map);
            }
            NodeKind::Map(entries) => {
                entries.shrink_to_fit();
                for e in entries.iter_mut() {
                    e.value.keep_source_map();
                }
            }
            _ => self.kind = NodeKind::Null,
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

/// Splits `a.b[0]["x.y"]` into segments.
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
}

/// Walks `path` in `root`; returns the position reached and whether the whole path existed.
/// Map entries report the key's position (where an editor should put the cursor).
pub fn locate_in(root: &Node, path: &str) -> (Pos, bool) {
    let mut node = root;
    let mut pos = root.pos;
    for seg in segments(path) {
        match (seg, &node.kind) {
            (Segment::Key(k), NodeKind::Map(_)) => match node.entry(k) {
                Some(e) => {
                    pos = e.key.pos;
                    node = &e.value;
                }
                None => return (pos, false),
            },
            (Segment::Index(i), NodeKind::Seq(items)) => match items.get(i) {
                Some(item) => {
                    pos = item.pos;
                    node = item;
                }
                None => return (pos, false),
            },
            _ => return (pos, false),
        }
    }
    (pos, true)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::parse_documents;

    #[test]
    fn locates_fields_by_path() {
        let text = "metadata:\n  labels:\n    istio.io/rev: canary\nspec:\n  rules:\n  - from:\n    - source:\n        namespaces: [a, b]\n";
        let node = parse_documents(text).pop().unwrap().root.unwrap().unwrap();
        let (p, ok) = locate_in(&node, "spec.rules[0].from[0].source.namespaces[1]");
        assert!(ok);
        assert_eq!((p.line, p.col), (8, 25));
        let (p, ok) = locate_in(&node, "metadata.labels[\"istio.io/rev\"]");
        assert!(ok);
        assert_eq!((p.line, p.col), (3, 5));
        let (p, ok) = locate_in(&node, "spec.rules[0].to");
        assert!(!ok);
        assert_eq!(p.line, 6);
    }
}
