//! Whether a rule matches one request: the boolean structure of sources, operations and
//! conditions, and a policy's verdict (research/authz-semantics.md §4, §10).

use super::*;

/// What a rule is matched against: the request, the connection, and the validated JWT.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub peer: &'a Peer,
    pub req: &'a Request,
    /// The normalized path, without query string (§9).
    pub path: String,
    /// The port's filter chain is HTTP (false: TCP chain, HTTP-only fields do not exist).
    pub http: bool,
    /// Enforced by ztunnel (ambient, no waypoint): only L4 attributes exist, and a from/to
    /// entry or `when` condition left without any is an empty match that never matches
    /// (`pilot/pkg/serviceregistry/ambient/authorization.go` handleRule, ztunnel `src/rbac.rs`).
    pub ztunnel: Option<Ztunnel>,
    /// The address RBAC `remote_ip` matches (`remoteIpBlocks`, `remote.ip`): from
    /// X-Forwarded-For or the peer (`request::forwarded`); `None` when unknown.
    pub remote_ip: Option<String>,
    /// The unknown remote address comes from X-Forwarded-For, so it may be any address, not
    /// only a workload's (private) one.
    pub remote_any: bool,
    /// When the client address is unknown: `Some(true)` takes it to be inside every IP block,
    /// `Some(false)`/`None` outside all (evaluating both tells whether the outcome depends on it).
    pub ip_assumption: Option<bool>,
    /// The workload (container) port the request arrives on (§5 `ports`).
    pub target_port: i32,
    /// The token jwt_authn validated (or the v1alpha1 origin), source of `request.auth.*`.
    pub auth: Option<&'a Token>,
    /// Claims split on spaces before matching (`scope`, `permission`, `spaceDelimitedClaims`).
    pub space_delimited: Vec<String>,
    /// The trust-domain bundle: mesh trust domain then its aliases (§6); borrowed from
    /// [`Analysis::trust_domains`](crate::analysis::Analysis::trust_domains) in evaluations.
    pub trust_domains: std::borrow::Cow<'a, [String]>,
    /// Whether `trustDomains` and `source.trustDomain` are enforced (1.30.2 on); in 1.30.0 and
    /// 1.30.1 istiod's authz model ignored the fields and skipped rules with the key
    /// (`Behaviour::AuthzTrustDomains`).
    pub trust_domains_enforced: bool,
    /// Whether istiod quoted the values it put into regexes (`serviceAccounts`; `*suffix`
    /// principals and `namespaces`): false in the releases before the security fixes of the
    /// version table (`Behaviour::ServiceAccountRegexEscaped`, `PrincipalRegexEscaped`).
    pub escaped: Escaped,
}

/// Which regex-built matchers quote their values (Envoy-enforced policies; ztunnel never used
/// regexes: istio/istio 1.29.1 pilot/pkg/serviceregistry/kube/controller/ambient/
/// authorization.go:623-665).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Escaped {
    pub service_accounts: bool,
    pub principals: bool,
}

impl Default for Escaped {
    fn default() -> Escaped {
        Escaped {
            service_accounts: true,
            principals: true,
        }
    }
}

/// How the ztunnel of the chosen release combines the matches of one clause.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ztunnel {
    /// 1.19 on: a clause matches when any of its non-empty matches does (empty ones are skipped).
    AnyMatch,
    /// 1.18: every match of a clause must match, and an empty one fails it.
    AllMatch,
}

impl Ctx<'_> {
    /// The peer identity without `spiffe://`, only when the connection is mTLS (§6).
    pub(super) fn identity(&self) -> Option<&str> {
        if !self.peer.mtls {
            return None;
        }
        self.peer
            .principal
            .as_deref()
            .map(|p| p.strip_prefix("spiffe://").unwrap_or(p))
            .filter(|p| !p.is_empty())
    }
}

