//! `meshlint report`: gathers what the page shows — findings with their rules' explanations,
//! the namespace summary of the matrix (`resolve::classes`), per namespace pair the policies
//! that decided its blocked cells and the workload grid (on meshes small enough), and a
//! describe view per workload — into `report::html::ReportData`, and writes the page.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;

use super::analyze::{Prepared, prepare};
use super::describe::findings_on;
use super::{ExitStatus, load, positions, request_context};
use crate::analysis::Analysis;
use crate::cli::ReportArgs;
use crate::diagnostic::{Finding, Severity};
use crate::engine;
use crate::error::Error;
use crate::report::describe::{self, DescribeDoc, View};
use crate::report::html::{
    self, DESCRIBE_BYTES, DESCRIBED, Described, FindingRow, GRID_CELLS, Grid, HEATMAP_MAX, Heatmap,
    ReportData, RuleDoc, Summary,
};
use crate::resolve::cell::{destination_name, json_cell};
use crate::resolve::classes::{self, Counts, NamespaceSummary, OUTCOME_ORDER};
use crate::resolve::decisions::Decisions;
use crate::resolve::describe::workload_view;

pub fn run(
    args: ReportArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let Prepared {
        settings,
        common,
        exclude,
        ..
    } = prepare(&args.rules, &args.input.paths(), &args.common, None, err)?;
    let a = load(&args.input, &common, &exclude, err)?;
    let ctx = request_context(&args.request)?;
    let d = Decisions::new(&a);
    let outcome = engine::run_with(&d, &settings);
    super::warn_notes(&outcome.notes, err);
    let mut findings = outcome.findings;
    let (clients, mut targets) = super::matrix::every_cell(&a);
    // `-n NS`: its findings, the service ports of NS from every client (as `matrix -n`), and
    // the describe views of its workloads.
    let only = super::output_namespace(&a, &common, err);
    if let Some(ns) = only {
        findings.retain(|f| super::in_namespace(f, ns));
        super::keep_ports_in(&a, &mut targets, ns);
    }
    let summary = classes::namespace_summary(&d, &clients, &targets, &ctx);
    let mut heatmap = heatmap(&summary);
    let mut notes = Vec::new();
    let grids = if clients.len() * targets.len() <= GRID_CELLS && heatmap.group == 1 {
        grids(&a, &d, &clients, &targets, &ctx, &mut heatmap)
    } else {
        notes.push(format!(
            "The mesh has {} client workloads × {} service ports: more than {GRID_CELLS} cells, so the page carries no workload grids or deciding policies; `meshlint matrix --from 'NS/*' --to '*.NS'` gives one pair's grid.",
            clients.len(),
            targets.len()
        ));
        BTreeMap::new()
    };
    let in_scope: Vec<usize> = clients
        .iter()
        .copied()
        .filter(|&c| only.is_none_or(|ns| a.inv.workloads[c].namespace == ns))
        .collect();
    let workloads = described(&a, &d, &in_scope, &findings, &mut notes);
    let request = format!("{} {}", args.request.method, args.request.path);
    let data = ReportData {
        version: 1,
        istio_version: a.profile.version.to_string(),
        version_source: a.profile.source_text(),
        inputs: inputs_text(&args.input.paths()),
        request,
        summary: totals(&a, &findings, &summary, clients.len(), targets.len()),
        // One explanation per rule that gave findings.
        rules: findings
            .iter()
            .map(|f| (f.rule.code, f.rule))
            .collect::<BTreeMap<_, _>>()
            .into_iter()
            .map(|(code, rule)| {
                (
                    code,
                    RuleDoc {
                        name: rule.name,
                        doc: rule.doc_text(),
                    },
                )
            })
            .collect(),
        // Errors first, then warnings, then infos; in analyze's order within each.
        findings: {
            let mut sorted: Vec<&Finding> = findings.iter().collect();
            sorted.sort_by_key(|f| std::cmp::Reverse(f.severity));
            sorted.into_iter().map(row).collect()
        },
        heatmap,
        grids,
        notes,
        workloads,
    };
    match &args.output {
        Some(path) => {
            let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| {
                Error::Usage(format!(
                    "--output {}: {}",
                    path.display(),
                    crate::input::files::io_reason(&e)
                ))
            })?);
            html::render(&data, &mut file)?;
            file.flush()?;
        }
        None => html::render(&data, out)?,
    }
    // `--fail-on` given explicitly fails the run as `analyze` would; by default a report never
    // fails (the page is the product).
    let failed = args
        .rules
        .fail_on
        .and_then(super::analyze::threshold)
        .is_some_and(|t| findings.iter().any(|f| f.severity >= t));
    // The process ends here: the analysis is left to the OS (see analyze).
    drop(d);
    std::mem::forget(a);
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

