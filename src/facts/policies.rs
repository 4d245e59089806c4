//! Indexes of the mTLS-relevant policies, built once per analysis: PeerAuthentications by scope
//! (mesh, namespace, workload), v1alpha1 Policies by namespace and the MeshPolicy, and
//! DestinationRules by namespace — each list already in the order Istio ranks them (oldest
//! first; research/istio-semantics.md §2.3, §3, §4), so resolution never sorts on a hot path.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use crate::model::inventory::Inventory;
use crate::model::istio::security::PeerAuthenticationSpec;
use crate::model::kind::Kind;
use crate::model::resource::{Body, Object};
use crate::version::{Behaviour, Profile};

/// Whether Istio applies a selector-less v1alpha1 Policy or a MeshPolicy under its name:
/// from 1.0 (when MeshPolicy appeared) until v1alpha1's removal in 1.6, the mesh policy and a
/// namespace-wide Policy take effect only when named `default`; before 1.0 any name does
/// (research/istio-semantics.md §2.3). The one place this rule lives: resolution, the rules and
/// `describe` all ask it.
pub fn v1alpha1_name_accepted(o: &Object, profile: &Profile) -> bool {
    !profile.has(Behaviour::MeshPolicy) || o.name() == "default"
}

/// Scope of a PeerAuthentication (research/istio-semantics.md §3 "Scopes").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PaScope {
    Mesh,
    Namespace,
    Workload,
    /// A selector in the root namespace: ignored by sidecars.
    IgnoredRootSelector,
}

#[derive(Debug, Default)]
pub struct PolicyIndex {
    /// Mesh-level PeerAuthentications (root namespace, no selector), oldest first.
    pub mesh_pa: Vec<usize>,
    /// Namespace-level PeerAuthentications by namespace, oldest first.
    pub namespace_pa: BTreeMap<String, Vec<usize>>,
    /// Workload-level PeerAuthentications by namespace, oldest first.
    pub workload_pa: BTreeMap<String, Vec<usize>>,
    /// Root-namespace PeerAuthentications with a selector (ignored).
    pub ignored_pa: Vec<usize>,
    /// v1alpha1 Policies by namespace, oldest first.
    pub policies: BTreeMap<String, Vec<usize>>,
    /// MeshPolicies, oldest first.
    pub mesh_policies: Vec<usize>,
    /// DestinationRules by namespace, oldest first (rules with a workloadSelector first).
    pub destination_rules: BTreeMap<String, Vec<usize>>,
    /// The same lists found by hash: every client → service decision looks up three
    /// namespaces, and a sorted map of 2,000 namespaces compared a dozen names for each
    /// (issue 14). [`PolicyIndex::destination_rules_in`] reads it.
    destination_rules_by_ns: FxHashMap<String, Vec<usize>>,
    /// Whether some DestinationRule has a `workloadSelector`: only such a rule tells a
    /// sidecar client apart from the other sidecars of its namespace.
    pub destination_rules_select_clients: bool,
    /// AuthorizationPolicies and RequestAuthentications by kind, then namespace, oldest first.
    pub request_policies: FxHashMap<Kind, FxHashMap<String, Vec<usize>>>,
    /// Each AuthorizationPolicy's and RequestAuthentication's place in [`age_key`] order,
    /// indexed like `inv.objects` (`u32::MAX` for other objects), so lists from several
    /// namespaces merge without building the keys again on every evaluation (issue 14).
    request_policy_age: Vec<u32>,
}

/// Istio's ordering: oldest `creationTimestamp` first (objects without one count as newest),
/// then name, then namespace (`configCompareByCreationTime`).
pub fn age_key(o: &Object) -> (bool, String, String, String) {
    let (missing, ts) = o.creation_key();
    (missing, ts, o.name().to_owned(), o.namespace().to_owned())
}

/// Why `later` sorts after `first` in [`age_key`] order, for a policy that lost to an older
/// one: "younger than ns/name" only when both have a `creationTimestamp` and they differ; else
/// how the name decided (inputs without timestamps order by name, as Istio does).
pub fn sorts_after(later: &Object, first: &Object) -> String {
    let name = first.qualified_name();
    match (
        &later.meta.creation_timestamp,
        &first.meta.creation_timestamp,
    ) {
        (Some(l), Some(f)) if l != f => format!("younger than {name}"),
        (Some(_), Some(_)) => {
            format!("sorts after {name} by name (same creationTimestamp)")
        }
        (None, Some(_)) => {
            format!("sorts after {name}: no creationTimestamp, so counted as newest")
        }
        (_, None) => format!("sorts after {name} by name (no creationTimestamp given)"),
    }
}

