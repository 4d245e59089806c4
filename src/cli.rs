//! Command-line definitions (clap derive). Every command takes inputs the same way
//! ([`InputArgs`]) and the common flags ([`CommonArgs`]); see SPEC.md §1.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::version::IstioVersion;

mod values;

const ABOUT: &str = "Static analyzer for Istio security policy: mTLS, authentication and authorization, per workload and port";

const LONG_ABOUT: &str = "\
meshlint reads Kubernetes and Istio manifests (files, or a live cluster), works out what Istio would
really do with them — per workload and port: the mTLS mode the server enforces, the TLS the client
originates, and whether a request gets 200, 401, 403, 503 or a reset — and reports the
misconfigurations that break traffic or open holes, pointing at file and line.";

const AFTER_HELP: &str = "\
Examples:
  meshlint analyze k8s/                       lint every manifest under k8s/
  helm template . | meshlint analyze -        lint rendered chart output from stdin
  meshlint analyze -o concise k8s/            one line per finding (path:line:col: severity CODE …)
  meshlint analyze --statistics k8s/          how many findings each rule gave
  meshlint analyze -o sarif k8s/ > out.sarif  SARIF for GitHub code scanning
  meshlint matrix --istio-version 1.4 k8s/    who can reach whom, as curl would show it
  meshlint matrix -n foo --only blocked k8s/  who cannot reach the service ports of foo
  meshlint check --from foo/sleep --to http://httpbin.bar:8000/ip k8s/
  meshlint describe po httpbin-8456d4864-h4fnm -n foo k8s/
  meshlint diff --base-ref origin/main k8s/   what a change does to the mesh
  meshlint explain mtls-mode-conflict
  meshlint completions bash > /etc/bash_completion.d/meshlint

Text wraps at --width, else the terminal's width, else $COLUMNS, else 100 columns.

Exit codes: 0 nothing at or above --fail-on; 1 findings at or above it (in every output format);
2 usage error, unreadable input, cluster unreachable.";

#[derive(Debug, Parser)]
#[command(name = "meshlint", version, about = ABOUT, long_about = LONG_ABOUT, after_help = AFTER_HELP)]
#[command(propagate_version = true, arg_required_else_help = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the rule catalog over the inputs and report findings
    #[command(visible_alias = "lint", after_help = ANALYZE_HELP)]
    Analyze(AnalyzeArgs),
    /// Reachability matrix: for each client workload and service port, what a request gets
    #[command(after_help = MATRIX_HELP)]
    Matrix(MatrixArgs),
    /// What a change does to the mesh: cells whose outcome changes, new and fixed findings
    #[command(after_help = DIFF_HELP)]
    Diff(DiffArgs),
    /// One self-contained HTML page: findings, the reachability heatmap, describe per workload
    #[command(after_help = REPORT_HELP)]
    Report(ReportArgs),
    /// One request from a workload to a service port, fully explained stage by stage
    #[command(after_help = CHECK_HELP)]
    Check(CheckArgs),
    /// Everything that applies to one pod, workload, service or namespace, and why
    #[command(after_help = DESCRIBE_HELP)]
    Describe(DescribeArgs),
    /// List every rule with its code, severity, category and related istioctl/Kiali codes
    #[command(after_help = "Examples:\n  meshlint rules\n  meshlint rules -o json | jq '.[].name'")]
    Rules(RulesArgs),
    /// Show one rule's documentation
    #[command(
        after_help = "Example:\n  meshlint explain ML0101\n  meshlint explain invalid-resource"
    )]
    Explain(ExplainArgs),
    /// Write a shell completion script to stdout (bash, zsh, fish, powershell, elvish)
    #[command(
        after_help = "Example:\n  meshlint completions bash > /etc/bash_completion.d/meshlint\n  meshlint completions zsh > \"${fpath[1]}/_meshlint\""
    )]
    Completions(CompletionsArgs),
}

