//! `meshlint matrix`: every client workload × service port, as curl would see it. The cells
//! are decided by `resolve::reach` once per class of clients (`resolve::classes`) and
//! rendered by `report::matrix`.

use std::io::Write;

use rayon::slice::ParallelSliceMut;

use super::{ExitStatus, load};
use crate::analysis::Analysis;
use crate::cli::{MatrixArgs, MatrixBy, MatrixOnly, RequestArgs};
use crate::error::Error;
use crate::model::select::{DestinationSelector, WorkloadSelector};
use crate::report::matrix::{self, MatrixView, RequestJson, TokenJson};
use crate::resolve::cell::destination_name;
use crate::resolve::classes;
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::RequestContext;

pub fn run(
    args: MatrixArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let a = load(&args.input, &args.common, &[], err)?;
    let ns = args.common.namespace.as_deref();
    let d = Decisions::new(&a);
    // The whole matrix's axes, narrowed by --from and --to, in the matrix's order; the
    // client classes every cell reads are built meanwhile (issue 14: on one core each).
    let ((mut clients, mut targets), _) = rayon::join(|| every_cell(&a), || d.namespace_classes());
    if !args.from.is_empty() {
        let mut named = std::collections::HashSet::new();
        for s in &args.from {
            named.extend(select_workloads(&a, s, ns)?);
        }
        clients.retain(|c| named.contains(c));
    }
    if !args.to.is_empty() {
        let mut named = std::collections::HashSet::new();
        for s in &args.to {
            named.extend(select_destinations(&a, s, ns)?);
        }
        targets.retain(|t| named.contains(t));
    } else if let Some(ns) = super::output_namespace(&a, &args.common, err) {
        // `-n NS`: the service ports of NS, from every client (who can reach NS).
        super::keep_ports_in(&a, &mut targets, ns);
    }
    let ctx = super::request_context(&args.request)?;
    let request = request_json(&args.request, &ctx);
    let style = super::style(&args.common);
    match args.by {
        MatrixBy::Namespace if args.only.is_some() || !args.result.is_empty() => {
            return Err(Error::Usage(
                "--only and --result filter the workload matrix; with --by namespace every pair's counts by result are shown already".into(),
            ));
        }
        MatrixBy::Namespace => {
            let summary = classes::namespace_summary(&d, &clients, &targets, &ctx);
            matrix::render_summary(
                args.output.into(),
                &summary,
                &a.profile.version.to_string(),
                &request,
                style,
                out,
            )?;
            std::mem::forget(summary);
        }
        MatrixBy::Workload => {
            let m = classes::classify(&d, &clients, &targets, &ctx);
            let mut view = MatrixView::new(&a, &m, request);
            if args.only.is_some() || !args.result.is_empty() {
                let only = args.only;
                let results = &args.result;
                view.retain(|c| {
                    let blocked = !matches!(c.result, "ok" | "depends");
                    let by_kind = match only {
                        None => true,
                        Some(MatrixOnly::Blocked) => blocked,
                        Some(MatrixOnly::Reachable) => c.result == "ok",
                        Some(MatrixOnly::Depends) => c.result == "depends",
                    };
                    // A code as the table shows it (`503*` matches 503) or a result name.
                    let code = c.code();
                    let by_result = results.is_empty()
                        || results.iter().any(|r| {
                            r == c.result || code == *r || code.trim_end_matches('*') == r
                        });
                    by_kind && by_result
                });
            }
            matrix::render(args.output.into(), &view, style, out)?;
            std::mem::forget((view, m));
        }
    }
    // The process ends after this command: the results, decisions and analysis are left to
    // the OS (see analyze).
    std::mem::forget(d);
    std::mem::forget(a);
    Ok(ExitStatus::Success)
}

