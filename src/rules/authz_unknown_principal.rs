//! `authz-unknown-principal`: AuthorizationPolicy `source.principals`/`notPrincipals` entries
//! that name no ServiceAccount used by a workload in the inputs, or a trust domain the mesh
//! does not have (Kiali KIA0106 / KIA0108).

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz::match_string as matches;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// Checks every `rules[].from[].source.principals` and `notPrincipals` entry of an
    /// AuthorizationPolicy. A principal is the SPIFFE identity of the calling workload,
    /// `<trust-domain>/ns/<namespace>/sa/<service-account>`; Istio allows `*` alone, a prefix
    /// (`cluster.local/ns/shop/*`) or a suffix (`*/sa/frontend`). The rule reports:
    ///
    /// - an entry that matches the identity of no ServiceAccount used by a workload in the
    ///   inputs (pods and pod templates; a workload without `serviceAccountName` runs as
    ///   `default`);
    /// - an entry whose trust domain (the text before `/ns/`) is neither the mesh
    ///   `trustDomain` (default `cluster.local`) nor one of `trustDomainAliases`.
    ///
    /// `*` alone is always accepted. When the inputs contain no workload at all, nothing is
    /// reported: meshlint cannot know which identities exist.
    ///
    /// ## Why is this bad?
    /// Nobody presents a certificate with that identity, so an ALLOW rule built on it lets
    /// nobody in (403 for the intended caller) and a DENY rule blocks nobody. A common cause is
    /// writing the Deployment name instead of its ServiceAccount, or a namespace typo. An unknown
    /// trust domain usually comes from copying a policy from another cluster.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: AuthorizationPolicy
    /// metadata: {name: reviews, namespace: bookinfo}
    /// spec:
    ///   rules:
    ///   - from:
    ///     - source:
    ///         principals: ["cluster.local/ns/bookinfo/sa/productpage-v1"]  # the SA is bookinfo-productpage
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///         principals: ["cluster.local/ns/bookinfo/sa/bookinfo-productpage"]
    /// ```
    ///
    /// ## References
    /// - Kiali KIA0106 / KIA0108, `business/checkers/authorization/principals_checker.go`
    /// - Istio AuthorizationPolicy reference, `Source.principals`
    pub static RULE = {
        code: "ML0303",
        name: "authz-unknown-principal",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0106", "KIA0108"],
        summary: "authorization policy principal that matches no service account in use",
        check: check,
    }
}

/// The namespace of a principal `<td>/ns/<ns>/sa/<sa>` when it is spelled out (no wildcard).
fn principal_namespace(principal: &str) -> Option<&str> {
    let (_, rest) = principal.split_once("/ns/")?;
    let ns = rest.split('/').next()?;
    (!ns.is_empty() && !ns.contains('*')).then_some(ns)
}

/// Whether the inputs hold workloads or ServiceAccounts of namespace `ns`.
fn shows_accounts_of(a: &Analysis, ns: &str) -> bool {
    a.inv.workloads_in(ns).next().is_some()
        || a.inv
            .of_kind(Kind::ServiceAccount)
            .any(|(_, o)| o.namespace() == ns)
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if a.inv.workloads.is_empty() {
        return;
    }
    let mesh = &a.inv.mesh;
    let domains = &a.trust_domains;
    let identities: Vec<String> = a
        .inv
        .service_accounts_in_use
        .iter()
        .flat_map(|(ns, sa)| {
            domains
                .iter()
                .map(move |td| format!("{td}/ns/{ns}/sa/{sa}"))
        })
        .collect();
    let exact: std::collections::HashSet<&str> = identities.iter().map(String::as_str).collect();
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
                    ("principals", &source.principals),
                    ("notPrincipals", &source.not_principals),
                ] {
                    for (k, entry) in list.iter().enumerate() {
                        if entry == "*" {
                            continue;
                        }
                        let path = format!("spec.rules[{r}].from[{f}].source.{field}[{k}]");
                        let kia_ok = field == "principals";
                        if let Some((td, _)) = entry.split_once("/ns/")
                            && !td.contains('*')
                            && !domains.iter().any(|d| d == td)
                        {
                            out.push(
                                Finding::new(
                                    &RULE,
                                    format!(
                                        "principal {entry:?} in source.{field} has trust domain {td:?}, which is not the mesh trust domain {:?} or one of its aliases",
                                        mesh.trust_domain()
                                    ),
                                )
                                .on(o, &path)
                                .codes(&[], if kia_ok { &["KIA0108"] } else { &[] })
                                .help(format!(
                                    "use {:?} as the trust domain, or add {td:?} to meshConfig.trustDomainAliases",
                                    mesh.trust_domain()
                                )),
                            );
                            continue;
                        }
                        // An exact principal is a lookup; only patterns scan.
                        let known = if entry.contains('*') {
                            identities.iter().any(|id| matches(entry, id))
                        } else {
                            exact.contains(entry.as_str())
                        };
                        if known {
                            continue;
                        }
                        // Only a namespace whose workloads or ServiceAccounts the inputs hold
                        // can show that an account is not used there.
                        if let Some(ns) = principal_namespace(entry)
                            && !shows_accounts_of(a, ns)
                        {
                            continue;
                        }
                        let help = if entry.contains("/ns/") || entry.contains("/sa/") {
                            "use the serviceAccountName of the calling workload (not its Deployment name); a pod without one runs as the `default` service account".to_owned()
                        } else {
                            format!(
                                "a principal has the form {}/ns/<namespace>/sa/<service-account>",
                                mesh.trust_domain()
                            )
                        };
                        out.push(
                            Finding::new(
                                &RULE,
                                format!(
                                    "principal {entry:?} in source.{field} matches no service account used by a workload in the inputs"
                                ),
                            )
                            .on(o, &path)
                            .codes(&[], if kia_ok { &["KIA0106"] } else { &[] })
                            .help(help),
                        );
                    }
                }
            }
        }
    }
}
