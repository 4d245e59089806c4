//! `meshlint check --from W --to HOST:PORT`: one request, explained stage by stage.

use std::io::Write;

use serde::Serialize;

use super::{ExitStatus, load};
use crate::cli::{CheckArgs, TextOrJson};
use crate::error::Error;
use crate::model::select::{DestinationSelector, WorkloadSelector};
use crate::report::cell::{JsonCell, JsonRef, json_cell, json_ref};
use crate::resolve::reach::{self, Cell};

#[derive(Serialize)]
struct Request<'a> {
    method: &'a str,
    path: &'a str,
}

#[derive(Serialize)]
struct Stage {
    stage: &'static str,
    decision: String,
    by: Vec<JsonRef>,
    detail: String,
}

#[derive(Serialize)]
struct CheckJson<'a> {
    version: u32,
    istio_version: String,
    request: Request<'a>,
    #[serde(flatten)]
    cell: JsonCell,
    trace: Vec<Stage>,
}

pub fn run(args: CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    let a = load(&args.input, &args.common, &[], err)?;
    let ns = args.common.namespace.as_deref();
    let from = WorkloadSelector::parse(&args.from, ns)?;
    let clients: Vec<usize> = (0..a.inv.workloads.len())
        .filter(|&i| from.matches(&a.inv.workloads[i]))
        .collect();
    let client = match clients.as_slice() {
        [one] => *one,
        [] => {
            return Err(Error::Usage(format!(
                "--from {}: no such workload in the inputs",
                args.from
            )));
        }
        many => {
            let names: Vec<_> = many.iter().map(|&i| a.inv.workloads[i].id()).collect();
            return Err(Error::Usage(format!(
                "--from {} matches several workloads: {}",
                args.from,
                names.join(", ")
            )));
        }
    };
    let to = DestinationSelector::parse(&args.to, ns)?;
    let (service, port) = match to.select(&a.inv).as_slice() {
        [one] => *one,
        [] => {
            return Err(Error::Usage(format!(
                "--to {}: no such service port in the inputs",
                args.to
            )));
        }
        _ => {
            return Err(Error::Usage(format!(
                "--to {} matches several service ports: give the port",
                args.to
            )));
        }
    };
    let cell = reach::evaluate(&a, client, service, port);
    let trace = trace(&a, &cell);
    match args.output {
        TextOrJson::Json => {
            let doc = CheckJson {
                version: 1,
                istio_version: a.profile.version.to_string(),
                request: Request {
                    method: &args.request.method,
                    path: &args.request.path,
                },
                cell: json_cell(&a, &cell),
                trace,
            };
            serde_json::to_writer_pretty(&mut *out, &doc).map_err(std::io::Error::from)?;
            writeln!(out)?;
        }
        TextOrJson::Text => {
            let c = json_cell(&a, &cell);
            let code = c.http_code.unwrap_or("tcp");
            writeln!(
                out,
                "{} → {}: {code} (curl exit {}) {}",
                c.from, c.to, c.curl_exit, c.result
            )?;
            for s in &trace {
                writeln!(out, "  {:<10} {}", s.stage, s.decision)?;
                for b in &s.by {
                    let ns = b
                        .namespace
                        .as_deref()
                        .map_or(String::new(), |n| format!("{n}/"));
                    let line = b.line.map_or(String::new(), |l| format!(":{l}"));
                    writeln!(
                        out,
                        "             by {} {ns}{} ({}{line} {})",
                        b.kind, b.name, b.file, b.field
                    )?;
                }
                writeln!(out, "             {}", s.detail)?;
            }
        }
    }
    Ok(ExitStatus::Success)
}

fn trace(a: &crate::analysis::Analysis, cell: &Cell) -> Vec<Stage> {
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
    }];
    if let Some((w, port, d)) = &cell.endpoint {
        stages.push(Stage {
            stage: "server-mtls",
            decision: d
                .mode
                .map_or_else(|| "none".to_owned(), |m| m.as_str().to_owned()),
            by: d.decided_by.iter().map(|f| json_ref(a, f)).collect(),
            detail: format!(
                "{} on target port {port}: {}",
                a.inv.workloads[*w].id(),
                d.reason
            ),
        });
    }
    stages.push(Stage {
        stage: "transport",
        decision: cell.outcome.as_str().to_owned(),
        by: Vec::new(),
        detail: cell.reason.clone(),
    });
    stages
}
