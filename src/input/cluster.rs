//! `-k/--kube`: the mesh read from the Kubernetes API (SPEC §2, §10).
//!
//! For each kubeconfig context (or the current one, or the in-cluster config), meshlint asks
//! which API groups and versions are served, then lists — concurrently and page by page —
//! exactly the kinds of [`KINDS`](crate::model::kind::KINDS) (never Secrets). Every listed
//! item goes through the same decoding as a file ([`load::load_text`] on the item's JSON text),
//! so strictness and rules are identical; its origin is `cluster/<context>`, and positions
//! refer to that JSON text (one line per object).
//!
//! A kind that the server does not serve (a CRD that is not installed: 404, or a group absent
//! from discovery) is simply not there. A kind that cannot be read (403 and other API errors)
//! is left out, reported as a finding and on stderr, and the rest is analyzed. A server that
//! cannot be reached (connection refused, DNS, TLS, authentication, timeout) stops the run
//! with an error naming the context and the server.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use kube::api::{ListParams, Request};
use kube::config::{KubeConfigOptions, Kubeconfig};
use kube::{Client, Config};
use rayon::prelude::*;
use serde_json::Value;

use super::load::{self, IssueKind, LoadIssue, LoadOptions, Loaded};
use super::yaml::Pos;
use crate::error::Error;
use crate::model::kind::{KINDS, KindInfo};
use crate::source::Location;

/// Items per list request; `MESHLINT_KUBE_PAGE_SIZE` overrides it (used by the tests).
const PAGE_SIZE: u32 = 500;

/// Where and how to read the cluster(s).
#[derive(Debug, Clone, Default)]
pub struct ClusterOptions {
    /// `--kubeconfig`; otherwise `$KUBECONFIG`, `~/.kube/config`, then in-cluster.
    pub kubeconfig: Option<PathBuf>,
    /// `--context` (repeatable); empty: the current context.
    pub contexts: Vec<String>,
    /// `--request-timeout`: bounds each request (connect and response); `None`: no bound.
    pub request_timeout: Option<Duration>,
    /// Told after each kind's list ends (the command shows it on a terminal).
    pub progress: OnProgress,
}

/// How far reading one context has come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListProgress {
    pub context: String,
    /// Kinds whose lists ended, of those listed.
    pub kinds_done: usize,
    pub kinds: usize,
    /// Objects listed so far in this context.
    pub objects: usize,
}

/// What is told of progress, from the list tasks' runtime.
pub type ProgressFn = Arc<dyn Fn(&ListProgress) + Send + Sync>;

/// A progress callback; none by default.
#[derive(Clone, Default)]
pub struct OnProgress(pub Option<ProgressFn>);

impl std::fmt::Debug for OnProgress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "OnProgress(set)"
        } else {
            "OnProgress(none)"
        })
    }
}

/// A kind that could not be read from one cluster (the analysis goes on without it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable {
    pub context: String,
    pub kind: &'static str,
    /// `group/version/plural` that was listed.
    pub resource: String,
    pub reason: String,
}

/// What the cluster(s) gave: the objects, and the kinds that could not be read.
#[derive(Debug, Default)]
pub struct ClusterLoad {
    pub loaded: Loaded,
    pub unreadable: Vec<Unreadable>,
    /// Kinds whose API is not served, per context (a CRD that is not installed).
    pub absent: Vec<(String, &'static str)>,
}

/// Parses `--request-timeout`: `30s`, `500ms`, `2m`, `1h`, `1m30s`, or a bare number of
/// seconds; `0` means no timeout (as in kubectl).
pub fn parse_timeout(text: &str) -> Result<Option<Duration>, Error> {
    let bad = || {
        Error::Usage(format!(
            "--request-timeout `{text}`: expected a duration such as 30s, 500ms, 2m or 1m30s"
        ))
    };
    let t = text.trim();
    if t.is_empty() {
        return Err(bad());
    }
    if let Ok(secs) = t.parse::<u64>() {
        return Ok((secs > 0).then(|| Duration::from_secs(secs)));
    }
    // Go `time.ParseDuration` syntax, as kubectl's `--request-timeout` (kube-core's parser).
    let parsed: kube::core::Duration = t.parse().map_err(|_| bad())?;
    if parsed.is_negative() {
        return Err(bad());
    }
    let total = Duration::from(parsed);
    Ok((!total.is_zero()).then_some(total))
}

/// Reads every context and merges them (a later context replaces the same
/// kind/namespace/name of an earlier one).
pub fn load(opts: &ClusterOptions, load_opts: &LoadOptions) -> Result<ClusterLoad, Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Io(std::io::Error::other(format!("async runtime: {e}"))))?;
    runtime.block_on(load_all(opts, load_opts))
}

