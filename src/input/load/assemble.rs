//! The files' objects as one [`Loaded`]: in input order, each object once by its identity
//! (kind, namespace, name), as `kubectl apply` of the files in order would leave them.
//!
//! The identities are hashed on both cores first; the pass that must run in order then reads
//! an object's names only when its hash was seen before. Reading them for every object there
//! (each a few heap reads, out of cache after parsing 26 MB) was 20 ms of one core on the
//! SPEC §9 corpus while the other waited (issue 14, perf).

use std::hash::BuildHasher;

use rustc_hash::FxBuildHasher;

use super::*;

/// The files' results as one [`Loaded`], in order: later definitions of an object replace
/// earlier ones unless they would be rejected.
pub(crate) fn assemble(per_file: Vec<(Arc<str>, Option<FileResult>)>, bytes: usize) -> Loaded {
    assemble_with(per_file, bytes, |o| FxBuildHasher.hash_one(identity(o)))
}

/// [`assemble`] with the identity hash `hash` (objects with one identity must hash alike;
/// objects of different identities may too, and are still told apart).
fn assemble_with(
    per_file: Vec<(Arc<str>, Option<FileResult>)>,
    bytes: usize,
    hash: impl Fn(&Object) -> u64 + Sync,
) -> Loaded {
    let mut loaded = Loaded {
        files: per_file.len(),
        bytes,
        ..Loaded::default()
    };
    // One allocation for every object (a growing vector of 800-byte objects would hold two
    // copies at its peak).
    let total: usize = per_file
        .iter()
        .map(|(_, r)| r.as_ref().map_or(0, |r| r.0.len()))
        .sum();
    loaded.objects.reserve_exact(total);
    let hashes: Vec<Vec<u64>> = per_file
        .par_iter()
        .map(|(_, r)| {
            r.as_ref()
                .map_or_else(Vec::new, |r| r.0.iter().map(&hash).collect())
        })
        .collect();
    let mut seen = Seen {
        first: FxHashMap::with_capacity_and_hasher(total, Default::default()),
        collided: FxHashMap::default(),
    };
    for ((name, result), hashes) in per_file.into_iter().zip(hashes) {
        let Some((objects, issues, skipped)) = result else {
            loaded.templates.push(name);
            continue;
        };
        loaded.issues.extend(issues);
        for (k, n) in skipped {
            *loaded.skipped.entry(k).or_default() += n;
        }
        for (obj, h) in objects.into_iter().zip(hashes) {
            match seen.get(&loaded.objects, &obj, h) {
                // A later definition the API server or Istio's webhook rejects never replaces
                // the earlier one in a cluster (`kubectl apply` of it fails): keep both, the
                // invalid one takes no part in resolution (issue 12).
                Some(i) if rejected(&obj) && !rejected(&loaded.objects[i]) => {
                    loaded.issues.push(duplicate(
                        &obj,
                        &loaded.objects[i],
                        "is defined again, but this definition would be rejected, so the one at",
                        "stays in effect",
                    ));
                    loaded.objects.push(obj);
                }
                Some(i) => {
                    let earlier = &loaded.objects[i];
                    // The earlier definition leaves the analysis, but `kubectl apply` still
                    // fails on it: its refusals are reported where it stands.
                    loaded.issues.extend(refusals(earlier));
                    loaded.issues.push(duplicate(
                        &obj,
                        earlier,
                        "is defined again; this definition replaces the one at",
                        "",
                    ));
                    loaded.objects[i] = obj;
                }
                None => {
                    seen.insert(&loaded.objects, &obj, h, loaded.objects.len());
                    loaded.objects.push(obj);
                }
            }
        }
    }
    loaded
}

/// The issue of `obj` defining `earlier`'s identity again: `<obj> <before> <earlier's place>
/// <after>`, pointing at both names.
fn duplicate(obj: &Object, earlier: &Object, before: &str, after: &str) -> LoadIssue {
    let at = earlier.locate("metadata.name");
    let sep = if after.is_empty() { "" } else { " " };
    LoadIssue {
        kind: IssueKind::Duplicate,
        location: obj.locate("metadata.name"),
        resource: Some(obj.reference()),
        message: format!("{} {before} {}{sep}{after}", obj.reference(), at.display()),
        related: Some(at),
    }
}

/// An object's identity: kind, namespace, name.
fn identity(o: &Object) -> (Kind, Option<&str>, &str) {
    (o.kind, o.namespace.as_deref(), o.name())
}

