//! The benchmark corpus generator of SPEC.md §9: a deterministic, realistic mesh of any size.
//!
//! Each namespace is one file (`ns-00042.yaml`) holding, as multi-document YAML:
//! - the Namespace, labelled `istio-injection: enabled` except one namespace in ten;
//! - 10 workloads, each a Deployment (two container ports, a readiness probe), a Service (two
//!   ports, the first one's `targetPort` differing from its `port`) and a ServiceAccount;
//! - a namespace-wide PeerAuthentication (`default`);
//! - 2 or 3 workload PeerAuthentications with `portLevelMtls` (about 2.5 per namespace);
//! - 1 or 2 DestinationRules with `portLevelSettings` (about 1.5 per namespace);
//! - 5 AuthorizationPolicies with principals, namespaces, methods, paths and ports;
//! - a RequestAuthentication in one namespace in four.
//!
//! For 2,000 namespaces that is about 82,000 objects and 26 MB of YAML. The output depends on
//! nothing but the arguments: no clock, no randomness, so benchmark runs compare. The corpus
//! is schema-valid, so `invalid-resource` reports nothing on it; principals and namespaces in
//! AuthorizationPolicies name ServiceAccounts and namespaces of the same corpus.
//!
//! Used by the `load` benchmark (`cargo bench --bench load`, source in `tests/bench/load.rs`).

use std::fmt::Write as _;
use std::path::Path;

/// Workloads per namespace.
pub const WORKLOADS: usize = 10;

/// The name of namespace `i`.
pub fn namespace_name(i: usize) -> String {
    format!("ns-{i:05}")
}

/// The file name of namespace `i` in a written corpus.
pub fn file_name(i: usize) -> String {
    format!("{}.yaml", namespace_name(i))
}

