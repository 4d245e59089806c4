//! The namespace × namespace summary of the matrix (`matrix --by namespace`, SPEC §3.6):
//! cells counted per outcome without expanding them.

use std::sync::atomic::{AtomicU32, Ordering};

use super::*;

/// Number of [`Outcome`] variants; counts are indexed by [`outcome_index`].
pub const OUTCOMES: usize = 8;

/// Every outcome, in the order of the count arrays.
pub const OUTCOME_ORDER: [Outcome; OUTCOMES] = [
    Outcome::Ok,
    Outcome::Reset,
    Outcome::TlsError,
    Outcome::UpstreamError,
    Outcome::BadRequest,
    Outcome::Unauthenticated,
    Outcome::Forbidden,
    Outcome::Depends,
];

pub fn outcome_index(o: Outcome) -> usize {
    match o {
        Outcome::Ok => 0,
        Outcome::Reset => 1,
        Outcome::TlsError => 2,
        Outcome::UpstreamError => 3,
        Outcome::BadRequest => 4,
        Outcome::Unauthenticated => 5,
        Outcome::Forbidden => 6,
        Outcome::Depends => 7,
    }
}

/// Cells per outcome of one namespace pair, indexed by [`outcome_index`] (u32: a namespace
/// pair of more than 4 billion cells is not a mesh).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Counts(pub [u32; OUTCOMES]);

impl Counts {
    pub fn reachable(&self) -> u64 {
        u64::from(self.0[0])
    }

    /// Cells that fail; cells whose outcome the inputs do not decide are neither reachable
    /// nor blocked.
    pub fn blocked(&self) -> u64 {
        self.0[1..outcome_index(Outcome::Depends)]
            .iter()
            .map(|&n| u64::from(n))
            .sum()
    }

    /// Cells whose outcome the inputs do not decide (`depends`).
    pub fn depends(&self) -> u64 {
        u64::from(self.0[outcome_index(Outcome::Depends)])
    }

    /// Every cell, whatever its outcome: reachable, blocked and depends.
    pub fn cells(&self) -> u64 {
        self.0.iter().map(|&n| u64::from(n)).sum()
    }

    /// Each outcome with its count, in [`OUTCOME_ORDER`].
    pub fn by_outcome(&self) -> impl Iterator<Item = (Outcome, u32)> + '_ {
        OUTCOME_ORDER.iter().copied().zip(self.0)
    }
}

/// One namespace pair of the summary, as [`NamespaceSummary::pairs`] gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NamespacePair {
    /// Index into [`NamespaceSummary::from`].
    pub from: u32,
    /// Index into [`NamespaceSummary::to`].
    pub to: u32,
    /// Index into [`NamespaceSummary::counts`]: pairs with the same counts share one entry, so
    /// renderers format each distinct entry once.
    pub counts: u32,
}

/// The id of a pair without any cell in [`NamespaceSummary`]'s grid.
const NO_CELLS: u32 = u32::MAX;

/// Client namespace × service namespace: how many (client, service port) cells get each outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceSummary {
    /// Client namespaces, sorted.
    pub from: Vec<String>,
    /// Service namespaces, sorted.
    pub to: Vec<String>,
    /// The grid, row-major (`from.len()` rows of `to.len()` ids): each pair's index into
    /// [`NamespaceSummary::counts`], or [`NO_CELLS`]. Every client namespace has clients and
    /// every service namespace has ports, so nearly every pair has cells: 4 bytes a pair here
    /// replaced a sorted list of 12-byte pairs and the per-column lists it was sorted from,
    /// 80 MB on the SPEC §9 corpus's 4 million pairs (issue 14).
    grid: Vec<u32>,
    /// How many pairs have cells.
    pairs: usize,
    /// The distinct counts the pairs point at, each once.
    pub counts: Vec<Counts>,
}

