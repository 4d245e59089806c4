//! From input sources to objects: read (in parallel, one file per task), split into documents,
//! expand `kind: List`, decode each object into its typed form. Everything that goes wrong inside
//! an input becomes a [`LoadIssue`] that rules report; nothing here aborts on bad content.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::de::decode;
use super::files::{InputSource, io_reason};
use super::yaml::{Node, NodeKind, Pos, parse_documents};
use crate::error::Error;
use crate::model::kind::Kind;
use crate::model::meta::ObjectMeta;
use crate::model::resource::{Body, Object, ObjectData, ResourceRef};
use crate::source::{Location, Origin, SourceMap};

/// What kind of problem loading found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IssueKind {
    /// The file is not text (binary, invalid UTF-8) or cannot be read.
    Unreadable,
    /// YAML/JSON syntax error, alias bomb, nesting limit.
    Syntax,
    /// A duplicate key in a mapping (the later value is used).
    DuplicateKey,
    /// The document is not a Kubernetes object (no apiVersion/kind, not a mapping).
    NotAnObject,
    /// A known kind in an API version it never had.
    UnknownVersion,
    /// Unknown field, wrong type, bad enum value, missing required field.
    Schema,
    /// The same kind/namespace/name given again: the later one wins.
    Duplicate,
    /// A kind the cluster refused to list (403 …): the analysis goes on without it.
    NotListed,
}

/// A problem found while loading, located in its file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadIssue {
    pub kind: IssueKind,
    pub location: Location,
    pub resource: Option<ResourceRef>,
    pub message: String,
    /// The other place involved (the earlier definition of a duplicate).
    pub related: Option<Location>,
}

/// Everything read from the inputs.
#[derive(Debug, Default)]
pub struct Loaded {
    pub objects: Vec<Object>,
    pub issues: Vec<LoadIssue>,
    /// Objects of kinds meshlint does not read, counted by `apiVersion/kind`.
    pub skipped: BTreeMap<String, usize>,
    pub files: usize,
    pub bytes: usize,
    /// Files that are not YAML because they are unrendered Go (Helm) templates: a syntax
    /// error in a file with `{{ … }}` actions. Skipped with a note, not reported (issue 13).
    pub templates: Vec<Arc<str>>,
}

impl Loaded {
    /// One text (a file's contents) loaded as if it were the only input: what tests and the
    /// library's callers with manifests in memory use.
    pub fn from_text(name: &str, text: &str, opts: &LoadOptions) -> Loaded {
        Loaded::from_bytes(name, text.as_bytes().to_vec(), opts)
    }

    /// The bytes of one file, loaded as [`Loaded::from_text`] loads text: binary or invalid
    /// UTF-8 is an `Unreadable` issue, a Go template is skipped (`templates`).
    pub fn from_bytes(name: &str, raw: Vec<u8>, opts: &LoadOptions) -> Loaded {
        let name: Arc<str> = Arc::from(name);
        let mut loaded = Loaded {
            files: 1,
            bytes: raw.len(),
            ..Loaded::default()
        };
        let text = match into_text(raw, &name) {
            Ok(text) => text,
            Err(issue) => {
                loaded.issues.push(*issue);
                return loaded;
            }
        };
        let text = text.as_str();
        match load_file(&name, text, opts) {
            Some((objects, issues, skipped)) => {
                loaded.objects = objects;
                loaded.issues = issues;
                loaded.skipped = skipped;
            }
            None => loaded.templates.push(name),
        }
        loaded
    }
}

/// Options that change how objects are read.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Namespace for namespaced objects that name none (`-n`); `default` otherwise.
    pub default_namespace: Option<String>,
}

mod assemble;
mod body;
mod every_error;
mod versions;
pub(crate) use assemble::assemble;
use body::{BodyError, decode_body};
pub use versions::load_versions;

