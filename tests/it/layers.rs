//! The one-way layers of `src/` (DEVELOPERS.md "Code style"; issue 9): data flows
//! input → model → resolve → rules → engine/report → commands → main, with leaf modules below.
//! A top-level module may use only modules of a lower layer (or its own); test code
//! (`#[cfg(test)]` items) is exempt. The test reads the sources, so a new back-edge fails here
//! with the file that adds it, and no source file may grow past 800 lines.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Layers from the bottom up; a module may use modules of its own layer index or lower, except
/// that modules sharing a layer may not use each other.
const LAYERS: &[&[&str]] = &[
    &["source", "version", "error", "suggest", "rule_meta"],
    &["model"],
    &["input"],
    &["facts"],
    &["analysis"],
    &["resolve"],
    &["diagnostic"],
    &["rules", "config"],
    &["engine", "testgen"],
    &["report", "cli"],
    &["commands"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

fn src() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text with `#[cfg(test)]` items (a `mod tests { … }` block or one item) and comments
/// removed.
fn production_code(text: &str) -> String {
    let without_comments: String = text
        .lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = String::new();
    let mut rest = without_comments.as_str();
    while let Some(i) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..i]);
        let after = &rest[i + "#[cfg(test)]".len()..];
        let brace = after.find('{');
        let semi = after.find(';');
        let end = match (brace, semi) {
            (Some(b), Some(s)) if s < b => s + 1,
            (Some(b), _) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (j, c) in after[b..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + j + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (None, Some(s)) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// `crate::NAME` references in `code` (use lines and inline paths alike).
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `use crate::{a::b, c}`: the first segment of each item.
            let end = group.find('}').unwrap_or(group.len());
            for item in group[..end].split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
    out
}

fn top_module(file: &Path) -> String {
    let rel = file.strip_prefix(src()).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

#[test]
fn top_level_modules_only_use_lower_layers() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let top = top_module(file);
        // `tests.rs` files are declared `#[cfg(test)] mod tests;`: test code.
        if matches!(top.as_str(), "lib" | "main") || file.ends_with("tests.rs") {
            continue;
        }
        let Some(own) = layer_of(&top) else {
            wrong.push(format!(
                "{}: module `{top}` is in no layer of tests/it/layers.rs",
                file.display()
            ));
            continue;
        };
        let code = production_code(&std::fs::read_to_string(file).unwrap());
        for used in crate_refs(&code) {
            if used == top {
                continue;
            }
            match layer_of(&used) {
                Some(l) if l < own => {}
                Some(_) => wrong.push(format!(
                    "{}: `{top}` uses `crate::{used}`, which is not below it",
                    file.strip_prefix(src()).unwrap().display()
                )),
                None => wrong.push(format!(
                    "{}: `crate::{used}` is in no layer",
                    file.display()
                )),
            }
        }
    }
    assert!(wrong.is_empty(), "layer violations:\n{}", wrong.join("\n"));
}

#[test]
fn every_top_level_module_has_a_layer() {
    let lib = std::fs::read_to_string(src().join("lib.rs")).unwrap();
    for line in lib.lines() {
        if let Some(name) = line.strip_prefix("pub mod ") {
            let name = name.trim_end_matches(';');
            assert!(layer_of(name).is_some(), "`{name}` has no layer");
        }
    }
}

#[test]
fn no_source_file_over_800_lines() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).unwrap().lines().count();
            (n > 800).then(|| format!("{}: {n} lines", f.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these files:\n{}", long.join("\n"));
}

#[test]
fn the_checker_sees_test_code_and_paths() {
    let code = production_code(
        "use crate::a::X;\nfn f() { crate::b::g(); }\n// crate::c\n#[cfg(test)]\nmod tests { use crate::d; }\nuse crate::{e::Y, f};\n",
    );
    let refs: Vec<_> = crate_refs(&code).into_iter().collect();
    assert_eq!(refs, ["a", "b", "e", "f"]);
}

/// A rule file may use the registry (`declare_rule!`, `support`) but never another rule:
/// shared semantics live in `resolve/` (issue 9; ruff keeps rule bodies apart the same way).
#[test]
fn no_rule_uses_another_rule() {
    let rules = src().join("rules");
    let names: Vec<String> = std::fs::read_dir(&rules)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "mod")
        .collect();
    let mut wrong = Vec::new();
    for name in &names {
        let code =
            production_code(&std::fs::read_to_string(rules.join(format!("{name}.rs"))).unwrap());
        for other in &names {
            let uses = [
                format!("crate::rules::{other}::"),
                format!("crate::rules::{{{other}"),
                format!("super::{other}::"),
            ];
            if other != name && uses.iter().any(|u| code.contains(u.as_str())) {
                wrong.push(format!("rules/{name}.rs uses rules/{other}.rs"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
