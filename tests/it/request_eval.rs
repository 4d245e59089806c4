//! The request evaluator (`resolve::request::evaluate`) on the manifests and tokens of
//! testdata/request/: 200/401/403 as Istio returns them (research/authz-semantics.md; the
//! cases mirror the seed scenarios).

use std::path::PathBuf;

use meshlint::analysis::Analysis;
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::resolve::decisions::Decisions;
use meshlint::resolve::jwt::{JwksStore, Token};
use meshlint::resolve::request::{Peer, Request, RequestContext, Stage, evaluate};
use meshlint::resolve::transport::Outcome;

const NOW: i64 = 1_700_000_000;
const KEYS_URI: &str = "https://keys.example/jwks.json";

fn data(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata/request")
        .join(name)
}

fn analysis(file: &str, version: &str) -> Analysis {
    let loaded = load(&[InputSource::File(data(file))], &LoadOptions::default()).unwrap();
    assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
    Analysis::new(loaded, Some(version.parse().unwrap()), None)
}

fn jwks() -> JwksStore {
    let mut s = JwksStore::new();
    s.load_pair(&format!("{KEYS_URI}={}", data("jwks.json").display()))
        .unwrap();
    s
}

fn token(name: &str) -> Token {
    Token::from_file(&data(name)).unwrap()
}

fn get(path: &str, tok: Option<&str>) -> Request {
    Request {
        method: "GET".into(),
        path: path.into(),
        host: Some("httpbin.foo:8000".into()),
        headers: Vec::new(),
        token: tok.map(token),
        source_ip: None,
    }
}

fn mtls(principal: &str) -> Peer {
    Peer {
        mtls: true,
        principal: Some(principal.into()),
        namespace: principal.split('/').nth(2).map(str::to_owned),
        ip: Some("10.0.0.9".into()),
        gateway: false,
    }
}

fn plaintext() -> Peer {
    Peer {
        ip: Some("10.0.0.9".into()),
        ..Peer::default()
    }
}

/// Evaluates a request to service `ns/svc` port index `port`; returns the curl code (or `tcp`
/// / `tcp/56` on TCP ports) and the trace.
fn run(a: &Analysis, svc: &str, port: usize, peer: &Peer, req: &Request) -> (String, Vec<Stage>) {
    let (ns, name) = svc.split_once('/').unwrap();
    let s = a
        .inv
        .services
        .iter()
        .position(|s| s.namespace == ns && s.name == name)
        .unwrap();
    let (si, s) = (s, &a.inv.services[s]);
    let p = &s.ports[port];
    let w = s.workloads[0];
    let tp = a.inv.target_port(p, &a.inv.workloads[w]).unwrap();
    let rc = RequestContext {
        request: req.clone(),
        now: NOW,
        jwks: jwks(),
        detail: meshlint::resolve::reach::Detail::Every,
    };
    let (o, stages) = evaluate(&Decisions::new(a), w, (si, port), tp, peer, &rc);
    let http = meshlint::resolve::request::http_chain(a, p);
    let code = match o.curl(http) {
        (Some(c), _) => c.to_owned(),
        (None, 0) => "tcp".to_owned(),
        (None, e) => format!("tcp/{e}"),
    };
    (code, stages)
}

fn code(a: &Analysis, svc: &str, port: usize, peer: &Peer, req: &Request) -> String {
    run(a, svc, port, peer, req).0
}

/// authz-semantics §12: v1alpha1 origins — no token 401, valid 200, expired 401, wrong issuer
/// 401, forged 401; an excluded path needs no token; another namespace is not affected.
#[test]
fn v1alpha1_origin_scenario() {
    let a = analysis("jwt-origin.yaml", "1.4");
    let p = plaintext();
    assert_eq!(
        code(&a, "foo/httpbin", 0, &p, &get("/headers", None)),
        "401"
    );
    assert_eq!(
        code(
            &a,
            "foo/httpbin",
            0,
            &p,
            &get("/headers", Some("valid.jwt"))
        ),
        "200"
    );
    for bad in ["expired.jwt", "wrong-issuer.jwt", "forged.jwt"] {
        assert_eq!(
            code(&a, "foo/httpbin", 0, &p, &get("/headers", Some(bad))),
            "401",
            "{bad}"
        );
    }
    assert_eq!(
        code(&a, "foo/httpbin", 0, &p, &get("/user-agent", None)),
        "200"
    );
    assert_eq!(
        code(&a, "foo/httpbin", 0, &p, &get("/user-agent?x=1", None)),
        "200"
    );
    assert_eq!(
        code(&a, "bar/httpbin", 0, &p, &get("/headers", None)),
        "200"
    );
    let (_, trace) = run(&a, "foo/httpbin", 0, &p, &get("/headers", None));
    let last = trace.last().unwrap();
    assert_eq!(
        (last.stage, last.decision.as_str()),
        ("origin", "unauthenticated")
    );
}

