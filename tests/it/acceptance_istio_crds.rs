//! Acceptance: Istio's own CRD validation inputs (`pkg/config/validation/testdata/crds/`) and
//! authorization builder inputs (`pilot/pkg/security/authz/builder/testdata/{http,tcp}/*-in.yaml`)
//! at istio/istio 86c9f01 (issue 10). Each object must get Istio's verdict: a document with an
//! `_err:` line, or in a `-invalid` file, is refused; every other one is accepted (the SOURCE.md
//! of each folder explains the rule). The files are those of Istio's development branch, so they
//! are judged at 1.32; the objects that use fields of that branch only are also checked at 1.31.
//!
//! The inputs live in `../shared/acceptance`; when it is absent the tests print a note and pass.

use crate::acceptance_dir;
use std::path::{Path, PathBuf};

use meshlint::analysis::Analysis;
use meshlint::input::load::{IssueKind, LoadOptions, Loaded};

/// One test object: its file, its name, whether Istio accepts it, and its YAML without `_err`.
struct Case {
    file: String,
    name: String,
    valid: bool,
    text: String,
}

/// The documents of `path`, by SOURCE.md's rule.
fn cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    let file = path.file_name().unwrap().to_string_lossy().into_owned();
    let invalid_file = file.contains("-invalid");
    let mut out = Vec::new();
    for doc in text.split("\n---") {
        let live: Vec<&str> = doc
            .lines()
            .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty())
            .collect();
        if live.is_empty() || live == ["---"] {
            continue;
        }
        let has_err = live.iter().any(|l| l.starts_with("_err:"));
        let body: Vec<&str> = doc.lines().filter(|l| !l.starts_with("_err:")).collect();
        let name = live
            .iter()
            .skip_while(|l| !l.starts_with("metadata:"))
            .find_map(|l| l.trim().strip_prefix("name:"))
            .unwrap_or("?")
            .trim()
            .to_owned();
        out.push(Case {
            file: file.clone(),
            name,
            valid: !(has_err || invalid_file),
            text: body.join("\n") + "\n",
        });
    }
    out
}

/// Whether meshlint refuses the object at `version`, and why (the messages).
fn refused(case: &Case, version: &str) -> (bool, Vec<String>) {
    let loaded = Loaded::from_text(&case.file, &case.text, &LoadOptions::default());
    let mut why: Vec<String> = loaded
        .issues
        .iter()
        .filter(|i| !matches!(i.kind, IssueKind::DuplicateKey))
        .map(|i| i.message.clone())
        .collect();
    let a = Analysis::new(loaded, Some(version.parse().unwrap()), None);
    why.extend(a.rejected.iter().flat_map(|r| {
        r.violations
            .iter()
            .map(|v| format!("{}: {}", v.path, v.message))
    }));
    (!why.is_empty(), why)
}

/// Every case of the `.yaml` files under `dir`, judged at `version`: the wrong verdicts.
fn wrong_verdicts(dir: &Path, version: &str) -> Vec<String> {
    let mut files: Vec<PathBuf> = walk(dir);
    files.sort();
    let mut wrong = Vec::new();
    for f in files {
        for case in cases(&f) {
            let (no, why) = refused(&case, version);
            if no == case.valid {
                wrong.push(format!(
                    "{} {}: Istio {} it, meshlint {} ({why:?})",
                    case.file,
                    case.name,
                    if case.valid { "accepts" } else { "refuses" },
                    if no { "refuses" } else { "accepts" },
                ));
            }
        }
    }
    wrong
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else if p.extension().is_some_and(|x| x == "yaml") {
            out.push(p);
        }
    }
    out
}

#[test]
fn istio_crd_fixtures_get_istios_verdict() {
    let Some(dir) = acceptance_dir() else { return };
    let wrong = wrong_verdicts(&dir.join("istio-crds"), "1.32");
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn istio_authz_builder_inputs_are_valid() {
    let Some(dir) = acceptance_dir() else { return };
    for version in ["1.32", "1.31", "1.30.2"] {
        let wrong = wrong_verdicts(&dir.join("istio-authz-builder"), version);
        assert!(wrong.is_empty(), "at {version}:\n{}", wrong.join("\n"));
    }
}

/// The development-branch fields are unknown to 1.31's CRD (SOURCE.md "Versions"), and
/// `trustDomains` alone in a source is refused by 1.30.1's webhook.
#[test]
fn newer_fields_are_refused_by_older_releases() {
    let Some(dir) = acceptance_dir() else { return };
    let full = cases(&dir.join("istio-crds/reqauth-valid.yaml"))
        .into_iter()
        .find(|c| c.name == "full")
        .unwrap();
    let (no, why) = refused(&full, "1.31");
    assert!(no && why.iter().any(|w| w.contains("presence")), "{why:?}");
    let td = cases(&dir.join("istio-authz-builder/http/trust-domains-in.yaml"));
    assert!(td.iter().all(|c| refused(c, "1.29").0));
    assert!(td.iter().any(|c| refused(c, "1.30.1").0));
}
