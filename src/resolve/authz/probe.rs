//! Requests that the ALLOW rules of a workload's policies are written for: one per `to`
//! operation, built from the first value of its methods, paths and hosts (a glob made
//! concrete). `describe` judges them besides `GET /`, so that under path-based policies a
//! client that `GET /` is refused for but `GET /api/` is allowed for shows as such. They are
//! only questions: each is judged by the same pipeline as any request, so a probe a `not*`
//! field excludes just shows what it gets.

use crate::analysis::Analysis;
use crate::model::istio::security::{AuthzAction, Operation};
use crate::model::resource::Body;
use crate::resolve::request::Request;

/// A request drawn from one rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleRequest {
    pub request: Request,
    /// `GET /api/` or `GET example.com/api/`, as describe prints it.
    pub shown: String,
    /// The AuthorizationPolicy (index into `inv.objects`) and the rule's field path,
    /// `spec.rules[0].to[1]`.
    pub policy: usize,
    pub field: String,
}

/// The most requests drawn for one workload: describe judges each for every client.
const MAX_RULE_REQUESTS: usize = 8;

/// The requests the ALLOW rules applying to `workloads` (a workload, or a Service's) admit by
/// their `to` fields, in workload, policy and rule order, without repeats and without `GET /`
/// (judged anyway); at most [`MAX_RULE_REQUESTS`].
pub fn rule_requests(a: &Analysis, workloads: &[usize]) -> Vec<RuleRequest> {
    let mut out: Vec<RuleRequest> = Vec::new();
    let policies = workloads.iter().flat_map(|&w| super::applicable(a, w));
    for policy in policies {
        let Body::AuthorizationPolicy(spec) = &a.inv.objects[policy].body else {
            continue;
        };
        if spec.action != AuthzAction::Allow {
            continue;
        }
        for (ri, rule) in spec.rules.iter().flatten().enumerate() {
            for (ti, to) in rule.to.iter().flatten().enumerate() {
                let Some(op) = &to.operation else { continue };
                let request = request_for(op);
                if request == Request::default() || out.iter().any(|r| r.request == request) {
                    continue;
                }
                if out.len() == MAX_RULE_REQUESTS {
                    return out;
                }
                let host = request.host.as_deref().unwrap_or_default();
                out.push(RuleRequest {
                    shown: format!("{} {host}{}", request.method, request.path),
                    request,
                    policy,
                    field: format!("spec.rules[{ri}].to[{ti}]"),
                });
            }
        }
    }
    out
}

/// The request an operation's first values describe. Paths are exact, `prefix*`, `*suffix`,
/// `*`, or templates with `{*}`/`{**}`, and hosts the same globs (research/authz-semantics.md
/// §5 table, §9 path templates). A method with a glob is skipped for the next; none gives GET.
/// The release's own matching decides what the request gets: a form this release does not
/// read just shows as refused.
fn request_for(op: &Operation) -> Request {
    let method = op
        .methods
        .iter()
        .find(|m| !m.contains('*'))
        .cloned()
        .unwrap_or_else(|| "GET".to_owned());
    let path = op
        .paths
        .first()
        .map_or_else(|| "/".to_owned(), |p| concrete_path(p));
    let host = op.hosts.first().and_then(|h| concrete_host(h));
    Request {
        method,
        path,
        host,
        ..Request::default()
    }
}

/// A path a path pattern matches.
fn concrete_path(p: &str) -> String {
    let p = p.replace("{**}", "x").replace("{*}", "x");
    if p == "*" {
        "/".to_owned()
    } else if let Some(prefix) = p.strip_suffix('*') {
        prefix.to_owned()
    } else if let Some(suffix) = p.strip_prefix('*') {
        format!("/x{suffix}")
    } else {
        p
    }
}

/// A host a host pattern matches (`None` for `*`: any host, so none is needed).
fn concrete_host(h: &str) -> Option<String> {
    if h == "*" {
        None
    } else if let Some(suffix) = h.strip_prefix('*') {
        Some(format!("x{suffix}"))
    } else if let Some(prefix) = h.strip_suffix('*') {
        Some(format!("{prefix}x"))
    } else {
        Some(h.to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_hosts_made_concrete() {
        assert_eq!(concrete_path("/api/*"), "/api/");
        assert_eq!(concrete_path("*.js"), "/x.js");
        assert_eq!(concrete_path("*/info"), "/x/info");
        assert_eq!(concrete_path("*"), "/");
        assert_eq!(concrete_path("/a/{*}/b"), "/a/x/b");
        assert_eq!(concrete_path("/exact"), "/exact");
        assert_eq!(
            concrete_host("*.example.com").as_deref(),
            Some("x.example.com")
        );
        assert_eq!(concrete_host("example.*").as_deref(), Some("example.x"));
        assert_eq!(concrete_host("*"), None);
    }
}
