//! Rule metadata: code, name, default severity, category, related istioctl and Kiali codes and
//! the documentation `explain` prints. A leaf below both the rules (which declare it) and the
//! findings and renderers (which point at it), so neither needs the other.

use std::fmt;

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "info" => Some(Severity::Info),
            "warning" => Some(Severity::Warning),
            "error" => Some(Severity::Error),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a rule is about; used for `--select`/`--ignore` by category and for grouping.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    /// Inputs Kubernetes or Istio would reject.
    Schema,
    /// Mutual TLS between clients and servers.
    Mtls,
    /// Authorization and request authentication.
    Authz,
    /// Which workloads are in the mesh.
    Membership,
    /// Hygiene: deprecated or duplicated resources.
    Hygiene,
}

impl Category {
    /// Every category, in the order `meshlint rules` lists them.
    pub const ALL: [Category; 5] = [
        Category::Schema,
        Category::Mtls,
        Category::Authz,
        Category::Membership,
        Category::Hygiene,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Schema => "schema",
            Category::Mtls => "mtls",
            Category::Authz => "authz",
            Category::Membership => "membership",
            Category::Hygiene => "hygiene",
        }
    }
}

/// What every finding, `meshlint rules` and `meshlint explain` know of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code (`ML0201`).
    pub code: &'static str,
    /// Kebab-case name (`mtls-mode-conflict`).
    pub name: &'static str,
    pub severity: Severity,
    pub category: Category,
    pub default_enabled: bool,
    /// Related istioctl analyzer codes (IST0xxx).
    pub istio_codes: &'static [&'static str],
    /// Related Kiali validation codes (KIA0xxx).
    pub kiali_codes: &'static [&'static str],
    /// One line for `meshlint rules` and SARIF `shortDescription`.
    pub summary: &'static str,
    /// The rule's doc comment (markdown, each line with rustdoc's leading space).
    pub doc: &'static str,
}

impl PartialEq for RuleMeta {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}

impl RuleMeta {
    /// The documentation as markdown: the doc comment without the one leading space rustdoc
    /// leaves on each line.
    pub fn doc_text(&self) -> String {
        self.doc
            .lines()
            .map(|l| l.strip_prefix(' ').unwrap_or(l))
            .collect::<Vec<_>>()
            .join("\n")
    }
}
