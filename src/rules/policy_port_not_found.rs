//! `policy-port-not-found`: v1alpha1 authentication Policy targets whose ports (by number or
//! name) the target Service does not have, and targets that name no Service
//! (istioctl IST0114; research/istio-semantics.md §2.2–2.3, research/istioctl.md §2.1, §3.1).
//!
//! `targets[].ports` select *Service* ports. istioctl 1.5's MTLS analyzer reported IST0114 only
//! for port names it could not resolve through the Service; numbers are checked here too, but
//! carry no istioctl code. Missing target Services are reported only when the inputs contain
//! Services at all.

use crate::diagnostic::Finding;
use crate::model::inventory::ServiceInfo;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// For Istio versions that serve `authentication.istio.io/v1alpha1` (0.8–1.5), checks each
    /// Policy target:
    ///
    /// - a `ports[]` entry, by `number` or `name`, that is no port of the target Service;
    /// - a target `name` that is no Service in the Policy's namespace (only when the inputs
    ///   contain Services).
    ///
    /// When a number is the *target* port of one of the Service's ports, the message names the
    /// Service port to use instead.
    ///
    /// ## Why is this bad?
    /// Istio indexes service-level Policies by (host, Service port). A port the Service does
    /// not have matches no traffic, so the Policy applies to nothing and the ports you meant to
    /// protect fall back to the namespace Policy or the MeshPolicy — often plaintext. The same
    /// happens for a target name that is no Service in the Policy's namespace (targets are
    /// resolved in the Policy's own namespace).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: authentication.istio.io/v1alpha1
    /// kind: Policy
    /// metadata: {name: httpbin, namespace: bar}
    /// spec:
    ///   targets:
    ///   - name: httpbin
    ///     ports: [{number: 1234}]     # httpbin.bar exposes only 8000
    ///   peers: [{mtls: {}}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   targets:
    ///   - name: httpbin
    ///     ports: [{number: 8000}]
    /// ```
    ///
    /// ## References
    /// - istioctl IST0114 (PolicySpecifiesPortNameThatDoesntExist), release-1.5
    ///   `galley/pkg/config/analysis/analyzers/auth/mtls.go`
    /// - istio/api `authentication/v1alpha1/policy.proto` (`PortSelector`: "Service port")
    /// - research/istio-semantics.md §2.2–2.3
    pub static RULE = {
        code: "ML0215",
        name: "policy-port-not-found",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0114"],
        kiali: [],
        summary: "v1alpha1 Policy target port (or target name) that the Service does not have",
        check: check,
    }
}

fn ports_text(svc: &ServiceInfo) -> String {
    svc.ports
        .iter()
        .map(|p| {
            if p.name.is_empty() {
                p.port.to_string()
            } else {
                format!("{} ({})", p.port, p.name)
            }
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if !a.profile.has(Behaviour::V1alpha1Policy) {
        return;
    }
    let have_services = a.inv.of_kind(Kind::Service).next().is_some();
    for (_, o) in a.inv.of_kind(Kind::Policy) {
        let Body::Policy(spec) = &o.body else {
            continue;
        };
        let ns = o.namespace();
        for (ti, target) in spec.targets.iter().enumerate() {
            let svc = a
                .inv
                .services
                .iter()
                .find(|s| s.namespace == ns && s.name == target.name && s.object.is_some());
            let Some(svc) = svc else {
                if have_services && !target.name.is_empty() {
                    out.push(
                        Finding::new(
                            &RULE,
                            format!(
                                "target {} is no Service in namespace {ns}, so this target applies to nothing",
                                target.name
                            ),
                        )
                        .on(o, &format!("spec.targets[{ti}].name"))
                        .help("targets name Services of the Policy's own namespace: fix the name or move the Policy")
                        .codes(&[], &[]),
                    );
                }
                continue;
            };
            let available = ports_text(svc);
            for (pi, sel) in target.ports.iter().enumerate() {
                let field = format!("spec.targets[{ti}].ports[{pi}]");
                if let Some(n) = sel.number {
                    let n = i64::from(n);
                    if svc.ports.iter().any(|p| i64::from(p.port) == n) {
                        continue;
                    }
                    // A target port written instead of the Service port?
                    let via = svc.ports.iter().find(|p| {
                        svc.workloads.iter().any(|&w| {
                            a.inv.target_port(p, &a.inv.workloads[w]).map(i64::from) == Some(n)
                        }) || matches!(&p.target_port,
                            Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::Int(t)) if i64::from(*t) == n)
                    });
                    let (message, help) = match via {
                        Some(p) => (
                            format!(
                                "port {n} is a target port of Service {}/{}, not a Service port (Service port {} forwards to it), so this port selector matches nothing",
                                svc.namespace, svc.name, p.port
                            ),
                            format!("targets.ports select Service ports: use number {}", p.port),
                        ),
                        None => (
                            format!(
                                "Service {}/{} has no port {n} (ports: {available}), so this port selector matches nothing",
                                svc.namespace, svc.name
                            ),
                            format!("use one of the Service's ports: {available}"),
                        ),
                    };
                    out.push(
                        Finding::new(&RULE, message)
                            .on(o, &field)
                            .help(help)
                            .codes(&[], &[])
                            .related(
                                &a.inv.objects[svc.object.unwrap_or_default()],
                                "spec.ports",
                                "the target Service's ports",
                            ),
                    );
                } else if let Some(name) = &sel.name {
                    if svc
                        .ports
                        .iter()
                        .any(|p| !p.name.is_empty() && p.name == *name)
                    {
                        continue;
                    }
                    out.push(
                        Finding::new(
                            &RULE,
                            format!(
                                "Service {}/{} has no port named {name} (ports: {available}), so this port selector matches nothing",
                                svc.namespace, svc.name
                            ),
                        )
                        .on(o, &field)
                        .help(format!("use the name or number of one of the Service's ports: {available}"))
                        .codes(&["IST0114"], &[])
                        .related(
                            &a.inv.objects[svc.object.unwrap_or_default()],
                            "spec.ports",
                            "the target Service's ports",
                        ),
                    );
                }
            }
        }
    }
}
