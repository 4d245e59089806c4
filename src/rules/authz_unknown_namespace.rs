//! `authz-unknown-namespace`: AuthorizationPolicy `source.namespaces`/`notNamespaces` entries
//! that name no namespace known from the inputs (istioctl IST0101, Kiali KIA0101).

use std::collections::BTreeSet;

use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks every `rules[].from[].source.namespaces` and `notNamespaces` entry of an
    /// AuthorizationPolicy against the namespaces known from the inputs, and reports entries
    /// that match none. Entries may be exact names or Istio's globs: `*`, a prefix `prod-*` or a
    /// suffix `*-test`.
    ///
    /// Known namespaces are those declared by Namespace objects, those that hold any object in
    /// the inputs (a Deployment in `shop` makes `shop` known even without a Namespace manifest),
    /// the mesh root namespace, and the namespaces every Kubernetes cluster has (`default`,
    /// `kube-system`, `kube-public`, `kube-node-lease`).
    ///
    /// ## Why is this bad?
    /// Source namespaces come from the peer's mTLS certificate, so a misspelt namespace never
    /// matches: an ALLOW rule then allows nobody from the intended namespace (requests are
    /// denied with 403), and a DENY rule blocks nobody. In `notNamespaces` the typo turns
    /// "everyone but X" into "everyone".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: httpbin, namespace: httpbin}
    /// spec:
    ///   rules:
    ///   - from:
    ///     - source:
    ///         namespaces: ["fronted"]   # the namespace is called frontend
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///         namespaces: ["frontend"]
    /// ```
    ///
    /// ## References
    /// - istioctl IST0101 (ReferencedResourceNotFound), `pkg/config/analysis/analyzers/authz/authorizationpolicies.go`
    /// - Kiali KIA0101, `business/checkers/authorization/namespace_method_checker.go`
    pub static RULE = {
        code: "ML0302",
        name: "authz-unknown-namespace",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: ["IST0101"],
        kiali: ["KIA0101"],
        summary: "authorization policy source namespace that matches no known namespace",
        check: check,
    }
}

/// Namespaces every Kubernetes cluster has, whether the inputs mention them or not.
const BUILTIN_NAMESPACES: &[&str] = &["default", "kube-system", "kube-public", "kube-node-lease"];

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    // Only inputs that declare namespaces (Namespace objects, as every cluster listing has) can
    // show that one does not exist: a repository of policies alone says nothing of it.
    if a.inv.declared_namespaces.is_empty() {
        return;
    }
    let mut known: BTreeSet<&str> = a.inv.namespaces.iter().map(String::as_str).collect();
    known.insert(a.inv.root_namespace());
    known.extend(BUILTIN_NAMESPACES);
    for (_, o) in a.inv.of_kind(Kind::AuthorizationPolicy) {
        let Body::AuthorizationPolicy(spec) = &o.body else {
            continue;
        };
        for (r, rule) in spec.rules.iter().flatten().enumerate() {
            for (f, from) in rule.from.iter().flatten().enumerate() {
                let Some(source) = &from.source else {
                    continue;
                };
                for (field, list) in [
                    ("namespaces", &source.namespaces),
                    ("notNamespaces", &source.not_namespaces),
                ] {
                    for (k, entry) in list.iter().enumerate() {
                        // A name without `*` is a lookup; only patterns scan.
                        if known.contains(entry.as_str())
                            || (entry.contains('*')
                                && known
                                    .iter()
                                    .any(|ns| authz::namespace_pattern_matches(entry, ns)))
                        {
                            continue;
                        }
                        let what = if entry.contains('*') {
                            format!("pattern {entry:?} matches no namespace")
                        } else {
                            format!("namespace {entry:?} not found")
                        };
                        let effect = if field == "namespaces" {
                            "the source never matches"
                        } else {
                            "the exclusion excludes nothing"
                        };
                        let path = format!("spec.rules[{r}].from[{f}].source.{field}[{k}]");
                        // Kiali checks `namespaces` only.
                        let kia: &[&'static str] = if field == "namespaces" {
                            &["KIA0101"]
                        } else {
                            &[]
                        };
                        out.push(
                            Finding::new(&RULE, format!("{what} in source.{field}: {effect}"))
                                .on(o, &path)
                                .codes(&["IST0101"], kia)
                                .help("check the spelling against the namespaces of the calling workloads, or remove the entry"),
                        );
                    }
                }
            }
        }
    }
}
