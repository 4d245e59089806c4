//! `probe-fails-under-strict`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0209",
        name: "probe-fails-under-strict",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
