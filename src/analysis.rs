//! One analysis: the loaded inventory, the Istio version profile it is judged against, the
//! load issues, and per-workload facts every rule needs (proxy kind). Built once, read by all
//! rules and commands.

use std::collections::BTreeMap;

use rayon::prelude::*;

use crate::facts::implied::{self, Implied};
use crate::facts::namespaces;
use crate::facts::policies::PolicyIndex;
use crate::facts::proxy::{self, ProxyDecision};
use crate::facts::version_detect;
use crate::input::load::{LoadIssue, Loaded};
use crate::model::inventory::Inventory;
use crate::model::istio::mesh::MeshConfig;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::model::validation::{self, Violation};
use crate::version::{IstioVersion, Profile, VersionSource};

pub struct Analysis {
    pub inv: Inventory,
    pub profile: Profile,
    pub issues: Vec<LoadIssue>,
    /// Objects of kinds meshlint does not read, counted by `apiVersion/kind`.
    pub skipped: BTreeMap<String, usize>,
    pub files: usize,
    pub bytes: usize,
    /// Proxy decision per workload (same index as `inv.workloads`).
    pub proxies: Vec<ProxyDecision>,
    /// Objects the API server or Istio's validating webhook would reject at the chosen release.
    /// They stay in the inventory as [`Body::Invalid`] and take no part in resolution; each
    /// keeps the spec it had, to say what is missing.
    pub rejected: Vec<Rejected>,
    /// mTLS-relevant policies by scope, in Istio's precedence order.
    pub policies: PolicyIndex,
    /// Objects the policies imply where the inputs hold no workload or Service of a namespace
    /// ([`implied::implied_objects`]); they are at the end of `inv.objects`.
    pub implied: Vec<Implied>,
    /// Namespaces where sidecar clients run, sorted ([`namespaces::client_namespaces`]): the
    /// hypothetical clients every rule and command reasons about.
    pub client_namespaces: Vec<String>,
    /// The trust-domain bundle AuthorizationPolicies match against: the mesh config's
    /// `trustDomain`, then its `trustDomainAliases` (research/authz-semantics.md §6). Built
    /// once: every policy evaluation reads it.
    pub trust_domains: Vec<String>,
    /// `--mesh-config`, kept to rebuild the analysis ([`Analysis::with_applied`]).
    mesh_override: Option<MeshConfig>,
}

/// An object the chosen release refuses: its index in `inv.objects`, why, and the spec it
/// would have had (to tell what its absence means, and whom it would have selected).
#[derive(Debug)]
pub struct Rejected {
    pub object: usize,
    pub violations: Vec<Violation>,
    pub spec: Body,
    /// Refused because the release does not serve the object's API version (`deprecated-api`
    /// reports it; its violations are not repeated elsewhere).
    pub unserved: bool,
}

impl Analysis {
    /// How many resources the inputs hold: the objects read, without the implied ones.
    pub fn resources(&self) -> usize {
        self.inv.objects.len() - self.implied.len()
    }

    /// Whether `inv.objects[object]` is implied by a policy, not read (facts/implied.rs): the
    /// implied objects are the last ones.
    pub fn is_implied(&self, object: usize) -> bool {
        object >= self.resources()
    }

    /// Whether the inputs themselves hold an object of namespace `ns` (implied ones aside).
    pub fn holds_namespace(&self, ns: &str) -> bool {
        self.inv.namespaces.contains(ns)
            && (self.implied.is_empty()
                || self.inv.objects[..self.resources()]
                    .iter()
                    .any(|o| o.namespace() == ns || (o.kind == Kind::Namespace && o.name() == ns)))
    }

    /// Builds the inventory and decides the version: `--istio-version` wins over detection.
    pub fn new(
        loaded: Loaded,
        version_flag: Option<IstioVersion>,
        mesh_override: Option<MeshConfig>,
    ) -> Analysis {
        let inv = Inventory::new(loaded.objects, mesh_override.clone());
        // The release decides which fields and checks apply, so it comes first; detection reads
        // only workloads, IstioOperators and API versions, which validation does not change.
        let profile = match version_flag {
            Some(v) => Profile::new(v, VersionSource::Flag),
            None => match version_detect::detect(&inv) {
                Some((v, why)) => Profile::new(v, VersionSource::Detected(why)),
                None => Profile::new(IstioVersion::LATEST, VersionSource::Default),
            },
        };
        let meta = Meta {
            issues: loaded.issues,
            skipped: loaded.skipped,
            files: loaded.files,
            bytes: loaded.bytes,
        };
        Analysis::assemble(inv, profile, mesh_override, meta, None)
    }

    /// The analysis as if the refused object `object` had been applied (its spec restored
    /// unchecked): what `check` uses to tell whether a refusal changes an answer. `None` when
    /// `object` was not refused after decoding (nothing to restore).
    pub fn with_applied(&self, object: usize) -> Option<Analysis> {
        let r = self.rejected.iter().find(|r| r.object == object)?;
        let mut objects = self.inv.objects[..self.resources()].to_vec();
        objects[object].body = r.spec.clone();
        let inv = Inventory::new(objects, self.mesh_override.clone());
        let meta = Meta {
            issues: Vec::new(),
            skipped: self.skipped.clone(),
            files: self.files,
            bytes: self.bytes,
        };
        Some(Analysis::assemble(
            inv,
            self.profile.clone(),
            self.mesh_override.clone(),
            meta,
            Some(object),
        ))
    }

