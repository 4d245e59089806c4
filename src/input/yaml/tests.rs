//! Tests of the YAML reader: go-yaml compatibility, positions, limits, and the agreement of
//! the fast block reader with saphyr-parser.

use super::*;

/// The YAML files under `dir`, recursively.
fn yaml_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            yaml_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "yaml" || x == "yml") {
            out.push(p);
        }
    }
}

/// The fast block reader (`input::yaml_block`) and saphyr-parser build the same tree, the
/// same warnings and the same errors for every document of the test data it takes (and
/// of ../shared when present), and it takes at least four in five.
#[test]
fn fast_reader_agrees_with_saphyr() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    yaml_files(&root.join("testdata"), &mut files);
    yaml_files(&root.join("../shared"), &mut files);
    let (mut taken, mut all) = (0, 0);
    for file in files {
        let Ok(text) = std::fs::read_to_string(&file) else {
            continue;
        };
        for (first_line, chunk) in split_documents(&text) {
            all += 1;
            let (mut w1, mut w2) = (Vec::new(), Vec::new());
            let Some(fast) = build_block(chunk, first_line, leaked_arena(), &mut w1) else {
                assert!(w1.is_empty(), "{}:{first_line}", file.display());
                continue;
            };
            taken += 1;
            let slow = build(
                chunk,
                first_line,
                leaked_arena(),
                &mut w2,
                Parser::new_from_str(chunk),
                true,
            );
            // Debug text: NaN floats compare unequal as values.
            assert_eq!(
                format!("{fast:?} {w1:?}"),
                format!("{slow:?} {w2:?}"),
                "{}:{first_line}",
                file.display()
            );
        }
    }
    // 885 of 959 in testdata when this was written (1,505 of 1,630 with ../shared).
    assert!(
        taken * 5 >= all * 4,
        "the fast reader took only {taken} of {all} documents"
    );
}

fn one(text: &str) -> Node<'_> {
    let docs = parse_documents(text, leaked_arena());
    docs.into_iter().next().unwrap().root.unwrap().unwrap()
}

/// What kubectl reads (issue 10): a plain IPv6 scalar ending in `:` inside a flow sequence
/// (Istio's serviceentry-valid.yaml `full`), and a flow sequence closed at the key's indent.
#[test]
fn reads_flow_forms_as_go_yaml_does() {
    let n = one("addresses: [1.2.3.4, 001:db8::, 2001:db8::1]\n");
    let NodeKind::Map(e) = &n.kind else { panic!() };
    let NodeKind::Seq(items) = &e[0].value.kind else {
        panic!()
    };
    let texts: Vec<_> = items.iter().map(|i| i.kind).collect();
    assert_eq!(
        texts,
        [
            NodeKind::Str("1.2.3.4"),
            NodeKind::Str("001:db8::"),
            NodeKind::Str("2001:db8::1")
        ]
    );
    // A key with a value in a flow sequence stays a map.
    let n = one("a: [b: c, d: ]\n");
    let NodeKind::Map(e) = &n.kind else { panic!() };
    let NodeKind::Seq(items) = &e[0].value.kind else {
        panic!()
    };
    assert!(matches!(items[0].kind, NodeKind::Map(_)));
    assert!(matches!(items[1].kind, NodeKind::Map(_)));
    let n = one("spec:\n  namespaces: [\n    \"a\",\n    \"b\"\n  ]\n  x: {\n    y: 1\n  }\n");
    let NodeKind::Map(spec) = &n.kind else {
        panic!()
    };
    let NodeKind::Map(fields) = &spec[0].value.kind else {
        panic!()
    };
    assert_eq!(fields.len(), 2);
    assert_eq!(fields[1].key.pos, Pos { line: 6, col: 3 });
    // Items of a flow sequence left of the key are still an error (only a closing bracket
    // is moved), as is a block line indented too little.
    assert!(
        one_err("spec:\n  a: [\n x]\n")
            .message
            .contains("indentation")
    );
    assert_eq!(one_err("spec:\n  a: 1\n b: 2\n").pos.line, 3);
}

