//! Legacy RBAC (`rbac.istio.io/v1alpha1`, served until 1.5): ClusterRbacConfig decides which
//! services are enforced; an enforced request is allowed only when some ServiceRoleBinding's
//! subject matches and its ServiceRole has a matching rule (research/authz-semantics.md §13).
//!
//! Simplifications (said in the stage detail where they matter): `user` matches the peer
//! identity or the request principal `iss/sub`; constraint/property keys other than those listed
//! in [`property_matches`] make the rule or subject not match; enforcement mode PERMISSIVE
//! enforces nothing.

use crate::analysis::Analysis;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::istio::legacy::{AccessRule, RbacConfigSpec, Subject};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::authz::{
    self, Ctx, claim_path, claim_values, header_value, ip_in, match_namespace, match_string,
};
use crate::resolve::request::Stage;
use crate::resolve::server_mtls::FieldRef;

/// Whether `config` enforces RBAC for `svc` (§13 ClusterRbacConfig modes).
pub fn enforced(config: &RbacConfigSpec, svc: &ServiceInfo, fqdn: &str) -> bool {
    let listed = |t: &Option<crate::model::istio::legacy::RbacTarget>| {
        t.as_ref().is_some_and(|t| {
            t.namespaces.contains(&svc.namespace)
                || t.services.iter().any(|s| s == fqdn || *s == svc.name)
        })
    };
    if config.enforcement_mode.eq_ignore_ascii_case("PERMISSIVE") {
        return false;
    }
    match config.mode.to_ascii_uppercase().as_str() {
        "ON" => true,
        "ON_WITH_INCLUSION" => listed(&config.inclusion),
        "ON_WITH_EXCLUSION" => !listed(&config.exclusion),
        _ => false,
    }
}

/// The RBAC stage, or `None` when no ClusterRbacConfig/RbacConfig exists.
pub fn evaluate(
    a: &Analysis,
    _workload: usize,
    service: (&ServiceInfo, &PortInfo),
    target_port: i32,
    ctx: &Ctx<'_>,
) -> Option<Stage> {
    let inv = &a.inv;
    let (svc, _) = service;
    let config = inv
        .of_kind(Kind::ClusterRbacConfig)
        .chain(inv.of_kind(Kind::RbacConfig))
        .find_map(|(i, o)| match &o.body {
            Body::RbacConfig(s) if o.name() == "default" => Some((i, s)),
            _ => None,
        })?;
    let fqdn = svc.fqdn("cluster.local");
    let config_ref = FieldRef {
        object: config.0,
        field: "spec.mode".into(),
    };
    if !enforced(config.1, svc, &fqdn) {
        return Some(Stage {
            stage: "rbac",
            decision: "pass".into(),
            by: vec![config_ref],
            detail: format!("rbac.istio.io is not enforced for {fqdn}"),
        });
    }
    for (bi, b) in inv.of_kind(Kind::ServiceRoleBinding) {
        if b.namespace() != svc.namespace {
            continue;
        }
        let Body::ServiceRoleBinding(binding) = &b.body else {
            continue;
        };
        let role_name = if binding.role_ref.name.is_empty() {
            binding.role.trim_start_matches("/")
        } else {
            binding.role_ref.name.as_str()
        };
        let Some((ri, rules)) = inv
            .of_kind(Kind::ServiceRole)
            .find_map(|(ri, r)| match &r.body {
                Body::ServiceRole(s) if r.namespace() == svc.namespace && r.name() == role_name => {
                    Some((ri, &s.rules))
                }
                _ => None,
            })
        else {
            continue;
        };
        let Some(si) = binding
            .subjects
            .iter()
            .position(|s| subject_matches(ctx, s))
        else {
            continue;
        };
        let Some(rule) = rules
            .iter()
            .position(|r| access_matches(ctx, r, &fqdn, target_port))
        else {
            continue;
        };
        return Some(Stage {
            stage: "rbac",
            decision: "allow".into(),
            by: vec![
                FieldRef {
                    object: bi,
                    field: format!("spec.subjects[{si}]").into(),
                },
                FieldRef {
                    object: ri,
                    field: format!("spec.rules[{rule}]").into(),
                },
            ],
            detail: format!(
                "ServiceRoleBinding {}/{} grants ServiceRole {role_name}",
                b.namespace(),
                b.name()
            ),
        });
    }
    Some(Stage {
        stage: "rbac",
        decision: "deny".into(),
        by: vec![config_ref],
        detail: format!(
            "rbac.istio.io enforced for {fqdn} and no ServiceRoleBinding matches: RBAC: access denied"
        ),
    })
}

fn any(values: &[String], m: impl Fn(&str) -> bool) -> bool {
    values.iter().any(|v| m(v))
}

