//! Rule fixtures: every `testdata/rules/<rule-name>/{pass,fail}*.yaml` is its own test and runs
//! through the whole pipeline with only that rule selected. A `pass` file must produce no
//! finding. A `fail` file marks each line a finding must point at with a trailing comment
//! `# expect: ML0201` (several codes when several findings share the line, as clippy's `//~`);
//! the findings must be exactly those, and their rendering is snapshotted.
//!
//! A fixture may start with directive comments:
//!   `# istio-version: 1.5`          judge by that Istio version (default: latest)
//!   `# mesh-config: enableAutoMtls: false`   one MeshConfig field in YAML flow form
//!
//! Adding a fixture: add its line to `fixtures!` below (the test `every_fixture_has_a_test`
//! fails until it is there).

use std::fmt::Write;
use std::path::Path;

use meshlint::analysis::Analysis;
use meshlint::diagnostic::Finding;
use meshlint::engine::{self, Settings};
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::model::istio::mesh::MeshConfig;

fn directives(text: &str) -> (Option<meshlint::version::IstioVersion>, Option<MeshConfig>) {
    let mut version = None;
    let mut mesh = None;
    for line in text.lines().take_while(|l| l.starts_with('#')) {
        if let Some(v) = line.strip_prefix("# istio-version:") {
            version = Some(v.trim().parse().expect("bad istio-version directive"));
        }
        if let Some(m) = line.strip_prefix("# mesh-config:") {
            let arena = bumpalo::Bump::new();
            let docs = meshlint::input::yaml::parse_documents(m.trim(), &arena);
            let node = docs[0].root.as_ref().unwrap().as_ref().unwrap();
            mesh =
                Some(meshlint::input::de::decode(node, true).expect("bad mesh-config directive"));
        }
    }
    (version, mesh)
}

/// `(code, line)` of every `# expect: CODE…` comment, sorted.
fn expectations(text: &str) -> Vec<(String, u32)> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.starts_with('#') {
            continue;
        }
        if let Some((_, codes)) = line.split_once("# expect:") {
            for code in codes.split_whitespace() {
                out.push((code.to_owned(), i as u32 + 1));
            }
        }
    }
    out.sort();
    out
}

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs one fixture and renders its findings in a compact, stable form.
fn run_fixture(path: &Path) -> (Vec<Finding>, String) {
    let rule_dir = path
        .parent()
        .unwrap()
        .file_name()
        .unwrap()
        .to_str()
        .unwrap();
    let rule =
        meshlint::rules::find(rule_dir).unwrap_or_else(|| panic!("no rule named {rule_dir}"));
    let rel = path
        .strip_prefix(env!("CARGO_MANIFEST_DIR"))
        .unwrap_or(path)
        .to_path_buf();
    let text = std::fs::read_to_string(path).unwrap();
    let (version, mesh) = directives(&text);
    let loaded = load(&[InputSource::File(rel)], &LoadOptions::default()).unwrap();
    let analysis = Analysis::new(loaded, version, mesh);
    let settings = Settings {
        select: vec![rule.name.to_owned()],
        ..Settings::default()
    };
    let outcome = engine::run(&analysis, &settings);
    let mut s = String::new();
    for f in &outcome.findings {
        writeln!(s, "{} {} {}", f.rule.code, f.rule.name, f.severity).unwrap();
        if let Some(l) = &f.location {
            let field = if l.field.is_empty() {
                String::new()
            } else {
                format!(" ({})", l.field)
            };
            writeln!(s, "  at {}:{}:{}{field}", l.file, l.pos.line, l.pos.col).unwrap();
        }
        if let Some(r) = &f.resource {
            writeln!(s, "  on {r}").unwrap();
        }
        writeln!(s, "  {}", f.message).unwrap();
        if let Some(h) = &f.help {
            writeln!(s, "  help: {h}").unwrap();
        }
        for r in &f.related {
            let what = r
                .resource
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            writeln!(
                s,
                "  related: {what} at {}:{} — {}",
                r.location.file, r.location.pos.line, r.message
            )
            .unwrap();
        }
        let codes: Vec<_> = f
            .istio_codes
            .iter()
            .chain(&f.kiali_codes)
            .copied()
            .collect();
        if !codes.is_empty() {
            writeln!(s, "  codes: {}", codes.join(" ")).unwrap();
        }
    }
    (outcome.findings, s)
}

