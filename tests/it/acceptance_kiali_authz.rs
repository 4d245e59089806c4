//! Acceptance: Kiali's `MtlsEnabledChecker` fixtures (KIA0105), run through meshlint's
//! `authz-requires-mtls` rule. Expectations are research/kiali-istiovet.md §3 (the KIA0105 table,
//! auto mTLS on and off), taken from Kiali's
//! `business/checkers/authorization/mtls_enabled_checker_test.go` and
//! `business/checkers/authorization/mtls_enabled_checker.go`.
//!
//! The inputs live in `/work/shared/acceptance/kiali/authorization` (`../shared/acceptance`
//! relative to this crate); when that directory is absent the tests print a note and pass.
//!
//! Each fixture runs alone, as in Kiali's harness (issue 13): the policy's selector implies an
//! injected workload behind a Service (`facts/implied.rs`), and meshlint judges what sidecar
//! clients send to it. Fixtures 18–22 also carry Kiali's harness Service without a name.
//!
//! Only findings that carry the KIA0105 code count: meshlint also reports PERMISSIVE ports
//! where sidecar clients do send mTLS (callers without a sidecar have no identity), without the
//! Kiali code, because Kiali is silent there.

use crate::acceptance_dir;

use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::load::{LoadOptions, Loaded};
use meshlint::model::istio::mesh::MeshConfig;

const PRINCIPALS: &str = "spec.rules[0].from[0].source.principals";

/// Runs `authz-requires-mtls` on one Kiali fixture alone with auto mTLS on or off,
/// and returns `"Kind ns/name field"` for every finding carrying KIA0105, sorted.
fn kia0105(fixture: &str, auto_mtls: bool) -> Option<Vec<String>> {
    let path = acceptance_dir()?.join("kiali/authorization").join(fixture);
    let text = std::fs::read_to_string(&path).unwrap();
    let loaded = Loaded::from_text(&path.to_string_lossy(), &text, &LoadOptions::default());
    // Fixtures 18–22 carry Kiali's harness Service without `metadata.name` (Kiali builds it
    // in Go); meshlint reports it as a load issue and skips it. Nothing else may fail to load.
    assert!(
        loaded
            .issues
            .iter()
            .all(|i| i.message.contains("has no `metadata.name`")),
        "{fixture}: {:?}",
        loaded.issues
    );
    let mesh = MeshConfig {
        enable_auto_mtls: Some(auto_mtls),
        ..MeshConfig::default()
    };
    let analysis = Analysis::new(loaded, Some("latest".parse().unwrap()), Some(mesh));
    let settings = Settings {
        select: vec!["authz-requires-mtls".to_owned()],
        ..Settings::default()
    };
    let mut got: Vec<String> = engine::run(&analysis, &settings)
        .findings
        .iter()
        .filter(|f| f.kiali_codes.contains(&"KIA0105"))
        .map(|f| {
            let r = f
                .resource
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default();
            let field = f
                .location
                .as_ref()
                .map(|l| l.field.clone())
                .unwrap_or_default();
            format!("{r} {field}")
        })
        .collect();
    got.sort();
    Some(got)
}

fn on_policy(fields: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = fields
        .iter()
        .map(|f| format!("AuthorizationPolicy bookinfo/policy {f}"))
        .collect();
    v.sort();
    v
}

/// Asserts the KIA0105 findings of `fixture` with auto mTLS on and off; `None` = Kiali has no
/// test for that setting.
fn expect(fixture: &str, on: Option<&[&str]>, off: Option<&[&str]>) {
    for (auto, want) in [(true, on), (false, off)] {
        let Some(want) = want else { continue };
        let Some(got) = kia0105(fixture, auto) else {
            return;
        };
        assert_eq!(
            got,
            on_policy(want),
            "{fixture} with auto mTLS {}",
            if auto { "on" } else { "off" }
        );
    }
}

const NONE: &[&str] = &[];
const P: &[&str] = &[PRINCIPALS];

