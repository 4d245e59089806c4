//! Istio versions and the one table of version-dependent behaviour.
//!
//! Every difference between Istio releases that meshlint models is one [`Behaviour`] with the
//! release it starts in and, where it ended, the first release without it. Code asks
//! `profile.has(Behaviour::X)`; nowhere else compares version numbers. Sources are
//! research/istio-semantics.md (sections given per row) and the Istio paths cited there.

use std::fmt;
use std::str::FromStr;

/// An Istio minor release, such as 1.5 or 0.3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IstioVersion {
    pub major: u16,
    pub minor: u16,
}

const fn v(major: u16, minor: u16) -> IstioVersion {
    IstioVersion { major, minor }
}

impl IstioVersion {
    /// The newest release whose behaviour meshlint covers; what `latest` means.
    pub const LATEST: IstioVersion = v(1, 31);
    /// The oldest release covered (Istio 0.3, mesh `authPolicy` and `auth.istio.io` annotations).
    pub const OLDEST: IstioVersion = v(0, 3);

    /// Reads a version from an image tag or `--istio-version`: `1.5`, `1.5.2`, `v1.20.3-distroless`,
    /// `release-1.4`, `latest`.
    pub fn parse_loose(text: &str) -> Option<IstioVersion> {
        let t = text.trim();
        if t.eq_ignore_ascii_case("latest") {
            return Some(Self::LATEST);
        }
        let t = t
            .trim_start_matches("release-")
            .trim_start_matches(['v', 'V']);
        let mut parts = t.split(['.', '-', '_']);
        let major = parts.next()?.parse().ok()?;
        let minor = parts.next()?.parse().ok()?;
        Some(v(major, minor))
    }
}

impl fmt::Display for IstioVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

impl FromStr for IstioVersion {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let parsed = IstioVersion::parse_loose(s).ok_or_else(|| {
            format!("`{s}` is not an Istio version (expected e.g. 1.5, 0.3 or latest)")
        })?;
        if parsed < IstioVersion::OLDEST || parsed > IstioVersion::LATEST {
            return Err(format!(
                "Istio {parsed} is outside the covered range {} to {}",
                IstioVersion::OLDEST,
                IstioVersion::LATEST
            ));
        }
        Ok(parsed)
    }
}

