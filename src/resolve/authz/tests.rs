//! Tests of AuthorizationPolicy scope and matching.
use super::*;
use crate::model::istio::security::{From, To};

fn peer(mtls: bool, principal: &str) -> Peer {
    Peer {
        mtls,
        principal: (!principal.is_empty()).then(|| principal.to_owned()),
        namespace: None,
        ip: Some("10.1.2.3".into()),
        gateway: false,
    }
}

fn req(method: &str, path: &str) -> Request {
    Request {
        method: method.into(),
        path: path.into(),
        host: Some("httpbin.foo:8000".into()),
        headers: vec![("x-token".into(), "abc".into())],
        token: None,
        source_ip: None,
    }
}

fn ctx<'a>(p: &'a Peer, r: &'a Request) -> Ctx<'a> {
    Ctx {
        peer: p,
        req: r,
        path: normalize_path(&r.path),
        http: true,
        ztunnel: None,
        remote_ip: None,
        remote_any: false,
        ip_assumption: None,
        target_port: 80,
        auth: None,
        space_delimited: Vec::new(),
        trust_domains: vec!["cluster.local".to_owned()].into(),
        trust_domains_enforced: true,
        escaped: Escaped::default(),
    }
}

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_owned()).collect()
}

fn analysis(text: &str) -> Analysis {
    use crate::input::load::{LoadOptions, Loaded};
    let loaded = Loaded::from_text("t.yaml", text, &LoadOptions::default());
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    Analysis::new(loaded, Some("1.24".parse().unwrap()), None)
}

fn mesh(ns_labels: &str, svc_labels: &str, pod_labels: &str) -> Analysis {
    analysis(&format!(
        "apiVersion: v1\nkind: Namespace\nmetadata: {{name: foo, labels: {{istio.io/dataplane-mode: ambient{ns_labels}}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: wp, namespace: foo, labels: {{gateway.networking.k8s.io/gateway-name: waypoint}}}}\nspec:\n  serviceAccountName: waypoint\n  containers: [{{name: istio-proxy, image: x}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: echo, namespace: foo, labels: {{app: echo{pod_labels}}}}}\nspec:\n  containers: [{{name: echo, image: x}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: echo, namespace: foo, labels: {{x: y{svc_labels}}}}}\nspec:\n  selector: {{app: echo}}\n  ports: [{{name: http, port: 80}}]\n"
    ))
}

fn echo(a: &Analysis) -> (&ServiceInfo, usize) {
    let s = a.inv.services.iter().find(|s| s.name == "echo").unwrap();
    (s, s.workloads[0])
}

fn tref(kind: &str, group: &str, name: &str) -> TargetRef {
    TargetRef {
        group: group.into(),
        kind: kind.into(),
        name: name.into(),
        namespace: String::new(),
    }
}

/// istio-semantics §9: `istio.io/use-waypoint` on the pod beats the Service beats the
/// namespace; `none` opts out at its level; the waypoint's workload is found by its
/// gateway-name label.
#[test]
fn waypoint_enrollment_precedence() {
    let a = mesh(", istio.io/use-waypoint: waypoint", "", "");
    let (s, w) = echo(&a);
    let wp = waypoint_for(&a, s, w).unwrap();
    assert_eq!(
        (wp.name.as_str(), wp.namespace.as_str()),
        ("waypoint", "foo")
    );
    assert!(wp.by.starts_with("namespace"));
    let ww = wp.workload.expect("waypoint workload");
    assert_eq!(a.inv.workloads[ww].name, "wp");
    assert_eq!(wp.service_account(&a), "waypoint");

    let a = mesh(
        ", istio.io/use-waypoint: waypoint",
        ", istio.io/use-waypoint: none",
        "",
    );
    let (s, w) = echo(&a);
    assert_eq!(waypoint_for(&a, s, w), None);

    let a = mesh(
        ", istio.io/use-waypoint: waypoint",
        ", istio.io/use-waypoint: svc-wp",
        ", istio.io/use-waypoint: pod-wp",
    );
    let (s, w) = echo(&a);
    let wp = waypoint_for(&a, s, w).unwrap();
    assert_eq!(wp.name, "pod-wp");
    assert_eq!(wp.workload, None);
    assert_eq!(wp.service_account(&a), "pod-wp");

    let a = mesh("", ", istio.io/use-waypoint: svc-wp", "");
    let (s, w) = echo(&a);
    assert_eq!(waypoint_for(&a, s, w).unwrap().name, "svc-wp");

    let a = mesh("", "", "");
    let (s, w) = echo(&a);
    assert_eq!(waypoint_for(&a, s, w), None);
}

