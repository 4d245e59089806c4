//! `deprecated-api`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0104",
        name: "deprecated-api",
        severity: Info,
        category: Hygiene,
        default_enabled: true,
        istio: ["IST0120","IST0121"],
        kiali: [],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
