//! `meshlint describe pod|workload|service|namespace NAME` (SPEC §7): everything that applies to
//! one object, gathered from the resolvers into a `report::describe` view (the renderers decide
//! nothing): the workload, its Services and ports, the effective mTLS mode per target port with
//! every policy considered, what each client namespace sends, request authentication,
//! authorization in evaluation order, findings, and the inbound row of the matrix.

use std::collections::BTreeSet;
use std::io::Write;

use super::{ExitStatus, load};
use crate::analysis::Analysis;
use crate::cli::{DescribeArgs, DescribeWhat, TextOrJson};
use crate::diagnostic::Finding;
use crate::engine::{self, Settings};
use crate::error::Error;
use crate::model::kind::Kind;
use crate::model::select::WorkloadSelector;
use crate::report::describe::{self, DescribeDoc, FindingView, View};
use crate::resolve::decisions::Decisions;
use crate::resolve::describe::{FindingScope, namespace_view, service_view, workload_view};

pub fn run(
    args: DescribeArgs,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<ExitStatus, Error> {
    let a = load(&args.input, &args.common, &[], err)?;
    let ns = args.common.namespace.as_deref();
    let findings = engine::run(&a, &Settings::default()).findings;
    let d = Decisions::new(&a);
    let view = match args.what {
        DescribeWhat::Pod | DescribeWhat::Workload => {
            let w = pick_workload(&a, &args.name, ns)?;
            let (mut view, scope) = workload_view(&d, w);
            view.findings = findings_on(&a, &findings, &scope);
            View::Workload(Box::new(view))
        }
        DescribeWhat::Service => {
            let s = pick_service(&a, &args.name, ns)?;
            let (mut view, scope) = service_view(&d, s);
            view.findings = findings_on(&a, &findings, &scope);
            View::Service(Box::new(view))
        }
        DescribeWhat::Namespace => {
            let n = pick_namespace(&a, &args.name)?;
            let (mut view, scope) = namespace_view(&d, &n);
            view.findings = findings_on(&a, &findings, &scope);
            View::Namespace(Box::new(view))
        }
    };
    let doc = DescribeDoc {
        version: 1,
        istio_version: a.profile.version.to_string(),
        view,
    };
    match args.output {
        TextOrJson::Json => describe::render_json(&doc, out)?,
        TextOrJson::Text => {
            let st = super::style(&args.common);
            describe::text::render(&doc, st.color, st.width, out)?;
        }
    }
    Ok(ExitStatus::Success)
}

// ------------------------------------------------------------------ choosing the object

/// A workload by pod name, controller name, `ns/name` or `name.ns`; one or a usage error.
fn pick_workload(a: &Analysis, text: &str, ns: Option<&str>) -> Result<usize, Error> {
    let mut found: BTreeSet<usize> = BTreeSet::new();
    if let Ok(sel) = WorkloadSelector::parse(text, ns) {
        found.extend((0..a.inv.workloads.len()).filter(|&i| sel.matches(&a.inv.workloads[i])));
    }
    // Pod names (`httpbin-7d4-abcde`) name the workload they belong to.
    let (pod_ns, pod_name) = split_name(text, ns);
    for (i, w) in a.inv.workloads.iter().enumerate() {
        if pod_ns.as_deref().is_none_or(|n| n == w.namespace)
            && w.pods.iter().any(|&p| a.inv.objects[p].name() == pod_name)
        {
            found.insert(i);
        }
    }
    // A pod name pasted from `kubectl get pods` names its controller (issue 15).
    if found.is_empty() {
        for (i, w) in a.inv.workloads.iter().enumerate() {
            if pod_ns.as_deref().is_none_or(|n| n == w.namespace)
                && pod_of_controller(&pod_name, w.kind, &w.name)
            {
                found.insert(i);
            }
        }
    }
    match found.len() {
        1 => Ok(*found.first().unwrap_or(&0)),
        0 => {
            let ids: Vec<String> = a.inv.workloads.iter().map(|w| w.id()).collect();
            Err(Error::Usage(format!(
                "describe: no workload `{text}` in the inputs{}",
                crate::suggest::did_you_mean(text, &ids, "workloads")
            )))
        }
        _ => {
            let mut ids: Vec<String> = found.iter().map(|&i| a.inv.workloads[i].id()).collect();
            ids.sort();
            Err(Error::Usage(format!(
                "describe: `{text}` matches {} workloads: {}; name one as namespace/name",
                ids.len(),
                ids.join(", ")
            )))
        }
    }
}

/// Whether `pod` is a name Kubernetes gives the pods of controller `kind` `name`
/// (kubernetes.io, "Deployments": `nginx-deployment-75675f5897-7ci7o`; "StatefulSets": `web-0`):
/// a Deployment's pods are `name-<template hash>-<5 characters>`, a StatefulSet's `name-<ordinal>`,
/// a ReplicaSet's, DaemonSet's or Job's `name-<5 characters>`, a CronJob's
/// `name-<schedule time>-<5 characters>`.
fn pod_of_controller(pod: &str, kind: Kind, name: &str) -> bool {
    let Some(rest) = pod.strip_prefix(name).and_then(|r| r.strip_prefix('-')) else {
        return false;
    };
    let suffix = |s: &str| {
        s.len() == 5
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    let hash = |s: &str| {
        (1..=10).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
    };
    let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
    let two = || rest.split_once('-');
    match kind {
        Kind::Deployment => two().is_some_and(|(h, r)| hash(h) && suffix(r)),
        Kind::StatefulSet => digits(rest),
        Kind::ReplicaSet | Kind::DaemonSet | Kind::Job => suffix(rest),
        Kind::CronJob => two().is_some_and(|(t, r)| digits(t) && suffix(r)),
        _ => false,
    }
}

fn pick_service(a: &Analysis, text: &str, ns: Option<&str>) -> Result<usize, Error> {
    let (want_ns, name) = split_name(text, ns);
    let found: Vec<usize> = a
        .inv
        .services
        .iter()
        .enumerate()
        .filter(|(_, s)| s.name == name && want_ns.as_deref().is_none_or(|n| n == s.namespace))
        .map(|(i, _)| i)
        .collect();
    match found.as_slice() {
        [one] => Ok(*one),
        [] => {
            let ids: Vec<String> = a
                .inv
                .services
                .iter()
                .map(|s| format!("{}/{}", s.namespace, s.name))
                .collect();
            Err(Error::Usage(format!(
                "describe: no service `{text}` in the inputs{}",
                crate::suggest::did_you_mean(text, &ids, "services")
            )))
        }
        many => {
            let mut ids: Vec<String> = many
                .iter()
                .map(|&i| format!("{}/{}", a.inv.services[i].namespace, a.inv.services[i].name))
                .collect();
            ids.sort();
            Err(Error::Usage(format!(
                "describe: `{text}` matches {} services: {}; name one as namespace/name",
                ids.len(),
                ids.join(", ")
            )))
        }
    }
}

fn pick_namespace(a: &Analysis, text: &str) -> Result<String, Error> {
    if a.inv.namespaces.contains(text) {
        return Ok(text.to_owned());
    }
    let names: Vec<String> = a.inv.namespaces.iter().cloned().collect();
    Err(Error::Usage(format!(
        "describe: no namespace `{text}` in the inputs{}",
        crate::suggest::did_you_mean(text, &names, "namespaces")
    )))
}

/// `ns/name` or `name.ns` into (namespace, name); a bare name takes `-n` (or any namespace).
fn split_name(text: &str, ns: Option<&str>) -> (Option<String>, String) {
    if let Some((n, name)) = text.split_once('/') {
        return (Some(n.to_owned()), name.to_owned());
    }
    if let Some((name, n)) = text.rsplit_once('.') {
        return (Some(n.to_owned()), name.to_owned());
    }
    (ns.map(str::to_owned), text.to_owned())
}

// ------------------------------------------------------------------ workload

/// Findings on `objects`; for objects shared with other workloads (mesh config, mesh- and
/// namespace-wide policies, DestinationRules: `shared`) only those that name one of `needles`
/// (the workload or its service hosts).
pub(crate) fn findings_on(
    a: &Analysis,
    findings: &[Finding],
    scope: &FindingScope,
) -> Vec<FindingView> {
    let (shared, needles) = (&scope.shared, &scope.needles);
    let refs: Vec<_> = scope
        .objects
        .iter()
        .map(|&i| (a.inv.objects[i].reference(), shared.contains(&i)))
        .collect();
    findings
        .iter()
        .filter(|f| {
            f.resource.as_ref().is_some_and(|r| {
                refs.iter().any(|(own, is_shared)| {
                    own == r
                        && (!is_shared || needles.iter().any(|n| f.message.contains(n.as_str())))
                })
            })
        })
        .map(|f| FindingView {
            code: f.rule.code,
            name: f.rule.name,
            severity: f.severity.as_str(),
            message: f.message.clone(),
            resource: f.resource.as_ref().map(ToString::to_string),
            file: f.location.as_ref().map(|l| l.file.to_string()),
            line: f
                .location
                .as_ref()
                .and_then(|l| (l.pos.line > 0).then_some(l.pos.line)),
        })
        .collect()
}

// ------------------------------------------------------------------ service

// ------------------------------------------------------------------ namespace

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pod_names_of_each_controller_kind() {
        assert!(pod_of_controller(
            "web-75675f5897-7ci7o",
            Kind::Deployment,
            "web"
        ));
        assert!(!pod_of_controller("web-7ci7o", Kind::Deployment, "web"));
        assert!(pod_of_controller("db-0", Kind::StatefulSet, "db"));
        assert!(!pod_of_controller("db-x", Kind::StatefulSet, "db"));
        assert!(pod_of_controller("agent-x7k2p", Kind::DaemonSet, "agent"));
        assert!(pod_of_controller(
            "backup-28733940-kq5vz",
            Kind::CronJob,
            "backup"
        ));
        assert!(!pod_of_controller("webapp-0", Kind::StatefulSet, "web"));
    }
}