/// One `source` (§4, §5): populated fields ANDed. HTTP-only fields match on TCP (only DENY-like
/// rules reach here with them, §7).
pub fn source_matches(ctx: &Ctx<'_>, policy_ns: &str, s: &Source) -> bool {
    if ctx.ztunnel.is_some() {
        // ztunnel: the L4 part only; nothing L4 is an empty match, which never matches.
        return source_has_l4(s)
            && field(&s.principals, &s.not_principals, |v| {
                match_principal(ctx, v)
            })
            && field(&s.namespaces, &s.not_namespaces, |v| {
                match_namespace(ctx, v)
            })
            && field(&s.service_accounts, &s.not_service_accounts, |v| {
                match_service_account(ctx, policy_ns, v)
            })
            && field(&s.ip_blocks, &s.not_ip_blocks, |v| match_ip(ctx, v));
    }
    field(&s.principals, &s.not_principals, |v| {
        match_principal(ctx, v)
    }) && field(&s.namespaces, &s.not_namespaces, |v| {
        match_namespace(ctx, v)
    }) && field(&s.service_accounts, &s.not_service_accounts, |v| {
        match_service_account(ctx, policy_ns, v)
    }) && field(&s.ip_blocks, &s.not_ip_blocks, |v| match_ip(ctx, v))
        // istio/istio master pilot/pkg/security/authz/model/generator.go srcTrustDomainGenerator:
        // the peer's SPIFFE identity starts with `spiffe://<td>/`. istiod's ambient conversion
        // (pilot/pkg/serviceregistry/ambient/authorization.go) does not send them to ztunnel.
        && (!ctx.trust_domains_enforced
            || field(&s.trust_domains, &s.not_trust_domains, |v| {
                match_trust_domain(ctx, v)
            }))
        && field(&s.remote_ip_blocks, &s.not_remote_ip_blocks, |v| {
            match_remote_ip(ctx, v)
        })
        && (!ctx.http
            || field(&s.request_principals, &s.not_request_principals, |v| {
                match_request_principal(ctx, v)
            }))
}

/// One `operation` (§4, §5).
pub fn operation_matches(ctx: &Ctx<'_>, o: &Operation) -> bool {
    if ctx.ztunnel.is_some() {
        return operation_has_l4(o) && field(&o.ports, &o.not_ports, |v| match_port(ctx, v));
    }
    field(&o.ports, &o.not_ports, |v| match_port(ctx, v))
        && (!ctx.http
            || (field(&o.hosts, &o.not_hosts, |v| match_host(ctx, v))
                && field(&o.methods, &o.not_methods, |v| match_method(ctx, v))
                && field(&o.paths, &o.not_paths, |v| match_path(ctx, v))))
}

/// One `when` condition (§10). `Err` for a key Istio does not know (the rule is skipped).
pub fn condition_matches(ctx: &Ctx<'_>, policy_ns: &str, c: &Condition) -> Result<bool, String> {
    let key = c.key.as_str();
    if ctx.ztunnel.is_some() && !is_ztunnel_l4_key(key) {
        // An L7 condition reaches ztunnel as an empty clause: the rule never fires.
        return Ok(false);
    }
    if is_http_only_key(key) && !ctx.http {
        return Ok(true);
    }
    let values = |attr: &[String], m: &dyn Fn(&str, &str) -> bool| {
        field(&c.values, &c.not_values, |v| attr.iter().any(|a| m(v, a)))
    };
    let ok = match key {
        "source.ip" => field(&c.values, &c.not_values, |v| match_ip(ctx, v)),
        "remote.ip" => field(&c.values, &c.not_values, |v| match_remote_ip(ctx, v)),
        "source.namespace" => field(&c.values, &c.not_values, |v| match_namespace(ctx, v)),
        "source.principal" => field(&c.values, &c.not_values, |v| match_principal(ctx, v)),
        "source.serviceAccount" => field(&c.values, &c.not_values, |v| {
            match_service_account(ctx, policy_ns, v)
        }),
        "source.trustDomain" if !ctx.trust_domains_enforced => {
            // 1.30.0/1.30.1: the webhook accepts the key, the authz model does not know it,
            // and the builder skips the rule (istio/istio 1.30.0 builder.go:275-279).
            return Err(format!(
                "unknown attribute {key} in istiod's authorization model before Istio 1.30.2: the rule is skipped"
            ));
        }
        "source.trustDomain" => field(&c.values, &c.not_values, |v| match_trust_domain(ctx, v)),
        "request.auth.principal" => field(&c.values, &c.not_values, |v| {
            match_request_principal(ctx, v)
        }),
        "request.auth.audiences" => {
            let aud: Vec<String> = ctx
                .auth
                .map(|t| t.audiences().into_iter().map(str::to_owned).collect())
                .unwrap_or_default();
            values(&aud, &|v, a| match_string(v, a))
        }
        "request.auth.presenter" => {
            let azp: Vec<String> = ctx
                .auth
                .and_then(|t| t.claims.get("azp"))
                .and_then(|v| v.as_str())
                .map(|s| vec![s.to_owned()])
                .unwrap_or_default();
            values(&azp, &|v, a| match_string(v, a))
        }
        "destination.port" => field(&c.values, &c.not_values, |v| match_port(ctx, v)),
        // meshlint does not know the destination IP, the SNI or Envoy dynamic metadata: the
        // attribute counts as absent.
        "destination.ip" | "connection.sni" => field(&c.values, &c.not_values, |_| false),
        k if k.starts_with("experimental.envoy.filters.") => {
            field(&c.values, &c.not_values, |_| false)
        }
        k if k.starts_with("request.headers[") && k.ends_with(']') => {
            let name = &k["request.headers[".len()..k.len() - 1];
            let got = header_value(ctx.req, name);
            field(&c.values, &c.not_values, |v| match &got {
                Some(_) if v == "*" => true,
                Some(h) => match_string(v, h),
                None => false,
            })
        }
        k if k.starts_with("request.auth.claims[") => match claim_path(k) {
            Some(path) => {
                let got = claim_values(ctx, &path);
                values(&got, &|v, a| match_string(v, a))
            }
            None => return Err(format!("malformed claim key `{k}`")),
        },
        k => return Err(format!("unknown attribute `{k}`")),
    };
    Ok(ok)
}