impl Command {
    /// `--width` as given to the command (`None` when not given, or the command has none):
    /// errors on stderr wrap to it too.
    pub fn width(&self) -> Option<u16> {
        match self {
            Command::Analyze(a) => a.common.text.width,
            Command::Matrix(a) => a.common.text.width,
            Command::Diff(a) => a.common.text.width,
            Command::Report(a) => a.common.text.width,
            Command::Check(a) => a.common.text.width,
            Command::Describe(a) => a.common.text.width,
            Command::Rules(a) => a.text.width,
            Command::Explain(a) => a.text.width,
            Command::Completions(_) => None,
        }
    }
}

const DIFF_HELP: &str = "\
Examples:
  meshlint diff old/ new/                          two directories
  meshlint diff --base-ref origin/main k8s/        k8s/ as in origin/main against the work tree
  meshlint diff --base-ref origin/main -o markdown k8s/ > comment.md
  helm template chart | meshlint diff rendered-main.yaml -

Cells are compared for the request the flags describe (GET / by default). A cell is listed when
its outcome changes: newly blocked (it was allowed or depended), newly allowed, or changed
(e.g. 403 → 503). Findings are matched by fingerprint, as --baseline does.

Exit status: 1 when a cell becomes blocked or a new finding is at or above --fail-on
(default: warning); 0 otherwise; 2 on errors.";

const REPORT_HELP: &str = "\
Examples:
  meshlint report k8s/ --output meshlint-report.html
  meshlint report --istio-version 1.24 --path /admin k8s/ > report.html

