//! `meshlint diff`: loads two versions of the inputs (two paths, or the same paths at a git
//! revision and in the work tree) side by side, finds the cells the change can reach
//! (`resolve::change`), judges them on both sides for the request the flags describe, matches
//! findings by fingerprint, and renders `report::diff`.

use std::collections::BTreeSet;
use std::io::Write;

use super::analyze::{Prepared, prepare, threshold};
use super::{ExitStatus, analysis_of, collect, positions, request_context};
use crate::analysis::Analysis;
use crate::cli::DiffArgs;
use crate::diagnostic::Finding;
use crate::engine;
use crate::error::Error;
use crate::input::files::{self, InputSource};
use crate::input::{git, load as loader};
use crate::report::diff::{self, CellChange, DiffStyle, MeshDiff};
use crate::resolve::cell::{destination_name, json_cell};
use crate::resolve::change::{self, Scope};
use crate::resolve::classes;
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::{Cell, RequestContext};
use crate::resolve::transport::Outcome;

/// Where one side comes from.
enum Side {
    Paths(Vec<String>),
    Git { rev: String, paths: Vec<String> },
}

impl Side {
    fn name(&self) -> String {
        match self {
            Side::Paths(p) if p.is_empty() => ".".to_owned(),
            Side::Paths(p) => p
                .iter()
                .map(|p| if p == "-" { "<stdin>" } else { p.as_str() })
                .collect::<Vec<_>>()
                .join(" "),
            Side::Git { rev, .. } => rev.clone(),
        }
    }
}

