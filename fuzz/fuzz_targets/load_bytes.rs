//! The loader on arbitrary bytes: reading a file (binary, invalid UTF-8, broken YAML, JSON,
//! templates, alias bombs, deep nesting) must never panic, and every issue it reports points
//! into the file (a line within it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::load::{LoadOptions, Loaded};

fuzz_target!(|data: &[u8]| {
    // Text that opens like JSON is also read as a `.json` file (strict JSON), the rest as YAML.
    let name = if data.first() == Some(&b'{') {
        "fuzz.json"
    } else {
        "fuzz.yaml"
    };
    let raw = data;
    let loaded = Loaded::from_bytes(name, raw.to_vec(), &LoadOptions::default());
    // Lines as YAML counts them: LF, CRLF or a lone CR ends one.
    let lines = raw
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\n' || (b == b'\r' && raw.get(i + 1) != Some(&b'\n')))
        .count() as u32
        + 1;
    for issue in &loaded.issues {
        assert!(
            issue.location.pos.line <= lines,
            "{issue:?} is past the end of a {lines}-line file"
        );
    }
    // Whatever was read is analyzed too: decoded objects reach every rule.
    if !loaded.objects.is_empty() {
        let analysis = Analysis::new(loaded, None, None);
        let _ = engine::run(&analysis, &Settings::default());
    }
});