// research/kiali-istiovet.md §3 row `mtls_enabled_checker_1`: AP with principals, no PA or DR.
// Auto mTLS on: sidecars send mTLS to the PERMISSIVE default, only non-mesh callers are
// plaintext (no KIA0105). Off: sidecars send plaintext.
#[test]
fn mtls_enabled_checker_1() {
    expect("mtls_enabled_checker_1.yaml", Some(NONE), Some(P));
}

// §3 row `_3`: namespace PA PERMISSIVE.
#[test]
fn mtls_enabled_checker_3() {
    expect("mtls_enabled_checker_3.yaml", Some(NONE), Some(P));
}

// §3 rows `_4` / `_5`: namespace PA STRICT / PERMISSIVE plus namespace DR ISTIO_MUTUAL.
#[test]
fn mtls_enabled_checker_4_and_5() {
    expect("mtls_enabled_checker_4.yaml", Some(NONE), Some(NONE));
    expect("mtls_enabled_checker_5.yaml", Some(NONE), Some(NONE));
}

// §3 rows `_7` / `_71`: namespace PA DISABLE (71: AP without rules never fires).
#[test]
fn mtls_enabled_checker_7_and_71() {
    expect("mtls_enabled_checker_7.yaml", Some(P), Some(P));
    expect("mtls_enabled_checker_71.yaml", Some(NONE), Some(NONE));
}

// §3 row `_8`: namespace DR DISABLE: sidecar clients send plaintext to a PERMISSIVE port.
#[test]
fn mtls_enabled_checker_8() {
    expect("mtls_enabled_checker_8.yaml", Some(P), Some(P));
}

// §3 row `_9`: mesh PA DISABLE.
#[test]
fn mtls_enabled_checker_9() {
    expect("mtls_enabled_checker_9.yaml", Some(P), Some(P));
}

// §3 rows `_10` / `_101`: mesh DR `*.local` DISABLE (101: AP without rules).
#[test]
fn mtls_enabled_checker_10_and_101() {
    expect("mtls_enabled_checker_10.yaml", Some(P), Some(P));
    expect("mtls_enabled_checker_101.yaml", Some(NONE), Some(NONE));
}

// §3 row `_11`: mesh PA PERMISSIVE.
#[test]
fn mtls_enabled_checker_11() {
    expect("mtls_enabled_checker_11.yaml", Some(NONE), Some(P));
}

// §3 rows `_13` / `_14`: mesh PA PERMISSIVE / STRICT plus mesh DR ISTIO_MUTUAL.
#[test]
fn mtls_enabled_checker_13_and_14() {
    expect("mtls_enabled_checker_13.yaml", Some(NONE), Some(NONE));
    expect("mtls_enabled_checker_14.yaml", Some(NONE), Some(NONE));
}

// §3 row `_16`: mesh PA PERMISSIVE and mesh DR mTLS, namespace DR DISABLE: sidecar clients in
// bookinfo send plaintext.
#[test]
fn mtls_enabled_checker_16() {
    expect("mtls_enabled_checker_16.yaml", Some(P), Some(P));
}

// §3 row `_17`: namespace DR DISABLE, nothing at mesh level.
#[test]
fn mtls_enabled_checker_17() {
    expect("mtls_enabled_checker_17.yaml", Some(P), Some(P));
}

// §3 row `_18`: workload PA STRICT on ratings (DENY AP): nothing.
#[test]
fn mtls_enabled_checker_18() {
    expect("mtls_enabled_checker_18.yaml", Some(NONE), Some(NONE));
}

// §3 row `_19`: workload PA DISABLE (and DR DISABLE) under namespace STRICT; Kiali tests auto
// mTLS off only. meshlint also fires with it on (the port is DISABLE either way).
#[test]
fn mtls_enabled_checker_19() {
    expect("mtls_enabled_checker_19.yaml", Some(P), Some(P));
}

// §3 row `_20`: namespace STRICT, workload PA DISABLE, no DR; Kiali tests auto mTLS on only.
#[test]
fn mtls_enabled_checker_20() {
    expect("mtls_enabled_checker_20.yaml", Some(P), Some(P));
}

