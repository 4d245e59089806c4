//! The request evaluator against the JWT and authorization steps of the seed scenarios
//! (`/work/shared/scenarios`, `../shared/scenarios` from this crate): seed-authn-policy 09–12
//! and seed-strict-and-rbac 04–05. The Peer/Request of each case is built here as `check` will
//! build it (the client's identity when it sends mTLS). Cases whose outcome is decided by the
//! transport (a reset) are left to the transport tests. Skipped when ../shared is absent.

use std::path::{Path, PathBuf};

use meshlint::analysis::Analysis;
use meshlint::input::files::InputSource;
use meshlint::input::load::{LoadOptions, load};
use meshlint::resolve::decisions::Decisions;
use meshlint::resolve::jwt::{JwksStore, Token};
use meshlint::resolve::request::{Peer, Request, RequestContext, evaluate, http_chain};

const NOW: i64 = 1_700_000_000;
const JWKS_URI: &str = "https://raw.githubusercontent.com/istio/istio/release-1.4/security/tools/jwt/samples/jwks.json";

fn scenarios() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/scenarios");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("note: {} not found, scenario test skipped", dir.display());
        None
    }
}

fn analysis(dir: &Path, inputs: &[&str], version: &str) -> Analysis {
    let sources: Vec<InputSource> = inputs
        .iter()
        .map(|f| InputSource::File(dir.join(f)))
        .collect();
    let loaded = load(&sources, &LoadOptions::default()).unwrap();
    Analysis::new(loaded, Some(version.parse().unwrap()), None)
}

struct Case<'a> {
    /// `None`: plaintext client (the 1.4 ingress gateway without DestinationRule).
    principal: Option<&'a str>,
    to: &'a str,
    method: &'a str,
    path: &'a str,
    token: Option<&'a str>,
    expect: &'a str,
}

fn check(root: &Path, a: &Analysis, cases: &[Case<'_>]) {
    let mut jwks = JwksStore::new();
    jwks.load_pair(&format!(
        "{JWKS_URI}={}",
        root.join("jwt/jwks.json").display()
    ))
    .unwrap();
    for c in cases {
        let (svc_ns, port) = c.to.split_once(':').unwrap();
        let (name, ns) = svc_ns.split_once('.').unwrap();
        let port: i32 = port.parse().unwrap();
        let s = a
            .inv
            .services
            .iter()
            .position(|s| s.name == name && s.namespace == ns)
            .unwrap();
        let (si, s) = (s, &a.inv.services[s]);
        let pi = s.ports.iter().position(|p| p.port == port).unwrap();
        let p = &s.ports[pi];
        let peer = Peer {
            mtls: c.principal.is_some(),
            principal: c.principal.map(str::to_owned),
            namespace: c
                .principal
                .and_then(|p| p.split('/').nth(2).map(str::to_owned)),
            ip: None,
            gateway: false,
        };
        let req = Request {
            method: c.method.into(),
            path: c.path.into(),
            host: Some(format!("{name}.{ns}:{port}")),
            headers: Vec::new(),
            token: c
                .token
                .map(|t| Token::from_file(&root.join("jwt").join(t)).unwrap()),
            source_ip: None,
        };
        assert!(!s.workloads.is_empty(), "{}", c.to);
        for &w in &s.workloads {
            let tp = a.inv.target_port(p, &a.inv.workloads[w]).unwrap();
            let rc = RequestContext {
                request: req.clone(),
                now: NOW,
                jwks: jwks.clone(),
                detail: meshlint::resolve::reach::Detail::Every,
            };
            let (o, trace) = evaluate(&Decisions::new(a), w, (si, pi), tp, &peer, &rc);
            let got = o.curl(http_chain(a, p)).0.unwrap_or("tcp");
            assert_eq!(
                got, c.expect,
                "{:?} {} {} {:?} → {}: {trace:#?}",
                c.principal, c.method, c.path, c.token, c.to
            );
        }
    }
}

fn case<'a>(
    principal: Option<&'a str>,
    to: &'a str,
    method: &'a str,
    path: &'a str,
    token: Option<&'a str>,
    expect: &'a str,
) -> Case<'a> {
    Case {
        principal,
        to,
        method,
        path,
        token,
        expect,
    }
}

