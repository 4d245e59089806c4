//! `port-level-settings-drops-tls`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0206",
        name: "port-level-settings-drops-tls",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
