//! The source map an object keeps after decoding (issue 14): every field's key and position
//! and the shape of the tree, in one flat array per object, without the values (decoding has
//! read them). A YAML tree of 40-byte nodes and 80-byte entries with a heap string per key and
//! value cost about 130 MB on the SPEC §9 corpus; this keeps 24 bytes per field plus its key.
//!
//! Fields are found by the paths findings use (`spec.rules[0].from[1]`,
//! `metadata.labels["istio.io/rev"]`); a mapping entry reports the position of its key, a list
//! item the position of the item, as an editor would place the cursor.

use super::{Node, NodeKind, Pos, Segment, segments};

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    // The values are stored in a field's low two bits (`Field::key_len_shape`).
    Map = 0,
    Seq = 1,
    Scalar = 2,
}

/// One field: where it is, its key (a range of `SourceMap::keys`; empty for list items and the
/// root), its shape and its children (a range of `SourceMap::nodes`). 24 bytes: the shape
/// shares a word with the key's length.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Field {
    pos: Pos,
    key_start: u32,
    /// The key's length in bytes, shifted left by 2, and the shape in the low 2 bits. A key
    /// cannot reach 1 GiB (2^30 bytes), the longest length this holds: it would be in a file
    /// larger than meshlint reads.
    key_len_shape: u32,
    first: u32,
    len: u32,
}

impl Field {
    fn new(pos: Pos, key_start: u32, key_len: usize, shape: Shape) -> Field {
        let key_len = key_len.min((1 << 30) - 1) as u32;
        Field {
            pos,
            key_start,
            key_len_shape: key_len << 2 | shape as u32,
            first: 0,
            len: 0,
        }
    }

    fn key_len(&self) -> u32 {
        self.key_len_shape >> 2
    }

    fn shape(&self) -> Shape {
        match self.key_len_shape & 3 {
            0 => Shape::Map,
            1 => Shape::Seq,
            _ => Shape::Scalar,
        }
    }
}

/// Positions of an object's fields; the root is `nodes[0]` (empty map: no positions known).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceMap {
    nodes: Vec<Field>,
    keys: String,
}

impl SourceMap {
    /// The map of a parsed tree: children of each node are stored together, breadth first.
    ///
    /// Built in a scratch map of the thread and copied out at its exact size: an object keeps
    /// no spare capacity, and the tree is walked once (sizing it first was a walk of its own,
    /// with every key's text read twice: issue 14).
    pub fn from_node(root: &Node) -> SourceMap {
        thread_local! {
            static SCRATCH: std::cell::RefCell<SourceMap> = std::cell::RefCell::default();
        }
        SCRATCH.with_borrow_mut(|map| {
            map.nodes.clear();
            map.keys.clear();
            // The tree node of each field, by the field's index: a field's children are added
            // when its turn comes, so they follow each other.
            let mut tree: Vec<&Node> = Vec::with_capacity(64);
            map.nodes.push(Field::new(root.pos, 0, 0, shape(root)));
            tree.push(root);
            let mut at = 0;
            while let Some(&node) = tree.get(at) {
                let first = map.nodes.len() as u32;
                match node.kind {
                    NodeKind::Map(entries) => {
                        for e in entries {
                            let key = e.key.key_text().unwrap_or_default();
                            let key_start = map.keys.len() as u32;
                            map.keys.push_str(&key);
                            map.nodes.push(Field::new(
                                e.key.pos,
                                key_start,
                                key.len(),
                                shape(&e.value),
                            ));
                            tree.push(&e.value);
                        }
                    }
                    NodeKind::Seq(items) => {
                        for item in items {
                            map.nodes.push(Field::new(item.pos, 0, 0, shape(item)));
                            tree.push(item);
                        }
                    }
                    _ => {}
                }
                map.nodes[at].first = first;
                map.nodes[at].len = map.nodes.len() as u32 - first;
                at += 1;
            }
            SourceMap {
                nodes: map.nodes.as_slice().to_vec(),
                keys: map.keys.as_str().to_owned(),
            }
        })
    }

    fn key(&self, f: &Field) -> &str {
        &self.keys[f.key_start as usize..(f.key_start + f.key_len()) as usize]
    }

    fn children(&self, f: &Field) -> &[Field] {
        &self.nodes[f.first as usize..(f.first + f.len) as usize]
    }

    /// Walks `path`: the position reached and whether the whole path exists. A duplicated key
    /// resolves to its last occurrence, as the decoded value does.
    pub fn locate(&self, path: &str) -> (Pos, bool) {
        match self.walk(path) {
            Ok(f) => (f.pos, true),
            Err(pos) => (pos, false),
        }
    }

    /// The shape of the field at `path` and how many fields it holds, when it exists.
    pub fn shape(&self, path: &str) -> Option<(Shape, usize)> {
        self.walk(path).ok().map(|f| (f.shape(), f.len as usize))
    }

