//! `authz-unknown-principal`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0303",
        name: "authz-unknown-principal",
        severity: Warning,
        category: Authz,
        default_enabled: true,
        istio: [],
        kiali: ["KIA0106"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
