//! The decision layer: what Istio decides for each service port, computed once per run and
//! shared by every rule and command (issue 9; the "semantic model" ruff's rules query).
//!
//! For a Service port it holds the server decision of every endpoint (workload, target port,
//! every policy considered) and the client decision of each class of sidecar clients (client
//! namespaces that no policy tells apart, SPEC §3.6), each with the field that decided. The
//! transport outcome of a (class, endpoint) pair is a pure function of those two and is derived
//! on demand. Everything is memoised: the first query of a port computes it, later ones read it,
//! from any thread (rules run in parallel).

use std::borrow::Cow;
use std::ops::Deref;
use std::sync::OnceLock;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::analysis::Analysis;
use crate::facts::proxy::ProxyKind;
use crate::resolve::authz::{self, any_namespace_named};
use crate::resolve::classes::NamespaceClasses;
use crate::resolve::client_tls::{self, Client, ClientDecision, Sends};
use crate::resolve::request;
use crate::resolve::server_mtls::{self, ServerDecision, Target};
use crate::resolve::transport::{self, Outcome, ServerEnd};

/// One endpoint of a service port and the server decision there.
#[derive(Debug)]
pub struct Endpoint {
    /// Index into `inv.workloads`.
    pub workload: usize,
    /// The container port the Service port targets on this workload.
    pub target_port: i32,
    pub server: ServerDecision,
}

/// Which client namespaces a class holds, as positions into `Analysis::client_namespaces`.
/// The class of "every other namespace" is kept as what it leaves out, so a port costs memory
/// by its special namespaces, not by the size of the mesh.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Members {
    /// Exactly these positions, ascending.
    Listed(Vec<u32>),
    /// Every position except these (ascending).
    AllBut(Vec<u32>),
}

/// The positions of a [`Members`], ascending, with an exact `size_hint`.
#[derive(Debug, Clone)]
pub enum Positions<'m> {
    Listed(std::slice::Iter<'m, u32>),
    AllBut {
        /// The next candidate position and the end.
        next: u32,
        total: u32,
        /// The positions left out, ascending.
        except: &'m [u32],
        /// How many positions are still to come.
        left: usize,
    },
}

impl Iterator for Positions<'_> {
    type Item = u32;

    fn next(&mut self) -> Option<u32> {
        match self {
            Positions::Listed(it) => it.next().copied(),
            Positions::AllBut {
                next,
                total,
                except,
                left,
            } => {
                while *next < *total {
                    let i = *next;
                    *next += 1;
                    // `except` is ascending and its head never behind `i`: skip `i` when it
                    // is the head.
                    if except.first() == Some(&i) {
                        *except = &except[1..];
                        continue;
                    }
                    *left -= 1;
                    return Some(i);
                }
                None
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = match self {
            Positions::Listed(it) => it.len(),
            Positions::AllBut { left, .. } => *left,
        };
        (n, Some(n))
    }
}

impl ExactSizeIterator for Positions<'_> {}

/// Sidecar clients that policy cannot tell apart for one service, and what they decide.
#[derive(Debug)]
pub struct ClientClass {
    pub members: Members,
    pub decision: ClientDecision,
}

impl Default for Members {
    /// No namespace.
    fn default() -> Members {
        Members::Listed(Vec::new())
    }
}

impl Members {
    /// The positions (into `Analysis::client_namespaces`), ascending; `total` is the length of
    /// that list.
    ///
    /// The iterator knows how many positions remain, so a caller that writes the first few
    /// and counts the rest does not walk the mesh for each class (issue 14: that walk, once
    /// per finding, made `analyze` grow as namespaces × workloads).
    pub fn positions(&self, total: usize) -> Positions<'_> {
        match self {
            Members::Listed(v) => Positions::Listed(v.iter()),
            Members::AllBut(except) => Positions::AllBut {
                next: 0,
                total: total as u32,
                except,
                left: self.len(total),
            },
        }
    }

    /// Whether `self` and `other` hold the same namespaces, compared by the lists kept.
    pub fn same_set(&self, other: &Members, total: usize) -> bool {
        match (self, other) {
            (Members::Listed(x), Members::Listed(y)) | (Members::AllBut(x), Members::AllBut(y)) => {
                x == y
            }
            // Complements: every position is in exactly one of the two lists.
            (Members::Listed(x), Members::AllBut(y)) | (Members::AllBut(y), Members::Listed(x)) => {
                x.len() + y.len() == total && merge(x, y, false).is_empty()
            }
        }
    }

    /// Whether it holds the client namespace at `position` (into
    /// `Analysis::client_namespaces`), in time by the list kept.
    pub fn contains(&self, position: u32) -> bool {
        match self {
            Members::Listed(v) => v.binary_search(&position).is_ok(),
            Members::AllBut(except) => except.binary_search(&position).is_err(),
        }
    }

    /// Whether one of the namespace `patterns` (a policy's admitted namespaces) names a
    /// namespace it holds: exact names are looked up in the sorted `client_namespaces`, only
    /// patterns with `*` go through the members.
    pub fn any_named<'p>(&self, a: &Analysis, patterns: impl IntoIterator<Item = &'p str>) -> bool {
        any_namespace_named(
            patterns,
            |p| {
                a.client_namespaces
                    .binary_search_by(|ns| ns.as_str().cmp(p))
                    .is_ok_and(|at| self.contains(at as u32))
            },
            || self.names(a),
        )
    }

    /// How many client namespaces it holds.
    pub fn len(&self, total: usize) -> usize {
        match self {
            Members::Listed(v) => v.len(),
            Members::AllBut(except) => total - except.len(),
        }
    }

    /// The client namespaces, in order (the order of their names).
    pub fn names<'a>(&'a self, a: &'a Analysis) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        self.positions(a.client_namespaces.len())
            .map(|i| a.client_namespaces[i as usize].as_str())
    }

    /// Adds the namespaces of `other`, in time by the lists kept (not by the mesh): rules
    /// gather the client namespaces of many classes this way.
    pub fn union(&mut self, other: &Members) {
        *self = match (&*self, other) {
            (Members::Listed(x), Members::Listed(y)) => Members::Listed(merge(x, y, true)),
            (Members::Listed(x), Members::AllBut(y)) | (Members::AllBut(y), Members::Listed(x)) => {
                Members::AllBut(
                    y.iter()
                        .copied()
                        .filter(|i| x.binary_search(i).is_err())
                        .collect(),
                )
            }
            (Members::AllBut(x), Members::AllBut(y)) => Members::AllBut(merge(x, y, false)),
        };
    }
}

