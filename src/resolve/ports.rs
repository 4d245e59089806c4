//! The ports a workload receives traffic on: the one definition `describe`, the authorization
//! rules and every other consumer use (issue 9 found two that disagreed).

use std::collections::BTreeSet;

use crate::analysis::Analysis;

/// One port a workload receives traffic on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkloadPort {
    /// The Service and port index (into `inv.services` and its `ports`) it is reached through;
    /// `None` for a container port no Service port targets (reached by pod IP).
    pub service: Option<(usize, usize)>,
    /// The container (target) port: what PeerAuthentication `portLevelMtls` and authorization
    /// `ports` key on (research/istio-semantics.md §3, research/authz-semantics.md §5).
    pub target: i32,
}

/// Whether a protocol field names UDP, which the sidecar never captures
/// (research/istio-semantics.md §9: only TCP is redirected to the proxy).
fn is_udp(protocol: Option<&str>) -> bool {
    protocol.is_some_and(|p| p.eq_ignore_ascii_case("UDP"))
}

/// The TCP ports of workload `w` (index into `inv.workloads`), in order: every Service port that
/// targets it, then every declared container port no Service port targets.
pub fn workload_ports(a: &Analysis, w: usize) -> Vec<WorkloadPort> {
    let wl = &a.inv.workloads[w];
    let mut out = Vec::new();
    for &si in &a.inv.services_of[w] {
        let svc = &a.inv.services[si];
        for (pi, port) in svc.ports.iter().enumerate() {
            if is_udp(Some(&port.protocol)) {
                continue;
            }
            if let Some(target) = a.inv.target_port(port, wl) {
                out.push(WorkloadPort {
                    service: Some((si, pi)),
                    target,
                });
            }
        }
    }
    let targeted: BTreeSet<i32> = out.iter().map(|p| p.target).collect();
    let mut seen = BTreeSet::new();
    for p in a
        .inv
        .pod_spec(wl)
        .into_iter()
        .flat_map(|s| &s.containers)
        .flat_map(|c| c.ports.iter().flatten())
    {
        if !is_udp(p.protocol.as_deref())
            && !targeted.contains(&p.container_port)
            && seen.insert(p.container_port)
        {
            out.push(WorkloadPort {
                service: None,
                target: p.container_port,
            });
        }
    }
    out
}
