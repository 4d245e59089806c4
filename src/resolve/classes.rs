//! Evaluation by equivalence classes (SPEC §3.6): the matrix of a big mesh is never computed
//! pair by pair.
//!
//! [`reach::evaluate`] reads of its client only the proxy kind and, through the client side
//! ([`client_tls::decide`]), the namespace and the labels as far as a DestinationRule
//! `workloadSelector` of the client's own namespace reads them. The namespace itself matters
//! only when the DestinationRule lookup can tell it apart from another one, which for a given
//! service happens only for *special* namespaces:
//! - the service's namespace and the root namespace (the lookup order changes there),
//! - namespaces holding a DestinationRule whose host matches the service (the lookup stops there),
//! - namespaces an `exportTo` list (or the mesh default) names explicitly,
//! - every namespace before Istio 1.1 (all rules were global, and their selectors read labels).
//!
//! So for one service port, clients fall into classes keyed by (proxy kind) for clients without
//! a sidecar or gateway proxy, (proxy kind) for sidecars in a namespace that is not special,
//! and (namespace, proxy kind, labels read by that namespace's selectors) otherwise. Each class
//! is evaluated once per service port, by [`reach::evaluate`] on one member, and expanded for
//! output. Request-level policy (AuthorizationPolicy identities, legacy rbac) reads the client's
//! namespace and service account too: for a service whose endpoints have such policy, clients
//! with a proxy are told apart by (namespace, service account) as well. The tests compare with
//! the naive loop.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::{FxHashMap, FxHashSet};

use crate::analysis::Analysis;
use crate::facts::proxy::ProxyKind;
use crate::model::istio::security::AuthorizationPolicySpec;
use crate::model::kind::Kind;
use crate::model::labels::Name;
use crate::model::resource::Body;
use crate::resolve::authz::{applies_to, match_string};
use crate::resolve::client_tls::{DNS_DOMAIN, host_match, qualify_host};
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::{self, Cell, Detail, RequestContext};
use crate::resolve::transport::Outcome;
use crate::version::Behaviour;

/// A namespace id that stands for "any namespace that is not special".
const PLAIN: u32 = u32::MAX;

/// What separates one client from another for the service ports it talks to.
#[derive(Debug, Clone)]
struct ClientFacts {
    ns: u32,
    kind: ProxyKind,
    /// Id of the client's labels projected onto the keys some selector reads (per namespace).
    labels: u32,
    /// Id of (namespace, service account): the identity request-level policy reads.
    sa: u32,
    /// `td/ns/<ns>/sa/<sa>` and the namespace, matched against identity patterns.
    principal: String,
    namespace: String,
}

type Key = (u32, ProxyKind, u32, u32);

/// Indexes built once per analysis: namespace ids, DestinationRule hosts per namespace.
struct Index<'a> {
    a: &'a Analysis,
    ns_ids: FxHashMap<&'a str, u32>,
    /// Exact qualified DestinationRule host → namespaces that hold such a rule.
    exact: FxHashMap<String, Vec<u32>>,
    /// Wildcard hosts (`*.foo.svc.cluster.local`, `*`) and the namespace holding each.
    wildcards: Vec<(String, u32)>,
    /// Root namespace and namespaces named by an `exportTo`.
    always: Vec<u32>,
    /// Before 1.1 every namespace is special and every selector reads every client.
    global: bool,
    /// Per workload: what request-level policy on it reads of the client's identity.
    identity: Vec<Identity>,
    /// Per Service: its special namespaces ([`Index::special`]), found on first use: every
    /// port of the Service and the namespace summary ask (issue 14).
    special: Vec<OnceLock<FxHashSet<u32>>>,
}