/// The union (`union`) or intersection of two ascending lists, ascending.
fn merge(x: &[u32], y: &[u32], union: bool) -> Vec<u32> {
    let mut out = Vec::with_capacity(if union {
        x.len() + y.len()
    } else {
        x.len().min(y.len())
    });
    let (mut i, mut j) = (0, 0);
    while i < x.len() && j < y.len() {
        match x[i].cmp(&y[j]) {
            std::cmp::Ordering::Equal => {
                out.push(x[i]);
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                if union {
                    out.push(x[i]);
                }
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                if union {
                    out.push(y[j]);
                }
                j += 1;
            }
        }
    }
    if union {
        out.extend_from_slice(&x[i..]);
        out.extend_from_slice(&y[j..]);
    }
    out
}

impl ClientClass {
    /// The positions (into `Analysis::client_namespaces`) of the class, ascending; `total` is
    /// the length of that list.
    pub fn positions(&self, total: usize) -> Positions<'_> {
        self.members.positions(total)
    }

    /// How many client namespaces the class holds.
    pub fn len(&self, total: usize) -> usize {
        self.members.len(total)
    }

    /// The client namespaces of the class, in order.
    pub fn namespace_names<'a>(
        &'a self,
        a: &'a Analysis,
    ) -> impl ExactSizeIterator<Item = &'a str> + 'a {
        self.members.names(a)
    }
}

/// What one hop decides: what the client puts on the wire, the transport outcome and why.
#[derive(Debug, Clone)]
pub struct Hop {
    pub sends: Sends,
    pub outcome: Outcome,
    pub why: String,
}

/// Every decision about one Service port.
#[derive(Debug)]
pub struct PortDecisions {
    /// Whether the application itself speaks TLS on this port (`https` ports, the API server).
    pub app_tls: bool,
    /// The Host header curl sends to this port ([`request::default_host`]).
    pub default_host: String,
    /// Every endpoint of the Service, in `ServiceInfo::workloads` order.
    pub endpoints: Vec<Endpoint>,
    /// The sidecar client classes, covering `Analysis::client_namespaces` once each.
    pub clients: Vec<ClientClass>,
}

