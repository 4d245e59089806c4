//! Every schema error of a document, not only the first (issue 15). Decoding stops at the
//! first error, as serde does; so after each one the field it is about is taken out of a copy
//! of the document and the document is decoded again, up to [`MAX_ERRORS`] times. A list
//! item taken out shifts the indexes of the items after it: the later errors' paths are
//! mapped back, so they name the fields as written.

use bumpalo::Bump;

use super::BodyError;
use crate::source::{Node, NodeKind};

/// The most schema errors reported for one document.
pub(super) const MAX_ERRORS: usize = 20;

/// `first` and the errors that decoding `node` again without each erroneous field finds.
pub(super) fn every_error<B>(
    node: &Node,
    first: BodyError,
    decode: impl Fn(&Node) -> Result<B, BodyError>,
) -> Vec<BodyError> {
    // The copies are built in an arena of their own: each shares the unchanged parts of the
    // tree and replaces the path down to the field taken out.
    let arena = Bump::new();
    let mut rest = *node;
    // The list items taken out so far: the list's path and the item's index, in that copy.
    let mut removed: Vec<(String, usize)> = Vec::new();
    let mut current_path = first.path.clone();
    let mut errors = vec![first];
    while errors.len() < MAX_ERRORS {
        let (without, taken) = remove(rest, &segments(&current_path), &arena);
        rest = without;
        match taken {
            Removed::Nothing => break,
            Removed::Entry => {}
            Removed::Item(index) => {
                let list = current_path[..current_path.rfind('[').unwrap_or(0)].to_owned();
                removed.push((list, index));
            }
        }
        let Err(mut e) = decode(&rest) else { break };
        if errors
            .iter()
            .any(|x| x.pos == e.pos && x.message == e.message)
        {
            break;
        }
        current_path = e.path.clone();
        e.path = as_written(&e.path, &removed);
        errors.push(e);
    }
    errors
}

/// A path segment: a map key or a list index.
#[derive(Debug, PartialEq)]
enum Segment<'a> {
    Key(&'a str),
    Index(usize),
}

/// `spec.rules[1].to[0]` as segments (the form of the decoder's paths).
fn segments(path: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    for part in path.split('.') {
        let (key, mut rest) = part.split_at(part.find('[').unwrap_or(part.len()));
        if !key.is_empty() {
            out.push(Segment::Key(key));
        }
        while let Some(close) = rest.find(']') {
            if let Ok(i) = rest[1..close].parse() {
                out.push(Segment::Index(i));
            }
            rest = &rest[close + 1..];
        }
    }
    out
}

enum Removed {
    Nothing,
    Entry,
    /// A list item, at this index.
    Item(usize),
}

/// `node` without the field at `path`, and what was taken out (`Nothing`: `node` as it was).
fn remove<'a>(node: Node<'a>, path: &[Segment<'_>], arena: &'a Bump) -> (Node<'a>, Removed) {
    let Some((first, rest)) = path.split_first() else {
        return (node, Removed::Nothing);
    };
    let with = |kind| Node { kind, ..node };
    match (node.kind, first) {
        (NodeKind::Map(entries), Segment::Key(k)) => {
            let Some(i) = entries
                .iter()
                .position(|e| e.key.key_text().is_some_and(|t| t == *k))
            else {
                return (node, Removed::Nothing);
            };
            let mut copy = entries.to_vec();
            let removed = if rest.is_empty() {
                copy.remove(i);
                Removed::Entry
            } else {
                let (value, removed) = remove(entries[i].value, rest, arena);
                copy[i].value = value;
                removed
            };
            match removed {
                Removed::Nothing => (node, removed),
                _ => (with(NodeKind::Map(arena.alloc_slice_copy(&copy))), removed),
            }
        }
        (NodeKind::Seq(items), Segment::Index(i)) if *i < items.len() => {
            let mut copy = items.to_vec();
            let removed = if rest.is_empty() {
                copy.remove(*i);
                Removed::Item(*i)
            } else {
                let (item, removed) = remove(items[*i], rest, arena);
                copy[*i] = item;
                removed
            };
            match removed {
                Removed::Nothing => (node, removed),
                _ => (with(NodeKind::Seq(arena.alloc_slice_copy(&copy))), removed),
            }
        }
        _ => (node, Removed::Nothing),
    }
}

/// A path in the copy with items taken out, as the original document has it: each index at
/// or after a removed item of the same list moves up by one, the latest removal first.
fn as_written(path: &str, removed: &[(String, usize)]) -> String {
    let mut path = path.to_owned();
    for (list, index) in removed.iter().rev() {
        let prefix = format!("{list}[");
        let Some(rest) = path.strip_prefix(&prefix) else {
            continue;
        };
        let Some(close) = rest.find(']') else {
            continue;
        };
        if let Ok(i) = rest[..close].parse::<usize>()
            && i >= *index
        {
            path = format!("{prefix}{}{}", i + 1, &rest[close..]);
        }
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_keys_and_indexes() {
        assert_eq!(
            segments("spec.rules[1].to[0].operation"),
            [
                Segment::Key("spec"),
                Segment::Key("rules"),
                Segment::Index(1),
                Segment::Key("to"),
                Segment::Index(0),
                Segment::Key("operation"),
            ]
        );
    }

    #[test]
    fn indexes_after_a_removed_item_move_up() {
        let removed = [("spec.rules".to_owned(), 0), ("spec.rules".to_owned(), 1)];
        // Two items out (the first, then the third as written): the copy's rules[1] is the
        // original rules[3].
        assert_eq!(as_written("spec.rules[1].to", &removed), "spec.rules[3].to");
        assert_eq!(as_written("spec.rules[0]", &removed[..1]), "spec.rules[1]");
        assert_eq!(as_written("spec.action", &removed), "spec.action");
    }
}