fn inputs_text(paths: &[String]) -> String {
    if paths.is_empty() {
        ".".to_owned()
    } else {
        paths.join(" ")
    }
}

fn totals(
    a: &Analysis,
    findings: &[Finding],
    s: &NamespaceSummary,
    workloads: usize,
    service_ports: usize,
) -> Summary {
    let count = |sev| findings.iter().filter(|f| f.severity == sev).count();
    let reachable = s.total(Counts::reachable);
    let blocked = s.total(Counts::blocked);
    let cells = s.total(Counts::cells);
    Summary {
        errors: count(Severity::Error),
        warnings: count(Severity::Warning),
        infos: count(Severity::Info),
        resources: a.resources(),
        files: a.files,
        workloads,
        service_ports,
        namespaces: a.inv.namespaces.len(),
        cells,
        reachable,
        blocked,
        depends: s.total(Counts::depends),
    }
}

fn row(f: &Finding) -> FindingRow {
    FindingRow {
        code: f.rule.code,
        severity: f.severity.as_str(),
        message: f.message.clone(),
        resource: f.resource.as_ref().map(ToString::to_string),
        namespace: f.resource.as_ref().and_then(|r| r.namespace.clone()),
        at: f.location.as_ref().map(|l| {
            if l.pos.line > 0 {
                format!("{}:{}", l.file, l.pos.line)
            } else {
                l.file.to_string()
            }
        }),
    }
}

/// The heatmap of the summary: one row per client namespace and one column per service
/// namespace, or runs of [`HEATMAP_MAX`]-th of them when there are more.
fn heatmap(s: &NamespaceSummary) -> Heatmap {
    let most = s.from.len().max(s.to.len());
    let group = most.div_ceil(HEATMAP_MAX).max(1);
    let labels = |names: &[String]| -> Vec<String> {
        names
            .chunks(group)
            .map(|run| match run {
                [one] => one.clone(),
                [first, .., last] => format!("{first} … {last}"),
                [] => String::new(),
            })
            .collect()
    };
    let mut pairs: BTreeMap<(usize, usize), Vec<u32>> = BTreeMap::new();
    for p in s.pairs() {
        let counts = pairs
            .entry((p.from as usize / group, p.to as usize / group))
            .or_insert_with(|| vec![0; OUTCOME_ORDER.len()]);
        for (sum, &n) in counts.iter_mut().zip(&s.counts(p).0) {
            *sum = sum.saturating_add(n);
        }
    }
    Heatmap {
        from: labels(&s.from),
        to: labels(&s.to),
        group,
        outcomes: OUTCOME_ORDER.iter().map(|o| o.as_str()).collect(),
        pairs: pairs.into_iter().map(|((f, t), c)| (f, t, c)).collect(),
        deciders: BTreeMap::new(),
    }
}