async fn load_all(opts: &ClusterOptions, load_opts: &LoadOptions) -> Result<ClusterLoad, Error> {
    let targets = configs(opts).await?;
    let mut out = ClusterLoad::default();
    for (context, config) in targets {
        let one = load_context(&context, config, opts, load_opts).await?;
        out.unreadable.extend(one.unreadable);
        out.absent.extend(one.absent);
        out.loaded.issues.extend(one.loaded.issues);
        for (k, n) in one.loaded.skipped {
            *out.loaded.skipped.entry(k).or_default() += n;
        }
        out.loaded.bytes += one.loaded.bytes;
        out.loaded.objects.extend(one.loaded.objects);
    }
    out.loaded.objects = overlay(std::mem::take(&mut out.loaded.objects), Vec::new());
    Ok(out)
}

/// Files over the cluster: a file object replaces the cluster object of the same
/// kind/namespace/name (an overlay, not a duplicate); issues and counts add up.
pub fn merge(cluster: Loaded, files: Loaded) -> Loaded {
    let mut issues = cluster.issues;
    issues.extend(files.issues);
    let mut skipped = cluster.skipped;
    for (k, n) in files.skipped {
        *skipped.entry(k).or_default() += n;
    }
    Loaded {
        objects: overlay(cluster.objects, files.objects),
        issues,
        skipped,
        files: files.files,
        bytes: cluster.bytes + files.bytes,
        templates: files.templates,
    }
}

/// `base` then `top`: an object of `top` replaces the same kind/namespace/name of `base`
/// (and within each list, a later object replaces an earlier one), keeping first positions.
pub fn overlay(
    base: Vec<crate::model::resource::Object>,
    top: Vec<crate::model::resource::Object>,
) -> Vec<crate::model::resource::Object> {
    let mut out: Vec<crate::model::resource::Object> = Vec::with_capacity(base.len() + top.len());
    let mut seen = HashMap::new();
    for obj in base.into_iter().chain(top) {
        let key = (obj.kind, obj.namespace.clone(), obj.name().to_owned());
        match seen.get(&key) {
            Some(&i) => out[i] = obj,
            None => {
                seen.insert(key, out.len());
                out.push(obj);
            }
        }
    }
    out
}

/// The (context name, client config) pairs to read.
async fn configs(opts: &ClusterOptions) -> Result<Vec<(String, Config)>, Error> {
    let bound = |mut config: Config| {
        config.connect_timeout = opts.request_timeout;
        config.read_timeout = opts.request_timeout;
        config.write_timeout = opts.request_timeout;
        config
    };
    let file = match &opts.kubeconfig {
        Some(path) => Kubeconfig::read_from(path)
            .map_err(|e| Error::Kubeconfig(format!("kubeconfig {}: {e}", path.display())))?,
        None => match Kubeconfig::read() {
            Ok(k) => k,
            Err(e) if !opts.contexts.is_empty() => {
                return Err(Error::Kubeconfig(format!(
                    "kubeconfig ($KUBECONFIG or ~/.kube/config): {e}"
                )));
            }
            Err(kubeconfig) => {
                let config = Config::incluster().map_err(|e| {
                    Error::Kubeconfig(format!(
                        "no usable kubeconfig ({kubeconfig}) and not running in a pod ({e}); \
                         give --kubeconfig"
                    ))
                })?;
                return Ok(vec![("in-cluster".to_owned(), bound(config))]);
            }
        },
    };
    let contexts = if opts.contexts.is_empty() {
        vec![file.current_context.clone().ok_or_else(|| {
            Error::Kubeconfig("kubeconfig: no current-context; name one with --context".to_owned())
        })?]
    } else {
        opts.contexts.clone()
    };
    let mut out = Vec::with_capacity(contexts.len());
    for context in contexts {
        let options = KubeConfigOptions {
            context: Some(context.clone()),
            ..KubeConfigOptions::default()
        };
        let config = Config::from_custom_kubeconfig(file.clone(), &options)
            .await
            .map_err(|e| Error::Kubeconfig(format!("kubeconfig context {context}: {e}")))?;
        out.push((context, bound(config)));
    }
    Ok(out)
}

