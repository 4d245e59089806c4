//! One test per Istio webhook rule; each cites the Istio source it follows.

use std::sync::Arc;

use super::*;
use crate::input::load::{LoadOptions, load_text};

/// Paths of the violations of the single object in `yaml`, at the latest release.
fn paths(yaml: &str) -> Vec<String> {
    paths_at(yaml, "latest")
}

/// Paths of the violations of the single object in `yaml` at Istio `version`.
fn paths_at(yaml: &str, version: &str) -> Vec<String> {
    messages_at(yaml, version)
        .into_iter()
        .map(|v| v.path)
        .collect()
}

/// The violations of the single object in `yaml` at Istio `version`.
fn messages_at(yaml: &str, version: &str) -> Vec<Violation> {
    use crate::version::VersionSource;
    let (objs, issues, _) = load_text(&Arc::from("t.yaml"), yaml, &LoadOptions::default());
    assert!(issues.is_empty(), "{issues:?}");
    assert_eq!(objs.len(), 1);
    let profile = Profile::new(version.parse().unwrap(), VersionSource::Flag);
    violations(&objs[0], &profile)
}

fn pa(spec: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {{name: p, namespace: foo}}\nspec:\n{spec}"
    )
}
fn ra(spec: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata: {{name: r, namespace: foo}}\nspec:\n{spec}"
    )
}
fn ap(spec: &str) -> String {
    format!(
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: a, namespace: foo}}\nspec:\n{spec}"
    )
}
fn dr(spec: &str) -> String {
    format!(
        "apiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata: {{name: d, namespace: foo}}\nspec:\n{spec}"
    )
}
fn policy(spec: &str) -> String {
    format!(
        "apiVersion: authentication.istio.io/v1alpha1\nkind: Policy\nmetadata: {{name: p, namespace: foo}}\nspec:\n{spec}"
    )
}

// validation.go ValidatePeerAuthentication: "mesh/namespace peer authentication cannot have
// port level mTLS".
#[test]
fn validate_peer_authentication_port_level_needs_selector() {
    assert_eq!(
        paths(&pa("  portLevelMtls:\n    80: {mode: STRICT}\n")),
        ["spec.portLevelMtls"]
    );
    assert!(
        paths(&pa(
            "  selector: {matchLabels: {app: a}}\n  portLevelMtls:\n    80: {mode: STRICT}\n"
        ))
        .is_empty()
    );
}

// validation.go ValidatePeerAuthentication: "port level mTLS, if defined, must have at least
// one element" and "port must be in range 1..65535".
#[test]
fn validate_peer_authentication_port_level_entries() {
    let sel = "  selector: {matchLabels: {app: a}}\n";
    assert_eq!(
        paths(&pa(&format!("{sel}  portLevelMtls: {{}}\n"))),
        ["spec.portLevelMtls"]
    );
    assert_eq!(
        paths(&pa(&format!(
            "{sel}  portLevelMtls:\n    0: {{mode: STRICT}}\n    65536: {{mode: STRICT}}\n"
        ))),
        ["spec.portLevelMtls.0", "spec.portLevelMtls.65536"]
    );
}

// validation.go validateWorkloadSelector: no empty keys, no wildcards.
#[test]
fn validate_workload_selector() {
    assert_eq!(
        paths(&pa("  selector: {matchLabels: {app: \"*\"}}\n")),
        ["spec.selector.matchLabels.app"]
    );
    assert_eq!(
        paths(&pa(
            "  selector: {matchLabels: {app.kubernetes.io/name: \"a*\"}}\n"
        )),
        ["spec.selector.matchLabels[\"app.kubernetes.io/name\"]"]
    );
}

// validation.go validateJwtRule: "issuer must be set" (current Istio requires issuer even with
// jwksUri), non-empty audiences and token locations.
#[test]
fn validate_jwt_rule_issuer_and_locations() {
    let rule = ra(
        "  jwtRules:\n  - jwksUri: https://x/jwks\n    audiences: [\"\"]\n    fromHeaders: [{name: \"\"}]\n    fromParams: [\"\"]\n    fromCookies: [\"\"]\n",
    );
    // Without issuer: an error until 1.26, valid with jwksUri from 1.27
    // (releasenotes/notes/14400-optional-jwt-issuer.yaml).
    assert_eq!(paths_at(&rule, "1.26")[0], "spec.jwtRules[0]");
    assert_eq!(
        paths(&rule),
        [
            "spec.jwtRules[0].audiences[0]",
            "spec.jwtRules[0].fromHeaders[0].name",
            "spec.jwtRules[0].fromParams[0]",
            "spec.jwtRules[0].fromCookies[0]",
        ]
    );
}

