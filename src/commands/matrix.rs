//! `meshlint matrix`: every client workload × service port, as curl would see it.

use std::io::Write;

use serde::Serialize;

use super::{ExitStatus, load};
use crate::cli::{MatrixArgs, MatrixFormat};
use crate::error::Error;
use crate::model::select::{DestinationSelector, WorkloadSelector};
use crate::report::cell::{JsonCell, destination_name, json_cell};
use crate::resolve::reach;

#[derive(Serialize)]
struct Request<'a> {
    method: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct MatrixJson<'a> {
    version: u32,
    istio_version: String,
    request: Request<'a>,
    cells: Vec<JsonCell>,
}

pub fn run(
    args: MatrixArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let a = load(&args.input, &args.common, &[], err)?;
    let ns = args.common.namespace.as_deref();
    let from: Vec<WorkloadSelector> = args
        .from
        .iter()
        .map(|s| WorkloadSelector::parse(s, ns))
        .collect::<Result<_, _>>()?;
    let to: Vec<DestinationSelector> = args
        .to
        .iter()
        .map(|s| DestinationSelector::parse(s, ns))
        .collect::<Result<_, _>>()?;
    let clients: Vec<usize> = (0..a.inv.workloads.len())
        .filter(|&i| from.is_empty() || from.iter().any(|s| s.matches(&a.inv.workloads[i])))
        .collect();
    let mut targets: Vec<(usize, usize)> = if to.is_empty() {
        a.inv
            .services
            .iter()
            .enumerate()
            .flat_map(|(si, s)| (0..s.ports.len()).map(move |pi| (si, pi)))
            .collect()
    } else {
        to.iter().flat_map(|s| s.select(&a.inv)).collect()
    };
    targets.sort_by_key(|&(s, p)| destination_name(&a, s, p));
    targets.dedup();
    let mut cells = Vec::new();
    for &c in &clients {
        for &(s, p) in &targets {
            cells.push(reach::evaluate(&a, c, s, p));
        }
    }
    cells.sort_by_key(|c| {
        (
            a.inv.workloads[c.client].id(),
            destination_name(&a, c.service, c.port),
        )
    });
    match args.output {
        MatrixFormat::Json => {
            let doc = MatrixJson {
                version: 1,
                istio_version: a.profile.version.to_string(),
                request: Request {
                    method: &args.request.method,
                    path: &args.request.path,
                },
                cells: cells.iter().map(|c| json_cell(&a, c)).collect(),
            };
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        _ => {
            for c in &cells {
                let j = json_cell(&a, c);
                let (from_ns, from_name) = j.from.split_once('/').unwrap_or(("", &j.from));
                let to_host = j.to.split(':').next().unwrap_or_default();
                let code = match (j.http_code, j.curl_exit) {
                    (Some(code), 0) => code.to_owned(),
                    (Some(code), e) => format!("{code}\ncommand terminated with exit code {e}"),
                    (None, 0) => "connected".to_owned(),
                    (None, e) => format!("connection closed (exit code {e})"),
                };
                writeln!(out, "{from_name}.{from_ns} to {to_host}: {code}")?;
            }
        }
    }
    Ok(ExitStatus::Success)
}
