//! Value matching field by field: strings with Istio's wildcards, principals and trust-domain
//! aliases, namespaces, service accounts, IPs, hosts, ports, methods, paths and path
//! templates, claims (research/authz-semantics.md §5, §6, §9).

use super::*;
use crate::model::istio::mesh::NormalizationType;

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
pub(super) fn field(
    values: &[String],
    not_values: &[String],
    matches: impl Fn(&str) -> bool,
) -> bool {
    (values.is_empty() || values.iter().any(|v| matches(v)))
        && !not_values.iter().any(|v| matches(v))
}

/// Splits a SPIFFE identity `td/ns/<ns>/sa/<sa>` into (trust domain, namespace, account).
pub(super) fn spiffe_parts(identity: &str) -> Option<(&str, &str, &str)> {
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
    match aliased(value, bundle) {
        Some(rest) => bundle.iter().map(|td| format!("{td}/{rest}")).collect(),
        None => vec![value.to_owned()],
    }
}

/// `ns/<ns>/sa/<sa>` of a value that trust-domain aliasing applies to (see
/// [`expand_principal`]); `None` when it stands for itself.
fn aliased<'v>(value: &'v str, bundle: &[String]) -> Option<&'v str> {
    if bundle.is_empty() {
        return None;
    }
    // Five parts between four `/`, found in one pass over the bytes: splitting the value and
    // collecting the parts, per principal per cell, was 2 % of `matrix` (issue 14, callgrind).
    let mut slash = [0; 4];
    let mut n = 0;
    for (i, &c) in value.as_bytes().iter().enumerate() {
        if c == b'/' {
            *slash.get_mut(n)? = i;
            n += 1;
        }
    }
    if n != 4 || &value[slash[0] + 1..slash[1]] != "ns" || &value[slash[2] + 1..slash[3]] != "sa" {
        return None;
    }
    let td = &value[..slash[0]];
    (td == "cluster.local" || bundle.iter().any(|t| t == td)).then(|| &value[td.len() + 1..])
}

/// `principals` / `source.principal` (§5, §6): needs mTLS; wildcards; aliases expanded.
/// Before the fix of the version table a `*suffix` value was raw regex text:
/// `spiffe://.*<suffix>` (istio/istio 1.29.2 pilot/pkg/security/authz/matcher/string.go:99-115).
pub fn match_principal(ctx: &Ctx<'_>, value: &str) -> bool {
    let Some(id) = ctx.identity() else {
        return false;
    };
    if !value.contains('*') {
        // An exact value (the common case) is equal to the identity or, aliased, to it in
        // one of the bundle's domains: compared without building the aliases (issue 14).
        return match aliased(value, &ctx.trust_domains) {
            Some(rest) => id.split_once('/').is_some_and(|(td, id_rest)| {
                id_rest == rest && ctx.trust_domains.iter().any(|t| t == td)
            }),
            None => value == id,
        };
    }
    expand_principal(value, &ctx.trust_domains)
        .iter()
        .any(|v| match v.strip_prefix('*') {
            Some(suffix) if !ctx.escaped.principals && !suffix.is_empty() => {
                envoy_regex(&format!("spiffe://.*{suffix}"), &format!("spiffe://{id}"))
            }
            _ => match_string(v, id),
        })
}

/// Envoy `safe_regex` (RE2, matched against the whole value) on a pattern istiod built from
/// unescaped policy text. A pattern RE2 refuses makes Envoy reject the whole RBAC filter;
/// meshlint then matches nothing.
fn envoy_regex(pattern: &str, value: &str) -> bool {
    regex::Regex::new(&format!("^(?:{pattern})$")).is_ok_and(|re| re.is_match(value))
}

/// Whether a `namespaces`/`notNamespaces` entry (or a `source.namespace` value) names the
/// namespace `ns`: every `*` matches any run of characters, possibly empty. Istio builds the
/// regex `.*/ns/<value>/.*` with each `*` turned into `.*` (research/authz-semantics.md §5;
/// `pilot/pkg/security/authz/model/generator.go` srcNamespaceGenerator). The one matcher for
/// namespace patterns: the resolver and the rules both call it.
pub fn namespace_pattern_matches(pattern: &str, ns: &str) -> bool {
    glob(pattern, ns)
}