impl<'a> Index<'a> {
    fn new(a: &'a Analysis) -> Index<'a> {
        let mut ns_ids: FxHashMap<&'a str, u32> = FxHashMap::default();
        let intern = |ns: &'a str, ids: &mut FxHashMap<&'a str, u32>| -> u32 {
            let next = ids.len() as u32;
            *ids.entry(ns).or_insert(next)
        };
        for w in &a.inv.workloads {
            intern(&w.namespace, &mut ns_ids);
        }
        for s in &a.inv.services {
            intern(&s.namespace, &mut ns_ids);
        }
        let mut exact: FxHashMap<String, Vec<u32>> = FxHashMap::default();
        let mut wildcards = Vec::new();
        let mut always = vec![intern(a.inv.root_namespace(), &mut ns_ids)];
        let mut named: Vec<&'a str> = a
            .inv
            .mesh
            .default_destination_rule_export_to
            .iter()
            .map(String::as_str)
            .collect();
        for (ns, rules) in &a.policies.destination_rules {
            let id = intern(ns, &mut ns_ids);
            for &i in rules {
                let Body::DestinationRule(spec) = &a.inv.objects[i].body else {
                    continue;
                };
                let host = qualify_host(&spec.host, ns);
                if host.starts_with('*') {
                    wildcards.push((host, id));
                } else {
                    exact.entry(host).or_default().push(id);
                }
                named.extend(spec.export_to.iter().map(String::as_str));
            }
        }
        for n in named {
            if !matches!(n, "*" | "." | "~") {
                always.push(intern(n, &mut ns_ids));
            }
        }
        Index {
            a,
            ns_ids,
            exact,
            wildcards,
            always,
            global: !a.profile.has(Behaviour::DrLookupByNamespace),
            identity: identities(a),
            special: a.inv.services.iter().map(|_| OnceLock::new()).collect(),
        }
    }

    /// What the request-level policy of `service`'s endpoints reads of client identity.
    fn target_identity(&self, service: usize) -> Identity {
        let mut out = Identity::default();
        for &w in &self.a.inv.services[service].workloads {
            let i = &self.identity[w];
            out.all |= i.all;
            out.principals.extend(i.principals.iter().cloned());
            out.namespaces.extend(i.namespaces.iter().cloned());
        }
        out
    }

    /// The label keys DestinationRule selectors read, per namespace (all of them before 1.1),
    /// interned: a workload's labels are asked for them by pointer.
    fn selector_keys(&self) -> (FxHashMap<&'a str, Vec<Name>>, Vec<Name>) {
        let mut per_ns: FxHashMap<&'a str, Vec<Name>> = FxHashMap::default();
        let mut all = Vec::new();
        for (ns, rules) in &self.a.policies.destination_rules {
            for &i in rules {
                if let Body::DestinationRule(spec) = &self.a.inv.objects[i].body
                    && let Some(sel) = &spec.workload_selector
                {
                    for k in sel.match_labels.key_names() {
                        per_ns.entry(ns.as_str()).or_default().push(k);
                        all.push(k);
                    }
                }
            }
        }
        for v in per_ns.values_mut() {
            v.sort_unstable();
            v.dedup();
        }
        all.sort_unstable();
        all.dedup();
        (per_ns, all)
    }

    /// Facts of each client (same order as `clients`).
    fn facts(&self, clients: &[usize]) -> Vec<ClientFacts> {
        let (per_ns, all) = self.selector_keys();
        type Projected = (u32, Vec<(Name, Name)>);
        let mut label_ids: FxHashMap<Projected, u32> = FxHashMap::default();
        let mut sa_ids: FxHashMap<(&str, &str), u32> = FxHashMap::default();
        clients
            .iter()
            .map(|&c| {
                let w = &self.a.inv.workloads[c];
                let ns = self.ns_ids[w.namespace.as_str()];
                let keys: &[Name] = if self.global {
                    &all
                } else {
                    per_ns.get(w.namespace.as_str()).map_or(&[], Vec::as_slice)
                };
                let projected: Vec<(Name, Name)> = keys
                    .iter()
                    .filter_map(|&k| w.labels.get_name(k).map(|v| (k, v)))
                    .collect();
                let next = label_ids.len() as u32;
                let labels = *label_ids.entry((ns, projected)).or_insert(next);
                let next_sa = sa_ids.len() as u32;
                let sa = *sa_ids
                    .entry((w.namespace.as_str(), w.service_account.as_str()))
                    .or_insert(next_sa);
                ClientFacts {
                    ns,
                    kind: self.a.proxies[c].kind,
                    labels,
                    sa,
                    principal: format!(
                        "{}/ns/{}/sa/{}",
                        self.a.inv.mesh.trust_domain(),
                        w.namespace,
                        w.service_account
                    ),
                    namespace: w.namespace.clone(),
                }
            })
            .collect()
    }

    /// The namespaces whose clients the DestinationRule lookup for `service` tells apart.
    fn special(&self, service: usize) -> &FxHashSet<u32> {
        self.special[service].get_or_init(|| self.find_special(service))
    }

    fn find_special(&self, service: usize) -> FxHashSet<u32> {
        let svc = &self.a.inv.services[service];
        let host = svc.fqdn(DNS_DOMAIN);
        let mut out: FxHashSet<u32> = self.always.iter().copied().collect();
        if let Some(&id) = self.ns_ids.get(svc.namespace.as_str()) {
            out.insert(id);
        }
        if let Some(v) = self.exact.get(&host) {
            out.extend(v);
        }
        for (h, id) in &self.wildcards {
            if host_match(h, &host).is_some() {
                out.insert(*id);
            }
        }
        out
    }

    fn key(&self, f: &ClientFacts, special: &FxHashSet<u32>, identity: &Identity) -> Key {
        match f.kind {
            ProxyKind::Sidecar | ProxyKind::Gateway | ProxyKind::Ambient
                if identity.matches(&f.principal, &f.namespace) =>
            {
                (f.ns, f.kind, f.labels, f.sa)
            }
            ProxyKind::Sidecar | ProxyKind::Gateway if self.global || special.contains(&f.ns) => {
                (f.ns, f.kind, f.labels, 0)
            }
            kind => (PLAIN, kind, 0, 0),
        }
    }
}

/// Client namespaces grouped by what the DestinationRule lookup for one service can tell
/// apart: a hypothetical sidecar client without labels in any namespace of a group makes the
/// same client-side decision. Rules that reason about "a sidecar in every namespace" evaluate
/// one namespace per group instead of every namespace.
pub struct NamespaceClasses<'a> {
    idx: Index<'a>,
}

