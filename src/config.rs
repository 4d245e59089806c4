//! `.meshlint.yaml`: project configuration, found by walking up from the inputs (or the working
//! directory).
//! Unknown keys and unknown rule names are errors (exit 2), so a typo never silently disables
//! a check.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::error::Error;
use crate::input::de::decode;
use crate::input::yaml::parse_documents;

pub use crate::input::files::CONFIG_FILE_NAMES as FILE_NAMES;

#[derive(Debug, Clone, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Config {
    #[serde(default)]
    pub select: Vec<String>,
    #[serde(default)]
    pub extend_select: Vec<String>,
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Rule code or name → severity (`error`, `warning`, `info`).
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub suppress: Vec<String>,
    pub fail_on: Option<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    pub istio_version: Option<String>,
}

/// The nearest config file at or above `start`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find_map(|dir| FILE_NAMES.iter().map(|n| dir.join(n)).find(|p| p.is_file()))
}

/// The configuration files for `inputs` (issue 15, as ruff finds them), first input's first:
/// the nearest at or above each input (a file's directory, or the directory itself); when no
/// input leads to one (stdin, a cluster), the one at or above `cwd`. Empty when there is none.
pub fn discover_for_inputs(inputs: &[String], cwd: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = Vec::new();
    for input in inputs.iter().filter(|i| *i != "-") {
        let path = cwd.join(input);
        let start = if path.is_dir() {
            path
        } else {
            path.parent().map_or(cwd.to_path_buf(), Path::to_path_buf)
        };
        if let Some(p) = discover(&start)
            && !found.contains(&p)
        {
            found.push(p);
        }
    }
    if found.is_empty() {
        found.extend(discover(cwd));
    }
    found
}

/// Reads and checks a config file.
pub fn read(path: &Path) -> Result<Config, Error> {
    let err = |message: String| Error::Config {
        path: path.display().to_string(),
        message,
    };
    let text = std::fs::read_to_string(path).map_err(|e| err(e.to_string()))?;
    let arena = bumpalo::Bump::new();
    let doc = parse_documents(&text, &arena)
        .into_iter()
        .next()
        .ok_or_else(|| err("empty file".into()))?;
    match doc.root {
        Err(e) => Err(err(e.to_string())),
        Ok(None) => Ok(Config::default()),
        Ok(Some(node)) => decode(&node, false).map_err(|e| err(format!("{}: {e}", e.pos))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_rejects_unknown_keys() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(".meshlint.yaml");
        std::fs::write(
            &p,
            "select: [mtls]\nseverity: {pod-missing-proxy: warning}\nfail-on: error\n",
        )
        .unwrap();
        let c = read(&p).unwrap();
        assert_eq!(c.select, ["mtls"]);
        assert_eq!(
            crate::engine::severity_overrides(&c, &p).unwrap()["ML0403"],
            crate::rule_meta::Severity::Warning
        );
        std::fs::write(&p, "selct: [mtls]\n").unwrap();
        let e = read(&p).unwrap_err().to_string();
        assert!(
            e.contains("unknown field `selct`") && e.contains("1:1"),
            "{e}"
        );
        let sub = dir.path().join("a/b");
        std::fs::create_dir_all(&sub).unwrap();
        assert_eq!(discover(&sub), Some(p));
    }
}
