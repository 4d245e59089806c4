//! AuthorizationPolicy: which policies apply to a workload (scope) and whether a rule matches one
//! request, field by field (research/authz-semantics.md §2–§7, §9, §10).
//!
//! Every field kind has its own function; [`rule_matches`] combines them with the boolean
//! structure of §4. HTTP-only fields on a TCP filter chain (§7) are handled in two steps: an
//! ALLOW rule using one is dropped before matching ([`http_only_fields`]), and for DENY, AUDIT
//! and CUSTOM the matchers treat an HTTP-only field as matching (the field is removed, so the
//! rule matches more).

use std::net::IpAddr;

use crate::analysis::Analysis;
use crate::model::inventory::ServiceInfo;
use crate::model::istio::common::{TargetRef, WorkloadSelector};
use crate::model::istio::security::{
    AuthorizationPolicySpec, AuthzAction, Condition, Operation, Rule, Source,
};
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::model::selector::matches_labels;
use crate::resolve::jwt::Token;
use crate::resolve::request::{Peer, Request};

/// Label Istio puts on Kubernetes Gateway API gateways (and waypoints).
pub const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";
/// Annotation that turns a policy into a shadow (logged, never enforced) policy (§2.6).
pub const DRY_RUN_ANNOTATION: &str = "istio.io/dry-run";

/// What a rule is matched against: the request, the connection, and the validated JWT.
#[derive(Debug, Clone)]
pub struct Ctx<'a> {
    pub peer: &'a Peer,
    pub req: &'a Request,
    /// The normalized path, without query string (§9).
    pub path: String,
    /// The port's filter chain is HTTP (false: TCP chain, HTTP-only fields do not exist).
    pub http: bool,
    /// The workload (container) port the request arrives on (§5 `ports`).
    pub target_port: i32,
    /// The token jwt_authn validated (or the v1alpha1 origin), source of `request.auth.*`.
    pub auth: Option<&'a Token>,
    /// Claims split on spaces before matching (`scope`, `permission`, `spaceDelimitedClaims`).
    pub space_delimited: Vec<String>,
    /// The trust-domain bundle: mesh trust domain then its aliases (§6).
    pub trust_domains: Vec<String>,
}

impl Ctx<'_> {
    /// The peer identity without `spiffe://`, only when the connection is mTLS (§6).
    fn identity(&self) -> Option<&str> {
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

// ---------------------------------------------------------------- scope (§2)

/// Whether the workload is a Kubernetes Gateway API gateway or waypoint (§2.3).
pub fn is_gateway_api(labels: &std::collections::BTreeMap<String, String>) -> bool {
    labels.contains_key(GATEWAY_NAME_LABEL)
}

/// Whether a policy of `policy_ns` with this selector/targetRefs applies to `workload` (§2.1–3).
/// Shared by AuthorizationPolicy and RequestAuthentication (§8 "Selection").
pub fn applies_to(
    a: &Analysis,
    policy_ns: &str,
    selector: Option<&WorkloadSelector>,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    workload: usize,
) -> bool {
    let w = &a.inv.workloads[workload];
    if policy_ns != a.inv.root_namespace() && policy_ns != w.namespace {
        return false;
    }
    let refs: Vec<&TargetRef> = target_ref.into_iter().chain(target_refs).collect();
    if is_gateway_api(&w.labels) {
        // Only targetRefs attach; kind Gateway in the same namespace naming this gateway.
        let name = &w.labels[GATEWAY_NAME_LABEL];
        return refs.iter().any(|r| {
            r.kind == "Gateway"
                && &r.name == name
                && policy_ns == w.namespace
                && (r.namespace.is_empty() || r.namespace == w.namespace)
        });
    }
    if !refs.is_empty() {
        // Ordinary sidecars (and Istio's own ingress gateways) ignore targetRef policies.
        return false;
    }
    selector.is_none_or(|s| matches_labels(&s.match_labels, &w.labels))
}

/// The AuthorizationPolicies (object indexes) that apply to `workload`, oldest first.
pub fn applicable(a: &Analysis, workload: usize) -> Vec<usize> {
    let ns = a.inv.workloads[workload].namespace.as_str();
    a.policies
        .request_policies_in(
            &a.inv,
            Kind::AuthorizationPolicy,
            &[ns, a.inv.root_namespace()],
        )
        .into_iter()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            matches!(&o.body, Body::AuthorizationPolicy(s) if applies_to(
                a,
                o.namespace(),
                s.selector.as_ref(),
                s.target_ref.as_ref(),
                &s.target_refs,
                workload,
            ))
        })
        .collect()
}

// ---------------------------------------------------------------- waypoints (§2.3, §14.9)

/// Label enrolling a namespace, Service or pod in a waypoint (istio-semantics §9).
pub const USE_WAYPOINT_LABEL: &str = "istio.io/use-waypoint";
/// Label naming the waypoint's namespace when it is not the labelled object's own.
pub const USE_WAYPOINT_NAMESPACE_LABEL: &str = "istio.io/use-waypoint-namespace";
/// Istio's own gateway-name label, also carried by waypoint pods.
pub const ISTIO_GATEWAY_NAME_LABEL: &str = "istio.io/gateway-name";
/// The GatewayClass every waypoint belongs to (§2.3: a root-namespace policy targeting it
/// attaches to all waypoints).
pub const WAYPOINT_CLASS: &str = "istio-waypoint";

/// The waypoint a destination uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waypoint {
    /// The waypoint Gateway's name and namespace.
    pub name: String,
    pub namespace: String,
    /// Which label enrolled the destination, for explanations.
    pub by: String,
    /// The waypoint's own workload, when its Deployment is among the inputs.
    pub workload: Option<usize>,
}

impl Waypoint {
    /// The waypoint's service account: its workload's, else the Gateway's name (the account
    /// Istio's deployment controller creates for it).
    pub fn service_account(&self, a: &Analysis) -> String {
        self.workload.map_or_else(
            || self.name.clone(),
            |w| a.inv.workloads[w].service_account.clone(),
        )
    }
}

