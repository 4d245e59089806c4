//! Finding input files: explicit files, directories walked recursively for `.yaml`/`.yml`/`.json`,
//! `-` for standard input, and `--exclude` globs. Order is deterministic: arguments in the order
//! given, directory entries sorted by name.

use std::path::{Path, PathBuf};

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::error::Error;

/// One input to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputSource {
    File(PathBuf),
    Stdin,
    /// A file already read, as a version of it at a git revision (`diff --base-ref`); `name` is
    /// shown in findings (`origin/main:k8s/policy.yaml`).
    Blob {
        name: String,
        bytes: std::sync::Arc<[u8]>,
    },
}

impl InputSource {
    /// The name shown in findings: the path as the user wrote it, or `<stdin>`.
    pub fn display(&self) -> String {
        match self {
            InputSource::File(p) => p.to_string_lossy().into_owned(),
            InputSource::Stdin => "<stdin>".to_owned(),
            InputSource::Blob { name, .. } => name.clone(),
        }
    }
}

/// The extensions of manifest files.
pub const EXTENSIONS: &[&str] = &["yaml", "yml", "json"];

/// meshlint's own configuration files (`.meshlint.yaml`): never read as manifests.
pub const CONFIG_FILE_NAMES: &[&str] = &[".meshlint.yaml", ".meshlint.yml"];

/// Builds the exclude matcher from `--exclude` globs.
pub fn exclude_set(globs: &[String]) -> Result<GlobSet, Error> {
    let mut b = GlobSetBuilder::new();
    for g in globs {
        let glob =
            Glob::new(g).map_err(|e| Error::Usage(format!("bad --exclude glob `{g}`: {e}")))?;
        b.add(glob);
        // `charts/**` should also exclude `./charts/x` and `deploy/charts/x`.
        if !g.starts_with("**/")
            && !g.starts_with('/')
            && let Ok(glob) = Glob::new(&format!("**/{g}"))
        {
            b.add(glob);
        }
    }
    b.build()
        .map_err(|e| Error::Usage(format!("bad --exclude globs: {e}")))
}

/// A file the directory walk leaves out, and why (listed with `-v`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedFile {
    pub path: PathBuf,
    pub reason: String,
}

/// Expands the arguments into the list of inputs. No arguments means the current directory.
pub fn collect(args: &[String], exclude: &GlobSet) -> Result<Vec<InputSource>, Error> {
    collect_with_skips(args, exclude).map(|(sources, _)| sources)
}

/// [`collect`], and the files the walk skipped: unrendered Helm chart templates (files under
/// `templates/` beside a `Chart.yaml`), which are Go templates, not YAML (issue 13).
pub fn collect_with_skips(
    args: &[String],
    exclude: &GlobSet,
) -> Result<(Vec<InputSource>, Vec<SkippedFile>), Error> {
    let mut skipped = Vec::new();
    let sources = collect_into(args, exclude, &mut skipped)?;
    Ok((sources, skipped))
}

fn collect_into(
    args: &[String],
    exclude: &GlobSet,
    skipped: &mut Vec<SkippedFile>,
) -> Result<Vec<InputSource>, Error> {
    let default = [".".to_owned()];
    let args = if args.is_empty() { &default[..] } else { args };
    let mut out = Vec::new();
    for arg in args {
        if arg == "-" {
            if !out.contains(&InputSource::Stdin) {
                out.push(InputSource::Stdin);
            }
            continue;
        }
        let path = PathBuf::from(arg);
        let meta = std::fs::metadata(&path)
            .map_err(|e| Error::Input(format!("{arg}: {}", io_reason(&e))))?;
        if meta.is_dir() {
            walk(&path, exclude, &mut out, skipped, 0)?;
        } else if let Some(chart) = path.parent().filter(|d| is_chart_templates(d)) {
            skipped.push(SkippedFile {
                path: path.clone(),
                reason: chart_template_reason(chart),
            });
        } else if !excluded(&path, exclude) {
            out.push(InputSource::File(path));
        }
    }
    Ok(out)
}

/// Version-control and tool directories: they never hold manifests, and the walk never
/// enters them.
pub const SKIPPED_DIRS: &[&str] = &[".git", ".hg", ".svn", "target", "node_modules"];

