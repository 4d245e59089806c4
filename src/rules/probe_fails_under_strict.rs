//! `probe-fails-under-strict`: kubelet health probes sent to a STRICT port of a workload with a
//! sidecar, without the injector's probe rewrite (research/istio-semantics.md §7). The kubelet
//! has no mesh certificate, so an httpGet or gRPC probe is reset and the pod never becomes
//! ready (or is restarted). tcpSocket probes without rewrite still pass — the sidecar accepts
//! the TCP connection — and are not reported; exec probes are never affected.

use crate::model::pod::{Container, Probe};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::facts::proxy::ProxyKind;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::kind::Kind;
use crate::resolve::decisions::Decisions;
use crate::resolve::server_mtls::{self, ServerMode, Target};
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// For every workload with a sidecar, looks at the `livenessProbe`, `readinessProbe` and
    /// `startupProbe` of each container. A probe is reported when it targets a container port
    /// whose server mode is `STRICT` and the sidecar injector does not rewrite it:
    ///
    /// - `httpGet` probes: rewritten by default from Istio 1.6; not before, or with the pod
    ///   annotation `sidecar.istio.io/rewriteAppHTTPProbers: "false"`;
    /// - `grpc` probes: rewritten from Istio 1.13 when rewriting is on;
    /// - `tcpSocket` probes are rewritten from 1.12, and pass without rewrite anyway (the
    ///   sidecar accepts the connection), so they are never reported.
    ///
    /// Manifests that already contain the `istio-proxy` container (kube-inject output) are
    /// judged as written: a probe that still targets the application port was not rewritten.
    ///
    /// ## Why is this bad?
    /// The kubelet has no Istio certificate. A STRICT port resets its plaintext probe, the
    /// readiness probe never succeeds (the pod stays out of the Service) and the liveness
    /// probe restarts the container in a loop.
    ///
    /// ## Example
    /// ```yaml
    /// # Istio 1.5, namespace STRICT
    /// spec:
    ///   template:
    ///     spec:
    ///       containers:
    ///       - name: httpbin
    ///         readinessProbe:
    ///           httpGet: {path: /status/200, port: 80}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   template:
    ///     metadata:
    ///       annotations:
    ///         sidecar.istio.io/rewriteAppHTTPProbers: "true"
    /// ```
    /// or serve the probe on a port excluded from interception
    /// (`traffic.sidecar.istio.io/excludeInboundPorts`), or make that port PERMISSIVE.
    ///
    /// ## References
    /// - istio.io "Health Checking of Istio Services" (`ops/configuration/mesh/app-health-check`)
    /// - Istio `pkg/kube/inject/app_probe.go` (`ShouldRewriteAppHTTPProbers`), `REWRITE_TCP_PROBES`
    pub static RULE = {
        code: "ML0209",
        name: "probe-fails-under-strict",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "kubelet probe to a STRICT port that the injector does not rewrite",
        check: check,
    }
}

const REWRITE_ANNOTATION: &str = "sidecar.istio.io/rewriteAppHTTPProbers";

/// Ports of the sidecar itself (status, health, telemetry): never intercepted.
const PROXY_PORTS: [i32; 3] = [15020, 15021, 15090];

fn resolve_port(port: &IntOrString, containers: &[Container]) -> Option<i32> {
    match port {
        IntOrString::Int(n) => Some(*n),
        IntOrString::String(name) => name.parse().ok().or_else(|| {
            containers
                .iter()
                .flat_map(|c| c.ports.iter().flatten())
                .find(|p| p.name.as_deref() == Some(name.as_str()))
                .map(|p| p.container_port)
        }),
    }
}

