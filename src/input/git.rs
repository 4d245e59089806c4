//! The inputs as they were at a git revision (`meshlint diff --base-ref REF`): the same paths,
//! listed with `git ls-tree` and read with one `git cat-file --batch`, filtered as a walk of the
//! work tree is (manifest extensions, `--exclude`, no chart templates, no meshlint config).
//! Paths are relative to the working directory, as git takes them there.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;

use globset::GlobSet;

use crate::error::Error;
use crate::input::files::{CONFIG_FILE_NAMES, EXTENSIONS, InputSource, excluded, in_skipped_dir};

/// The manifest files under `paths` (default `.`) at `rev`, read into memory and named
/// `REV:path`.
///
/// Errors: [`Error::Input`] when git is missing, the working directory is not in a repository,
/// or `rev` names no commit; a path that did not exist at `rev` simply holds no file.
pub fn sources_at(
    rev: &str,
    paths: &[String],
    exclude: &GlobSet,
) -> Result<Vec<InputSource>, Error> {
    let fail = |m: String| Error::Input(format!("--base-ref {rev}: {m}"));
    let commit = format!("{rev}^{{commit}}");
    match git(&["rev-parse", "--verify", "--quiet", &commit]) {
        Ok(id) if !id.trim().is_empty() => {}
        // `--quiet` silences only the unknown revision; other failures keep their message.
        Err(m) if !m.is_empty() => return Err(fail(m)),
        _ => return Err(fail("no such commit in this repository".into())),
    }
    let mut args = vec!["ls-tree", "-r", "-z", "--name-only", rev, "--"];
    let default = [".".to_owned()];
    let paths = if paths.is_empty() {
        &default[..]
    } else {
        paths
    };
    if paths.iter().any(|p| p == "-") {
        return Err(fail("`-` (stdin) has no version at a revision".into()));
    }
    args.extend(paths.iter().map(String::as_str));
    let listing = git(&args).map_err(&fail)?;
    let all: Vec<&str> = listing.split('\0').filter(|n| !n.is_empty()).collect();
    let wanted: Vec<&str> = all
        .iter()
        .copied()
        .filter(|name| is_manifest(name, &all, exclude))
        .collect();
    read_blobs(rev, &wanted).map_err(&fail)
}

/// A file the work-tree walk would read: a manifest extension, not excluded (nor in an
/// excluded or skipped directory), not meshlint's configuration, not the `templates/` of a
/// Helm chart (a `Chart.yaml` beside it in `all`).
fn is_manifest(name: &str, all: &[&str], exclude: &GlobSet) -> bool {
    let path = Path::new(name);
    let ext_ok = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
    let config = path
        .file_name()
        .and_then(|f| f.to_str())
        .is_some_and(|f| CONFIG_FILE_NAMES.contains(&f));
    let chart_template = path.ancestors().skip(1).any(|dir| {
        dir.file_name().is_some_and(|n| n == "templates")
            && dir.parent().is_some_and(|chart| {
                ["Chart.yaml", "Chart.yml"].iter().any(|c| {
                    let manifest = chart.join(c);
                    all.iter().any(|a| Path::new(a) == manifest)
                })
            })
    });
    ext_ok
        && !config
        && !chart_template
        && !excluded(path, exclude)
        && !in_skipped_dir(path, exclude)
}

/// `git cat-file --batch` over `REV:./name` for each name, in order.
fn read_blobs(rev: &str, names: &[&str]) -> Result<Vec<InputSource>, String> {
    let mut child = Command::new("git")
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let request: String = names.iter().map(|n| format!("{rev}:./{n}\n")).collect();
    // Written from another thread: git answers while it reads, and a full pipe would block both.
    let writer = std::thread::spawn(move || stdin.write_all(request.as_bytes()));
    let mut out = BufReader::new(child.stdout.take().ok_or("git cat-file: no stdout")?);
    let mut sources = Vec::with_capacity(names.len());
    for name in names {
        let mut header = String::new();
        out.read_line(&mut header)
            .map_err(|e| format!("git cat-file: {e}"))?;
        let size: usize = header
            .split_whitespace()
            .nth(2)
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected answer {header:?} for {name}"))?;
        let mut bytes = vec![0; size + 1];
        out.read_exact(&mut bytes)
            .map_err(|e| format!("git cat-file: {e}"))?;
        bytes.truncate(size);
        sources.push(InputSource::Blob {
            name: format!("{rev}:{name}"),
            bytes: Arc::from(bytes),
        });
    }
    writer
        .join()
        .map_err(|_| "git cat-file: writer panicked".to_owned())?
        .map_err(|e| format!("git cat-file: {e}"))?;
    let _ = child.wait();
    Ok(sources)
}

/// Runs git in the working directory; its stdout, or its stderr as the error.
fn git(args: &[&str]) -> Result<String, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).into_owned())
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        Err(err.lines().next().unwrap_or_default().to_owned())
    }
}
