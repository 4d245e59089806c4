//! `authz-unknown-namespace`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0302",
        name: "authz-unknown-namespace",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: ["IST0101"],
        kiali: ["KIA0101"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
