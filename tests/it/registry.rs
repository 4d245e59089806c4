//! Meta-tests on the rule registry (the conventions clippy and ruff enforce on themselves):
//! unique sorted codes, kebab-case names, message-style summaries, the documentation template,
//! and pass/fail fixtures for every rule.

use std::path::Path;

use meshlint::rules::REGISTRY;

#[test]
fn codes_are_unique_and_sorted_names_are_kebab_case() {
    let codes: Vec<_> = REGISTRY.iter().map(|r| r.code).collect();
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        codes, sorted,
        "codes must be unique and REGISTRY sorted by code"
    );
    for r in REGISTRY {
        assert!(r.code.starts_with("ML") && r.code.len() == 6, "{}", r.code);
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} is not kebab-case",
            r.name
        );
    }
}

#[test]
fn summaries_follow_message_style() {
    for r in REGISTRY {
        let first = r.summary.chars().next().unwrap();
        assert!(
            !first.is_uppercase(),
            "{}: summary starts lowercase",
            r.name
        );
        assert!(
            !r.summary.ends_with('.'),
            "{}: summary has no trailing period",
            r.name
        );
        assert!(
            !r.summary.contains("TODO"),
            "{}: summary is unfinished",
            r.name
        );
    }
}

#[test]
fn docs_follow_the_template() {
    for r in REGISTRY {
        for heading in [
            "## What it does",
            "## Why is this bad?",
            "## Example",
            "## Use instead",
        ] {
            assert!(r.doc.contains(heading), "{}: doc lacks `{heading}`", r.name);
        }
        assert!(!r.doc.contains("TODO"), "{}: doc is unfinished", r.name);
    }
}

#[test]
fn every_rule_has_pass_and_fail_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    for r in REGISTRY {
        let dir = root.join(r.name);
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixtures in {}", r.name, dir.display()))
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names.iter().any(|n| n.starts_with("pass")),
            "{}: no pass fixture",
            r.name
        );
        assert!(
            names.iter().any(|n| n.starts_with("fail")),
            "{}: no fail fixture",
            r.name
        );
    }
}

/// A rule whose source reads port decisions (`.port(`) declares `reads_ports`, so the engine
/// makes them in parallel before the rules run (issue 14); a rule that declares it reads them.
#[test]
fn rules_that_read_port_decisions_say_so() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    for r in REGISTRY {
        let file = root.join(format!("{}.rs", r.name.replace('-', "_")));
        let text = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            text.contains(".port("),
            r.reads_ports,
            "{}: reads_ports does not say whether the rule reads port decisions",
            r.name
        );
    }
}