/// Whether one of `patterns` (namespace patterns, as [`namespace_pattern_matches`] reads
/// them) names a namespace of a set: an exact name by `holds` (a lookup), a pattern with `*`
/// against each of `names()`. A set as large as the mesh is then looked up, not scanned once
/// per pattern (issue 14).
pub fn any_namespace_named<'p, 'n, N: Iterator<Item = &'n str>>(
    patterns: impl IntoIterator<Item = &'p str>,
    holds: impl Fn(&str) -> bool,
    names: impl Fn() -> N,
) -> bool {
    patterns.into_iter().any(|p| {
        if p.contains('*') {
            names().any(|ns| namespace_pattern_matches(p, ns))
        } else {
            holds(p)
        }
    })
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
///
/// Before the fix of the version table the value was raw regex text with each `*` made `.*`:
/// `.*/ns/<value>/.*` (istio/istio 1.29.2 pilot/pkg/security/authz/model/generator.go:178-182).
pub fn match_namespace(ctx: &Ctx<'_>, value: &str) -> bool {
    if !ctx.escaped.principals {
        return ctx.identity().is_some_and(|id| {
            envoy_regex(
                &format!(".*/ns/{}/.*", value.replace('*', ".*")),
                &format!("spiffe://{id}"),
            )
        });
    }
    ctx.identity()
        .and_then(spiffe_parts)
        .is_some_and(|(_, ns, _)| namespace_pattern_matches(value, ns))
}

/// `serviceAccounts` / `source.serviceAccount` (§5): `ns/sa` or `sa` (the policy's
/// namespace); exact only.
///
/// Before the fix of the version table the parts were raw regex text in
/// `spiffe://.+/ns/<ns>/(.+/|)sa/<sa>(/.+)?` (istio/istio 1.27.8
/// pilot/pkg/security/authz/model/generator.go:192-213).
pub fn match_service_account(ctx: &Ctx<'_>, policy_ns: &str, value: &str) -> bool {
    let (want_ns, want_sa) = value.split_once('/').unwrap_or((policy_ns, value));
    if !ctx.escaped.service_accounts {
        return ctx.identity().is_some_and(|id| {
            envoy_regex(
                &format!("spiffe://.+/ns/{want_ns}/(.+/|)sa/{want_sa}(/.+)?"),
                &format!("spiffe://{id}"),
            )
        });
    }
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

/// Address ranges pod and node addresses come from: RFC 1918, RFC 6598 shared space and IPv6
/// unique-local addresses. A client workload without `--source-ip` has such an address.
const PRIVATE_RANGES: &[&str] = &[
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "100.64.0.0/10",
    "fc00::/7",
];

/// Whether an IP block may hold the address of a workload in the cluster: it overlaps a private
/// range. A block of public addresses (an office's egress IP) never holds a pod's address.
fn may_hold_workload_address(block: &str) -> bool {
    let Some((net, _)) = parse_cidr(block) else {
        return false;
    };
    PRIVATE_RANGES.iter().any(|range| {
        let first = range.split('/').next().unwrap_or(range);
        ip_in(range, &net.to_string()) || ip_in(block, first)
    })
}

/// `ipBlocks` and `source.ip`: the direct peer (RBAC `direct_remote_ip`). With the address
/// unknown, a block of public addresses cannot hold it; a private one might, and
/// `ip_assumption` decides (see `request::evaluate`, which judges both ways and answers
/// `depends` when they differ).
pub fn match_ip(ctx: &Ctx<'_>, block: &str) -> bool {
    address_in(ctx, ctx.peer.ip.as_deref(), false, block)
}

/// `remoteIpBlocks` and `remote.ip`: RBAC `remote_ip`, the address X-Forwarded-For gives where
/// the proxy reads it, else the peer (`request::forwarded`); unknown as for [`match_ip`].
pub fn match_remote_ip(ctx: &Ctx<'_>, block: &str) -> bool {
    address_in(ctx, ctx.remote_ip.as_deref(), ctx.remote_any, block)
}

/// `any`: an unknown address may be outside the workload ranges too.
fn address_in(ctx: &Ctx<'_>, address: Option<&str>, any: bool, block: &str) -> bool {
    match address {
        Some(ip) => ip_in(block, ip),
        None => (any || may_hold_workload_address(block)) && ctx.ip_assumption.unwrap_or(false),
    }
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

/// The path authorization sees, under mesh config `pathNormalization` (§9; istio/api 1.10.0
/// `mesh/v1alpha1/config.proto` NormalizationType; istio.io "Authorization Policy
/// Normalization"): the query and fragment are dropped in every mode; NONE keeps the rest as
/// sent; BASE (the default, and the only behaviour before 1.10) is [`normalize_path`];
/// MERGE_SLASHES merges runs of `/` after BASE; DECODE_AND_MERGE_SLASHES first decodes `%2F` and
/// `%5C` (any case).
pub fn normalize_path_as(raw: &str, mode: NormalizationType) -> String {
    let merge = |p: String| {
        let mut out = String::with_capacity(p.len());
        for c in p.chars() {
            if !(c == '/' && out.ends_with('/')) {
                out.push(c);
            }
        }
        out
    };
    match mode {
        NormalizationType::None => raw.split(['?', '#']).next().unwrap_or("").to_owned(),
        NormalizationType::Default | NormalizationType::Base => normalize_path(raw),
        NormalizationType::MergeSlashes => merge(normalize_path(raw)),
        NormalizationType::DecodeAndMergeSlashes => {
            let path = raw.split(['?', '#']).next().unwrap_or("");
            let mut decoded = String::with_capacity(path.len());
            let mut rest = path;
            while let Some(i) = rest.find('%') {
                decoded.push_str(&rest[..i]);
                let esc = rest.get(i..i + 3).unwrap_or("");
                match esc.to_ascii_uppercase().as_str() {
                    "%2F" => decoded.push('/'),
                    "%5C" => decoded.push('\\'),
                    _ => {
                        decoded.push('%');
                        rest = &rest[i + 1..];
                        continue;
                    }
                }
                rest = &rest[i + 3..];
            }
            decoded.push_str(rest);
            merge(normalize_path(&decoded))
        }
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
