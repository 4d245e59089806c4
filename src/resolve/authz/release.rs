//! Where the chosen patch release enforces an AuthorizationPolicy otherwise than it reads
//! (issue 10): fields it accepts but ignores, rules it skips, and values it puts into regexes
//! unquoted. Each case is a row of the version table; `check` already evaluates them, and the
//! rule `authz-release-semantics` reports them.

use super::{AuthorizationPolicySpec, Source};
use crate::analysis::Analysis;
use crate::version::{Behaviour, IstioVersion};

/// Regex metacharacters that act as such in the unquoted releases (`*` is the policy's own
/// wildcard).
const REGEX_META: &[char] = &[
    '.', '[', ']', '(', ')', '{', '}', '+', '?', '^', '$', '|', '\\',
];

/// One place where the release's behaviour differs from the policy text: the field path and
/// what happens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    pub path: String,
    pub message: String,
}

/// The differences of one AuthorizationPolicy at `a`'s release (none at a release with every
/// fix and feature).
pub fn differences(a: &Analysis, spec: &AuthorizationPolicySpec) -> Vec<Difference> {
    let v = a.profile.version;
    let p = &a.profile;
    let mut out = Vec::new();
    let mut push = |path: String, message: String| out.push(Difference { path, message });
    for (r, rule) in spec.rules.iter().flatten().enumerate() {
        for (f, from) in rule.from.iter().flatten().enumerate() {
            let Some(s) = &from.source else { continue };
            let at = format!("spec.rules[{r}].from[{f}].source");
            // 1.30.0/1.30.1: in the CRD, ignored by the authz model (istio/istio 1.30.0
            // pilot/pkg/security/authz/model/model.go:121-131); enforced from 1.30.2.
            if p.has(Behaviour::AuthzTrustDomainFields)
                && !p.has(Behaviour::AuthzTrustDomains)
                && has_other_fields(s)
            {
                for (name, list) in [
                    ("trustDomains", &s.trust_domains),
                    ("notTrustDomains", &s.not_trust_domains),
                ] {
                    if !list.is_empty() {
                        push(
                            format!("{at}.{name}"),
                            format!(
                                "Istio {v} accepts {name} but ignores it (enforced from 1.30.2): the source matches on its other fields alone"
                            ),
                        );
                    }
                }
            }
            if !p.has(Behaviour::ServiceAccountRegexEscaped) {
                for (name, list) in [
                    ("serviceAccounts", &s.service_accounts),
                    ("notServiceAccounts", &s.not_service_accounts),
                ] {
                    for (k, value) in list.iter().enumerate() {
                        if value.contains(REGEX_META) {
                            push(
                                format!("{at}.{name}[{k}]"),
                                format!(
                                    "Istio {v} puts {value:?} into a regex unquoted, so it matches more identities than written ('.' is any character; CVE-2026-39350, fixed in {})",
                                    fixed_in(Behaviour::ServiceAccountRegexEscaped, v)
                                ),
                            );
                        }
                    }
                }
            }
            if !p.has(Behaviour::PrincipalRegexEscaped) {
                for (name, list, all) in [
                    ("principals", &s.principals, false),
                    ("notPrincipals", &s.not_principals, false),
                    ("namespaces", &s.namespaces, true),
                    ("notNamespaces", &s.not_namespaces, true),
                ] {
                    for (k, value) in list.iter().enumerate() {
                        let regex = if all { true } else { value.starts_with('*') };
                        let text = if all {
                            value.as_str()
                        } else {
                            value.trim_start_matches('*')
                        };
                        if regex && text.contains(REGEX_META) {
                            push(
                                format!("{at}.{name}[{k}]"),
                                format!(
                                    "Istio {v} puts {value:?} into a regex unquoted, so it matches more identities than written (fixed in {})",
                                    fixed_in(Behaviour::PrincipalRegexEscaped, v)
                                ),
                            );
                        }
                    }
                }
            }
        }
        for (c, cond) in rule.when.iter().flatten().enumerate() {
            // 1.30.0/1.30.1: the webhook accepts the key, the builder skips the rule
            // (istio/istio 1.30.0 pilot/pkg/security/authz/builder/builder.go:275-279).
            if cond.key == "source.trustDomain"
                && p.has(Behaviour::AuthzTrustDomainFields)
                && !p.has(Behaviour::AuthzTrustDomains)
            {
                push(
                    format!("spec.rules[{r}].when[{c}].key"),
                    format!(
                        "Istio {v} skips this rule: its authorization model does not know source.trustDomain (from 1.30.2), so the rule never matches"
                    ),
                );
            }
        }
    }
    out
}

/// Whether a source has fields besides the trust domains.
fn has_other_fields(s: &Source) -> bool {
    s.fields()
        .iter()
        .any(|(name, v)| !v.is_empty() && !matches!(*name, "trustDomains" | "notTrustDomains"))
}

/// The patch of `v`'s line (or the first release) that has `fix`: "1.29.2".
fn fixed_in(fix: Behaviour, v: IstioVersion) -> String {
    let rows = crate::version::TABLE.iter().filter(|r| r.behaviour == fix);
    rows.map(|r| r.since)
        .filter(|s| s.major == v.major && s.minor >= v.minor)
        .min()
        .map_or_else(|| "a later release".to_owned(), |s| s.to_string())
}