/// The `istio.io/use-waypoint` label of one object: `Some(None)` opts out (`none`).
fn use_waypoint(
    labels: &std::collections::BTreeMap<String, String>,
    own_ns: &str,
) -> Option<Option<(String, String)>> {
    let name = labels.get(USE_WAYPOINT_LABEL)?;
    if name.is_empty() || name == "none" {
        return Some(None);
    }
    let ns = labels
        .get(USE_WAYPOINT_NAMESPACE_LABEL)
        .filter(|n| !n.is_empty())
        .map_or(own_ns, String::as_str);
    Some(Some((name.clone(), ns.to_owned())))
}

/// The waypoint a request to `svc` landing on `workload` goes through (istio-semantics §9):
/// the pod label beats the Service label beats the namespace label; `none` opts out at that
/// level. The label alone is taken as proof the waypoint exists (meshlint does not read
/// Gateway API Gateways); its workload is found by its gateway-name label.
pub fn waypoint_for(a: &Analysis, svc: &ServiceInfo, workload: usize) -> Option<Waypoint> {
    let w = &a.inv.workloads[workload];
    let svc_labels = svc.object.map(|i| a.inv.objects[i].labels());
    let levels = [
        ("pod", Some(&w.labels), w.namespace.as_str()),
        ("Service", svc_labels, svc.namespace.as_str()),
        (
            "namespace",
            Some(a.inv.namespace_labels(&svc.namespace)),
            svc.namespace.as_str(),
        ),
    ];
    let (level, name, namespace) = levels.iter().find_map(|&(level, labels, ns)| {
        use_waypoint(labels?, ns).map(|found| found.map(|(n, ns)| (level, n, ns)))
    })??;
    let workload = a.inv.workloads.iter().position(|x| {
        x.namespace == namespace
            && [GATEWAY_NAME_LABEL, ISTIO_GATEWAY_NAME_LABEL]
                .iter()
                .any(|l| x.labels.get(*l) == Some(&name))
    });
    Some(Waypoint {
        by: format!("{level} label {USE_WAYPOINT_LABEL}={name}"),
        name,
        namespace,
        workload,
    })
}

/// Whether a ServiceEntry named `name` in `ns` declares the host of `svc`.
fn service_entry_for(a: &Analysis, ns: &str, name: &str, svc: &ServiceInfo) -> bool {
    let hosts = [
        svc.fqdn("cluster.local"),
        format!("{}.{}.svc", svc.name, svc.namespace),
        format!("{}.{}", svc.name, svc.namespace),
        svc.name.clone(),
    ];
    a.inv.of_kind(Kind::ServiceEntry).any(|(_, o)| {
        o.namespace() == ns
            && o.name() == name
            && matches!(&o.body, Body::ServiceEntry(s) if s.hosts.iter().any(|h| hosts.contains(h)))
    })
}

/// Whether a policy of `policy_ns` with these targetRefs is enforced by `wp` for traffic to
/// `svc` (§2.3, §14.9): selector-only policies never are; `Service` (core group) and
/// `ServiceEntry` refs in the service's namespace, `Gateway` refs naming the waypoint in its
/// namespace, and `GatewayClass istio-waypoint` refs in the root namespace attach.
pub fn applies_at_waypoint(
    a: &Analysis,
    policy_ns: &str,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    svc: &ServiceInfo,
    wp: &Waypoint,
) -> bool {
    target_ref.into_iter().chain(target_refs).any(|r| {
        let ns_ok = |ns: &str| policy_ns == ns && (r.namespace.is_empty() || r.namespace == ns);
        match (r.kind.as_str(), r.group.as_str()) {
            ("Service", "" | "core") => r.name == svc.name && ns_ok(&svc.namespace),
            ("ServiceEntry", "" | "networking.istio.io") => {
                ns_ok(&svc.namespace) && service_entry_for(a, policy_ns, &r.name, svc)
            }
            ("Gateway", "" | "gateway.networking.k8s.io") => {
                r.name == wp.name && ns_ok(&wp.namespace)
            }
            ("GatewayClass", "" | "gateway.networking.k8s.io") => {
                r.name == WAYPOINT_CLASS && policy_ns == a.inv.root_namespace()
            }
            _ => false,
        }
    })
}

/// Whether a policy targets `svc` itself (`Service` or `ServiceEntry` refs): such a policy is
/// enforced only by a waypoint.
pub fn targets_service(
    a: &Analysis,
    policy_ns: &str,
    target_ref: Option<&TargetRef>,
    target_refs: &[TargetRef],
    svc: &ServiceInfo,
) -> bool {
    let nowhere = Waypoint {
        name: String::new(),
        namespace: String::new(),
        by: String::new(),
        workload: None,
    };
    target_ref.into_iter().chain(target_refs).any(|r| {
        matches!(r.kind.as_str(), "Service" | "ServiceEntry")
            && applies_at_waypoint(a, policy_ns, Some(r), &[], svc, &nowhere)
    })
}

/// The targetRefs of an AuthorizationPolicy or RequestAuthentication.
fn refs_of(body: &Body) -> Option<(Option<&TargetRef>, &[TargetRef])> {
    match body {
        Body::AuthorizationPolicy(s) => Some((s.target_ref.as_ref(), &s.target_refs)),
        Body::RequestAuthentication(s) => Some((s.target_ref.as_ref(), &s.target_refs)),
        _ => None,
    }
}

/// The policies of `kind` (AuthorizationPolicy or RequestAuthentication) the waypoint `wp`
/// enforces for traffic to `svc`, oldest first.
pub fn applicable_at_waypoint(
    a: &Analysis,
    kind: Kind,
    svc: &ServiceInfo,
    wp: &Waypoint,
) -> Vec<usize> {
    let namespaces = [
        svc.namespace.as_str(),
        wp.namespace.as_str(),
        a.inv.root_namespace(),
    ];
    a.policies
        .request_policies_in(&a.inv, kind, &namespaces)
        .into_iter()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            refs_of(&o.body)
                .is_some_and(|(r, rs)| applies_at_waypoint(a, o.namespace(), r, rs, svc, wp))
        })
        .collect()
}