/// A behaviour that exists in some Istio releases and not others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Behaviour {
    /// Service annotation `auth.istio.io/<port>` overrides mesh `authPolicy` (§1).
    LegacyAnnotations,
    /// Mesh config `authPolicy: MUTUAL_TLS` decides the server mode when nothing else does (§1).
    MeshAuthPolicy,
    /// `mtlsExcludedServices` consulted by clients (the pre-0.8 v1 path, §1).
    MtlsExcludedServices,
    /// No DestinationRule + mesh `authPolicy: MUTUAL_TLS` → clients send ISTIO_MUTUAL (0.8–1.0, §1).
    MeshAuthPolicyClientMtls,
    /// authentication.istio.io/v1alpha1 Policy is served (§2).
    V1alpha1Policy,
    /// MeshPolicy is served (§2.3).
    MeshPolicy,
    /// v1alpha1 ties at one level go to the oldest policy; before, the order is arbitrary (§2.3).
    V1alpha1OldestWins,
    /// rbac.istio.io/v1alpha1 is served (research/authz-semantics.md §13).
    RbacV1alpha1,
    /// security.istio.io/v1beta1 AuthorizationPolicy (authz-semantics §2).
    AuthorizationPolicy,
    /// PeerAuthentication and RequestAuthentication (§3).
    PeerAuthentication,
    /// security.istio.io/v1 is served.
    SecurityV1,
    /// networking.istio.io/v1beta1 is served.
    NetworkingV1beta1,
    /// networking.istio.io/v1 is served.
    NetworkingV1,
    /// Nothing configured at all means PERMISSIVE (before: plaintext only) (§2.3).
    PermissiveByDefault,
    /// `enableAutoMtls` exists (§5).
    AutoMtlsAvailable,
    /// Auto mTLS is on unless mesh config turns it off (§5: 1.5 installs, 1.6 code default).
    AutoMtlsDefault,
    /// Auto mTLS infers the service mode from namespace/mesh PeerAuthentication only (§5, 1.6+).
    WorkloadPeerAuthIgnoredByClients,
    /// Headless services: one endpoint without sidecar makes clients send plaintext to all (§5).
    HeadlessAllOrNothing,
    /// DestinationRules are looked up per namespace (client, service, root); before, all are global (§4).
    DrLookupByNamespace,
    /// httpGet probes are rewritten by default (§7).
    ProbeRewriteDefault,
    /// tcpSocket probes are rewritten (§7).
    TcpProbeRewrite,
    /// gRPC probes are rewritten (§7).
    GrpcProbeRewrite,
    /// Pod label `sidecar.istio.io/inject=true` injects in an unlabeled namespace (§10).
    InjectByPodLabel,
    /// `istio.io/rev` namespace label selects a revision (§10).
    RevisionLabels,
    /// Service `appProtocol` decides the protocol (§8).
    AppProtocol,
    /// Ambient mode (§9).
    Ambient,
    /// Auto mTLS on a headless (ORIGINAL_DST) cluster keeps the ISTIO_MUTUAL context as a plain
    /// transport socket, so every endpoint gets Istio mTLS whether it has a sidecar or not
    /// (1.5.0/1.6.0 `pilot/pkg/networking/core/v1alpha3/cluster.go` applyUpstreamTLSSettings
    /// "Apply auto mtls to clusters excluding these kind of headless service"; 1.7.0 skips auto
    /// mTLS for ORIGINAL_DST; istio/istio#21964, #23673).
    HeadlessAutoMtlsToAll,
    /// `portLevelMtls` applies to any container port; before, only to ports some Service port
    /// targets (other ports take the passthrough chain with the workload mode). Istio 1.9 upgrade
    /// notes: "Previously the PeerAuthentication per-port-level configuration is ignored if the
    /// port number is not defined in a service" (istio/istio#27994).
    PortLevelMtlsAnyPort,
    /// Mesh config `pathNormalization` exists (istio/api 1.10.0 `mesh/v1alpha1/config.proto`);
    /// before, paths are normalized as BASE.
    PathNormalizationOption,
    /// The sidecar captures only the declared `containerPort`s, so traffic to another port
    /// bypasses it (the injector's `-b` list: istio/istio 0.8.0/1.0.0
    /// `sidecar-injector-configmap.yaml`, 1.2.0 `injection-template.yaml` `includeInboundPorts
    /// .Spec.Containers`; from 1.3.0 `*`, every port).
    CaptureDeclaredPortsOnly,
    /// The sidecar injection webhook (namespace label `istio-injection`) exists; before it, pods
    /// got a proxy only from `istioctl kube-inject` (or 0.4's alpha initializer).
    InjectionWebhook,
    /// ztunnel ORs the matches of one from/to/when clause and skips empty ones; 1.18's ztunnel
    /// ANDed them, so one L4-empty entry made the whole clause fail (istio/ztunnel#495,
    /// `src/rbac.rs`; /work/notes research-issue12 Q1).
    ZtunnelClauseOr,
    /// The injector adds `security.istio.io/tlsMode: istio` to injected pods (1.4.0
    /// `pkg/kube/inject/webhook.go`).
    InjectedTlsModeLabel,
    /// The injector adds `service.istio.io/canonical-name` and `canonical-revision` (1.5.0
    /// `pkg/kube/inject/webhook.go`).
    InjectedCanonicalLabels,
    /// The injector adds the label `istio.io/rev` (1.6.0 `webhook.go`, removed in 1.11.0,
    /// istio/istio#33447).
    InjectedRevisionLabel,
}

/// One row of the table: the behaviour holds for `since <= v < until`.
#[derive(Debug)]
pub struct Row {
    pub behaviour: Behaviour,
    pub since: IstioVersion,
    pub until: Option<IstioVersion>,
    /// Where this comes from (research note section and Istio source).
    pub source: &'static str,
}

macro_rules! table {
    ($($b:ident: $s:expr, $u:expr, $src:literal;)*) => {
        /// The version table. Add a row here rather than comparing versions elsewhere.
        pub const TABLE: &[Row] = &[$(Row { behaviour: Behaviour::$b, since: $s, until: $u, source: $src },)*];
    };
}

