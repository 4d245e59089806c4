//! analyze, matrix and the class evaluation on generated Istio meshes: namespaces, workloads,
//! Services and the security policies over a small vocabulary of names, labels and ports (so
//! that selectors, hosts and principals meet), under Istio versions from 0.8 to the latest.
//! Nothing may panic, and the matrix by class must equal evaluating every cell on its own
//! (SPEC §3.6: a class only groups clients the policies cannot tell apart).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use meshlint::analysis::Analysis;
use meshlint::engine::{self, Settings};
use meshlint::input::load::{LoadOptions, Loaded};
use meshlint::resolve::classes;
use meshlint::resolve::decisions::Decisions;
use meshlint::resolve::reach::{self, RequestContext};
use serde_json::{Value, json};

const NAMESPACES: [&str; 4] = ["foo", "bar", "istio-system", "legacy"];
const APPS: [&str; 4] = ["httpbin", "sleep", "db", "ingressgateway"];
const PORTS: [u16; 4] = [80, 8000, 9080, 5432];
const PORT_NAMES: [&str; 5] = ["http", "tcp", "grpc-web", "https", ""];
const VERSIONS: [&str; 9] = [
    "0.8", "1.0", "1.4", "1.5", "1.6", "1.9", "1.18", "1.22", "latest",
];
const MODES: [&str; 4] = ["STRICT", "PERMISSIVE", "DISABLE", "UNSET"];
const TLS: [&str; 4] = ["DISABLE", "ISTIO_MUTUAL", "SIMPLE", "MUTUAL"];
const HOSTS: [&str; 6] = [
    "httpbin",
    "httpbin.foo.svc.cluster.local",
    "*.foo.svc.cluster.local",
    "*.local",
    "*",
    "db.bar.svc.cluster.local",
];
const PRINCIPALS: [&str; 4] = [
    "cluster.local/ns/foo/sa/sleep",
    "cluster.local/ns/bar/sa/*",
    "*",
    "spiffe://cluster.local/ns/legacy/sa/default",
];
const PATHS: [&str; 4] = ["/ip", "/admin/*", "*/health", "/"];
const METHODS: [&str; 3] = ["GET", "POST", "get"];

#[derive(Arbitrary, Debug)]
enum Obj {
    Namespace {
        ns: u8,
        injection: Option<bool>,
        ambient: bool,
    },
    Workload {
        ns: u8,
        app: u8,
        sidecar: Option<bool>,
        port: u8,
        sa: bool,
    },
    Service {
        ns: u8,
        app: u8,
        port: u8,
        target: u8,
        name: u8,
        headless: bool,
    },
    PeerAuthentication {
        ns: u8,
        selector: Option<u8>,
        mode: Option<u8>,
        port_level: Option<(u8, u8)>,
    },
    DestinationRule {
        ns: u8,
        host: u8,
        tls: Option<u8>,
        port_level: Option<(u8, Option<u8>)>,
    },
    AuthorizationPolicy {
        ns: u8,
        selector: Option<u8>,
        action: u8,
        rules: Vec<Rule>,
    },
    RequestAuthentication {
        ns: u8,
        selector: Option<u8>,
    },
    MeshConfig {
        auto_mtls: bool,
    },
}

#[derive(Arbitrary, Debug)]
struct Rule {
    principals: Vec<u8>,
    namespaces: Vec<u8>,
    request_principals: bool,
    methods: Vec<u8>,
    paths: Vec<u8>,
    ports: Vec<u8>,
    not: bool,
}

#[derive(Arbitrary, Debug)]
struct Mesh {
    version: u8,
    objects: Vec<Obj>,
}

fn pick<T: Copy>(list: &[T], i: u8) -> T {
    list[i as usize % list.len()]
}

fn meta(kind: &str, api: &str, name: &str, ns: u8) -> Value {
    json!({"apiVersion": api, "kind": kind, "metadata": {"name": name, "namespace": pick(&NAMESPACES, ns)}})
}

fn selector(app: Option<u8>) -> Value {
    app.map_or(
        Value::Null,
        |a| json!({"matchLabels": {"app": pick(&APPS, a)}}),
    )
}