/// authz-semantics §2.3, §14.9: at a waypoint only targetRefs attach — `Service` (core group)
/// in the service's namespace, `Gateway` naming the waypoint, `GatewayClass istio-waypoint`
/// from the root namespace; selector policies and other namespaces never do; sidecars and
/// ztunnel ignore targetRef policies.
#[test]
fn waypoint_policy_scope() {
    let a = mesh(", istio.io/use-waypoint: waypoint", "", "");
    let (s, w) = echo(&a);
    let wp = waypoint_for(&a, s, w).unwrap();
    let at = |ns: &str, r: TargetRef| applies_at_waypoint(&a, ns, None, &[r], s, &wp);
    assert!(at("foo", tref("Service", "", "echo")));
    assert!(at("foo", tref("Service", "core", "echo")));
    assert!(!at("foo", tref("Service", "apps", "echo")));
    assert!(!at("foo", tref("Service", "", "other")));
    assert!(!at("bar", tref("Service", "", "echo")));
    assert!(!at("istio-system", tref("Service", "", "echo")));
    let mut other_ns = tref("Service", "", "echo");
    other_ns.namespace = "bar".into();
    assert!(!at("foo", other_ns));
    assert!(at(
        "foo",
        tref("Gateway", "gateway.networking.k8s.io", "waypoint")
    ));
    assert!(!at(
        "foo",
        tref("Gateway", "gateway.networking.k8s.io", "other")
    ));
    assert!(at("istio-system", tref("GatewayClass", "", WAYPOINT_CLASS)));
    assert!(!at("foo", tref("GatewayClass", "", WAYPOINT_CLASS)));
    assert!(!applies_at_waypoint(&a, "foo", None, &[], s, &wp));
    // The destination pod (ztunnel) ignores the Service targetRef; targets_service sees it.
    let refs = [tref("Service", "", "echo")];
    assert!(!applies_to(&a, "foo", None, None, &refs, w));
    assert!(targets_service(&a, "foo", None, &refs, s));
    assert!(!targets_service(
        &a,
        "foo",
        None,
        &[tref("Gateway", "", "waypoint")],
        s
    ));
}

/// authz-semantics §2.3: a ServiceEntry ref attaches when that ServiceEntry declares the
/// service's host.
#[test]
fn waypoint_service_entry_ref() {
    let a = analysis(
        "apiVersion: v1\nkind: Namespace\nmetadata: {name: foo, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: echo, namespace: foo, labels: {app: echo}}\nspec:\n  containers: [{name: echo, image: x}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: foo}\nspec:\n  selector: {app: echo}\n  ports: [{name: http, port: 80}]\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: echo-se, namespace: foo}\nspec:\n  hosts: [echo.foo.svc.cluster.local]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n",
    );
    let (s, w) = echo(&a);
    let wp = waypoint_for(&a, s, w).unwrap();
    let se = |name: &str| {
        applies_at_waypoint(
            &a,
            "foo",
            None,
            &[tref("ServiceEntry", "networking.istio.io", name)],
            s,
            &wp,
        )
    };
    assert!(se("echo-se"));
    assert!(!se("missing"));
}

