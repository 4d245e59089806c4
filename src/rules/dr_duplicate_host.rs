//! `dr-duplicate-host`: several DestinationRules in one namespace for the identical resolved
//! host, with overlapping `exportTo` (Kiali KIA0201; research/istio-semantics.md §4 "Merging").
//!
//! From 1.1 Istio merges them oldest first (`mergeDestinationRule`): the oldest top-level
//! `trafficPolicy` is kept, a later one is used only if none was set yet, subsets are appended
//! unless their name is taken. Before 1.1 the newest rule replaced the older ones outright.
//! Rules with a `workloadSelector` are grouped by selector: they apply to different clients.

use std::collections::BTreeMap;

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::model::istio::networking::DestinationRuleSpec;
use crate::model::labels::Labels;
use crate::model::resource::Body;
use crate::resolve::client_tls::qualify_host;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports a DestinationRule that has the same host (after qualifying short names) as an
    /// older DestinationRule in the same namespace, visible to the same client namespaces
    /// (`exportTo`), when the merge loses something:
    ///
    /// - both rules set a top-level `trafficPolicy`: only the oldest one is used, the younger
    ///   rule's (TLS included) is ignored;
    /// - the younger rule defines a subset whose name the older rule already defines: that
    ///   subset is dropped.
    ///
    /// From Istio 1.24 rules merge only when their `exportTo` are the same; a younger rule
    /// with another, overlapping `exportTo` is reported because a client namespace that sees
    /// both gets only the younger one (istio/istio 1.24.0 `pilot/pkg/model/destination_rule.go`,
    /// releasenotes/notes/52519.yaml).
    ///
    /// Rules that only split distinct subsets across objects merge cleanly and are not
    /// reported. Before Istio 1.1 the newest rule replaced the older ones entirely, so any
    /// duplicate is reported. The finding is on the younger rule and points at the older one.
    ///
    /// ## Why is this bad?
    /// Which rule's settings are in force depends on `creationTimestamp`, which the manifests
    /// do not show: a `tls.mode` change made in the younger rule silently does nothing, and a
    /// re-created older rule can flip the result. A subset defined twice keeps the older
    /// definition's labels and policy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: httpbin, namespace: bar}
    /// spec:
    ///   host: httpbin.bar.svc.cluster.local
    ///   trafficPolicy: {tls: {mode: ISTIO_MUTUAL}}
    /// ---
    /// apiVersion: networking.istio.io/v1
    /// kind: DestinationRule
    /// metadata: {name: httpbin-plain, namespace: bar}
    /// spec:
    ///   host: httpbin                   # the same host once qualified
    ///   trafficPolicy: {tls: {mode: DISABLE}}   # ignored
    /// ```
    ///
    /// ## Use instead
    /// One DestinationRule per host and namespace, holding the traffic policy and all subsets.
    ///
    /// ## References
    /// - Kiali KIA0201, `business/checkers/destinationrules/multi_match_checker.go`
    /// - Istio `mergeDestinationRule`, `pilot/pkg/model/destination_rule.go`
    /// - research/istio-semantics.md §4 "Merging several DRs with the identical resolved host"
    pub static RULE = {
        code: "ML0211",
        name: "dr-duplicate-host",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0201"],
        summary: "several DestinationRules for the same host in one namespace; Istio merges them and drops parts",
        check: check,
    }
}

/// The effective `exportTo` list of a rule (the mesh default when empty).
fn export_set(a: &Analysis, spec: &DestinationRuleSpec, ns: &str) -> Vec<String> {
    let list = if spec.export_to.is_empty() {
        &a.inv.mesh.default_destination_rule_export_to
    } else {
        &spec.export_to
    };
    if list.is_empty() {
        return vec!["*".to_owned()];
    }
    list.iter()
        .map(|e| if e == "." { ns.to_owned() } else { e.clone() })
        .filter(|e| e != "~")
        .collect()
}

fn overlaps(x: &[String], y: &[String]) -> bool {
    if x.is_empty() || y.is_empty() {
        return false;
    }
    x.iter().any(|e| e == "*") || y.iter().any(|e| e == "*") || x.iter().any(|e| y.contains(e))
}

/// `exportTo` as written, sorted: from 1.24 rules merge only when these are equal.
fn raw_export(body: &Body) -> Vec<String> {
    let mut v = match body {
        Body::DestinationRule(s) => s.export_to.clone(),
        _ => Vec::new(),
    };
    v.sort_unstable();
    v.dedup();
    v
}