/// Every client workload and every service port of the analysis, in the matrix's order
/// (workloads by `ns/name`, service ports by namespace, then `svc.ns:port`): the axes of a
/// whole matrix.
///
/// The sort keys are built on both cores: on the SPEC §9 corpus they were 20 ms of one
/// (issue 14, perf).
pub(crate) fn every_cell(a: &Analysis) -> (Vec<usize>, Vec<(usize, usize)>) {
    let mut clients: Vec<usize> = (0..a.inv.workloads.len()).collect();
    clients.par_sort_by_cached_key(|&i| a.inv.workloads[i].id());
    let mut targets: Vec<(usize, usize)> = a
        .inv
        .services
        .iter()
        .enumerate()
        .flat_map(|(si, s)| (0..s.ports.len()).map(move |pi| (si, pi)))
        .collect();
    targets.par_sort_by_cached_key(|&(s, p)| target_key(a, s, p));
    (clients, targets)
}

/// The order of service port columns: by namespace, then `svc.ns:port`.
fn target_key(a: &Analysis, s: usize, p: usize) -> (String, String, usize, usize) {
    (
        a.inv.services[s].namespace.clone(),
        destination_name(a, s, p),
        s,
        p,
    )
}

/// The workloads a `--from` selector names; none is a usage error that lists near names.
pub(crate) fn select_workloads(
    a: &Analysis,
    text: &str,
    default_ns: Option<&str>,
) -> Result<Vec<usize>, Error> {
    let sel = WorkloadSelector::parse(text, default_ns)?;
    let found: Vec<usize> = (0..a.inv.workloads.len())
        .filter(|&i| sel.matches(&a.inv.workloads[i]))
        .collect();
    if found.is_empty() {
        let ids: Vec<String> = a.inv.workloads.iter().map(|w| w.id()).collect();
        return Err(Error::Usage(format!(
            "--from {text}: no such workload in the inputs{}",
            crate::suggest::did_you_mean(text, &ids, "workloads")
        )));
    }
    Ok(found)
}

/// The service ports a `--to` selector names; none is a usage error that lists near names.
pub(crate) fn select_destinations(
    a: &Analysis,
    text: &str,
    default_ns: Option<&str>,
) -> Result<Vec<(usize, usize)>, Error> {
    let sel = DestinationSelector::parse(text, default_ns)?;
    let found = sel.select(&a.inv);
    if found.is_empty() {
        let names: Vec<String> = a
            .inv
            .services
            .iter()
            .enumerate()
            .flat_map(|(si, s)| (0..s.ports.len()).map(move |pi| (si, pi)))
            .map(|(s, p)| destination_name(a, s, p))
            .collect();
        return Err(Error::Usage(format!(
            "--to {text}: no such service port in the inputs{}",
            crate::suggest::did_you_mean(text, &names, "service ports")
        )));
    }
    Ok(found)
}

/// The request as JSON shows it: the token by issuer and subject only.
pub(crate) fn request_json(r: &RequestArgs, ctx: &RequestContext) -> RequestJson {
    let token = ctx.request.token.as_ref().map(|t| TokenJson {
        issuer: t.issuer().map(str::to_owned),
        subject: t.subject().map(str::to_owned),
    });
    RequestJson {
        method: r.method.clone(),
        path: r.path.clone(),
        host: r.host.clone(),
        headers: r.headers.iter().map(|h| redact_header(h)).collect(),
        token,
        now: r.now.clone(),
        jwks: r
            .jwks
            .iter()
            .map(|j| j.rsplit_once('=').map_or(j.as_str(), |(u, _)| u).to_owned())
            .collect(),
    }
}

/// `Authorization` and similar headers carry credentials: their values are not shown.
fn redact_header(h: &str) -> String {
    match h.split_once(':') {
        Some((name, _))
            if name.trim().eq_ignore_ascii_case("authorization")
                || name.trim().eq_ignore_ascii_case("cookie") =>
        {
            format!("{}: <redacted>", name.trim())
        }
        _ => h.to_owned(),
    }
}