/// Runs `testdata/rules/<fixture>` and checks it against its name and its expectations.
fn check(fixture: &str) {
    let path = root().join("testdata/rules").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap();
    let (findings, rendered) = run_fixture(&path);
    let mut got: Vec<(String, u32)> = findings
        .iter()
        .map(|f| {
            let line = f.location.as_ref().map_or(0, |l| l.pos.line);
            (f.rule.code.to_owned(), line)
        })
        .collect();
    got.sort();
    let name = path.file_name().unwrap().to_str().unwrap();
    if name.starts_with("pass") {
        assert!(
            findings.is_empty(),
            "{fixture} must produce no finding, got:\n{rendered}"
        );
        assert!(
            expectations(&text).is_empty(),
            "{fixture}: a pass fixture expects nothing"
        );
        return;
    }
    assert!(
        name.starts_with("fail"),
        "fixture {fixture} must be named pass*.yaml or fail*.yaml"
    );
    let want = expectations(&text);
    assert!(
        !want.is_empty(),
        "{fixture}: a fail fixture marks its findings with `# expect:`"
    );
    assert_eq!(got, want, "{fixture}: findings (code, line)\n{rendered}");
    let snapshot = fixture.trim_end_matches(".yaml").replace('/', "__");
    insta::assert_snapshot!(snapshot, rendered);
}

macro_rules! fixtures {
    ($($name:ident: $file:literal,)*) => {
        $(
            // `<rule>__<fixture>`: the double underscore keeps rule and fixture apart.
            #[allow(non_snake_case)]
            #[test]
            fn $name() {
                check($file);
            }
        )*
        const FIXTURES: &[&str] = &[$($file),*];
    };
}