impl NamespaceSummary {
    /// Every pair with cells, sorted by (from, to).
    pub fn pairs(&self) -> impl Iterator<Item = NamespacePair> + Clone + '_ {
        self.rows(0..self.from.len())
    }

    /// The pairs with cells of client namespaces `rows` (indices into `from`), sorted by
    /// (from, to).
    pub fn rows(
        &self,
        rows: std::ops::Range<usize>,
    ) -> impl Iterator<Item = NamespacePair> + Clone + '_ {
        let width = self.to.len().max(1);
        self.grid[rows.start * self.to.len()..rows.end * self.to.len()]
            .iter()
            .enumerate()
            .filter(|&(_, &id)| id != NO_CELLS)
            .map(move |(i, &id)| NamespacePair {
                from: (rows.start + i / width) as u32,
                to: (i % width) as u32,
                counts: id,
            })
    }

    /// How many pairs have cells.
    pub fn pair_count(&self) -> usize {
        self.pairs
    }

    /// Whether no pair has cells.
    pub fn is_empty(&self) -> bool {
        self.pairs == 0
    }

    /// The counts of `p`.
    pub fn counts(&self, p: NamespacePair) -> &Counts {
        &self.counts[p.counts as usize]
    }

    /// The client namespace of `p`.
    pub fn from_name(&self, p: NamespacePair) -> &str {
        &self.from[p.from as usize]
    }

    /// The service namespace of `p`.
    pub fn to_name(&self, p: NamespacePair) -> &str {
        &self.to[p.to as usize]
    }

    /// `count` (e.g. [`Counts::reachable`]) summed over every pair.
    pub fn total(&self, count: impl Fn(&Counts) -> u64) -> u64 {
        self.pairs().map(|p| count(self.counts(p))).sum()
    }
}

/// Distinct counts, each given an id once: a column of the summary keeps ids, not arrays.
#[derive(Default)]
struct CountsTable {
    ids: FxHashMap<Counts, u32>,
    counts: Vec<Counts>,
}

impl CountsTable {
    fn id(&mut self, c: Counts) -> u32 {
        *self.ids.entry(c).or_insert_with(|| {
            self.counts.push(c);
            (self.counts.len() - 1) as u32
        })
    }
}