impl<'a> NamespaceClasses<'a> {
    /// Index of the namespaces and labels policy can tell apart (shared with the matrix).
    fn index(&self) -> &Index<'a> {
        &self.idx
    }

    pub fn new(a: &'a Analysis) -> NamespaceClasses<'a> {
        NamespaceClasses { idx: Index::new(a) }
    }

    /// The namespace ids of `namespaces`, as [`Self::special_ids`] names them.
    pub fn ids(&self, namespaces: &[&str]) -> Vec<Option<u32>> {
        namespaces
            .iter()
            .map(|ns| self.idx.ns_ids.get(ns).copied())
            .collect()
    }

    /// The namespace ids (as [`Self::ids`] gives them) that form classes of one for
    /// `service`; `None` when every namespace is alike (before 1.1 all rules are global).
    pub fn special_ids(&self, service: usize) -> Option<&FxHashSet<u32>> {
        (!self.idx.global).then(|| self.idx.special(service))
    }
}

/// The matrix as classes: the distinct cells and, per (client, target), which one applies.
pub struct ClassMatrix {
    pub clients: Vec<usize>,
    pub targets: Vec<(usize, usize)>,
    /// Distinct evaluated cells; `client` is the member the class was evaluated on.
    pub cells: Vec<Cell>,
    /// Row-major: `index[ci * targets.len() + ti]` is the cell of `clients[ci]` → `targets[ti]`.
    pub index: Vec<u32>,
}

impl ClassMatrix {
    /// The cell of `clients[ci]` → `targets[ti]` (its `client` may be another class member).
    pub fn cell(&self, ci: usize, ti: usize) -> &Cell {
        &self.cells[self.index[ci * self.targets.len() + ti] as usize]
    }

    /// Expands to one cell per pair, clients outer, targets inner.
    pub fn expand(&self) -> Vec<Cell> {
        let mut out = Vec::with_capacity(self.index.len());
        for (ci, &client) in self.clients.iter().enumerate() {
            for ti in 0..self.targets.len() {
                let mut c = self.cell(ci, ti).clone();
                c.client = client;
                out.push(c);
            }
        }
        out
    }
}

/// Evaluates `clients` × `targets` (service index, port index) once per class.
pub fn classify(
    a: &Decisions<'_>,
    clients: &[usize],
    targets: &[(usize, usize)],
    req: &RequestContext,
) -> ClassMatrix {
    let idx = a.namespace_classes().index();
    let facts = idx.facts(clients);
    // Per target: its distinct cells and the local cell number of each client.
    let columns: Vec<(Vec<Cell>, Vec<u32>)> = targets
        .par_iter()
        .map(|&(s, p)| {
            let special = idx.special(s);
            let identity = idx.target_identity(s);
            let mut seen: FxHashMap<Key, u32> = FxHashMap::default();
            let mut cells = Vec::new();
            let col = facts
                .iter()
                .zip(clients)
                .map(|(f, &c)| {
                    *seen
                        .entry(idx.key(f, special, &identity))
                        .or_insert_with(|| {
                            cells.push(reach::evaluate(a, c, s, p, req));
                            (cells.len() - 1) as u32
                        })
                })
                .collect();
            (cells, col)
        })
        .collect();
    let t = targets.len();
    let mut index = vec![0u32; clients.len() * t];
    let mut cells = Vec::new();
    for (ti, (distinct, col)) in columns.into_iter().enumerate() {
        let offset = cells.len() as u32;
        for (ci, local) in col.into_iter().enumerate() {
            index[ci * t + ti] = offset + local;
        }
        cells.extend(distinct);
    }
    ClassMatrix {
        clients: clients.to_vec(),
        targets: targets.to_vec(),
        cells,
        index,
    }
}

/// The same cells, in the same order, as
/// `for c in clients { for t in targets { reach::evaluate(a, c, t.0, t.1) } }`.
pub fn matrix(
    a: &Decisions<'_>,
    clients: &[usize],
    targets: &[(usize, usize)],
    req: &RequestContext,
) -> Vec<Cell> {
    classify(a, clients, targets, req).expand()
}