/// How one list request went.
enum Listed {
    Items(Vec<Value>),
    /// 404: the resource is not served.
    Absent,
    /// Another API error (403 …): the kind is left out.
    Refused(String),
}

async fn load_context(
    context: &str,
    config: Config,
    opts: &ClusterOptions,
    load_opts: &LoadOptions,
) -> Result<ClusterLoad, Error> {
    let timeout = opts.request_timeout;
    let server = config.cluster_url.to_string();
    let fatal = |message: String| Error::Cluster {
        context: context.to_owned(),
        server: server.clone(),
        message,
    };
    let client = Client::try_from(config).map_err(|e| fatal(describe(&e)))?;
    let groups = with_timeout(timeout, client.list_api_groups())
        .await
        .map_err(|e| fatal(format!("API discovery (GET /apis): {e}")))?;
    // Served versions per group, and the preferred one.
    let served: HashMap<&str, (Vec<&str>, Option<&str>)> = groups
        .groups
        .iter()
        .map(|g| {
            (
                g.name.as_str(),
                (
                    g.versions.iter().map(|v| v.version.as_str()).collect(),
                    g.preferred_version.as_ref().map(|p| p.version.as_str()),
                ),
            )
        })
        .collect();
    let page_size = std::env::var("MESHLINT_KUBE_PAGE_SIZE")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|&n: &u32| n > 0)
        .unwrap_or(PAGE_SIZE);

    let mut out = ClusterLoad::default();
    let mut tasks = tokio::task::JoinSet::new();
    for info in KINDS {
        let Some(version) = pick_version(info, &served) else {
            out.absent.push((context.to_owned(), info.name));
            continue;
        };
        let path = list_path(info, version);
        let client = client.clone();
        tasks.spawn(async move {
            let listed = list_all(&client, &path, page_size, timeout).await;
            (info, version, path, listed)
        });
    }
    let origin: Arc<str> = format!("cluster/{context}").into();
    let mut results = Vec::new();
    let mut progress = ListProgress {
        context: context.to_owned(),
        kinds_done: 0,
        kinds: tasks.len(),
        objects: 0,
    };
    while let Some(joined) = tasks.join_next().await {
        let (info, version, path, listed) =
            joined.map_err(|e| fatal(format!("a list task failed: {e}")))?;
        let listed = listed.map_err(&fatal)?;
        progress.kinds_done += 1;
        if let Listed::Items(items) = &listed {
            progress.objects += items.len();
        }
        if let Some(report) = &opts.progress.0 {
            report(&progress);
        }
        results.push((info.kind, info, version, path, listed));
    }
    // Deterministic order, whatever order the lists finished in.
    results.sort_by_key(|r| r.0);
    let mut texts = Vec::new();
    for (_, info, version, path, listed) in results {
        let items = match listed {
            Listed::Items(items) => items,
            Listed::Absent => {
                out.absent.push((context.to_owned(), info.name));
                continue;
            }
            Listed::Refused(reason) => {
                out.loaded.issues.push(LoadIssue {
                    kind: IssueKind::NotListed,
                    location: Location {
                        file: origin.clone(),
                        pos: Pos::default(),
                        field: String::new(),
                    },
                    resource: None,
                    message: format!(
                        "cannot list {} from the cluster ({path}): {reason}; \
                         the analysis goes on without them",
                        info.name
                    ),
                    related: None,
                });
                out.unreadable.push(Unreadable {
                    context: context.to_owned(),
                    kind: info.name,
                    resource: path,
                    reason,
                });
                continue;
            }
        };
        let api_version = if info.group.is_empty() {
            version.to_owned()
        } else {
            format!("{}/{version}", info.group)
        };
        for mut item in items {
            if let Value::Object(map) = &mut item {
                // Lists of built-in kinds leave apiVersion/kind out of their items.
                map.entry("apiVersion")
                    .or_insert_with(|| Value::String(api_version.clone()));
                map.entry("kind")
                    .or_insert_with(|| Value::String(info.name.to_owned()));
            }
            let text = match serde_json::to_string(&item) {
                Ok(t) => t,
                Err(e) => return Err(fatal(format!("re-encoding a listed {}: {e}", info.name))),
            };
            out.loaded.bytes += text.len();
            texts.push(text);
        }
    }
    // Decoding is CPU work: in parallel, as for files, in list order.
    let decoded: Vec<_> = texts
        .par_iter()
        .map(|text| load::load_text(&origin, text, load_opts))
        .collect();
    for (objects, issues, skipped) in decoded {
        out.loaded.objects.extend(objects);
        out.loaded.issues.extend(issues);
        for (k, n) in skipped {
            *out.loaded.skipped.entry(k).or_default() += n;
        }
    }
    Ok(out)
}

