//! The outputs stay the same through performance work (issue 14): `analyze` and `matrix` JSON,
//! and the namespace summary as JSON, wide text and CSV, on a medium mesh from `meshlint::testgen` (the SPEC §9 corpus generator, at 16 namespaces),
//! compared as counts (readable in the snapshot) and a SHA-256 of the whole output (any change
//! at all). A change to a rule or to the generator changes the snapshot on purpose; a change to
//! an index or a cache must not.

use std::collections::BTreeMap;

use assert_cmd::Command;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Runs meshlint in `dir` (file names in the output are relative, so stable).
fn meshlint(dir: &std::path::Path, args: &[&str]) -> Vec<u8> {
    let out = Command::cargo_bin("meshlint")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn digest(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// How many times each value of `key` occurs in the objects of `items`.
fn count_by(items: &[Value], key: &str) -> BTreeMap<String, usize> {
    let mut out = BTreeMap::new();
    for i in items {
        *out.entry(i[key].as_str().unwrap_or("?").to_owned())
            .or_default() += 1;
    }
    out
}

#[test]
fn generated_mesh_outputs_are_stable() {
    let dir = tempfile::tempdir().unwrap();
    meshlint::testgen::write_corpus(dir.path(), 16).unwrap();
    let dir = dir.path();

    let analyze = meshlint(
        dir,
        &[
            "analyze",
            "--no-config",
            "-o",
            "json",
            "--fail-on",
            "never",
            ".",
        ],
    );
    let v: Value = serde_json::from_slice(&analyze).unwrap();
    let findings = v["findings"].as_array().unwrap();

    let matrix = meshlint(dir, &["matrix", "-o", "json", "."]);
    let m: Value = serde_json::from_slice(&matrix).unwrap();
    let cells = m["cells"].as_array().unwrap();

    // The namespace summary in each form whose rows are assembled from shared pieces.
    let by_namespace = meshlint(dir, &["matrix", "--by", "namespace", "-o", "json", "."]);
    let pairs = serde_json::from_slice::<Value>(&by_namespace).unwrap()["pairs"]
        .as_array()
        .unwrap()
        .len();
    let wide = meshlint(dir, &["matrix", "--by", "namespace", "-o", "wide", "."]);
    let csv = meshlint(dir, &["matrix", "--by", "namespace", "-o", "csv", "."]);

    let summary = serde_json::json!({
        "analyze": {
            "findings": findings.len(),
            "by_code": count_by(findings, "code"),
            "sha256": digest(&analyze),
        },
        "matrix": {
            "cells": cells.len(),
            "by_result": count_by(cells, "result"),
            "sha256": digest(&matrix),
        },
        "matrix_by_namespace": {
            "pairs": pairs,
            "json_sha256": digest(&by_namespace),
            "wide_sha256": digest(&wide),
            "csv_sha256": digest(&csv),
        },
    });
    insta::assert_json_snapshot!(summary);
}