#[test]
fn seed_authn_policy_jwt_origins() {
    let Some(root) = scenarios() else { return };
    let dir = root.join("seed-authn-policy");
    let gw = None;
    // 09-jwt-origin
    let a = analysis(&dir, &["base.yaml", "jwt-policy.yaml"], "1.4");
    check(
        &root,
        &a,
        &[
            case(gw, "httpbin.foo:8000", "GET", "/headers", None, "401"),
            case(
                gw,
                "httpbin.foo:8000",
                "GET",
                "/headers",
                Some("valid.jwt"),
                "200",
            ),
            case(
                gw,
                "httpbin.foo:8000",
                "GET",
                "/headers",
                Some("expired.jwt"),
                "401",
            ),
            case(gw, "httpbin.bar:8000", "GET", "/headers", None, "200"),
        ],
    );
    // 10-jwt-excluded-path
    let a = analysis(&dir, &["base.yaml", "jwt-policy-excluded-path.yaml"], "1.4");
    check(
        &root,
        &a,
        &[
            case(gw, "httpbin.foo:8000", "GET", "/user-agent", None, "200"),
            case(gw, "httpbin.foo:8000", "GET", "/headers", None, "401"),
        ],
    );
    // 11-jwt-included-path
    let a = analysis(&dir, &["base.yaml", "jwt-policy-included-path.yaml"], "1.4");
    check(
        &root,
        &a,
        &[
            case(gw, "httpbin.foo:8000", "GET", "/user-agent", None, "200"),
            case(gw, "httpbin.foo:8000", "GET", "/ip", None, "401"),
            case(
                gw,
                "httpbin.foo:8000",
                "GET",
                "/ip",
                Some("valid.jwt"),
                "200",
            ),
        ],
    );
    // 12-jwt-and-mtls (legacy/sleep → 000/56 is decided by the transport).
    let a = analysis(&dir, &["base.yaml", "jwt-policy-mtls.yaml"], "1.4");
    check(
        &root,
        &a,
        &[
            case(
                gw,
                "httpbin.foo:8000",
                "GET",
                "/headers",
                Some("valid.jwt"),
                "200",
            ),
            case(
                Some("cluster.local/ns/foo/sa/sleep"),
                "httpbin.foo:8000",
                "GET",
                "/ip",
                Some("valid.jwt"),
                "200",
            ),
        ],
    );
}

#[test]
fn seed_strict_and_rbac_authorization() {
    let Some(root) = scenarios() else { return };
    let dir = root.join("seed-strict-and-rbac");
    let monitor = Some("cluster.local/ns/demo/sa/monitor-sa");
    let frontend = Some("cluster.local/ns/demo/sa/frontend-sa");
    let redis = Some("cluster.local/ns/demo/sa/redis-sa");
    let universe = Some("cluster.local/ns/universe/sa/default");
    // 04-read-only-monitor
    let a = analysis(
        &dir,
        &[
            "demo.yaml",
            "universe-injected.yaml",
            "mtls.yaml",
            "rbac-read-monitor.yaml",
        ],
        "latest",
    );
    check(
        &root,
        &a,
        &[
            case(
                monitor,
                "backend.demo:3000",
                "GET",
                "/api/version",
                None,
                "200",
            ),
            case(
                monitor,
                "backend.demo:3000",
                "GET",
                "/api/users/7",
                None,
                "200",
            ),
            case(
                monitor,
                "backend.demo:3000",
                "DELETE",
                "/api/users/7",
                None,
                "403",
            ),
            case(
                frontend,
                "backend.demo:3000",
                "GET",
                "/api/version",
                None,
                "403",
            ),
            case(
                universe,
                "backend-v2.demo:3000",
                "GET",
                "/api/version",
                None,
                "403",
            ),
        ],
    );
    // 05-read-write
    let a = analysis(
        &dir,
        &[
            "demo.yaml",
            "universe-injected.yaml",
            "mtls.yaml",
            "rbac-readwrite.yaml",
        ],
        "latest",
    );
    check(
        &root,
        &a,
        &[
            case(
                monitor,
                "backend.demo:3000",
                "DELETE",
                "/api/users/7",
                None,
                "200",
            ),
            case(
                frontend,
                "backend.demo:3000",
                "GET",
                "/api/profile",
                None,
                "200",
            ),
            case(
                frontend,
                "backend.demo:3000",
                "DELETE",
                "/api/users/7",
                None,
                "403",
            ),
            case(
                redis,
                "backend.demo:3000",
                "GET",
                "/api/version",
                None,
                "403",
            ),
        ],
    );
}