/// A ServiceRole rule (§13): services, methods, paths, ports, constraints. Methods/paths make
/// a rule ignored on TCP ports.
fn access_matches(ctx: &Ctx<'_>, r: &AccessRule, fqdn: &str, port: i32) -> bool {
    let has_http = !(r.methods.is_empty()
        && r.paths.is_empty()
        && r.not_methods.is_empty()
        && r.not_paths.is_empty());
    if !ctx.http && has_http {
        return false;
    }
    let field = |v: &[String], n: &[String], m: &dyn Fn(&str) -> bool| {
        (v.is_empty() || any(v, m)) && !any(n, m)
    };
    (r.services.is_empty() || any(&r.services, |s| match_string(s, fqdn)))
        && field(&r.methods, &r.not_methods, &|v| {
            match_string(v, &ctx.req.method)
        })
        && field(&r.paths, &r.not_paths, &|v| match_string(v, &ctx.path))
        && field(&r.hosts, &r.not_hosts, &|v| {
            ctx.req
                .host
                .as_deref()
                .is_some_and(|h| match_string(&v.to_ascii_lowercase(), &h.to_ascii_lowercase()))
        })
        && (r.ports.is_empty() || r.ports.contains(&i64::from(port)))
        && !r.not_ports.contains(&i64::from(port))
        && r.constraints
            .iter()
            .all(|c| property_matches(ctx, &c.key, &c.values, port))
}

/// `user`: the peer identity (mTLS only) or the request principal `iss/sub`; `*` is everyone.
fn user_matches(ctx: &Ctx<'_>, user: &str) -> bool {
    if user == "*" {
        return true;
    }
    authz::match_principal(ctx, user)
        || ctx.auth.is_some_and(|t| {
            match_string(
                user,
                &format!("{}/{}", t.issuer().unwrap_or(""), t.subject().unwrap_or("")),
            )
        })
}

fn subject_matches(ctx: &Ctx<'_>, s: &Subject) -> bool {
    (s.user.is_empty() || user_matches(ctx, &s.user))
        && (s.group.is_empty() || claim_values(ctx, &["groups".to_owned()]).contains(&s.group))
        && (s.names.is_empty() || any(&s.names, |n| user_matches(ctx, n)))
        && !any(&s.not_names, |n| user_matches(ctx, n))
        && (s.namespaces.is_empty() || any(&s.namespaces, |n| match_namespace(ctx, n)))
        && !any(&s.not_namespaces, |n| match_namespace(ctx, n))
        && (s.ips.is_empty() || any(&s.ips, |b| authz::match_ip(ctx, b)))
        && !any(&s.not_ips, |b| authz::match_ip(ctx, b))
        && s.properties
            .iter()
            .all(|(k, v)| property_matches(ctx, k, std::slice::from_ref(v), 0))
}

/// Constraint/property keys (§13): `source.ip`, `source.namespace`, `source.principal`,
/// `request.auth.principal|audiences|presenter|claims[...]`, `request.headers[...]`,
/// `destination.port`. Anything else does not match.
fn property_matches(ctx: &Ctx<'_>, key: &str, values: &[String], port: i32) -> bool {
    let m = |f: &dyn Fn(&str) -> bool| any(values, f);
    match key {
        "source.ip" => m(&|v| ctx.peer.ip.as_deref().is_some_and(|ip| ip_in(v, ip))),
        "source.namespace" => m(&|v| match_namespace(ctx, v)),
        "source.principal" => m(&|v| authz::match_principal(ctx, v)),
        "request.auth.principal" => m(&|v| authz::match_request_principal(ctx, v)),
        "destination.port" => m(&|v| v.parse::<i32>().is_ok_and(|p| p == port)),
        "request.auth.audiences" => {
            let aud: Vec<String> = ctx
                .auth
                .map(|t| t.audiences().into_iter().map(str::to_owned).collect())
                .unwrap_or_default();
            m(&|v| aud.iter().any(|a| match_string(v, a)))
        }
        k if k.starts_with("request.headers[") && k.ends_with(']') => {
            let h = header_value(ctx.req, &k["request.headers[".len()..k.len() - 1]);
            m(&|v| h.as_deref().is_some_and(|h| match_string(v, h)))
        }
        k if k.starts_with("request.auth.claims[") => match claim_path(k) {
            Some(p) => {
                let got = claim_values(ctx, &p);
                m(&|v| got.iter().any(|g| match_string(v, g)))
            }
            None => false,
        },
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::istio::legacy::RbacTarget;

    fn svc() -> ServiceInfo {
        ServiceInfo {
            object: None,
            name: "httpbin".into(),
            namespace: "foo".into(),
            has_selector: false,
            ports: Vec::new(),
            headless: false,
            workloads: Vec::new(),
        }
    }

    /// §13 ClusterRbacConfig modes: ON, ON_WITH_INCLUSION, ON_WITH_EXCLUSION, OFF.
    #[test]
    fn rbac_config_modes() {
        let s = svc();
        let f = s.fqdn("cluster.local");
        let cfg = |mode: &str, inc: Option<RbacTarget>, exc: Option<RbacTarget>| RbacConfigSpec {
            mode: mode.into(),
            inclusion: inc,
            exclusion: exc,
            enforcement_mode: String::new(),
        };
        let ns = |n: &str| {
            Some(RbacTarget {
                services: Vec::new(),
                namespaces: vec![n.into()],
            })
        };
        assert!(enforced(&cfg("ON", None, None), &s, &f));
        assert!(!enforced(&cfg("OFF", None, None), &s, &f));
        assert!(enforced(&cfg("ON_WITH_INCLUSION", ns("foo"), None), &s, &f));
        assert!(!enforced(
            &cfg("ON_WITH_INCLUSION", ns("bar"), None),
            &s,
            &f
        ));
        assert!(!enforced(
            &cfg("ON_WITH_EXCLUSION", None, ns("foo")),
            &s,
            &f
        ));
        assert!(enforced(&cfg("ON_WITH_EXCLUSION", None, ns("bar")), &s, &f));
    }
}