pub fn run(args: DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> Result<ExitStatus, Error> {
    // The head is always paths on disk; the base is paths too, or the same ones at a revision.
    let (base, head_paths) = match (&args.base_ref, args.inputs.as_slice()) {
        (Some(rev), paths) => (
            Side::Git {
                rev: rev.clone(),
                paths: paths.to_vec(),
            },
            paths.to_vec(),
        ),
        (None, [b, h]) if b == "-" && h == "-" => {
            return Err(Error::Usage(
                "diff: only one of BASE and HEAD can be `-` (stdin)".into(),
            ));
        }
        (None, [b, h]) => (Side::Paths(vec![b.clone()]), vec![h.clone()]),
        (None, _) => {
            return Err(Error::Usage(format!(
                "diff takes BASE and HEAD (two files or directories), or --base-ref REF [INPUT...]; got {} input(s)",
                args.inputs.len()
            )));
        }
    };
    if args.limit == 0 {
        return Err(Error::Usage("--limit must be at least 1".into()));
    }
    let head = Side::Paths(head_paths.clone());
    let Prepared {
        settings,
        fail_on,
        common,
        exclude,
    } = prepare(&args.rules, &head_paths, &args.common, None, err)?;
    let excludes: Vec<String> = args.exclude.iter().chain(&exclude).cloned().collect();
    let ctx = request_context(&args.request)?;

    // The sources of each side, keyed by their path inside the side; the base's files that
    // the head holds unchanged are not parsed twice (`load_versions`).
    let exclude_set = files::exclude_set(&excludes)?;
    let verbose = common.verbose > 0;
    let relative = args.base_ref.is_none();
    let base_sources = keyed_sources(&base, relative, &exclude_set, verbose, err)?;
    let head_sources = keyed_sources(&head, relative, &exclude_set, verbose, err)?;
    let opts = loader::LoadOptions {
        default_namespace: common.namespace.clone(),
    };
    let (base_loaded, head_loaded) = loader::load_versions(&base_sources, &head_sources, &opts)?;
    // Each side's analysis on its own core; their notes are printed in order after.
    let analyse = |loaded| -> (Result<Analysis, Error>, Vec<u8>) {
        let mut notes = Vec::new();
        let result = analysis_of(loaded, args.allow_empty, &common, &mut notes);
        (result, notes)
    };
    let ((base_result, base_notes), (head_result, head_notes)) = std::thread::scope(|s| {
        let base_job = s.spawn(|| analyse(base_loaded));
        let head_side = analyse(head_loaded);
        (
            base_job.join().expect("analysing the base panicked"),
            head_side,
        )
    });
    for (name, notes) in [(base.name(), base_notes), (head.name(), head_notes)] {
        for line in String::from_utf8_lossy(&notes).lines() {
            let _ = writeln!(
                err,
                "{}",
                line.replacen("meshlint:", &format!("meshlint: {name}:"), 1)
            );
        }
    }
    let (a, b) = (base_result?, head_result?);
    let scope = change::scope(&a, &b);
    // `-n NS`: the findings of NS, and the cells of its service ports (as `matrix -n`).
    let only = super::output_namespace(&b, &common, err);
    // Each side judges its cells and runs the rules on one set of decisions, on its own core.
    let side = |x: &Analysis| {
        let d = Decisions::new(x);
        let judged = judge(&d, &scope, only, &ctx);
        (judged, engine::run_with(&d, &settings))
    };
    let ((before, was), (after, now)) = both(&a, &b, side);
    // The head's notes: the configuration and annotations as they stand.
    super::warn_notes(&now.notes, err);
    let (old_findings, new_findings) = (was.findings, now.findings);
    let moved = compare(&a, &b, &before, &after);
    let (mut new, mut fixed) = new_and_fixed(old_findings, new_findings);
    if let Some(ns) = only {
        new.retain(|f| super::in_namespace(f, ns));
        fixed.retain(|f| super::in_namespace(f, ns));
    }
    // Annotations and pull-request comments name files from the repository root (as
    // `analyze -o github` does), whatever directory the job runs in.
    if matches!(
        args.output,
        crate::cli::DiffFormat::Github | crate::cli::DiffFormat::Markdown
    ) && let Some(root) = super::analyze::repository_root(args.root.as_deref())
    {
        super::analyze::from_root(&root, new.iter_mut().chain(fixed.iter_mut()));
    }
    let d = MeshDiff {
        base: base.name(),
        head: head.name(),
        istio_version: b.profile.version.to_string(),
        namespaces: scope.namespaces().into_iter().map(str::to_owned).collect(),
        whole_mesh: scope.all,
        changed_objects: scope.changed,
        compared: moved.compared,
        only_base: moved.only_base,
        only_head: moved.only_head,
        cells: moved.cells,
        new,
        fixed,
        fail_on: threshold(fail_on),
    };
    let style = DiffStyle {
        color: super::style(&common).color,
        limit: args.limit,
    };
    diff::render(args.output.into(), &d, style, out)?;
    let failed = d.fails();
    // The process ends here: the analyses are left to the OS (see analyze).
    std::mem::forget((a, b));
    Ok(if failed {
        ExitStatus::Failure
    } else {
        ExitStatus::Success
    })
}

/// One side's files, each with the key that pairs it with the other side's: the path inside
/// the side's directory when `relative` (`BASE HEAD`), or the path as given (`--base-ref`: the
/// base's files are named `REV:path`).
fn keyed_sources(
    side: &Side,
    relative: bool,
    exclude: &globset::GlobSet,
    verbose: bool,
    err: &mut dyn Write,
) -> Result<Vec<(InputSource, String)>, Error> {
    match side {
        Side::Git { rev, paths } => Ok(git::sources_at(rev, paths, exclude)?
            .into_iter()
            .map(|src| {
                let name = src.display();
                let key = name
                    .strip_prefix(rev.as_str())
                    .and_then(|n| n.strip_prefix(':'))
                    .unwrap_or(&name)
                    .to_owned();
                (src, key)
            })
            .collect()),
        Side::Paths(paths) => {
            let mut out = Vec::new();
            let here = [".".to_owned()];
            let paths = if paths.is_empty() { &here[..] } else { paths };
            for path in paths {
                for src in collect(std::slice::from_ref(path), exclude, verbose, err)? {
                    let name = src.display();
                    let key = if relative {
                        // Inside the side's directory (a file stands for itself).
                        std::path::Path::new(&name)
                            .strip_prefix(path)
                            .map_or_else(|_| String::new(), |p| p.to_string_lossy().into_owned())
                    } else {
                        name.clone()
                    };
                    out.push((src, key));
                }
            }
            Ok(out)
        }
    }
}

/// The cells that moved between two analyses, and how many were judged.
#[derive(Debug)]
pub struct Moved {
    /// Sorted by change, then client, then service port.
    pub cells: Vec<CellChange>,
    /// Cells judged on both sides.
    pub compared: usize,
    /// Cells on one side only.
    pub only_base: usize,
    pub only_head: usize,
}

/// Judges the cells `scope` reaches on both sides for the request `ctx` and keeps those whose
/// outcome moved. Cells are compared by class (`resolve::classes`) and only the moved ones are
/// turned into JSON cells, so a change in one namespace of a large mesh stays cheap.
pub fn moved_cells(a: &Analysis, b: &Analysis, scope: &Scope, ctx: &RequestContext) -> Moved {
    let (before, after) = both(a, b, |x| judge(&Decisions::new(x), scope, None, ctx));
    compare(a, b, &before, &after)
}

/// `work` on the base and on the head, each on its own core.
fn both<T: Send>(a: &Analysis, b: &Analysis, work: impl Fn(&Analysis) -> T + Sync) -> (T, T) {
    std::thread::scope(|s| {
        let job = s.spawn(|| work(a));
        let now = work(b);
        (job.join().expect("the work on the base panicked"), now)
    })
}

/// The moved cells between the blocks judged on each side (the same blocks of `scope`).
fn compare(a: &Analysis, b: &Analysis, before: &[Judged], after: &[Judged]) -> Moved {
    let mut moved = Moved {
        cells: Vec::new(),
        compared: 0,
        only_base: 0,
        only_head: 0,
    };
    for (was, now) in before.iter().zip(after) {
        let (clients, targets) = (positions(&was.client_ids), positions(&was.target_names));
        let in_base: Vec<Option<usize>> = now
            .target_names
            .iter()
            .map(|t| targets.get(t.as_str()).copied())
            .collect();
        let mut pairs = 0;
        for (ci, client) in now.client_ids.iter().enumerate() {
            let Some(&bci) = clients.get(client.as_str()) else {
                continue;
            };
            for (ti, target) in now.target_names.iter().enumerate() {
                let Some(bti) = in_base[ti] else {
                    continue;
                };
                pairs += 1;
                let (old, new) = (was.m.cell(bci, bti), now.m.cell(ci, ti));
                if sees(old) == sees(new) {
                    continue;
                }
                let json = |x: &Analysis, c| {
                    let mut j = json_cell(x, c);
                    j.from.clone_from(client);
                    j.to.clone_from(target);
                    j
                };
                let (old, new) = (json(a, old), json(b, new));
                if let Some(change) = diff::change(&old, &new) {
                    moved.cells.push(CellChange {
                        change,
                        before: old,
                        after: new,
                    });
                }
            }
        }
        moved.compared += pairs;
        moved.only_base += was.pairs() - pairs;
        moved.only_head += now.pairs() - pairs;
    }
    moved.cells.sort_by(|x, y| {
        (x.change, &x.after.from, &x.after.to).cmp(&(y.change, &y.after.from, &y.after.to))
    });
    moved
}

/// What curl sees of a cell: its outcome on an HTTP or TCP port, and whether only some
/// endpoints give it.
fn sees(c: &Cell) -> (Outcome, bool, bool) {
    (c.outcome, c.http, c.endpoints.is_empty())
}

/// One block of judged cells: clients × service ports, by class.
struct Judged {
    m: classes::ClassMatrix,
    client_ids: Vec<String>,
    target_names: Vec<String>,
}

impl Judged {
    fn pairs(&self) -> usize {
        self.client_ids.len() * self.target_names.len()
    }
}

/// The cells `scope` reaches as blocks that do not overlap: every cell, or the clients of its
/// client namespaces to every service port and the other clients to the service ports of its
/// server namespaces; with `only` (`-n`), of the service ports in that namespace alone.
fn judge(
    d: &Decisions<'_>,
    scope: &Scope,
    only: Option<&str>,
    ctx: &RequestContext,
) -> Vec<Judged> {
    let a = d.analysis();
    let (clients, mut targets) = super::matrix::every_cell(a);
    if let Some(ns) = only {
        super::keep_ports_in(a, &mut targets, ns);
    }
    let block = |clients: &[usize], targets: &[(usize, usize)]| Judged {
        m: classes::classify(d, clients, targets, ctx),
        client_ids: clients.iter().map(|&c| a.inv.workloads[c].id()).collect(),
        target_names: targets
            .iter()
            .map(|&(s, p)| destination_name(a, s, p))
            .collect(),
    };
    if scope.all {
        return vec![block(&clients, &targets)];
    }
    let (near_clients, far_clients): (Vec<usize>, Vec<usize>) = clients
        .iter()
        .partition(|&&c| scope.clients.contains(&a.inv.workloads[c].namespace));
    let near_targets: Vec<(usize, usize)> = targets
        .iter()
        .copied()
        .filter(|&(s, _)| scope.servers.contains(&a.inv.services[s].namespace))
        .collect();
    vec![
        block(&near_clients, &targets),
        block(&far_clients, &near_targets),
    ]
}

/// Findings of `after` whose fingerprint `before` lacks (new), and the reverse (fixed).
fn new_and_fixed(before: Vec<Finding>, after: Vec<Finding>) -> (Vec<Finding>, Vec<Finding>) {
    let prints = |list: &[Finding]| -> BTreeSet<String> {
        list.iter().map(|f| f.fingerprint.clone()).collect()
    };
    let (was, is) = (prints(&before), prints(&after));
    let new = after
        .into_iter()
        .filter(|f| !was.contains(&f.fingerprint))
        .collect();
    let fixed = before
        .into_iter()
        .filter(|f| !is.contains(&f.fingerprint))
        .collect();
    (new, fixed)
}

impl From<crate::cli::DiffFormat> for diff::DiffFormat {
    fn from(f: crate::cli::DiffFormat) -> Self {
        use crate::cli::DiffFormat as F;
        match f {
            F::Text => diff::DiffFormat::Text,
            F::Json => diff::DiffFormat::Json,
            F::Markdown => diff::DiffFormat::Markdown,
            F::Github => diff::DiffFormat::Github,
        }
    }
}
