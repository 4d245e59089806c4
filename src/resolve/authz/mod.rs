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
use crate::resolve::jwt::Token;
use crate::resolve::request::{Peer, Request};

mod explain;
mod fields;
mod matchers;
mod probe;
mod release;
mod rule_match;
mod scope;
mod waypoint;

pub use explain::{explain_match, explain_rule};
pub use fields::*;
pub use matchers::*;
pub use probe::{RuleRequest, rule_requests};
pub use release::{Difference, differences};
pub use rule_match::*;
pub use scope::*;
pub use waypoint::*;

/// Label Istio puts on Kubernetes Gateway API gateways (and waypoints).
pub const GATEWAY_NAME_LABEL: &str = "gateway.networking.k8s.io/gateway-name";
/// Annotation that turns a policy into a shadow (logged, never enforced) policy (§2.6).
pub const DRY_RUN_ANNOTATION: &str = "istio.io/dry-run";

#[cfg(test)]
mod tests;
