//! Inputs the fuzz targets (`fuzz/`, issue 13) found, kept as tests: every issue the loader
//! reports points inside the file, with lines counted as YAML counts them (LF, CRLF, lone CR).

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::load::{LoadOptions, Loaded};

/// Lines of `raw` as YAML 1.2 §5.4 counts them.
fn yaml_lines(raw: &[u8]) -> u32 {
    raw.iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && raw.get(i + 1) != Some(&b'\n')))
        .count() as u32
        + 1
}

fn check(raw: &[u8]) {
    let loaded = Loaded::from_bytes("fuzz.yaml", raw.to_vec(), &LoadOptions::default());
    let lines = yaml_lines(raw);
    for issue in &loaded.issues {
        assert!(
            issue.location.pos.line <= lines,
            "{issue:?} past line {lines}"
        );
    }
    let analysis = Analysis::new(loaded, None, None);
    for f in engine::run(&analysis, &Settings::default()).findings {
        if let Some(l) = &f.location {
            assert!(l.pos.line <= lines, "{f:?} past line {lines}");
        }
    }
}

/// load_bytes crash 1: lone CRs end lines for the parser; a duplicate `spec` key 40 LF-lines
/// into the file is on line 83 by YAML's count (the report's snippets count the same way).
#[test]
fn lone_carriage_returns_end_lines() {
    let mut text = b"apiVersion: v1\rkind: Service\r".to_vec();
    text.extend(b"metadata: {name: a, namespace: b}\r\r\r\rspec: {}\rspec: {}\n");
    check(&text);
    let loaded = Loaded::from_bytes("f.yaml", text, &LoadOptions::default());
    let dup = loaded
        .issues
        .iter()
        .find(|i| i.message.contains("duplicate key `spec`"))
        .expect("the duplicate key is reported");
    assert_eq!(dup.location.pos.line, 8);
}

/// load_bytes crash 2: an empty explicit key (`? `) at the very end of the stream was placed
/// on the line after the text.
#[test]
fn empty_key_at_the_end_of_the_stream() {
    check(b"# SecuVeetoo.}#\n# Strict muadata:\n? # SecuVeetoo.}#\n# Strict muadata:\n? ");
}