/// Reads and decodes all sources: each file is read and parsed by one task, so reading
/// overlaps parsing (issue 14). A source that cannot be read fails the whole load (the first
/// such source in order).
pub fn load(sources: &[InputSource], opts: &LoadOptions) -> Result<Loaded, Error> {
    /// A file's name, its size in bytes and what parsing it gave.
    type Parsed = (Arc<str>, usize, Option<FileResult>);
    // One file per job: rayon cannot split a run of files once a thread has begun it, and
    // a long run left one core parsing alone for 50 ms at the end of the SPEC §9 corpus
    // (issue 14, perf timeline).
    let per_file: Vec<Result<Parsed, Error>> = sources
        .par_iter()
        .with_max_len(1)
        .map(|src| {
            let (name, raw) = read_one(src)?;
            let len = raw.len();
            let result = parse(&name, raw, opts);
            Ok((name, len, result))
        })
        .collect();
    let mut bytes = 0;
    let mut files = Vec::with_capacity(per_file.len());
    for file in per_file {
        let (name, len, result) = file?;
        bytes += len;
        files.push((name, result));
    }
    Ok(assemble(files, bytes))
}

/// A file's name and bytes.
pub(crate) type Raw = (Arc<str>, Vec<u8>);

/// The bytes of each source, named as findings show them; the first source in order that
/// cannot be read fails the whole read. Files are read on both cores: one after another,
/// the 2,000 files of each version of the SPEC §9 corpus kept a core idle (issue 14).
pub(crate) fn read_all(sources: &[InputSource]) -> Result<Vec<Raw>, Error> {
    let read: Vec<Result<Raw, Error>> = sources.par_iter().map(read_one).collect();
    read.into_iter().collect()
}

/// The bytes of one source, named as findings show it.
fn read_one(src: &InputSource) -> Result<Raw, Error> {
    let name: Arc<str> = src.display().into();
    let raw = match src {
        InputSource::Stdin => {
            let mut buf = Vec::new();
            std::io::stdin()
                .read_to_end(&mut buf)
                .map_err(|e| Error::Input(format!("<stdin>: {}", io_reason(&e))))?;
            buf
        }
        InputSource::Blob { bytes, .. } => bytes.to_vec(),
        InputSource::File(p) => std::fs::read(p)
            .map_err(|e| Error::Input(format!("{}: {}", p.display(), io_reason(&e))))?,
    };
    Ok((name, raw))
}

/// One file's objects, issues and skipped kinds; `None` for an unrendered Go template.
pub(crate) fn parse(name: &Arc<str>, raw: Vec<u8>, opts: &LoadOptions) -> Option<FileResult> {
    match into_text(raw, name) {
        Ok(text) => load_file(name, &text, opts),
        Err(issue) => Some((Vec::new(), vec![*issue], BTreeMap::new())),
    }
}

impl Location {
    /// `file:line:col`, or just the file when there is no position.
    pub fn display(&self) -> String {
        if self.pos.line == 0 {
            self.file.to_string()
        } else {
            format!("{}:{}:{}", self.file, self.pos.line, self.pos.col)
        }
    }
}

/// Bytes to text; binary and invalid UTF-8 become an issue at the line of the first bad byte.
fn into_text(raw: Vec<u8>, name: &Arc<str>) -> Result<String, Box<LoadIssue>> {
    let unreadable = |valid: &[u8], message: String| {
        let line = valid.iter().filter(|&&b| b == b'\n').count() as u32 + 1;
        let col = valid.iter().rev().take_while(|&&b| b != b'\n').count() as u32 + 1;
        Box::new(LoadIssue {
            kind: IssueKind::Unreadable,
            location: Location {
                file: name.clone(),
                pos: Pos { line, col },
                field: String::new(),
            },
            resource: None,
            message,
            related: None,
        })
    };
    if let Some(nul) = memchr::memchr(0, &raw) {
        return Err(unreadable(
            &raw[..nul],
            "binary file (NUL byte): not a YAML or JSON manifest".to_owned(),
        ));
    }
    match String::from_utf8(raw) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..3);
            }
            Ok(s)
        }
        Err(e) => {
            let valid = e.utf8_error().valid_up_to();
            let raw = e.into_bytes();
            Err(unreadable(
                &raw[..valid],
                "invalid UTF-8: manifests must be UTF-8 text".to_owned(),
            ))
        }
    }
}

