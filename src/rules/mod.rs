//! The rule registry: one file per rule, each declared with [`declare_rule!`] so that its doc
//! comment is what `meshlint explain` prints. `REGISTRY` lists them in code order.

use crate::diagnostic::Finding;
use crate::resolve::decisions::Decisions;
pub use crate::rule_meta::{Category, RuleMeta};

mod ambiguous_peer_authentication;
mod authz_allow_nothing;
mod authz_deny_shadows_allow;
mod authz_http_fields_on_tcp;
mod authz_invalid;
mod authz_release_semantics;
mod authz_request_principals_without_jwt;
mod authz_requires_mtls;
mod authz_unknown_namespace;
mod authz_unknown_principal;
mod deprecated_api;
mod dr_duplicate_host;
mod dr_host_not_found;
mod dr_tls_overridden;
mod dr_tls_without_ca;
mod duplicate_resource;
mod invalid_resource;
mod jwt_port_not_http;
mod jwt_token_optional;
mod legacy_annotation_unknown_port;
mod legacy_policy_misnamed;
mod mtls_mode_conflict;
mod mtls_to_api_server;
mod mtls_to_workload_without_sidecar;
mod namespace_injection_labels_conflict;
mod namespace_not_injected;
mod plaintext_clients_blocked;
mod pod_missing_proxy;
mod policy_port_not_found;
mod port_level_mtls_unknown_port;
mod port_level_settings_drops_tls;
mod port_name_protocol;
mod probe_fails_under_strict;
mod rbac_reference_not_found;
mod selector_matches_nothing;
mod support;
mod workload_mtls_ignored_by_clients;

/// A rule: its metadata (what `rules`, `explain` and every finding show) and its check, which
/// reads the analysis and pushes findings.
#[derive(Debug)]
pub struct Rule {
    pub meta: RuleMeta,
    pub check: fn(&Decisions<'_>, &mut Vec<Finding>),
    /// Whether the check reads the decisions of Service ports ([`Decisions::port`]): when an
    /// enabled rule does, the engine makes them all in parallel before the rules run, so that
    /// no rule computes them alone while the other core waits (issue 14).
    pub reads_ports: bool,
}

impl std::ops::Deref for Rule {
    type Target = RuleMeta;
    fn deref(&self) -> &RuleMeta {
        &self.meta
    }
}

impl PartialEq for Rule {
    fn eq(&self, other: &Self) -> bool {
        self.meta == other.meta
    }
}

impl From<&'static Rule> for &'static RuleMeta {
    fn from(rule: &'static Rule) -> &'static RuleMeta {
        &rule.meta
    }
}

/// Declares a rule; the doc comment above `static` becomes its `explain` text.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])*
        pub static $id:ident = {
            code: $code:literal,
            name: $name:literal,
            severity: $sev:ident,
            category: $cat:ident,
            default_enabled: $on:literal,
            istio: [$($ist:literal),*],
            kiali: [$($kia:literal),*],
            summary: $summary:literal,
            $(reads_ports: $ports:literal,)?
            check: $check:path $(,)?
        }
    ) => {
        pub static $id: $crate::rules::Rule = $crate::rules::Rule {
            meta: $crate::rule_meta::RuleMeta {
                code: $code,
                name: $name,
                severity: $crate::rule_meta::Severity::$sev,
                category: $crate::rule_meta::Category::$cat,
                default_enabled: $on,
                istio_codes: &[$($ist),*],
                kiali_codes: &[$($kia),*],
                summary: $summary,
                doc: concat!($($doc, "\n"),*),
            },
            check: $check,
            reads_ports: false $(|| $ports)?,
        };
    };
}
pub(crate) use declare_rule;