/// §5 "String-matching common rules": exact, prefix, suffix, `*` = non-empty.
#[test]
fn string_match_forms() {
    assert!(match_string("/api", "/api"));
    assert!(match_string("/api*", "/api"));
    assert!(match_string("/api*", "/apix"));
    assert!(match_string("*.txt", "a.txt"));
    assert!(match_string("*", "x"));
    assert!(!match_string("*", ""));
    assert!(!match_string("/api/*", "/api"));
}

/// §5 principals + §6: identities only over mTLS; plaintext fails principals and passes
/// notPrincipals (TestAuthz_DenyPlaintext).
#[test]
fn principals_need_mtls() {
    let r = req("GET", "/");
    let m = peer(true, "cluster.local/ns/foo/sa/sleep");
    let p = peer(false, "cluster.local/ns/foo/sa/sleep");
    assert!(match_principal(
        &ctx(&m, &r),
        "cluster.local/ns/foo/sa/sleep"
    ));
    assert!(match_principal(&ctx(&m, &r), "*"));
    assert!(match_principal(&ctx(&m, &r), "*/sa/sleep"));
    assert!(!match_principal(&ctx(&p, &r), "*"));
    let src = Source {
        not_principals: s(&["*"]),
        ..Source::default()
    };
    assert!(source_matches(&ctx(&p, &r), "foo", &src));
    assert!(!source_matches(&ctx(&m, &r), "foo", &src));
}

/// §6 trust-domain aliases: `old-td/...` matches after migration only with the alias;
/// `cluster.local/...` always means the current domain.
#[test]
fn trust_domain_aliases() {
    let r = req("GET", "/");
    let m = peer(true, "new-td/ns/foo/sa/sleep");
    let mut c = ctx(&m, &r);
    c.trust_domains = s(&["new-td"]).into();
    assert!(!match_principal(&c, "old-td/ns/foo/sa/sleep"));
    assert!(match_principal(&c, "cluster.local/ns/foo/sa/sleep"));
    c.trust_domains = s(&["new-td", "old-td"]).into();
    assert!(match_principal(&c, "old-td/ns/foo/sa/sleep"));
    assert!(match_trust_domain(&c, "old-td"));
    assert!(match_trust_domain(&c, "*"));
}

/// An exact principal is compared without building its aliases: the answer equals matching
/// every alias, for identities and values in and out of the bundle.
#[test]
fn exact_principals_match_as_their_aliases_do() {
    let r = req("GET", "/");
    let bundles = [s(&["cluster.local"]), s(&["new-td", "old-td"]), Vec::new()];
    let ids = [
        "cluster.local/ns/foo/sa/sleep",
        "new-td/ns/foo/sa/sleep",
        "old-td/ns/foo/sa/sleep",
        "other/ns/foo/sa/sleep",
        "new-td/ns/bar/sa/sleep",
    ];
    let values = [
        "cluster.local/ns/foo/sa/sleep",
        "old-td/ns/foo/sa/sleep",
        "new-td/ns/foo/sa/sleep",
        "other/ns/foo/sa/sleep",
        "foo/sa/sleep",
        "new-td/ns/foo/sa/sleep/extra",
    ];
    for bundle in &bundles {
        for id in ids {
            let m = peer(true, id);
            let mut c = ctx(&m, &r);
            c.trust_domains = bundle.clone().into();
            for v in values {
                let by_aliases = expand_principal(v, bundle).iter().any(|a| a == id);
                assert_eq!(
                    match_principal(&c, v),
                    by_aliases,
                    "{v} vs {id} in {bundle:?}"
                );
            }
        }
    }
}