pub(crate) type FileResult = (Vec<Object>, Vec<LoadIssue>, BTreeMap<String, usize>);

/// [`load_text`], or `None` for an unrendered Go template: a file YAML cannot parse that holds
/// `{{ … }}` actions (Helm's templates outside a chart's `templates/`, or given by name).
fn load_file(name: &Arc<str>, text: &str, opts: &LoadOptions) -> Option<FileResult> {
    let result = load_text(name, text, opts);
    let syntax = result.1.iter().any(|i| i.kind == IssueKind::Syntax);
    (!(syntax && has_template_actions(text))).then_some(result)
}

/// Whether a line outside YAML comments holds a Go template action, `{{` … `}}`.
fn has_template_actions(text: &str) -> bool {
    text.lines().any(|line| {
        !line.trim_start().starts_with('#')
            && line
                .find("{{")
                .is_some_and(|at| line[at + 2..].contains("}}"))
    })
}

/// Decodes every document of one file.
pub fn load_text(name: &Arc<str>, text: &str, opts: &LoadOptions) -> FileResult {
    let mut out = (Vec::new(), Vec::new(), BTreeMap::new());
    // A `.json` file is JSON, as kubectl reads it: what YAML would forgive (a trailing comma,
    // comments) is a syntax error.
    if name.ends_with(".json")
        && !text.trim().is_empty()
        && let Err(e) = serde_json::from_str::<serde::de::IgnoredAny>(text)
    {
        out.1.push(LoadIssue {
            kind: IssueKind::Syntax,
            location: Location {
                file: name.clone(),
                pos: Pos {
                    line: e.line() as u32,
                    col: (e.column() as u32).max(1),
                },
                field: String::new(),
            },
            resource: None,
            message: format!("JSON syntax error: {e}"),
            related: None,
        });
        return out;
    }
    // The trees of this file are built in one arena and freed with it.
    let arena = bumpalo::Bump::new();
    for doc in parse_documents(text, &arena) {
        let at = |pos: Pos| Location {
            file: name.clone(),
            pos,
            field: String::new(),
        };
        for w in doc.warnings {
            out.1.push(LoadIssue {
                kind: IssueKind::DuplicateKey,
                location: at(w.pos),
                resource: None,
                message: w.message,
                related: None,
            });
        }
        match doc.root {
            Err(e) => out.1.push(LoadIssue {
                kind: IssueKind::Syntax,
                location: at(e.pos),
                resource: None,
                message: e.message,
                related: None,
            }),
            Ok(None) => {}
            Ok(Some(root)) => {
                let origin = Origin {
                    file: name.clone(),
                    doc: doc.index,
                    pos: root.pos,
                };
                decode_document(root, origin, opts, &mut out);
            }
        }
    }
    // A file in which no document even looks like a Kubernetes object (Helm values, mesh
    // config, CI files found while walking a directory) is not a manifest: count it, and do
    // not report each of its documents.
    let looks_like_manifest = !out.0.is_empty()
        || !out.2.is_empty()
        || out.1.iter().any(|i| i.kind != IssueKind::NotAnObject);
    if !looks_like_manifest && !out.1.is_empty() {
        out.1.clear();
        out.2
            .insert("(files that are not Kubernetes manifests)".to_owned(), 1);
    }
    out
}

