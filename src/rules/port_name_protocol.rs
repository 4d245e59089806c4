//! `port-name-protocol`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0404",
        name: "port-name-protocol",
        severity: Info,
        category: Membership,
        default_enabled: true,
        istio: ["IST0118"],
        kiali: ["KIA0601"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
