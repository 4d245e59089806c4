//! One file per command; `run` dispatches. Commands read inputs through [`load`] and write
//! results to the given writer; errors return to `main`, which maps them to exit codes.

use std::io::Write;

use crate::analysis::Analysis;
use crate::cli::{Cli, ColorChoice, Command, CommonArgs, InputArgs};
use crate::error::Error;
use crate::input::{files, load};
use crate::report::matrix::Style;
use std::io::IsTerminal;

pub mod analyze;
pub mod check;
pub mod completions;
pub mod describe;
pub mod diff;
pub mod explain;
pub mod matrix;
pub mod report;
pub mod rules;

/// How a command ended, mapped to the process exit code by `main`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitStatus {
    /// Nothing at or above the failure threshold.
    Success,
    /// Findings at or above the failure threshold.
    Failure,
}

pub fn run(cli: Cli, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    match cli.command {
        Command::Analyze(args) => analyze::run(args, out, err),
        Command::Rules(args) => rules::run(&args, out),
        Command::Explain(args) => explain::run(&args, out),
        Command::Completions(args) => completions::run(&args, out),
        Command::Matrix(args) => matrix::run(args, out, err),
        Command::Check(args) => check::run(args, out, err),
        Command::Diff(args) => diff::run(args, out, err),
        Command::Report(args) => report::run(args, out, err),
        Command::Describe(args) => describe::run(args, out, err),
    }
}

/// Reads the inputs and builds the analysis every command starts from.
pub fn load(
    input: &InputArgs,
    common: &CommonArgs,
    extra_excludes: &[String],
    err: &mut dyn Write,
) -> Result<Analysis, Error> {
    let excludes: Vec<String> = input
        .exclude
        .iter()
        .chain(extra_excludes)
        .cloned()
        .collect();
    let exclude = files::exclude_set(&excludes)?;
    let opts = load::LoadOptions {
        default_namespace: common.namespace.clone(),
    };
    let loaded = if input.kube {
        load_cluster(input, &exclude, &opts, common.verbose > 0, err)?
    } else {
        let sources = collect(&input.paths(), &exclude, common.verbose > 0, err)?;
        load::load(&sources, &opts)?
    };
    analysis_of(loaded, input.allow_empty, common, err)
}

/// Each name's position in `names` (the last, if one repeats).
pub(crate) fn positions(names: &[String]) -> std::collections::HashMap<&str, usize> {
    names
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect()
}

/// The files `paths` name ([`files::collect_with_skips`]), with a note per reason a file was
/// skipped (each chart's templates); `verbose` names every skipped file.
pub fn collect(
    paths: &[String],
    exclude: &globset::GlobSet,
    verbose: bool,
    err: &mut dyn Write,
) -> Result<Vec<files::InputSource>, Error> {
    let (sources, skipped) = files::collect_with_skips(paths, exclude)?;
    let mut reasons: Vec<&str> = skipped.iter().map(|s| s.reason.as_str()).collect();
    reasons.dedup();
    for reason in reasons {
        let n = skipped.iter().filter(|s| s.reason == reason).count();
        let _ = writeln!(err, "meshlint: skipped {n} file(s): {reason}");
    }
    if verbose {
        for s in &skipped {
            let _ = writeln!(err, "meshlint: skipped {}", s.path.display());
        }
    }
    Ok(sources)
}

/// The analysis of what was read: notes on skipped templates, the empty-input check, the mesh
/// config flag, and the version warning.
///
/// Errors: [`Error::Usage`] when nothing at all was read (unless `allow_empty`) or the
/// `--mesh-config` file is bad.
pub fn analysis_of(
    loaded: crate::input::load::Loaded,
    allow_empty: bool,
    common: &CommonArgs,
    err: &mut dyn Write,
) -> Result<Analysis, Error> {
    if !loaded.templates.is_empty() {
        let _ = writeln!(
            err,
            "meshlint: skipped {} file(s): unrendered templates (`{{{{ … }}}}` actions, not YAML); render them first, e.g. `helm template <chart> | meshlint analyze -`",
            loaded.templates.len()
        );
        if common.verbose > 0 {
            for t in &loaded.templates {
                let _ = writeln!(err, "meshlint: skipped {t}");
            }
        }
    }
    // Nothing at all to analyze is an error (issue 13): a failed `helm template` or
    // `kustomize build` upstream would otherwise pass as a clean run.
    let nothing = loaded.objects.is_empty()
        && loaded.issues.is_empty()
        && loaded.skipped.keys().all(|k| k.starts_with('('));
    if nothing && !allow_empty {
        return Err(Error::Usage(format!(
            "the inputs hold no Kubernetes object ({} file(s) read); check the command that produced them, or pass --allow-empty",
            loaded.files
        )));
    }
    let mesh = common
        .mesh_config
        .as_deref()
        .map(crate::input::mesh_config::read_file)
        .transpose()?;
    let analysis = Analysis::new(loaded, common.istio_version, mesh);
    if let Some(w) = analysis.profile.warning() {
        let _ = writeln!(err, "meshlint: warning: {w}");
    }
    if common.verbose > 0 {
        let _ = writeln!(
            err,
            "meshlint: {} files, {} objects, Istio {} ({})",
            analysis.files,
            analysis.resources(),
            analysis.profile.version,
            analysis.profile.source_text()
        );
        for (kind, n) in &analysis.skipped {
            let _ = writeln!(err, "meshlint: skipped {n} × {kind} (not read by meshlint)");
        }
        for s in &analysis.inv.mesh_sources {
            let _ = writeln!(err, "meshlint: mesh config from {}", s.description);
        }
    }
    Ok(analysis)
}