/// The probe's kind and port, when it is a network probe.
fn probe_target(p: &Probe, containers: &[Container]) -> Option<(&'static str, i32)> {
    if let Some(h) = &p.http_get {
        return resolve_port(&h.port, containers).map(|n| ("httpGet", n));
    }
    if let Some(g) = &p.grpc {
        return Some(("grpc", g.port));
    }
    if let Some(t) = &p.tcp_socket {
        return resolve_port(&t.port, containers).map(|n| ("tcpSocket", n));
    }
    None
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    for (wi, w) in a.inv.workloads.iter().enumerate() {
        if a.proxies[wi].kind != ProxyKind::Sidecar {
            continue;
        }
        let Some(spec) = a.inv.pod_spec(w) else {
            continue;
        };
        let o = &a.inv.objects[w.object];
        let prefix = match o.kind {
            Kind::Pod => "spec",
            Kind::CronJob => "spec.jobTemplate.spec.template.spec",
            _ => "spec.template.spec",
        };
        let injected = spec.containers.iter().any(|c| c.name == "istio-proxy");
        let annotation = w.annotations.get(REWRITE_ANNOTATION).map(String::as_str);
        let rewrite = !injected
            && match annotation {
                Some("false") => false,
                Some("true") => true,
                _ => a.profile.has(Behaviour::ProbeRewriteDefault),
            };
        let why_not = if injected {
            "the manifest is already injected and the probe still targets the application port"
                .to_owned()
        } else if annotation == Some("false") {
            format!("rewriting is disabled by the annotation {REWRITE_ANNOTATION}: \"false\"")
        } else {
            format!(
                "Istio {} does not rewrite probes by default",
                a.profile.version
            )
        };
        for (ci, c) in spec.containers.iter().enumerate() {
            if c.name == "istio-proxy" {
                continue;
            }
            let probes = [
                ("livenessProbe", &c.liveness_probe),
                ("readinessProbe", &c.readiness_probe),
                ("startupProbe", &c.startup_probe),
            ];
            for (field, probe) in probes {
                let Some(p) = probe else { continue };
                let Some((kind, port)) = probe_target(p, &spec.containers) else {
                    continue;
                };
                if PROXY_PORTS.contains(&port) {
                    continue;
                }
                let rewritten = match kind {
                    "httpGet" => rewrite,
                    "grpc" => rewrite && a.profile.has(Behaviour::GrpcProbeRewrite),
                    // Without rewrite a TCP probe still passes: the sidecar accepts it (§7).
                    _ => true,
                };
                if rewritten {
                    continue;
                }
                let service = service_port_for(a, wi, port);
                let d = server_mtls::decide(
                    a,
                    Target {
                        workload: wi,
                        service,
                        target_port: port,
                    },
                );
                if d.mode != Some(ServerMode::Strict) {
                    continue;
                }
                let mut f = Finding::new(
                    &RULE,
                    format!(
                        "{kind} {field} of container {} in {} targets port {port}, which is STRICT ({}), and is not rewritten: {why_not}; the kubelet's plaintext probe is reset",
                        c.name,
                        w.id(),
                        d.reason
                    ),
                )
                .on(o, &format!("{prefix}.containers[{ci}].{field}"))
                .help(format!(
                    "set the pod annotation {REWRITE_ANNOTATION}: \"true\", or make port {port} PERMISSIVE with portLevelMtls, or exclude it with traffic.sidecar.istio.io/excludeInboundPorts"
                ))
                .codes(&[], &[]);
                if let Some(at) = d.deciding_field() {
                    let po = &a.inv.objects[at.object];
                    f = f.related(
                        po,
                        &at.field,
                        format!(
                            "{} {} makes port {port} STRICT",
                            po.kind.name(),
                            po.qualified_name()
                        ),
                    );
                }
                out.push(f);
            }
        }
    }
}

/// A Service port of the workload that targets `port` (v1alpha1 policies key on it).
fn service_port_for(a: &Analysis, w: usize, port: i32) -> Option<(&ServiceInfo, &PortInfo)> {
    a.inv.services_of[w].iter().find_map(|&s| {
        let s = &a.inv.services[s];
        s.ports
            .iter()
            .find(|p| a.inv.target_port(p, &a.inv.workloads[w]) == Some(port))
            .map(|p| (s, p))
    })
}
