//! `meshlint check --from W --to HOST:PORT`: one request, explained stage by stage — the TLS
//! the client sends, the mode the server enforces, the transport outcome — each with the
//! resources, files and lines that decided it. Request-level stages (JWT, CUSTOM, DENY,
//! ALLOW) join the trace when `resolve::reach` evaluates them.

use std::io::Write;

use serde::Serialize;

use super::matrix::{request_json, select_destinations, select_workloads};
use super::{ExitStatus, load};
use crate::analysis::Analysis;
use crate::cli::{CheckArgs, TextOrJson};
use crate::error::Error;
use crate::report::matrix::{RequestJson, Tone, tone};
use crate::resolve::cell::{JsonCell, JsonRef, destination_name, json_cell, json_ref};
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::{self, Cell};
use crate::resolve::rejected::would_decide;

#[derive(Serialize)]
struct Stage {
    stage: &'static str,
    decision: String,
    by: Vec<JsonRef>,
    detail: String,
    /// The decision as the text form shows it.
    #[serde(skip)]
    shown: String,
    #[serde(skip)]
    tone: Tone,
}

#[derive(Serialize)]
struct CheckJson {
    version: u32,
    istio_version: String,
    request: RequestJson,
    #[serde(flatten)]
    cell: JsonCell,
    trace: Vec<Stage>,
    /// The client's identity as the server proxy sees it (SPIFFE principal without
    /// `spiffe://`; null over plaintext).
    client_identity: Option<String>,
    /// The path after the proxy's normalization (query string left out), what policies match.
    seen_path: String,
    /// The token was accepted without its signature being checked (no key set given): the
    /// answer assumes the signature is valid.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    signature_unchecked: bool,
    /// Refused objects that would change this answer, had they been applied (issue 10).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    not_applied: Vec<NotApplied>,
}

/// A refused object that would have decided the request.
#[derive(Serialize)]
struct NotApplied {
    kind: &'static str,
    namespace: String,
    name: String,
    /// Why it is refused (its first violation).
    reason: String,
    file: String,
    line: u32,
    /// The answer with the object applied.
    would_be: &'static str,
    would_be_code: String,
}

fn not_applied(a: &Analysis, cell: &Cell, ctx: &reach::RequestContext) -> Vec<NotApplied> {
    would_decide(a, cell, ctx)
        .into_iter()
        .map(|w| {
            let o = &a.inv.objects[w.object];
            let r = a.rejected.iter().find(|r| r.object == w.object);
            let v = r.and_then(|r| r.violations.first());
            let at = o.locate(v.map_or("", |v| v.path.as_str()));
            let (code, exit) = w.outcome.curl(w.http);
            NotApplied {
                kind: o.kind.name(),
                namespace: o.namespace().to_owned(),
                name: o.name().to_owned(),
                reason: v.map_or_else(String::new, |v| v.message.clone()),
                file: at.file.to_string(),
                line: at.pos.line,
                would_be: w.outcome.as_str(),
                would_be_code: match (code, exit) {
                    (_, _) if w.outcome == crate::resolve::transport::Outcome::Depends => {
                        "?".to_owned()
                    }
                    (Some(c), 0) => c.to_owned(),
                    (Some(c), e) => format!("{c}/{e}"),
                    (None, e) => format!("000/{e}"),
                },
            }
        })
        .collect()
}

/// `--to` as a URL (`scheme://host[:port][/path]`): the `host:port` to look up (the scheme's
/// default port when none is given), the path (`None` without one) and the Host header curl
/// would send (the port left out when it is the default). `None` when `to` is no URL.
fn split_url(to: &str) -> Option<(String, Option<String>, String)> {
    let (scheme, rest) = to.split_once("://")?;
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        443
    } else {
        80
    };
    let (authority, path) = match rest.find(['/', '?']) {
        Some(i) => (&rest[..i], Some(rest[i..].to_owned())),
        None => (rest, None),
    };
    let (host, port) = match authority.rsplit_once(':') {
        Some((h, p)) if p.parse::<u16>().is_ok() => (h, p.parse::<u16>().unwrap_or(default_port)),
        _ => (authority, default_port),
    };
    let header = if port == default_port {
        host.to_owned()
    } else {
        format!("{host}:{port}")
    };
    let path = path.map(|p| {
        if p.starts_with('?') {
            format!("/{p}")
        } else {
            p
        }
    });
    Some((format!("{host}:{port}"), path, header))
}