fixtures! {
    ambiguous_peer_authentication__fail_namespace_and_workload: "ambiguous-peer-authentication/fail-namespace-and-workload.yaml",
    ambiguous_peer_authentication__fail_v1alpha1_1_3: "ambiguous-peer-authentication/fail-v1alpha1-1.3.yaml",
    ambiguous_peer_authentication__pass: "ambiguous-peer-authentication/pass.yaml",
    authz_allow_nothing__fail: "authz-allow-nothing/fail.yaml",
    authz_allow_nothing__pass: "authz-allow-nothing/pass.yaml",
    authz_deny_shadows_allow__fail: "authz-deny-shadows-allow/fail.yaml",
    authz_deny_shadows_allow__pass: "authz-deny-shadows-allow/pass.yaml",
    authz_http_fields_on_tcp__fail: "authz-http-fields-on-tcp/fail.yaml",
    authz_http_fields_on_tcp__pass: "authz-http-fields-on-tcp/pass.yaml",
    authz_invalid__fail_fields_1_24: "authz-invalid/fail-fields-1.24.yaml",
    authz_invalid__fail_fields_older: "authz-invalid/fail-fields-older.yaml",
    authz_invalid__fail_service_entry_target_1_23: "authz-invalid/fail-service-entry-target-1.23.yaml",
    authz_invalid__fail_values_1_31: "authz-invalid/fail-values-1.31.yaml",
    authz_invalid__pass_newest_fields: "authz-invalid/pass-newest-fields.yaml",
    authz_invalid__fail_action: "authz-invalid/fail-action.yaml",
    authz_invalid__fail_empty: "authz-invalid/fail-empty.yaml",
    authz_invalid__fail_identity: "authz-invalid/fail-identity.yaml",
    authz_invalid__fail_target: "authz-invalid/fail-target.yaml",
    authz_invalid__fail_values: "authz-invalid/fail-values.yaml",
    authz_invalid__fail_when: "authz-invalid/fail-when.yaml",
    authz_invalid__pass: "authz-invalid/pass.yaml",
    authz_request_principals_without_jwt__fail: "authz-request-principals-without-jwt/fail.yaml",
    authz_request_principals_without_jwt__pass_v1alpha1_origins: "authz-request-principals-without-jwt/pass-v1alpha1-origins.yaml",
    authz_request_principals_without_jwt__pass: "authz-request-principals-without-jwt/pass.yaml",
    authz_release_semantics__fail_1_30_1: "authz-release-semantics/fail-1.30.1.yaml",
    authz_release_semantics__fail_1_29_1: "authz-release-semantics/fail-1.29.1.yaml",
    authz_release_semantics__pass: "authz-release-semantics/pass.yaml",
    authz_requires_mtls__fail_admitted_callers_plaintext: "authz-requires-mtls/fail-admitted-callers-plaintext.yaml",
    authz_requires_mtls__fail_auto_mtls_off: "authz-requires-mtls/fail-auto-mtls-off.yaml",
    authz_requires_mtls__fail_policies_only: "authz-requires-mtls/fail_policies_only.yaml",
    authz_requires_mtls__fail_policies_only_namespace_wide: "authz-requires-mtls/fail_policies_only_namespace_wide.yaml",
    authz_requires_mtls__fail_permissive_auto_mtls: "authz-requires-mtls/fail-permissive-auto-mtls.yaml",
    authz_requires_mtls__fail_port_level_disable: "authz-requires-mtls/fail-port-level-disable.yaml",
    authz_requires_mtls__pass_port_restricted: "authz-requires-mtls/pass-port-restricted.yaml",
    authz_requires_mtls__pass_strict: "authz-requires-mtls/pass-strict.yaml",
    authz_unknown_namespace__fail: "authz-unknown-namespace/fail.yaml",
    authz_unknown_namespace__pass: "authz-unknown-namespace/pass.yaml",
    authz_unknown_namespace__pass_policies_only: "authz-unknown-namespace/pass_policies_only.yaml",
    authz_unknown_namespace__pass_inner_wildcard: "authz-unknown-namespace/pass_inner_wildcard.yaml",
    authz_unknown_principal__fail: "authz-unknown-principal/fail.yaml",
    authz_unknown_principal__pass: "authz-unknown-principal/pass.yaml",
    authz_unknown_principal__pass_policies_only: "authz-unknown-principal/pass_policies_only.yaml",
    deprecated_api__fail_1_5: "deprecated-api/fail-1.5.yaml",
    deprecated_api__fail_1_6: "deprecated-api/fail-1.6.yaml",
    deprecated_api__pass_latest: "deprecated-api/pass-latest.yaml",
    deprecated_api__pass: "deprecated-api/pass.yaml",
    dr_duplicate_host__fail_export_to_apart: "dr-duplicate-host/fail-export-to-apart.yaml",
    dr_duplicate_host__pass_export_to_apart_1_23: "dr-duplicate-host/pass-export-to-apart-1.23.yaml",
    dr_duplicate_host__fail_pre_1_1: "dr-duplicate-host/fail-pre-1.1.yaml",
    dr_duplicate_host__fail: "dr-duplicate-host/fail.yaml",
    dr_duplicate_host__pass: "dr-duplicate-host/pass.yaml",
    dr_host_not_found__fail: "dr-host-not-found/fail.yaml",
    dr_host_not_found__pass_no_services: "dr-host-not-found/pass-no-services.yaml",
    dr_host_not_found__pass: "dr-host-not-found/pass.yaml",
    dr_host_not_found__pass_policies_only: "dr-host-not-found/pass_policies_only.yaml",
    dr_tls_overridden__fail: "dr-tls-overridden/fail.yaml",
    dr_tls_overridden__pass: "dr-tls-overridden/pass.yaml",
    dr_tls_without_ca__fail: "dr-tls-without-ca/fail.yaml",
    dr_tls_without_ca__pass: "dr-tls-without-ca/pass.yaml",
    duplicate_resource__fail: "duplicate-resource/fail.yaml",
    duplicate_resource__pass: "duplicate-resource/pass.yaml",
    invalid_resource__fail_destination_rule: "invalid-resource/fail-destination-rule.yaml",
    invalid_resource__fail_every_schema_error: "invalid-resource/fail-every-schema-error.yaml",
    invalid_resource__fail_legacy_policy: "invalid-resource/fail-legacy-policy.yaml",
    invalid_resource__fail_load: "invalid-resource/fail-load.yaml",
    invalid_resource__fail_peer_authentication: "invalid-resource/fail-peer-authentication.yaml",
    invalid_resource__fail_request_authentication: "invalid-resource/fail-request-authentication.yaml",
    invalid_resource__fail_jwt_issuer_1_26: "invalid-resource/fail-jwt-issuer-1.26.yaml",
    invalid_resource__fail_gateway: "invalid-resource/fail-gateway.yaml",
    invalid_resource__fail_redefined: "invalid-resource/fail-redefined.yaml",
    invalid_resource__fail_export_to: "invalid-resource/fail-export-to.yaml",
    invalid_resource__fail_mesh_trust_domain: "invalid-resource/fail-mesh-trust-domain.yaml",
    invalid_resource__fail_destination_rule_settings: "invalid-resource/fail-destination-rule-settings.yaml",
    invalid_resource__fail_destination_rule_settings_1_25: "invalid-resource/fail-destination-rule-settings-1.25.yaml",
    invalid_resource__fail_sidecar: "invalid-resource/fail-sidecar.yaml",
    invalid_resource__fail_sidecar_exclusion_1_30: "invalid-resource/fail-sidecar-exclusion-1.30.yaml",
    invalid_resource__pass_gateway_sidecar: "invalid-resource/pass-gateway-sidecar.yaml",
    invalid_resource__pass_go_yaml_forms: "invalid-resource/pass-go-yaml-forms.yaml",
    invalid_resource__pass_older_gateway_sidecar_1_19: "invalid-resource/pass-older-gateway-sidecar-1.19.yaml",
    invalid_resource__fail_jwt_fields_1_27: "invalid-resource/fail-jwt-fields-1.27.yaml",
    invalid_resource__fail_jwt_fields_1_31: "invalid-resource/fail-jwt-fields-1.31.yaml",
    invalid_resource__pass_jwt_versioned_fields: "invalid-resource/pass-jwt-versioned-fields.yaml",
    invalid_resource__pass_legacy: "invalid-resource/pass-legacy.yaml",
    invalid_resource__pass: "invalid-resource/pass.yaml",
    jwt_port_not_http__fail: "jwt-port-not-http/fail.yaml",
    jwt_port_not_http__pass: "jwt-port-not-http/pass.yaml",
    jwt_token_optional__fail: "jwt-token-optional/fail.yaml",
    jwt_token_optional__pass: "jwt-token-optional/pass.yaml",
    legacy_annotation_unknown_port__fail_ignored: "legacy-annotation-unknown-port/fail-ignored.yaml",
    legacy_annotation_unknown_port__fail: "legacy-annotation-unknown-port/fail.yaml",
    legacy_annotation_unknown_port__pass: "legacy-annotation-unknown-port/pass.yaml",
    legacy_policy_misnamed__fail: "legacy-policy-misnamed/fail.yaml",
    legacy_policy_misnamed__pass_0_8: "legacy-policy-misnamed/pass-0.8.yaml",
    legacy_policy_misnamed__pass: "legacy-policy-misnamed/pass.yaml",
    mtls_mode_conflict__fail_dr_disable_vs_strict: "mtls-mode-conflict/fail-dr-disable-vs-strict.yaml",
    mtls_mode_conflict__fail_policies_only: "mtls-mode-conflict/fail_policies_only.yaml",
    mtls_mode_conflict__fail_policies_only_namespace_wide: "mtls-mode-conflict/fail_policies_only_namespace_wide.yaml",
    mtls_mode_conflict__fail_policies_only_mesh_wide: "mtls-mode-conflict/fail_policies_only_mesh_wide.yaml",
    mtls_mode_conflict__pass_policies_only_mesh_wide: "mtls-mode-conflict/pass_policies_only_mesh_wide.yaml",
    mtls_mode_conflict__pass_mesh_auth_policy_0_3: "mtls-mode-conflict/pass_mesh_auth_policy_0_3.yaml",
    mtls_mode_conflict__fail_istio_mutual_vs_disable: "mtls-mode-conflict/fail-istio-mutual-vs-disable.yaml",
    mtls_mode_conflict__fail_mesh_strict_no_dr: "mtls-mode-conflict/fail-mesh-strict-no-dr.yaml",
    mtls_mode_conflict__pass_auto_mtls_strict: "mtls-mode-conflict/pass-auto-mtls-strict.yaml",
    mtls_mode_conflict__pass_mesh_strict_global_dr: "mtls-mode-conflict/pass-mesh-strict-global-dr.yaml",
    mtls_to_api_server__fail_global_dr: "mtls-to-api-server/fail-global-dr.yaml",
    mtls_to_api_server__fail_mesh_auth_policy: "mtls-to-api-server/fail-mesh-auth-policy.yaml",
    mtls_to_api_server__pass_api_server_dr_disable: "mtls-to-api-server/pass-api-server-dr-disable.yaml",
    mtls_to_api_server__pass_mesh_auth_policy_excluded: "mtls-to-api-server/pass-mesh-auth-policy-excluded.yaml",
    mtls_to_workload_without_sidecar__fail_global_dr: "mtls-to-workload-without-sidecar/fail-global-dr.yaml",
    mtls_to_workload_without_sidecar__pass_auto_mtls: "mtls-to-workload-without-sidecar/pass-auto-mtls.yaml",
    mtls_to_workload_without_sidecar__pass_excluded: "mtls-to-workload-without-sidecar/pass-excluded.yaml",
    namespace_injection_labels_conflict__fail: "namespace-injection-labels-conflict/fail.yaml",
    namespace_injection_labels_conflict__pass: "namespace-injection-labels-conflict/pass.yaml",
    namespace_injection_labels_conflict__pass_ambient_before_1_18: "namespace-injection-labels-conflict/pass_ambient_before_1_18.yaml",
    namespace_not_injected__fail: "namespace-not-injected/fail.yaml",
    namespace_not_injected__fail_rev_before_1_6: "namespace-not-injected/fail_rev_before_1_6.yaml",
    namespace_not_injected__pass: "namespace-not-injected/pass.yaml",
    namespace_not_injected__pass_before_webhook_0_4: "namespace-not-injected/pass_before_webhook_0_4.yaml",
    namespace_not_injected__pass_kube_injected: "namespace-not-injected/pass_kube_injected.yaml",
    plaintext_clients_blocked__fail: "plaintext-clients-blocked/fail.yaml",
    plaintext_clients_blocked__pass: "plaintext-clients-blocked/pass.yaml",
    pod_missing_proxy__fail: "pod-missing-proxy/fail.yaml",
    pod_missing_proxy__pass: "pod-missing-proxy/pass.yaml",
    pod_missing_proxy__pass_manifest_is_injected: "pod-missing-proxy/pass_manifest_is_injected.yaml",
    pod_missing_proxy__pass_pod_label_before_1_12: "pod-missing-proxy/pass_pod_label_before_1_12.yaml",
    policy_port_not_found__fail: "policy-port-not-found/fail.yaml",
    policy_port_not_found__pass: "policy-port-not-found/pass.yaml",
    port_level_mtls_unknown_port__fail: "port-level-mtls-unknown-port/fail.yaml",
    port_level_mtls_unknown_port__pass: "port-level-mtls-unknown-port/pass.yaml",
    port_level_mtls_unknown_port__fail_no_service_port_before_1_9: "port-level-mtls-unknown-port/fail_no_service_port_before_1_9.yaml",
    port_level_mtls_unknown_port__pass_no_service_port_1_9: "port-level-mtls-unknown-port/pass_no_service_port_1_9.yaml",
    port_level_settings_drops_tls__fail: "port-level-settings-drops-tls/fail.yaml",
    port_level_settings_drops_tls__pass: "port-level-settings-drops-tls/pass.yaml",
    port_name_protocol__fail: "port-name-protocol/fail.yaml",
    port_name_protocol__fail_app_protocol_before_1_6: "port-name-protocol/fail_app_protocol_before_1_6.yaml",
    port_name_protocol__pass: "port-name-protocol/pass.yaml",
    rbac_reference_not_found__fail: "rbac-reference-not-found/fail.yaml",
    rbac_reference_not_found__pass: "rbac-reference-not-found/pass.yaml",
    rbac_reference_not_found__pass_policies_only: "rbac-reference-not-found/pass_policies_only.yaml",
    probe_fails_under_strict__fail_1_5: "probe-fails-under-strict/fail-1.5.yaml",
    probe_fails_under_strict__fail_annotation_false: "probe-fails-under-strict/fail-annotation-false.yaml",
    probe_fails_under_strict__pass_annotation_true: "probe-fails-under-strict/pass-annotation-true.yaml",
    probe_fails_under_strict__pass_latest: "probe-fails-under-strict/pass-latest.yaml",
    selector_matches_nothing__fail: "selector-matches-nothing/fail.yaml",
    selector_matches_nothing__pass: "selector-matches-nothing/pass.yaml",
    selector_matches_nothing__pass_injected_labels: "selector-matches-nothing/pass_injected_labels.yaml",
    selector_matches_nothing__fail_canonical_name_before_1_5: "selector-matches-nothing/fail_canonical_name_before_1_5.yaml",
    selector_matches_nothing__pass_policies_only: "selector-matches-nothing/pass_policies_only.yaml",
    workload_mtls_ignored_by_clients__fail_port_strict_under_disable: "workload-mtls-ignored-by-clients/fail-port-strict-under-disable.yaml",
    workload_mtls_ignored_by_clients__fail_policies_only: "workload-mtls-ignored-by-clients/fail_policies_only.yaml",
    workload_mtls_ignored_by_clients__fail_workload_disable: "workload-mtls-ignored-by-clients/fail-workload-disable.yaml",
    workload_mtls_ignored_by_clients__pass_with_dr: "workload-mtls-ignored-by-clients/pass-with-dr.yaml",
    workload_mtls_ignored_by_clients__pass_workload_strict: "workload-mtls-ignored-by-clients/pass-workload-strict.yaml",
}