// §3 row `_21`: workload PA PERMISSIVE plus DR ratings ISTIO_MUTUAL: sidecars send mTLS (the
// DENY rule is still reported as a plaintext bypass for non-mesh callers, without KIA0105).
#[test]
fn mtls_enabled_checker_21() {
    expect("mtls_enabled_checker_21.yaml", Some(NONE), Some(NONE));
}

// §3 row `_22`: workload PA PERMISSIVE plus DR ratings DISABLE.
#[test]
fn mtls_enabled_checker_22() {
    expect("mtls_enabled_checker_22.yaml", Some(P), Some(P));
}

// §3 row `_23` (kiali/kiali#10235): mesh PERMISSIVE only, AP `source.namespaces`.
#[test]
fn mtls_enabled_checker_23() {
    let ns: &[&str] = &["spec.rules[0].from[0].source.namespaces"];
    expect("mtls_enabled_checker_23.yaml", Some(NONE), Some(ns));
}

// §3 row `authz_policy_requires_mtls` (Kiali's `needsMtls` table): policies 0,1,3,4,5,8,9 use
// fields that need mTLS, 2,6,7,10 do not. Run with auto mTLS off, no PA: every port of the
// selected workload is PERMISSIVE and sidecars send plaintext, so each mTLS field is reported.
#[test]
fn authz_policy_requires_mtls_fields() {
    let Some(got) = kia0105("authz_policy_requires_mtls.yaml", false) else {
        return;
    };
    let mut policies: Vec<String> = got
        .iter()
        .map(|s| s.split_whitespace().nth(1).unwrap().to_owned())
        .collect();
    policies.dedup();
    let want: Vec<String> = [0, 1, 3, 4, 5, 8, 9]
        .iter()
        .map(|i| format!("bookinfo/policy-{i}"))
        .collect();
    assert_eq!(policies, want, "{got:#?}");
}

// ---------------------------------------------------------------- divergences
// Each follows Istio (research/authz-semantics.md §6, §11; SPEC §3.2–3.5) where Kiali's
// `IsMtlsEnabledFor` (kiali-istiovet.md §1.3 step 2, §1.4 "auto-mTLS handling is
// inconsistent", "no effective-policy evaluation") reads the PA/DR pair instead of the
// resolved connection.

// `_2` (§3: namespace PA STRICT, auto mTLS off → Kiali KIA0105). Under STRICT every request that
// reaches the authorization filter came over mTLS and carries an identity; the plaintext
// sidecar clients are reset at the handshake, which is `mtls-mode-conflict`'s finding, not an
// identity problem. meshlint: no KIA0105.
#[test]
fn kiali_divergence_mtls_enabled_checker_2() {
    expect("mtls_enabled_checker_2.yaml", Some(NONE), Some(NONE));
}

// `_6` (§3: namespace DR ISTIO_MUTUAL only, auto mTLS off → Kiali KIA0105). With no PA the server
// is PERMISSIVE (Istio ≥ 1.5 default) and the DR makes every sidecar client send ISTIO_MUTUAL, so
// in-mesh requests carry an identity. Kiali requires an enabling PA as well. meshlint reports only
// the non-mesh plaintext callers, without KIA0105.
#[test]
fn kiali_divergence_mtls_enabled_checker_6() {
    expect("mtls_enabled_checker_6.yaml", Some(NONE), Some(NONE));
}

// `_12` (§3: mesh DR `*.local` ISTIO_MUTUAL only, auto mTLS off → Kiali KIA0105): same reasoning
// as `_6` at mesh level.
#[test]
fn kiali_divergence_mtls_enabled_checker_12() {
    expect("mtls_enabled_checker_12.yaml", Some(NONE), Some(NONE));
}

// `_15` (§3: mesh PA STRICT plus mesh DR mTLS, namespace DR DISABLE → Kiali KIA0105 on and off).
// The server is STRICT: bookinfo's sidecars sending plaintext are reset (503) before any
// policy runs — an mTLS conflict (`mtls-mode-conflict`), not an identity bypass.
#[test]
fn kiali_divergence_mtls_enabled_checker_15() {
    expect("mtls_enabled_checker_15.yaml", Some(NONE), Some(NONE));
}