pub fn run(
    mut args: CheckArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    if let Some((to, path, host)) = split_url(&args.to) {
        args.to = to;
        if let Some(p) = path
            && args.request.path == "/"
        {
            args.request.path = p;
        }
        if args.request.host.is_none() {
            args.request.host = Some(host);
        }
    }
    let a = load(&args.input, &args.common, &[], err)?;
    let ns = args.common.namespace.as_deref();
    let client = match select_workloads(&a, &args.from, ns)?.as_slice() {
        [one] => *one,
        many => {
            let mut names: Vec<_> = many.iter().map(|&i| a.inv.workloads[i].id()).collect();
            names.sort();
            return Err(Error::Usage(format!(
                "--from {} matches {} workloads: {}; name one as namespace/name",
                args.from,
                names.len(),
                names.join(", ")
            )));
        }
    };
    let (service, port) = match select_destinations(&a, &args.to, ns)?.as_slice() {
        [one] => *one,
        many => {
            let mut names: Vec<_> = many
                .iter()
                .map(|&(s, p)| destination_name(&a, s, p))
                .collect();
            names.sort();
            return Err(Error::Usage(format!(
                "--to {} matches {} service ports: {}; give one as service.namespace:port",
                args.to,
                names.len(),
                names.join(", ")
            )));
        }
    };
    let ctx = crate::resolve::reach::RequestContext {
        detail: crate::resolve::reach::Detail::Every,
        ..super::request_context(&args.request)?
    };
    let request = request_json(&args.request, &ctx);
    let d = Decisions::new(&a);
    let cell = reach::evaluate(&d, client, service, port, &ctx);
    let trace = trace(&a, &cell);
    let unchecked = crate::resolve::authn::signature_unchecked(&cell.stages);
    let not_applied = not_applied(&a, &cell, &ctx);
    let client_identity = reach::peer(&d, client, cell.sends).principal;
    let seen_path = crate::resolve::request::seen_path(&a, &ctx.request.path);
    let json = json_cell(&a, &cell);
    let (shown, result) = (json.code(), json.result);
    match args.output {
        TextOrJson::Json => {
            let doc = CheckJson {
                version: 1,
                istio_version: a.profile.version.to_string(),
                request,
                cell: json,
                trace,
                client_identity,
                seen_path,
                signature_unchecked: unchecked,
                not_applied,
            };
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            text(&json, &request, &trace, unchecked, &args, out)?;
            if !args.common.quiet {
                writeln!(out)?;
                let identity = format!(
                    "client identity: {}",
                    client_identity.as_deref().map_or_else(
                        || "none (not Istio mTLS: identity fields cannot match)".to_owned(),
                        |p| format!("spiffe://{p}")
                    )
                );
                let width = super::style(&args.common).width;
                for l in crate::report::wrap_lines(&identity, width, "", "   ") {
                    writeln!(out, "{l}")?;
                }
                if seen_path != ctx.request.path {
                    writeln!(out, "path as the proxy sees it: {seen_path}")?;
                }
            }
            for n in &not_applied {
                writeln!(out)?;
                writeln!(
                    out,
                    "not applied: {} {}/{} is refused ({}:{}: {}); applied, it would give {} ({})",
                    n.kind,
                    n.namespace,
                    n.name,
                    n.file,
                    n.line,
                    n.reason,
                    n.would_be_code,
                    n.would_be
                )?;
            }
        }
    }
    // `--expect`: a regression test for one request in CI.
    if let Some(want) = &args.expect
        && want != &shown
        && want != result
    {
        let _ = writeln!(err, "meshlint: expected {want}, got {shown} ({result})");
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}

fn text(
    c: &JsonCell,
    request: &RequestJson,
    trace: &[Stage],
    signature_unchecked: bool,
    args: &CheckArgs,
    out: &mut dyn Write,
) -> std::io::Result<()> {
    let st = super::style(&args.common);
    let paint = |t: Tone, s: &str| t.paint(s, st.color);
    let bold = |s: &str| {
        if st.color {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    };
    let t = tone(c.result);
    writeln!(
        out,
        "{} → {}: {} ({}){}",
        bold(&c.from),
        bold(&c.to),
        paint(t, &c.code()),
        paint(t, c.result),
        if signature_unchecked { " —" } else { "" }
    )?;
    if signature_unchecked {
        let note = "assuming the token's signature is valid: it was not checked (give \
                    --jwks URI=FILE)";
        for l in crate::report::wrap_lines(note, st.width, "   ", "   ") {
            writeln!(out, "{l}")?;
        }
    }
    if !st.quiet {
        let host = request
            .host
            .as_deref()
            .map_or(String::new(), |h| format!(" Host: {h}"));
        writeln!(out, "request: {} {}{host}", request.method, request.path)?;
    }
    for (i, s) in trace.iter().enumerate() {
        writeln!(out)?;
        writeln!(
            out,
            "{}. {:<12} {}",
            i + 1,
            bold(stage_title(s.stage)),
            paint(s.tone, &s.shown)
        )?;
        for b in &s.by {
            let ns = b
                .namespace
                .as_deref()
                .map_or(String::new(), |n| format!("{n}/"));
            let line = b.line.map_or(String::new(), |l| format!(":{l}"));
            writeln!(out, "   by {} {ns}{}", b.kind, b.name)?;
            let at = format!("{}{line} {}", b.file, b.field);
            for l in crate::report::wrap_lines(&at, st.width, "      ", "        ") {
                writeln!(out, "{l}")?;
            }
        }
        for line in crate::report::wrap_lines(&s.detail, st.width, "   ", "   ") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn stage_title(stage: &str) -> &str {
    match stage {
        "client-tls" => "client TLS",
        "server-mtls" => "server mTLS",
        other => other,
    }
}

fn trace(a: &Analysis, cell: &Cell) -> Vec<Stage> {
    let mut stages = vec![Stage {
        stage: "client-tls",
        decision: cell.sends.as_str().to_owned(),
        by: cell
            .client_decision
            .decided_by
            .iter()
            .map(|f| json_ref(a, f))
            .collect(),
        detail: cell.client_decision.reason.clone(),
        shown: cell.sends.as_str().to_owned(),
        tone: Tone::Good,
    }];
    if let Some((w, port, d)) = &cell.endpoint {
        let mode = d
            .mode
            .map_or_else(|| "none".to_owned(), |m| m.as_str().to_owned());
        stages.push(Stage {
            stage: "server-mtls",
            shown: mode.clone(),
            decision: mode,
            by: d.decided_by.iter().map(|f| json_ref(a, f)).collect(),
            detail: format!(
                "{} on target port {port}: {}",
                a.inv.workloads[*w].id(),
                d.reason
            ),
            tone: Tone::Good,
        });
    }
    // Request stages run only after the connection was made.
    let transport = if cell.stages.is_empty() {
        cell.outcome
    } else {
        crate::resolve::transport::Outcome::Ok
    };
    let (http_code, curl_exit) = transport.curl(cell.http);
    let shown = match (http_code, curl_exit) {
        (Some(c), 0) if cell.stages.is_empty() => format!("{} ({c})", transport.as_str()),
        (Some(_), 0) => format!("{} (connected)", transport.as_str()),
        (Some(c), e) => format!("{} ({c}, curl exit {e})", transport.as_str()),
        (None, 0) => format!("{} (TCP connection)", transport.as_str()),
        (None, e) => format!("{} (TCP, curl exit {e})", transport.as_str()),
    };
    stages.push(Stage {
        stage: "transport",
        decision: transport.as_str().to_owned(),
        shown,
        by: Vec::new(),
        detail: cell.transport.clone(),
        tone: tone(transport.as_str()),
    });
    for st in &cell.stages {
        stages.push(Stage {
            stage: st.stage,
            decision: st.decision.clone(),
            shown: st.decision.clone(),
            by: st.by.iter().map(|f| json_ref(a, f)).collect(),
            detail: st.detail.clone(),
            tone: match st.decision.as_str() {
                "deny" | "forbidden" | "unauthenticated" => Tone::Bad,
                _ => Tone::Good,
            },
        });
    }
    stages
}
