//! Where go-yaml (sigs.k8s.io/yaml, behind kubectl and istiod) reads YAML that saphyr refuses
//! or reads otherwise, meshlint follows go-yaml: what kubectl applies is what the mesh runs
//! (issue 10). Each function names the go-yaml behaviour it follows.

use bumpalo::Bump;

use super::yaml::{Entry, Node, NodeKind, YamlError, parse_one};

/// [`parse_one`], accepting what go-yaml (kubectl, istiod) accepts and saphyr does not: a flow
/// collection closed on a line indented less than its key, as in
///
/// ```yaml
///   namespaces: [
///     "a"
///   ]
/// ```
///
/// go-yaml checks block indentation only outside flow collections (goyaml.v2 scannerc.go
/// `yaml_parser_fetch_next_token`: `yaml_parser_unroll_indent` applies when `flow_level == 0`),
/// so the `]` may stand anywhere. On saphyr's indentation error at a line that starts with `]`
/// or `}`, that line is indented one more column and the document read again (bounded); no
/// other line is changed, so a mis-indented block line stays an error.
pub(super) fn parse_flow_lenient<'a>(
    chunk: &'a str,
    first_line: u32,
    arena: &'a Bump,
    warnings: &mut Vec<YamlError>,
) -> Result<Option<Node<'a>>, YamlError> {
    let indentation = |e: &YamlError| e.message.contains("invalid indentation");
    let mut e = match parse_one(chunk, first_line, arena, warnings) {
        Err(e) if indentation(&e) => e,
        other => return other,
    };
    // A changed text is kept in the arena, with the tree read from it.
    let mut text: &'a str = chunk;
    for _ in 0..64 {
        let Some(line) = (e.pos.line as usize).checked_sub(first_line as usize) else {
            return Err(e);
        };
        let Some(next) = indent_closing_bracket(text, line) else {
            return Err(e);
        };
        warnings.clear();
        text = arena.alloc_str(&next);
        match parse_one(text, first_line, arena, warnings) {
            Err(again) if indentation(&again) => e = again,
            other => return other,
        }
    }
    Err(e)
}

/// `text` with line `line` (0-based) indented by one space, when its first non-blank
/// character is `]` or `}`.
fn indent_closing_bracket(text: &str, line: usize) -> Option<String> {
    let start: usize = text.split_inclusive('\n').take(line).map(str::len).sum();
    let rest = text.get(start..)?;
    let first = rest.trim_start_matches([' ', '\t']).chars().next()?;
    if !matches!(first, ']' | '}') {
        return None;
    }
    let mut out = String::with_capacity(text.len() + 1);
    out.push_str(&text[..start]);
    out.push(' ');
    out.push_str(rest);
    Some(out)
}

/// A plain scalar ending in `:` right before `,` `]` or `}` in a flow sequence, such as the
/// IPv6 address in `addresses: [1.2.3.4, 001:db8::]`: YAML 1.2 (and saphyr) reads the last
/// `:` as a value indicator, making a one-key map; go-yaml, behind kubectl and istiod
/// (sigs.k8s.io/yaml), ends a plain scalar at `:` only before a blank (goyaml.v2 scannerc.go
/// `yaml_parser_scan_plain_scalar`), so it is the string `001:db8::`. Istio's own CRD test
/// input has this form (pkg/config/validation/testdata/crds/serviceentry-valid.yaml).
pub(super) fn flow_colon_scalar(
    chunk: &str,
    in_seq: bool,
    entries: &[Entry],
    first_key_end: Option<usize>,
) -> Option<String> {
    let [entry] = entries else { return None };
    if !in_seq || entry.value.kind != NodeKind::Null {
        return None;
    }
    let NodeKind::Str(key) = &entry.key.kind else {
        return None;
    };
    let mut after = chunk.chars().skip(first_key_end?);
    (after.next() == Some(':') && matches!(after.next(), Some(',' | ']' | '}')))
        .then(|| format!("{key}:"))
}
