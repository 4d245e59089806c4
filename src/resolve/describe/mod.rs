//! The semantics of `meshlint describe` (SPEC §7), moved out of the command: for a workload,
//! Service or namespace, the view of everything that applies, built from the decision layer.
//! The command picks the target, attaches the findings ([`FindingScope`]) and renders.

use std::collections::BTreeSet;

mod clients;
mod destination_rules;
mod mtls;
mod namespace;
mod policy;
mod service;
pub mod view;
mod workload;

pub use namespace::namespace_view;
pub use service::service_view;
pub use workload::workload_view;

/// Which findings belong on a view: those about `objects`; for objects shared with other
/// workloads (`shared`: mesh config, mesh- and namespace-wide policies, DestinationRules) only
/// those whose message names one of `needles` (the workload or its service hosts).
#[derive(Debug, Default)]
pub struct FindingScope {
    /// Indices into `inv.objects`.
    pub objects: BTreeSet<usize>,
    pub shared: BTreeSet<usize>,
    pub needles: Vec<String>,
}