/// The version to list a kind in: the group's preferred version when meshlint knows it for
/// this kind, else the newest known version the server serves; `None` when none is served.
fn pick_version(
    info: &KindInfo,
    served: &HashMap<&str, (Vec<&str>, Option<&str>)>,
) -> Option<&'static str> {
    if info.group.is_empty() {
        return info.versions.first().copied();
    }
    let (versions, preferred) = served.get(info.group)?;
    if let Some(p) = preferred
        && let Some(v) = info.versions.iter().find(|v| *v == p)
    {
        return Some(v);
    }
    info.versions
        .iter()
        .rev()
        .find(|v| versions.contains(v))
        .copied()
}

/// The REST collection path of a kind, across all namespaces.
fn list_path(info: &KindInfo, version: &str) -> String {
    let lower = info.name.to_ascii_lowercase();
    let plural = if let Some(stem) = lower.strip_suffix('y') {
        format!("{stem}ies")
    } else if lower.ends_with('s') {
        lower
    } else {
        format!("{lower}s")
    };
    if info.group.is_empty() {
        format!("/api/{version}/{plural}")
    } else {
        format!("/apis/{}/{version}/{plural}", info.group)
    }
}

/// Lists one collection, following `continue` tokens. Transport failures are errors (the
/// cluster cannot be read); API errors are per-kind outcomes.
async fn list_all(
    client: &Client,
    path: &str,
    page_size: u32,
    timeout: Option<Duration>,
) -> Result<Listed, String> {
    let mut items = Vec::new();
    let mut token: Option<String> = None;
    loop {
        let mut params = ListParams::default().limit(page_size);
        if let Some(t) = token.take() {
            params = params.continue_token(&t);
        }
        let request = Request::new(path)
            .list(&params)
            .map_err(|e| format!("{path}: {e}"))?;
        let text = match with_timeout(timeout, client.request_text(request)).await {
            Ok(t) => t,
            Err(TimedOut::Elapsed(d)) => {
                return Err(format!(
                    "GET {path}: no answer within {d:?} (--request-timeout)"
                ));
            }
            Err(TimedOut::Kube(kube::Error::Api(status))) => {
                return Ok(match status.code {
                    404 => Listed::Absent,
                    // Credentials that stopped working are not partial RBAC.
                    401 => {
                        let e = kube::Error::Api(status);
                        return Err(format!("GET {path}: {}", describe(&e)));
                    }
                    code => Listed::Refused(format!(
                        "{} ({code}): {}",
                        if status.reason.is_empty() {
                            "error"
                        } else {
                            status.reason.as_str()
                        },
                        status.message
                    )),
                });
            }
            Err(TimedOut::Kube(e)) => return Err(format!("GET {path}: {}", describe(&e))),
        };
        let mut list: Value =
            serde_json::from_str(&text).map_err(|e| format!("GET {path}: not a list: {e}"))?;
        match list.get_mut("items").map(Value::take) {
            Some(Value::Array(page)) => items.extend(page),
            Some(Value::Null) | None => {}
            Some(_) => return Err(format!("GET {path}: `items` is not an array")),
        }
        token = list
            .pointer("/metadata/continue")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned);
        if token.is_none() {
            return Ok(Listed::Items(items));
        }
    }
}