/// Where each identity was first defined: by hash, and for an identity whose hash another
/// identity took first, by the identity itself.
struct Seen {
    first: FxHashMap<u64, usize>,
    collided: FxHashMap<(Kind, Option<String>, String), usize>,
}

impl Seen {
    fn owned(o: &Object) -> (Kind, Option<String>, String) {
        let (kind, ns, name) = identity(o);
        (kind, ns.map(str::to_owned), name.to_owned())
    }

    /// The index in `objects` of the object with `o`'s identity (hash `h`), if any.
    fn get(&self, objects: &[Object], o: &Object, h: u64) -> Option<usize> {
        match self.first.get(&h) {
            Some(&i) if identity(&objects[i]) == identity(o) => Some(i),
            Some(_) => self.collided.get(&Seen::owned(o)).copied(),
            None => None,
        }
    }

    /// Records `o` (hash `h`, not seen before) at index `at`.
    fn insert(&mut self, objects: &[Object], o: &Object, h: u64, at: usize) {
        match self.first.get(&h) {
            None => {
                self.first.insert(h, at);
            }
            Some(&i) => {
                debug_assert!(identity(&objects[i]) != identity(o));
                self.collided.insert(Seen::owned(o), at);
            }
        }
    }
}

/// The newest release's checks: the release is not known while loading.
fn newest_checks(o: &Object) -> Vec<crate::model::validation::Violation> {
    use crate::version::{IstioVersion, Profile, VersionSource};
    let newest = Profile::new(IstioVersion::DEVELOPMENT, VersionSource::Default);
    crate::model::validation::violations(o, &newest)
}

/// Whether the API server or Istio's validating webhook would reject the object (it failed
/// decoding, or the checks of `model::validation` fail at the newest release).
fn rejected(o: &Object) -> bool {
    matches!(o.body, Body::Invalid) || !newest_checks(o).is_empty()
}

/// The checks an object fails, as load issues of its own (for a definition a later one
/// replaces: it leaves the analysis, its errors stay).
fn refusals(o: &Object) -> Vec<LoadIssue> {
    newest_checks(o)
        .into_iter()
        .map(|v| LoadIssue {
            kind: IssueKind::Schema,
            location: o.locate(&v.path),
            resource: Some(o.reference()),
            message: format!(
                "{} (in a definition of {} that a later one replaces)",
                v.message,
                o.reference()
            ),
            related: None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(texts: &[&str]) -> Vec<(Arc<str>, Option<FileResult>)> {
        texts
            .iter()
            .enumerate()
            .map(|(i, text)| {
                let name: Arc<str> = format!("f{i}.yaml").into();
                let result = load_text(&name, text, &LoadOptions::default());
                (name, Some(result))
            })
            .collect()
    }

    /// What the loaded objects and issues say, to compare two assemblies.
    fn summary(l: &Loaded) -> (Vec<String>, Vec<String>) {
        (
            l.objects
                .iter()
                .map(|o| format!("{} {}", o.reference(), o.origin.pos.line))
                .collect(),
            l.issues.iter().map(|i| i.message.clone()).collect(),
        )
    }

    /// Every hash colliding (a constant hash) or none: the same objects and issues, in the
    /// same order — duplicates replaced, rejected redefinitions kept beside the earlier one,
    /// and distinct identities never merged.
    #[test]
    fn colliding_hashes_do_not_merge_identities() {
        let texts = [
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: a, namespace: a}\n",
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: a}\nspec: {mtls: {mode: STRICT}}\n",
            "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: p, namespace: a}\nspec: {mtls: {mode: STRIKT}}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n",
        ];
        let real = assemble(files(&texts), 0);
        let colliding = assemble_with(files(&texts), 0, |_| 7);
        assert_eq!(summary(&real), summary(&colliding));
        // Namespaces a and b, the ServiceAccount, the PeerAuthentication and its rejected
        // redefinition.
        assert_eq!(real.objects.len(), 5, "{:?}", summary(&real));
        let duplicates = real
            .issues
            .iter()
            .filter(|i| i.kind == IssueKind::Duplicate)
            .count();
        assert_eq!(duplicates, 3, "{:?}", summary(&real));
        let messages = summary(&real).1;
        assert!(
            messages.contains(&"PeerAuthentication a/p is defined again, but this definition would be rejected, so the one at f1.yaml:7:12 stays in effect".to_owned()),
            "{messages:?}"
        );
        assert!(
            messages.contains(
                &"Namespace a is defined again; this definition replaces the one at f0.yaml:3:12"
                    .to_owned()
            ),
            "{messages:?}"
        );
    }
}