impl PortDecisions {
    /// What a sidecar client of `class` sends to `endpoint` (an index into `endpoints`, or
    /// `None` for a Service without endpoints) and what the connection ends in
    /// (research/istio-semantics.md §6, SPEC §3.4).
    pub fn hop(&self, a: &Analysis, class: &ClientClass, endpoint: Option<&Endpoint>) -> Hop {
        let sends = class
            .decision
            .sends(a, endpoint.map(|e| e.workload), self.app_tls);
        let server = match endpoint {
            Some(e) => ServerEnd {
                proxy: e.server.proxy,
                mode: e.server.mode,
                app_tls: self.app_tls,
            },
            None => ServerEnd {
                proxy: ProxyKind::None,
                mode: None,
                app_tls: self.app_tls,
            },
        };
        let (outcome, why) = transport::outcome(ProxyKind::Sidecar, sends, server);
        Hop {
            sends,
            outcome,
            why,
        }
    }

    /// The endpoints that have a sidecar.
    pub fn sidecar_endpoints(&self) -> impl Iterator<Item = &Endpoint> {
        self.endpoints
            .iter()
            .filter(|e| e.server.proxy == ProxyKind::Sidecar)
    }
}

/// The analysis with its decisions memoised. Dereferences to [`Analysis`], so rules and
/// commands read the inventory and profile through it as before.
pub struct Decisions<'a> {
    analysis: &'a Analysis,
    classes: OnceLock<NamespaceClasses<'a>>,
    /// Class-index namespace id → position in `Analysis::client_namespaces`.
    client_positions: OnceLock<FxHashMap<u32, u32>>,
    /// `[service][port]`.
    ports: Vec<Vec<OnceLock<PortDecisions>>>,
    /// Namespaces of the inputs' workloads without a proxy, sorted.
    proxyless: OnceLock<Vec<&'a str>>,
    /// Per workload, the AuthorizationPolicies that apply to it.
    authorization_policies: Vec<OnceLock<Vec<usize>>>,
    /// The first request path asked for and how the server proxy sees it.
    seen_path: OnceLock<(String, String)>,
    /// Per workload, its SPIFFE principal.
    principals: Vec<OnceLock<String>>,
    /// Per Service, the policies that target it by `targetRefs`.
    service_targeted: Vec<OnceLock<Vec<usize>>>,
}

impl Deref for Decisions<'_> {
    type Target = Analysis;
    fn deref(&self) -> &Analysis {
        self.analysis
    }
}

impl<'a> Decisions<'a> {
    pub fn new(analysis: &'a Analysis) -> Decisions<'a> {
        let ports = analysis
            .inv
            .services
            .iter()
            .map(|s| s.ports.iter().map(|_| OnceLock::new()).collect())
            .collect();
        Decisions {
            analysis,
            classes: OnceLock::new(),
            client_positions: OnceLock::new(),
            ports,
            proxyless: OnceLock::new(),
            seen_path: OnceLock::new(),
            principals: analysis
                .inv
                .workloads
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
            service_targeted: analysis
                .inv
                .services
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
            authorization_policies: analysis
                .inv
                .workloads
                .iter()
                .map(|_| OnceLock::new())
                .collect(),
        }
    }

    /// The AuthorizationPolicies that apply to `workload` ([`authz::applicable`]), oldest
    /// first, found once per workload: every request to it asks (issue 14).
    ///
    /// Panics when `workload` is out of range (it comes from the inventory).
    pub fn authorization_policies(&self, workload: usize) -> &[usize] {
        self.authorization_policies[workload]
            .get_or_init(|| authz::applicable(self.analysis, workload))
    }

    /// The principal of `workload` as a peer presents it over Istio mTLS:
    /// `<trust domain>/ns/<namespace>/sa/<service account>` (authz-semantics §6), formatted
    /// once per workload: every cell from it asks (issue 14).
    ///
    /// Panics when `workload` is out of range (it comes from the inventory).
    pub fn principal(&self, workload: usize) -> &str {
        self.principals[workload].get_or_init(|| {
            let a = self.analysis;
            let w = &a.inv.workloads[workload];
            format!(
                "{}/ns/{}/sa/{}",
                a.inv.mesh.trust_domain(),
                w.namespace,
                w.service_account
            )
        })
    }

    /// The AuthorizationPolicies and RequestAuthentications that target `services[service]`
    /// through `targetRefs` ([`request::service_targeted`]), found once per Service: every
    /// request to one of its ports asks (issue 14).
    ///
    /// Panics when `service` is out of range (it comes from the inventory).
    pub fn service_targeted(&self, service: usize) -> &[usize] {
        self.service_targeted[service]
            .get_or_init(|| request::service_targeted(self.analysis, service))
    }

    /// The analysis the decisions are about.
    pub fn analysis(&self) -> &'a Analysis {
        self.analysis
    }