/// `-k`: the cluster(s), overlaid by the files given explicitly (no input means no files here,
/// not the current directory). Kinds that could not be read are reported on stderr too.
fn load_cluster(
    input: &InputArgs,
    exclude: &globset::GlobSet,
    opts: &load::LoadOptions,
    verbose: bool,
    err: &mut dyn Write,
) -> Result<crate::input::load::Loaded, Error> {
    use crate::input::cluster;
    // On a terminal, one stderr line that follows the lists, cleared when they end.
    let tty = std::io::stderr().is_terminal();
    let cluster_opts = cluster::ClusterOptions {
        kubeconfig: input.kubeconfig.clone(),
        contexts: input.context.clone(),
        request_timeout: cluster::parse_timeout(&input.request_timeout)?,
        progress: cluster::OnProgress(tty.then(|| {
            std::sync::Arc::new(|p: &cluster::ListProgress| {
                eprint!("\r\x1b[2K{}", progress_line(p));
            }) as cluster::ProgressFn
        })),
    };
    let from_cluster = cluster::load(&cluster_opts, opts);
    if tty {
        eprint!("\r\x1b[2K");
    }
    let from_cluster = from_cluster?;
    for u in &from_cluster.unreadable {
        let _ = writeln!(
            err,
            "meshlint: warning: context {}: cannot read {} ({}): {}; analyzing the rest",
            u.context, u.kind, u.resource, u.reason
        );
    }
    if verbose {
        for (context, kind) in &from_cluster.absent {
            let _ = writeln!(
                err,
                "meshlint: context {context}: {kind} is not served (API not installed)"
            );
        }
    }
    let paths = input.paths();
    let files = if paths.is_empty() {
        crate::input::load::Loaded::default()
    } else {
        load::load(&files::collect(&paths, exclude)?, opts)?
    };
    Ok(cluster::merge(from_cluster.loaded, files))
}

/// The request every cell stands for, from the request flags (SPEC §3.5). The token is read
/// and decoded here and never printed.
pub fn request_context(
    args: &crate::cli::RequestArgs,
) -> Result<crate::resolve::reach::RequestContext, Error> {
    use crate::resolve::jwt::{JwksStore, Token};
    use crate::resolve::request::Request;
    let mut headers: Vec<(String, String)> = args
        .headers
        .iter()
        .map(|h| {
            h.split_once(':')
                .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
                .filter(|(k, _)| !k.is_empty())
                .ok_or_else(|| Error::Usage(format!("--header `{h}`: expected 'Name: value'")))
        })
        .collect::<Result<_, _>>()?;
    // `--header 'Host: …'` is the Host header, as with curl; `--host` wins.
    let host_header = headers
        .iter()
        .position(|(k, _)| k == "host")
        .map(|i| headers.remove(i).1);
    let token = match args.token.as_deref() {
        None => None,
        Some("-") => {
            let mut text = String::new();
            std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)?;
            Some(Token::parse(text.trim()).map_err(|e| Error::Usage(format!("--token -: {e}")))?)
        }
        Some(path) => Some(
            Token::from_file(std::path::Path::new(path))
                .map_err(|e| Error::Usage(format!("--token {path}: {e}")))?,
        ),
    };
    let now = match args.now.as_deref() {
        None => jiff::Timestamp::now().as_second(),
        Some(text) => text
            .parse::<jiff::Timestamp>()
            .map_err(|e| Error::Usage(format!("--now `{text}`: not an RFC 3339 time ({e})")))?
            .as_second(),
    };
    let mut jwks = JwksStore::new();
    for pair in &args.jwks {
        jwks.load_pair(pair)
            .map_err(|e| Error::Usage(format!("--jwks {pair}: {e}")))?;
    }
    Ok(crate::resolve::reach::RequestContext {
        request: Request {
            // Sent as given, as curl -X does: Envoy refuses a lower-case method with 400.
            method: args.method.clone(),
            path: args.path.clone(),
            host: args.host.clone().or(host_header),
            headers,
            source_ip: match args.source_ip.as_deref() {
                None => None,
                Some(ip) => Some(
                    ip.trim()
                        .parse::<std::net::IpAddr>()
                        .map_err(|e| Error::Usage(format!("--source-ip `{ip}`: {e}")))?
                        .to_string(),
                ),
            },
            token,
        },
        now,
        jwks,
        detail: crate::resolve::reach::Detail::Deciding,
    })
}

