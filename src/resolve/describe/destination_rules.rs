//! The DestinationRules clients apply to a workload's service ports, shown as istioctl's
//! `x describe pod` shows its DestinationRule (the subsets the pod matches and the others, the
//! traffic policy's TLS mode), with the client namespaces that use each. Which rule applies is
//! read from the client decisions (`Decisions::port`), never looked up again.

use std::collections::{BTreeMap, BTreeSet};

use super::view::{DestinationRuleView, PortTlsView};
use super::workload::object_ref;
use crate::model::resource::Body;
use crate::resolve::cell::destination_name;
use crate::resolve::decisions::Decisions;

/// One view per DestinationRule that a client class applies to a port of `targets` (service,
/// port index) of workload `w`, in the order of the objects.
pub(super) fn destination_rules_view(
    a: &Decisions<'_>,
    w: usize,
    targets: &[(usize, usize)],
) -> Vec<DestinationRuleView> {
    let mut used: BTreeMap<usize, (BTreeSet<String>, BTreeSet<String>)> = BTreeMap::new();
    for &(s, p) in targets {
        for class in &a.port(s, p).clients {
            let Some(rule) = class.decision.rule else {
                continue;
            };
            let (ports, namespaces) = used.entry(rule).or_default();
            ports.insert(destination_name(a, s, p));
            namespaces.extend(class.namespace_names(a).map(str::to_owned));
        }
    }
    let labels = &a.inv.workloads[w].labels;
    used.into_iter()
        .filter_map(|(rule, (ports, namespaces))| {
            let Body::DestinationRule(spec) = &a.inv.objects[rule].body else {
                return None;
            };
            let (matching, other): (Vec<_>, Vec<_>) =
                spec.subsets.iter().partition(|s| s.labels.selects(labels));
            let policy = spec.traffic_policy.as_deref();
            Some(DestinationRuleView {
                at: object_ref(a, rule),
                host: spec.host.clone(),
                matching_subsets: matching.iter().map(|s| s.name.clone()).collect(),
                other_subsets: other.iter().map(|s| s.name.clone()).collect(),
                tls_mode: policy.and_then(|p| p.tls.as_ref()).map(|t| t.mode.as_str()),
                port_tls: policy
                    .into_iter()
                    .flat_map(|p| &p.port_level_settings)
                    .filter_map(|s| {
                        Some(PortTlsView {
                            port: s.port.as_ref()?.number,
                            mode: s.tls.as_ref()?.mode.as_str(),
                        })
                    })
                    .collect(),
                service_ports: ports.into_iter().collect(),
                client_namespaces: namespaces.into_iter().collect(),
            })
        })
        .collect()
}
