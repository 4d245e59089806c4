//! `analyze -o sarif`: SARIF 2.1.0 for GitHub code scanning and other SARIF viewers.
//!
//! GitHub accepts a subset of SARIF and has opinions the format itself does not: every result
//! needs a region (so unknown positions become line 1, column 1), `help.text` is what it shows
//! about the rule, and `partialFingerprints` is how it matches alerts across runs. Only rules
//! that fired are listed. Own serde structs keep this small and dependency-free.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{ReportInput, known, portable_path};
use crate::diagnostic::{Finding, Severity};
use crate::rule_meta::RuleMeta;
use crate::source::Location;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const FINGERPRINT_KEY: &str = "meshlint/v1";

#[derive(Serialize)]
struct Log<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: Vec<Run<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    /// `SRCROOT`: the repository root relative paths are under (`--root` or git).
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<BaseIds>,
    results: Vec<SarifResult<'a>>,
    /// meshlint's columns count characters, not UTF-16 code units (the SARIF default).
    column_kind: &'static str,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    information_uri: Option<&'static str>,
    rules: Vec<ReportingDescriptor>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ReportingDescriptor {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    full_description: Text,
    help: Help,
    default_configuration: Configuration,
    properties: RuleProperties,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
struct Help {
    text: String,
    markdown: String,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct RuleProperties {
    tags: [&'static str; 2],
    #[serde(rename = "security-severity")]
    security_severity: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    locations: Vec<SarifLocation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<SarifLocation>,
    partial_fingerprints: BTreeMap<&'static str, &'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifLocation {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation {
    artifact_location: ArtifactLocation,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
struct BaseIds {
    #[serde(rename = "SRCROOT")]
    src_root: BaseUri,
}

#[derive(Serialize)]
struct BaseUri {
    uri: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    start_line: u32,
    start_column: u32,
}

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// GitHub's buckets: ≥ 7.0 high, ≥ 4.0 medium, below that low.
fn security_severity(s: Severity) -> &'static str {
    match s {
        Severity::Error => "7.5",
        Severity::Warning => "5.0",
        Severity::Info => "2.0",
    }
}

/// A URI reference for a path: forward slashes, and percent-encoding for the few characters a
/// URI cannot hold literally (spaces, `%`, `#`, `?`, non-ASCII). Ordinary paths are unchanged.
fn uri(file: &str) -> String {
    let path = portable_path(file);
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let plain = b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        if plain {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical(loc: &Location, rooted: bool) -> PhysicalLocation {
    // Paths made relative to the repository root are based on SRCROOT; others stand alone.
    let relative = !loc.file.starts_with('/')
        && !loc.file.starts_with('<')
        && !loc.file.starts_with("cluster/");
    PhysicalLocation {
        artifact_location: ArtifactLocation {
            uri: uri(&loc.file),
            uri_base_id: (rooted && relative).then_some("SRCROOT"),
        },
        region: Region {
            start_line: known(loc.pos.line).unwrap_or(1),
            start_column: known(loc.pos.col).unwrap_or(1),
        },
    }
}

fn descriptor(rule: &RuleMeta) -> ReportingDescriptor {
    let doc = rule.doc_text().trim().to_owned();
    ReportingDescriptor {
        id: rule.code,
        name: rule.name,
        short_description: Text {
            text: rule.summary.to_owned(),
        },
        full_description: Text { text: doc.clone() },
        help: Help {
            text: doc.clone(),
            markdown: doc,
        },
        default_configuration: Configuration {
            level: level(rule.severity),
        },
        properties: RuleProperties {
            tags: [rule.category.as_str(), "security"],
            security_severity: security_severity(rule.severity),
        },
    }
}

fn result<'a>(f: &'a Finding, rule_index: usize, rooted: bool) -> SarifResult<'a> {
    let text = match &f.help {
        Some(help) => format!("{}\nhelp: {help}", f.message),
        None => f.message.clone(),
    };
    let related_locations = f
        .related
        .iter()
        .enumerate()
        .map(|(i, r)| SarifLocation {
            id: Some(i),
            physical_location: physical(&r.location, rooted),
            message: Some(Text {
                text: match &r.resource {
                    Some(res) => format!("{res}: {}", r.message),
                    None => r.message.clone(),
                },
            }),
        })
        .collect();
    SarifResult {
        rule_id: f.rule.code,
        rule_index,
        level: level(f.severity),
        message: Text { text },
        locations: f
            .location
            .iter()
            .map(|l| SarifLocation {
                id: None,
                physical_location: physical(l, rooted),
                message: None,
            })
            .collect(),
        related_locations,
        partial_fingerprints: BTreeMap::from([(FINGERPRINT_KEY, f.fingerprint.as_str())]),
    }
}

pub fn render(input: &ReportInput, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    // Only the rules that fired, by code; a map from code also removes repeats.
    let fired: BTreeMap<&'static str, &'static RuleMeta> = input
        .findings
        .iter()
        .map(|f| (f.rule.code, f.rule))
        .collect();
    let rules: Vec<&'static RuleMeta> = fired.into_values().collect();
    let index = |code: &str| rules.iter().position(|r| r.code == code).unwrap_or(0);
    let results = input
        .findings
        .iter()
        .map(|f| result(f, index(f.rule.code), input.root.is_some()))
        .collect();
    let repository = env!("CARGO_PKG_REPOSITORY");
    let log = Log {
        schema: SCHEMA,
        version: "2.1.0",
        runs: vec![Run {
            original_uri_base_ids: input.root.as_ref().map(|r| BaseIds {
                src_root: BaseUri {
                    uri: format!("file://{}/", uri(r).trim_end_matches('/')),
                },
            }),
            tool: Tool {
                driver: Driver {
                    name: "meshlint",
                    version: env!("CARGO_PKG_VERSION"),
                    information_uri: (!repository.is_empty()).then_some(repository),
                    rules: rules.iter().map(|r| descriptor(r)).collect(),
                },
            },
            results,
            column_kind: "unicodeCodePoints",
        }],
    };
    serde_json::to_writer_pretty(&mut *out, &log)?;
    writeln!(out)
}