The page needs no network: styles, script and data are inline. It holds the summary, every
finding (filter by severity, rule, namespace or text; each with its rule's explanation), the
namespace × namespace heatmap of the matrix for the request the flags describe (hover for the
cell mix, click for the deciding policies and, on meshes up to 250,000 cells, the workload
grid), and a describe view of each workload (up to 300). Above 250 namespaces the heatmap
groups them in runs (250 rows and columns at most).

Exit status: 0 once the page is written, whatever the findings; with --fail-on given, 1 when a
finding is at or above it (as analyze); 2 on errors.";

const ANALYZE_HELP: &str = "\
Examples:
  meshlint analyze                              everything under the current directory
  meshlint analyze k8s/ --exclude 'charts/**'   skip a folder
  meshlint analyze -o json --fail-on error k8s/ fail the build on errors only
  meshlint analyze --select mtls --ignore ML0401 k8s/

Suppressing findings:
  on the object:     metadata.annotations: {meshlint.io/ignore: \"ML0301,pod-missing-proxy\"}
  on the command:    --suppress 'ML0301=AuthorizationPolicy foo/*'
  with a baseline:   meshlint analyze -o json > baseline.json; meshlint analyze --baseline baseline.json

Configuration is read from .meshlint.yaml, found by walking up from the inputs, else from
the working directory (-v says which file was loaded) (select, extend-select, ignore, severity, suppress, fail-on, exclude, istio-version).";

const MATRIX_HELP: &str = "\
Examples:
  meshlint matrix k8s/                          every client workload × service port
  meshlint matrix --from 'foo/*' --to 'httpbin.*' k8s/
  meshlint matrix -o lines k8s/                 like the curl loop of Istio's docs
  meshlint matrix -n foo k8s/                   who can reach the service ports of foo
  meshlint matrix --only blocked k8s/           only the cells that fail (or --result 503)
  meshlint matrix --width 200 k8s/ | less -S    wider tables when piped (else $COLUMNS or 100)
  meshlint matrix --by namespace k8s/           namespace × namespace summary for big meshes";

const CHECK_HELP: &str = "\
Examples:
  meshlint check --from foo/sleep --to httpbin.bar:8000 k8s/
  meshlint check --from istio-system/istio-ingressgateway --to httpbin.foo:8000 \\
      --path /headers --token user.jwt --jwks https://example.com/jwks.json=jwks.json k8s/";

const DESCRIBE_HELP: &str = "\
Examples:
  meshlint describe pod httpbin -n foo k8s/
  meshlint describe service httpbin.foo k8s/
  meshlint describe namespace foo k8s/";

/// Where the inputs come from.
#[derive(Debug, Args, Clone, Default)]
pub struct InputArgs {
    /// Files or directories (recursive: .yaml, .yml, .json); `-` reads stdin. Default: current directory
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Same as a positional INPUT (repeatable), as in kubectl
    #[arg(short = 'f', long = "filename", value_name = "PATH")]
    pub filename: Vec<String>,
    /// Skip files and directories matching this glob (repeatable), e.g. 'charts/**'
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Read the mesh from the Kubernetes API (files given too overlay the cluster)
    #[arg(short = 'k', long = "kube")]
    pub kube: bool,
    /// Kubeconfig file (default: $KUBECONFIG, then ~/.kube/config, then in-cluster)
    #[arg(long, value_name = "FILE")]
    pub kubeconfig: Option<PathBuf>,
    /// Kubeconfig context (repeatable: one mesh spread over several clusters)
    #[arg(long, value_name = "NAME")]
    pub context: Vec<String>,
    /// Timeout for each cluster request, e.g. 30s
    #[arg(long, value_name = "DURATION", default_value = "30s")]
    pub request_timeout: String,
    /// Accept inputs that hold no Kubernetes object (otherwise exit 2: an empty `helm template`
    /// upstream must not pass as a clean run)
    #[arg(long)]
    pub allow_empty: bool,
}

impl InputArgs {
    /// Positional inputs and `-f` values, in the order given.
    pub fn paths(&self) -> Vec<String> {
        self.inputs.iter().chain(&self.filename).cloned().collect()
    }
}

/// Flags every command shares.
#[derive(Debug, Args, Clone, Default)]
pub struct CommonArgs {
    /// Istio version to judge the inputs by: 0.3 to 1.31 (latest), 1.32 as of Istio's
    /// development branch; a patch such as 1.30.1 where a patch release changed behaviour (a
    /// minor alone means its newest patch). Newer versions run with the newest rules and a
    /// warning. Default: detected from the istiod/pilot image, IstioOperator or istio-proxy
    /// images in the inputs, else latest
    #[arg(long, value_name = "VERSION", value_parser = values::VersionValue, hide_possible_values = true)]
    pub istio_version: Option<IstioVersion>,
    /// Mesh config YAML (MeshConfig fields such as enableAutoMtls, rootNamespace, trustDomain)
    #[arg(long, value_name = "FILE")]
    pub mesh_config: Option<PathBuf>,
    /// Namespace for objects that name none, and output filter
    #[arg(short = 'n', long, value_name = "NS")]
    pub namespace: Option<String>,
    /// All namespaces (overrides -n as an output filter)
    #[arg(short = 'A', long)]
    pub all_namespaces: bool,
    /// When to use colour
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,
    /// Print only findings / results, no summary
    #[arg(short, long)]
    pub quiet: bool,
    #[command(flatten)]
    pub text: WidthArgs,
    /// More detail on stderr (skipped kinds, version detection, mesh config sources)
    #[arg(short, long, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

/// `--width`, for every command that prints text.
#[derive(Debug, Args, Clone, Default)]
pub struct WidthArgs {
    /// Columns text output wraps at. Default: the terminal's width, else $COLUMNS, else 100
    /// (logs and pipes)
    #[arg(long, value_name = "COLUMNS", value_parser = clap::value_parser!(u16).range(40..))]
    pub width: Option<u16>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    #[default]
    Auto,
    Always,
    Never,
}

/// `analyze -o`: mapped onto the renderer's own `report::Format` by the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Diagnostics with the source snippet (default)
    Text,
    /// One line per finding: `path:line:col: severity CODE [Kind ns/name] message`
    Concise,
    Json,
    Sarif,
    Github,
    Junit,
    Gitlab,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Error,
    Warning,
    Info,
    Never,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    pub output: Format,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Report only findings not in this baseline (a previous `-o json` output)
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Print how many findings each rule gave (count, code, name), not the findings
    #[arg(long, conflicts_with = "output")]
    pub statistics: bool,
    /// Repository root that sarif, github, gitlab and junit paths are relative to [default:
    /// the git work tree around the working directory]
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

/// Which rules run, how their findings are filtered, and which fail the run (`analyze`,
/// `diff`).
#[derive(Debug, Args, Clone, Default)]
pub struct RuleArgs {
    /// Exit 1 when a finding at or above this severity remains [default: warning]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Run only these rules (code, name, code prefix, category or ALL; comma-separated or repeated)
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = values::RuleValue, hide_possible_values = true)]
    pub select: Vec<String>,
    /// Also run these rules
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = values::RuleValue, hide_possible_values = true)]
    pub extend_select: Vec<String>,
    /// Do not run these rules
    #[arg(long, value_delimiter = ',', value_name = "RULE", value_parser = values::RuleValue, hide_possible_values = true)]
    pub ignore: Vec<String>,
    /// Suppress findings on objects: CODE=Kind namespace/name, globs allowed (repeatable)
    #[arg(long, value_name = "CODE=KIND NS/NAME")]
    pub suppress: Vec<String>,
    /// Configuration file (default: the .meshlint.yaml found walking up from the inputs, else from
    /// the working directory)
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Ignore any configuration file
    #[arg(long, conflicts_with = "config")]
    pub no_config: bool,
}