/// A small deterministic mix of `i` and `j` (SplitMix64 finaliser), for variety without
/// randomness.
fn mix(i: usize, j: usize) -> u64 {
    let mut z = (i as u64)
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(j as u64)
        .wrapping_add(0x632B_E59B_D9B4_E019);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Container ports of workload `w`: an HTTP port and a gRPC port.
fn container_ports(w: usize) -> (u32, u32) {
    (8080 + w as u32 % 3, 9090)
}

/// The YAML file of namespace `i` in a corpus of `total` namespaces.
pub fn namespace_yaml(i: usize, total: usize) -> String {
    let total = total.max(1);
    let ns = namespace_name(i);
    let mut out = String::with_capacity(16 * 1024);
    let injected = i % 10 != 9;

    // `write!` to a String cannot fail.
    let _ = write!(
        out,
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n  labels:\n    team: team-{team}\n",
        team = i % 17
    );
    if injected {
        out.push_str("    istio-injection: enabled\n");
    }

    for w in 0..WORKLOADS {
        workload(&mut out, &ns, i, w);
    }

    let mode = if i % 5 == 4 { "PERMISSIVE" } else { "STRICT" };
    let _ = write!(
        out,
        "---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: default\n  namespace: {ns}\nspec:\n  mtls:\n    mode: {mode}\n"
    );

    // About 2.5 workload PeerAuthentications per namespace.
    let workload_pas = if i.is_multiple_of(2) { 3 } else { 2 };
    for w in 0..workload_pas {
        let (http, grpc) = container_ports(w);
        let (top, port_mode) = match mix(i, w) % 3 {
            0 => ("STRICT", "PERMISSIVE"),
            1 => ("PERMISSIVE", "STRICT"),
            _ => ("STRICT", "DISABLE"),
        };
        let port = if w % 2 == 0 { http } else { grpc };
        let _ = write!(
            out,
            "---\napiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata:\n  name: app-{w}-mtls\n  namespace: {ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-{w}\n  mtls:\n    mode: {top}\n  portLevelMtls:\n    {port}:\n      mode: {port_mode}\n"
        );
    }

    // About 1.5 DestinationRules per namespace.
    let rules = if i.is_multiple_of(2) { 1 } else { 2 };
    for w in 0..rules {
        let (_, grpc) = container_ports(w);
        let _ = write!(
            out,
            "---\napiVersion: networking.istio.io/v1\nkind: DestinationRule\nmetadata:\n  name: app-{w}\n  namespace: {ns}\nspec:\n  host: app-{w}.{ns}.svc.cluster.local\n  trafficPolicy:\n    tls:\n      mode: ISTIO_MUTUAL\n    portLevelSettings:\n    - port:\n        number: {grpc}\n      tls:\n        mode: ISTIO_MUTUAL\n    - port:\n        number: 80\n      tls:\n        mode: ISTIO_MUTUAL\n"
        );
    }

    // Five AuthorizationPolicies per namespace: four ALLOW, one DENY.
    for k in 0..5 {
        let w = (k * 2 + i) % WORKLOADS;
        let (http, _) = container_ports(w);
        let peer = (i + 1 + mix(i, k) as usize % 7) % total;
        let peer_ns = namespace_name(peer);
        let peer_sa = mix(i, k + 100) as usize % WORKLOADS;
        let action = if k == 4 { "DENY" } else { "ALLOW" };
        let (methods, paths) = if k == 4 {
            ("[\"DELETE\"]", "[\"/admin/*\"]")
        } else {
            ("[\"GET\", \"POST\"]", "[\"/api/v1/*\", \"/healthz\"]")
        };
        let _ = write!(
            out,
            "---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata:\n  name: app-{w}-{lower}-{k}\n  namespace: {ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-{w}\n  action: {action}\n  rules:\n  - from:\n    - source:\n        principals:\n        - cluster.local/ns/{peer_ns}/sa/app-{peer_sa}\n        - cluster.local/ns/{ns}/sa/app-{local_sa}\n    - source:\n        namespaces:\n        - {peer_ns}\n    to:\n    - operation:\n        methods: {methods}\n        paths: {paths}\n        ports:\n        - \"{http}\"\n",
            lower = action.to_ascii_lowercase(),
            local_sa = (w + 1) % WORKLOADS,
        );
    }

    // A RequestAuthentication in one namespace in four.
    if i.is_multiple_of(4) {
        let _ = write!(
            out,
            "---\napiVersion: security.istio.io/v1\nkind: RequestAuthentication\nmetadata:\n  name: jwt\n  namespace: {ns}\nspec:\n  selector:\n    matchLabels:\n      app: app-0\n  jwtRules:\n  - issuer: https://auth.example.com/{ns}\n    jwksUri: https://auth.example.com/{ns}/.well-known/jwks.json\n    audiences:\n    - {ns}\n    forwardOriginalToken: true\n"
        );
    }
    out
}

/// One workload: Deployment, Service and ServiceAccount.
fn workload(out: &mut String, ns: &str, i: usize, w: usize) {
    let (http, grpc) = container_ports(w);
    let replicas = 1 + mix(i, w) % 3;
    let _ = write!(
        out,
        "---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: app-{w}
  namespace: {ns}
  labels:
    app: app-{w}
    version: v1
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app: app-{w}
  template:
    metadata:
      labels:
        app: app-{w}
        version: v1
    spec:
      serviceAccountName: app-{w}
      containers:
      - name: app
        image: example.com/{ns}/app-{w}:1.{minor}.0
        ports:
        - name: http
          containerPort: {http}
        - name: grpc
          containerPort: {grpc}
        readinessProbe:
          httpGet:
            path: /healthz/ready
            port: {http}
---
apiVersion: v1
kind: Service
metadata:
  name: app-{w}
  namespace: {ns}
spec:
  selector:
    app: app-{w}
  ports:
  - name: http
    port: 80
    targetPort: {http}
  - name: grpc
    port: {grpc}
    targetPort: {grpc}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app-{w}
  namespace: {ns}
",
        minor = mix(i, w) % 20,
    );
}

/// Every file of a corpus of `namespaces` namespaces: `(file name, YAML)`, in order.
pub fn corpus(namespaces: usize) -> impl Iterator<Item = (String, String)> {
    (0..namespaces).map(move |i| (file_name(i), namespace_yaml(i, namespaces)))
}

/// Writes the corpus into `dir` (which must exist); returns the number of bytes written.
pub fn write_corpus(dir: &Path, namespaces: usize) -> std::io::Result<u64> {
    let mut bytes = 0;
    for (name, text) in corpus(namespaces) {
        std::fs::write(dir.join(name), &text)?;
        bytes += text.len() as u64;
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::load::{LoadOptions, load_text};

    #[test]
    fn deterministic_and_schema_valid() {
        assert_eq!(namespace_yaml(7, 20), namespace_yaml(7, 20));
        let mut objects = 0;
        for (name, text) in corpus(8) {
            let (objs, issues, skipped) =
                load_text(&Arc::from(name.as_str()), &text, &LoadOptions::default());
            assert!(issues.is_empty(), "{name}: {issues:?}");
            assert!(skipped.is_empty(), "{name}: {skipped:?}");
            objects += objs.len();
        }
        // 8 namespaces: 8 × (1 + 30 + 1 + 5) + PAs (3+2)*4 + DRs (1+2)*4 + 2 RAs.
        assert_eq!(objects, 8 * 37 + 20 + 12 + 2);
    }

    #[test]
    fn full_corpus_has_the_size_of_spec_section_9() {
        let (mut bytes, mut objects) = (0, 0);
        for (_, text) in corpus(2_000) {
            bytes += text.len();
            objects += 1 + text.matches("\n---\n").count();
        }
        assert_eq!(objects, 82_500);
        assert!((25_000_000..27_000_000).contains(&bytes), "{bytes} bytes");
    }

    #[test]
    fn one_namespace_in_ten_is_not_injected() {
        let injected = (0..20)
            .filter(|&i| namespace_yaml(i, 20).contains("istio-injection: enabled"))
            .count();
        assert_eq!(injected, 18);
    }
}