    /// Validation, implied objects, proxies and the policy index over `inv` at `profile`;
    /// `accept` is an object taken as valid without checking (see [`Analysis::with_applied`]).
    fn assemble(
        mut inv: Inventory,
        profile: Profile,
        mesh_override: Option<MeshConfig>,
        meta: Meta,
        accept: Option<usize>,
    ) -> Analysis {
        // Each object is checked on its own, so the checks run in parallel; the refused ones
        // then give up their spec in order.
        let refusals: Vec<Option<(Vec<Violation>, bool)>> = inv
            .objects
            .par_iter()
            .enumerate()
            .map(|(i, o)| {
                if accept == Some(i) {
                    return None;
                }
                // An API version the release does not serve: the API server has no such
                // resource ("no matches for kind"), so the object does not exist there.
                let group = o.kind.info().group;
                let version = o.api_version.rsplit('/').next().unwrap_or_default();
                let unserved = group.ends_with("istio.io")
                    && !matches!(o.body, Body::Invalid)
                    && !profile.serves(o.kind.name(), group, version);
                let violations = if unserved {
                    vec![Violation {
                        path: "apiVersion".to_owned(),
                        message: format!(
                            "Istio {} does not serve {}",
                            profile.version, o.api_version
                        ),
                        help: String::new(),
                    }]
                } else {
                    validation::violations(o, &profile)
                };
                (!violations.is_empty()).then_some((violations, unserved))
            })
            .collect();
        let mut rejected = Vec::new();
        for (i, refusal) in refusals.into_iter().enumerate() {
            if let Some((violations, unserved)) = refusal {
                let spec = std::mem::replace(&mut inv.objects[i].body, Body::Invalid);
                rejected.push(Rejected {
                    object: i,
                    violations,
                    spec,
                    unserved,
                });
            }
        }
        // What policies-only inputs imply (facts/implied.rs), appended after the real objects;
        // the inventory is rebuilt only when something is implied.
        let extra = implied::implied_objects(&inv.objects, inv.root_namespace());
        let mut implied = Vec::new();
        let inv = if extra.is_empty() {
            inv
        } else {
            let mut objects = inv.objects;
            for (o, mut im) in extra {
                im.object = objects.len();
                objects.push(o);
                implied.push(im);
            }
            Inventory::new(objects, mesh_override.clone())
        };
        let proxies: Vec<ProxyDecision> = inv
            .workloads
            .par_iter()
            .map(|w| proxy::detect(&inv, w, &profile))
            .collect();
        // The pods the webhook injects carry the labels it adds, and selectors see them.
        let added: Vec<_> = proxies
            .par_iter()
            .enumerate()
            .map(|(w, d)| {
                (d.kind == proxy::ProxyKind::Sidecar && d.by_webhook)
                    .then(|| proxy::injected_labels(&inv, &inv.workloads[w], &profile))
            })
            .collect();
        let mut inv = inv;
        for (w, added) in added.into_iter().enumerate() {
            if let Some(added) = added {
                inv.workloads[w].labels.extend(added);
            }
        }
        let (policies, client_namespaces) = rayon::join(
            || PolicyIndex::new(&inv),
            || namespaces::client_namespaces(&inv, &proxies, &profile),
        );
        let trust_domains = std::iter::once(inv.mesh.trust_domain())
            .chain(inv.mesh.trust_domain_aliases.iter().map(String::as_str))
            .map(str::to_owned)
            .collect();
        Analysis {
            policies,
            trust_domains,
            inv,
            profile,
            issues: meta.issues,
            skipped: meta.skipped,
            files: meta.files,
            bytes: meta.bytes,
            proxies,
            rejected,
            client_namespaces,
            implied,
            mesh_override,
        }
    }
}

/// What the loader tells beside the objects, carried into the analysis.
struct Meta {
    issues: Vec<LoadIssue>,
    skipped: BTreeMap<String, usize>,
    files: usize,
    bytes: usize,
}

#[cfg(test)]
mod tests {

    use super::*;
    use crate::input::load::LoadOptions;

    /// research/istioctl.md §3.3: the webhook rejects `portLevelMtls` without a selector, so the
    /// object never exists in the cluster and must not be evaluated.
    #[test]
    fn webhook_rejected_objects_take_no_part() {
        let text = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: foo}\nspec:\n  portLevelMtls:\n    80: {mode: DISABLE}\n";
        let loaded = Loaded::from_text("t.yaml", text, &LoadOptions::default());
        let a = Analysis::new(loaded, None, None);
        assert_eq!(a.inv.objects[0].body, Body::Invalid);
        assert_eq!(a.rejected.len(), 1);
        assert_eq!(a.rejected[0].violations[0].path, "spec.portLevelMtls");
    }
}