/// Every rule, sorted by code.
pub static REGISTRY: &[&Rule] = &[
    &invalid_resource::RULE,
    &authz_invalid::RULE,
    &duplicate_resource::RULE,
    &deprecated_api::RULE,
    &legacy_policy_misnamed::RULE,
    &mtls_mode_conflict::RULE,
    &mtls_to_workload_without_sidecar::RULE,
    &mtls_to_api_server::RULE,
    &workload_mtls_ignored_by_clients::RULE,
    &port_level_mtls_unknown_port::RULE,
    &port_level_settings_drops_tls::RULE,
    &ambiguous_peer_authentication::RULE,
    &plaintext_clients_blocked::RULE,
    &probe_fails_under_strict::RULE,
    &dr_host_not_found::RULE,
    &dr_duplicate_host::RULE,
    &dr_tls_overridden::RULE,
    &dr_tls_without_ca::RULE,
    &legacy_annotation_unknown_port::RULE,
    &policy_port_not_found::RULE,
    &selector_matches_nothing::RULE,
    &authz_unknown_namespace::RULE,
    &authz_unknown_principal::RULE,
    &authz_requires_mtls::RULE,
    &authz_http_fields_on_tcp::RULE,
    &authz_allow_nothing::RULE,
    &authz_deny_shadows_allow::RULE,
    &authz_request_principals_without_jwt::RULE,
    &jwt_token_optional::RULE,
    &rbac_reference_not_found::RULE,
    &jwt_port_not_http::RULE,
    &authz_release_semantics::RULE,
    &namespace_not_injected::RULE,
    &namespace_injection_labels_conflict::RULE,
    &pod_missing_proxy::RULE,
    &port_name_protocol::RULE,
];

/// The read and parse errors of `a` as `invalid-resource` findings: the engine adds them when
/// that rule is not selected, since nothing deselects them.
pub fn read_errors(a: &crate::analysis::Analysis) -> Vec<Finding> {
    invalid_resource::read_errors(a)
}

/// The code of the rule that reports read errors (`invalid-resource`).
pub fn read_errors_code() -> &'static str {
    invalid_resource::RULE.code
}

/// Finds a rule by code (`ML0101`) or name (`invalid-resource`), case-insensitively.
pub fn find(code_or_name: &str) -> Option<&'static Rule> {
    REGISTRY.iter().copied().find(|r| {
        r.code.eq_ignore_ascii_case(code_or_name) || r.name.eq_ignore_ascii_case(code_or_name)
    })
}

/// The rules that carry an istioctl (`IST0113`) or Kiali (`KIA0207`) code, in code order.
pub fn by_foreign_code(code: &str) -> Vec<&'static Rule> {
    REGISTRY
        .iter()
        .copied()
        .filter(|r| {
            r.istio_codes
                .iter()
                .chain(r.kiali_codes)
                .any(|c| c.eq_ignore_ascii_case(code))
        })
        .collect()
}

/// "did you mean …" for a rule name or code the registry does not know: the nearest rule names
/// and codes (strsim edit distance within a third of the length, at least 2), or nothing when
/// none is near.
pub fn suggest(text: &str) -> Option<String> {
    near_names(text, false)
}

/// As [`suggest`], also naming categories: for `--select`/`--ignore`, which take them.
pub fn suggest_selector(text: &str) -> Option<String> {
    near_names(text, true)
}

fn near_names(text: &str, categories: bool) -> Option<String> {
    let want = text.trim().to_ascii_lowercase();
    let limit = (want.chars().count() / 3).max(2);
    let mut near: Vec<(usize, String)> = REGISTRY
        .iter()
        .flat_map(|r| {
            [
                Some(r.name.to_owned()),
                Some(r.code.to_owned()),
                categories.then(|| r.category.as_str().to_owned()),
            ]
        })
        .flatten()
        .map(|n| {
            (
                crate::suggest::edit_distance(&want, &n.to_ascii_lowercase()),
                n,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .collect();
    near.sort();
    near.dedup_by(|a, b| a.1 == b.1);
    let names: Vec<String> = near
        .into_iter()
        .take(3)
        .map(|(_, n)| format!("`{n}`"))
        .collect();
    (!names.is_empty()).then(|| names.join(", "))
}
