//! `dr-tls-overridden`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0212",
        name: "dr-tls-overridden",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0204"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