#[test]
fn positions_point_at_keys_and_values() {
    let n = one("a: 1\nb:\n  c: [x, \"y\"]\n");
    let b = n.entry("b").unwrap();
    assert_eq!(b.key.pos, Pos { line: 2, col: 1 });
    let c = b.value.entry("c").unwrap();
    assert_eq!(c.key.pos, Pos { line: 3, col: 3 });
    match &c.value.kind {
        NodeKind::Seq(items) => {
            assert_eq!(items[1].pos, Pos { line: 3, col: 10 });
            assert_eq!(items[1].kind, NodeKind::Str("y"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn core_schema_scalars() {
    let n = one("i: 8080\nf: 1.5\nb: true\nn: ~\ns: \"80\"\nv: v1\nh: 0x1F\ne: 1e3\nyes: yes\n");
    assert_eq!(n.get("i").unwrap().kind, NodeKind::Int(8080));
    assert_eq!(n.get("f").unwrap().kind, NodeKind::Float(1.5));
    assert_eq!(n.get("b").unwrap().kind, NodeKind::Bool(true));
    assert_eq!(n.get("n").unwrap().kind, NodeKind::Null);
    assert_eq!(n.get("s").unwrap().kind, NodeKind::Str("80"));
    assert_eq!(n.get("v").unwrap().kind, NodeKind::Str("v1"));
    assert_eq!(n.get("h").unwrap().kind, NodeKind::Int(31));
    assert_eq!(n.get("e").unwrap().kind, NodeKind::Float(1000.0));
    assert_eq!(n.get("yes").unwrap().kind, NodeKind::Str("yes"));
}

#[test]
fn a_number_has_a_digit_or_a_dot_after_its_sign() {
    let n = one(
        "a: -5\nb: +.5\nc: -1e3\nd: .5\ne: -x\nf: false-positive\ng: e5\nh: +\ni: nan\nj: -.inf\nk: 1.e2\nl: tcp-80\n",
    );
    let kind = |k: &str| n.get(k).unwrap().kind;
    assert_eq!(kind("a"), NodeKind::Int(-5));
    assert_eq!(kind("b"), NodeKind::Float(0.5));
    assert_eq!(kind("c"), NodeKind::Float(-1000.0));
    assert_eq!(kind("d"), NodeKind::Float(0.5));
    assert_eq!(kind("j"), NodeKind::Float(f64::NEG_INFINITY));
    assert_eq!(kind("k"), NodeKind::Float(100.0));
    for (k, text) in [
        ("e", "-x"),
        ("f", "false-positive"),
        ("g", "e5"),
        ("h", "+"),
        ("i", "nan"),
        ("l", "tcp-80"),
    ] {
        assert_eq!(kind(k), NodeKind::Str(text), "{k}");
    }
}

#[test]
fn documents_split_and_keep_lines() {
    let docs = parse_documents("a: 1\n---\nb: [\n---\nc: 3\n", leaked_arena());
    assert_eq!(docs.len(), 3);
    assert!(docs[0].root.is_ok());
    let err = docs[1].root.as_ref().unwrap_err();
    assert!(err.pos.line >= 3, "{err}");
    let c = docs[2].root.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(c.entry("c").unwrap().key.pos.line, 5);
}

#[test]
fn marker_variants_split_documents() {
    // Trailing whitespace after `---`, content on the marker line, and directives.
    let docs = parse_documents("a: 1\n--- \nb: 2\n--- !x\nc: 3\n", leaked_arena());
    assert_eq!(docs.len(), 3, "{docs:?}");
    assert!(docs.iter().all(|d| d.root.is_ok()), "{docs:?}");
    let c = docs[2].root.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(c.entry("c").unwrap().key.pos.line, 5);
    let docs = parse_documents("%YAML 1.2\n---\na: 1\n---\nb: 2\n", leaked_arena());
    assert_eq!(docs.len(), 2, "{docs:?}");
    let a = docs[0].root.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(a.entry("a").unwrap().key.pos.line, 3);
    let b = docs[1].root.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(b.entry("b").unwrap().key.pos.line, 5);
    // `----` and `---x` are not markers.
    assert_eq!(split_documents("a: |\n  x\n----\n").len(), 1);
}

#[test]
fn error_at_end_of_stream_points_into_the_file() {
    let err = one_err("kind: Namespace\nmetadata:\n  name: [foo\n\n\n");
    assert_eq!(err.pos, Pos { line: 3, col: 13 }, "{err}");
    let docs = parse_documents("a: 1\n---\nb: \"open\n", leaked_arena());
    let err = docs[1].root.as_ref().unwrap_err();
    assert_eq!(err.pos.line, 3, "{err}");
}

#[test]
fn empty_documents_are_dropped_but_an_empty_file_keeps_one() {
    assert_eq!(parse_documents("", leaked_arena()).len(), 1);
    assert_eq!(
        parse_documents("---\n---\na: 1\n---\n", leaked_arena()).len(),
        1
    );
}

/// Found by fuzzing: an empty explicit key at the end of the stream was placed on a line
/// past the text (and its duplicate-key warning with it).
#[test]
fn positions_at_the_end_of_the_stream_stay_in_the_text() {
    let text = "# c\n? # c\n# d\n? ";
    let docs = parse_documents(text, leaked_arena());
    let warnings: Vec<&YamlError> = docs.iter().flat_map(|d| &d.warnings).collect();
    assert!(!warnings.is_empty(), "{docs:?}");
    for w in warnings {
        assert!(w.pos.line <= 4, "{w:?}");
    }
    // Lone CRs end lines for the parser and for this bound alike.
    let doc = &parse_documents("a: 1\rb: [\r", leaked_arena())[0];
    let err = doc.root.as_ref().unwrap_err();
    assert!(err.pos.line <= 2, "{err:?}");
}

#[test]
fn alias_bomb_is_an_error() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let p = i - 1;
        text.push_str(&format!(
            "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
        ));
    }
    let err = one_err(&text);
    assert!(err.message.contains("too many nodes"), "{err}");
}

#[test]
fn deep_nesting_is_an_error() {
    let text = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
    let err = one_err(&text);
    assert!(
        err.message.contains("nesting") || err.message.contains("recursion"),
        "{err}"
    );
    let block: String = (0..300).map(|i| format!("{}k:\n", " ".repeat(i))).collect();
    assert!(one_err(&block).message.contains("nesting"));
}

#[test]
fn duplicate_keys_warn_and_last_wins() {
    let docs = parse_documents("a: 1\na: 2\n", leaked_arena());
    assert_eq!(docs[0].warnings.len(), 1);
    let n = docs[0].root.as_ref().unwrap().as_ref().unwrap();
    assert_eq!(n.get("a").unwrap().kind, NodeKind::Int(2));
}

#[test]
fn large_mappings_find_duplicates_in_linear_time() {
    let mut text: String = (0..200_000).map(|i| format!("k{i}: v\n")).collect();
    text.push_str("k7: again\nk150000: again\n");
    let start = std::time::Instant::now();
    let docs = parse_documents(&text, leaked_arena());
    let dups: Vec<_> = docs[0].warnings.iter().map(|w| w.pos.line).collect();
    assert_eq!(dups, [200_001, 200_002]);
    // Quadratic scanning took minutes here; linear takes well under a second even unoptimized.
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
    let big: String = (0..100).map(|i| format!("  k{i}: {i}\n")).collect();
    let text = format!("base: &b\n{big}m:\n  <<: *b\n  k5: mine\n");
    let n = one(&text);
    let m = n.get("m").unwrap();
    assert_eq!(m.get("k5").unwrap().kind, NodeKind::Str("mine"));
    assert_eq!(m.get("k99").unwrap().kind, NodeKind::Int(99));
}

#[test]
fn merge_keys_copy_missing_entries() {
    let n = one("base: &b {x: 1, y: 2}\nm:\n  <<: *b\n  y: 3\n");
    let m = n.get("m").unwrap();
    assert_eq!(m.get("x").unwrap().kind, NodeKind::Int(1));
    assert_eq!(m.get("y").unwrap().kind, NodeKind::Int(3));
}

fn one_err(text: &str) -> YamlError {
    parse_documents(text, leaked_arena())
        .into_iter()
        .next()
        .unwrap()
        .root
        .unwrap_err()
}

/// The fast reader builds as it reads: an error or a warning before the point where it
/// declines a document is dropped with the rest, and saphyr-parser's reading stands; an error
/// in a document it takes whole is the document's error.
#[test]
fn a_declined_document_is_read_again_whole() {
    // A duplicate key (a warning), nesting deeper than the builder allows (an error), then
    // what the fast reader declines (an anchor) or not.
    let deep: String = (0..=MAX_DEPTH)
        .map(|i| format!("{}a:\n", "  ".repeat(i)))
        .collect();
    let body = format!("d: 1\nd: 2\n{deep}{}b: 1\n", "  ".repeat(MAX_DEPTH + 1));
    let depth_error = format!("nesting deeper than {MAX_DEPTH} levels");

    let declined = format!("{body}n: &y 1\n");
    let mut warnings = Vec::new();
    assert!(build_block(&declined, 1, leaked_arena(), &mut warnings).is_none());
    assert!(warnings.is_empty(), "{warnings:?}");
    let whole = build(
        &declined,
        1,
        leaked_arena(),
        &mut warnings,
        Parser::new_from_str(&declined),
        true,
    );
    assert_eq!(whole.unwrap_err().message, depth_error);

    let taken = format!("{body}n: 1\n");
    let mut warnings = Vec::new();
    let fast = build_block(&taken, 1, leaked_arena(), &mut warnings).expect("taken whole");
    assert_eq!(fast.unwrap_err().message, depth_error);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let mut slow_warnings = Vec::new();
    let slow = build(
        &taken,
        1,
        leaked_arena(),
        &mut slow_warnings,
        Parser::new_from_str(&taken),
        true,
    );
    assert_eq!(slow.unwrap_err().message, depth_error);
    assert_eq!(warnings, slow_warnings);
}