/// Aliases apply to `<td>/ns/<ns>/sa/<sa>` exactly, with `td` cluster.local or in the bundle
/// (research/authz-semantics.md §6).
#[test]
fn principals_expand_to_every_domain_of_the_bundle() {
    let bundle = s(&["new-td", "old-td"]);
    assert_eq!(
        expand_principal("old-td/ns/foo/sa/sleep", &bundle),
        ["new-td/ns/foo/sa/sleep", "old-td/ns/foo/sa/sleep"]
    );
    assert_eq!(
        expand_principal("cluster.local/ns/foo/sa/sleep", &bundle),
        ["new-td/ns/foo/sa/sleep", "old-td/ns/foo/sa/sleep"]
    );
    for itself in [
        "other/ns/foo/sa/sleep",
        "old-td/ns/foo/sa/sleep/extra",
        "old-td/ns/foo/sa",
        "old-td/sa/foo/ns/sleep",
        "foo/sa/sleep",
        "*",
    ] {
        assert_eq!(expand_principal(itself, &bundle), [itself], "{itself}");
    }
    assert_eq!(
        expand_principal("old-td/ns/foo/sa/sleep", &[]),
        ["old-td/ns/foo/sa/sleep"]
    );
}

/// §5 namespaces (regex on the identity, `*` anywhere) and serviceAccounts (`ns/sa` or
/// `sa` in the policy's namespace).
#[test]
fn namespaces_and_service_accounts() {
    let r = req("GET", "/");
    let m = peer(true, "cluster.local/ns/foo-prod/sa/sleep");
    let c = ctx(&m, &r);
    assert!(match_namespace(&c, "foo-prod"));
    assert!(match_namespace(&c, "foo-*"));
    assert!(match_namespace(&c, "*-prod"));
    assert!(!match_namespace(&c, "foo"));
    assert!(match_service_account(&c, "x", "foo-prod/sleep"));
    assert!(match_service_account(&c, "foo-prod", "sleep"));
    assert!(!match_service_account(&c, "bar", "sleep"));
}

/// Before the security fixes of the version table, istiod put the values into regexes raw:
/// `.` matched any character (istio/istio generator.go serviceAccountRegex before 1.29.2,
/// matcher/string.go and srcNamespaceGenerator before 1.29.3). The same policies with the fix
/// match exactly.
#[test]
fn unescaped_regexes_of_older_patches() {
    let r = req("GET", "/");
    let m = peer(true, "cluster.local/ns/fooXprod/sa/myXsa");
    let mut c = ctx(&m, &r);
    assert!(!match_service_account(&c, "x", "fooXprod/my.sa"));
    assert!(!match_namespace(&c, "foo.prod"));
    assert!(!match_principal(&c, "*/sa/my.sa"));
    c.escaped = Escaped {
        service_accounts: false,
        principals: false,
    };
    assert!(match_service_account(&c, "x", "fooXprod/my.sa"));
    assert!(match_namespace(&c, "foo.prod"));
    assert!(match_namespace(&c, "foo*"));
    assert!(match_principal(&c, "*/sa/my.sa"));
    // Plain values keep their meaning; a pattern RE2 refuses matches nothing.
    assert!(match_service_account(&c, "fooXprod", "myXsa"));
    assert!(!match_service_account(&c, "fooXprod", "other"));
    assert!(!match_namespace(&c, "foo["));
}

/// §5 requestPrincipals: split at the last `/`; `*` needs iss and sub.
#[test]
fn request_principals_forms() {
    let tok = Token::parse(include_str!("../../../testdata/request/valid.jwt")).unwrap();
    let nosub = Token::parse(include_str!("../../../testdata/request/no-sub.jwt")).unwrap();
    let r = req("GET", "/");
    let p = peer(false, "");
    let mut c = ctx(&p, &r);
    assert!(!match_request_principal(&c, "*"));
    c.auth = Some(&tok);
    assert!(match_request_principal(&c, "*"));
    assert!(match_request_principal(
        &c,
        "testing@secure.istio.io/testing@secure.istio.io"
    ));
    assert!(match_request_principal(&c, "testing@secure.istio.io/*"));
    assert!(match_request_principal(&c, "*/testing@secure.istio.io"));
    assert!(match_request_principal(&c, "testing@*"));
    assert!(!match_request_principal(&c, "other/*"));
    c.auth = Some(&nosub);
    assert!(!match_request_principal(&c, "*"));
}

