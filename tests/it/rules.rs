//! Rule fixtures: every `testdata/rules/<rule-name>/{pass,fail}*.yaml` runs through the whole
//! pipeline with only that rule selected. `pass` files must produce no finding, `fail` files at
//! least one; the rendered findings are snapshotted.
//!
//! A fixture may start with directive comments:
//!   `# istio-version: 1.5`          judge by that Istio version (default: latest)
//!   `# mesh-config: enableAutoMtls: false`   one MeshConfig field in YAML flow form

use std::fmt::Write;
use std::path::Path;

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::model::istio::mesh::MeshConfig;

fn directives(text: &str) -> (Option<meshlint::version::IstioVersion>, Option<MeshConfig>) {
    let mut version = None;
    let mut mesh = None;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(v) = line.strip_prefix("# istio-version:") {
            version = Some(v.trim().parse().expect("bad istio-version directive"));
        }
        if let Some(m) = line.strip_prefix("# mesh-config:") {
            let docs = meshlint::input::yaml::parse_documents(m.trim());
            let node = docs[0].root.as_ref().unwrap().as_ref().unwrap();
            mesh =
                Some(meshlint::input::de::decode(node, true).expect("bad mesh-config directive"));
        }
    }
    (version, mesh)
}

/// Runs one fixture and renders its findings in a compact, stable form.
fn run_fixture(path: &Path) -> (usize, String) {
    let rule_dir = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let rule =
        meshlint::rules::find(rule_dir).unwrap_or_else(|| panic!("no rule named {rule_dir}"));
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf();
    let text = std::fs::read_to_string(path).unwrap();
    let (version, mesh) = directives(&text);
    let loaded = load(&[InputSource::File(rel)], &LoadOptions::default()).unwrap();
    let analysis = Analysis::new(loaded, version, mesh);
    let settings = Settings {
        select: vec![rule.name.to_owned()],
        ..Settings::default()
    };
    let outcome = engine::run(&analysis, &settings);
    let mut s = String::new();
    for f in &outcome.findings {
        writeln!(s, "{} {} {}", f.rule.code, f.rule.name, f.severity).unwrap();
        if let Some(l) = &f.location {
            let field = if l.field.is_empty() {
                String::new()
            } else {
                format!(" ({})", l.field)
            };
            writeln!(s, "  at {}:{}:{}{field}", l.file, l.pos.line, l.pos.col).unwrap();
        }
        if let Some(r) = &f.resource {
            writeln!(s, "  on {r}").unwrap();
        }
        writeln!(s, "  {}", f.message).unwrap();
        if let Some(h) = &f.help {
            writeln!(s, "  help: {h}").unwrap();
        }
        for r in &f.related {
            let what = r
                .resource
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            writeln!(
                s,
                "  related: {what} at {}:{} — {}",
                r.location.file, r.location.pos.line, r.message
            )
            .unwrap();
        }
        let codes: Vec<_> = f
            .istio_codes
            .iter()
            .chain(&f.kiali_codes)
            .copied()
            .collect();
        if !codes.is_empty() {
            writeln!(s, "  codes: {}", codes.join(" ")).unwrap();
        }
    }
    (outcome.findings.len(), s)
}

#[test]
fn rule_fixtures() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/rules");
    let mut fixtures: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    assert!(!fixtures.is_empty());
    for path in &fixtures {
        let path = path.as_path();
        let name = path.file_name().unwrap().to_str().unwrap();
        let rule = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_str()
            .unwrap();
        let (count, rendered) = run_fixture(path);
        if name.starts_with("pass") {
            assert_eq!(
                count,
                0,
                "{} must produce no finding, got:\n{rendered}",
                path.display()
            );
        } else if name.starts_with("fail") {
            assert!(count > 0, "{} must produce a finding", path.display());
        } else {
            panic!(
                "fixture {} must be named pass*.yaml or fail*.yaml",
                path.display()
            );
        }
        let stem = name.trim_end_matches(".yaml");
        insta::assert_snapshot!(format!("{rule}__{stem}"), rendered);
    }
}