    /// Client namespaces grouped per service (built once).
    pub fn namespace_classes(&self) -> &NamespaceClasses<'a> {
        self.classes
            .get_or_init(|| NamespaceClasses::new(self.analysis))
    }

    /// The namespaces, sorted and once each, that hold a workload of the inputs without a
    /// proxy (implied workloads aside): where callers send plaintext to every PERMISSIVE port.
    pub fn proxyless_namespaces(&self) -> &[&'a str] {
        self.proxyless.get_or_init(|| {
            let a = self.analysis;
            let mut out: Vec<&str> = a
                .inv
                .workloads
                .iter()
                .enumerate()
                .filter(|&(w, wl)| a.proxies[w].kind == ProxyKind::None && !a.is_implied(wl.object))
                .map(|(_, wl)| wl.namespace.as_str())
                .collect();
            out.sort_unstable();
            out.dedup();
            out
        })
    }

    /// Computes the decisions of every Service port now, in parallel (each port on its own):
    /// what a run of rules that read most of them does first (issue 14).
    pub fn prepare_ports(&self) {
        self.namespace_classes();
        let ports: Vec<(usize, usize)> = self
            .ports
            .iter()
            .enumerate()
            .flat_map(|(si, ps)| (0..ps.len()).map(move |pi| (si, pi)))
            .collect();
        ports.par_iter().for_each(|&(si, pi)| {
            self.port(si, pi);
        });
    }

    /// How the server proxy sees the request path `path` ([`request::seen_path`]). A run asks
    /// for one path in every cell: the first is normalised once (issue 14), any other each
    /// time.
    pub fn seen_path(&self, path: &str) -> Cow<'_, str> {
        let (asked, seen) = self
            .seen_path
            .get_or_init(|| (path.to_owned(), request::seen_path(self.analysis, path)));
        if asked == path {
            Cow::Borrowed(seen)
        } else {
            Cow::Owned(request::seen_path(self.analysis, path))
        }
    }

    /// What client workload `client` decides towards `services[service].ports[port]`
    /// ([`client_tls::decide`]). A sidecar that no DestinationRule selects by label decides
    /// what the sidecars of its namespace class decide, so the class's decision is taken
    /// (computed once per port, not once per client: issue 14); any other client is decided
    /// on its own.
    pub fn client_decision(&self, client: usize, service: usize, port: usize) -> ClientDecision {
        let a = self.analysis;
        if a.proxies[client].kind == ProxyKind::Sidecar
            && !a.policies.destination_rules_select_clients
        {
            let ns = a.inv.workloads[client].namespace.as_str();
            if let Ok(pos) = a.client_namespaces.binary_search_by(|n| n.as_str().cmp(ns))
                && let Some(class) = self
                    .port(service, port)
                    .clients
                    .iter()
                    .find(|c| c.members.contains(pos as u32))
            {
                return class.decision.clone();
            }
        }
        let svc = &a.inv.services[service];
        client_tls::decide(a, &Client::of(a, client), svc, &svc.ports[port])
    }

    /// Every decision about `services[service].ports[port]`, computed on first use.
    ///
    /// Panics when the indices are out of range (they come from the inventory).
    pub fn port(&self, service: usize, port: usize) -> &PortDecisions {
        self.ports[service][port].get_or_init(|| self.compute(service, port))
    }

    fn compute(&self, si: usize, pi: usize) -> PortDecisions {
        let a = self.analysis;
        let svc = &a.inv.services[si];
        let port = &svc.ports[pi];
        let endpoints = svc
            .workloads
            .iter()
            .map(|&w| {
                let target_port = a
                    .inv
                    .target_port(port, &a.inv.workloads[w])
                    .unwrap_or(port.port);
                let server = server_mtls::decide(
                    a,
                    Target {
                        workload: w,
                        service: Some((svc, port)),
                        target_port,
                    },
                );
                Endpoint {
                    workload: w,
                    target_port,
                    server,
                }
            })
            .collect();
        let total = a.client_namespaces.len();
        let classes = self.namespace_classes();
        let mut groups: Vec<Members> = Vec::new();
        match classes.special_ids(si) {
            None => groups.push(Members::AllBut(Vec::new())),
            Some(special) => {
                let positions = self.client_positions.get_or_init(|| {
                    let names: Vec<&str> = a.client_namespaces.iter().map(String::as_str).collect();
                    classes
                        .ids(&names)
                        .into_iter()
                        .enumerate()
                        .filter_map(|(pos, id)| id.map(|id| (id, pos as u32)))
                        .collect()
                });
                let mut listed: Vec<u32> = special
                    .iter()
                    .filter_map(|id| positions.get(id).copied())
                    .collect();
                listed.sort_unstable();
                groups.extend(listed.iter().map(|&p| Members::Listed(vec![p])));
                if listed.len() < total {
                    groups.push(Members::AllBut(listed));
                }
            }
        }
        let clients = groups
            .into_iter()
            .filter_map(|members| {
                let first = match &members {
                    Members::Listed(v) => v.first().copied(),
                    Members::AllBut(except) => {
                        (0..total as u32).find(|i| except.binary_search(i).is_err())
                    }
                }?;
                let ns = a.client_namespaces[first as usize].as_str();
                Some(ClientClass {
                    decision: client_tls::decide(a, &Client::sidecar_in(ns), svc, port),
                    members,
                })
            })
            .collect();
        PortDecisions {
            app_tls: client_tls::app_speaks_tls(svc, port),
            default_host: request::default_host(svc, port),
            endpoints,
            clients,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The memoised path is the one asked for: a second, different path is normalised on its
    /// own, and both equal `request::seen_path`.
    #[test]
    fn seen_path_answers_each_path_asked() {
        use crate::input::load::{LoadOptions, Loaded};
        let text = "apiVersion: v1\nkind: Namespace\nmetadata: {name: foo}\n";
        let a = Analysis::new(
            Loaded::from_text("t.yaml", text, &LoadOptions::default()),
            None,
            None,
        );
        let d = Decisions::new(&a);
        for path in ["/a/../b", "/c/./d?x=1", "/a/../b"] {
            assert_eq!(d.seen_path(path), request::seen_path(&a, path), "{path}");
        }
        assert_ne!(d.seen_path("/a/../b"), d.seen_path("/c/./d?x=1"));
    }

    /// Positions come out ascending with an exact remaining count at every step, and two
    /// members are the same set exactly when their positions are equal.
    #[test]
    fn positions_are_exact_and_same_set_compares_sets() {
        let total = 6;
        let cases = [
            Members::Listed(vec![1, 3]),
            Members::AllBut(vec![0, 2, 4, 5]),
            Members::AllBut(vec![]),
            Members::Listed(vec![0, 1, 2, 3, 4, 5]),
            Members::AllBut(vec![0, 1, 2, 3, 4, 5]),
            Members::default(),
            Members::AllBut(vec![5]),
        ];
        let want = |m: &Members| {
            (0..total as u32)
                .filter(|&i| m.contains(i))
                .collect::<Vec<_>>()
        };
        for m in &cases {
            let mut it = m.positions(total);
            let mut got = Vec::new();
            loop {
                let left = it.len();
                assert_eq!(it.size_hint(), (left, Some(left)), "{m:?}");
                match it.next() {
                    Some(i) => got.push(i),
                    None => break assert_eq!(left, 0, "{m:?}"),
                }
            }
            assert_eq!(got, want(m), "{m:?}");
            for other in &cases {
                assert_eq!(
                    m.same_set(other, total),
                    want(m) == want(other),
                    "{m:?} {other:?}"
                );
            }
        }
    }

    /// Union over the kept lists equals the union of the sets they stand for.
    #[test]
    fn members_union_is_set_union() {
        let total = 8;
        let set = |m: &Members| m.positions(total).collect::<Vec<u32>>();
        let cases = [
            Members::Listed(vec![1, 3]),
            Members::Listed(vec![3, 5, 7]),
            Members::AllBut(vec![0, 3, 5]),
            Members::AllBut(vec![3, 6]),
            Members::default(),
        ];
        for x in &cases {
            for y in &cases {
                let mut u = x.clone();
                u.union(y);
                let mut want: Vec<u32> = set(x).into_iter().chain(set(y)).collect();
                want.sort_unstable();
                want.dedup();
                assert_eq!(set(&u), want, "{x:?} ∪ {y:?}");
                assert_eq!(u.len(total), want.len());
            }
        }
    }
}