#[test]
fn every_fixture_has_a_test() {
    let dir = root().join("testdata/rules");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .map(|p| p.strip_prefix(&dir).unwrap().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = FIXTURES.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(
        on_disk, listed,
        "list every fixture in `fixtures!` (tests/it/rules.rs)"
    );
}

#[test]
fn expectations_are_read_from_trailing_comments() {
    let text = "# istio-version: 1.4\n# expect: ML0001 in a header is ignored\nkind: X  # expect: ML0201 ML0202\n";
    assert_eq!(
        expectations(text),
        [("ML0201".to_owned(), 3), ("ML0202".to_owned(), 3)]
    );
}

/// authz-requires-mtls (issue 15): an ALLOW on identities under PERMISSIVE is a warning only
/// when callers it admits arrive in plaintext (or a port is DISABLE); otherwise it fails closed
/// as meant and is info. A DENY on identities (fails open) stays an error.
#[test]
fn authz_requires_mtls_severity_follows_who_is_refused() {
    let severities = |fixture: &str| -> Vec<(String, String)> {
        let out = assert_cmd::Command::cargo_bin("meshlint")
            .unwrap()
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["analyze", "-o", "json", "--select", "ML0304"])
            .arg(format!("testdata/rules/authz-requires-mtls/{fixture}"))
            .output()
            .unwrap();
        let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| {
                (
                    f["resource"]["name"].as_str().unwrap().to_owned(),
                    f["severity"].as_str().unwrap().to_owned(),
                )
            })
            .collect()
    };
    let pairs = |v: &[(&str, &str)]| -> Vec<(String, String)> {
        v.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    };
    assert_eq!(
        severities("fail-admitted-callers-plaintext.yaml"),
        pairs(&[
            ("allow-legacy", "warning"),
            ("allow-bar", "warning"),
            ("allow-foo", "info")
        ])
    );
    assert_eq!(
        severities("fail-permissive-auto-mtls.yaml"),
        pairs(&[
            ("allow-sleep", "info"),
            ("deny-legacy", "error"),
            ("deny-legacy", "error")
        ])
    );
    // A DISABLE port: nobody can ever match.
    assert_eq!(
        severities("fail_policies_only.yaml"),
        pairs(&[("from-scheduler", "warning")])
    );
}
