//! `dr-tls-without-ca`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0213",
        name: "dr-tls-without-ca",
        severity: Warning,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0128","IST0129"],
        kiali: [],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