/// The namespace × namespace summary of `clients` × `targets`, without expanding cells: per
/// target, the clients of namespaces that are not special share one evaluation per proxy kind,
/// counted by multiplication.
pub fn namespace_summary(
    a: &Decisions<'_>,
    clients: &[usize],
    targets: &[(usize, usize)],
    req: &RequestContext,
) -> NamespaceSummary {
    // Only outcomes are counted: no evaluation describes the rules that failed.
    let req = &RequestContext {
        detail: Detail::Outcome,
        ..req.clone()
    };
    let idx = a.namespace_classes().index();
    let facts = idx.facts(clients);
    let kinds = [
        ProxyKind::None,
        ProxyKind::Sidecar,
        ProxyKind::Ambient,
        ProxyKind::Gateway,
    ];
    let kind_index = |k: ProxyKind| kinds.iter().position(|x| *x == k).unwrap_or(0);

    // Client namespaces: sorted names, counts per kind, classes with a representative member.
    let mut from: Vec<String> = clients
        .iter()
        .map(|&c| a.inv.workloads[c].namespace.clone())
        .collect();
    from.sort_unstable();
    from.dedup();
    let from_pos: FxHashMap<&str, usize> = from
        .iter()
        .enumerate()
        .map(|(i, n)| (n.as_str(), i))
        .collect();
    struct Group {
        ns: u32,
        by_kind: [i64; 4],
        /// (kind, label id, identity id) → (count, representative client).
        classes: BTreeMap<(usize, u32, u32), (i64, usize)>,
    }
    let mut groups: Vec<Group> = from
        .iter()
        .map(|n| Group {
            ns: idx.ns_ids[n.as_str()],
            by_kind: [0; 4],
            classes: BTreeMap::new(),
        })
        .collect();
    for (f, &c) in facts.iter().zip(clients) {
        let g = &mut groups[from_pos[a.inv.workloads[c].namespace.as_str()]];
        let k = kind_index(f.kind);
        g.by_kind[k] += 1;
        g.classes.entry((k, f.labels, f.sa)).or_insert((0, c)).0 += 1;
    }
    // Groups by their clients per kind (`profile`), and per kind the groups that have any.
    let mut profile_ids: FxHashMap<[i64; 4], u32> = FxHashMap::default();
    let profile: Vec<u32> = groups
        .iter()
        .map(|g| {
            let next = profile_ids.len() as u32;
            *profile_ids.entry(g.by_kind).or_insert(next)
        })
        .collect();
    let profiles = profile_ids.len();
    let with_kind: [Vec<usize>; 4] = std::array::from_fn(|k| {
        (0..groups.len())
            .filter(|&gi| groups[gi].by_kind[k] > 0)
            .collect()
    });
    let group_of_ns: FxHashMap<u32, usize> =
        groups.iter().enumerate().map(|(i, g)| (g.ns, i)).collect();
    let client_pos: FxHashMap<usize, usize> =
        clients.iter().enumerate().map(|(i, &c)| (c, i)).collect();

    // Classes of clients with a proxy, indexed by principal and namespace, so the clients an
    // identity pattern can tell apart are found without scanning every class per target.
    type Entry = (usize, (usize, u32, u32), i64, usize);
    let mut mesh_classes: Vec<Entry> = Vec::new();
    for (gi, g) in groups.iter().enumerate() {
        for (&key, &(count, rep)) in &g.classes {
            if kinds[key.0] != ProxyKind::None {
                mesh_classes.push((gi, key, count, rep));
            }
        }
    }
    let mut by_principal: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    let mut by_namespace: FxHashMap<&str, Vec<usize>> = FxHashMap::default();
    for (i, e) in mesh_classes.iter().enumerate() {
        let f = &facts[client_pos[&e.3]];
        by_principal
            .entry(f.principal.as_str())
            .or_default()
            .push(i);
        by_namespace
            .entry(f.namespace.as_str())
            .or_default()
            .push(i);
    }
    let matched = |identity: &Identity| -> Vec<(usize, (usize, u32, i64, usize))> {
        let mut hits: Vec<usize> = Vec::new();
        let mut look =
            |patterns: &[String], index: &FxHashMap<&str, Vec<usize>>, principal: bool| {
                for p in patterns {
                    if p.contains('*') {
                        hits.extend((0..mesh_classes.len()).filter(|&i| {
                            let f = &facts[client_pos[&mesh_classes[i].3]];
                            match_string(
                                p,
                                if principal {
                                    &f.principal
                                } else {
                                    &f.namespace
                                },
                            )
                        }));
                    } else if let Some(v) = index.get(p.as_str()) {
                        hits.extend(v);
                    }
                }
            };
        look(&identity.principals, &by_principal, true);
        look(&identity.namespaces, &by_namespace, false);
        hits.sort_unstable();
        hits.dedup();
        hits.into_iter()
            .map(|i| {
                let (gi, key, count, rep) = mesh_classes[i];
                (gi, (key.0, key.1, count, rep))
            })
            .collect()
    };

    // Service namespaces and their targets.
    let mut by_to: BTreeMap<&str, Vec<(usize, usize)>> = BTreeMap::new();
    for &(s, p) in targets {
        by_to
            .entry(a.inv.services[s].namespace.as_str())
            .or_default()
            .push((s, p));
    }
    let to: Vec<String> = by_to.keys().map(|s| (*s).to_owned()).collect();
    let outcome_of =
        |c: usize, s: usize, p: usize| outcome_index(reach::evaluate(a, c, s, p, req).outcome);

    // The grid, each service namespace's column filled by the thread that evaluates it with
    // ids into that column's own table (atomics: columns cut across rows; no two threads
    // write one entry).
    let width = to.len();
    let grid: Vec<AtomicU32> = (0..from.len() * width)
        .into_par_iter()
        .map(|_| AtomicU32::new(NO_CELLS))
        .collect();
    let columns: Vec<Vec<Counts>> = by_to
        .values()
        .collect::<Vec<_>>()
        .par_iter()
        .enumerate()
        .map(|(ti, ts)| {
            // What evaluations add to (or take from) a group's row, for the few groups some
            // evaluation tells apart; every other group's row follows from `plain`.
            let mut touched: FxHashMap<usize, [i64; OUTCOMES]> = FxHashMap::default();
            // plain[kind][outcome]: targets of this namespace that a plain client of `kind` gets.
            let mut plain = [[0i64; OUTCOMES]; 4];
            for &(s, p) in ts.iter() {
                let special = if idx.global {
                    None
                } else {
                    Some(idx.special(s))
                };
                // Identity-reading policy on the endpoints: clients it can tell apart (they
                // match one of its patterns) get their own evaluation; with `all`, every
                // client with a proxy does.
                let identity = idx.target_identity(s);
                let sensitive = identity.all;
                let own = |k: usize| match kinds[k] {
                    ProxyKind::Sidecar | ProxyKind::Gateway => true,
                    ProxyKind::Ambient => sensitive,
                    ProxyKind::None => false,
                };
                let is_special =
                    |g: &Group| sensitive || special.as_ref().is_none_or(|sp| sp.contains(&g.ns));
                let mesh_kind = |k: usize| kinds[k] != ProxyKind::None;
                let picked = |&c: &usize| {
                    let f = &facts[client_pos[&c]];
                    mesh_kind(kind_index(f.kind)) && identity.matches(&f.principal, &f.namespace)
                };
                let mut plain_outcome: [Option<usize>; 4] = [None; 4];
                for k in 0..kinds.len() {
                    let per_ns = own(k);
                    if per_ns && sensitive {
                        // Every client of this kind is evaluated on its own below.
                        continue;
                    }
                    let rep = with_kind[k]
                        .iter()
                        .map(|&gi| &groups[gi])
                        .filter(|g| !(per_ns && is_special(g)))
                        .find_map(|g| {
                            g.classes
                                .iter()
                                .filter(|(_, (_, c))| !picked(c))
                                .find(|((ck, _, _), _)| *ck == k)
                                .map(|(_, (_, c))| *c)
                        });
                    if let Some(c) = rep {
                        let o = outcome_of(c, s, p);
                        plain[k][o] += 1;
                        plain_outcome[k] = Some(o);
                    }
                }
                // Special namespaces: their sidecars and gateways get their own evaluation.
                let special_groups: Vec<usize> = match &special {
                    _ if sensitive => (0..groups.len()).collect(),
                    None => (0..groups.len()).collect(),
                    Some(sp) => sp
                        .iter()
                        .filter_map(|n| group_of_ns.get(n).copied())
                        .collect(),
                };
                // Classes of one namespace, kind and label class that match the same identity
                // patterns are told apart by nothing the target's policies read (its service
                // account enters only through those patterns): one evaluation serves them all.
                // With `sensitive` every class is evaluated.
                let mut shared: FxHashMap<(usize, usize, u32, u64), usize> = FxHashMap::default();
                let mut outcome_once = |gi: usize, k: usize, labels: u32, c: usize| {
                    let f = &facts[client_pos[&c]];
                    let sig = (!sensitive)
                        .then(|| identity.signature(&f.principal, &f.namespace))
                        .flatten();
                    match sig {
                        Some(sig) => *shared
                            .entry((gi, k, labels, sig))
                            .or_insert_with(|| outcome_of(c, s, p)),
                        None => outcome_of(c, s, p),
                    }
                };
                for gi in special_groups {
                    let g = &groups[gi];
                    for (&(k, labels, _), &(count, c)) in &g.classes {
                        if !own(k) {
                            continue;
                        }
                        let row = touched.entry(gi).or_default();
                        row[outcome_once(gi, k, labels, c)] += count;
                        if let Some(o) = plain_outcome[k] {
                            row[o] -= count;
                        }
                    }
                }
                // Clients the identity patterns tell apart, outside what was evaluated above.
                if !sensitive {
                    for (gi, (k, labels, count, c)) in matched(&identity) {
                        if own(k) && is_special(&groups[gi]) {
                            continue;
                        }
                        let o = outcome_once(gi, k, labels, c);
                        let row = touched.entry(gi).or_default();
                        row[o] += count;
                        if let Some(o) = plain_outcome[k] {
                            row[o] -= count;
                        }
                    }
                }
            }
            // A group's row: its clients per kind times what a plain client of that kind
            // gets, plus what its own evaluations changed. Untouched groups with the same
            // clients per kind share a row, computed once.
            let row_of = |g: &Group, delta: &[i64; OUTCOMES]| -> Option<Counts> {
                let mut row = *delta;
                for (&n, per_outcome) in g.by_kind.iter().zip(&plain) {
                    if n == 0 {
                        continue;
                    }
                    for (r, &m) in row.iter_mut().zip(per_outcome) {
                        *r += n * m;
                    }
                }
                row.iter().any(|&n| n != 0).then(|| {
                    let mut counts = Counts::default();
                    for (c, &n) in counts.0.iter_mut().zip(&row) {
                        *c = u32::try_from(n.max(0)).unwrap_or(u32::MAX);
                    }
                    counts
                })
            };
            let mut table = CountsTable::default();
            let mut by_profile: Vec<Option<Option<u32>>> = vec![None; profiles];
            for (gi, g) in groups.iter().enumerate() {
                let id = match touched.get(&gi) {
                    Some(delta) => row_of(g, delta).map(|c| table.id(c)),
                    None => *by_profile[profile[gi] as usize]
                        .get_or_insert_with(|| row_of(g, &[0; OUTCOMES]).map(|c| table.id(c))),
                };
                if let Some(id) = id {
                    grid[gi * width + ti].store(id, Ordering::Relaxed);
                }
            }
            table.counts
        })
        .collect();

    // One table of distinct counts for the whole summary; each column's ids mapped into it,
    // a row at a time on both cores.
    let mut table = CountsTable::default();
    let global: Vec<Vec<u32>> = columns
        .iter()
        .map(|local| local.iter().map(|&c| table.id(c)).collect())
        .collect();
    drop(columns);
    let mut grid: Vec<u32> = grid.into_iter().map(AtomicU32::into_inner).collect();
    let pairs = grid
        .par_chunks_mut(width.max(1))
        .map(|row| {
            let mut n = 0;
            for (id, global) in row.iter_mut().zip(&global) {
                if *id != NO_CELLS {
                    *id = global[*id as usize];
                    n += 1;
                }
            }
            n
        })
        .sum();
    NamespaceSummary {
        from,
        to,
        grid,
        pairs,
        counts: table.counts,
    }
}