/// `meshlint report`: the HTML page.
#[derive(Debug, Args)]
pub struct ReportArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Write the page to FILE [default: stdout]
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// `meshlint diff`: two versions of the inputs.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// BASE and HEAD (each a file or directory, `-` for stdin); with --base-ref, the inputs
    /// of both sides (default: the current directory)
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// The base is the same inputs at this git revision (e.g. origin/main), read with git
    #[arg(long, value_name = "REF")]
    pub base_ref: Option<String>,
    /// Skip files and directories matching this glob (repeatable), e.g. 'charts/**'
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Accept a side that holds no Kubernetes object (a directory added or removed whole)
    #[arg(long)]
    pub allow_empty: bool,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub request: RequestArgs,
    #[command(flatten)]
    pub rules: RuleArgs,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = DiffFormat::Text)]
    pub output: DiffFormat,
    /// Rows per table in text and markdown, and cell annotations in github (the rest are
    /// counted; at least 1)
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub limit: usize,
    /// Repository root that github and markdown paths are relative to [default: the git work
    /// tree around the working directory]
    #[arg(long, value_name = "DIR")]
    pub root: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DiffFormat {
    Text,
    Json,
    /// Tables for a pull-request comment
    Markdown,
    /// GitHub Actions annotations: new findings at their lines, newly blocked cells
    Github,
}

/// The request a matrix cell or a check stands for (SPEC §3.5).
#[derive(Debug, Args, Clone, Default)]
pub struct RequestArgs {
    /// HTTP method, sent as given (as `curl -X`): a proxy refuses a lower-case method with 400
    #[arg(long, default_value = "GET")]
    pub method: String,
    /// Request path (query string allowed)
    #[arg(long, default_value = "/")]
    pub path: String,
    /// Host header [default: what curl sends for http://NAME.NAMESPACE:PORT/, the port left out
    /// when it is the scheme's default (80, or 443 for a port that speaks TLS)]; `--header 'Host:
    /// …'` sets it too
    #[arg(long)]
    pub host: Option<String>,
    /// The address of the connection's peer as the server proxy sees it (IPv4 or IPv6), for
    /// `ipBlocks` and `source.ip`, and for `remoteIpBlocks`/`remote.ip` where X-Forwarded-For
    /// does not decide (send one with `--header 'X-Forwarded-For: …'`: a gateway trusts
    /// `numTrustedProxies` entries from the right, a sidecar the rightmost as sent); without it
    /// an outcome that turns on the address is `depends` (matrix: `?`)
    #[arg(long, value_name = "ADDR")]
    pub source_ip: Option<String>,
    /// Extra header 'Name: value' (repeatable)
    #[arg(long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// JWT sent as 'Authorization: Bearer <token>' (`-` reads stdin); never printed
    #[arg(long, value_name = "FILE")]
    pub token: Option<String>,
    /// Time to judge token expiry by (RFC 3339; default: now)
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Key set for a jwksUri: URI=FILE (repeatable)
    #[arg(long, value_name = "URI=FILE")]
    pub jwks: Vec<String>,
}

