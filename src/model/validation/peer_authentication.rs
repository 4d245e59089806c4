//! PeerAuthentication: validation.go `ValidatePeerAuthentication`.

use super::{Out, workload_selector};
use crate::model::istio::security::PeerAuthenticationSpec;
use crate::model::resource::Object;
use crate::source::Shape;

pub(super) fn check(obj: &Object, s: &PeerAuthenticationSpec, out: &mut Out<'_>) {
    let empty_selector = s
        .selector
        .as_ref()
        .is_none_or(|s| s.match_labels.is_empty());
    if empty_selector && !s.port_level_mtls.is_empty() {
        out.push(
            "spec.portLevelMtls",
            "mesh/namespace peer authentication cannot have port level mTLS",
            "add a selector with matchLabels for the workloads whose ports this applies to",
        );
    }
    // `portLevelMtls: {}` decodes like an absent field; look at the source tree.
    let written_empty = obj.source.shape("spec.portLevelMtls") == Some((Shape::Map, 0));
    if written_empty {
        out.push(
            "spec.portLevelMtls",
            "port level mTLS, if defined, must have at least one element",
            "remove the empty portLevelMtls or add a port",
        );
    }
    for port in s.port_level_mtls.keys() {
        if !(1..=65535).contains(port) {
            out.push(
                format!("spec.portLevelMtls.{port}"),
                format!("port {port} must be in range 1..65535"),
                "use the workload (container) port number",
            );
        }
    }
    workload_selector(s.selector.as_ref(), "spec.selector", out);
}