/// Whether the walk would leave out the file `path` (relative to where it starts) by one of
/// its directories: an excluded one (the walk does not enter it) or one of [`SKIPPED_DIRS`].
/// For inputs listed rather than walked (a git revision's files).
pub fn in_skipped_dir(path: &Path, exclude: &GlobSet) -> bool {
    path.ancestors()
        .skip(1)
        .filter(|d| !d.as_os_str().is_empty())
        .any(|d| {
            excluded(d, exclude)
                || d.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| SKIPPED_DIRS.contains(&n))
        })
}

/// Whether `path` matches an `--exclude` glob.
pub fn excluded(path: &Path, exclude: &GlobSet) -> bool {
    let p = path.strip_prefix("./").unwrap_or(path);
    exclude.is_match(p)
}

/// Whether `dir` is the `templates/` directory of a Helm chart (a `Chart.yaml` beside it).
fn is_chart_templates(dir: &Path) -> bool {
    dir.file_name().is_some_and(|n| n == "templates")
        && dir
            .parent()
            .is_some_and(|p| p.join("Chart.yaml").is_file() || p.join("Chart.yml").is_file())
}

/// Why the files of chart templates directory `dir` are skipped, and how to lint them.
fn chart_template_reason(dir: &Path) -> String {
    let chart = dir.parent().unwrap_or(dir).display();
    format!(
        "an unrendered Helm template of chart {chart}; lint the rendered chart: `helm template {chart} | meshlint analyze -`"
    )
}

/// Every file under `dir`, sorted.
fn list_files(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            if depth < 64 {
                list_files(&p, out, depth + 1);
            }
        } else {
            out.push(p);
        }
    }
}

fn walk(
    dir: &Path,
    exclude: &GlobSet,
    out: &mut Vec<InputSource>,
    skipped: &mut Vec<SkippedFile>,
    depth: usize,
) -> Result<(), Error> {
    if depth > 64 {
        return Ok(());
    }
    if is_chart_templates(dir) {
        let mut files = Vec::new();
        list_files(dir, &mut files, depth);
        for path in files {
            skipped.push(SkippedFile {
                path,
                reason: chart_template_reason(dir),
            });
        }
        return Ok(());
    }
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| Error::Input(format!("{}: {}", dir.display(), io_reason(&e))))?
        .filter_map(Result::ok)
        .collect();
    entries.sort_by_key(std::fs::DirEntry::file_name);
    for entry in entries {
        let path = if dir == Path::new(".") {
            PathBuf::from(entry.file_name())
        } else {
            entry.path()
        };
        if excluded(&path, exclude) {
            continue;
        }
        let Ok(file_type) = entry.file_type() else {
            continue;
        };
        if file_type.is_dir() {
            if entry
                .file_name()
                .to_str()
                .is_some_and(|n| SKIPPED_DIRS.contains(&n))
            {
                continue;
            }
            walk(&path, exclude, out, skipped, depth + 1)?;
        } else if CONFIG_FILE_NAMES
            .iter()
            .any(|n| entry.file_name() == std::ffi::OsStr::new(n))
        {
            // meshlint's own configuration is not a manifest.
            continue;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
            && (file_type.is_file() || path.is_file())
        {
            out.push(InputSource::File(path));
        }
    }
    Ok(())
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_sorted_and_excludes() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("b/charts")).unwrap();
        for f in [
            "b/z.yaml",
            "b/a.yml",
            "b/charts/x.yaml",
            "b/readme.md",
            "a.json",
            ".meshlint.yaml",
        ] {
            std::fs::write(root.join(f), "{}").unwrap();
        }
        let ex = exclude_set(&["charts/**".to_owned()]).unwrap();
        let got = collect(&[root.to_string_lossy().into_owned()], &ex).unwrap();
        let names: Vec<_> = got
            .iter()
            .map(|s| s.display().replace(&*root.to_string_lossy(), ""))
            .collect();
        assert_eq!(names, ["/a.json", "/b/a.yml", "/b/z.yaml"]);
    }

    #[test]
    fn missing_path_is_an_input_error() {
        let err = collect(&["/no/such/place".to_owned()], &exclude_set(&[]).unwrap()).unwrap_err();
        assert!(err.to_string().contains("no such file"), "{err}");
    }
}