fn decode_document(node: Node, origin: Origin, opts: &LoadOptions, out: &mut FileResult) {
    let file = origin.file.clone();
    let issue = |kind, pos: Pos, field: &str, message: String| LoadIssue {
        kind,
        location: Location {
            file: file.clone(),
            pos,
            field: field.to_owned(),
        },
        resource: None,
        message,
        related: None,
    };
    if !matches!(node.kind, NodeKind::Map(_)) {
        out.1.push(issue(
            IssueKind::NotAnObject,
            node.pos,
            "",
            format!("document is {}, not a Kubernetes object", node.type_name()),
        ));
        return;
    }
    let api_version = node.get("apiVersion").and_then(Node::as_str).unwrap_or("");
    let kind = node.get("kind").and_then(Node::as_str).unwrap_or("");
    if api_version.is_empty() || kind.is_empty() {
        let missing = if api_version.is_empty() {
            "apiVersion"
        } else {
            "kind"
        };
        // `kind` with `metadata` or `spec` is a Kubernetes object that lost its apiVersion:
        // kubectl refuses it, so it is an error wherever it stands.
        let object_like =
            !kind.is_empty() && (node.get("metadata").is_some() || node.get("spec").is_some());
        out.1.push(issue(
            if object_like {
                IssueKind::Schema
            } else {
                IssueKind::NotAnObject
            },
            node.pos,
            missing,
            if object_like {
                match Kind::api_version_of(kind) {
                    Some(v) => format!(
                        "{kind} has no `apiVersion`: kubectl rejects it (add `apiVersion: {v}`)"
                    ),
                    None => format!("{kind} has no `apiVersion`: kubectl rejects it"),
                }
            } else {
                format!("document has no `{missing}`: not a Kubernetes object")
            },
        ));
        return;
    }
    if kind.ends_with("List") && node.get("items").is_some() {
        if let NodeKind::Map(entries) = node.kind {
            for e in entries {
                if e.key.as_str() == Some("items") {
                    match e.value.kind {
                        NodeKind::Seq(items) => {
                            for item in items {
                                let origin = Origin {
                                    pos: item.pos,
                                    ..origin.clone()
                                };
                                decode_document(*item, origin, opts, out);
                            }
                        }
                        NodeKind::Null => {}
                        _ => out.1.push(issue(
                            IssueKind::Schema,
                            e.value.pos,
                            "items",
                            "`items` must be a list".to_owned(),
                        )),
                    }
                }
            }
        }
        return;
    }
    let kind_id = match Kind::resolve(api_version, kind) {
        None => {
            if let Some(near) = Kind::misspelled(api_version, kind) {
                let hint = match near.as_slice() {
                    [] => String::new(),
                    [one] => format!("; did you mean `{one}`?"),
                    many => format!("; did you mean one of {}?", many.join(", ")),
                };
                out.1.push(issue(
                    IssueKind::Schema,
                    node.get("kind").map_or(node.pos, |n| n.pos),
                    "kind",
                    format!(
                        "no kind `{kind}` in `{api_version}` (kubectl: no matches for kind){hint}"
                    ),
                ));
                return;
            }
            *out.2.entry(format!("{api_version}/{kind}")).or_default() += 1;
            return;
        }
        Some(Err(())) => {
            out.1.push(issue(
                IssueKind::UnknownVersion,
                node.get("apiVersion").map_or(node.pos, |n| n.pos),
                "apiVersion",
                format!(
                    "{kind} is not served as `{api_version}` by any Istio or Kubernetes version"
                ),
            ));
            return;
        }
        Some(Ok(k)) => k,
    };
    let api_version = api_version.to_owned();
    let kind = kind.to_owned();
    let meta: ObjectMeta = match node.get("metadata") {
        None => ObjectMeta::default(),
        Some(m) => match decode(m, true) {
            Ok(m) => m,
            Err(e) => {
                let field = if e.path.is_empty() {
                    "metadata".to_owned()
                } else {
                    format!("metadata.{}", e.path)
                };
                out.1.push(issue(
                    IssueKind::Schema,
                    e.pos,
                    &field,
                    format!("{field}: {}", e.message),
                ));
                return;
            }
        },
    };
    let namespace = kind_id.namespaced().then(|| {
        meta.namespace
            .clone()
            .filter(|n| !n.is_empty())
            .or_else(|| opts.default_namespace.clone())
            .unwrap_or_else(|| "default".to_owned())
    });
    let mut obj = Object::new(
        origin,
        ObjectData {
            kind: kind_id,
            api_version,
            meta,
            namespace,
            source: SourceMap::from_node(&node),
            body: Body::Invalid,
        },
    );
    if obj.name().is_empty() && obj.kind == Kind::IstioOperator {
        // `istioctl install -f` reads an IstioOperator without metadata: the reference's own
        // example has none (https://istio.io/v1.20/docs/reference/config/istio.operator.v1alpha1/).
        // Only objects applied to the API server need a name.
        obj.meta.name = Some("(unnamed)".to_owned());
    }
    if obj.name().is_empty() {
        let mut i = issue(
            IssueKind::Schema,
            obj.locate("metadata").pos,
            "metadata.name",
            format!("{kind} has no `metadata.name`"),
        );
        i.resource = Some(obj.reference());
        out.1.push(i);
        return;
    }
    match decode_body(&obj, &node) {
        Ok(body) => obj.body = body,
        Err(first) => {
            for e in every_error::every_error(&node, first, |n| decode_body(&obj, n)) {
                out.1.push(LoadIssue {
                    kind: IssueKind::Schema,
                    location: Location {
                        file: obj.origin.file.clone(),
                        pos: e.pos,
                        field: e.path.clone(),
                    },
                    resource: Some(obj.reference()),
                    message: e.message,
                    related: None,
                });
            }
        }
    }
    out.0.push(obj);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(text: &str) -> FileResult {
        load_text(&Arc::from("t.yaml"), text, &LoadOptions::default())
    }

    #[test]
    fn decodes_kinds_and_defaults_namespace() {
        let (objs, issues, skipped) = load_str(
            "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default}\nspec:\n  mtls: {mode: STRICT}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: s}\n",
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].namespace.as_deref(), Some("default"));
        assert!(matches!(objs[0].body, Body::PeerAuthentication(_)));
        assert_eq!(skipped["v1/Secret"], 1);
    }

    #[test]
    fn schema_errors_carry_path_and_line() {
        let (objs, issues, _) = load_str(
            "apiVersion: security.istio.io/v1beta1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: foo}\nspec:\n  mtls:\n    mode: STRIKT\n",
        );
        assert_eq!(objs.len(), 1);
        assert_eq!(objs[0].body, Body::Invalid);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].location.field, "spec.mtls.mode");
        assert_eq!(issues[0].location.pos.line, 6);
    }

    #[test]
    fn lists_are_expanded() {
        let (objs, issues, _) = load_str(
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: a}\n- apiVersion: v1\n  kind: Namespace\n  metadata: {name: b}\n",
        );
        assert!(issues.is_empty(), "{issues:?}");
        assert_eq!(objs.len(), 2);
        assert_eq!(objs[1].origin.pos.line, 7);
    }

    #[test]
    fn files_without_any_object_are_skipped_not_reported() {
        let (objs, issues, skipped) = load_str("enableAutoMtls: true\n---\nfoo: bar\n");
        assert!(objs.is_empty() && issues.is_empty());
        assert_eq!(skipped.len(), 1);
        let (_, issues, _) =
            load_str("apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\nfoo: bar\n");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].kind, IssueKind::NotAnObject);
    }

    #[test]
    fn bad_metadata_names_the_field() {
        let (_, issues, _) = load_str("apiVersion: v1\nkind: Namespace\nmetadata: []\n");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].location.field, "metadata");
        assert!(
            issues[0].message.starts_with("metadata: invalid type"),
            "{}",
            issues[0].message
        );
        let (_, issues, _) =
            load_str("apiVersion: v1\nkind: Service\nmetadata: {name: s, namespace: {a: b}}\n");
        assert_eq!(issues[0].location.field, "metadata.namespace");
        assert!(
            issues[0]
                .message
                .starts_with("metadata.namespace: invalid type"),
            "{}",
            issues[0].message
        );
    }

    #[test]
    fn invalid_utf8_points_at_the_line() {
        let err = into_text(b"a: 1\nb: \xff\n".to_vec(), &Arc::from("x")).unwrap_err();
        assert_eq!(err.location.pos.line, 2);
        assert_eq!(err.kind, IssueKind::Unreadable);
    }
}