// security.go ParseJwksURI: http or https only.
#[test]
fn parse_jwks_uri() {
    assert!(jwks_uri_error("https://issuer.example.com:8443/jwks").is_none());
    assert!(jwks_uri_error("HTTP://issuer/jwks").is_none());
    assert!(jwks_uri_error("ftp://issuer/jwks").is_some());
    assert!(jwks_uri_error("issuer.example.com/jwks").is_some());
    assert!(jwks_uri_error("https://issuer:abc/jwks").is_some());
}

// validation.go validateJwtRule: jwk.Parse of inline jwks.
#[test]
fn validate_jwt_rule_jwks_parses() {
    assert!(jwks_error(r#"{"keys":[{"kty":"RSA","n":"abc","e":"AQAB"}]}"#).is_none());
    assert!(jwks_error(r#"{"kty":"EC","crv":"P-256","x":"a","y":"b"}"#).is_none());
    assert!(jwks_error("not json").is_some());
    assert!(jwks_error(r#"{"keys":{}}"#).is_some());
    assert!(jwks_error(r#"{"keys":[{"n":"abc"}]}"#).is_some());
    assert!(jwks_error(r#"{"keys":[{"kty":"RSA","n":"abc"}]}"#).is_some());
}

// validation.go validateJwtRule: outputClaimToHeaders and agent.ValidateDuration on timeout.
#[test]
fn validate_jwt_rule_claims_and_timeout() {
    assert_eq!(
        paths(&ra(
            "  jwtRules:\n  - issuer: i\n    outputClaimToHeaders: [{header: \"a b\", claim: c}, {header: h, claim: \"\"}]\n    timeout: 1.5ms500us\n"
        )),
        [
            "spec.jwtRules[0].outputClaimToHeaders[0].header",
            "spec.jwtRules[0].outputClaimToHeaders[1]",
        ]
    );
    assert!(duration_error("5s").is_none());
    assert!(duration_error("1m30s").is_none());
    assert!(duration_error("500us").is_some());
    assert!(duration_error("1500us").is_some());
    assert!(duration_error("five").is_some());
}

// validation.go validateOneOfSelectorType and validatePolicyTargetReference.
#[test]
fn validate_one_of_selector_type_and_target_refs() {
    assert_eq!(
        paths(&ra(
            "  selector: {matchLabels: {app: a}}\n  targetRefs:\n  - {kind: Gateway, group: gateway.networking.k8s.io, name: g}\n"
        )),
        ["spec.targetRefs"]
    );
    assert_eq!(
        paths(&ra(
            "  targetRef: {kind: Service, name: s, namespace: bar}\n"
        )),
        ["spec.targetRef.namespace"]
    );
    assert_eq!(
        paths(&ra("  targetRef: {kind: Pod, name: s}\n")),
        ["spec.targetRef.kind"]
    );
}

// validation.go ValidateDestinationRule: agent.ValidateWildcardDomain(host).
#[test]
fn validate_destination_rule_host() {
    assert_eq!(paths(&dr("  subsets: [{name: v1}]\n")), ["spec.host"]);
    assert_eq!(paths(&dr("  host: \"bad_host\"\n")), ["spec.host"]);
    assert!(paths(&dr("  host: \"*.example.com\"\n")).is_empty());
    assert!(paths(&dr("  host: reviews\n")).is_empty());
}

// agent/validation.go ValidateTLS: MUTUAL needs client cert and key unless credentialName;
// credentialName excludes file certificates.
#[test]
fn validate_tls() {
    assert_eq!(
        paths(&dr(
            "  host: h\n  trafficPolicy:\n    tls: {mode: MUTUAL}\n"
        )),
        ["spec.trafficPolicy.tls.mode", "spec.trafficPolicy.tls.mode"]
    );
    assert!(
        paths(&dr(
            "  host: h\n  trafficPolicy:\n    tls: {mode: MUTUAL, credentialName: c}\n"
        ))
        .is_empty()
    );
    assert_eq!(
        paths(&dr(
            "  host: h\n  trafficPolicy:\n    tls: {mode: SIMPLE, credentialName: c, caCertificates: /ca}\n"
        )),
        ["spec.trafficPolicy.tls.credentialName"]
    );
    assert_eq!(
        paths(&dr(
            "  host: h\n  trafficPolicy:\n    tls: {mode: SIMPLE, insecureSkipVerify: true, subjectAltNames: [a]}\n"
        )),
        ["spec.trafficPolicy.tls.insecureSkipVerify"]
    );
}

// validation.go validateTrafficPolicy / validatePortTrafficPolicies.
#[test]
fn validate_port_traffic_policies() {
    assert_eq!(
        paths(&dr(
            "  host: h\n  trafficPolicy:\n    portLevelSettings:\n    - tls: {mode: ISTIO_MUTUAL}\n    - port: {number: 80}\n"
        )),
        [
            "spec.trafficPolicy.portLevelSettings[0]",
            "spec.trafficPolicy.portLevelSettings[1]",
        ]
    );
    assert_eq!(
        paths(&dr("  host: h\n  trafficPolicy: {}\n")),
        ["spec.trafficPolicy"]
    );
}

// validation.go ValidateDestinationRule: "duplicate subset names" and validateSubsetName.
#[test]
fn validate_subset_name() {
    assert_eq!(
        paths(&dr(
            "  host: h\n  subsets:\n  - name: v1\n  - name: v1\n  - labels: {a: b}\n  - name: a.b\n"
        )),
        [
            "spec.subsets[1].name",
            "spec.subsets[2]",
            "spec.subsets[3].name"
        ]
    );
}

// validation.go ValidateAuthorizationPolicy: CUSTOM needs rules and provider.name, provider
// only with CUSTOM, DENY needs rules; ALLOW without rules is valid.
#[test]
fn validate_authorization_policy_action() {
    assert!(paths(&ap("  action: ALLOW\n")).is_empty());
    assert_eq!(paths(&ap("  action: DENY\n")), ["spec.action"]);
    assert_eq!(
        paths(&ap("  action: CUSTOM\n  provider: {name: x}\n")),
        ["spec.action"]
    );
    assert_eq!(
        paths(&ap("  action: CUSTOM\n  rules: [{}]\n")),
        ["spec.action"]
    );
    assert_eq!(
        paths(&ap(
            "  action: AUDIT\n  provider: {name: x}\n  rules: [{}]\n"
        )),
        ["spec.provider"]
    );
}

// validation.go ValidateAuthorizationPolicy: empty from/to, nil source/operation, empty
// source/operation.
#[test]
fn validate_authorization_policy_empty_parts() {
    assert_eq!(
        paths(&ap(
            "  rules:\n  - from: []\n    to: []\n  - from: [{}, {source: {}}]\n    to: [{}, {operation: {}}]\n"
        )),
        [
            "spec.rules[0].from",
            "spec.rules[0].to",
            "spec.rules[1].from[0]",
            "spec.rules[1].from[1].source",
            "spec.rules[1].to[0]",
            "spec.rules[1].to[1].operation",
        ]
    );
}

// security.go ValidateIPs / ValidatePorts / CheckEmptyValues.
#[test]
fn validate_ips_ports_and_empty_values() {
    assert_eq!(
        paths(&ap(
            "  rules:\n  - from: [{source: {ipBlocks: [1.2.3.4, 1.2.3.0/24, \"::1\", 1.2.3.4/40, \"1.2.*\", \"\"]}}]\n    to: [{operation: {ports: [\"0\", \"65535\", \"65536\", \"x\"]}}]\n"
        )),
        [
            "spec.rules[0].from[0].source.ipBlocks[5]",
            "spec.rules[0].from[0].source.ipBlocks[3]",
            "spec.rules[0].from[0].source.ipBlocks[4]",
            "spec.rules[0].to[0].operation.ports[2]",
            "spec.rules[0].to[0].operation.ports[3]",
        ]
    );
}

// security.go CheckValidPathTemplate.
#[test]
fn check_valid_path_template() {
    let bad = [
        "/a/{*}/{b}",
        "/a/{*}/{}",
        "/a/{x=*}/{**}",
        "/{*}/*",
        "/{**}/b*/",
    ];
    for p in bad {
        let got = paths(&ap(&format!(
            "  rules:\n  - to: [{{operation: {{paths: [\"{p}\"]}}}}]\n"
        )));
        assert_eq!(got, ["spec.rules[0].to[0].operation.paths[0]"], "{p}");
    }
    for p in ["/a/{*}/b", "/a/{**}", "/a/*", "*/b", "/a/{*}/b/{**}"] {
        let got = paths(&ap(&format!(
            "  rules:\n  - to: [{{operation: {{paths: [\"{p}\"]}}}}]\n"
        )));
        assert!(got.is_empty(), "{p}: {got:?}");
    }
}

// security.go ValidateAttribute and ValidateAuthorizationPolicy's when checks.
#[test]
fn validate_attribute() {
    assert_eq!(
        paths(&ap(
            "  rules:\n  - when:\n    - {key: \"request.headers[x]\", values: [a]}\n    - {key: destination.namespace, values: [a]}\n    - {key: source.ip}\n    - {key: remote.ip, notValues: [bad]}\n    - {key: \"request.auth.claims[a][b]\", values: [x]}\n    - {key: foo.bar, values: [x]}\n"
        )),
        [
            "spec.rules[0].when[1].key",
            "spec.rules[0].when[2]",
            "spec.rules[0].when[3].notValues[0]",
            "spec.rules[0].when[5].key",
        ]
    );
}

// validation.go ValidateAuthorizationPolicy CUSTOM restrictions; security.go
// CheckServiceAccount (research/authz-semantics.md §3, §5).
#[test]
fn validate_custom_and_service_accounts() {
    assert_eq!(
        paths(&ap(
            "  action: CUSTOM\n  provider: {name: x}\n  rules:\n  - from: [{source: {namespaces: [a], ipBlocks: [1.2.3.4]}}]\n    when: [{key: source.principal, values: [a]}]\n"
        )),
        [
            "spec.rules[0].from[0].source.namespaces",
            "spec.rules[0].when[0].key"
        ]
    );
    assert_eq!(
        paths(&ap(
            "  rules:\n  - from: [{source: {serviceAccounts: [a, \"b*\"], principals: [p]}}]\n"
        )),
        [
            "spec.rules[0].from[0].source.principals",
            "spec.rules[0].from[0].source.serviceAccounts[1]",
        ]
    );
}

// validation.go checkDryRunAnnotation.
#[test]
fn check_dry_run_annotation() {
    let with = |kind: &str, ann: &str, spec: &str| {
        format!(
            "apiVersion: security.istio.io/v1\nkind: {kind}\nmetadata:\n  name: a\n  namespace: foo\n  annotations: {{istio.io/dry-run: \"{ann}\"}}\nspec:\n{spec}"
        )
    };
    assert!(
        paths(&with(
            "AuthorizationPolicy",
            "true",
            "  action: DENY\n  rules: [{}]\n"
        ))
        .is_empty()
    );
    let path = ["metadata.annotations[\"istio.io/dry-run\"]"];
    assert_eq!(
        paths(&with("AuthorizationPolicy", "maybe", "  rules: [{}]\n")),
        path
    );
    assert_eq!(
        paths(&with(
            "AuthorizationPolicy",
            "true",
            "  action: AUDIT\n  rules: [{}]\n"
        )),
        path
    );
    assert_eq!(
        paths(&with(
            "PeerAuthentication",
            "true",
            "  mtls: {mode: STRICT}\n"
        )),
        path
    );
}

// validation.go (release-1.5) ValidateAuthenticationPolicy: target names, port selectors,
// peer methods and validateJwt.
#[test]
fn validate_authentication_policy() {
    assert_eq!(
        paths(&policy(
            "  targets:\n  - name: \"\"\n  - name: web\n    ports: [{}, {number: 80}, {name: http}]\n  peers:\n  - mtls: {}\n    jwt: {issuer: i}\n  - {}\n  - jwt: {jwksUri: \"ftp://x\"}\n"
        )),
        [
            "spec.targets[0].name",
            "spec.targets[1].ports[0]",
            "spec.peers[0]",
            "spec.peers[1]",
            "spec.peers[2].jwt",
            "spec.peers[2].jwt.jwksUri",
        ]
    );
}

#[test]
fn ip_and_domain_helpers() {
    assert!(ip_or_cidr_error("10.0.0.0/8").is_none());
    assert!(ip_or_cidr_error("2001:db8::/129").is_some());
    assert!(ip_or_cidr_error("10.0.0.0/").is_some());
    assert!(wildcard_domain_error("*").is_none());
    assert!(wildcard_domain_error("10.0.0.1").is_some());
    assert!(wildcard_domain_error("example.com.").is_none());
}

/// The CRD's limits (issue 10): `rules` and `from` at most 512 items (istio/api release-1.25
/// authorization_policy.proto), `jwksUri` at most 2048 characters (release-1.23
/// request_authentication.proto); not checked before those releases.
#[test]
fn crd_item_and_length_limits() {
    let rules = "  rules:\n".to_owned() + &"  - {}\n".repeat(513);
    let ap = format!(
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p, namespace: foo}}\nspec:\n{rules}"
    );
    assert_eq!(paths(&ap), ["spec.rules"]);
    assert!(paths_at(&ap, "1.24").is_empty());
    let from =
        "  rules:\n  - from:\n".to_owned() + &"    - source: {namespaces: [a]}\n".repeat(513);
    let ap = format!(
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: p, namespace: foo}}\nspec:\n{from}"
    );
    assert_eq!(paths(&ap), ["spec.rules[0].from"]);
    let long = format!("https://keys.example/{}", "a".repeat(2048));
    let rule = ra(&format!(
        "  jwtRules:\n  - issuer: x\n    jwksUri: {long}\n"
    ));
    assert_eq!(paths(&rule), ["spec.jwtRules[0].jwksUri"]);
    assert!(paths_at(&rule, "1.22").is_empty());
    let m = messages_at(&rule, "latest");
    assert!(m[0].message.contains("2048"), "{m:?}");
}