fn rule(r: &Rule) -> Value {
    let strs = |list: &[&str], idx: &[u8]| -> Vec<String> {
        idx.iter()
            .take(3)
            .map(|&i| pick(list, i).to_owned())
            .collect()
    };
    let mut source = serde_json::Map::new();
    let principals = strs(&PRINCIPALS, &r.principals);
    if !principals.is_empty() {
        source.insert(
            (if r.not { "notPrincipals" } else { "principals" }).into(),
            json!(principals),
        );
    }
    let namespaces = strs(&NAMESPACES, &r.namespaces);
    if !namespaces.is_empty() {
        source.insert("namespaces".into(), json!(namespaces));
    }
    if r.request_principals {
        source.insert("requestPrincipals".into(), json!(["*"]));
    }
    let mut op = serde_json::Map::new();
    let methods = strs(&METHODS, &r.methods);
    if !methods.is_empty() {
        op.insert("methods".into(), json!(methods));
    }
    let paths = strs(&PATHS, &r.paths);
    if !paths.is_empty() {
        op.insert(
            (if r.not { "notPaths" } else { "paths" }).into(),
            json!(paths),
        );
    }
    let ports: Vec<String> = r
        .ports
        .iter()
        .take(2)
        .map(|&p| pick(&PORTS, p).to_string())
        .collect();
    if !ports.is_empty() {
        op.insert("ports".into(), json!(ports));
    }
    let mut out = serde_json::Map::new();
    if !source.is_empty() {
        out.insert("from".into(), json!([{"source": source}]));
    }
    if !op.is_empty() {
        out.insert("to".into(), json!([{"operation": op}]));
    }
    Value::Object(out)
}

