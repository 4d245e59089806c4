//! `authz-invalid`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0102",
        name: "authz-invalid",
        severity: Error,
        category: Schema,
        default_enabled: true,
        istio: ["IST0106"],
        kiali: [],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