/// The policies of `kind` targeting `svc` through Service/ServiceEntry refs, oldest first.
pub fn targeting_service(a: &Analysis, kind: Kind, svc: &ServiceInfo) -> Vec<usize> {
    a.policies
        .request_policies_in(
            &a.inv,
            kind,
            &[svc.namespace.as_str(), a.inv.root_namespace()],
        )
        .into_iter()
        .filter(|&i| {
            let o = &a.inv.objects[i];
            refs_of(&o.body).is_some_and(|(r, rs)| targets_service(a, o.namespace(), r, rs, svc))
        })
        .collect()
}

/// `istio.io/dry-run` parsed like Go's `strconv.ParseBool` (§2.6).
pub fn is_dry_run(annotations: &std::collections::BTreeMap<String, String>) -> bool {
    matches!(
        annotations.get(DRY_RUN_ANNOTATION).map(String::as_str),
        Some("1" | "t" | "T" | "true" | "TRUE" | "True")
    )
}

/// `ns[<namespace>]-policy[<name>]-rule[<index>]`, the name Envoy logs (§2).
pub fn rule_name(ns: &str, name: &str, rule: usize) -> String {
    format!("ns[{ns}]-policy[{name}]-rule[{rule}]")
}

// ---------------------------------------------------------------- value matching (§5)

/// Istio string match: `abc` exact, `abc*` prefix, `*abc` suffix, `*` non-empty (§5).
pub fn match_string(pattern: &str, value: &str) -> bool {
    if pattern == "*" {
        return !value.is_empty();
    }
    if let Some(suffix) = pattern.strip_prefix('*') {
        return value.ends_with(suffix);
    }
    if let Some(prefix) = pattern.strip_suffix('*') {
        return value.starts_with(prefix);
    }
    pattern == value
}

/// `values`/`notValues` of one field: (values empty OR any matches) AND (none of notValues
/// matches) (§4). An absent attribute makes `matches` false for every value.
fn field(values: &[String], not_values: &[String], matches: impl Fn(&str) -> bool) -> bool {
    (values.is_empty() || values.iter().any(|v| matches(v)))
        && !not_values.iter().any(|v| matches(v))
}

/// Splits a SPIFFE identity `td/ns/<ns>/sa/<sa>` into (trust domain, namespace, account).
fn spiffe_parts(identity: &str) -> Option<(&str, &str, &str)> {
    let id = identity.strip_prefix("spiffe://").unwrap_or(identity);
    let (td, rest) = id.split_once("/ns/")?;
    let (ns, rest) = rest.split_once('/')?;
    let sa = rest.strip_prefix("sa/")?;
    let sa = sa.split('/').next().unwrap_or(sa);
    Some((td, ns, sa))
}

/// Trust-domain aliasing of one principal value (§6): a `<td>/ns/<ns>/sa/<sa>` value whose
/// trust domain is in the bundle or is literally `cluster.local` stands for every domain of
/// the bundle.
pub fn expand_principal(value: &str, bundle: &[String]) -> Vec<String> {
    let parts: Vec<&str> = value.split('/').collect();
    if parts.len() == 5
        && parts[1] == "ns"
        && parts[3] == "sa"
        && (parts[0] == "cluster.local" || bundle.iter().any(|t| t == parts[0]))
        && !bundle.is_empty()
    {
        return bundle
            .iter()
            .map(|td| format!("{td}/ns/{}/sa/{}", parts[2], parts[4]))
            .collect();
    }
    vec![value.to_owned()]
}

/// `principals` / `source.principal` (§5, §6): needs mTLS; wildcards; aliases expanded.
pub fn match_principal(ctx: &Ctx<'_>, value: &str) -> bool {
    let Some(id) = ctx.identity() else {
        return false;
    };
    expand_principal(value, &ctx.trust_domains)
        .iter()
        .any(|v| match_string(v, id))
}

/// Whether a `namespaces`/`notNamespaces` entry (or a `source.namespace` value) names the
/// namespace `ns`: every `*` matches any run of characters, possibly empty. Istio builds the
/// regex `.*/ns/<value>/.*` with each `*` turned into `.*` (research/authz-semantics.md §5;
/// `pilot/pkg/security/authz/model/generator.go` srcNamespaceGenerator). The one matcher for
/// namespace patterns: the resolver and the rules both call it.
pub fn namespace_pattern_matches(pattern: &str, ns: &str) -> bool {
    glob(pattern, ns)
}

/// A glob where `*` matches any run of characters (possibly empty), as the regexes Istio
/// builds for namespaces and trust domains (§5).
fn glob(pattern: &str, value: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == value,
        Some((pre, post)) => {
            value.len() >= pre.len() + post.len()
                && value.starts_with(pre)
                && glob_tail(post, &value[pre.len()..])
        }
    }
}

fn glob_tail(pattern: &str, value: &str) -> bool {
    match pattern.split_once('*') {
        None => value.ends_with(pattern),
        Some((mid, rest)) => (0..=value.len())
            .filter(|&i| value.is_char_boundary(i) && value[i..].starts_with(mid))
            .any(|i| glob_tail(rest, &value[i + mid.len()..])),
    }
}

/// `namespaces` / `source.namespace` (§5): the namespace inside the peer identity; `*` in
/// the value matches any run of characters.
pub fn match_namespace(ctx: &Ctx<'_>, value: &str) -> bool {
    ctx.identity()
        .and_then(spiffe_parts)
        .is_some_and(|(_, ns, _)| namespace_pattern_matches(value, ns))
}

/// `serviceAccounts` / `source.serviceAccount` (§5): `ns/sa` or `sa` (the policy's
/// namespace); exact only.
pub fn match_service_account(ctx: &Ctx<'_>, policy_ns: &str, value: &str) -> bool {
    let (want_ns, want_sa) = value.split_once('/').unwrap_or((policy_ns, value));
    ctx.identity()
        .and_then(spiffe_parts)
        .is_some_and(|(_, ns, sa)| ns == want_ns && sa == want_sa)
}

