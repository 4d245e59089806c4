//! `dr-host-not-found`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0210",
        name: "dr-host-not-found",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0202"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
