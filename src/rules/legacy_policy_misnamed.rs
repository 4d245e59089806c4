//! `legacy-policy-misnamed`: v1alpha1 Policy/MeshPolicy objects that Istio 1.0–1.5 validation
//! rejects because of their name and targets (research/istio-semantics.md §2.2).

use crate::diagnostic::Finding;
use crate::facts::policies::v1alpha1_name_accepted;
use crate::model::kind::Kind;
use crate::model::resource::Body;
use crate::resolve::decisions::Decisions;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Checks the naming rules Istio's validation applies to `authentication.istio.io/v1alpha1`
    /// policies:
    ///
    /// - a namespace `Policy` without `targets` must be named `default`;
    /// - a `Policy` named `default` must not have `targets`;
    /// - the cluster-wide `MeshPolicy` must be named `default` and must not have `targets`.
    ///
    /// Checked for Istio 1.0 to 1.5, the releases that both serve this API and validate it
    /// (Istio 0.8 had no such checks; from 1.6 the API is gone, see `deprecated-api`).
    ///
    /// ## Why is this bad?
    /// With Galley's validating webhook (the default) `kubectl apply` rejects the object, so
    /// the mTLS or JWT setting it carries never reaches the mesh. Where validation is turned
    /// off, 1.0–1.3 treat any target-less Policy as namespace-wide (several of them then compete)
    /// and ignore a MeshPolicy not named `default`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: authentication.istio.io/v1alpha1
    /// kind: Policy
    /// metadata: {name: strict-mtls, namespace: foo}
    /// spec:
    ///   peers:
    ///   - mtls: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// metadata: {name: default, namespace: foo}
    /// ```
    /// or keep the name and add `targets` to make it a service policy.
    ///
    /// ## References
    /// - Istio `ValidateAuthenticationPolicy` (`pilot/pkg/model/validation.go` 1.0–1.2,
    ///   `pkg/config/validation/validation.go` 1.3–1.5)
    pub static RULE = {
        code: "ML0105",
        name: "legacy-policy-misnamed",
        severity: Error,
        category: Schema,
        default_enabled: true,
        istio: [],
        kiali: [],
        summary: "v1alpha1 Policy or MeshPolicy whose name and targets fail Istio's validation",
        check: check,
    }
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    // MeshPolicy and the naming validation both exist exactly from 1.0 until the v1alpha1
    // removal in 1.6.
    if !a.profile.has(Behaviour::MeshPolicy) {
        return;
    }
    for kind in [Kind::Policy, Kind::MeshPolicy] {
        for (_, o) in a.inv.of_kind(kind) {
            let Body::Policy(spec) = &o.body else {
                continue;
            };
            let named_default = v1alpha1_name_accepted(o, &a.profile);
            let has_targets = !spec.targets.is_empty();
            if kind == Kind::MeshPolicy {
                if !named_default {
                    out.push(
                        Finding::new(
                            &RULE,
                            format!("MeshPolicy must be named default, not {:?}", o.name()),
                        )
                        .on(o, "metadata.name")
                        .help("rename it to default; there is one mesh-wide policy"),
                    );
                }
                if has_targets {
                    out.push(
                        Finding::new(&RULE, "MeshPolicy must not have targets")
                            .on(o, "spec.targets")
                            .help("remove targets from the MeshPolicy and put service-specific settings in a namespace Policy with targets"),
                    );
                }
            } else if !named_default && !has_targets {
                out.push(
                    Finding::new(
                        &RULE,
                        format!(
                            "namespace-wide Policy (no targets) must be named default, not {:?}",
                            o.name()
                        ),
                    )
                    .on(o, "metadata.name")
                    .help("rename it to default, or add targets to make it a service policy"),
                );
            } else if named_default && has_targets {
                out.push(
                    Finding::new(&RULE, "Policy named default must not have targets")
                        .on(o, "spec.targets")
                        .help("rename it (for example after the target service), or remove targets to make it namespace-wide"),
                );
            }
        }
    }
}