impl PolicyIndex {
    pub fn new(inv: &Inventory) -> PolicyIndex {
        let mut idx = PolicyIndex::default();
        let root = inv.root_namespace();
        let mut pas: Vec<usize> = inv
            .of_kind(Kind::PeerAuthentication)
            .map(|(i, _)| i)
            .collect();
        sort_by_age(inv, &mut pas);
        for i in pas {
            let o = &inv.objects[i];
            let Body::PeerAuthentication(spec) = &o.body else {
                continue;
            };
            match pa_scope(o, spec, root) {
                PaScope::Mesh => idx.mesh_pa.push(i),
                PaScope::Namespace => idx
                    .namespace_pa
                    .entry(o.namespace().to_owned())
                    .or_default()
                    .push(i),
                PaScope::Workload => idx
                    .workload_pa
                    .entry(o.namespace().to_owned())
                    .or_default()
                    .push(i),
                PaScope::IgnoredRootSelector => idx.ignored_pa.push(i),
            }
        }
        let mut policies: Vec<usize> = inv.of_kind(Kind::Policy).map(|(i, _)| i).collect();
        sort_by_age(inv, &mut policies);
        for i in policies {
            let o = &inv.objects[i];
            if matches!(o.body, Body::Policy(_)) {
                idx.policies
                    .entry(o.namespace().to_owned())
                    .or_default()
                    .push(i);
            }
        }
        idx.mesh_policies = inv
            .of_kind(Kind::MeshPolicy)
            .filter(|(_, o)| matches!(o.body, Body::Policy(_)))
            .map(|(i, _)| i)
            .collect();
        sort_by_age(inv, &mut idx.mesh_policies);
        let mut drs: Vec<usize> = inv.of_kind(Kind::DestinationRule).map(|(i, _)| i).collect();
        sort_by_age(inv, &mut drs);
        // Rules with a workloadSelector sort first (`mergeDestinationRule`); stable otherwise.
        drs.sort_by_key(|&i| match &inv.objects[i].body {
            Body::DestinationRule(s) if s.workload_selector.is_some() => 0,
            _ => 1,
        });
        for i in drs {
            let o = &inv.objects[i];
            if matches!(o.body, Body::DestinationRule(_)) {
                idx.destination_rules
                    .entry(o.namespace().to_owned())
                    .or_default()
                    .push(i);
            }
        }
        idx.destination_rules_select_clients = idx.destination_rules.values().flatten().any(
            |&i| matches!(&inv.objects[i].body, Body::DestinationRule(s) if s.workload_selector.is_some()),
        );
        idx.destination_rules_by_ns = idx
            .destination_rules
            .iter()
            .map(|(ns, v)| (ns.clone(), v.clone()))
            .collect();
        idx.request_policy_age = vec![u32::MAX; inv.objects.len()];
        for kind in [Kind::AuthorizationPolicy, Kind::RequestAuthentication] {
            let mut list: Vec<usize> = inv.of_kind(kind).map(|(i, _)| i).collect();
            sort_by_age(inv, &mut list);
            let by_ns = idx.request_policies.entry(kind).or_default();
            for (rank, i) in list.into_iter().enumerate() {
                by_ns
                    .entry(inv.objects[i].namespace().to_owned())
                    .or_default()
                    .push(i);
                idx.request_policy_age[i] = u32::try_from(rank).unwrap_or(u32::MAX);
            }
        }
        idx
    }

    /// The AuthorizationPolicies or RequestAuthentications of `namespaces` (duplicates
    /// ignored), oldest first: a policy only ever applies from its own namespace, the
    /// workload's or the root namespace, so callers never scan the whole mesh.
    pub fn request_policies_in(&self, kind: Kind, namespaces: &[&str]) -> Vec<usize> {
        let Some(by_ns) = self.request_policies.get(&kind) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        // Lists that added policies: each is oldest first already, so one alone needs no sort.
        let mut lists = 0;
        for (n, &ns) in namespaces.iter().enumerate() {
            if namespaces[..n].contains(&ns) {
                continue;
            }
            if let Some(v) = by_ns.get(ns).filter(|v| !v.is_empty()) {
                out.extend(v);
                lists += 1;
            }
        }
        if lists > 1 {
            // Ranks are distinct, so an unstable sort gives the one order.
            out.sort_unstable_by_key(|&i| {
                self.request_policy_age.get(i).copied().unwrap_or(u32::MAX)
            });
        }
        out
    }

    /// The DestinationRules of namespace `ns`, oldest first (rules with a workloadSelector
    /// first), as in [`PolicyIndex::destination_rules`].
    pub fn destination_rules_in(&self, ns: &str) -> &[usize] {
        self.destination_rules_by_ns
            .get(ns)
            .map_or(&[], Vec::as_slice)
    }
}

fn sort_by_age(inv: &Inventory, list: &mut [usize]) {
    list.sort_by_cached_key(|&i| age_key(&inv.objects[i]));
}

/// Which scope a PeerAuthentication has.
pub fn pa_scope(o: &Object, spec: &PeerAuthenticationSpec, root: &str) -> PaScope {
    let has_selector = spec
        .selector
        .as_ref()
        .is_some_and(|s| !s.match_labels.is_empty());
    match (o.namespace() == root, has_selector) {
        (true, false) => PaScope::Mesh,
        (true, true) => PaScope::IgnoredRootSelector,
        (false, false) => PaScope::Namespace,
        (false, true) => PaScope::Workload,
    }
}