fn render(o: &Obj) -> Value {
    match *o {
        Obj::Namespace {
            ns,
            injection,
            ambient,
        } => {
            let mut labels = serde_json::Map::new();
            if let Some(on) = injection {
                labels.insert(
                    "istio-injection".into(),
                    json!(if on { "enabled" } else { "disabled" }),
                );
            }
            if ambient {
                labels.insert("istio.io/dataplane-mode".into(), json!("ambient"));
            }
            json!({"apiVersion": "v1", "kind": "Namespace",
                   "metadata": {"name": pick(&NAMESPACES, ns), "labels": labels}})
        }
        Obj::Workload {
            ns,
            app,
            sidecar,
            port,
            sa,
        } => {
            let app = pick(&APPS, app);
            let mut annotations = serde_json::Map::new();
            if let Some(on) = sidecar {
                annotations.insert("sidecar.istio.io/inject".into(), json!(on.to_string()));
            }
            let mut v = meta("Deployment", "apps/v1", app, ns);
            v["spec"] = json!({
                "selector": {"matchLabels": {"app": app}},
                "template": {
                    "metadata": {"labels": {"app": app}, "annotations": annotations},
                    "spec": {
                        "serviceAccountName": if sa { app } else { "default" },
                        "containers": [{"name": app, "image": "x",
                                        "ports": [{"containerPort": pick(&PORTS, port)}]}]
                    }
                }
            });
            v
        }
        Obj::Service {
            ns,
            app,
            port,
            target,
            name,
            headless,
        } => {
            let app_name = pick(&APPS, app);
            let mut v = meta("Service", "v1", app_name, ns);
            let mut p = json!({"port": pick(&PORTS, port), "targetPort": pick(&PORTS, target)});
            let n = pick(&PORT_NAMES, name);
            if !n.is_empty() {
                p["name"] = json!(n);
            }
            v["spec"] = json!({"selector": {"app": app_name}, "ports": [p]});
            if headless {
                v["spec"]["clusterIP"] = json!("None");
            }
            v
        }
        Obj::PeerAuthentication {
            ns,
            selector: sel,
            mode,
            port_level,
        } => {
            let mut v = meta("PeerAuthentication", "security.istio.io/v1", "pa", ns);
            let mut spec = json!({});
            if sel.is_some() {
                spec["selector"] = selector(sel);
                v["metadata"]["name"] = json!(format!("pa-{}", pick(&APPS, sel.unwrap_or(0))));
            } else {
                v["metadata"]["name"] = json!("default");
            }
            if let Some(m) = mode {
                spec["mtls"] = json!({"mode": pick(&MODES, m)});
            }
            if let (Some((p, m)), true) = (port_level, sel.is_some()) {
                spec["portLevelMtls"] =
                    json!({pick(&PORTS, p).to_string(): {"mode": pick(&MODES, m)}});
            }
            v["spec"] = spec;
            v
        }
        Obj::DestinationRule {
            ns,
            host,
            tls,
            port_level,
        } => {
            let mut v = meta(
                "DestinationRule",
                "networking.istio.io/v1",
                &format!("dr-{}", host % 6),
                ns,
            );
            let mut tp = json!({});
            if let Some(t) = tls {
                tp["tls"] = json!({"mode": pick(&TLS, t)});
            }
            if let Some((p, t)) = port_level {
                let mut entry = json!({"port": {"number": pick(&PORTS, p)}});
                if let Some(t) = t {
                    entry["tls"] = json!({"mode": pick(&TLS, t)});
                }
                tp["portLevelSettings"] = json!([entry]);
            }
            v["spec"] = json!({"host": pick(&HOSTS, host), "trafficPolicy": tp});
            v
        }
        Obj::AuthorizationPolicy {
            ns,
            selector: sel,
            action,
            ref rules,
        } => {
            let mut v = meta(
                "AuthorizationPolicy",
                "security.istio.io/v1",
                &format!("ap-{action}"),
                ns,
            );
            let mut spec = json!({
                "action": pick(&["ALLOW", "DENY", "AUDIT"], action),
                "rules": rules.iter().take(3).map(rule).collect::<Vec<_>>(),
            });
            if sel.is_some() {
                spec["selector"] = selector(sel);
            }
            v["spec"] = spec;
            v
        }
        Obj::RequestAuthentication { ns, selector: sel } => {
            let mut v = meta("RequestAuthentication", "security.istio.io/v1", "jwt", ns);
            let mut spec = json!({"jwtRules": [{"issuer": "https://issuer.example", "jwksUri": "https://issuer.example/jwks"}]});
            if sel.is_some() {
                spec["selector"] = selector(sel);
            }
            v["spec"] = spec;
            v
        }
        Obj::MeshConfig { auto_mtls } => json!({
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": "istio", "namespace": "istio-system"},
            "data": {"mesh": format!("enableAutoMtls: {auto_mtls}\n")}
        }),
    }
}

fuzz_target!(|mesh: Mesh| {
    if mesh.objects.len() > 24 {
        return;
    }
    let text = mesh
        .objects
        .iter()
        .map(|o| serde_json::to_string(&render(o)).unwrap())
        .collect::<Vec<_>>()
        .join("\n---\n");
    let loaded = Loaded::from_text("fuzz.yaml", &text, &LoadOptions::default());
    let version = pick(&VERSIONS, mesh.version).parse().unwrap();
    let analysis = Analysis::new(loaded, Some(version), None);
    let _ = engine::run(&analysis, &Settings::default());

    // The matrix by class equals every cell evaluated on its own.
    let d = Decisions::new(&analysis);
    let clients: Vec<usize> = (0..analysis.inv.workloads.len()).collect();
    let targets: Vec<(usize, usize)> = analysis
        .inv
        .services
        .iter()
        .enumerate()
        .flat_map(|(s, svc)| (0..svc.ports.len()).map(move |p| (s, p)))
        .collect();
    let req = RequestContext::default();
    let by_class = classes::matrix(&d, &clients, &targets, &req);
    let mut i = 0;
    for &c in &clients {
        for &(s, p) in &targets {
            let alone = reach::evaluate(&d, c, s, p, &req);
            assert_eq!(
                format!("{:?}", by_class[i]),
                format!("{alone:?}"),
                "client {c} → service {s} port {p}\n{text}"
            );
            i += 1;
        }
    }
});