table! {
    LegacyAnnotations: v(0, 3), Some(v(1, 0)), "istio-semantics §1; kube conversion.go extractAuthenticationPolicy 0.5.0";
    MeshAuthPolicy: v(0, 3), Some(v(1, 1)), "istio-semantics §1; legacyAuthenticationPolicyToPolicy 1.0.0";
    MtlsExcludedServices: v(0, 3), Some(v(0, 8)), "istio-semantics §1; pilot/pkg/proxy/envoy/policy.go applyClusterPolicy";
    MeshAuthPolicyClientMtls: v(0, 8), Some(v(1, 1)), "istio-semantics §1; v1alpha3/cluster.go 0.8.0";
    V1alpha1Policy: v(0, 8), Some(v(1, 6)), "istio-semantics §2; authn v1alpha1 applier removed in 1.6.0";
    MeshPolicy: v(1, 0), Some(v(1, 6)), "istio-semantics §2.3";
    V1alpha1OldestWins: v(1, 4), Some(v(1, 6)), "istio-semantics §2.3; sortConfigByCreationTime, model/push_context.go 1.4";
    RbacV1alpha1: v(0, 8), Some(v(1, 6)), "authz-semantics §13";
    AuthorizationPolicy: v(1, 4), None, "authz-semantics §2";
    PeerAuthentication: v(1, 5), None, "istio-semantics §3";
    SecurityV1: v(1, 22), None, "istio/api security/v1 promoted in 1.22";
    NetworkingV1beta1: v(1, 8), None, "istio/api networking/v1beta1";
    NetworkingV1: v(1, 22), None, "istio/api networking/v1 promoted in 1.22";
    PermissiveByDefault: v(1, 5), None, "istio-semantics §2.3, §3";
    AutoMtlsAvailable: v(1, 4), None, "istio-semantics §5";
    AutoMtlsDefault: v(1, 5), None, "istio-semantics §5; helm values 1.5.0 global.mtls.auto, pkg/config/mesh/mesh.go 1.6";
    WorkloadPeerAuthIgnoredByClients: v(1, 6), None, "istio-semantics §5; BestEffortInferServiceMTLSMode 1.6";
    HeadlessAllOrNothing: v(1, 8), None, "istio-semantics §5";
    DrLookupByNamespace: v(1, 1), None, "istio-semantics §4";
    ProbeRewriteDefault: v(1, 6), None, "istio-semantics §7; manifests/profiles/default.yaml 1.6.0";
    TcpProbeRewrite: v(1, 12), None, "istio-semantics §7; REWRITE_TCP_PROBES";
    GrpcProbeRewrite: v(1, 13), None, "istio-semantics §7; app_probe.go 1.13.0";
    InjectByPodLabel: v(1, 12), None, "istio-semantics §10; mutatingwebhook.yaml objectSelector";
    RevisionLabels: v(1, 6), None, "istio-semantics §10";
    AppProtocol: v(1, 6), None, "istio-semantics §8; ConvertProtocol";
    Ambient: v(1, 18), None, "istio-semantics §9";
    HeadlessAutoMtlsToAll: v(1, 5), Some(v(1, 7)), "istio/istio 1.5.0, 1.6.0 v1alpha3/cluster.go applyUpstreamTLSSettings; 1.7.0 conditionallyConvertToIstioMtls skips ORIGINAL_DST";
    PortLevelMtlsAnyPort: v(1, 9), None, "istio.io 1.9 upgrade notes (PeerAuthentication per-port-level configuration); istio/istio#27994";
    PathNormalizationOption: v(1, 10), None, "istio/api 1.10.0 mesh/v1alpha1/config.proto ProxyPathNormalization";
    CaptureDeclaredPortsOnly: v(0, 8), Some(v(1, 3)), "istio/istio 0.8.0-1.2.0 sidecar injector `-b` = declared containerPorts; 1.3.0 injection-template.yaml includeInboundPorts default `*`";
    InjectionWebhook: v(0, 5), None, "istio/istio 0.5.0 pilot/pkg/kube/inject/webhook.go, helm charts/sidecar-injector (namespaceSelector istio-injection: enabled)";
    ZtunnelClauseOr: v(1, 19), None, "istio/ztunnel src/rbac.rs, 'Fix rbac rule matching' #495 (first in 1.19.0)";
    InjectedTlsModeLabel: v(1, 4), None, "istio/istio 1.4.0 pkg/kube/inject/webhook.go (tlsMode label, existing value kept)";
    InjectedCanonicalLabels: v(1, 5), None, "istio/istio 1.5.0 pkg/kube/inject/webhook.go (#20716, #20943); injection-template.yaml from 1.9";
    InjectedRevisionLabel: v(1, 6), Some(v(1, 11)), "istio/istio 1.6.0 pkg/kube/inject/webhook.go; removed by #33447 (1.11.0)";
}

/// The behaviours of one Istio release, and how that release was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub version: IstioVersion,
    pub source: VersionSource,
}

/// Where the version came from (shown by `-v` and in reports).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSource {
    Flag,
    /// Detected from an image tag or IstioOperator in the inputs: which object.
    Detected(String),
    Default,
}

