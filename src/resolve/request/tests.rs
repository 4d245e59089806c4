//! Tests of resolve::request.
use super::*;
use crate::input::load::{LoadOptions, Loaded};

const BASE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: foo, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: foo}
spec:
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      containers: [{name: echo, image: x, ports: [{containerPort: 9000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: foo}
spec:
  selector: {app: echo}
  ports: [{name: http, port: 80, targetPort: 9000}, {name: tcp, port: 9000}]
"#;

fn analysis(policies: &str) -> Analysis {
    let text = format!("{BASE}---\n{policies}");
    let loaded = Loaded::from_text("t.yaml", &text, &LoadOptions::default());
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    Analysis::new(loaded, Some("latest".parse().unwrap()), None)
}

fn run(a: &Analysis, port: usize, method: &str) -> (Outcome, Vec<Stage>) {
    let si = a
        .inv
        .services
        .iter()
        .position(|s| s.name == "echo")
        .unwrap();
    let w = a.inv.services[si].workloads[0];
    let req = Request {
        method: method.into(),
        ..Request::default()
    };
    let rc = RequestContext {
        request: req,
        detail: Detail::Every,
        ..RequestContext::default()
    };
    let d = crate::resolve::decisions::Decisions::new(a);
    evaluate(&d, w, (si, port), 9000, &Peer::default(), &rc)
}

/// authz-semantics §3.1, §14.7: a matching CUSTOM rule delegates to the provider, whose
/// decision meshlint cannot know (assumed allow); AUDIT never changes the decision (§3.6).
#[test]
fn custom_is_delegated_and_audit_changes_nothing() {
    let a = analysis(
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: foo}\nspec:\n  action: CUSTOM\n  provider: {name: opa}\n  rules: [{to: [{operation: {paths: [\"/\"]}}]}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: audit, namespace: foo}\nspec:\n  action: AUDIT\n  rules: [{}]\n",
    );
    // The provider's answer is not in the inputs: the outcome depends on it (SPEC §3.5).
    let (o, stages) = run(&a, 0, "GET");
    assert_eq!(o, Outcome::Depends);
    assert_eq!(stages[0].stage, "custom");
    assert_eq!(stages[0].decision, "delegated");
    assert!(stages[0].detail.contains("opa"));
    assert!(stages.iter().any(|s| s.detail.contains("AUDIT")));
    assert_eq!(stages.last().unwrap().decision, "depends");
}

/// A DENY that matches decides whatever the provider says; several providers on one workload
/// make istiod deny every CUSTOM match (istio/istio 1.29.0 builder.go getBadCustomDenyRules).
#[test]
fn custom_depends_only_where_the_provider_decides() {
    let ext = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: foo}\nspec:\n  action: CUSTOM\n  provider: {name: opa}\n  rules: [{}]\n";
    let deny = format!(
        "{ext}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: no-get, namespace: foo}}\nspec:\n  action: DENY\n  rules: [{{to: [{{operation: {{methods: [GET]}}}}]}}]\n"
    );
    let a = analysis(&deny);
    assert_eq!(run(&a, 0, "GET").0, Outcome::Forbidden);
    assert_eq!(run(&a, 0, "POST").0, Outcome::Depends);
    let two = format!(
        "{ext}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: ext2, namespace: foo}}\nspec:\n  action: CUSTOM\n  provider: {{name: authz2}}\n  rules: [{{to: [{{operation: {{paths: [\"/admin\"]}}}}]}}]\n"
    );
    let (o, stages) = run(&analysis(&two), 0, "GET");
    assert_eq!(o, Outcome::Forbidden);
    assert!(
        stages[0].detail.contains("2 CUSTOM providers"),
        "{stages:?}"
    );
}

/// authz-semantics §7: DENY {methods: [GET]} rejects every TCP connection (the HTTP-only
/// field is removed), and only GET on the HTTP port.
#[test]
fn deny_widened_on_tcp() {
    let a = analysis(
        "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: no-get, namespace: foo}\nspec:\n  action: DENY\n  rules: [{to: [{operation: {methods: [GET]}}]}]\n",
    );
    assert_eq!(run(&a, 0, "GET").0, Outcome::Forbidden);
    assert_eq!(run(&a, 0, "POST").0, Outcome::Ok);
    assert_eq!(run(&a, 1, "POST").0, Outcome::Forbidden);
}

/// authz-semantics §3 "allow-nothing" and "allow-all": `spec: {}` denies; adding an ALLOW
/// `rules: [{}]` policy allows again (ALLOW policies are additive, §2.4).
#[test]
fn allow_nothing_and_allow_all() {
    let nothing = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: foo}\nspec: {}\n";
    assert_eq!(run(&analysis(nothing), 0, "GET").0, Outcome::Forbidden);
    let both = format!(
        "{nothing}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: allow-all, namespace: foo}}\nspec:\n  rules: [{{}}]\n"
    );
    assert_eq!(run(&analysis(&both), 0, "GET").0, Outcome::Ok);
}
