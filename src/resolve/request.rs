//! The request outcome after the transport succeeded (SPEC §3.5): one HTTP request (or TCP
//! connection) through the server proxy's pipeline CUSTOM → JWT (RequestAuthentication, or
//! v1alpha1 `origins`) → DENY → ALLOW (→ legacy rbac.istio.io), giving 200, 401 or 403 and a
//! trace of the stages (research/authz-semantics.md §1, §3).
//!
//! Pure: everything comes from the [`Analysis`], the request, the peer and the key sets; `now`
//! is passed in so expiry is reproducible.

use crate::analysis::Analysis;
use crate::model::inventory::{PortInfo, ServiceInfo};
use crate::model::istio::security::AuthzAction;
use crate::model::resource::Body;
use crate::resolve::authn::{self, Authn, AuthnResult};
use crate::resolve::authz::{self, Ctx};
use crate::resolve::jwt::{JwksStore, Token};
use crate::resolve::protocol::{Protocol, service_port_protocol};
use crate::resolve::proxy::ProxyKind;
use crate::resolve::rbac;
use crate::resolve::server_mtls::{self, FieldRef, Target};
use crate::resolve::transport::Outcome;
use crate::version::Behaviour;

/// The request a cell stands for (SPEC §3.5).
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    pub method: String,
    /// Path as sent, query string allowed.
    pub path: String,
    /// `:authority`/Host (`None`: not sent).
    pub host: Option<String>,
    /// Header names lowercased.
    pub headers: Vec<(String, String)>,
    /// The token sent as `Authorization: Bearer` (`--token FILE`).
    pub token: Option<Token>,
}

impl Default for Request {
    fn default() -> Request {
        Request {
            method: "GET".into(),
            path: "/".into(),
            host: None,
            headers: Vec::new(),
            token: None,
        }
    }
}

/// The client end as the server proxy sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Peer {
    /// The connection is Istio mTLS (identity fields can match only then, §6).
    pub mtls: bool,
    /// `cluster.local/ns/foo/sa/sleep` when the client has a sidecar/ambient and the
    /// connection is mTLS.
    pub principal: Option<String>,
    pub namespace: Option<String>,
    /// The direct peer IP, when known.
    pub ip: Option<String>,
}

/// One stage of the pipeline, for `check`'s trace (SPEC §5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// `custom`, `jwt`, `origin`, `deny`, `allow`, `rbac`.
    pub stage: &'static str,
    /// `allow`, `deny`, `pass`, `unauthenticated`, `forbidden`, `delegated`, `skip`.
    pub decision: String,
    pub by: Vec<FieldRef>,
    pub detail: String,
}

fn stage(name: &'static str, decision: &str, by: Vec<FieldRef>, detail: String) -> Stage {
    Stage {
        stage: name,
        decision: decision.to_owned(),
        by,
        detail,
    }
}

/// Whether the server proxy builds an HTTP filter chain for this port: declared HTTP
/// protocols, and unknown ones (sniffed; curl speaks HTTP).
pub fn http_chain(a: &Analysis, port: &PortInfo) -> bool {
    let (p, _) = service_port_protocol(
        port.port,
        &port.name,
        &port.protocol,
        port.app_protocol.as_deref(),
        a.profile.has(Behaviour::AppProtocol),
    );
    p.is_http() || p == Protocol::Unknown
}