    /// The paths of the fields that `pattern` names, where `[]` stands for every item of a list:
    /// `spec.rules[].from[].source.trustDomains` → `spec.rules[1].from[0].source.trustDomains`, …
    /// in document order. Keys are matched exactly (the last of a duplicated key).
    pub fn paths_matching(&self, pattern: &str) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(root) = self.nodes.first() {
            self.collect(root, &segments(pattern), String::new(), &mut out);
        }
        out
    }

    fn collect(&self, node: &Field, rest: &[Segment<'_>], path: String, out: &mut Vec<String>) {
        let Some((seg, rest)) = rest.split_first() else {
            out.push(path);
            return;
        };
        match (seg, node.shape()) {
            (Segment::Key(k), Shape::Map) => {
                if let Some(c) = self.children(node).iter().rev().find(|c| self.key(c) == *k) {
                    let p = if path.is_empty() {
                        (*k).to_owned()
                    } else {
                        super::key_path(&path, k)
                    };
                    self.collect(c, rest, p, out);
                }
            }
            (Segment::Index(i), Shape::Seq) => {
                if let Some(c) = self.children(node).get(*i) {
                    self.collect(c, rest, format!("{path}[{i}]"), out);
                }
            }
            (Segment::AnyItem, Shape::Seq) => {
                for (i, c) in self.children(node).iter().enumerate() {
                    self.collect(c, rest, format!("{path}[{i}]"), out);
                }
            }
            _ => {}
        }
    }

    fn walk(&self, path: &str) -> Result<&Field, Pos> {
        let Some(mut node) = self.nodes.first() else {
            return Err(Pos::default());
        };
        let mut pos = node.pos;
        for seg in segments(path) {
            let next = match (seg, node.shape()) {
                (Segment::Key(k), Shape::Map) => {
                    self.children(node).iter().rev().find(|c| self.key(c) == k)
                }
                (Segment::Index(i), Shape::Seq) => self.children(node).get(i),
                _ => None,
            };
            match next {
                Some(f) => {
                    pos = f.pos;
                    node = f;
                }
                None => return Err(pos),
            }
        }
        Ok(node)
    }
}

fn shape(n: &Node) -> Shape {
    match n.kind {
        NodeKind::Map(_) => Shape::Map,
        NodeKind::Seq(_) => Shape::Seq,
        _ => Shape::Scalar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::yaml::parse_documents;

    fn map(text: &str) -> SourceMap {
        SourceMap::from_node(
            &parse_documents(text, crate::input::yaml::leaked_arena())
                .pop()
                .unwrap()
                .root
                .unwrap()
                .unwrap(),
        )
    }

    /// The map is sized once, exactly: no spare capacity is kept per object.
    #[test]
    fn maps_are_sized_exactly() {
        let doc = parse_documents(
            "a: {b: [1, {c: 2}], 7: x}\nd: [[e], []]\n",
            crate::input::yaml::leaked_arena(),
        )
        .pop()
        .unwrap();
        let m = SourceMap::from_node(&doc.root.unwrap().unwrap());
        assert_eq!((m.nodes.len(), m.nodes.capacity()), (11, 11));
        assert_eq!((m.keys.as_str(), m.keys.capacity()), ("adb7c", 5));
    }

    /// Issue 14: a field costs 24 bytes (about 1.7 million of them on the SPEC §9 corpus).
    #[test]
    fn a_field_is_three_words() {
        assert_eq!(std::mem::size_of::<Field>(), 24);
        let f = Field::new(Pos { line: 1, col: 2 }, 7, 9, Shape::Seq);
        assert_eq!((f.key_len(), f.shape()), (9, Shape::Seq));
    }

    #[test]
    fn locates_fields_by_path() {
        let m = map(
            "metadata:\n  labels:\n    istio.io/rev: canary\nspec:\n  rules:\n  - from:\n    - source:\n        namespaces: [a, b]\n",
        );
        assert_eq!(
            m.locate("spec.rules[0].from[0].source.namespaces[1]"),
            (Pos { line: 8, col: 25 }, true)
        );
        assert_eq!(
            m.locate("metadata.labels[\"istio.io/rev\"]"),
            (Pos { line: 3, col: 5 }, true)
        );
        let (p, ok) = m.locate("spec.rules[0].to");
        assert!(!ok);
        assert_eq!(p.line, 6);
        assert_eq!(m.shape("spec.rules"), Some((Shape::Seq, 1)));
        assert_eq!(m.shape("metadata.labels"), Some((Shape::Map, 1)));
        assert_eq!(m.shape("spec.nothing"), None);
        assert_eq!(SourceMap::default().locate("spec"), (Pos::default(), false));
    }

    #[test]
    fn patterns_name_every_item() {
        let m = map(
            "spec:\n  rules:\n  - from:\n    - source: {trustDomains: [a]}\n    - source: {namespaces: [b]}\n  - from:\n    - source: {trustDomains: [c]}\n",
        );
        assert_eq!(
            m.paths_matching("spec.rules[].from[].source.trustDomains"),
            [
                "spec.rules[0].from[0].source.trustDomains",
                "spec.rules[1].from[0].source.trustDomains"
            ]
        );
        assert_eq!(
            m.paths_matching("spec.rules[1].from"),
            ["spec.rules[1].from"]
        );
        assert!(m.paths_matching("spec.rules[].to").is_empty());
        assert!(m.paths_matching("spec.rules.from").is_empty());
    }

    /// A key given twice resolves to the later one, whose value the decoder keeps.
    #[test]
    fn duplicate_keys_resolve_to_the_last() {
        let m = map("spec: {}\nspec:\n  a: 1\n");
        assert_eq!(m.locate("spec"), (Pos { line: 2, col: 1 }, true));
        assert_eq!(m.shape("spec"), Some((Shape::Map, 1)));
    }
}