enum TimedOut {
    Elapsed(Duration),
    Kube(kube::Error),
}

impl std::fmt::Display for TimedOut {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TimedOut::Elapsed(d) => write!(f, "no answer within {d:?} (--request-timeout)"),
            TimedOut::Kube(e) => f.write_str(&describe(e)),
        }
    }
}

async fn with_timeout<T>(
    timeout: Option<Duration>,
    fut: impl Future<Output = Result<T, kube::Error>>,
) -> Result<T, TimedOut> {
    match timeout {
        Some(d) => match tokio::time::timeout(d, fut).await {
            Ok(r) => r.map_err(TimedOut::Kube),
            Err(_) => Err(TimedOut::Elapsed(d)),
        },
        None => fut.await.map_err(TimedOut::Kube),
    }
}

/// A kube error with its whole chain of causes (`connection refused`, DNS, TLS …).
fn describe(e: &kube::Error) -> String {
    if let kube::Error::Api(status) = e {
        return format!("{} ({}): {}", status.reason, status.code, status.message);
    }
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts() {
        assert_eq!(
            parse_timeout("30s").ok(),
            Some(Some(Duration::from_secs(30)))
        );
        assert_eq!(
            parse_timeout("500ms").ok(),
            Some(Some(Duration::from_millis(500)))
        );
        assert_eq!(
            parse_timeout("1m30s").ok(),
            Some(Some(Duration::from_secs(90)))
        );
        assert_eq!(parse_timeout("2").ok(), Some(Some(Duration::from_secs(2))));
        assert_eq!(parse_timeout("0").ok(), Some(None));
        assert!(parse_timeout("soon").is_err());
        assert!(parse_timeout("5x").is_err());
        assert!(parse_timeout("").is_err());
    }

    #[test]
    fn versions() {
        use crate::model::kind::Kind;
        let pa = Kind::PeerAuthentication.info();
        let mut served = HashMap::new();
        served.insert(
            "security.istio.io",
            (vec!["v1", "v1beta1"], Some("v1beta1")),
        );
        assert_eq!(pick_version(pa, &served), Some("v1beta1"));
        served.insert("security.istio.io", (vec!["v1beta1", "v1"], Some("v2")));
        assert_eq!(pick_version(pa, &served), Some("v1"));
        served.clear();
        assert_eq!(pick_version(pa, &served), None);
        assert_eq!(pick_version(Kind::Pod.info(), &served), Some("v1"));
    }

    #[test]
    fn paths() {
        let by = |n: &str| {
            KINDS
                .iter()
                .find(|k| k.name == n)
                .map(|k| list_path(k, "v1"))
        };
        assert_eq!(by("Pod").as_deref(), Some("/api/v1/pods"));
        assert_eq!(by("Endpoints").as_deref(), Some("/api/v1/endpoints"));
        assert_eq!(
            by("ServiceEntry").as_deref(),
            Some("/apis/networking.istio.io/v1/serviceentries")
        );
        assert_eq!(
            by("MeshPolicy").as_deref(),
            Some("/apis/authentication.istio.io/v1/meshpolicies")
        );
        assert!(KINDS.iter().all(|k| !list_path(k, "v1").contains("secret")));
    }
}
