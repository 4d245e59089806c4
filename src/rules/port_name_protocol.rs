//! `port-name-protocol`: a Service port whose name (and `appProtocol`) states no protocol Istio
//! knows, so Istio has to guess (research/istio-semantics.md §8; istioctl IST0118, Kiali
//! KIA0601).

use crate::diagnostic::Finding;
use crate::facts::namespaces::is_platform_namespace;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::resolve::protocol::{self, Protocol, ProtocolSource};
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Reports a Service port whose protocol Istio cannot tell: the port has no `appProtocol`
    /// (read from Istio 1.6) and its name does not follow `<protocol>[-<suffix>]`, where the
    /// protocol is one of `http`, `http2`, `https`, `grpc`, `grpc-web`, `tcp`, `tls`, `mongo`,
    /// `mysql`, `redis` or `udp` (case does not matter). Unnamed ports count too. Ports 25, 53,
    /// 3306 and 27017 are TCP whatever their name, and UDP ports are UDP.
    ///
    /// Services in the Kubernetes system namespaces, Istio's own Services (label `istio` or
    /// `release: istio`) and Services Istio generates for gateways and waypoints
    /// (`gateway.istio.io/managed`) are skipped, as istioctl does.
    ///
    /// ## Why is this bad?
    /// Istio then falls back to protocol sniffing (before 1.3 outbound and 1.5 inbound:
    /// plain TCP). Sniffing adds latency, breaks server-first protocols (MySQL, SMTP and
    /// others where the server speaks first), and makes the security outcome hard to predict:
    /// HTTP-only AuthorizationPolicy fields (`paths`, `methods`, `requestPrincipals`…) are
    /// enforced only when the port is known to be HTTP — on a TCP port an ALLOW rule with them
    /// is dropped and a DENY rule is reduced.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Service
    /// metadata:
    ///   name: my-service2
    ///   namespace: my-namespace2
    /// spec:
    ///   selector:
    ///     app: my-service2
    ///   ports:
    ///   - name: foo
    ///     port: 8080
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    ///   ports:
    ///   - name: http-foo        # or keep the name and set appProtocol: http
    ///     port: 8080
    /// ```
    ///
    /// ## References
    /// - istioctl IST0118 PortNameIsNotUnderNamingConvention (`pkg/config/analysis/analyzers/service/portname.go`)
    /// - Kiali KIA0601, KIA0602 for `appProtocol` (`services/port_mapping_checker.go`)
    /// - <https://istio.io/latest/docs/ops/configuration/traffic-management/protocol-selection/>
    pub static RULE = {
        code: "ML0404",
        name: "port-name-protocol",
        severity: Info,
        category: Membership,
        default_enabled: true,
        istio: ["IST0118"],
        kiali: ["KIA0601", "KIA0602"],
        summary: "service port name or appProtocol states no protocol istio knows",
        check: check,
    }
}

/// Values of `gateway.istio.io/managed` on Services Istio creates itself.
const MANAGED_BY_ISTIO: &[&str] = &[
    "istio.io-gateway-controller",
    "istio.io-mesh-controller",
    "istio.io-eastwest-controller",
];

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let use_app_protocol = a.profile.has(Behaviour::AppProtocol);
    for svc in &a.inv.services {
        let Some(index) = svc.object else { continue };
        let obj = &a.inv.objects[index];
        if !matches!(obj.body, Body::Service(_)) {
            continue;
        }
        let labels = obj.labels();
        let control_plane = labels.contains_key("istio") || labels.get("release") == Some("istio");
        let managed = labels
            .get("gateway.istio.io/managed")
            .is_some_and(|v| MANAGED_BY_ISTIO.contains(&v));
        if is_platform_namespace(&svc.namespace) || control_plane || managed {
            continue;
        }
        for (i, port) in svc.ports.iter().enumerate() {
            let app = port.app_protocol.as_deref();
            let (proto, source) = protocol::service_port_protocol(
                port.port,
                &port.name,
                &port.protocol,
                app,
                use_app_protocol,
            );
            if proto != Protocol::Unknown {
                continue;
            }
            let (what, field, kiali) = match (source, port.name.as_str()) {
                (ProtocolSource::AppProtocol, _) => (
                    format!(
                        "appProtocol `{}` is not a protocol istio knows",
                        app.unwrap_or_default()
                    ),
                    format!("spec.ports[{i}].appProtocol"),
                    "KIA0602",
                ),
                (_, "") => (
                    "has no name and no appProtocol".to_owned(),
                    format!("spec.ports[{i}]"),
                    "KIA0601",
                ),
                (_, name) => (
                    format!("name `{name}` does not start with a protocol istio knows"),
                    format!("spec.ports[{i}].name"),
                    "KIA0601",
                ),
            };
            let mut message = format!(
                "service {}/{} port {} {what}, so istio cannot tell its protocol",
                svc.namespace, svc.name, port.port
            );
            if !use_app_protocol && app.is_some() {
                message.push_str(&format!(
                    " (appProtocol is ignored before istio 1.6, judged as {})",
                    a.profile.version
                ));
            }
            let help = if use_app_protocol {
                "name the port `<protocol>[-<suffix>]` (for example `http-web`, `grpc`, `tcp-db`) or set `appProtocol` to one of http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis"
            } else {
                "name the port `<protocol>[-<suffix>]` (for example `http-web`, `grpc`, `tcp-db`); protocols: http, http2, https, grpc, grpc-web, tcp, tls, mongo, mysql, redis"
            };
            out.push(
                Finding::new(&RULE, message)
                    .on(obj, &field)
                    .help(help)
                    .codes(&["IST0118"], &[kiali]),
            );
        }
    }
}