impl Profile {
    pub fn new(version: IstioVersion, source: VersionSource) -> Self {
        Profile { version, source }
    }

    pub fn has(&self, behaviour: Behaviour) -> bool {
        TABLE
            .iter()
            .filter(|r| r.behaviour == behaviour)
            .any(|r| r.since <= self.version && r.until.is_none_or(|u| self.version < u))
    }

    /// Whether this release serves `group/version` of an Istio API (`None` when meshlint does not
    /// track that group: always served).
    pub fn serves(&self, group: &str, version: &str) -> bool {
        serving(group, version).is_none_or(|needs| self.has(needs))
    }

    /// How the version was chosen, for people: `from --istio-version`, `detected from …`, or
    /// `the default: pass --istio-version`.
    pub fn source_text(&self) -> String {
        match &self.source {
            VersionSource::Flag => "from --istio-version".to_owned(),
            VersionSource::Detected(why) => format!("detected from {why}"),
            VersionSource::Default => "the default: pass --istio-version".to_owned(),
        }
    }
}

/// The behaviour (table row) that serves `group/version` of an Istio API; `None` for groups
/// meshlint does not track.
fn serving(group: &str, version: &str) -> Option<Behaviour> {
    Some(match (group, version) {
        ("authentication.istio.io", _) => Behaviour::V1alpha1Policy,
        ("rbac.istio.io", _) => Behaviour::RbacV1alpha1,
        ("security.istio.io", "v1") => Behaviour::SecurityV1,
        ("security.istio.io", _) => Behaviour::AuthorizationPolicy,
        ("networking.istio.io", "v1") => Behaviour::NetworkingV1,
        ("networking.istio.io", "v1beta1") => Behaviour::NetworkingV1beta1,
        _ => return None,
    })
}

/// The releases that serve `group/version` (an Istio API group meshlint tracks): the first,
/// and the first that no longer does (`None`: still served).
pub fn served_range(group: &str, version: &str) -> Option<(IstioVersion, Option<IstioVersion>)> {
    let b = serving(group, version)?;
    let row = TABLE.iter().find(|r| r.behaviour == b)?;
    Some((row.since, row.until))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Profile {
        Profile::new(s.parse().unwrap(), VersionSource::Flag)
    }

    #[test]
    fn parses_tags() {
        assert_eq!(IstioVersion::parse_loose("1.5.2"), Some(v(1, 5)));
        assert_eq!(
            IstioVersion::parse_loose("v1.20.3-distroless"),
            Some(v(1, 20))
        );
        assert_eq!(IstioVersion::parse_loose("release-1.4"), Some(v(1, 4)));
        assert_eq!(
            IstioVersion::parse_loose("latest"),
            Some(IstioVersion::LATEST)
        );
        assert!("2.99".parse::<IstioVersion>().is_err());
        assert!("abc".parse::<IstioVersion>().is_err());
    }

    /// istio-semantics §5: auto mTLS exists from 1.4, is on by default from 1.5, and clients
    /// ignore workload-level PeerAuthentication from 1.6.
    #[test]
    fn auto_mtls_history() {
        assert!(!p("1.3").has(Behaviour::AutoMtlsAvailable));
        assert!(p("1.4").has(Behaviour::AutoMtlsAvailable));
        assert!(!p("1.4").has(Behaviour::AutoMtlsDefault));
        assert!(p("1.5").has(Behaviour::AutoMtlsDefault));
        assert!(!p("1.5").has(Behaviour::WorkloadPeerAuthIgnoredByClients));
        assert!(p("1.6").has(Behaviour::WorkloadPeerAuthIgnoredByClients));
    }

    /// istio-semantics §2: v1alpha1 served 0.8–1.5; 1.5 has both APIs.
    #[test]
    fn api_eras() {
        assert!(p("0.3").has(Behaviour::LegacyAnnotations));
        assert!(!p("0.3").has(Behaviour::V1alpha1Policy));
        assert!(p("1.5").has(Behaviour::V1alpha1Policy));
        assert!(p("1.5").has(Behaviour::PeerAuthentication));
        assert!(!p("1.6").has(Behaviour::V1alpha1Policy));
        assert!(p("1.4").serves("authentication.istio.io", "v1alpha1"));
        assert!(!p("1.6").serves("authentication.istio.io", "v1alpha1"));
        assert!(!p("1.21").serves("security.istio.io", "v1"));
        assert!(p("latest").serves("security.istio.io", "v1"));
    }
}
