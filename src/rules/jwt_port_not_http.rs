//! `jwt-port-not-http`: a v1alpha1 authentication Policy with JWT `origins` that targets a
//! Service port whose name does not start with `http` or whose protocol is not TCP: the sidecar
//! does not run the HTTP filters there, so the JWT is never checked (istioctl 1.4–1.5
//! `JwtAnalyzer`, IST0119; research/istioctl.md §3.4).

use crate::diagnostic::Finding;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// For Istio versions that serve authentication.istio.io/v1alpha1 (up to 1.5), reports each
    /// Service port a Policy with JWT `origins` targets (the ports it lists by number or name,
    /// else every port of the Service) whose name does not start with `http` (`http`, `http2`,
    /// `https` pass) or whose protocol is not TCP.
    ///
    /// ## Why is this bad?
    /// JWT validation is an HTTP filter. On a port Istio does not treat as HTTP the request is
    /// proxied as plain TCP, the token is never looked at, and requests without one get through.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: authentication.istio.io/v1alpha1
    /// kind: Policy
    /// metadata: {name: jwt-on-api, namespace: shop}
    /// spec:
    ///   targets:
    ///   - name: api
    ///     ports: [{number: 8080}]     # named `api-8080` in the Service
    ///   origins:
    ///   - jwt: {issuer: "testing@secure.istio.io"}
    /// ```
    ///
    /// ## Use instead
    /// Name the Service port with an `http` prefix (`http-api`), with protocol TCP.
    ///
    /// ## References
    /// - istioctl IST0119 JwtFailureDueToInvalidServicePortPrefix, 1.5
    ///   `galley/pkg/config/analysis/analyzers/auth/jwt.go`
    /// - research/istioctl.md §3.4
    pub static RULE = {
        code: "ML0311",
        name: "jwt-port-not-http",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: ["IST0119"],
        kiali: [],
        summary: "v1alpha1 JWT Policy on a Service port that is not HTTP by name or protocol",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    if !a.profile.has(Behaviour::V1alpha1Policy) {
        return;
    }
    for (_, o) in a.inv.of_kind(Kind::Policy) {
        let Body::Policy(spec) = &o.body else {
            continue;
        };
        if spec.origins.is_empty() {
            continue;
        }
        for (t, target) in spec.targets.iter().enumerate() {
            let Some(svc) = a.inv.services.iter().find(|s| {
                s.object.is_some() && s.namespace == o.namespace() && s.name == target.name
            }) else {
                continue;
            };
            for port in &svc.ports {
                let targeted = target.ports.is_empty()
                    || target.ports.iter().any(|p| {
                        p.number
                            .is_some_and(|n| i64::from(n) == i64::from(port.port))
                            || p.name.as_deref().is_some_and(|n| n == port.name)
                    });
                if !targeted {
                    continue;
                }
                let tcp = port.protocol.eq_ignore_ascii_case("TCP");
                if tcp && port.name.starts_with("http") {
                    continue;
                }
                let why = if tcp {
                    format!("its name {:?} does not start with `http`", port.name)
                } else {
                    format!("its protocol is {}", port.protocol)
                };
                out.push(
                    Finding::new(
                        &RULE,
                        format!(
                            "JWT origins target port {} of Service {}/{}, but {why}: the token is never checked there",
                            port.port, svc.namespace, svc.name
                        ),
                    )
                    .on(o, &format!("spec.targets[{t}]"))
                    .codes(&["IST0119"], &[]),
                );
            }
        }
    }
}
