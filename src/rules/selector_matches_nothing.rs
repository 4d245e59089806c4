//! `selector-matches-nothing`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0301",
        name: "selector-matches-nothing",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: ["IST0127"],
        kiali: ["KIA0004"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
