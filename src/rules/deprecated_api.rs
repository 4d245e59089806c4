//! `deprecated-api`: Istio resources in an API that the chosen Istio version deprecates
//! (v1alpha1 Policy/MeshPolicy, rbac.istio.io; istioctl IST0120/IST0121) or does not serve at
//! all (the object is rejected or ignored).

use crate::analysis::Analysis;
use crate::diagnostic::{Finding, Severity};
use crate::model::kind::Kind;
use crate::model::resource::{Body, Object};
use crate::resolve::decisions::Decisions;
use crate::resolve::rejected::not_applied;
use crate::rules::declare_rule;
use crate::version::Behaviour;

declare_rule! {
    /// ## What it does
    /// Compares the `apiVersion` of every Istio resource with the Istio version meshlint judges
    /// by (`--istio-version`, detected from the inputs, or the latest):
    ///
    /// - **not served** (warning): the release has no such API, e.g.
    ///   `authentication.istio.io/v1alpha1` Policy/MeshPolicy or `rbac.istio.io` from Istio 1.6,
    ///   `security.istio.io/v1` or `networking.istio.io/v1` before 1.22. `kubectl apply` fails
    ///   (no such CRD version) or the object sits in the cluster without effect.
    /// - **deprecated** (info): a `Policy` or `MeshPolicy` under Istio 1.5, where
    ///   PeerAuthentication/RequestAuthentication replace them; `ServiceRole`,
    ///   `ServiceRoleBinding`, `RbacConfig`, `ClusterRbacConfig` under 1.4–1.5, where
    ///   AuthorizationPolicy replaces them.
    ///
    /// Like istioctl 1.5 (which only reports Policy/MeshPolicy when the
    /// `peerauthentications.security.istio.io` CRD exists), the Policy/MeshPolicy deprecation is
    /// reported only when the inputs show that the new API is installed or used: a
    /// CustomResourceDefinition, a PeerAuthentication or a RequestAuthentication. meshlint does
    /// not read CustomResourceDefinitions, so any CRD in the inputs counts as a cluster dump that
    /// includes Istio's CRDs.
    ///
    /// ## Why is this bad?
    /// Istio 1.6 removed the v1alpha1 authentication and RBAC APIs: after an upgrade these
    /// objects no longer configure mTLS, JWT or authorization, and the mesh silently falls back
    /// to PERMISSIVE mTLS and allow-all. The reverse also happens: a manifest written for a newer
    /// Istio (`security.istio.io/v1`) cannot be applied to an older control plane.
    ///
    /// ## Example
    /// ```yaml
    /// # istio 1.5
    /// apiVersion: authentication.istio.io/v1alpha1
    /// kind: Policy
    /// metadata: {name: default, namespace: foo}
    /// spec:
    ///   peers:
    ///   - mtls: {}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: security.istio.io/v1beta1
    /// kind: PeerAuthentication
    /// metadata: {name: default, namespace: foo}
    /// spec:
    ///   mtls:
    ///     mode: STRICT
    /// ```
    ///
    /// ## References
    /// - istioctl IST0120 (PolicyResourceIsDeprecated), IST0121 (MeshPolicyResourceIsDeprecated),
    ///   `galley/pkg/config/analysis/analyzers/deprecation` (release-1.5)
    /// - Istio 1.5 / 1.6 upgrade notes (v1alpha1 authentication and RBAC removal)
    pub static RULE = {
        code: "ML0104",
        name: "deprecated-api",
        severity: Info,
        category: Hygiene,
        default_enabled: true,
        istio: ["IST0120","IST0121"],
        kiali: [],
        summary: "deprecated Istio API, or one the chosen Istio version does not serve",
        check: check,
    }
}