/// `trustDomains` / `source.trustDomain` (§5, §6): `*` any identity; a bundle member stands
/// for the whole bundle; one `*` is a glob.
pub fn match_trust_domain(ctx: &Ctx<'_>, value: &str) -> bool {
    let Some((td, _, _)) = ctx.identity().and_then(spiffe_parts) else {
        return false;
    };
    if value == "*" {
        return true;
    }
    if ctx.trust_domains.iter().any(|t| t == value) {
        return ctx.trust_domains.iter().any(|t| t == td);
    }
    glob(value, td)
}

/// `requestPrincipals` / `request.auth.principal` (§5): the value is split at its last `/`
/// into issuer and subject patterns, each matched against the validated token; `*` needs both
/// `iss` and `sub`.
pub fn match_request_principal(ctx: &Ctx<'_>, value: &str) -> bool {
    let Some(t) = ctx.auth else { return false };
    let iss = t.issuer().unwrap_or("");
    let sub = t.subject().unwrap_or("");
    if value == "*" {
        return !iss.is_empty() && !sub.is_empty();
    }
    match value.rsplit_once('/') {
        Some((i, s)) => match_string(i, iss) && match_string(s, sub),
        None if value.ends_with('*') => match_string(value, iss) && !sub.is_empty(),
        None if value.starts_with('*') => !iss.is_empty() && match_string(value, sub),
        None => format!("{iss}/{sub}") == value,
    }
}

/// Parses an IP or CIDR; `None` when invalid (validation rejects those).
fn parse_cidr(text: &str) -> Option<(IpAddr, u8)> {
    match text.split_once('/') {
        Some((ip, len)) => {
            let ip: IpAddr = ip.parse().ok()?;
            let len: u8 = len.parse().ok()?;
            let max = if ip.is_ipv4() { 32 } else { 128 };
            (len <= max).then_some((ip, len))
        }
        None => {
            let ip: IpAddr = text.parse().ok()?;
            Some((ip, if ip.is_ipv4() { 32 } else { 128 }))
        }
    }
}

/// IP/CIDR containment (§5 `ipBlocks`, `remoteIpBlocks`, `source.ip`, `remote.ip`).
pub fn ip_in(block: &str, ip: &str) -> bool {
    let (Some((net, len)), Ok(ip)) = (parse_cidr(block), ip.parse::<IpAddr>()) else {
        return false;
    };
    match (net, ip) {
        (IpAddr::V4(n), IpAddr::V4(i)) => {
            let mask = if len == 0 { 0 } else { u32::MAX << (32 - len) };
            u32::from(n) & mask == u32::from(i) & mask
        }
        (IpAddr::V6(n), IpAddr::V6(i)) => {
            let mask = if len == 0 {
                0
            } else {
                u128::MAX << (128 - len)
            };
            u128::from(n) & mask == u128::from(i) & mask
        }
        _ => false,
    }
}

/// `ipBlocks` (direct peer) and `remoteIpBlocks` (original client; meshlint knows no
/// X-Forwarded-For chain, so the same address).
pub fn match_ip(ctx: &Ctx<'_>, block: &str) -> bool {
    ctx.peer.ip.as_deref().is_some_and(|ip| ip_in(block, ip))
}

/// `hosts` (§5): case-insensitive, no port stripping.
pub fn match_host(ctx: &Ctx<'_>, value: &str) -> bool {
    ctx.req
        .host
        .as_deref()
        .is_some_and(|h| match_string(&value.to_ascii_lowercase(), &h.to_ascii_lowercase()))
}

/// `ports` / `destination.port` (§5): the workload port, exact integer.
pub fn match_port(ctx: &Ctx<'_>, value: &str) -> bool {
    value
        .trim()
        .parse::<i32>()
        .is_ok_and(|p| p == ctx.target_port)
}

/// `methods` (§5): case-sensitive.
pub fn match_method(ctx: &Ctx<'_>, value: &str) -> bool {
    match_string(value, &ctx.req.method)
}

/// `paths` (§5, §9): the normalized path without query; templates with `{*}`/`{**}`.
pub fn match_path(ctx: &Ctx<'_>, value: &str) -> bool {
    if value.contains("{*}") || value.contains("{**}") {
        return match_template(value, &ctx.path);
    }
    match_string(value, &ctx.path)
}

/// Path templates (§9): `{*}` one non-empty segment, `{**}` zero or more segments; a template
/// ending in `{**}/` needs at least one more `/` after the `{**}` part.
pub fn match_template(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    template_segments(&t, &p)
}

fn template_segments(t: &[&str], p: &[&str]) -> bool {
    match t.split_first() {
        None => p.is_empty(),
        Some((&"{**}", rest)) => {
            if rest == [""] {
                return p.len() >= 2;
            }
            (0..=p.len()).any(|k| template_segments(rest, &p[k..]))
        }
        Some((&"{*}", rest)) => {
            p.first().is_some_and(|s| !s.is_empty()) && template_segments(rest, &p[1..])
        }
        Some((lit, rest)) => p.first() == Some(lit) && template_segments(rest, &p[1..]),
    }
}