/// Evaluates one request to `server_workload` through `service` on `target_port`.
///
/// Returns [`Outcome::Ok`], [`Outcome::Unauthenticated`] (401), [`Outcome::Forbidden`] (403, or a
/// closed connection on TCP ports), or [`Outcome::Reset`] when ztunnel (ambient) denies, and the
/// stages that ran, the deciding one last.
#[allow(clippy::too_many_arguments)]
pub fn evaluate(
    a: &Analysis,
    server_workload: usize,
    service: (&ServiceInfo, &PortInfo),
    target_port: i32,
    peer: &Peer,
    req: &Request,
    now: i64,
    jwks: &JwksStore,
) -> (Outcome, Vec<Stage>) {
    let proxy = a.proxies[server_workload].kind;
    let mut stages = Vec::new();
    if proxy == ProxyKind::None {
        stages.push(stage(
            "allow",
            "allow",
            Vec::new(),
            "the server has no proxy: no request policy is enforced".into(),
        ));
        return (Outcome::Ok, stages);
    }
    let ambient = proxy == ProxyKind::Ambient;
    let http = http_chain(a, service.1) && !ambient;
    let deny_outcome = if ambient {
        Outcome::Reset
    } else {
        Outcome::Forbidden
    };
    let path = authz::normalize_path(&req.path);
    let mesh = &a.inv.mesh;
    let mut trust_domains = vec![mesh.trust_domain().to_owned()];
    trust_domains.extend(mesh.trust_domain_aliases.iter().cloned());
    let chain_note = if ambient {
        "ztunnel (ambient) enforces L4 only: HTTP-only fields are treated as on a TCP port"
    } else if http {
        "HTTP filter chain"
    } else {
        "TCP filter chain: HTTP-only fields drop ALLOW rules and are removed from DENY rules"
    };
    let has_authz = a.profile.has(Behaviour::AuthorizationPolicy);
    let policies = if has_authz {
        authz::applicable(a, server_workload)
    } else {
        Vec::new()
    };
    let with_action = |action: AuthzAction| -> Vec<(usize, bool)> {
        policies
            .iter()
            .copied()
            .filter(|&i| matches!(&a.inv.objects[i].body, Body::AuthorizationPolicy(s) if s.action == action))
            .map(|i| (i, authz::is_dry_run(a.inv.objects[i].annotations())))
            .collect()
    };
    let mut ctx = Ctx {
        peer,
        req,
        path: path.clone(),
        http,
        target_port,
        auth: None,
        space_delimited: Vec::new(),
        trust_domains,
    };

    // 1. CUSTOM (before JWT: it never sees request.auth, §3).
    let custom = with_action(AuthzAction::Custom);
    if !custom.is_empty() {
        let hits = matches(a, &ctx, &custom);
        let enforced: Vec<&Hit> = hits.iter().filter(|h| !h.dry_run).collect();
        match enforced.first() {
            Some(h) => {
                let provider = match &a.inv.objects[h.object].body {
                    Body::AuthorizationPolicy(s) => s
                        .provider
                        .as_ref()
                        .map_or("(none)".to_owned(), |p| p.name.clone()),
                    _ => String::new(),
                };
                stages.push(stage(
                    "custom",
                    "delegated",
                    vec![h.at.clone()],
                    format!(
                        "{} matches: the request goes to extension provider {provider}; its decision is unknown to meshlint and assumed to allow",
                        h.name
                    ),
                ));
            }
            None => stages.push(stage(
                "custom",
                "pass",
                custom.iter().map(|&(i, _)| spec_ref(i)).collect(),
                format!(
                    "no CUSTOM rule matches: the external authorizer is not called{}",
                    dry_note(&hits)
                ),
            )),
        }
    }

    // 2. JWT: RequestAuthentication, or v1alpha1 origins in their era.
    let authn_result = if ambient {
        stages.push(stage(
            "jwt",
            "skip",
            Vec::new(),
            "ztunnel does not validate JWTs (RequestAuthentication needs a waypoint)".into(),
        ));
        None
    } else {
        jwt_stage(
            a,
            server_workload,
            service,
            target_port,
            proxy,
            req,
            &path,
            now,
            jwks,
        )
    };
    let mut token_holder = None;
    if let Some((name, r)) = authn_result {
        let AuthnResult {
            verdict,
            by,
            detail,
            space_delimited,
        } = r;
        match verdict {
            Authn::Unauthenticated => {
                stages.push(stage(name, "unauthenticated", by, detail));
                return (Outcome::Unauthenticated, stages);
            }
            Authn::Forbidden => {
                stages.push(stage(name, "forbidden", by, detail));
                return (Outcome::Forbidden, stages);
            }
            Authn::Pass(t) => {
                stages.push(stage(name, "pass", by, detail));
                token_holder = t;
                ctx.space_delimited = space_delimited;
            }
        }
    }
    ctx.auth = token_holder.as_ref();

    if has_authz {
        // 3. DENY (AUDIT never changes the decision; dry-run is logged only).
        let deny = with_action(AuthzAction::Deny);
        let hits = matches(a, &ctx, &deny);
        let audit_hits = matches(a, &ctx, &with_action(AuthzAction::Audit));
        let audit_note = if audit_hits.is_empty() {
            String::new()
        } else {
            format!(
                "; AUDIT {} matches (logged only)",
                audit_hits
                    .iter()
                    .map(|h| h.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        };
        if let Some(h) = hits.iter().find(|h| !h.dry_run) {
            stages.push(stage(
                "deny",
                "deny",
                vec![h.at.clone()],
                format!(
                    "{} matches{}: {} ({chain_note}){audit_note}",
                    h.name,
                    if h.widened {
                        " (HTTP-only fields removed on this port, so it matches more)"
                    } else {
                        ""
                    },
                    if ambient {
                        "ztunnel closes the connection"
                    } else {
                        "RBAC: access denied"
                    }
                ),
            ));
            return (deny_outcome, stages);
        }
        stages.push(stage(
            "deny",
            "pass",
            deny.iter().map(|&(i, _)| spec_ref(i)).collect(),
            format!(
                "{}{}{audit_note}",
                if deny.is_empty() {
                    "no DENY policy applies"
                } else {
                    "no DENY rule matches"
                },
                dry_note(&hits)
            ),
        ));

        // 4. ALLOW.
        let allow = with_action(AuthzAction::Allow);
        let enforced: Vec<(usize, bool)> = allow.iter().copied().filter(|&(_, d)| !d).collect();
        let hits = matches(a, &ctx, &allow);
        let dry_allow = allow.iter().any(|&(_, d)| d);
        let dry_detail = if dry_allow {
            let would = hits.iter().any(|h| h.dry_run);
            format!(
                "; dry-run ALLOW policies would have {} (not enforced)",
                if would { "allowed" } else { "denied" }
            )
        } else {
            String::new()
        };
        if enforced.is_empty() {
            stages.push(stage(
                "allow",
                "allow",
                Vec::new(),
                format!("no ALLOW policy applies: allowed{dry_detail}"),
            ));
        } else if let Some(h) = hits.iter().find(|h| !h.dry_run) {
            stages.push(stage(
                "allow",
                "allow",
                vec![h.at.clone()],
                format!("{} matches{dry_detail}", h.name),
            ));
        } else {
            let dropped = dropped_note(a, &ctx, &enforced);
            let empty = enforced.iter().all(|&(i, _)| {
                matches!(&a.inv.objects[i].body, Body::AuthorizationPolicy(s) if s.rules.as_ref().is_none_or(Vec::is_empty))
            });
            stages.push(stage(
                "allow",
                "deny",
                enforced.iter().map(|&(i, _)| spec_ref(i)).collect(),
                format!(
                    "{}: {} ({chain_note}){dropped}{dry_detail}",
                    if empty {
                        "only allow-nothing ALLOW policies (`spec: {}` or no rules) apply"
                    } else {
                        "ALLOW policies apply and no rule matches"
                    },
                    if ambient {
                        "ztunnel closes the connection"
                    } else {
                        "RBAC: access denied"
                    }
                ),
            ));
            return (deny_outcome, stages);
        }
    }

    // 5. Legacy rbac.istio.io (≤ 1.5).
    if a.profile.has(Behaviour::RbacV1alpha1)
        && let Some(s) = rbac::evaluate(a, server_workload, service, target_port, &ctx)
    {
        let denied = s.decision == "deny";
        stages.push(s);
        if denied {
            return (deny_outcome, stages);
        }
    }
    (Outcome::Ok, stages)
}

/// The JWT stage that applies: v1alpha1 `origins` (while served, unless RequestAuthentication
/// takes over in 1.5), else RequestAuthentication (from 1.5).
#[allow(clippy::too_many_arguments)]
fn jwt_stage(
    a: &Analysis,
    workload: usize,
    service: (&ServiceInfo, &PortInfo),
    target_port: i32,
    proxy: ProxyKind,
    req: &Request,
    path: &str,
    now: i64,
    jwks: &JwksStore,
) -> Option<(&'static str, AuthnResult)> {
    let has_ra = a.profile.has(Behaviour::PeerAuthentication);
    let ras = if has_ra {
        authn::applicable_request_authentications(a, workload)
    } else {
        Vec::new()
    };
    if a.profile.has(Behaviour::V1alpha1Policy) && ras.is_empty() {
        let target = Target {
            workload,
            service: Some(service),
            target_port,
        };
        if let Some(d) = server_mtls::v1alpha1(a, target, proxy)
            && let Some(first) = d.decided_by.first()
            && let Body::Policy(spec) = &a.inv.objects[first.object].body
        {
            return Some((
                "origin",
                authn::legacy_origins(first.object, spec, req, path, now, jwks),
            ));
        }
    }
    has_ra.then(|| {
        (
            "jwt",
            authn::request_authentication(a, workload, req, now, jwks),
        )
    })
}

/// A matching rule of one policy.
#[derive(Debug, Clone)]
struct Hit {
    object: usize,
    at: FieldRef,
    name: String,
    dry_run: bool,
    widened: bool,
}

fn spec_ref(object: usize) -> FieldRef {
    FieldRef {
        object,
        field: "spec".into(),
    }
}

/// The matching rule of each policy in `list` (object, dry-run).
fn matches(a: &Analysis, ctx: &Ctx<'_>, list: &[(usize, bool)]) -> Vec<Hit> {
    let mut out = Vec::new();
    for &(i, dry_run) in list {
        let o = &a.inv.objects[i];
        let Body::AuthorizationPolicy(spec) = &o.body else {
            continue;
        };
        let e = authz::eval_policy(ctx, o.namespace(), spec);
        if let Some(r) = e.matched {
            out.push(Hit {
                object: i,
                at: FieldRef {
                    object: i,
                    field: format!("spec.rules[{r}]"),
                },
                name: format!(
                    "{}{}",
                    authz::rule_name(o.namespace(), o.name(), r),
                    if dry_run { " (dry-run)" } else { "" }
                ),
                dry_run,
                widened: e.widened.contains(&r),
            });
        }
    }
    out
}

fn dry_note(hits: &[Hit]) -> String {
    let dry: Vec<&str> = hits
        .iter()
        .filter(|h| h.dry_run)
        .map(|h| h.name.as_str())
        .collect();
    if dry.is_empty() {
        String::new()
    } else {
        format!(
            "; {} would have matched (dry-run, not enforced)",
            dry.join(", ")
        )
    }
}

fn dropped_note(a: &Analysis, ctx: &Ctx<'_>, list: &[(usize, bool)]) -> String {
    let mut notes = Vec::new();
    for &(i, _) in list {
        let o = &a.inv.objects[i];
        if let Body::AuthorizationPolicy(spec) = &o.body {
            for (r, field) in authz::eval_policy(ctx, o.namespace(), spec).dropped {
                notes.push(format!(
                    "{} dropped on this TCP port ({field} is HTTP-only)",
                    authz::rule_name(o.namespace(), o.name(), r)
                ));
            }
        }
    }
    if notes.is_empty() {
        String::new()
    } else {
        format!("; {}", notes.join("; "))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::input::load::{LoadOptions, Loaded, load_text};

    const BASE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: foo, labels: {istio-injection: enabled}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: foo}
spec:
  selector: {matchLabels: {app: echo}}
  template:
    metadata: {labels: {app: echo}}
    spec:
      containers: [{name: echo, image: x, ports: [{containerPort: 9000}]}]
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: foo}
spec:
  selector: {app: echo}
  ports: [{name: http, port: 80, targetPort: 9000}, {name: tcp, port: 9000}]
"#;

    fn analysis(policies: &str) -> Analysis {
        let text = format!("{BASE}---\n{policies}");
        let (objects, issues, skipped) =
            load_text(&Arc::from("t.yaml"), &text, &LoadOptions::default());
        assert!(issues.is_empty(), "{issues:?}");
        let loaded = Loaded {
            objects,
            issues,
            skipped,
            files: 1,
            bytes: text.len(),
        };
        Analysis::new(loaded, Some("latest".parse().unwrap()), None)
    }

    fn run(a: &Analysis, port: usize, method: &str) -> (Outcome, Vec<Stage>) {
        let s = a.inv.services.iter().find(|s| s.name == "echo").unwrap();
        let w = s.workloads[0];
        let req = Request {
            method: method.into(),
            ..Request::default()
        };
        evaluate(
            a,
            w,
            (s, &s.ports[port]),
            9000,
            &Peer::default(),
            &req,
            0,
            &JwksStore::new(),
        )
    }

    /// authz-semantics §3.1, §14.7: a matching CUSTOM rule delegates to the provider, whose
    /// decision meshlint cannot know (assumed allow); AUDIT never changes the decision (§3.6).
    #[test]
    fn custom_is_delegated_and_audit_changes_nothing() {
        let a = analysis(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: ext, namespace: foo}\nspec:\n  action: CUSTOM\n  provider: {name: opa}\n  rules: [{to: [{operation: {paths: [\"/\"]}}]}]\n---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: audit, namespace: foo}\nspec:\n  action: AUDIT\n  rules: [{}]\n",
        );
        let (o, stages) = run(&a, 0, "GET");
        assert_eq!(o, Outcome::Ok);
        assert_eq!(stages[0].stage, "custom");
        assert_eq!(stages[0].decision, "delegated");
        assert!(stages[0].detail.contains("unknown"));
        assert!(stages.iter().any(|s| s.detail.contains("AUDIT")));
    }

    /// authz-semantics §7: DENY {methods: [GET]} rejects every TCP connection (the HTTP-only
    /// field is removed), and only GET on the HTTP port.
    #[test]
    fn deny_widened_on_tcp() {
        let a = analysis(
            "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: no-get, namespace: foo}\nspec:\n  action: DENY\n  rules: [{to: [{operation: {methods: [GET]}}]}]\n",
        );
        assert_eq!(run(&a, 0, "GET").0, Outcome::Forbidden);
        assert_eq!(run(&a, 0, "POST").0, Outcome::Ok);
        assert_eq!(run(&a, 1, "POST").0, Outcome::Forbidden);
    }

    /// authz-semantics §3 "allow-nothing" and "allow-all": `spec: {}` denies; adding an ALLOW
    /// `rules: [{}]` policy allows again (ALLOW policies are additive, §2.4).
    #[test]
    fn allow_nothing_and_allow_all() {
        let nothing = "apiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {name: allow-nothing, namespace: foo}\nspec: {}\n";
        assert_eq!(run(&analysis(nothing), 0, "GET").0, Outcome::Forbidden);
        let both = format!(
            "{nothing}---\napiVersion: security.istio.io/v1\nkind: AuthorizationPolicy\nmetadata: {{name: allow-all, namespace: foo}}\nspec:\n  rules: [{{}}]\n"
        );
        assert_eq!(run(&analysis(&both), 0, "GET").0, Outcome::Ok);
    }
}
