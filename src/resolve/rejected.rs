//! What a refused object's absence means (issue 10: a rejected policy never fails open
//! silently). The API server or webhook refuses the whole object, so Istio runs as if it did
//! not exist: research/authz-semantics.md §1–§3 (an ALLOW policy that is missing allows what it
//! would have denied when no other ALLOW policy selects the workload; a missing DENY allows
//! what it would have denied), research/istio-semantics.md §3 (PeerAuthentication levels), §4
//! (DestinationRule lookup).

use crate::model::istio::security::AuthzAction;
use crate::model::resource::Body;

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
        _ => "the object is not applied".to_owned(),
    }
}
