//! What a refused object's absence means (issue 10: a rejected policy never fails open
//! silently). The API server or webhook refuses the whole object, so Istio runs as if it did
//! not exist: research/authz-semantics.md §1–§3 (an ALLOW policy that is missing allows what it
//! would have denied when no other ALLOW policy selects the workload; a missing DENY allows
//! what it would have denied), research/istio-semantics.md §3 (PeerAuthentication levels), §4
//! (DestinationRule lookup). [`would_decide`] tells, for one request, which refused objects
//! would have changed the answer.

use crate::analysis::{Analysis, Rejected};
use crate::model::istio::security::AuthzAction;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::resolve::reach::{self, Cell, RequestContext};
use crate::resolve::transport::Outcome;

/// One clause for findings ("the policy is not applied, so …"), from the spec the object
/// would have had.
pub fn not_applied(spec: &Body) -> String {
    let policy = "the policy is not applied, so";
    match spec {
        Body::AuthorizationPolicy(s) => match s.action {
            AuthzAction::Allow => format!(
                "{policy} requests that only its rules allow are denied (403), or, where no other ALLOW policy selects the workload, every request is allowed"
            ),
            AuthzAction::Deny => format!("{policy} the requests its rules deny are allowed"),
            AuthzAction::Audit => format!("{policy} nothing it selects is audited"),
            AuthzAction::Custom => format!(
                "{policy} the external authorizer is not asked and the requests it would deny are allowed"
            ),
        },
        Body::PeerAuthentication(_) => {
            format!("{policy} the namespace or mesh mTLS mode holds instead of its own")
        }
        Body::RequestAuthentication(_) => format!(
            "{policy} its tokens are not validated and rules on their requestPrincipals do not match"
        ),
        Body::DestinationRule(_) => "the rule is not applied, so clients use the defaults for its host (auto mTLS) instead of its traffic policy".to_owned(),
        Body::Gateway(_) => "the Gateway is not applied, so its servers do not exist and the gateway does not listen for them".to_owned(),
        Body::Sidecar(_) => "the Sidecar is not applied, so its workloads keep the default listeners and see every service".to_owned(),
        Body::ServiceEntry(_) => "the ServiceEntry is not applied, so its hosts are not in the mesh's registry".to_owned(),
        _ => "the object is not applied".to_owned(),
    }
}

/// A refused object that would have decided one request: applied, it gives `outcome`.
#[derive(Debug)]
pub struct WouldDecide {
    /// Index of the refused object in `inv.objects`.
    pub object: usize,
    pub outcome: Outcome,
    /// Whether curl would see an HTTP code.
    pub http: bool,
}

/// The refused AuthorizationPolicies, RequestAuthentications, PeerAuthentications and
/// DestinationRules that would change the outcome of `current` (a cell of `a`), each judged
/// applied alone ([`Analysis::with_applied`]). At most [`WHAT_IF_LIMIT`] objects are tried,
/// those of the server's and the root namespace first.
pub fn would_decide(a: &Analysis, current: &Cell, req: &RequestContext) -> Vec<WouldDecide> {
    let svc = &a.inv.services[current.service];
    let client_id = a.inv.workloads[current.client].id();
    let root = a.inv.root_namespace();
    let mut candidates: Vec<&Rejected> = a
        .rejected
        .iter()
        .filter(|r| {
            matches!(
                r.spec,
                Body::AuthorizationPolicy(_)
                    | Body::RequestAuthentication(_)
                    | Body::PeerAuthentication(_)
                    | Body::DestinationRule(_)
            )
        })
        .collect();
    candidates.sort_by_key(|r| {
        let ns = a.inv.objects[r.object].namespace();
        (ns != svc.namespace && ns != root, r.object)
    });
    let mut out = Vec::new();
    for r in candidates.into_iter().take(WHAT_IF_LIMIT) {
        let Some(b) = a.with_applied(r.object) else {
            continue;
        };
        let client = b.inv.workloads.iter().position(|w| w.id() == client_id);
        let service = b
            .inv
            .services
            .iter()
            .position(|s| s.namespace == svc.namespace && s.name == svc.name);
        let (Some(client), Some(service)) = (client, service) else {
            continue;
        };
        let d = Decisions::new(&b);
        let cell = reach::evaluate(&d, client, service, current.port, req);
        if cell.outcome != current.outcome {
            out.push(WouldDecide {
                object: r.object,
                outcome: cell.outcome,
                http: cell.http,
            });
        }
    }
    out
}

/// How many refused objects `check` tries applying, one at a time.
pub const WHAT_IF_LIMIT: usize = 8;

/// The refused AuthorizationPolicies, RequestAuthentications and PeerAuthentications that would
/// select workload `w` (by `selector`, or namespace-wide in its namespace or the root
/// namespace; `targetRef` attachments are left out): `describe` shows their findings.
pub fn would_select(a: &Analysis, w: usize) -> Vec<usize> {
    let wl = &a.inv.workloads[w];
    let root = a.inv.root_namespace();
    a.rejected
        .iter()
        .filter(|r| {
            let ns = a.inv.objects[r.object].namespace();
            if ns != wl.namespace && ns != root {
                return false;
            }
            let selector = match &r.spec {
                Body::AuthorizationPolicy(s)
                    if s.target_ref.is_none() && s.target_refs.is_empty() =>
                {
                    &s.selector
                }
                Body::RequestAuthentication(s)
                    if s.target_ref.is_none() && s.target_refs.is_empty() =>
                {
                    &s.selector
                }
                Body::PeerAuthentication(s) => &s.selector,
                _ => return false,
            };
            selector
                .as_ref()
                .is_none_or(|s| s.match_labels.selects(&wl.labels))
        })
        .map(|r| r.object)
        .collect()
}
