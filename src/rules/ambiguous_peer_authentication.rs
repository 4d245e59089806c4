//! `ambiguous-peer-authentication`: several PeerAuthentications (or v1alpha1 Policies /
//! MeshPolicies) at the same level for the same mesh, namespace, workload or service port.
//! Istio keeps one and drops the rest: the oldest by `creationTimestamp` (then name) for
//! PeerAuthentication and, from 1.4, for v1alpha1; an arbitrary one before 1.4
//! (research/istio-semantics.md §2.3, §3 "Several at one level"). Kiali's KIA0002/KIA0003 flag
//! the mesh and namespace cases only; this rule also covers overlapping workload selectors.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::facts::policies::v1alpha1_name_accepted;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports every PeerAuthentication that is one of several at the same level:
    ///
    /// - mesh level: more than one in the root namespace without a selector;
    /// - namespace level: more than one without a selector in a namespace;
    /// - workload level: two in one namespace whose `matchLabels` select a common workload
    ///   (or where one selector is contained in the other);
    ///
    /// and, in Istio 0.8–1.5, every v1alpha1 MeshPolicy, namespace Policy (`default`, no
    /// targets) or service Policy targeting the same service port as another one.
    ///
    /// Each younger policy is reported once, related to the one that wins.
    ///
    /// ## Why is this bad?
    /// Nothing is merged: one policy applies entirely and the others are ignored. Which one
    /// depends on creation time (oldest wins, ties by name), so recreating a policy — a GitOps
    /// sync, a restore from backup — silently changes the mTLS mode. Before Istio 1.4 the
    /// choice among v1alpha1 policies is arbitrary.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: default, namespace: foo}
    /// spec:
    ///   mtls: {mode: STRICT}
    /// ---
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: permissive, namespace: foo}
    /// spec:
    ///   mtls: {mode: PERMISSIVE}
    /// ```
    ///
    /// ## Use instead
    /// Keep one policy per level and scope; express exceptions with a workload selector or
    /// `portLevelMtls`.
    ///
    /// ## References
    /// - Kiali KIA0002 (more than one mesh-wide PeerAuthentication), KIA0003 (more than one namespace-wide)
    /// - Istio `addPeerAuthentication` ("Namespace/mesh-level PeerAuthentication is already defined"), `ComposePeerAuthentication`
    pub static RULE = {
        code: "ML0207",
        name: "ambiguous-peer-authentication",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0002","KIA0003"],
        summary: "several mTLS policies at the same level: the winner depends on creation time",
        check: check,
    }
}

fn report(
    a: &Analysis,
    out: &mut Vec<Finding>,
    list: &[usize],
    scope: &str,
    kia: &[&'static str],
    arbitrary: bool,
) {
    let Some(&winner) = list.first() else { return };
    let w = &a.inv.objects[winner];
    for &i in &list[1..] {
        let o = &a.inv.objects[i];
        let how = if arbitrary {
            format!(
                "before Istio 1.4 either {} or this one applies, arbitrarily",
                w.qualified_name()
            )
        } else {
            format!(
                "{} {} applies because it is older (or sorts first by name); this one is ignored",
                w.kind.name(),
                w.qualified_name()
            )
        };
        out.push(
            Finding::new(
                &RULE,
                format!(
                    "{} {} is one of several at {scope}: {how}",
                    o.kind.name(),
                    o.qualified_name()
                ),
            )
            .on(o, "metadata.name")
            .help("keep one policy for this scope and delete or merge the others")
            .related(
                w,
                "metadata.name",
                if arbitrary {
                    format!("{} {} may apply instead", w.kind.name(), w.qualified_name())
                } else {
                    format!("{} {} wins", w.kind.name(), w.qualified_name())
                },
            )
            .codes(&[], kia),
        );
    }
}

fn selector(a: &Analysis, i: usize) -> Option<&crate::model::labels::Labels> {
    match &a.inv.objects[i].body {
        Body::PeerAuthentication(s) => s.selector.as_ref().map(|s| &s.match_labels),
        _ => None,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let idx = &a.policies;
    let root = a.inv.root_namespace().to_owned();
    if a.profile.has(Behaviour::PeerAuthentication) {
        report(
            a,
            out,
            &idx.mesh_pa,
            &format!("mesh level (root namespace {root}, no selector)"),
            &["KIA0002"],
            false,
        );
        for (ns, list) in &idx.namespace_pa {
            report(
                a,
                out,
                list,
                &format!("namespace level in {ns}"),
                &["KIA0003"],
                false,
            );
        }
        for (ns, list) in &idx.workload_pa {
            // Report each policy against the oldest policy it overlaps with.
            for (k, &j) in list.iter().enumerate() {
                let Some(sj) = selector(a, j) else { continue };
                let overlaps = |i: usize| {
                    let Some(si) = selector(a, i) else {
                        return false;
                    };
                    si.selects(sj)
                        || sj.selects(si)
                        || a.inv
                            .workloads_in(ns)
                            .any(|(_, w)| si.selects(&w.labels) && sj.selects(&w.labels))
                };
                if let Some(&older) = list[..k].iter().find(|&&i| overlaps(i)) {
                    report(
                        a,
                        out,
                        &[older, j],
                        &format!("workload level in {ns} (overlapping selectors)"),
                        &[],
                        false,
                    );
                }
            }
        }
    }
    if a.profile.has(Behaviour::V1alpha1Policy) {
        let arbitrary = !a.profile.has(Behaviour::V1alpha1OldestWins);
        let mesh: Vec<usize> = idx
            .mesh_policies
            .iter()
            .copied()
            .filter(|&i| v1alpha1_name_accepted(&a.inv.objects[i], &a.profile))
            .collect();
        report(a, out, &mesh, "mesh level (MeshPolicy)", &[], arbitrary);
        for (ns, list) in &idx.policies {
            let spec = |i: usize| match &a.inv.objects[i].body {
                Body::Policy(s) => Some(s),
                _ => None,
            };
            let ns_level: Vec<usize> = list
                .iter()
                .copied()
                .filter(|&i| {
                    spec(i).is_some_and(|s| s.targets.is_empty())
                        && v1alpha1_name_accepted(&a.inv.objects[i], &a.profile)
                })
                .collect();
            report(
                a,
                out,
                &ns_level,
                &format!("namespace level in {ns}"),
                &[],
                arbitrary,
            );
            // Service level: policies whose targets name the same service with overlapping ports.
            for (k, &j) in list.iter().enumerate() {
                let Some(sj) = spec(j) else { continue };
                let overlaps = |i: usize| {
                    let Some(si) = spec(i) else { return false };
                    si.targets.iter().any(|ti| {
                        sj.targets.iter().any(|tj| {
                            ti.name == tj.name
                                && (ti.ports.is_empty()
                                    || tj.ports.is_empty()
                                    || ti.ports.iter().any(|p| tj.ports.contains(p)))
                        })
                    })
                };
                if sj.targets.is_empty() {
                    continue;
                }
                if let Some(&older) = list[..k].iter().find(|&&i| overlaps(i)) {
                    report(
                        a,
                        out,
                        &[older, j],
                        &format!("service level in {ns} (same target)"),
                        &[],
                        arbitrary,
                    );
                }
            }
        }
    }
}