/// Rules merge when host and workload selector are the same.
type GroupKey = (String, Option<Labels>);

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let merges = a.profile.has(Behaviour::DrLookupByNamespace);
    for (ns, list) in &a.policies.destination_rules {
        // (host, selector labels) → rules, oldest first (the index order).
        let mut groups: BTreeMap<GroupKey, Vec<usize>> = BTreeMap::new();
        for &i in list {
            let Body::DestinationRule(spec) = &a.inv.objects[i].body else {
                continue;
            };
            if spec.host.is_empty() {
                continue;
            }
            let sel = spec
                .workload_selector
                .as_ref()
                .map(|s| s.match_labels.clone());
            groups
                .entry((qualify_host(&spec.host, ns), sel))
                .or_default()
                .push(i);
        }
        for ((host, _), members) in groups {
            for (k, &j) in members.iter().enumerate() {
                let young = &a.inv.objects[j];
                let Body::DestinationRule(yspec) = &young.body else {
                    continue;
                };
                let yexp = export_set(a, yspec, ns);
                let partners: Vec<usize> = members[..k]
                    .iter()
                    .copied()
                    .filter(|&i| match &a.inv.objects[i].body {
                        Body::DestinationRule(s) => overlaps(&export_set(a, s, ns), &yexp),
                        _ => false,
                    })
                    .collect();
                // From 1.24 only rules with the same exportTo merge; the others stay apart and
                // a client that sees both gets the newer one alone (Behaviour::DrMergeByExportTo).
                let (partners, apart): (Vec<usize>, Vec<usize>) =
                    if a.profile.has(Behaviour::DrMergeByExportTo) {
                        partners.into_iter().partition(|&i| {
                            raw_export(&a.inv.objects[i].body) == raw_export(&young.body)
                        })
                    } else {
                        (partners, Vec::new())
                    };
                if partners.is_empty()
                    && let Some(&hidden) = apart.last()
                {
                    let old = &a.inv.objects[hidden];
                    out.push(
                        Finding::new(
                            &RULE,
                            format!(
                                "DestinationRule for {host} has another exportTo than the older {}/{}: from Istio 1.24 they are not merged, so a client namespace that sees both gets only this newer rule, and none of {}/{}'s settings",
                                old.namespace(),
                                old.name(),
                                old.namespace(),
                                old.name()
                            ),
                        )
                        .on(young, "spec.exportTo")
                        .help("give the rules the same exportTo (they then merge), or exportTo sets that do not overlap")
                        .related(old, "spec.host", "older rule hidden where both are exported"),
                    );
                    continue;
                }
                let Some(&oldest) = partners.first() else {
                    continue;
                };
                let old = &a.inv.objects[oldest];
                let old_id = format!("{}/{}", old.namespace(), old.name());
                if !merges {
                    out.push(
                        Finding::new(
                            &RULE,
                            format!(
                                "DestinationRule for {host} duplicates {old_id}: before Istio 1.1 the newest rule with a host replaces the others, so {old_id} is ignored entirely"
                            ),
                        )
                        .on(young, "spec.host")
                        .help("keep one DestinationRule per host: move the settings and subsets into a single rule")
                        .related(old, "spec.host", "older rule with the same host, replaced"),
                    );
                    continue;
                }
                // What the merge built from the older partners, oldest first.
                let tp_owner = partners.iter().copied().find(|&i| {
                    matches!(&a.inv.objects[i].body, Body::DestinationRule(s) if s.traffic_policy.is_some())
                });
                let mut subset_owner: BTreeMap<&str, usize> = BTreeMap::new();
                for &i in &partners {
                    if let Body::DestinationRule(s) = &a.inv.objects[i].body {
                        for sub in &s.subsets {
                            subset_owner.entry(sub.name.as_str()).or_insert(i);
                        }
                    }
                }
                let mut lost = Vec::new();
                let mut f_related: Vec<(usize, String, String)> = Vec::new();
                let ignored_tp = yspec.traffic_policy.is_some().then_some(tp_owner).flatten();
                if let Some(owner) = ignored_tp {
                    let o = &a.inv.objects[owner];
                    let tls_note = match &yspec.traffic_policy.as_ref().and_then(|t| t.tls.as_ref())
                    {
                        Some(t) => format!(" (including tls mode {})", t.mode.as_str()),
                        None => String::new(),
                    };
                    lost.push(if owner == oldest {
                        format!("its trafficPolicy{tls_note} is ignored (the older rule's is used)")
                    } else {
                        format!(
                            "its trafficPolicy{tls_note} is ignored (the one of the older {}/{} is used)",
                            o.namespace(),
                            o.name()
                        )
                    });
                    f_related.push((
                        owner,
                        "spec.trafficPolicy".to_owned(),
                        "older rule whose trafficPolicy is used".to_owned(),
                    ));
                }
                let mut dup_names = Vec::new();
                for sub in &yspec.subsets {
                    if let Some(&owner) = subset_owner.get(sub.name.as_str()) {
                        dup_names.push(sub.name.clone());
                        let o = &a.inv.objects[owner];
                        let idx = match &o.body {
                            Body::DestinationRule(s) => s
                                .subsets
                                .iter()
                                .position(|x| x.name == sub.name)
                                .unwrap_or(0),
                            _ => 0,
                        };
                        f_related.push((
                            owner,
                            format!("spec.subsets[{idx}]"),
                            format!("older definition of subset {} that is kept", sub.name),
                        ));
                    }
                }
                if !dup_names.is_empty() {
                    lost.push(format!(
                        "its subset{} {} {} dropped (already defined by an older rule)",
                        if dup_names.len() == 1 { "" } else { "s" },
                        dup_names.join(", "),
                        if dup_names.len() == 1 { "is" } else { "are" },
                    ));
                }
                if lost.is_empty() {
                    continue;
                }
                let field = if ignored_tp.is_some() {
                    "spec.trafficPolicy"
                } else {
                    "spec.subsets"
                };
                let mut f = Finding::new(
                    &RULE,
                    format!(
                        "DestinationRule for {host} is merged into the older {old_id}: {}",
                        lost.join("; ")
                    ),
                )
                .on(young, field)
                .help("keep one DestinationRule per host and namespace: move the traffic policy and subsets into the oldest rule and delete this one");
                if !f_related.iter().any(|(i, _, _)| *i == oldest) {
                    f = f.related(
                        old,
                        "spec.host",
                        "oldest rule for the same host (the merge base)",
                    );
                }
                f_related.dedup();
                for (i, field, msg) in f_related {
                    f = f.related(&a.inv.objects[i], &field, msg);
                }
                out.push(f);
            }
        }
    }
}
