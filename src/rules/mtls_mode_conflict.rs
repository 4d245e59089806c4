//! `mtls-mode-conflict`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0201",
        name: "mtls-mode-conflict",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0113"],
        kiali: ["KIA0207","KIA0208","KIA0401","KIA0501","KIA0505","KIA0506"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