/// Path normalization as the sidecar does by default (BASE, §9): query and fragment dropped,
/// unreserved `%xx` escapes decoded, `\` made `/`, `.` and `..` segments resolved.
pub fn normalize_path(raw: &str) -> String {
    let path = raw.split(['?', '#']).next().unwrap_or("");
    let bytes = path.as_bytes();
    let mut decoded = String::with_capacity(path.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%'
            && i + 2 < bytes.len()
            && let Ok(v) = u8::from_str_radix(&path[i + 1..i + 3], 16)
            && (v.is_ascii_alphanumeric() || matches!(v, b'-' | b'.' | b'_' | b'~'))
        {
            decoded.push(v as char);
            i += 3;
            continue;
        }
        let c = path[i..].chars().next().unwrap_or('/');
        decoded.push(if c == '\\' { '/' } else { c });
        i += c.len_utf8();
    }
    let mut out: Vec<&str> = Vec::new();
    let segs: Vec<&str> = decoded.split('/').collect();
    let last = segs.len().saturating_sub(1);
    for (n, s) in segs.iter().enumerate().skip(1) {
        match *s {
            "." => {
                if n == last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if n == last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// `request.headers[<name>]` (§9, §10): name case-insensitive; repeated headers joined with
/// `,`; `*` means present.
pub fn header_value(req: &Request, name: &str) -> Option<String> {
    let vals: Vec<&str> = req
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
        .collect();
    (!vals.is_empty()).then(|| vals.join(","))
}

/// The string values of a claim path for `request.auth.claims[...]` (§8): a string claim is one
/// value (split on spaces for space-delimited claims), a list gives its string elements;
/// numbers and booleans give none.
pub fn claim_values(ctx: &Ctx<'_>, path: &[String]) -> Vec<String> {
    let Some(t) = ctx.auth else { return Vec::new() };
    let Some((first, rest)) = path.split_first() else {
        return Vec::new();
    };
    let mut v = t.claims.get(first.as_str());
    for seg in rest {
        v = v.and_then(|v| v.get(seg.as_str()));
    }
    let name = path.last().map(String::as_str).unwrap_or("");
    let split =
        name == "scope" || name == "permission" || ctx.space_delimited.iter().any(|c| c == name);
    match v {
        Some(serde_json::Value::String(s)) if split => s
            .split(' ')
            .filter(|x| !x.is_empty())
            .map(str::to_owned)
            .collect(),
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Array(a)) => a
            .iter()
            .filter_map(|x| x.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

/// Parses `request.auth.claims[a][b]` into `["a", "b"]` (a bracket may hold dots/slashes).
pub fn claim_path(key: &str) -> Option<Vec<String>> {
    let mut rest = key.strip_prefix("request.auth.claims")?;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let r = rest.strip_prefix('[')?;
        let end = r.find(']')?;
        out.push(r[..end].to_owned());
        rest = &r[end + 1..];
    }
    (!out.is_empty()).then_some(out)
}

// ---------------------------------------------------------------- HTTP-only (§7)

/// The HTTP-only fields and `when` keys a rule uses, as field paths (§7).
pub fn http_only_fields(rule: &Rule, path: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (j, f) in rule.from.iter().flatten().enumerate() {
        if let Some(s) = &f.source {
            for (name, v) in [
                ("requestPrincipals", &s.request_principals),
                ("notRequestPrincipals", &s.not_request_principals),
            ] {
                if !v.is_empty() {
                    out.push(format!("{path}.from[{j}].source.{name}"));
                }
            }
        }
    }
    for (j, t) in rule.to.iter().flatten().enumerate() {
        if let Some(o) = &t.operation {
            for (name, v) in [
                ("hosts", &o.hosts),
                ("notHosts", &o.not_hosts),
                ("methods", &o.methods),
                ("notMethods", &o.not_methods),
                ("paths", &o.paths),
                ("notPaths", &o.not_paths),
            ] {
                if !v.is_empty() {
                    out.push(format!("{path}.to[{j}].operation.{name}"));
                }
            }
        }
    }
    for (j, c) in rule.when.iter().flatten().enumerate() {
        if is_http_only_key(&c.key) {
            out.push(format!("{path}.when[{j}]"));
        }
    }
    out
}

/// `when` keys that exist only on HTTP chains (§7, §10).
pub fn is_http_only_key(key: &str) -> bool {
    key.starts_with("request.headers[") || key.starts_with("request.auth.")
}

// ---------------------------------------------------------------- rule structure (§4)

/// One `source` (§4, §5): populated fields ANDed. HTTP-only fields match on TCP (only DENY-like
/// rules reach here with them, §7).
pub fn source_matches(ctx: &Ctx<'_>, policy_ns: &str, s: &Source) -> bool {
    field(&s.principals, &s.not_principals, |v| {
        match_principal(ctx, v)
    }) && field(&s.namespaces, &s.not_namespaces, |v| {
        match_namespace(ctx, v)
    }) && field(&s.service_accounts, &s.not_service_accounts, |v| {
        match_service_account(ctx, policy_ns, v)
    }) && field(&s.ip_blocks, &s.not_ip_blocks, |v| match_ip(ctx, v))
        && field(&s.remote_ip_blocks, &s.not_remote_ip_blocks, |v| {
            match_ip(ctx, v)
        })
        && (!ctx.http
            || field(&s.request_principals, &s.not_request_principals, |v| {
                match_request_principal(ctx, v)
            }))
}

/// One `operation` (§4, §5).
pub fn operation_matches(ctx: &Ctx<'_>, o: &Operation) -> bool {
    field(&o.ports, &o.not_ports, |v| match_port(ctx, v))
        && (!ctx.http
            || (field(&o.hosts, &o.not_hosts, |v| match_host(ctx, v))
                && field(&o.methods, &o.not_methods, |v| match_method(ctx, v))
                && field(&o.paths, &o.not_paths, |v| match_path(ctx, v))))
}

/// One `when` condition (§10). `Err` for a key Istio does not know (the rule is skipped).
pub fn condition_matches(ctx: &Ctx<'_>, policy_ns: &str, c: &Condition) -> Result<bool, String> {
    let key = c.key.as_str();
    if is_http_only_key(key) && !ctx.http {
        return Ok(true);
    }
    let values = |attr: &[String], m: &dyn Fn(&str, &str) -> bool| {
        field(&c.values, &c.not_values, |v| attr.iter().any(|a| m(v, a)))
    };
    let ok = match key {
        "source.ip" | "remote.ip" => field(&c.values, &c.not_values, |v| match_ip(ctx, v)),
        "source.namespace" => field(&c.values, &c.not_values, |v| match_namespace(ctx, v)),
        "source.principal" => field(&c.values, &c.not_values, |v| match_principal(ctx, v)),
        "source.serviceAccount" => field(&c.values, &c.not_values, |v| {
            match_service_account(ctx, policy_ns, v)
        }),
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
    let from = rule.from.as_ref().is_none_or(|f| {
        f.iter().any(|f| {
            f.source
                .as_ref()
                .is_none_or(|s| source_matches(ctx, policy_ns, s))
        })
    });
    let to = rule.to.as_ref().is_none_or(|t| {
        t.iter().any(|t| {
            t.operation
                .as_ref()
                .is_none_or(|o| operation_matches(ctx, o))
        })
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
    for (i, rule) in spec.rules.iter().flatten().enumerate() {
        if !ctx.http {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::istio::security::{From, To};

    fn peer(mtls: bool, principal: &str) -> Peer {
        Peer {
            mtls,
            principal: (!principal.is_empty()).then(|| principal.to_owned()),
            namespace: None,
            ip: Some("10.1.2.3".into()),
        }
    }

    fn req(method: &str, path: &str) -> Request {
        Request {
            method: method.into(),
            path: path.into(),
            host: Some("httpbin.foo:8000".into()),
            headers: vec![("x-token".into(), "abc".into())],
            token: None,
        }
    }

    fn ctx<'a>(p: &'a Peer, r: &'a Request) -> Ctx<'a> {
        Ctx {
            peer: p,
            req: r,
            path: normalize_path(&r.path),
            http: true,
            target_port: 80,
            auth: None,
            space_delimited: Vec::new(),
            trust_domains: vec!["cluster.local".into()],
        }
    }

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    fn analysis(text: &str) -> Analysis {
        use crate::input::load::{LoadOptions, Loaded};
        let loaded = Loaded::from_text("t.yaml", text, &LoadOptions::default());
        assert!(loaded.issues.is_empty(), "{:?}", loaded.issues);
        Analysis::new(loaded, Some("1.24".parse().unwrap()), None)
    }

    fn mesh(ns_labels: &str, svc_labels: &str, pod_labels: &str) -> Analysis {
        analysis(&format!(
            "apiVersion: v1\nkind: Namespace\nmetadata: {{name: foo, labels: {{istio.io/dataplane-mode: ambient{ns_labels}}}}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: wp, namespace: foo, labels: {{gateway.networking.k8s.io/gateway-name: waypoint}}}}\nspec:\n  serviceAccountName: waypoint\n  containers: [{{name: istio-proxy, image: x}}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {{name: echo, namespace: foo, labels: {{app: echo{pod_labels}}}}}\nspec:\n  containers: [{{name: echo, image: x}}]\n---\napiVersion: v1\nkind: Service\nmetadata: {{name: echo, namespace: foo, labels: {{x: y{svc_labels}}}}}\nspec:\n  selector: {{app: echo}}\n  ports: [{{name: http, port: 80}}]\n"
        ))
    }

    fn echo(a: &Analysis) -> (&ServiceInfo, usize) {
        let s = a.inv.services.iter().find(|s| s.name == "echo").unwrap();
        (s, s.workloads[0])
    }

    fn tref(kind: &str, group: &str, name: &str) -> TargetRef {
        TargetRef {
            group: group.into(),
            kind: kind.into(),
            name: name.into(),
            namespace: String::new(),
        }
    }

    /// istio-semantics §9: `istio.io/use-waypoint` on the pod beats the Service beats the
    /// namespace; `none` opts out at its level; the waypoint's workload is found by its
    /// gateway-name label.
    #[test]
    fn waypoint_enrollment_precedence() {
        let a = mesh(", istio.io/use-waypoint: waypoint", "", "");
        let (s, w) = echo(&a);
        let wp = waypoint_for(&a, s, w).unwrap();
        assert_eq!(
            (wp.name.as_str(), wp.namespace.as_str()),
            ("waypoint", "foo")
        );
        assert!(wp.by.starts_with("namespace"));
        let ww = wp.workload.expect("waypoint workload");
        assert_eq!(a.inv.workloads[ww].name, "wp");
        assert_eq!(wp.service_account(&a), "waypoint");

        let a = mesh(
            ", istio.io/use-waypoint: waypoint",
            ", istio.io/use-waypoint: none",
            "",
        );
        let (s, w) = echo(&a);
        assert_eq!(waypoint_for(&a, s, w), None);

        let a = mesh(
            ", istio.io/use-waypoint: waypoint",
            ", istio.io/use-waypoint: svc-wp",
            ", istio.io/use-waypoint: pod-wp",
        );
        let (s, w) = echo(&a);
        let wp = waypoint_for(&a, s, w).unwrap();
        assert_eq!(wp.name, "pod-wp");
        assert_eq!(wp.workload, None);
        assert_eq!(wp.service_account(&a), "pod-wp");

        let a = mesh("", ", istio.io/use-waypoint: svc-wp", "");
        let (s, w) = echo(&a);
        assert_eq!(waypoint_for(&a, s, w).unwrap().name, "svc-wp");

        let a = mesh("", "", "");
        let (s, w) = echo(&a);
        assert_eq!(waypoint_for(&a, s, w), None);
    }

    /// authz-semantics §2.3, §14.9: at a waypoint only targetRefs attach — `Service` (core group)
    /// in the service's namespace, `Gateway` naming the waypoint, `GatewayClass istio-waypoint`
    /// from the root namespace; selector policies and other namespaces never do; sidecars and
    /// ztunnel ignore targetRef policies.
    #[test]
    fn waypoint_policy_scope() {
        let a = mesh(", istio.io/use-waypoint: waypoint", "", "");
        let (s, w) = echo(&a);
        let wp = waypoint_for(&a, s, w).unwrap();
        let at = |ns: &str, r: TargetRef| applies_at_waypoint(&a, ns, None, &[r], s, &wp);
        assert!(at("foo", tref("Service", "", "echo")));
        assert!(at("foo", tref("Service", "core", "echo")));
        assert!(!at("foo", tref("Service", "apps", "echo")));
        assert!(!at("foo", tref("Service", "", "other")));
        assert!(!at("bar", tref("Service", "", "echo")));
        assert!(!at("istio-system", tref("Service", "", "echo")));
        let mut other_ns = tref("Service", "", "echo");
        other_ns.namespace = "bar".into();
        assert!(!at("foo", other_ns));
        assert!(at(
            "foo",
            tref("Gateway", "gateway.networking.k8s.io", "waypoint")
        ));
        assert!(!at(
            "foo",
            tref("Gateway", "gateway.networking.k8s.io", "other")
        ));
        assert!(at("istio-system", tref("GatewayClass", "", WAYPOINT_CLASS)));
        assert!(!at("foo", tref("GatewayClass", "", WAYPOINT_CLASS)));
        assert!(!applies_at_waypoint(&a, "foo", None, &[], s, &wp));
        // The destination pod (ztunnel) ignores the Service targetRef; targets_service sees it.
        let refs = [tref("Service", "", "echo")];
        assert!(!applies_to(&a, "foo", None, None, &refs, w));
        assert!(targets_service(&a, "foo", None, &refs, s));
        assert!(!targets_service(
            &a,
            "foo",
            None,
            &[tref("Gateway", "", "waypoint")],
            s
        ));
    }

    /// authz-semantics §2.3: a ServiceEntry ref attaches when that ServiceEntry declares the
    /// service's host.
    #[test]
    fn waypoint_service_entry_ref() {
        let a = analysis(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: foo, labels: {istio.io/dataplane-mode: ambient, istio.io/use-waypoint: waypoint}}\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: echo, namespace: foo, labels: {app: echo}}\nspec:\n  containers: [{name: echo, image: x}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: echo, namespace: foo}\nspec:\n  selector: {app: echo}\n  ports: [{name: http, port: 80}]\n---\napiVersion: networking.istio.io/v1\nkind: ServiceEntry\nmetadata: {name: echo-se, namespace: foo}\nspec:\n  hosts: [echo.foo.svc.cluster.local]\n  ports: [{number: 80, name: http, protocol: HTTP}]\n",
        );
        let (s, w) = echo(&a);
        let wp = waypoint_for(&a, s, w).unwrap();
        let se = |name: &str| {
            applies_at_waypoint(
                &a,
                "foo",
                None,
                &[tref("ServiceEntry", "networking.istio.io", name)],
                s,
                &wp,
            )
        };
        assert!(se("echo-se"));
        assert!(!se("missing"));
    }

    /// §5 "String-matching common rules": exact, prefix, suffix, `*` = non-empty.
    #[test]
    fn string_match_forms() {
        assert!(match_string("/api", "/api"));
        assert!(match_string("/api*", "/api"));
        assert!(match_string("/api*", "/apix"));
        assert!(match_string("*.txt", "a.txt"));
        assert!(match_string("*", "x"));
        assert!(!match_string("*", ""));
        assert!(!match_string("/api/*", "/api"));
    }

    /// §5 principals + §6: identities only over mTLS; plaintext fails principals and passes
    /// notPrincipals (TestAuthz_DenyPlaintext).
    #[test]
    fn principals_need_mtls() {
        let r = req("GET", "/");
        let m = peer(true, "cluster.local/ns/foo/sa/sleep");
        let p = peer(false, "cluster.local/ns/foo/sa/sleep");
        assert!(match_principal(
            &ctx(&m, &r),
            "cluster.local/ns/foo/sa/sleep"
        ));
        assert!(match_principal(&ctx(&m, &r), "*"));
        assert!(match_principal(&ctx(&m, &r), "*/sa/sleep"));
        assert!(!match_principal(&ctx(&p, &r), "*"));
        let src = Source {
            not_principals: s(&["*"]),
            ..Source::default()
        };
        assert!(source_matches(&ctx(&p, &r), "foo", &src));
        assert!(!source_matches(&ctx(&m, &r), "foo", &src));
    }

    /// §6 trust-domain aliases: `old-td/...` matches after migration only with the alias;
    /// `cluster.local/...` always means the current domain.
    #[test]
    fn trust_domain_aliases() {
        let r = req("GET", "/");
        let m = peer(true, "new-td/ns/foo/sa/sleep");
        let mut c = ctx(&m, &r);
        c.trust_domains = s(&["new-td"]);
        assert!(!match_principal(&c, "old-td/ns/foo/sa/sleep"));
        assert!(match_principal(&c, "cluster.local/ns/foo/sa/sleep"));
        c.trust_domains = s(&["new-td", "old-td"]);
        assert!(match_principal(&c, "old-td/ns/foo/sa/sleep"));
        assert!(match_trust_domain(&c, "old-td"));
        assert!(match_trust_domain(&c, "*"));
    }

    /// §5 namespaces (regex on the identity, `*` anywhere) and serviceAccounts (`ns/sa` or
    /// `sa` in the policy's namespace).
    #[test]
    fn namespaces_and_service_accounts() {
        let r = req("GET", "/");
        let m = peer(true, "cluster.local/ns/foo-prod/sa/sleep");
        let c = ctx(&m, &r);
        assert!(match_namespace(&c, "foo-prod"));
        assert!(match_namespace(&c, "foo-*"));
        assert!(match_namespace(&c, "*-prod"));
        assert!(!match_namespace(&c, "foo"));
        assert!(match_service_account(&c, "x", "foo-prod/sleep"));
        assert!(match_service_account(&c, "foo-prod", "sleep"));
        assert!(!match_service_account(&c, "bar", "sleep"));
    }

    /// §5 requestPrincipals: split at the last `/`; `*` needs iss and sub.
    #[test]
    fn request_principals_forms() {
        let tok = Token::parse(include_str!("../../testdata/request/valid.jwt")).unwrap();
        let nosub = Token::parse(include_str!("../../testdata/request/no-sub.jwt")).unwrap();
        let r = req("GET", "/");
        let p = peer(false, "");
        let mut c = ctx(&p, &r);
        assert!(!match_request_principal(&c, "*"));
        c.auth = Some(&tok);
        assert!(match_request_principal(&c, "*"));
        assert!(match_request_principal(
            &c,
            "testing@secure.istio.io/testing@secure.istio.io"
        ));
        assert!(match_request_principal(&c, "testing@secure.istio.io/*"));
        assert!(match_request_principal(&c, "*/testing@secure.istio.io"));
        assert!(match_request_principal(&c, "testing@*"));
        assert!(!match_request_principal(&c, "other/*"));
        c.auth = Some(&nosub);
        assert!(!match_request_principal(&c, "*"));
    }

    /// §5 hosts: case-insensitive, the port is not stripped.
    #[test]
    fn hosts_keep_the_port() {
        let r = req("GET", "/");
        let p = peer(false, "");
        let c = ctx(&p, &r);
        assert!(!match_host(&c, "httpbin.foo"));
        assert!(match_host(&c, "HTTPBIN.foo:*"));
        assert!(match_host(&c, "httpbin.foo:8000"));
    }

    /// §5 ports (workload port, exact) and methods (case-sensitive).
    #[test]
    fn ports_and_methods() {
        let r = req("GET", "/");
        let p = peer(false, "");
        let c = ctx(&p, &r);
        assert!(match_port(&c, "80"));
        assert!(!match_port(&c, "8000"));
        assert!(match_method(&c, "GET"));
        assert!(!match_method(&c, "get"));
    }

    /// §9 normalization: query dropped, dot segments resolved, `\` → `/`, `%2F` kept.
    #[test]
    fn path_normalization() {
        assert_eq!(normalize_path("/foo?v=1"), "/foo");
        assert_eq!(normalize_path("/a/./b/../c"), "/a/c");
        assert_eq!(normalize_path("/a\\b"), "/a/b");
        assert_eq!(normalize_path("/%61dmin"), "/admin");
        assert_eq!(normalize_path("/a%2Fb"), "/a%2Fb");
        assert_eq!(normalize_path("/a/.."), "/");
    }

    /// §9 templates, with the examples of the API reference.
    #[test]
    fn path_templates() {
        assert!(match_template("/foo/{*}", "/foo/bar"));
        assert!(!match_template("/foo/{*}", "/foo/bar/baz"));
        assert!(match_template("/foo/{**}/", "/foo/bar/"));
        assert!(match_template("/foo/{**}/", "/foo/bar/baz.txt"));
        assert!(match_template("/foo/{**}/", "/foo//"));
        assert!(!match_template("/foo/{**}/", "/foo/bar"));
        assert!(match_template("/foo/{*}/bar/{**}", "/foo/buzz/bar/"));
        assert!(match_template("/foo/{*}/bar/{**}", "/foo/buzz/bar/baz"));
    }

    /// §5 ipBlocks: CIDR containment.
    #[test]
    fn ip_blocks() {
        assert!(ip_in("10.0.0.0/8", "10.1.2.3"));
        assert!(ip_in("10.1.2.3", "10.1.2.3"));
        assert!(!ip_in("192.168.0.0/16", "10.1.2.3"));
        assert!(ip_in("::/0", "::1"));
    }

    /// §10 when keys: headers (case-insensitive names, `*` present), claims (nested, list,
    /// space-delimited scope), absent attribute fails values and passes notValues.
    #[test]
    fn when_conditions() {
        let tok = Token::parse(include_str!("../../testdata/request/groups.jwt")).unwrap();
        let r = req("GET", "/");
        let p = peer(false, "");
        let mut c = ctx(&p, &r);
        c.auth = Some(&tok);
        let cond = |k: &str, v: &[&str], n: &[&str]| Condition {
            key: k.into(),
            values: s(v),
            not_values: s(n),
        };
        let ok = |cd: Condition| condition_matches(&c, "foo", &cd).unwrap();
        assert!(ok(cond("request.headers[X-Token]", &["abc"], &[])));
        assert!(ok(cond("request.headers[x-token]", &["*"], &[])));
        assert!(!ok(cond("request.headers[x-missing]", &["*"], &[])));
        assert!(ok(cond("request.headers[x-missing]", &[], &["x"])));
        assert!(ok(cond("request.auth.claims[groups]", &["group1"], &[])));
        assert!(ok(cond("request.auth.claims[scope]", &["scope2"], &[])));
        assert!(ok(cond(
            "request.auth.claims[nested][key1]",
            &["valueB"],
            &[]
        )));
        assert!(!ok(cond("request.auth.claims[missing]", &["x"], &[])));
        assert!(ok(cond(
            "request.auth.audiences",
            &["app.example.com"],
            &[]
        )));
        assert!(ok(cond("destination.port", &["80"], &[])));
        assert!(
            condition_matches(&c, "foo", &cond("destination.labels[app]", &["x"], &[])).is_err()
        );
    }

    /// §4: values ORed within a field, fields ANDed, `from` alternatives ORed, `{}` matches all.
    #[test]
    fn rule_boolean_structure() {
        let r = req("GET", "/ip");
        let m = peer(true, "cluster.local/ns/foo/sa/sleep");
        let c = ctx(&m, &r);
        assert!(rule_matches(&c, "foo", &Rule::default()).unwrap());
        let rule = Rule {
            from: Some(vec![
                From {
                    source: Some(Source {
                        namespaces: s(&["bar"]),
                        ..Source::default()
                    }),
                },
                From {
                    source: Some(Source {
                        namespaces: s(&["foo"]),
                        ..Source::default()
                    }),
                },
            ]),
            to: Some(vec![To {
                operation: Some(Operation {
                    methods: s(&["GET", "POST"]),
                    paths: s(&["/ip"]),
                    ..Operation::default()
                }),
            }]),
            when: None,
        };
        assert!(rule_matches(&c, "foo", &rule).unwrap());
        let r2 = req("DELETE", "/ip");
        assert!(!rule_matches(&ctx(&m, &r2), "foo", &rule).unwrap());
    }

    /// §7: on a TCP chain an ALLOW rule with an HTTP-only field is dropped; a DENY rule loses the
    /// field and matches more.
    #[test]
    fn http_only_fields_on_tcp() {
        let r = req("GET", "/");
        let p = peer(false, "");
        let mut c = ctx(&p, &r);
        c.http = false;
        c.target_port = 9000;
        let rule = Rule {
            to: Some(vec![To {
                operation: Some(Operation {
                    methods: s(&["GET"]),
                    ports: s(&["9000"]),
                    ..Operation::default()
                }),
            }]),
            ..Rule::default()
        };
        let allow = AuthorizationPolicySpec {
            rules: Some(vec![rule.clone()]),
            ..AuthorizationPolicySpec::default()
        };
        let e = eval_policy(&c, "foo", &allow);
        assert_eq!(e.matched, None);
        assert_eq!(e.dropped.len(), 1);
        let deny = AuthorizationPolicySpec {
            action: AuthzAction::Deny,
            ..allow.clone()
        };
        assert_eq!(eval_policy(&c, "foo", &deny).matched, Some(0));
        c.target_port = 9001;
        assert_eq!(eval_policy(&c, "foo", &deny).matched, None);
    }
}