/// §5 hosts: case-insensitive, the port is not stripped.
#[test]
fn hosts_keep_the_port() {
    let r = req("GET", "/");
    let p = peer(false, "");
    let c = ctx(&p, &r);
    assert!(!match_host(&c, "httpbin.foo"));
    assert!(match_host(&c, "HTTPBIN.foo:*"));
    assert!(match_host(&c, "httpbin.foo:8000"));
}

/// §5 ports (workload port, exact) and methods (case-sensitive).
#[test]
fn ports_and_methods() {
    let r = req("GET", "/");
    let p = peer(false, "");
    let c = ctx(&p, &r);
    assert!(match_port(&c, "80"));
    assert!(!match_port(&c, "8000"));
    assert!(match_method(&c, "GET"));
    assert!(!match_method(&c, "get"));
}

/// §9 normalization: query dropped, dot segments resolved, `\` → `/`, `%2F` kept.
#[test]
fn path_normalization() {
    assert_eq!(normalize_path("/foo?v=1"), "/foo");
    assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
    assert_eq!(normalize_path("/a\\b"), "/a/b");
    assert_eq!(normalize_path("/%61dmin"), "/admin");
    assert_eq!(normalize_path("/a%2Fb"), "/a%2Fb");
    assert_eq!(normalize_path("/a/.."), "/");
}

/// §9 templates, with the examples of the API reference.
#[test]
fn path_templates() {
    assert!(match_template("/foo/{*}", "/foo/bar"));
    assert!(!match_template("/foo/{*}", "/foo/bar/baz"));
    assert!(match_template("/foo/{**}/", "/foo/bar/"));
    assert!(match_template("/foo/{**}/", "/foo/bar/baz.txt"));
    assert!(match_template("/foo/{**}/", "/foo//"));
    assert!(!match_template("/foo/{**}/", "/foo/bar"));
    assert!(match_template("/foo/{*}/bar/{**}", "/foo/buzz/bar/"));
    assert!(match_template("/foo/{*}/bar/{**}", "/foo/buzz/bar/baz"));
}

/// §5 ipBlocks: CIDR containment.
#[test]
fn ip_blocks() {
    assert!(ip_in("10.0.0.0/8", "10.1.2.3"));
    assert!(ip_in("10.1.2.3", "10.1.2.3"));
    assert!(!ip_in("192.168.0.0/16", "10.1.2.3"));
    assert!(ip_in("::/0", "::1"));
}

/// §10 when keys: headers (case-insensitive names, `*` present), claims (nested, list,
/// space-delimited scope), absent attribute fails values and passes notValues.
#[test]
fn when_conditions() {
    let tok = Token::parse(include_str!("../../../testdata/request/groups.jwt")).unwrap();
    let r = req("GET", "/");
    let p = peer(false, "");
    let mut c = ctx(&p, &r);
    c.auth = Some(&tok);
    let cond = |k: &str, v: &[&str], n: &[&str]| Condition {
        key: k.into(),
        values: s(v),
        not_values: s(n),
    };
    let ok = |cd: Condition| condition_matches(&c, "foo", &cd).unwrap();
    assert!(ok(cond("request.headers[X-Token]", &["abc"], &[])));
    assert!(ok(cond("request.headers[x-token]", &["*"], &[])));
    assert!(!ok(cond("request.headers[x-missing]", &["*"], &[])));
    assert!(ok(cond("request.headers[x-missing]", &[], &["x"])));
    assert!(ok(cond("request.auth.claims[groups]", &["group1"], &[])));
    assert!(ok(cond("request.auth.claims[scope]", &["scope2"], &[])));
    assert!(ok(cond(
        "request.auth.claims[nested][key1]",
        &["valueB"],
        &[]
    )));
    assert!(!ok(cond("request.auth.claims[missing]", &["x"], &[])));
    assert!(ok(cond(
        "request.auth.audiences",
        &["app.example.com"],
        &[]
    )));
    assert!(ok(cond("destination.port", &["80"], &[])));
    assert!(condition_matches(&c, "foo", &cond("destination.labels[app]", &["x"], &[])).is_err());
}