/// What replaces a kind, for the help text.
fn replacement(kind: Kind) -> Option<&'static str> {
    match kind {
        Kind::Policy | Kind::MeshPolicy => Some(
            "migrate to security.istio.io PeerAuthentication (peers) and RequestAuthentication with an AuthorizationPolicy (origins)",
        ),
        Kind::ServiceRole
        | Kind::ServiceRoleBinding
        | Kind::RbacConfig
        | Kind::ClusterRbacConfig => Some("migrate to security.istio.io AuthorizationPolicy"),
        _ => None,
    }
}

/// Whether the inputs show that the PeerAuthentication API exists (istioctl 1.5 looks for its
/// CRD; see the rule doc).
fn peer_authentication_api_present(a: &Analysis) -> bool {
    a.skipped
        .keys()
        .any(|k| k.ends_with("/CustomResourceDefinition"))
        || [Kind::PeerAuthentication, Kind::RequestAuthentication]
            .iter()
            .any(|&k| a.inv.of_kind(k).next().is_some())
}

fn not_served(a: &Analysis, o: &Object, group: &str, version: &str) -> Finding {
    let info = o.kind.info();
    let served: Vec<&str> = info
        .versions
        .iter()
        .copied()
        .filter(|v| a.profile.serves(o.kind.name(), group, v))
        .collect();
    let help = match (replacement(o.kind), served.last()) {
        (_, Some(v)) => format!(
            "use apiVersion {group}/{v}, which Istio {} serves",
            a.profile.version
        ),
        (Some(r), None) => r.to_owned(),
        (None, None) => format!("Istio {} has no {} API", a.profile.version, info.name),
    };
    let consequence = a
        .rejected
        .iter()
        .find(|r| a.inv.objects[r.object].reference() == o.reference() && r.unserved)
        .map_or_else(
            || "the object is not applied".to_owned(),
            |r| not_applied(&r.spec),
        );
    Finding::new(
        &RULE,
        format!(
            "{} uses {group}/{version}, which Istio {} does not serve: the API server refuses it; {consequence}",
            o.kind.name(),
            a.profile.version
        ),
    )
    .on(o, "apiVersion")
    .severity(Severity::Error)
    .codes(&[], &[])
    .help(help)
}

fn check(a: &Decisions<'_>, out: &mut Vec<Finding>) {
    let pa_api = peer_authentication_api_present(a);
    // Objects refused because their API version is not served (analysis.rs).
    for r in a.rejected.iter().filter(|r| r.unserved) {
        let o = &a.inv.objects[r.object];
        let group = o.kind.info().group;
        let version = o.api_version.rsplit('/').next().unwrap_or_default();
        out.push(not_served(a, o, group, version));
    }
    for o in &a.inv.objects {
        if matches!(o.body, Body::Invalid) {
            continue;
        }
        if !o.kind.info().group.ends_with("istio.io") {
            continue;
        }
        let finding = match o.kind {
            Kind::Policy | Kind::MeshPolicy
                if a.profile.has(Behaviour::PeerAuthentication) && pa_api =>
            {
                let ist = if o.kind == Kind::Policy {
                    "IST0120"
                } else {
                    "IST0121"
                };
                Finding::new(
                    &RULE,
                    format!(
                        "{} ({}) is deprecated in Istio {} and removed in 1.6",
                        o.kind.name(),
                        o.api_version,
                        a.profile.version
                    ),
                )
                .codes(&[ist], &[])
            }
            Kind::ServiceRole
            | Kind::ServiceRoleBinding
            | Kind::RbacConfig
            | Kind::ClusterRbacConfig
                if a.profile.has(Behaviour::AuthorizationPolicy) =>
            {
                Finding::new(
                    &RULE,
                    format!(
                        "{} ({}) is deprecated in Istio {} and removed in 1.6",
                        o.kind.name(),
                        o.api_version,
                        a.profile.version
                    ),
                )
                .codes(&[], &[])
            }
            _ => continue,
        };
        let help = replacement(o.kind).unwrap_or_default();
        out.push(finding.on(o, "apiVersion").help(help));
    }
}