/// Every cell, by class: per namespace pair its workload grid, and in `heatmap.deciders` the
/// policies that decided its blocked cells.
fn grids(
    a: &Analysis,
    d: &Decisions<'_>,
    clients: &[usize],
    targets: &[(usize, usize)],
    ctx: &crate::resolve::reach::RequestContext,
    heatmap: &mut Heatmap,
) -> BTreeMap<String, Grid> {
    let m = classes::classify(d, clients, targets, ctx);
    let cells: Vec<_> = m.cells.iter().map(|c| json_cell(a, c)).collect();
    let (row_of, col_of) = (positions(&heatmap.from), positions(&heatmap.to));
    // Per pair: its clients and targets (indexes into `m`), in matrix order.
    let mut members: BTreeMap<(usize, usize), (BTreeSet<usize>, BTreeSet<usize>)> = BTreeMap::new();
    let mut deciders: BTreeMap<(usize, usize), BTreeSet<String>> = BTreeMap::new();
    for (ci, &c) in m.clients.iter().enumerate() {
        let Some(&fi) = row_of.get(a.inv.workloads[c].namespace.as_str()) else {
            continue;
        };
        for (ti, &(s, _)) in m.targets.iter().enumerate() {
            let Some(&to) = col_of.get(a.inv.services[s].namespace.as_str()) else {
                continue;
            };
            let entry = members.entry((fi, to)).or_default();
            entry.0.insert(ci);
            entry.1.insert(ti);
            let cell = &cells[m.index[ci * m.targets.len() + ti] as usize];
            if !matches!(cell.result, "ok" | "depends") {
                let names = deciders.entry((fi, to)).or_default();
                for r in &cell.decided_by {
                    names.insert(match &r.namespace {
                        Some(ns) => format!("{} {ns}/{}", r.kind, r.name),
                        None => format!("{} {}", r.kind, r.name),
                    });
                }
            }
        }
    }
    heatmap.deciders = deciders
        .into_iter()
        .map(|((f, t), names)| (format!("{f},{t}"), names.into_iter().collect()))
        .collect();
    members
        .into_iter()
        .map(|((f, t), (cs, ts))| {
            let grid = Grid {
                clients: cs
                    .iter()
                    .map(|&ci| a.inv.workloads[m.clients[ci]].id())
                    .collect(),
                targets: ts
                    .iter()
                    .map(|&ti| destination_name(a, m.targets[ti].0, m.targets[ti].1))
                    .collect(),
                codes: cs
                    .iter()
                    .map(|&ci| {
                        ts.iter()
                            .map(|&ti| cells[m.index[ci * m.targets.len() + ti] as usize].code())
                            .collect()
                    })
                    .collect(),
            };
            (format!("{f},{t}"), grid)
        })
        .collect()
}

/// The describe view of each workload as text, in name order, for at most [`DESCRIBED`]
/// workloads and [`DESCRIBE_BYTES`] of text (at scale a view lists many client namespaces).
fn described(
    a: &Analysis,
    d: &Decisions<'_>,
    clients: &[usize],
    findings: &[Finding],
    notes: &mut Vec<String>,
) -> Vec<Described> {
    let mut out = Vec::new();
    let mut bytes = 0;
    for &w in clients.iter().take(DESCRIBED) {
        if bytes > DESCRIBE_BYTES {
            break;
        }
        let (mut view, scope) = workload_view(d, w);
        view.findings = findings_on(a, findings, &scope);
        let doc = DescribeDoc {
            version: 1,
            istio_version: a.profile.version.to_string(),
            view: View::Workload(Box::new(view)),
        };
        let mut text = Vec::new();
        let _ = describe::text::render(&doc, false, 160, &mut text);
        bytes += text.len();
        out.push(Described {
            id: a.inv.workloads[w].id(),
            text: String::from_utf8_lossy(&text).into_owned(),
        });
    }
    if out.len() < clients.len() {
        notes.push(format!(
            "Describe views are given for the first {} of {} workloads (the page stays small); `meshlint describe workload NS/NAME` gives any of them.",
            out.len(),
            clients.len()
        ));
    }
    out
}
