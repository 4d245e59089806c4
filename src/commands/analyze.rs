//! `meshlint analyze`: load, run the rule catalog, render, and decide the exit status by
//! `--fail-on` — the same in every output format.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use super::{ExitStatus, load};
use crate::cli::{AnalyzeArgs, CommonArgs, FailOn, RuleArgs};
use crate::config::{self, Config};
use crate::diagnostic::Severity;
use crate::engine::{self, Settings};
use crate::error::Error;
use crate::report::{self, ReportInput};

pub fn run(
    args: AnalyzeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let Prepared {
        settings,
        fail_on,
        common,
        exclude,
    } = prepare(
        &args.rules,
        &args.input.paths(),
        &args.common,
        args.baseline.as_deref(),
        err,
    )?;
    let analysis = load(&args.input, &common, &exclude, err)?;
    let decisions = crate::resolve::decisions::Decisions::new(&analysis);
    let mut outcome = engine::run_with(&decisions, &settings);
    super::warn_notes(&outcome.notes, err);
    if let Some(ns) = super::output_namespace(&analysis, &common, err) {
        outcome.findings.retain(|f| super::in_namespace(f, ns));
    }
    let threshold = threshold(fail_on);
    // CI formats attach annotations by repository path (issue 15).
    let root = match args.output {
        crate::cli::Format::Sarif
        | crate::cli::Format::Github
        | crate::cli::Format::Gitlab
        | crate::cli::Format::Junit => repository_root(args.root.as_deref()),
        _ => None,
    };
    if let Some(root) = &root {
        from_root(root, &mut outcome.findings);
    }
    let color = super::style(&common).color;
    let input = ReportInput {
        findings: &outcome.findings,
        istio_version: analysis.profile.version,
        resources: analysis.resources(),
        files: analysis.files,
        suppressed: outcome.suppressed,
        color,
        width: super::style(&common).width,
        fail_on: threshold,
        quiet: common.quiet,
        baselined: outcome.baselined,
        version_source: analysis.profile.source_text(),
        root: root.as_ref().map(|r| r.to_string_lossy().into_owned()),
    };
    if args.statistics {
        report::concise::statistics(&input, out)?;
    } else {
        report::render(args.output.into(), &input, out)?;
    }
    let failed = threshold.is_some_and(|t| outcome.findings.iter().any(|f| f.severity >= t));
    // The process ends after this command: freeing millions of small allocations one by one
    // (a tenth of the run on the SPEC §9 corpus) is left to the OS (issue 14).
    std::mem::forget(outcome);
    std::mem::forget(decisions);
    std::mem::forget(analysis);
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// What the rule flags and the configuration file decide before the inputs are read.
pub(crate) struct Prepared {
    pub settings: Settings,
    pub fail_on: FailOn,
    /// The shared flags with the configuration's `istio-version` filled in.
    pub common: CommonArgs,
    /// The configuration's `exclude` globs.
    pub exclude: Vec<String>,
}

/// Reads the configuration (found from `inputs` unless given or refused) and merges it with
/// the rule flags; validates selectors and suppressions.
///
/// Errors: [`Error::Config`] for a bad configuration file, [`Error::Usage`] for unknown rules,
/// malformed suppressions or an unreadable baseline.
pub(crate) fn prepare(
    rules: &RuleArgs,
    inputs: &[String],
    common: &CommonArgs,
    baseline: Option<&Path>,
    err: &mut dyn Write,
) -> Result<Prepared, Error> {
    let (config, config_path) = if rules.no_config {
        (Config::default(), None)
    } else {
        let path = match &rules.config {
            Some(p) => Some(p.clone()),
            None => discover_from_inputs(inputs, err)?,
        };
        if let Some(p) = &path
            && common.verbose > 0
        {
            let _ = writeln!(err, "meshlint: configuration from {}", p.display());
        }
        match path {
            Some(p) => (config::read(&p)?, Some(p)),
            None => (Config::default(), None),
        }
    };
    let severity = match &config_path {
        Some(p) => engine::severity_overrides(&config, p)?,
        None => Default::default(),
    };
    let pick = |cli: &[String], cfg: &[String]| {
        if cli.is_empty() {
            cfg.to_vec()
        } else {
            cli.to_vec()
        }
    };
    let settings = Settings {
        select: pick(&rules.select, &config.select),
        extend_select: [config.extend_select.clone(), rules.extend_select.clone()].concat(),
        ignore: [config.ignore.clone(), rules.ignore.clone()].concat(),
        severity,
        suppress: [config.suppress.clone(), rules.suppress.clone()].concat(),
        baseline: match baseline {
            Some(p) => read_baseline(p)?,
            None => BTreeSet::new(),
        },
    };
    engine::validate_selectors(&settings.select)?;
    engine::validate_selectors(&settings.extend_select)?;
    engine::validate_selectors(&settings.ignore)?;
    engine::validate_suppressions(&settings.suppress)?;
    let fail_on = match (rules.fail_on, &config.fail_on) {
        (Some(f), _) => f,
        (None, Some(text)) => parse_fail_on(text)?,
        (None, None) => FailOn::Warning,
    };
    let mut common = common.clone();
    if common.istio_version.is_none()
        && let Some(v) = &config.istio_version
    {
        common.istio_version = Some(v.parse().map_err(|e: String| {
            Error::Config {
                path: config_path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
                message: format!("istio-version: {e}"),
            }
        })?);
    }
    Ok(Prepared {
        settings,
        fail_on,
        common,
        exclude: config.exclude,
    })
}

/// The lowest severity that fails the run (`None`: never).
pub(crate) fn threshold(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

/// The configuration file for these inputs ([`config::discover_for_inputs`]); a warning when
/// they lie under different ones.
fn discover_from_inputs(
    inputs: &[String],
    err: &mut dyn Write,
) -> Result<Option<std::path::PathBuf>, Error> {
    let found = config::discover_for_inputs(inputs, &std::env::current_dir()?);
    if found.len() > 1 {
        let _ = writeln!(
            err,
            "meshlint: warning: the inputs are under different configuration files ({}); using {}",
            found
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            found[0].display()
        );
    }
    Ok(found.into_iter().next())
}

/// `--root`, or the git work tree (a directory holding `.git`) around the working directory,
/// made absolute; `None` outside one.
pub(crate) fn repository_root(flag: Option<&std::path::Path>) -> Option<std::path::PathBuf> {
    if let Some(dir) = flag {
        return std::fs::canonicalize(dir).ok();
    }
    let cwd = std::env::current_dir().ok()?;
    cwd.ancestors()
        .find(|d| d.join(".git").exists())
        .and_then(|d| std::fs::canonicalize(d).ok())
}

/// Points every location of `findings` (their own and related ones) at paths relative to
/// `root`, for the CI formats whose annotations attach by repository path.
pub(crate) fn from_root<'f>(
    root: &std::path::Path,
    findings: impl IntoIterator<Item = &'f mut crate::diagnostic::Finding>,
) {
    for f in findings {
        let related = f.related.iter_mut().map(|r| &mut r.location);
        for loc in f.location.iter_mut().chain(related) {
            loc.file = relative_to(root, &loc.file);
        }
    }
}

/// `file` relative to `root` when it is a file under it; as given otherwise (`<stdin>`,
/// `cluster/…`, files elsewhere).
pub(crate) fn relative_to(
    root: &std::path::Path,
    file: &std::sync::Arc<str>,
) -> std::sync::Arc<str> {
    std::fs::canonicalize(&**file)
        .ok()
        .and_then(|abs| {
            abs.strip_prefix(root)
                .ok()
                .map(|rel| rel.to_string_lossy().replace('\\', "/"))
        })
        .map_or_else(|| file.clone(), std::sync::Arc::from)
}

fn parse_fail_on(text: &str) -> Result<FailOn, Error> {
    use clap::ValueEnum;
    FailOn::from_str(text, true).map_err(|_| {
        Error::Usage(format!(
            "fail-on must be error, warning, info or never, not `{text}`"
        ))
    })
}

/// A baseline is a previous `analyze -o json` output; its fingerprints are accepted.
fn read_baseline(path: &std::path::Path) -> Result<BTreeSet<String>, Error> {
    let bad = |m: String| Error::Usage(format!("--baseline {}: {m}", path.display()));
    let text =
        std::fs::read_to_string(path).map_err(|e| bad(crate::input::files::io_reason(&e)))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| bad(format!("not meshlint JSON output: {e}")))?;
    let findings = v
        .get("findings")
        .and_then(|f| f.as_array())
        .ok_or_else(|| {
            bad("no `findings` array: use the output of `meshlint analyze -o json`".into())
        })?;
    Ok(findings
        .iter()
        .filter_map(|f| f.get("fingerprint")?.as_str().map(str::to_owned))
        .collect())
}
