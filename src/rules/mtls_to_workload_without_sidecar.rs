//! `mtls-to-workload-without-sidecar`: TODO(helper) module doc.

use crate::analysis::Analysis;
use crate::diagnostic::Finding;
use crate::rules::declare_rule;

declare_rule! {
    /// ## What it does
    /// TODO(helper)
    pub static RULE = {
        code: "ML0202",
        name: "mtls-to-workload-without-sidecar",
        severity: Error,
        category: Mtls,
        default_enabled: true,
        istio: ["IST0115"],
        kiali: ["KIA0205"],
        summary: "TODO(helper)",
        check: check,
    }
}

fn check(_a: &Analysis, _out: &mut Vec<Finding>) {}