#[cfg(test)]
impl NamespaceSummary {
    /// A summary of `grid` (row-major ids into `counts`, `None` for a pair without cells).
    pub(crate) fn from_grid(
        from: Vec<String>,
        to: Vec<String>,
        grid: &[Option<u32>],
        counts: Vec<Counts>,
    ) -> NamespaceSummary {
        assert_eq!(grid.len(), from.len() * to.len());
        NamespaceSummary {
            from,
            to,
            grid: grid.iter().map(|id| id.unwrap_or(NO_CELLS)).collect(),
            pairs: grid.iter().flatten().count(),
            counts,
        }
    }
}

#[cfg(test)]
mod grid_tests {
    use super::*;

    /// Pairs come out sorted by (from, to), without the pairs that have no cells, whichever
    /// rows are asked for.
    #[test]
    fn pairs_skip_empty_entries_in_order() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let s = NamespaceSummary::from_grid(
            names(&["a", "b", "c"]),
            names(&["x", "y"]),
            &[None, None, Some(1), None, Some(0), Some(1)],
            vec![
                Counts([1, 0, 0, 0, 0, 0, 0, 0]),
                Counts([0, 2, 0, 0, 0, 0, 0, 0]),
            ],
        );
        let got: Vec<(&str, &str, u32)> = s
            .pairs()
            .map(|p| (s.from_name(p), s.to_name(p), s.counts(p).cells() as u32))
            .collect();
        assert_eq!(got, [("b", "x", 2), ("c", "x", 1), ("c", "y", 2)]);
        assert_eq!(s.pair_count(), 3);
        assert!(!s.is_empty());
        assert_eq!(s.rows(0..1).count(), 0);
        assert_eq!(s.rows(2..3).map(|p| p.to).collect::<Vec<_>>(), [0, 1]);
        assert_eq!(s.total(Counts::reachable), 1);
    }
}