/// authz-semantics §8 + §3: RequestAuthentication passes requests without a token, the ALLOW
/// policy then answers 403; invalid tokens are 401 before authorization.
#[test]
fn request_authentication_with_allow_policy() {
    let a = analysis("request-authn.yaml", "latest");
    let p = plaintext();
    let c = |path: &str, t: Option<&str>| code(&a, "foo/httpbin", 0, &p, &get(path, t));
    assert_eq!(c("/headers", Some("valid.jwt")), "200");
    assert_eq!(c("/headers", None), "403");
    assert_eq!(c("/healthz", None), "200");
    assert_eq!(c("/headers", Some("expired.jwt")), "401");
    assert_eq!(c("/headers", Some("wrong-issuer.jwt")), "401");
    assert_eq!(c("/headers", Some("forged.jwt")), "401");
    // groups claim (list) satisfies the third rule.
    assert_eq!(c("/headers", Some("groups.jwt")), "200");
    // DENY before ALLOW; an invalid token is 401 even where DENY would match (§14.6).
    assert_eq!(c("/admin/x", Some("valid.jwt")), "403");
    assert_eq!(c("/admin/x", Some("expired.jwt")), "401");
    // The dry-run deny-all policy never changes the result but shows in the trace.
    let (_, trace) = run(
        &a,
        "foo/httpbin",
        0,
        &p,
        &get("/headers", Some("valid.jwt")),
    );
    let deny = trace.iter().find(|s| s.stage == "deny").unwrap();
    assert!(deny.detail.contains("dry-run"), "{}", deny.detail);
    // The trace never shows the raw token.
    let raw = std::fs::read_to_string(data("valid.jwt")).unwrap();
    assert!(trace.iter().all(|s| !s.detail.contains(raw.trim())));
}

/// authz-semantics §7 (task authz-tcp): ALLOW {methods: [GET], ports: [9000]} on a TCP
/// service drops the rule, so 9000 and 9001 both reject.
#[test]
fn http_only_allow_rule_dropped_on_tcp() {
    let a = analysis("request-authn.yaml", "latest");
    let p = mtls("cluster.local/ns/foo/sa/sleep");
    let r = get("/", None);
    assert_eq!(code(&a, "foo/tcp-echo", 0, &p, &r), "tcp/56");
    assert_eq!(code(&a, "foo/tcp-echo", 1, &p, &r), "tcp/56");
    let (_, trace) = run(&a, "foo/tcp-echo", 0, &p, &r);
    assert!(trace.last().unwrap().detail.contains("dropped"));
}

/// authz-semantics §6 (TestAuthz_DenyPlaintext): DENY notPrincipals ["*"] rejects plaintext and
/// lets mTLS through; `spec: {}` allows nothing.
#[test]
fn deny_plaintext_and_allow_nothing() {
    let a = analysis("request-authn.yaml", "latest");
    let r = get("/ip", None);
    assert_eq!(code(&a, "foo/secure", 0, &plaintext(), &r), "403");
    assert_eq!(
        code(
            &a,
            "foo/secure",
            0,
            &mtls("cluster.local/ns/foo/sa/sleep"),
            &r
        ),
        "200"
    );
    // A principal over plaintext is not an identity.
    let spoof = Peer {
        mtls: false,
        ..mtls("cluster.local/ns/foo/sa/sleep")
    };
    assert_eq!(code(&a, "foo/secure", 0, &spoof, &r), "403");
    assert_eq!(
        code(
            &a,
            "foo/locked",
            0,
            &mtls("cluster.local/ns/foo/sa/sleep"),
            &r
        ),
        "403"
    );
}

/// authz-semantics §5 principals/methods/paths (scenario seed-strict-and-rbac 04).
#[test]
fn principals_methods_paths() {
    let a = analysis("rbac.yaml", "latest");
    let monitor = mtls("cluster.local/ns/demo/sa/monitor-sa");
    let frontend = mtls("cluster.local/ns/demo/sa/frontend-sa");
    let mut r = get("/api/users/7", None);
    assert_eq!(code(&a, "demo/backend", 0, &monitor, &r), "200");
    r.method = "DELETE".into();
    assert_eq!(code(&a, "demo/backend", 0, &monitor, &r), "403");
    assert_eq!(
        code(&a, "demo/backend", 0, &frontend, &get("/api/version", None)),
        "403"
    );
    assert_eq!(
        code(&a, "demo/backend", 0, &monitor, &get("/api/version", None)),
        "200"
    );
}

/// authz-semantics §2, §5 hosts: the ingress gateway is a server too; its policy lives in the
/// root namespace and selects it by labels; hosts keep the port.
#[test]
fn ingress_gateway_policy() {
    let a = analysis("rbac.yaml", "latest");
    let p = plaintext();
    let mut r = get("/private/x", None);
    r.host = Some("example.com".into());
    assert_eq!(
        code(&a, "istio-system/istio-ingressgateway", 0, &p, &r),
        "403"
    );
    r.host = Some("example.com:80".into());
    assert_eq!(
        code(&a, "istio-system/istio-ingressgateway", 0, &p, &r),
        "403"
    );
    r.host = Some("other.com".into());
    assert_eq!(
        code(&a, "istio-system/istio-ingressgateway", 0, &p, &r),
        "200"
    );
    r.host = Some("example.com".into());
    r.path = "/public".into();
    assert_eq!(
        code(&a, "istio-system/istio-ingressgateway", 0, &p, &r),
        "200"
    );
}

/// Outcome vocabulary: 401 and 403 as curl prints them.
#[test]
fn outcome_codes() {
    assert_eq!(Outcome::Unauthenticated.curl(true).0, Some("401"));
    assert_eq!(Outcome::Forbidden.curl(true).0, Some("403"));
}