/// §4: values ORed within a field, fields ANDed, `from` alternatives ORed, `{}` matches all.
#[test]
fn rule_boolean_structure() {
    let r = req("GET", "/ip");
    let m = peer(true, "cluster.local/ns/foo/sa/sleep");
    let c = ctx(&m, &r);
    assert!(rule_matches(&c, "foo", &Rule::default()).unwrap());
    let rule = Rule {
        from: Some(vec![
            From {
                source: Some(Source {
                    namespaces: s(&["bar"]),
                    ..Source::default()
                }),
            },
            From {
                source: Some(Source {
                    namespaces: s(&["foo"]),
                    ..Source::default()
                }),
            },
        ]),
        to: Some(vec![To {
            operation: Some(Operation {
                methods: s(&["GET", "POST"]),
                paths: s(&["/ip"]),
                ..Operation::default()
            }),
        }]),
        when: None,
    };
    assert!(rule_matches(&c, "foo", &rule).unwrap());
    let r2 = req("DELETE", "/ip");
    assert!(!rule_matches(&ctx(&m, &r2), "foo", &rule).unwrap());
}

/// §7: on a TCP chain an ALLOW rule with an HTTP-only field is dropped; a DENY rule loses the
/// field and matches more.
#[test]
fn http_only_fields_on_tcp() {
    let r = req("GET", "/");
    let p = peer(false, "");
    let mut c = ctx(&p, &r);
    c.http = false;
    c.target_port = 9000;
    let rule = Rule {
        to: Some(vec![To {
            operation: Some(Operation {
                methods: s(&["GET"]),
                ports: s(&["9000"]),
                ..Operation::default()
            }),
        }]),
        ..Rule::default()
    };
    let allow = AuthorizationPolicySpec {
        rules: Some(vec![rule.clone()]),
        ..AuthorizationPolicySpec::default()
    };
    let e = eval_policy(&c, "foo", &allow);
    assert_eq!(e.matched, None);
    assert_eq!(e.dropped.len(), 1);
    let deny = AuthorizationPolicySpec {
        action: AuthzAction::Deny,
        ..allow.clone()
    };
    assert_eq!(eval_policy(&c, "foo", &deny).matched, Some(0));
    c.target_port = 9001;
    assert_eq!(eval_policy(&c, "foo", &deny).matched, None);
}

/// §9, istio/api 1.10.0 `NormalizationType`: NONE keeps the path as sent (query dropped), BASE
/// resolves dot segments and backslashes, MERGE_SLASHES also merges slashes, and
/// DECODE_AND_MERGE_SLASHES first decodes `%2F`/`%5C` in any case.
#[test]
fn path_normalization_modes() {
    use crate::model::istio::mesh::NormalizationType as N;
    let cases = [
        (
            "/data//secret?x=1",
            [
                "/data//secret",
                "/data//secret",
                "/data/secret",
                "/data/secret",
            ],
        ),
        (
            "/data/./x/../secret",
            [
                "/data/./x/../secret",
                "/data/secret",
                "/data/secret",
                "/data/secret",
            ],
        ),
        (
            "/data%2Fsecret",
            [
                "/data%2Fsecret",
                "/data%2Fsecret",
                "/data%2Fsecret",
                "/data/secret",
            ],
        ),
        (
            "/data%5csecret",
            [
                "/data%5csecret",
                "/data%5csecret",
                "/data%5csecret",
                "/data/secret",
            ],
        ),
        ("///a", ["///a", "///a", "/a", "/a"]),
    ];
    for (raw, want) in cases {
        let got = [N::None, N::Base, N::MergeSlashes, N::DecodeAndMergeSlashes]
            .map(|m| normalize_path_as(raw, m));
        assert_eq!(got, want, "{raw}");
        assert_eq!(normalize_path_as(raw, N::Default), want[1], "{raw}");
    }
}