/// A rule (§4): any `from` AND any `to` AND every `when`; absent parts match; `{}` matches
/// everything. `Err` when a `when` key is unknown.
pub fn rule_matches(ctx: &Ctx<'_>, policy_ns: &str, rule: &Rule) -> Result<bool, String> {
    for c in rule.when.iter().flatten() {
        if !condition_matches(ctx, policy_ns, c)? {
            return Ok(false);
        }
    }
    let all = ctx.ztunnel == Some(Ztunnel::AllMatch);
    let from = rule.from.as_ref().is_none_or(|f| {
        let one = |f: &crate::model::istio::security::From| {
            f.source
                .as_ref()
                .is_none_or(|s| source_matches(ctx, policy_ns, s))
        };
        if all {
            f.iter().all(one)
        } else {
            f.iter().any(one)
        }
    });
    let to = rule.to.as_ref().is_none_or(|t| {
        let one = |t: &crate::model::istio::security::To| {
            t.operation
                .as_ref()
                .is_none_or(|o| operation_matches(ctx, o))
        };
        if all {
            t.iter().all(one)
        } else {
            t.iter().any(one)
        }
    });
    Ok(from && to)
}

/// How one policy fared against the request.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyEval {
    /// The first matching rule.
    pub matched: Option<usize>,
    /// ALLOW rules dropped on a TCP chain: (rule, first HTTP-only field).
    pub dropped: Vec<(usize, String)>,
    /// DENY/AUDIT/CUSTOM rules that lost HTTP-only fields on a TCP chain (they match more).
    pub widened: Vec<usize>,
    /// Rules skipped because a `when` key is unknown.
    pub invalid: Vec<(usize, String)>,
}

/// Matches one policy's rules (§3, §4, §7).
pub fn eval_policy(ctx: &Ctx<'_>, policy_ns: &str, spec: &AuthorizationPolicySpec) -> PolicyEval {
    let mut out = PolicyEval::default();
    if ctx.ztunnel.is_some() && matches!(spec.action, AuthzAction::Custom | AuthzAction::Audit) {
        // istiod sends no CUSTOM or AUDIT policy to ztunnel ("ztunnel does not support the
        // %s action", authorization.go).
        return out;
    }
    for (i, rule) in spec.rules.iter().flatten().enumerate() {
        if ctx.ztunnel.is_some() {
            let l7 = ztunnel_l7_fields(rule, &format!("spec.rules[{i}]"));
            if let Some(first) = l7.first() {
                // ALLOW: the rule is dropped whole; DENY: only its L4 part is enforced.
                if spec.action == AuthzAction::Allow {
                    out.dropped.push((i, first.clone()));
                    continue;
                }
                out.widened.push(i);
            }
        } else if !ctx.http {
            let http_only = http_only_fields(rule, &format!("spec.rules[{i}]"));
            if let Some(first) = http_only.first() {
                if spec.action == AuthzAction::Allow {
                    out.dropped.push((i, first.clone()));
                    continue;
                }
                out.widened.push(i);
            }
        }
        match rule_matches(ctx, policy_ns, rule) {
            Ok(true) => {
                if out.matched.is_none() {
                    out.matched = Some(i);
                }
            }
            Ok(false) => {}
            Err(e) => out.invalid.push((i, e)),
        }
    }
    out
}