/// `matrix -o`: mapped onto `report::matrix::MatrixFormat` by the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixFormat {
    Table,
    Wide,
    Json,
    Csv,
    Markdown,
    Lines,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixBy {
    Workload,
    Namespace,
}

#[derive(Debug, Args)]
pub struct MatrixArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub request: RequestArgs,
    /// Client workloads: ns/name, name.ns, globs (foo/*), or labels (app=sleep) (repeatable)
    #[arg(long, value_name = "SELECTOR")]
    pub from: Vec<String>,
    /// Destinations: service.namespace[:port], globs, or labels (repeatable)
    #[arg(long, value_name = "SELECTOR")]
    pub to: Vec<String>,
    /// Rows per workload, or a namespace × namespace summary
    #[arg(long, value_enum, default_value_t = MatrixBy::Workload)]
    pub by: MatrixBy,
    /// Show only these cells (and the clients and service ports that have one): blocked (any
    /// refusal), reachable, or depends
    #[arg(long, value_enum, value_name = "WHICH")]
    pub only: Option<MatrixOnly>,
    /// Show only cells with this result: a code as the table prints it (403, 503, 000/56,
    /// tcp/56, ?) or a result name (forbidden, upstream-error, reset, …); repeatable
    #[arg(long, value_name = "CODE")]
    pub result: Vec<String>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = MatrixFormat::Table)]
    pub output: MatrixFormat,
}

/// `matrix --only`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MatrixOnly {
    /// Refused: 401, 403, 503, a reset or a failed handshake
    Blocked,
    /// Allowed
    Reachable,
    /// Not decided by the inputs (`?`)
    Depends,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    #[command(flatten)]
    pub request: RequestArgs,
    /// Client workload: ns/name or name.ns
    #[arg(long, value_name = "WORKLOAD")]
    pub from: String,
    /// Destination: service.namespace:port (port number or name; FQDN accepted), or a URL as
    /// curl takes it (`http://httpbin.foo:8000/ip?x=1`: port, path and Host come from it)
    #[arg(long, value_name = "HOST:PORT|URL")]
    pub to: String,
    /// Exit 1 unless the outcome is this: a code as the matrix shows it (`200`, `403`,
    /// `000/56`, `tcp`, `tcp/56`, `?`) or a result word (`ok`, `forbidden`, `depends`, …)
    #[arg(long, value_name = "CODE")]
    pub expect: Option<String>,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub output: TextOrJson,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DescribeWhat {
    /// A pod (a name from `kubectl get pods` finds its controller); also `po`
    #[value(alias = "po", alias = "pods")]
    Pod,
    /// A Deployment, StatefulSet, DaemonSet or other workload; also `deploy`, `sts`, `ds`
    #[value(
        alias = "deploy",
        alias = "deployment",
        alias = "sts",
        alias = "statefulset",
        alias = "ds",
        alias = "daemonset"
    )]
    Workload,
    /// A Service; also `svc`
    #[value(alias = "svc", alias = "services")]
    Service,
    /// A namespace; also `ns`
    #[value(alias = "ns", alias = "namespaces")]
    Namespace,
}

#[derive(Debug, Args)]
pub struct DescribeArgs {
    /// What to describe
    #[arg(value_enum)]
    pub what: DescribeWhat,
    /// Its name (pod name, controller name, ns/name or name.ns)
    pub name: String,
    #[command(flatten)]
    pub input: InputArgs,
    #[command(flatten)]
    pub common: CommonArgs,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub output: TextOrJson,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub output: TextOrJson,
    #[command(flatten)]
    pub text: WidthArgs,
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// Rule code (ML0101) or name (invalid-resource); istioctl and Kiali codes (IST0113,
    /// KIA0207) name the related rules
    #[arg(value_parser = values::RuleValue, hide_possible_values = true)]
    pub rule: String,
    /// Output format
    #[arg(short, long, value_enum, default_value_t = TextOrJson::Text)]
    pub output: TextOrJson,
    #[command(flatten)]
    pub text: WidthArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// Shell to write the script for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
