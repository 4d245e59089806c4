//! `plaintext-clients-blocked` (info): workloads of the inputs without an Istio proxy that
//! cannot reach a service port whose endpoints are STRICT — the connection is reset, curl
//! prints `000` and exits 56 (SPEC §3.4, research/istio-semantics.md §6 [a]). Often intended
//! (that is what STRICT is for), hence info: the finding lists who is locked out.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use crate::diagnostic::Finding;
use crate::facts::namespaces::is_platform_namespace;
use crate::facts::proxy::ProxyKind;
use crate::resolve::decisions::Decisions;
use crate::resolve::reach;
use crate::resolve::transport::Outcome;
use crate::rules::declare_rule;
use crate::rules::support::{host_port, is_tcp, list_text, mesh_services};

declare_rule! {
    /// ## What it does
    /// Evaluates every workload of the inputs that has no Istio proxy (no sidecar, not
    /// ambient, not a gateway) against every service port, and reports, once per server
    /// policy, the plaintext clients whose requests are reset because the endpoints are
    /// `STRICT`, with the service ports concerned.
    ///
    /// ## Why is this bad?
    /// It may be exactly what you want. But clients outside the mesh — jobs in namespaces
    /// without injection, pods with `sidecar.istio.io/inject: "false"`, host-network agents,
    /// monitoring scrapers — get a connection reset (curl `000`, exit 56), which is easy to
    /// mistake for a crashed server. The finding lists them so the decision is deliberate.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: security.istio.io/v1
    /// kind: PeerAuthentication
    /// metadata: {name: default, namespace: foo}
    /// spec:
    ///   mtls: {mode: STRICT}
    /// # while legacy/sleep (no sidecar) calls httpbin.foo
    /// ```
    ///
    /// ## Use instead
    /// Inject a sidecar into the clients, or keep `PERMISSIVE` (mesh, namespace, workload or
    /// `portLevelMtls`) until they are migrated.
    ///
    /// ## References
    /// - istio.io authentication policy task: `sleep.legacy to httpbin.foo: 000`, `command terminated with exit code 56`
    /// - istio.io "Mutual TLS migration"
    pub static RULE = {
        code: "ML0208",
        name: "plaintext-clients-blocked",
        severity: Info,
        category: Mtls,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "workloads without a proxy are reset by STRICT service ports",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let clients: Vec<usize> = (0..a.inv.workloads.len())
        .filter(|&c| {
            a.proxies[c].kind == ProxyKind::None
                && !is_platform_namespace(&a.inv.workloads[c].namespace)
        })
        .collect();
    if clients.is_empty() {
        return;
    }
    // Only the outcome and the server's deciding field are read: the request stages need
    // not describe the rules that failed to match.
    let outcome_only = reach::RequestContext {
        detail: reach::Detail::Outcome,
        ..Default::default()
    };
    // The service ports each deciding field resets, by (object, field).
    let mut groups: BTreeMap<(usize, Cow<'static, str>), BTreeSet<String>> = BTreeMap::new();
    for (si, svc) in mesh_services(a) {
        for (pi, port) in svc.ports.iter().enumerate() {
            if !is_tcp(port) {
                continue;
            }
            // A client without a proxy sends what its application sends, whatever its
            // namespace: one evaluation per service port stands for all of them.
            let Some(&rep) = clients.iter().find(|c| !svc.workloads.contains(c)) else {
                continue;
            };
            let cell = reach::evaluate(a, rep, si, pi, &outcome_only);
            if cell.outcome != Outcome::Reset {
                continue;
            }
            let Some((_, _, sd)) = &cell.endpoint else {
                continue;
            };
            let Some(at) = sd.deciding_field() else {
                continue;
            };
            groups
                .entry((at.object, at.field.clone()))
                .or_default()
                .insert(host_port(svc, port));
        }
    }
    // Every client without a proxy gets the same answer, so the list is the same for all:
    // written once.
    let all_clients: BTreeSet<String> = clients.iter().map(|&c| a.inv.workloads[c].id()).collect();
    let all_namespaces: BTreeSet<&str> = clients
        .iter()
        .map(|&c| a.inv.workloads[c].namespace.as_str())
        .collect();
    let clients_text = list_text(&all_clients);
    let help = format!(
        "if these clients must reach the service, inject a sidecar into namespace(s) {} or use PERMISSIVE until they are migrated",
        list_text(&all_namespaces)
    );
    for ((obj, field), targets) in groups {
        let o = &a.inv.objects[obj];
        let message = format!(
            "STRICT from {} {} resets {} workload(s) without a proxy ({clients_text}) calling {}: curl 000, exit 56",
            o.kind.name(),
            o.qualified_name(),
            all_clients.len(),
            list_text(&targets)
        );
        out.push(
            Finding::new(&RULE, message)
                .on(o, &field)
                .help(help.clone())
                .codes(&[], &[]),
        );
    }
}