/// What request-level policy reads of a client's identity, as patterns: a client that matches
/// none of them is indistinguishable from any other client of its class (every identity field
/// evaluates the same for all of them), so only matching clients need their own evaluation.
#[derive(Debug, Clone, Default)]
struct Identity {
    /// Every client may be told apart (legacy rbac, trust domain aliases, targetRef policies,
    /// `when` keys on the source that are not indexed here).
    all: bool,
    /// Patterns over `td/ns/<ns>/sa/<sa>`.
    principals: Vec<String>,
    /// Patterns over the namespace.
    namespaces: Vec<String>,
}

impl Identity {
    /// Which of the patterns `principal` and `namespace` match, one bit each (principals
    /// first); `None` when there are more than 64 patterns to tell.
    fn signature(&self, principal: &str, namespace: &str) -> Option<u64> {
        if self.principals.len() + self.namespaces.len() > 64 {
            return None;
        }
        let principals = self.principals.iter().map(|p| match_string(p, principal));
        let namespaces = self.namespaces.iter().map(|p| match_string(p, namespace));
        Some(
            principals
                .chain(namespaces)
                .enumerate()
                .fold(0, |sig, (i, hit)| sig | (u64::from(hit) << i)),
        )
    }

    fn matches(&self, principal: &str, namespace: &str) -> bool {
        self.all
            || self.principals.iter().any(|p| match_string(p, principal))
            || self.namespaces.iter().any(|p| match_string(p, namespace))
    }

    fn read_policy(&mut self, a: &Analysis, policy_ns: &str, spec: &AuthorizationPolicySpec) {
        // Where the release enforces the policy otherwise than it reads (unquoted regexes,
        // ignored trust domains: resolve::authz::differences), the patterns below do not say
        // which clients it tells apart: every client may be.
        if !crate::resolve::authz::differences(a, spec).is_empty() {
            self.all = true;
        }
        let td = a.inv.mesh.trust_domain();
        for rule in spec.rules.iter().flatten() {
            for source in rule.from.iter().flatten().filter_map(|f| f.source.as_ref()) {
                self.principals.extend(source.principals.iter().cloned());
                self.principals
                    .extend(source.not_principals.iter().cloned());
                self.namespaces.extend(source.namespaces.iter().cloned());
                self.namespaces
                    .extend(source.not_namespaces.iter().cloned());
                for sa in source
                    .service_accounts
                    .iter()
                    .chain(&source.not_service_accounts)
                {
                    let (ns, name) = sa.split_once('/').unwrap_or((policy_ns, sa));
                    self.principals.push(format!("{td}/ns/{ns}/sa/{name}"));
                }
            }
            for c in rule.when.iter().flatten() {
                let values = c.values.iter().chain(&c.not_values).cloned();
                match c.key.as_str() {
                    "source.principal" => self.principals.extend(values),
                    "source.namespace" => self.namespaces.extend(values),
                    k if k.starts_with("source.") || k.starts_with("connection.") => {
                        self.all = true;
                    }
                    _ => {}
                }
            }
        }
    }
}

/// Per workload: the identity patterns of the AuthorizationPolicies that apply to it (its
/// namespace's and the root namespace's). Policies attached by `targetRef`, legacy rbac and
/// trust domain aliases make every client distinguishable (conservative).
fn identities(a: &Analysis) -> Vec<Identity> {
    let all = a.inv.by_kind.contains_key(&Kind::ServiceRoleBinding)
        || !a.inv.mesh.trust_domain_aliases.is_empty();
    let mut by_ns: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, o) in a.inv.of_kind(Kind::AuthorizationPolicy) {
        if matches!(o.body, Body::AuthorizationPolicy(_)) {
            by_ns.entry(o.namespace()).or_default().push(i);
        }
    }
    let root = a.inv.root_namespace();
    // Each workload on its own: in parallel, in order.
    a.inv
        .workloads
        .par_iter()
        .enumerate()
        .map(|(wi, w)| {
            let mut id = Identity {
                all,
                ..Identity::default()
            };
            for &i in [w.namespace.as_str(), root]
                .iter()
                .flat_map(|ns| by_ns.get(ns).into_iter().flatten())
            {
                let o = &a.inv.objects[i];
                let Body::AuthorizationPolicy(spec) = &o.body else {
                    continue;
                };
                if spec.target_ref.is_some() || !spec.target_refs.is_empty() {
                    id.all = true;
                } else if applies_to(
                    a,
                    o.namespace(),
                    spec.selector.as_ref(),
                    spec.target_ref.as_ref(),
                    &spec.target_refs,
                    wi,
                ) {
                    id.read_policy(a, o.namespace(), spec);
                }
            }
            id
        })
        .collect()
}

mod summary;
pub use summary::*;

#[cfg(test)]
mod tests;