impl From<crate::cli::Format> for crate::report::Format {
    fn from(f: crate::cli::Format) -> Self {
        use crate::cli::Format as F;
        match f {
            F::Text => Self::Text,
            F::Concise => Self::Concise,
            F::Json => Self::Json,
            F::Sarif => Self::Sarif,
            F::Github => Self::Github,
            F::Junit => Self::Junit,
            F::Gitlab => Self::Gitlab,
        }
    }
}

impl From<crate::cli::MatrixFormat> for crate::report::matrix::MatrixFormat {
    fn from(f: crate::cli::MatrixFormat) -> Self {
        use crate::cli::MatrixFormat as F;
        match f {
            F::Table => Self::Table,
            F::Wide => Self::Wide,
            F::Json => Self::Json,
            F::Csv => Self::Csv,
            F::Markdown => Self::Markdown,
            F::Lines => Self::Lines,
        }
    }
}

/// The engine's notes (a suppression that matched nothing, an ignore annotation naming no
/// rule), as warnings on stderr.
pub(crate) fn warn_notes(notes: &[String], err: &mut dyn Write) {
    for note in notes {
        let _ = writeln!(err, "meshlint: warning: {note}");
    }
}

/// A `-n` namespace the inputs never mention filters everything out: say so, with the
/// nearest names (issue 15).
pub(crate) fn warn_unknown_namespace(a: &Analysis, ns: &str, err: &mut dyn Write) {
    if !a.holds_namespace(ns) {
        let known: Vec<String> = a.inv.namespaces.iter().cloned().collect();
        let _ = writeln!(
            err,
            "meshlint: warning: no object of the inputs is in namespace {ns}{}",
            crate::suggest::did_you_mean(ns, &known, "namespaces")
        );
    }
}

/// `-n NS` as an output filter: `Some(NS)` unless `-A` is given, after warning when the
/// inputs never mention NS. Every command that reports findings or cells filters by it the
/// same way ([`in_namespace`]; cells: the service ports of NS, from every client).
pub(crate) fn output_namespace<'c>(
    a: &Analysis,
    common: &'c CommonArgs,
    err: &mut dyn Write,
) -> Option<&'c str> {
    let ns = common
        .namespace
        .as_deref()
        .filter(|_| !common.all_namespaces)?;
    warn_unknown_namespace(a, ns, err);
    Some(ns)
}

/// Keeps the service ports of namespace `ns` among `targets` (service, port indices): the
/// cells `-n NS` shows, from every client.
pub(crate) fn keep_ports_in(a: &Analysis, targets: &mut Vec<(usize, usize)>, ns: &str) {
    targets.retain(|&(s, _)| a.inv.services[s].namespace == ns);
}

/// Whether finding `f` belongs to namespace `ns`: its resource is in `ns`; a finding on a
/// Namespace object belongs to the namespace it names; other cluster-scoped objects
/// (MeshPolicy, …) and findings on no resource concern every namespace.
pub(crate) fn in_namespace(f: &crate::diagnostic::Finding, ns: &str) -> bool {
    f.resource.as_ref().is_none_or(|r| match &r.namespace {
        Some(n) => n == ns,
        None => r.kind != "Namespace" || r.name == *ns,
    })
}

/// `meshlint: reading context kind-1: 12/31 kinds listed, 4,210 objects`.
pub fn progress_line(p: &crate::input::cluster::ListProgress) -> String {
    format!(
        "meshlint: reading context {}: {}/{} kinds listed, {} objects",
        p.context,
        p.kinds_done,
        p.kinds,
        thousands(p.objects)
    )
}

/// `4210` as `4,210`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Colour, quietness and width of text output, decided once for every command: with `--color
/// auto`, colour only where anstream would use it (a terminal, `NO_COLOR` unset or empty,
/// `TERM` not `dumb`, `CLICOLOR_FORCE` forcing it); the width from [`text_width`].
pub(crate) fn style(common: &CommonArgs) -> Style {
    let color = match common.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => !matches!(
            anstream::AutoStream::choice(&std::io::stdout()),
            anstream::ColorChoice::Never
        ),
    };
    Style {
        color,
        quiet: common.quiet,
        width: width_of(&common.text),
    }
}

/// The columns text output wraps at: `--width`, else the terminal's width when stdout is one,
/// else `$COLUMNS` (as `ls` and clap read it when piped), else 100 (logs and pipes). Never
/// under 40, where no table or diagnostic fits.
pub fn text_width(flag: Option<u16>, columns: Option<&str>) -> usize {
    let terminal = || {
        std::io::stdout()
            .is_terminal()
            .then(|| comfy_table::Table::new().width())
            .flatten()
    };
    let env = || {
        columns
            .and_then(|c| c.trim().parse::<u16>().ok())
            .filter(|&c| c > 0)
    };
    flag.or_else(terminal)
        .or_else(env)
        .map_or(DEFAULT_WIDTH, usize::from)
        .max(40)
}

/// The width `--width` or the environment give (see [`text_width`]).
pub(crate) fn width_of(args: &crate::cli::WidthArgs) -> usize {
    text_width(args.width, std::env::var("COLUMNS").ok().as_deref())
}

/// Text width when neither a flag, a terminal nor `$COLUMNS` gives one.
const DEFAULT_WIDTH: usize = 100;
